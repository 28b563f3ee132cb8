//! `cargo xtask diagrams`: draws the book's mermaid diagrams at build time.
//!
//! Every ```` ```mermaid ```` block of every page in `SUMMARY.md` is drawn by the vendored mermaid
//! (`theme/mermaid/mermaid.min.js`) in headless Chromium, so it looks exactly as mermaid draws it,
//! twice: with mermaid's `default` theme and with its `dark` theme. The SVGs go to
//! `src/diagrams/<hash>.light.svg` and `.dark.svg`, where `<hash>` is the hash of the block's
//! source; the `mdbook-diagrams` preprocessor puts them into the pages. Only diagrams whose drawings
//! are missing are drawn (a book whose diagrams did not change needs no Chromium), and drawings no
//! diagram uses any more are deleted. Commit `src/diagrams/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use mdbook_diagrams::{CACHE_DIR, VARIANTS, Variant, cache_path, mermaid_blocks, svg_id};
use regex::Regex;
use serde_json::{Value, json};

use crate::browser::server::StaticServer;
use crate::browser::{browser_paths, webdriver::ChromeDriver, webdriver::Session};
use crate::summary;

/// How long one drawing may take.
const DRAW_TIMEOUT: Duration = Duration::from_secs(30);

/// The page Chromium draws on: mermaid and nothing else.
const DRAW_PAGE: &str = "<!doctype html>
<html lang=\"en\"><head><meta charset=\"utf-8\"><title>diagrams</title>
<script src=\"mermaid.min.js\"></script></head><body></body></html>
";

/// A diagram of the book: where it first appears (for messages) and its source.
struct Diagram {
    page: PathBuf,
    line: usize,
    source: String,
}

/// Every mermaid diagram of the pages `SUMMARY.md` lists, by source hash.
fn collect(root: &Path) -> Result<BTreeMap<String, Diagram>> {
    let mut pages: Vec<PathBuf> = summary::written_chapters(root)?
        .into_iter()
        .map(|entry| PathBuf::from(entry.path))
        .collect();
    pages.extend(summary::other_pages(root)?);
    let mut diagrams = BTreeMap::new();
    for page in pages {
        let path = root.join("src").join(&page);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        for block in mermaid_blocks(&text) {
            diagrams.entry(block.hash()).or_insert(Diagram {
                page: Path::new("src").join(&page),
                line: block.open + 1,
                source: block.source,
            });
        }
    }
    Ok(diagrams)
}

/// Draws the diagrams whose drawings are missing and deletes the drawings nothing uses.
pub fn run(root: &Path) -> Result<()> {
    let diagrams = collect(root)?;
    let missing: Vec<(&String, &Diagram)> = diagrams
        .iter()
        .filter(|(hash, _)| {
            VARIANTS
                .iter()
                .any(|variant| !cache_path(root, hash, *variant).is_file())
        })
        .collect();
    if !missing.is_empty() {
        draw(root, &missing)?;
    }
    let removed = remove_unused(root, &diagrams)?;
    println!(
        "xtask diagrams: {} diagram(s), {} drawn now, {} unused drawing(s) removed; commit {CACHE_DIR}/",
        diagrams.len(),
        missing.len(),
        removed
    );
    Ok(())
}

/// Draws `missing` in headless Chromium and writes both variants of each.
fn draw(root: &Path, missing: &[(&String, &Diagram)]) -> Result<()> {
    let (chromium, chromedriver) = browser_paths()
        .map_err(|missing| anyhow!("drawing diagrams needs headless Chromium: {missing}"))?;
    let page_dir = std::env::temp_dir().join(format!("sdm-diagrams-{}", std::process::id()));
    std::fs::create_dir_all(&page_dir)?;
    std::fs::write(page_dir.join("index.html"), DRAW_PAGE)?;
    std::fs::copy(
        root.join("theme/mermaid/mermaid.min.js"),
        page_dir.join("mermaid.min.js"),
    )
    .context("copying theme/mermaid/mermaid.min.js")?;
    let result = (|| {
        let server = StaticServer::start(&page_dir)?;
        let driver = ChromeDriver::start(&chromedriver)?;
        let session = driver.new_session(&chromium)?;
        session.goto(&server.url("index.html"))?;
        std::fs::create_dir_all(root.join(CACHE_DIR))?;
        for (hash, diagram) in missing {
            for variant in VARIANTS {
                let svg =
                    draw_one(&session, hash, variant, &diagram.source).with_context(|| {
                        format!(
                            "{}:{}: mermaid could not draw this diagram",
                            diagram.page.display(),
                            diagram.line
                        )
                    })?;
                std::fs::write(cache_path(root, hash, variant), svg)?;
            }
            println!(
                "xtask diagrams: drew {}:{} ({hash})",
                diagram.page.display(),
                diagram.line
            );
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&page_dir);
    result
}

/// One drawing: mermaid's `render` with the variant's theme, then [`scope_ids`].
///
/// Labels are SVG text (`htmlLabels: false`), not HTML in a `<foreignObject>`: mdBook re-serializes
/// the raw HTML of a page and adds line breaks around `<div>` and `<p>`, which mermaid's HTML labels
/// (`white-space: break-spaces`) would show as blank lines, clipping the label. SVG text also
/// prints the same everywhere.
fn draw_one(session: &Session, hash: &str, variant: Variant, source: &str) -> Result<String> {
    let id = svg_id(hash, variant);
    session.execute(
        "const [id, theme, source] = arguments;
         window.sdmDrawn = null;
         mermaid.initialize({ startOnLoad: false, theme, securityLevel: 'strict', htmlLabels: false, flowchart: { htmlLabels: false } });
         mermaid.render(id, source).then(
             (result) => { window.sdmDrawn = { svg: result.svg }; },
             (error) => { window.sdmDrawn = { error: String(error && error.message || error) }; });",
        &[json!(id), json!(variant.mermaid_theme()), json!(source)],
    )?;
    let start = Instant::now();
    loop {
        let drawn = session.execute("return window.sdmDrawn;", &[])?;
        if let Some(error) = drawn["error"].as_str() {
            bail!("{error}");
        }
        if let Some(svg) = drawn["svg"].as_str() {
            if svg.contains("Syntax error in text") {
                bail!("mermaid drew its syntax-error image");
            }
            return Ok(scope_ids(svg, &id));
        }
        if drawn != Value::Null || start.elapsed() > DRAW_TIMEOUT {
            bail!("no drawing after {DRAW_TIMEOUT:?}: {drawn}");
        }
        sleep(Duration::from_millis(50));
    }
}

/// Prefixes with the SVG's own id every id inside it that does not already contain it (some
/// diagram types name their arrowhead markers `arrowhead`, the same in every diagram), and the
/// references to them, so the light and the dark drawing (and every diagram of the print page)
/// can share a document: `url(#arrowhead)` would otherwise pick whichever came first, possibly
/// in a hidden variant.
pub fn scope_ids(svg: &str, root_id: &str) -> String {
    static ID: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"\sid="([^"]+)""#).expect("valid regex"));
    let mut out = svg.to_string();
    let ids: Vec<String> = ID
        .captures_iter(svg)
        .map(|c| c[1].to_string())
        .filter(|id| !id.contains(root_id))
        .collect();
    for id in ids {
        let scoped = format!("{root_id}-{id}");
        let escaped = regex::escape(&id);
        // The id itself, `url(#id)`, `href="#id"` and `xlink:href="#id"`, and id lists in
        // `aria-labelledby` / `aria-describedby`.
        let patterns = [
            (
                format!(r#"(\sid=")({escaped})(")"#),
                format!("${{1}}{scoped}${{3}}"),
            ),
            (
                format!(r"(url\(#)({escaped})(\))"),
                format!("${{1}}{scoped}${{3}}"),
            ),
            (
                format!(r##"(href="#)({escaped})(")"##),
                format!("${{1}}{scoped}${{3}}"),
            ),
            (
                format!(
                    r#"(aria-(?:labelledby|describedby)="(?:[^"]*\s)?)({escaped})((?:\s[^"]*)?")"#
                ),
                format!("${{1}}{scoped}${{3}}"),
            ),
        ];
        for (pattern, replacement) in patterns {
            let regex = Regex::new(&pattern).expect("valid regex");
            out = regex.replace_all(&out, replacement.as_str()).into_owned();
        }
    }
    out
}

/// Deletes the drawings in the cache that no diagram uses; returns how many.
fn remove_unused(root: &Path, diagrams: &BTreeMap<String, Diagram>) -> Result<usize> {
    let dir = root.join(CACHE_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(0);
    };
    let mut removed = 0;
    for entry in entries {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let hash = VARIANTS
            .iter()
            .find_map(|variant| name.strip_suffix(&format!(".{}.svg", variant.name())));
        if let Some(hash) = hash
            && !diagrams.contains_key(hash)
        {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_ids_prefixes_shared_ids_and_their_references() {
        let svg = r##"<svg id="d1-light" aria-labelledby="chart-title-d1-light"><title id="chart-title-d1-light">T</title><marker id="arrowhead"/><line marker-end="url(#arrowhead)"/><use href="#arrowhead"/></svg>"##;
        assert_eq!(
            scope_ids(svg, "d1-light"),
            r##"<svg id="d1-light" aria-labelledby="chart-title-d1-light"><title id="chart-title-d1-light">T</title><marker id="d1-light-arrowhead"/><line marker-end="url(#d1-light-arrowhead)"/><use href="#d1-light-arrowhead"/></svg>"##
        );
    }
}
