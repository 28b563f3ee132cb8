//! `SUMMARY.md`: the book's table of contents, and the `summary-file` rule.
//!
//! The summary decides what a "written concept chapter" is: an entry `N. Title` with a path.
//! Draft entries (`- [21. Queues and streams]()`) have no file yet and are skipped by every
//! per-chapter rule, so the book can be checked while half of it is still being written.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::markdown::Page;
use super::{Book, Diagnostic, normalize};

/// The number of concept chapters the book teaches.
pub(crate) const CONCEPTS: std::ops::RangeInclusive<u32> = 1..=40;

/// One `[Title](path)` entry of `SUMMARY.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// 1-based line in `SUMMARY.md`.
    pub line: usize,
    /// The link text, e.g. `20. Rate limiting`.
    pub title: String,
    /// The link target relative to `src/`; empty for a draft.
    pub path: String,
}

impl Entry {
    /// The concept number when the title is `N. Title` with N in 1..=40 and the entry has a file.
    pub fn concept_number(&self) -> Option<u32> {
        static NUMBERED: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^(\d+)\.\s+\S").expect("valid regex"));
        if self.path.is_empty() {
            return None;
        }
        let n: u32 = NUMBERED.captures(&self.title)?[1].parse().ok()?;
        CONCEPTS.contains(&n).then_some(n)
    }

    /// The page's path relative to the book root (`src/ch20-rate-limiting.md`); `None` for a
    /// draft.
    pub fn page(&self) -> Option<PathBuf> {
        (!self.path.is_empty()).then(|| normalize(&Path::new("src").join(&self.path)))
    }
}

/// The entries of `SUMMARY.md`, in order (part titles and separators are not entries).
pub(crate) fn parse(text: &str) -> Vec<Entry> {
    static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:[-*+]\s+)?\[(.*)\]\(\s*<?([^)>]*?)>?\s*\)\s*$").expect("valid regex")
    });
    let page = Page::new(text);
    page.lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !page.in_fence[*i])
        .filter_map(|(i, line)| {
            let cap = ENTRY.captures(line)?;
            Some(Entry {
                line: i + 1,
                title: cap[1].trim().to_string(),
                path: cap[2].trim().to_string(),
            })
        })
        .collect()
}

/// `summary-file`: every entry with a path names a file that exists.
pub(crate) fn check(book: &Book, out: &mut Vec<Diagnostic>) {
    for entry in &book.summary {
        let Some(page) = entry.page() else { continue };
        if !book.root.join(&page).is_file() {
            out.push(Diagnostic::new(
                "src/SUMMARY.md",
                entry.line,
                "summary-file",
                format!(
                    "`{}` links to `{}`, which does not exist: create the page, fix the path, or \
                     make the entry a draft (`[{}]()`)",
                    entry.title,
                    page.display(),
                    entry.title
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prefix_numbered_and_draft_entries() {
        let entries = parse(
            "# Summary\n\n[Intro](intro.md)\n\n# Part\n\n- [20. Rate limiting](ch20-rate-limiting.md)\n- [21. Queues]()\n    - [Nested](a/b.md)\n---\n",
        );
        let got: Vec<_> = entries
            .iter()
            .map(|e| (e.line, e.title.as_str(), e.path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "Intro", "intro.md"),
                (7, "20. Rate limiting", "ch20-rate-limiting.md"),
                (8, "21. Queues", ""),
                (9, "Nested", "a/b.md"),
            ]
        );
        assert_eq!(entries[1].concept_number(), Some(20));
        assert_eq!(entries[2].concept_number(), None);
        assert_eq!(entries[0].concept_number(), None);
        assert_eq!(entries[3].page(), Some(PathBuf::from("src/a/b.md")));
    }

    #[test]
    fn numbers_outside_the_concepts_are_not_chapters() {
        let entries = parse("- [41. Extra](x.md)\n- [0. Zero](y.md)\n");
        assert!(entries.iter().all(|e| e.concept_number().is_none()));
    }
}
