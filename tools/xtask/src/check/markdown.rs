//! The small markdown scanner the rules share.
//!
//! The checker does not need a full CommonMark parser, but it must agree with mdBook on three
//! things or it reports nonsense: what is inside a code fence (a `## Theory` or a `[link](x)` in a
//! code sample is text, not structure), what is inside an inline code span, and which `id` mdBook
//! gives each heading (so `#fragment` links can be checked before the book is built).

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

/// A fenced code block (```` ``` ```` or `~~~`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fence {
    /// 1-based line of the opening fence.
    pub open_line: usize,
    /// 1-based line of the closing fence; `None` when the fence runs to the end of the file.
    pub close_line: Option<usize>,
    /// The info string's first word (`mermaid`, `rust`), possibly empty.
    pub lang: String,
    /// The lines between the fences.
    pub content: String,
}

/// An ATX heading (`## Theory`) outside code fences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    /// 1-based line.
    pub line: usize,
    /// 1 for `#`, 2 for `##`, …
    pub level: usize,
    /// The heading's inline markdown, without the closing `#`s and the `{#id}` attribute block.
    pub text: String,
    /// The id given by a `{#id}` attribute block, which mdBook uses instead of a generated one.
    pub explicit_id: Option<String>,
}

/// A markdown file split into the parts the rules need.
pub(crate) struct Page<'a> {
    /// The raw lines, without line terminators.
    pub lines: Vec<&'a str>,
    /// Per line: whether it is a fence line or inside a fence.
    pub in_fence: Vec<bool>,
    /// The fenced code blocks, in order.
    pub fences: Vec<Fence>,
    /// The ATX headings outside fences, in order.
    pub headings: Vec<Heading>,
    /// The text with fenced code, inline code spans and HTML comments blanked to spaces: the
    /// same length and the same line breaks as the original, so byte offsets and line numbers
    /// found in it are valid in the original.
    pub masked: String,
}

impl<'a> Page<'a> {
    pub fn new(text: &'a str) -> Self {
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        let (in_fence, fences) = scan_fences(&lines);
        let headings = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| !in_fence[*i])
            .filter_map(|(i, line)| parse_heading(i + 1, line))
            .collect();
        let masked = mask(text, &in_fence);
        Self {
            lines,
            in_fence,
            fences,
            headings,
            masked,
        }
    }

    /// The level-2 headings (the chapter's sections).
    pub fn sections(&self) -> impl Iterator<Item = &Heading> {
        self.headings.iter().filter(|h| h.level == 2)
    }

    /// The 1-based line range `(heading line, end line)` of the `##` section titled `title`
    /// (matched ignoring case), ending before the next heading of level 1 or 2.
    pub fn section_range(&self, title: &str) -> Option<(usize, usize)> {
        let start = self
            .sections()
            .find(|h| h.text.trim().eq_ignore_ascii_case(title))?
            .line;
        let end = self
            .headings
            .iter()
            .find(|h| h.line > start && h.level <= 2)
            .map_or(self.lines.len(), |h| h.line - 1);
        Some((start, end))
    }

    /// Every id an `#fragment` can point at in this page: mdBook's generated heading ids, `{#id}`
    /// attributes and `id="…"` attributes of raw HTML.
    pub fn ids(&self) -> HashSet<String> {
        static ID_ATTR: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"\bid\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("valid regex")
        });
        // mdBook keeps one set of generated ids per page and suffixes repeats; explicit ids do not
        // enter that set (see `add_header_links` in mdbook-html).
        let mut generated = HashSet::new();
        let mut ids = HashSet::new();
        for heading in &self.headings {
            match &heading.explicit_id {
                Some(id) => ids.insert(id.clone()),
                None => ids.insert(unique_id(&heading_id(&heading.text), &mut generated)),
            };
        }
        // Attribute names are case-insensitive; ASCII lowercasing keeps byte offsets, so the
        // value is read from the original text.
        let lower = self.masked.to_ascii_lowercase();
        for cap in ID_ATTR.captures_iter(&lower) {
            if let Some(id) = cap.get(1).or_else(|| cap.get(2)) {
                ids.insert(self.masked[id.range()].to_string());
            }
        }
        ids
    }
}

/// The `id` mdBook 0.5 gives a heading whose inline markdown is `text`.
///
/// mdBook takes the heading's rendered text (markup gone, code spans' contents kept), trims it,
/// lowercases it, keeps alphanumerics, `_` and `-`, turns whitespace into `-` and drops the rest.
/// So `` ## The `Limiter` trait & you `` becomes `the-limiter-trait--you`. A repeated id on one
/// page gets `-1`, `-2`, … (see [`unique_id`]).
pub fn heading_id(text: &str) -> String {
    id_from_content(&plain_text(text))
}

/// mdBook's `id_from_content`, applied to already-plain text.
fn id_from_content(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// mdBook's `unique_id`: the first `id` is kept, later ones get the first free `-N` suffix.
pub(crate) fn unique_id(id: &str, used: &mut HashSet<String>) -> String {
    if used.insert(id.to_string()) {
        return id.to_string();
    }
    (1..)
        .map(|n| format!("{id}-{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .unwrap_or_default()
}

/// The text a reader sees for inline markdown: code spans keep their content, links and images
/// keep their text (an image's alt text is an attribute, not text, so it goes), HTML tags,
/// emphasis markers and backslash escapes go, the common entities are decoded, and `--`/`---`
/// become dashes as mdBook's smart punctuation (on by default) makes them.
fn plain_text(markdown: &str) -> String {
    static CODE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(`+)([^`]|[^`].*?[^`])(`+)").expect("valid regex"));
    static IMAGE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"!\[[^\]]*\]\([^)]*\)").expect("valid regex"));
    static LINK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])?").expect("valid regex")
    });
    static TAG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"</?[A-Za-z][^>]*>").expect("valid regex"));
    static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);").expect("valid regex")
    });

    // Code spans first, so that markup characters inside them survive: split the heading into
    // code and prose pieces and clean only the prose.
    let mut out = String::new();
    let mut last = 0;
    for cap in CODE.captures_iter(markdown) {
        let (Some(whole), Some(open), Some(close)) = (cap.get(0), cap.get(1), cap.get(3)) else {
            continue;
        };
        if open.as_str().len() != close.as_str().len() {
            continue;
        }
        out.push_str(&clean_prose(
            &markdown[last..whole.start()],
            &IMAGE,
            &LINK,
            &TAG,
        ));
        let code = cap.get(2).map_or("", |m| m.as_str());
        out.push_str(
            code.strip_prefix(' ')
                .and_then(|c| c.strip_suffix(' '))
                .unwrap_or(code),
        );
        last = whole.end();
    }
    out.push_str(&clean_prose(&markdown[last..], &IMAGE, &LINK, &TAG));
    ENTITY
        .replace_all(&out, |cap: &regex::Captures<'_>| decode_entity(&cap[1]))
        .into_owned()
}

/// [`plain_text`] for a piece without code spans.
fn clean_prose(prose: &str, image: &Regex, link: &Regex, tag: &Regex) -> String {
    let prose = image.replace_all(prose, "");
    let prose = link.replace_all(&prose, "$1");
    let prose = tag.replace_all(&prose, "");
    let chars: Vec<char> = prose.chars().collect();
    let mut out = String::with_capacity(prose.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => {
                out.push(chars[i + 1]);
                i += 1;
            }
            // Emphasis markers; `*` is never part of an id anyway.
            '*' => {}
            // mdBook's default smart punctuation turns `--` and `---` into dashes, which ids
            // drop; a single `-` stays.
            '-' if chars.get(i + 1) == Some(&'-') => {
                while chars.get(i + 1) == Some(&'-') {
                    i += 1;
                }
            }
            // `_` is emphasis unless it sits between two alphanumerics (`snake_case`).
            '_' => {
                let before = i > 0 && chars[i - 1].is_alphanumeric();
                let after = chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
                if before && after {
                    out.push('_');
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// The character an HTML entity stands for; unknown named entities become nothing (their
/// characters would be dropped from an id anyway, bar letters we must not invent).
fn decode_entity(entity: &str) -> String {
    let code = if let Some(hex) = entity
        .strip_prefix("#x")
        .or_else(|| entity.strip_prefix("#X"))
    {
        u32::from_str_radix(hex, 16).ok()
    } else if let Some(dec) = entity.strip_prefix('#') {
        dec.parse().ok()
    } else {
        match entity {
            "amp" => Some(u32::from('&')),
            "lt" => Some(u32::from('<')),
            "gt" => Some(u32::from('>')),
            "quot" => Some(u32::from('"')),
            "apos" => Some(u32::from('\'')),
            "nbsp" => Some(0xA0),
            _ => None,
        }
    };
    code.and_then(char::from_u32)
        .map(String::from)
        .unwrap_or_default()
}

/// The line with blockquote markers and indentation removed, for fence detection: mdBook
/// renders fences inside admonitions (`> ```rust`) and list items as code too.
fn fence_candidate(line: &str) -> &str {
    let mut rest = line.trim_start();
    while let Some(after) = rest.strip_prefix('>') {
        rest = after.trim_start();
    }
    rest
}

/// An opening fence: the fence character, the run's length and the info string.
fn opening_fence(line: &str) -> Option<(char, usize, &str)> {
    let rest = fence_candidate(line);
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|c| *c == ch).count();
    let info = rest[len..].trim();
    // A backtick run followed by more backticks on the line is an inline code span, not a fence.
    (len >= 3 && !(ch == '`' && info.contains('`'))).then_some((ch, len, info))
}

/// Whether `line` closes a fence opened with `len` × `ch`.
fn closes_fence(line: &str, ch: char, len: usize) -> bool {
    let rest = fence_candidate(line);
    let run = rest.chars().take_while(|c| *c == ch).count();
    run >= len && rest[run..].trim().is_empty()
}

/// Finds the fenced code blocks; returns, per line, whether it belongs to one.
fn scan_fences(lines: &[&str]) -> (Vec<bool>, Vec<Fence>) {
    let mut in_fence = vec![false; lines.len()];
    let mut fences = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((ch, len, info)) = opening_fence(lines[i]) else {
            i += 1;
            continue;
        };
        let open = i;
        let close = (open + 1..lines.len()).find(|&j| closes_fence(lines[j], ch, len));
        let end = close.unwrap_or(lines.len() - 1);
        in_fence[open..=end].fill(true);
        let content_end = close.unwrap_or(lines.len());
        fences.push(Fence {
            open_line: open + 1,
            close_line: close.map(|c| c + 1),
            lang: info.split_whitespace().next().unwrap_or("").to_string(),
            content: lines[open + 1..content_end].join("\n"),
        });
        i = end + 1;
    }
    (in_fence, fences)
}

/// Parses an ATX heading (at most three spaces of indentation, as in CommonMark).
fn parse_heading(line_no: usize, line: &str) -> Option<Heading> {
    static ATX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$").expect("valid regex")
    });
    static CLOSING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|[ \t]+)#+$").expect("valid regex"));
    static ATTRS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[ \t]*\{([^{}]*)\}$").expect("valid regex"));
    let cap = ATX.captures(line)?;
    let level = cap[1].len();
    let raw = cap.get(2).map_or("", |m| m.as_str());
    let mut text = CLOSING.replace(raw, "").into_owned();
    let mut explicit_id = None;
    if let Some(attrs) = ATTRS.captures(&text) {
        explicit_id = attrs[1]
            .split_whitespace()
            .find_map(|t| t.strip_prefix('#'))
            .map(str::to_string);
        let start = attrs.get(0).map_or(text.len(), |m| m.start());
        text.truncate(start);
    }
    Some(Heading {
        line: line_no,
        level,
        text: text.trim().to_string(),
        explicit_id,
    })
}

/// The byte ranges of inline code spans in one line (backtick runs of equal length).
fn code_spans(line: &str) -> Vec<(usize, usize)> {
    let bytes = line.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i] == b'`' {
            i += 1;
        }
        let run = i - start;
        // Find a closing run of exactly the same length.
        let mut j = i;
        let mut close = None;
        while j < bytes.len() {
            if bytes[j] == b'`' {
                let s = j;
                while j < bytes.len() && bytes[j] == b'`' {
                    j += 1;
                }
                if j - s == run {
                    close = Some(j);
                    break;
                }
            } else {
                j += 1;
            }
        }
        if let Some(end) = close {
            spans.push((start, end));
            i = end;
        }
    }
    spans
}

/// Blanks fenced code, code spans and HTML comments (see [`Page::masked`]).
fn mask(text: &str, in_fence: &[bool]) -> String {
    let mut hidden = vec![false; text.len()];
    let mut offset = 0;
    for (i, raw_line) in text.split('\n').enumerate() {
        let len = raw_line.len();
        if in_fence.get(i).copied().unwrap_or(false) {
            hidden[offset..offset + len].fill(true);
        } else {
            for (s, e) in code_spans(raw_line) {
                hidden[offset + s..offset + e].fill(true);
            }
        }
        offset += len + 1;
    }
    // HTML comments, which may span lines; a `<!--` inside code was already hidden.
    let mut from = 0;
    while let Some(start) = find_visible(text, &hidden, "<!--", from) {
        let end = text[start + 4..]
            .find("-->")
            .map_or(text.len(), |e| start + 4 + e + 3);
        hidden[start..end].fill(true);
        from = end;
    }
    text.char_indices()
        .flat_map(|(i, c)| {
            let blank = hidden[i] && c != '\n';
            let (ch, n) = if blank { (' ', c.len_utf8()) } else { (c, 1) };
            std::iter::repeat_n(ch, n)
        })
        .collect()
}

/// The first occurrence of `needle` at or after `from` whose first byte is not hidden.
fn find_visible(text: &str, hidden: &[bool], needle: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(pos) = text.get(at..)?.find(needle) {
        let abs = at + pos;
        if !hidden[abs] {
            return Some(abs);
        }
        at = abs + needle.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_hide_headings_and_track_lines() {
        let text = "# Title\n\n```rust\n## not a heading\n```\n\n~~~~\n```\n~~~~\n## Real\n";
        let page = Page::new(text);
        let titles: Vec<_> = page
            .headings
            .iter()
            .map(|h| (h.line, h.text.as_str()))
            .collect();
        assert_eq!(titles, [(1, "Title"), (10, "Real")]);
        assert_eq!(page.fences.len(), 2);
        assert_eq!(page.fences[0].lang, "rust");
        assert_eq!(page.fences[0].close_line, Some(5));
        assert_eq!(page.fences[1].content, "```");
    }

    #[test]
    fn unclosed_fence_runs_to_the_end() {
        let page = Page::new("```mermaid\nflowchart LR\n## Hidden\n");
        assert!(page.headings.is_empty());
        assert_eq!(page.fences[0].close_line, None);
    }

    #[test]
    fn mask_keeps_offsets_and_hides_code() {
        let text = "a `[x](y)` b <!-- [c](d)\n --> é ```z``` [e](f)\n";
        let masked = mask(text, &[false, false, false]);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("[x](y)"));
        assert!(!masked.contains("[c](d)"));
        assert!(masked.contains("[e](f)"));
        assert!(masked.contains('é'));
    }

    #[test]
    fn heading_attributes_and_closing_hashes() {
        let h = parse_heading(3, "## Token bucket {#bucket .x} ").expect("heading");
        assert_eq!(h.text, "Token bucket");
        assert_eq!(h.explicit_id.as_deref(), Some("bucket"));
        let h = parse_heading(1, "### Done ###").expect("heading");
        assert_eq!((h.level, h.text.as_str()), (3, "Done"));
        assert!(parse_heading(1, "#hashtag").is_none());
        assert!(parse_heading(1, "    # indented code").is_none());
    }

    #[test]
    fn page_ids_dedupe_like_mdbook() {
        let page = Page::new("# A\n## Notes\n## Notes\n## Notes-1\n<span id=\"x\"></span>\n");
        let ids = page.ids();
        for id in ["a", "notes", "notes-1", "notes-1-1", "x"] {
            assert!(ids.contains(id), "{id} missing from {ids:?}");
        }
    }
}
