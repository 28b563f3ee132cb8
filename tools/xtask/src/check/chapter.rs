//! The chapter contract (`shared/chapter-contract.md`), checked on every written concept chapter:
//! `chapter-title`, `heading-order`, `mermaid-count`, `mermaid-a11y`, `key-metrics-table`,
//! `quiz-include` (the directive; the quiz file's content is `quiz.rs`'s) and `listing-include`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::markdown::{Heading, Page};
use super::summary::Entry;
use super::{Book, Diagnostic, includes, normalize};

/// The `##` sections every concept chapter has, in this order.
pub(crate) const SECTIONS: [&str; 9] = [
    "Why it matters",
    "Theory",
    "Key metrics and trade-offs",
    "Build it",
    "In production",
    "Interview prep",
    "Exercise",
    "Quiz",
    "Further reading",
];

/// The fewest mermaid diagrams a chapter may have.
const MIN_DIAGRAMS: usize = 2;

/// Checks every written concept chapter.
pub(crate) fn check(book: &Book, out: &mut Vec<Diagnostic>) {
    for (entry, rel, text) in book.concept_chapters() {
        let page = Page::new(text);
        let mut push = |line: usize, rule: &'static str, message: String| {
            out.push(Diagnostic::new(&rel, line, rule, message));
        };
        title(entry, &page, &mut push);
        heading_order(&page, &mut push);
        mermaid(&page, &mut push);
        key_metrics_table(&page, &mut push);
        quiz_directive(book, &rel, &page, &mut push);
        listing_include(&rel, text, &mut push);
    }
}

/// `chapter-title`: `# N. Title` as in SUMMARY.md, then the study focus.
fn title(entry: &Entry, page: &Page<'_>, push: &mut impl FnMut(usize, &'static str, String)) {
    let mut non_blank = page
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_start_matches('\u{feff}').trim()))
        .filter(|(_, l)| !l.is_empty());
    let expected = format!("# {}", entry.title);
    match non_blank.next() {
        Some((line, found)) if found != expected => push(
            line,
            "chapter-title",
            format!(
                "the chapter must start with `{expected}` (its SUMMARY.md title), found `{found}`: \
                 make the two agree"
            ),
        ),
        None => push(
            0,
            "chapter-title",
            format!("the chapter is empty: start it with `{expected}`"),
        ),
        Some(_) => {}
    }
    let focus = non_blank.next();
    if focus.is_none_or(|(_, l)| !l.starts_with("> **Study focus:**")) {
        let line = focus.map_or(page.lines.len(), |(l, _)| l);
        push(
            line,
            "chapter-title",
            "the title must be followed by a `> **Study focus:** …` line: add the chapter's \
             focus in one sentence"
                .into(),
        );
    }
}

/// `heading-order`: the `##` headings are exactly [`SECTIONS`], in order.
fn heading_order(page: &Page<'_>, push: &mut impl FnMut(usize, &'static str, String)) {
    const RULE: &str = "heading-order";
    let contract = SECTIONS.map(|s| format!("`## {s}`")).join(", ");
    // Known sections, first occurrence only, as (index in SECTIONS, heading).
    let mut known: Vec<(usize, &Heading)> = Vec::new();
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for heading in page.sections() {
        let text = heading.text.trim();
        let Some(index) = SECTIONS.iter().position(|s| s.eq_ignore_ascii_case(text)) else {
            push(
                heading.line,
                RULE,
                format!(
                    "unexpected `## {text}`: a chapter has only the sections {contract}; make it \
                     a `###` under one of them"
                ),
            );
            continue;
        };
        if SECTIONS[index] != text {
            push(
                heading.line,
                RULE,
                format!("write `## {}` exactly (found `## {text}`)", SECTIONS[index]),
            );
        }
        if let Some(first) = seen.get(&index) {
            push(
                heading.line,
                RULE,
                format!(
                    "`## {}` appears again (first at line {first}): merge the two sections",
                    SECTIONS[index]
                ),
            );
            continue;
        }
        seen.insert(index, heading.line);
        known.push((index, heading));
    }
    // The longest run already in contract order stays; everything else is out of order.
    let in_order = longest_increasing(&known.iter().map(|(i, _)| *i).collect::<Vec<_>>());
    let after = |index: usize| match index {
        0 => "as the first `##` section".to_string(),
        _ => format!("after `## {}`", SECTIONS[index - 1]),
    };
    for (pos, (index, heading)) in known.iter().enumerate() {
        if !in_order.contains(&pos) {
            push(
                heading.line,
                RULE,
                format!(
                    "expected `## {}` {}: move the section (the order is {contract})",
                    SECTIONS[*index],
                    after(*index)
                ),
            );
        }
    }
    for (index, section) in SECTIONS.iter().enumerate() {
        if seen.contains_key(&index) {
            continue;
        }
        // Point at the section the missing one should come before.
        let line = known
            .iter()
            .enumerate()
            .filter(|(pos, (i, _))| in_order.contains(pos) && *i > index)
            .map(|(_, (_, h))| h.line)
            .next()
            .unwrap_or(page.lines.len());
        push(
            line,
            RULE,
            format!(
                "expected `## {section}` {}, but the chapter has none: add it",
                after(index)
            ),
        );
    }
}

/// The positions of one longest strictly increasing subsequence of `values`.
fn longest_increasing(values: &[usize]) -> HashSet<usize> {
    // Quadratic dynamic programming: a chapter has nine sections.
    let n = values.len();
    let mut best = vec![1usize; n];
    let mut prev = vec![None; n];
    for i in 0..n {
        for j in 0..i {
            if values[j] < values[i] && best[j] + 1 > best[i] {
                best[i] = best[j] + 1;
                prev[i] = Some(j);
            }
        }
    }
    let mut keep = HashSet::new();
    let mut at = (0..n).max_by_key(|&i| (best[i], std::cmp::Reverse(i)));
    while let Some(i) = at {
        keep.insert(i);
        at = prev[i];
    }
    keep
}

/// `mermaid-count` and `mermaid-a11y`.
fn mermaid(page: &Page<'_>, push: &mut impl FnMut(usize, &'static str, String)) {
    let diagrams: Vec<_> = page.fences.iter().filter(|f| f.lang == "mermaid").collect();
    if diagrams.len() < MIN_DIAGRAMS {
        push(
            0,
            "mermaid-count",
            format!(
                "the chapter has {} mermaid diagram(s); the contract asks for at least \
                 {MIN_DIAGRAMS}: add a ```mermaid block (with accTitle, accDescr and a caption)",
                diagrams.len()
            ),
        );
    }
    for fence in diagrams {
        for key in ["accTitle", "accDescr"] {
            if !fence.content.contains(key) {
                push(
                    fence.open_line,
                    "mermaid-a11y",
                    format!(
                        "this diagram has no `{key}`: screen readers need it; add `{key}: …` \
                         inside the block"
                    ),
                );
            }
        }
        let Some(close) = fence.close_line else {
            continue; // `code-fence` reports it
        };
        let next = page.lines[close..]
            .iter()
            .enumerate()
            .find(|(_, l)| !l.trim().is_empty());
        if next.is_none_or(|(_, l)| !is_caption(l)) {
            push(
                close,
                "mermaid-a11y",
                "the diagram needs a caption: the next line after the block should say in \
                 italics (`*…*`) what to notice"
                    .into(),
            );
        }
    }
}

/// An italic caption line: starts with `*` or `_` but is not a list item (`* item`).
fn is_caption(line: &str) -> bool {
    let line = line.trim_start();
    let list_item = line.starts_with("* ") || line.starts_with("*\t") || line == "*";
    (line.starts_with('*') || line.starts_with('_')) && !list_item
}

/// `key-metrics-table`: the section holds a markdown table.
fn key_metrics_table(page: &Page<'_>, push: &mut impl FnMut(usize, &'static str, String)) {
    static DELIMITER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$").expect("valid regex")
    });
    let Some((start, end)) = page.section_range(SECTIONS[2]) else {
        return; // `heading-order` reports the missing section
    };
    let has_table = (start..end).any(|i| {
        // lines are 1-based; index i is line i + 1, so the header row is line i (index i - 1)
        let (header, delimiter) = (i - 1, i);
        !page.in_fence[delimiter]
            && page.lines[header].contains('|')
            && page.lines[delimiter].contains('|')
            && DELIMITER.is_match(page.lines[delimiter])
    });
    if !has_table {
        push(
            start,
            "key-metrics-table",
            "the section has no table: add a markdown table (option | when it wins | what it \
             costs)"
                .into(),
        );
    }
}

/// The `quiz-include` directive: `{{#quiz ../quizzes/<stem>.toml}}` under `## Quiz`, naming a
/// file that exists.
fn quiz_directive(
    book: &Book,
    rel: &Path,
    page: &Page<'_>,
    push: &mut impl FnMut(usize, &'static str, String),
) {
    static QUIZ: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\{\{\s*#quiz\s+([^}\s]+)\s*\}\}").expect("valid regex"));
    const RULE: &str = "quiz-include";
    let stem = rel
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let page_dir = rel.parent().unwrap_or(Path::new(""));
    let expected = PathBuf::from("quizzes").join(format!("{stem}.toml"));
    let up = "../".repeat(page_dir.components().count());
    let directive = format!("{{{{#quiz {up}quizzes/{stem}.toml}}}}");
    let section = page.section_range("Quiz");
    let found: Vec<(usize, &str)> = page
        .lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !page.in_fence[*i])
        .flat_map(|(i, l)| {
            QUIZ.captures_iter(l)
                .filter_map(move |c| Some((i + 1, c.get(1)?.as_str())))
        })
        .collect();
    if found.is_empty() {
        push(
            section.map_or(0, |(start, _)| start),
            RULE,
            format!("the chapter has no quiz: add `{directive}` under `## Quiz`"),
        );
        return;
    }
    for (line, path) in found {
        if let Some((start, end)) = section
            && !(start..=end).contains(&line)
        {
            push(line, RULE, format!("move `{directive}` under `## Quiz`"));
        }
        if normalize(&page_dir.join(path)) != expected {
            push(
                line,
                RULE,
                format!(
                    "the quiz file must be named after the chapter: write `{directive}` (found \
                     `{path}`)"
                ),
            );
        } else if !book.root.join(&expected).is_file() {
            push(
                line,
                RULE,
                format!(
                    "`{}` does not exist: create it (mdbook-quiz 0.5 format, at least {} \
                     questions)",
                    expected.display(),
                    super::quiz::MIN_QUESTIONS
                ),
            );
        }
    }
}

/// `listing-include`: the chapter includes code from `listings/`.
fn listing_include(rel: &Path, text: &str, push: &mut impl FnMut(usize, &'static str, String)) {
    let includes_listing = includes::find(text).iter().any(|inc| {
        matches!(inc.kind.as_str(), "include" | "rustdoc_include")
            && inc.target(rel).starts_with("listings")
    });
    if !includes_listing {
        let stem = rel
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        push(
            0,
            "listing-include",
            format!(
                "the chapter includes no code from listings/: show the listing by anchor, e.g. \
                 `{{{{#include ../listings/{stem}/src/lib.rs:anchor}}}}` under `## Build it`"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_increasing_keeps_the_ordered_run() {
        let keep = longest_increasing(&[0, 2, 1, 3]);
        assert_eq!(keep.len(), 3);
        assert!(keep.contains(&0) && keep.contains(&3));
        assert!(longest_increasing(&[]).is_empty());
    }

    #[test]
    fn captions_are_italic_lines_not_list_items() {
        assert!(is_caption("*Notice the refill.*"));
        assert!(is_caption("_Notice the refill._"));
        assert!(is_caption("**Bold** caption"));
        assert!(!is_caption("* a list item"));
        assert!(!is_caption("Plain text"));
    }
}
