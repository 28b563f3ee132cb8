//! mdBook's include directives (`{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}`):
//! `include-target`, `include-line-numbers`, `rustdoc-include` and `listing-orphan`.
//!
//! The book shows code only by including it from `listings/`, so a listing's code and the text
//! that explains it cannot drift apart. An include by line numbers silently shows the wrong lines
//! after the next edit of the listing, and a listing no page includes is code nobody reads.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use anyhow::Result;
use regex::Regex;

use super::{Book, Diagnostic, line_of, normalize, read_text};

/// What part of the file an include takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// The whole file.
    Whole,
    /// The region between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
    /// A line range, as written after the path (`10:20`).
    Lines(String),
}

/// One include directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Include {
    /// 1-based line of the directive.
    pub line: usize,
    /// `include`, `rustdoc_include` or `playground`.
    pub kind: String,
    /// The file, as written (relative to the page's folder).
    pub path: String,
    /// Which part of it.
    pub part: Part,
}

impl Include {
    /// The included file relative to the book root, for a page at `page` (relative to the root).
    pub fn target(&self, page: &Path) -> PathBuf {
        normalize(&page.parent().unwrap_or(Path::new("")).join(&self.path))
    }
}

/// The include directives of a page, as mdBook's link preprocessor finds them: anywhere in the
/// text, code fences included (that is how code gets into the book), but not escaped ones
/// (`\{{#include …}}`).
pub(crate) fn find(text: &str) -> Vec<Include> {
    // The same pattern as mdBook 0.5's `find_links`, escape branch first.
    static LINK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\\\{\{\#.*\}\}|\{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}").expect("valid regex")
    });
    LINK.captures_iter(text)
        .filter_map(|cap| {
            let kind = cap.get(1)?.as_str();
            let mut words = cap.get(2)?.as_str().split_whitespace();
            let arg = words.next()?;
            let (path, part) = match kind {
                "include" | "rustdoc_include" => split_part(arg),
                "playground" | "playpen" => (arg, Part::Whole),
                _ => return None,
            };
            Some(Include {
                line: line_of(text, cap.get(0)?.start()),
                kind: kind.to_string(),
                path: path.to_string(),
                part,
            })
        })
        .collect()
}

/// Splits `file:anchor` / `file:10:20` the way mdBook's `parse_range_or_anchor` does.
fn split_part(arg: &str) -> (&str, Part) {
    let Some((path, rest)) = arg.split_once(':') else {
        return (arg, Part::Whole);
    };
    let mut pieces = rest.splitn(3, ':');
    let first = pieces.next().unwrap_or("");
    let second = pieces.next();
    let part = if first.parse::<usize>().is_ok() {
        Part::Lines(rest.to_string())
    } else if first.is_empty() {
        match second {
            Some(end) if end.parse::<usize>().is_ok() => Part::Lines(rest.to_string()),
            _ => Part::Whole,
        }
    } else {
        Part::Anchor(first.to_string())
    };
    (path, part)
}

/// Checks every include of every page, then that every listing is included.
pub(crate) fn check(book: &Book, out: &mut Vec<Diagnostic>) -> Result<()> {
    let mut anchors = AnchorCache::default();
    let mut targets = Vec::new();
    for (page, text) in &book.pages {
        for include in find(text) {
            let target = include.target(page);
            check_one(book, page, &include, &target, &mut anchors, out)?;
            targets.push(target);
        }
    }
    for crate_dir in listing_crates(&book.root)? {
        if !targets.iter().any(|t| t.starts_with(&crate_dir)) {
            let name = crate_dir
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            out.push(Diagnostic::new(
                crate_dir.join("Cargo.toml"),
                0,
                "listing-orphan",
                format!(
                    "no page includes anything from listing `{name}`: include its code by \
                     anchor from its chapter (`{{{{#include ../listings/{name}/src/lib.rs:anchor}}}}`) \
                     or remove the listing"
                ),
            ));
        }
    }
    Ok(())
}

/// `include-target`, `include-line-numbers` and `rustdoc-include` for one directive.
fn check_one(
    book: &Book,
    page: &Path,
    include: &Include,
    target: &Path,
    anchors: &mut AnchorCache,
    out: &mut Vec<Diagnostic>,
) -> Result<()> {
    let kind = &include.kind;
    if let Part::Lines(range) = &include.part {
        out.push(Diagnostic::new(
            page,
            include.line,
            "include-line-numbers",
            format!(
                "`{{{{#{kind} {}:{range}}}}}` includes by line numbers, which show the wrong \
                 lines after the next edit: include by ANCHOR, not by line numbers (mark the \
                 region with `// ANCHOR: name` … `// ANCHOR_END: name` and write `{}:name`)",
                include.path, include.path
            ),
        ));
    }
    if kind == "rustdoc_include" {
        out.push(Diagnostic::new(
            page,
            include.line,
            "rustdoc-include",
            format!(
                "`{{{{#rustdoc_include {}}}}}` puts the whole file into the page as hidden lines, \
                 for running the block in the playground or `mdbook test`, neither of which this \
                 book uses (listings are tested by cargo): readers download and phones lay out \
                 code nobody sees (357 KB of chapter 5's 394 KB of code). Write \
                 `{{{{#include {}}}}}` instead",
                include.path, include.path
            ),
        ));
    }
    let full = book.root.join(target);
    if !full.is_file() {
        out.push(Diagnostic::new(
            page,
            include.line,
            "include-target",
            format!(
                "`{{{{#{kind} {}}}}}` names `{}`, which does not exist: fix the path (it is \
                 relative to the page's folder)",
                include.path,
                target.display()
            ),
        ));
        return Ok(());
    }
    if let Part::Anchor(name) = &include.part {
        let (starts, ends) = anchors.get(&full)?;
        let has_start = starts.iter().any(|a| a == name);
        let has_end = ends.iter().any(|a| a == name);
        if !(has_start && has_end) {
            let missing = match (has_start, has_end) {
                (false, false) => format!("`ANCHOR: {name}` and `ANCHOR_END: {name}`"),
                (false, true) => format!("`ANCHOR: {name}`"),
                _ => format!("`ANCHOR_END: {name}`"),
            };
            let known = if starts.is_empty() {
                "it has no anchors".to_string()
            } else {
                format!("its anchors are {}", starts.join(", "))
            };
            out.push(Diagnostic::new(
                page,
                include.line,
                "include-target",
                format!(
                    "`{}` has no {missing} ({known}): add the anchor comments around the code \
                     or fix the anchor name",
                    target.display()
                ),
            ));
        }
    }
    Ok(())
}

/// The `ANCHOR:` / `ANCHOR_END:` names of files, read once each.
#[derive(Default)]
struct AnchorCache(HashMap<PathBuf, (Vec<String>, Vec<String>)>);

impl AnchorCache {
    fn get(&mut self, file: &Path) -> Result<&(Vec<String>, Vec<String>)> {
        // mdBook 0.5's patterns (take_lines.rs); `ANCHOR_END:` does not match `ANCHOR:`.
        static START: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"ANCHOR:\s*([\w_-]+)").expect("valid regex"));
        static END: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"ANCHOR_END:\s*([\w_-]+)").expect("valid regex"));
        if !self.0.contains_key(file) {
            // A binary file has no anchors; mdBook would fail on it anyway.
            let text = read_text(file).unwrap_or_default();
            let names = |re: &Regex| re.captures_iter(&text).map(|c| c[1].to_string()).collect();
            self.0
                .insert(file.to_path_buf(), (names(&START), names(&END)));
        }
        self.0
            .get(file)
            .ok_or_else(|| anyhow::anyhow!("anchor cache lost {}", file.display()))
    }
}

/// The listing crates: folders directly under `listings/` with a `Cargo.toml` (the workspace's
/// `listings/*` members), relative to the root.
fn listing_crates(root: &Path) -> Result<Vec<PathBuf>> {
    let dir = root.join("listings");
    let mut crates = Vec::new();
    if !dir.is_dir() {
        return Ok(crates);
    }
    for entry in fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.join("Cargo.toml").is_file() {
            crates.push(super::relative(root, &path));
        }
    }
    crates.sort();
    Ok(crates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parts_like_mdbook() {
        assert_eq!(split_part("a.rs"), ("a.rs", Part::Whole));
        assert_eq!(split_part("a.rs:"), ("a.rs", Part::Whole));
        assert_eq!(
            split_part("a.rs:demo"),
            ("a.rs", Part::Anchor("demo".into()))
        );
        for range in ["10", "10:20", "10:", ":20"] {
            assert_eq!(
                split_part(&format!("a.rs:{range}")),
                ("a.rs", Part::Lines(range.into()))
            );
        }
    }

    #[test]
    fn finds_includes_but_not_escaped_ones() {
        let text = "x\n```rust\n{{#rustdoc_include ../l/a.rs:demo}}\n```\n\\{{#include no.rs}}\n{{#playground p.rs editable}}\n{{#quiz q.toml}}\n";
        let found = find(text);
        let got: Vec<_> = found
            .iter()
            .map(|i| (i.line, i.kind.as_str(), i.path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "rustdoc_include", "../l/a.rs"),
                (6, "playground", "p.rs")
            ]
        );
        assert_eq!(
            found[0].target(Path::new("src/ch.md")),
            PathBuf::from("l/a.rs")
        );
    }
}
