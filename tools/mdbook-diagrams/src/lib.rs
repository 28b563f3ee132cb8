//! The book's diagrams, drawn at build time.
//!
//! `cargo xtask diagrams` draws every ```` ```mermaid ```` block of the book with the vendored
//! mermaid in headless Chromium, once with mermaid's `default` theme and once with its `dark`
//! theme, and stores the two SVGs in [`CACHE_DIR`] under the hash of the block's source. The
//! `mdbook-diagrams` preprocessor then swaps each block whose two drawings are cached for a
//! `<figure class="diagram">` with an image of each ([`figure_html`] says why images), and the
//! book's stylesheet shows the one that matches the reader's theme. A block that is not drawn yet is left for mdbook-mermaid, which draws it in
//! the browser.
//!
//! This library is what the preprocessor and the xtask share, so they cannot disagree on what a
//! mermaid block is, what its source is, or where its drawings live.

use std::path::{Path, PathBuf};

pub mod quiz_lazy;

/// Where the drawings live, relative to the book root: under `src/`, so mdBook copies them into
/// the built book beside the pages, at [`URL_DIR`].
pub const CACHE_DIR: &str = "src/diagrams";

/// Where the drawings are in the built book, relative to its root.
pub const URL_DIR: &str = "diagrams";

/// The two drawings of every diagram, in this order.
pub const VARIANTS: [Variant; 2] = [Variant::Light, Variant::Dark];

/// One drawing of a diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Drawn with mermaid's `default` theme, shown in mdBook's light and rust themes and in print.
    Light,
    /// Drawn with mermaid's `dark` theme, shown in mdBook's coal, navy and ayu themes.
    Dark,
}

impl Variant {
    /// `light` or `dark`: the file suffix and the CSS class suffix.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Light => "light",
            Variant::Dark => "dark",
        }
    }

    /// The mermaid theme that draws this variant.
    pub fn mermaid_theme(self) -> &'static str {
        match self {
            Variant::Light => "default",
            Variant::Dark => "dark",
        }
    }
}

/// The stable hash of a diagram's source: FNV-1a, 64 bits, as 16 hex digits.
///
/// std's `DefaultHasher` may change between Rust releases, which would orphan every cached
/// drawing; FNV-1a is fixed by its definition.
pub fn source_hash(source: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in source.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The id of a drawing's root `<svg>`: unique per diagram and variant, so mermaid's CSS (which
/// it scopes by that id) never leaks between the two variants or between diagrams on one page
/// (the print page holds every diagram of the book).
pub fn svg_id(hash: &str, variant: Variant) -> String {
    format!("d{hash}-{}", variant.name())
}

/// The cache file of one drawing: `<root>/src/diagrams/<hash>.<variant>.svg`.
pub fn cache_path(root: &Path, hash: &str, variant: Variant) -> PathBuf {
    root.join(CACHE_DIR)
        .join(format!("{hash}.{}.svg", variant.name()))
}

/// A ```` ```mermaid ```` (or `~~~mermaid`) fenced code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// 0-based index of the opening fence line.
    pub open: usize,
    /// 0-based index of the closing fence line.
    pub close: usize,
    /// What precedes the fence characters on the opening line: indentation, blockquote markers.
    pub prefix: String,
    /// The diagram's source: the lines between the fences, without the fence's indentation or
    /// blockquote markers and without carriage returns, joined with `\n`.
    pub source: String,
}

impl Block {
    /// [`source_hash`] of the block's source.
    pub fn hash(&self) -> String {
        source_hash(&self.source)
    }
}

/// The lines of `text` without their terminators (`\n` or `\r\n`).
fn lines(text: &str) -> Vec<&str> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect()
}

/// Splits a line into its container prefix (indentation and blockquote markers) and the rest.
fn split_prefix(line: &str) -> (&str, &str) {
    let mut rest = line.trim_start();
    while let Some(after) = rest.strip_prefix('>') {
        rest = after.trim_start();
    }
    line.split_at(line.len() - rest.len())
}

/// An opening fence: its prefix, fence character, run length and info string.
fn opening_fence(line: &str) -> Option<(&str, char, usize, &str)> {
    let (prefix, rest) = split_prefix(line);
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|c| *c == ch).count();
    let info = rest[len..].trim();
    // A backtick run followed by more backticks on the line is an inline code span, not a fence.
    (len >= 3 && !(ch == '`' && info.contains('`'))).then_some((prefix, ch, len, info))
}

/// Whether `line` closes a fence opened with `len` × `ch`.
fn closes_fence(line: &str, ch: char, len: usize) -> bool {
    let (_, rest) = split_prefix(line);
    let run = rest.chars().take_while(|c| *c == ch).count();
    run >= len && rest[run..].trim().is_empty()
}

/// A content line without the fence's container prefix: blockquote markers as many as the
/// opening line had, indentation up to the opening line's.
fn strip_container<'a>(line: &'a str, prefix: &str) -> &'a str {
    let quotes = prefix.matches('>').count();
    let mut rest = line;
    for _ in 0..quotes {
        let trimmed = rest.trim_start();
        match trimmed.strip_prefix('>') {
            Some(after) => rest = after.strip_prefix(' ').unwrap_or(after),
            None => break,
        }
    }
    let indent = prefix.rsplit('>').next().unwrap_or("");
    let indent = if quotes > 0 {
        indent.len().saturating_sub(1)
    } else {
        indent.len()
    };
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    &rest[spaces.min(indent)..]
}

/// Every closed mermaid fenced block of a markdown page, in order. Fences nested in a longer
/// fence (a page showing mermaid source inside a ```` ````markdown ```` block) are code, not
/// diagrams, and an unclosed fence is not a diagram either.
pub fn mermaid_blocks(text: &str) -> Vec<Block> {
    let lines = lines(text);
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((prefix, ch, len, info)) = opening_fence(lines[i]) else {
            i += 1;
            continue;
        };
        let Some(close) = (i + 1..lines.len()).find(|&j| closes_fence(lines[j], ch, len)) else {
            break;
        };
        if info.split_whitespace().next() == Some("mermaid") {
            let source = lines[i + 1..close]
                .iter()
                .map(|line| strip_container(line, prefix))
                .collect::<Vec<_>>()
                .join("\n");
            blocks.push(Block {
                open: i,
                close,
                prefix: prefix.to_string(),
                source,
            });
        }
        i = close + 1;
    }
    blocks
}

/// `text` with each mermaid block for which `draw` returns HTML replaced by that HTML, on one line
/// after the block's prefix and followed by an empty line (a raw HTML block ends at a blank line,
/// so what follows, a caption say, is markdown again). Other lines are kept byte for byte.
pub fn replace_blocks(text: &str, mut draw: impl FnMut(&Block) -> Option<String>) -> String {
    let blocks = mermaid_blocks(text);
    if blocks.is_empty() {
        return text.to_string();
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let raw: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len());
    let mut next = 0;
    for block in &blocks {
        let Some(html) = draw(block) else {
            continue;
        };
        out.extend(raw[next..block.open].iter().copied());
        let blank = block.prefix.trim_end();
        out.push_str(&format!("{}{html}{newline}{blank}{newline}", block.prefix));
        next = block.close + 1;
        // The closing fence's own terminator is replaced by ours; at the end of a file without
        // a final newline there is none to keep.
    }
    out.extend(raw[next.min(raw.len())..].iter().copied());
    out
}

/// The figure that replaces a drawn block: an image of each drawing, the stylesheet showing the
/// one that matches the reader's theme.
///
/// Images, not the SVG inline: a chapter holds five to nine diagrams, and inline they were more
/// than half of its HTML (250 KB of 430 KB on chapter 20), all of it parsed and laid out before a
/// phone could show the page, in both variants. As images, the page reserves each drawing's space
/// from its `width`/`height` (no layout shift), and the browser fetches a drawing only when it
/// nears the screen, and only the reader's theme's variant (a hidden image is not fetched).
/// `alt` carries the diagram's title and description (mermaid's `accTitle`/`accDescr`); the
/// caption under the figure is the page's own text.
pub fn figure_html(hash: &str, light: &Drawing, dark: &Drawing, to_root: &str) -> String {
    let image = |variant: Variant, drawing: &Drawing| {
        format!(
            "<img class=\"diagram-{name}\" src=\"{to_root}{URL_DIR}/{hash}.{name}.svg\" width=\"{w}\" height=\"{h}\" alt=\"{alt}\" loading=\"lazy\" decoding=\"async\">",
            name = variant.name(),
            w = drawing.width,
            h = drawing.height,
            alt = light.alt,
        )
    };
    format!(
        "<figure class=\"diagram\">{}{}</figure>",
        image(Variant::Light, light),
        image(Variant::Dark, dark)
    )
}

/// What a page needs to show a drawing as an image: its size and its text alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawing {
    /// Width in CSS pixels, from the SVG's `viewBox`, rounded up.
    pub width: u32,
    /// Height in CSS pixels, from the SVG's `viewBox`, rounded up.
    pub height: u32,
    /// The SVG's `<title>` and `<desc>`, joined, escaped for an HTML attribute.
    pub alt: String,
}

impl Drawing {
    /// Reads size and text from mermaid's SVG; None when it has no usable `viewBox`.
    pub fn from_svg(svg: &str) -> Option<Self> {
        let view_box = attribute(svg, "viewBox")?;
        let numbers: Vec<f64> = view_box
            .split([' ', ','])
            .filter(|part| !part.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let [_, _, width, height] = numbers[..] else {
            return None;
        };
        if !(width > 0.0 && height > 0.0 && width < 1e5 && height < 1e5) {
            return None;
        }
        let text: Vec<String> = ["title", "desc"]
            .iter()
            .filter_map(|tag| element_text(svg, tag))
            .map(|text| {
                xml_unescape(&text)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|text| !text.is_empty())
            .collect();
        Some(Self {
            width: width.ceil() as u32,
            height: height.ceil() as u32,
            alt: attribute_escape(&text.join(". ")),
        })
    }
}

/// The value of `name="…"` on the first tag of `svg` that has it.
fn attribute(svg: &str, name: &str) -> Option<String> {
    let start = svg.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + svg[start..].find('"')?;
    Some(svg[start..end].to_string())
}

/// The text of the first `<tag …>…</tag>` of `svg`.
fn element_text(svg: &str, tag: &str) -> Option<String> {
    let open = svg.find(&format!("<{tag}"))?;
    let start = open + svg[open..].find('>')? + 1;
    let end = start + svg[start..].find(&format!("</{tag}>"))?;
    Some(svg[start..end].to_string())
}

/// XML's escapes in text back to characters: the five named ones and numeric references.
fn xml_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text made safe inside a double-quoted HTML attribute.
fn attribute_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The figure for `block` when both its drawings are cached under `root`; `to_root` leads from
/// the page to the book's root (`""` for a page at the top, `"../"` one folder down).
pub fn cached_figure(root: &Path, block: &Block, to_root: &str) -> Option<String> {
    let hash = block.hash();
    let read = |variant| {
        let svg = std::fs::read_to_string(cache_path(root, &hash, variant)).ok()?;
        Drawing::from_svg(&svg)
    };
    Some(figure_html(
        &hash,
        &read(Variant::Light)?,
        &read(Variant::Dark)?,
        to_root,
    ))
}

/// The way from a page (`case-studies/x.md`) to the book's root (`../`).
pub fn path_to_root(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace_all(text: &str) -> String {
        replace_blocks(text, |block| {
            Some(format!("<figure>{}</figure>", block.hash()))
        })
    }

    #[test]
    fn hash_is_fnv1a_64() {
        // Reference values of FNV-1a 64.
        assert_eq!(source_hash(""), "cbf29ce484222325");
        assert_eq!(source_hash("a"), "af63dc4c8601ec8c");
    }

    #[test]
    fn replaces_a_backtick_block_and_keeps_the_rest() {
        let text = "Before.\n\n```mermaid\nflowchart LR\n    A --> B\n```\n*Caption.*\n";
        let hash = source_hash("flowchart LR\n    A --> B");
        assert_eq!(
            replace_all(text),
            format!("Before.\n\n<figure>{hash}</figure>\n\n*Caption.*\n")
        );
    }

    #[test]
    fn tilde_fences_and_info_strings() {
        let text = "~~~mermaid title\nflowchart LR\n~~~\n\n~~~ rust\nfn main() {}\n~~~\n";
        let blocks = mermaid_blocks(text);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].source, "flowchart LR");
        assert!(replace_all(text).ends_with("\n~~~ rust\nfn main() {}\n~~~\n"));
    }

    #[test]
    fn indented_fence_keeps_its_indentation() {
        let text = "1. A step:\n\n   ```mermaid\n   flowchart LR\n     A --> B\n   ```\n2. Next\n";
        let blocks = mermaid_blocks(text);
        assert_eq!(blocks[0].source, "flowchart LR\n  A --> B");
        let hash = blocks[0].hash();
        assert_eq!(
            replace_all(text),
            format!("1. A step:\n\n   <figure>{hash}</figure>\n\n2. Next\n")
        );
    }

    #[test]
    fn blockquote_fence_keeps_its_markers() {
        let text = "> ```mermaid\n> flowchart LR\n> ```\n";
        let hash = source_hash("flowchart LR");
        assert_eq!(replace_all(text), format!("> <figure>{hash}</figure>\n>\n"));
    }

    #[test]
    fn a_mermaid_fence_inside_another_code_block_is_code() {
        let text = "````markdown\n```mermaid\nflowchart LR\n```\n````\n";
        assert!(mermaid_blocks(text).is_empty());
        assert_eq!(replace_all(text), text);
        let tildes = "~~~\n```mermaid\nflowchart LR\n```\n~~~\n";
        assert_eq!(replace_all(tildes), tildes);
    }

    #[test]
    fn crlf_sources_hash_like_lf_and_keep_crlf() {
        let crlf = "Text\r\n```mermaid\r\nflowchart LR\r\n  A --> B\r\n```\r\nAfter\r\n";
        let lf = crlf.replace("\r\n", "\n");
        assert_eq!(mermaid_blocks(crlf), mermaid_blocks(&lf));
        let hash = source_hash("flowchart LR\n  A --> B");
        assert_eq!(
            replace_all(crlf),
            format!("Text\r\n<figure>{hash}</figure>\r\n\r\nAfter\r\n")
        );
    }

    #[test]
    fn multiple_blocks_only_drawn_ones_replaced() {
        let text = "```mermaid\nA\n```\nmid\n```mermaid\nB\n```\nend\n```mermaid\nC\n```";
        let out = replace_blocks(text, |block| {
            (block.source != "B").then(|| format!("<{}>", block.source))
        });
        assert_eq!(out, "<A>\n\nmid\n```mermaid\nB\n```\nend\n<C>\n\n");
    }

    #[test]
    fn unclosed_fence_is_left_alone() {
        let text = "```mermaid\nflowchart LR\n";
        assert!(mermaid_blocks(text).is_empty());
        assert_eq!(replace_all(text), text);
    }

    #[test]
    fn a_drawing_gives_its_size_and_its_title_and_description_as_alt() {
        let svg = "<svg aria-roledescription=\"flowchart-v2\" viewBox=\"-8 -8 714.5 763\" style=\"max-width: 714.5px;\"><title id=\"t\">Caches &amp; \"stale\"\nreads</title><desc id=\"d\">A &lt;b&gt; &#233;</desc><g></g></svg>";
        let drawing = Drawing::from_svg(svg).expect("a viewBox");
        assert_eq!((drawing.width, drawing.height), (715, 763));
        assert_eq!(
            drawing.alt,
            "Caches &amp; &quot;stale&quot; reads. A &lt;b&gt; é"
        );
    }

    #[test]
    fn a_drawing_without_a_usable_view_box_is_not_shown_as_an_image() {
        assert_eq!(Drawing::from_svg("<svg><title>x</title></svg>"), None);
        assert_eq!(Drawing::from_svg("<svg viewBox=\"0 0 -1 5\"></svg>"), None);
        assert_eq!(Drawing::from_svg("<svg viewBox=\"0 0 a b\"></svg>"), None);
    }

    #[test]
    fn the_figure_points_at_both_drawings_from_the_page() {
        let drawing = Drawing {
            width: 10,
            height: 20,
            alt: "T. D".to_string(),
        };
        let html = figure_html(
            "abc",
            &drawing,
            &drawing,
            &path_to_root("case-studies/x.md"),
        );
        assert!(html.contains("<img class=\"diagram-light\" src=\"../diagrams/abc.light.svg\" width=\"10\" height=\"20\" alt=\"T. D\" loading=\"lazy\""));
        assert!(html.contains("src=\"../diagrams/abc.dark.svg\""));
        assert!(
            !html.contains('\n'),
            "a raw HTML block must stay on one line"
        );
        assert_eq!(path_to_root("ch01-scalability.md"), "");
    }
}
