//! `internal-link`: links between the book's own pages and files, and their `#fragment`s.
//!
//! mdBook renders a broken relative link without complaint, and a fragment that no longer
//! matches a heading (after a heading is reworded) just scrolls to the top of the page. The
//! checker resolves each link the way the built book will: `x.md` becomes `x.html`, only pages in
//! SUMMARY.md are rendered, only files under `src/` are copied, and heading ids follow
//! [`super::heading_id`].
//!
//! One narrow exception: the book's PDF, which `cargo xtask pdf` writes into the built book (not
//! into `src/`) and the Pages workflow publishes beside the pages, may be linked from a page at the
//! top of `src/` as `system-design-mastery.pdf`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::markdown::Page;
use super::{Book, Diagnostic, line_of, normalize, scheme};

const RULE: &str = "internal-link";

/// Checks the links of every page listed in SUMMARY.md.
pub(crate) fn check(book: &Book, out: &mut Vec<Diagnostic>) {
    let rendered: HashSet<PathBuf> = book.summary.iter().filter_map(|e| e.page()).collect();
    let mut ids = IdCache::default();
    for rel in &rendered {
        let Some(text) = book.pages.get(rel) else {
            continue; // `summary-file` reports it
        };
        let page = Page::new(text);
        for (offset, target) in targets(&page.masked) {
            let line = line_of(text, offset);
            if let Some(message) = check_target(book, &rendered, rel, &target, &mut ids) {
                out.push(Diagnostic::new(rel, line, RULE, message));
            }
        }
    }
}

/// The link targets in `masked` text (code already blanked), with their byte offsets: inline
/// links and images, reference definitions, and HTML `href`/`src` attributes.
fn targets(masked: &str) -> Vec<(usize, String)> {
    static INLINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\]\(\s*(<[^>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:\x22[^\x22]*\x22|'[^']*'|\([^)]*\)))?\s*\)",
        )
        .expect("valid regex")
    });
    static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^[ \t]{0,3}(?:>[ \t]?)*\[([^\]\n]+)\]:[ \t]*(<[^>\n]*>|\S+)")
            .expect("valid regex")
    });
    static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("valid regex")
    });
    let mut found = Vec::new();
    for cap in INLINE.captures_iter(masked) {
        if let Some(m) = cap.get(1) {
            found.push((m.start(), m.as_str()));
        }
    }
    for cap in DEFINITION.captures_iter(masked) {
        // `[^1]: …` is a footnote, not a link definition.
        if let (Some(label), Some(m)) = (cap.get(1), cap.get(2))
            && !label.as_str().starts_with('^')
        {
            found.push((m.start(), m.as_str()));
        }
    }
    // Attribute names are case-insensitive; ASCII lowercasing keeps byte offsets, so the
    // value is read from the original text.
    let lower = masked.to_ascii_lowercase();
    for cap in ATTRIBUTE.captures_iter(&lower) {
        if let Some(m) = cap.get(1).or_else(|| cap.get(2)) {
            found.push((m.start(), &masked[m.range()]));
        }
    }
    found.sort_by_key(|(offset, _)| *offset);
    found
        .into_iter()
        .map(|(offset, t)| {
            let t = t.trim();
            let t = t
                .strip_prefix('<')
                .and_then(|t| t.strip_suffix('>'))
                .unwrap_or(t);
            (offset, t.to_string())
        })
        .collect()
}

/// What is wrong with one link target, if anything.
fn check_target(
    book: &Book,
    rendered: &HashSet<PathBuf>,
    page: &Path,
    target: &str,
    ids: &mut IdCache,
) -> Option<String> {
    if target.is_empty() || target.starts_with("//") || scheme(target).is_some() {
        return None; // external, or a template placeholder
    }
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let path = percent_decode(path);
    if path.starts_with('/') {
        return Some(format!(
            "`{target}` is root-relative, which breaks when the book is served under a \
             sub-path: write it relative to this page"
        ));
    }
    let page_dir = page.parent().unwrap_or(Path::new(""));
    if is_generated_file(&normalize(&page_dir.join(&path))) {
        return None;
    }
    let source = if path.is_empty() {
        page.to_path_buf()
    } else {
        match resolve(book, &normalize(&page_dir.join(&path))) {
            Ok(source) => source,
            Err(why) => return Some(format!("`{target}`: {why}")),
        }
    };
    let is_page = source.extension().is_some_and(|e| e == "md");
    if is_page && !rendered.contains(&source) {
        return Some(format!(
            "`{target}` points at `{}`, which is not in SUMMARY.md, so mdBook does not render \
             it: add it to SUMMARY.md or link to a page that is",
            source.display()
        ));
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    if !is_page {
        return None;
    }
    let fragment = percent_decode(fragment);
    if ids.get(book, &source).contains(&fragment) {
        return None;
    }
    Some(format!(
        "`{target}`: `{}` has no heading or element with id `{fragment}`: fix the fragment to \
         match a heading's id (lowercase, spaces as `-`, punctuation dropped)",
        source.display()
    ))
}

/// Whether `target` (relative to the root) is a file the build writes into the published book
/// with no source under `src/`: only the PDF, at the book's top level.
fn is_generated_file(target: &Path) -> bool {
    target == Path::new("src").join(crate::pdf::PDF_NAME)
}

/// The source file (relative to the root) that serves `target` (relative to the root) in the
/// built book, or why there is none.
fn resolve(book: &Book, target: &Path) -> Result<PathBuf, String> {
    if !target.starts_with("src") {
        return Err(format!(
            "`{}` is outside src/, and mdBook copies only src/ into the book: link to it by \
             absolute URL or move it under src/",
            target.display()
        ));
    }
    let exists = |p: &Path| book.root.join(p).is_file();
    let mut candidates = vec![target.to_path_buf()];
    if target.extension().is_some_and(|e| e == "html") {
        // mdBook renders x.md as x.html, and README.md as index.html.
        candidates.push(target.with_extension("md"));
        if target.file_name().is_some_and(|n| n == "index.html") {
            candidates.push(target.with_file_name("README.md"));
        }
    }
    if book.root.join(target).is_dir() {
        candidates.push(target.join("index.md"));
        candidates.push(target.join("README.md"));
    }
    candidates
        .into_iter()
        .find(|c| exists(c))
        .ok_or_else(|| format!("`{}` does not exist: fix the path", target.display()))
}

/// Decodes `%XX` escapes (a link to `my%20file.md` names `my file.md`).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The ids of pages, computed once each.
#[derive(Default)]
struct IdCache(HashMap<PathBuf, HashSet<String>>);

impl IdCache {
    fn get(&mut self, book: &Book, page: &Path) -> &HashSet<String> {
        self.0.entry(page.to_path_buf()).or_insert_with(|| {
            book.pages
                .get(page)
                .map(|text| Page::new(text).ids())
                .unwrap_or_default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_reference_and_html_targets() {
        let text = "See [a](a.md#x \"t\") and ![i](img/p(1).png).\n[r]: <b c.md>\n[^1]: note\n<a href='d.html'>d</a>\n";
        let got: Vec<_> = targets(text).into_iter().map(|(_, t)| t).collect();
        assert_eq!(got, ["a.md#x", "img/p(1).png", "b c.md", "d.html"]);
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
