//! `external-asset`: the book loads nothing from another host.
//!
//! A script, style, font, image or frame from a CDN breaks the book offline, tells a third party
//! who reads which page, and changes under us. Everything the book needs is vendored under
//! `src/` or `theme/` and referenced by a relative path. Scripts' runtime behavior (a script that
//! fetches something) is the browser test's to catch; this rule reads the sources.

use std::path::Path;
use std::sync::LazyLock;

use anyhow::Result;
use regex::Regex;
use toml::{Table, Value};

use super::markdown::Page;
use super::{Book, Diagnostic, is_remote, line_of, read_text, relative, walk};

const RULE: &str = "external-asset";

/// Theme files whose text can load assets (`.js` is left to the browser test).
const THEME_EXTENSIONS: [&str; 3] = ["hbs", "css", "html"];

pub(crate) fn check(book: &Book, out: &mut Vec<Diagnostic>) -> Result<()> {
    for (rel, text) in &book.pages {
        // Code samples may show a CDN tag as an example; they load nothing.
        let page = Page::new(text);
        scan(rel, &page.masked, true, out);
    }
    // The page template `cargo xtask` writes is mdBook's own, whose off-host MathJax tag sits in
    // a branch this book never takes (no `mathjax-support`); the browser test watches what the
    // built pages really load.
    let generated_template = book.root.join(crate::template::TEMPLATE);
    for path in walk(&book.root.join("theme"))? {
        if path != generated_template
            && path
                .extension()
                .is_some_and(|e| THEME_EXTENSIONS.iter().any(|x| e == *x))
        {
            let text = read_text(&path)?;
            scan(&relative(&book.root, &path), &text, false, out);
        }
    }
    book_toml(book, out);
    Ok(())
}

/// Reports every remote URL that `text` would load.
fn scan(rel: &Path, text: &str, markdown: bool, out: &mut Vec<Diagnostic>) {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?s)<(script|link|img|iframe|source|video|audio|track|embed)\b[^>]*>")
            .expect("valid regex")
    });
    static ATTR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\b(src|href|srcset|poster)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
            .expect("valid regex")
    });
    static IMAGE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"!\[[^\]]*\]\(\s*<?([^\s)>]+)").expect("valid regex"));
    static CSS_URL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"\burl\(\s*["']?([^"')\s]+)"#).expect("valid regex"));
    static IMPORT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"@import\s+["']([^"']+)"#).expect("valid regex"));
    let mut report = |offset: usize, what: &str, url: &str| {
        if is_remote(url) {
            out.push(Diagnostic::new(
                rel,
                line_of(text, offset),
                RULE,
                format!(
                    "{what} loads `{url}` from another host: vendor the file under theme/ or \
                     src/ and reference it by a relative path, so the book works offline and \
                     tells no third party what is read"
                ),
            ));
        }
    };
    // Tag and attribute names and CSS keywords are case-insensitive; matching on an ASCII-
    // lowercased copy keeps byte offsets, so URLs are read from the original text.
    let lower = text.to_ascii_lowercase();
    let original = |m: regex::Match<'_>| &text[m.range()];
    for tag in TAG.captures_iter(&lower) {
        let (Some(whole), Some(name)) = (tag.get(0), tag.get(1)) else {
            continue;
        };
        let name = name.as_str();
        for attr in ATTR.captures_iter(whole.as_str()) {
            let attr_name = &attr[1];
            // `<link href>` loads; an `href` on the other tags does not exist.
            if (attr_name == "href") != (name == "link") {
                continue;
            }
            let Some(value) = attr.get(2).or_else(|| attr.get(3)).or_else(|| attr.get(4)) else {
                continue;
            };
            let what = format!("`<{name} {attr_name}>`");
            let offset = whole.start() + value.start();
            let value = &text[offset..offset + value.len()];
            if attr_name == "srcset" {
                // "a.png 1x, https://… 2x": the first word of each candidate is a URL.
                for candidate in value.split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        report(offset, &what, url);
                    }
                }
            } else {
                report(offset, &what, value);
            }
        }
    }
    if markdown {
        for cap in IMAGE.captures_iter(text) {
            if let Some(m) = cap.get(1) {
                report(m.start(), "the image `![…](…)`", m.as_str());
            }
        }
    }
    for cap in CSS_URL.captures_iter(&lower) {
        if let Some(m) = cap.get(1) {
            report(m.start(), "CSS `url()`", original(m));
        }
    }
    // `@import url(…)` is covered by `url(…)` above; this is the bare-string form.
    for cap in IMPORT.captures_iter(&lower) {
        if let Some(m) = cap.get(1) {
            report(m.start(), "CSS `@import`", original(m));
        }
    }
}

/// `output.html.additional-js` / `additional-css` name local files that exist.
fn book_toml(book: &Book, out: &mut Vec<Diagnostic>) {
    let text = &book.book_toml;
    let table: Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(err) => {
            out.push(Diagnostic::new(
                "book.toml",
                err.span().map_or(0, |s| line_of(text, s.start)),
                RULE,
                format!(
                    "book.toml does not parse ({}), so its additional-js/css cannot be checked: \
                     fix the syntax",
                    err.message()
                ),
            ));
            return;
        }
    };
    let html = table
        .get("output")
        .and_then(|o| o.get("html"))
        .and_then(Value::as_table);
    for key in ["additional-js", "additional-css"] {
        let entries = html
            .and_then(|h| h.get(key))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for entry in entries.iter().filter_map(Value::as_str) {
            let line = line_in_book_toml(text, key, entry);
            if is_remote(entry) {
                out.push(Diagnostic::new(
                    "book.toml",
                    line,
                    RULE,
                    format!(
                        "`{key}` loads `{entry}` from another host: vendor the file beside \
                         book.toml or under theme/ and list its relative path"
                    ),
                ));
            } else if !book.root.join(entry).is_file() {
                out.push(Diagnostic::new(
                    "book.toml",
                    line,
                    RULE,
                    format!(
                        "`{key}` lists `{entry}`, which does not exist (paths are relative to \
                         book.toml): add the file or fix the path"
                    ),
                ));
            }
        }
    }
}

/// The line where `entry` is written as a string in book.toml, else the line of `key`, else 0.
fn line_in_book_toml(text: &str, key: &str, entry: &str) -> usize {
    [
        format!("\"{entry}\""),
        format!("'{entry}'"),
        key.to_string(),
    ]
    .iter()
    .find_map(|needle| text.find(needle.as_str()))
    .map_or(0, |offset| line_of(text, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, markdown: bool) -> Vec<usize> {
        let mut out = Vec::new();
        scan(Path::new("x"), text, markdown, &mut out);
        let mut lines: Vec<usize> = out.iter().map(|d| d.line).collect();
        lines.sort_unstable();
        lines
    }

    #[test]
    fn remote_tags_css_and_images_are_found() {
        let text = "<script src=\"https://cdn.example/x.js\"></script>\n<link rel=\"stylesheet\"\n  href=\"//fonts.example/f.css\">\n<a href=\"https://ok.example\">ok</a>\n![d](https://img.example/p.png)\nbody { background: url('data:image/png;base64,AA') }\n@import url(\"https://x.example/y.css\");\n@import '//x.example/z.css';\n<img srcset=\"a.png 1x, https://i.example/b.png 2x\">\n";
        assert_eq!(lines(text, true), [1, 3, 5, 7, 8, 9]);
    }

    #[test]
    fn local_and_template_paths_are_fine() {
        let text = "<script src=\"{{ path_to_root }}mermaid.min.js\"></script>\n<img src=\"img/a.png\">\nurl(fonts/a.woff2)\n";
        assert!(lines(text, false).is_empty());
    }
}
