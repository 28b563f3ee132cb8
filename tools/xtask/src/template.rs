//! `theme/index.hbs`: mdBook's own page template with six edits that let a chapter page paint at
//! once on a phone, written by `cargo xtask` before every build. It is generated, never edited by
//! hand, and not committed (`.gitignore`).
//!
//! Why a template at all: mdBook 0.5.4 writes seven `<link rel="stylesheet">` tags and a
//! synchronous `<script src="toc.js">` into every page's `<head>`, and neither a preprocessor nor
//! `additional-css`/`additional-js` can reach the head. Each of those is a request the browser must
//! finish before it paints anything: under Lighthouse's mobile preset (simulated slow 4G) they held
//! the first paint back by about a second. Why generated: a hand-kept copy of mdBook's template
//! drifts from the mdBook it runs with. So the template comes from the installed mdBook itself
//! (`mdbook init --theme` into a temporary folder) and each edit below must find its target exactly
//! as often as it expects, or the build stops and names the edit: an mdBook upgrade that changes
//! the template fails loudly instead of quietly losing a fix.
//!
//! The edits ([`EDITS`]), in the order they are applied:
//! 1. `inline-stylesheets`: mdBook's core stylesheets (variables, general, chrome, fonts and the
//!    three highlight themes) become `<style>` elements in the page, so nothing blocks the first
//!    paint; `{{ resource "…" }}` inside them (font URLs) is mdBook's own helper, which resolves it
//!    per page. The highlight themes keep their ids, because book.js switches them with `.disabled`,
//!    which `<style>` elements have too. The print stylesheet stays a link: it is `media="print"`.
//! 2. `inline-additional-css`: the same for `additional-css` of book.toml (the book's own styles),
//!    which must be there at first paint: they pick the drawn diagram of the reader's theme.
//! 3. `toc-script-after-content`: the script that fills the sidebar moves from the head to the end
//!    of the body, before book.js (which reads the sidebar's links), so it no longer blocks the page.
//! 4. `lazy-highlighting`: `theme/lazy-highlight.js` takes highlight.js's place before book.js: it
//!    loads highlight.js when the first code block nears the screen and highlights blocks as they
//!    do, instead of every block at load.
//! 5. `paint-after-content`: the page asks Chromium (`<link rel="expect" blocking="render">`) to
//!    paint once the chapter's content is parsed, not before. Left alone it paints a partial page
//!    and then lays the page out again after every chunk of HTML it parses: four to six layout
//!    passes of 30–50 ms each on this kind of machine (unthrottled), every one a stretch in which
//!    the page cannot answer a tap, which Lighthouse's mobile preset counted as 100–300 ms of Total
//!    Blocking Time on every chapter. Laid out once, the page paints about 0.3–0.5 s later in that
//!    simulation (LCP 1.2–1.5 s became 1.6–1.8 s) and then does not stall. Browsers without
//!    `rel="expect"` ignore it, and a page without the marker paints when it is parsed.
//! 6. `sidebar-toggle-button`: mdBook's sidebar toggle is a `<label>` that book.js gives
//!    `aria-expanded`, which a label may not carry; it becomes a `<button>`, and
//!    `theme/a11y.js` makes it toggle the sidebar as the label did.
//!
//! `cargo xtask serve` writes the template again when one of the files inlined into it changes,
//! and `mdbook serve` then rebuilds the book as it does for any theme change.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use regex::{Captures, Regex};

/// Where mdBook looks for a page template that replaces its own.
pub const TEMPLATE: &str = "theme/index.hbs";

/// The script inlined by `lazy-highlighting`.
pub const LAZY_HIGHLIGHT_JS: &str = "theme/lazy-highlight.js";

/// One edit of mdBook's template: a name for error messages, and how it is applied.
pub struct Edit {
    pub name: &'static str,
    apply: fn(&str, &Inputs) -> Result<String>,
}

/// Reads a stylesheet by the name mdBook's template gives it (`css/chrome.css`, `fonts/fonts.css`,
/// `highlight.css`): the book's `theme/` copy when it has one, else mdBook's.
pub type ThemeFileReader = Box<dyn Fn(&str) -> Result<String>>;

/// What the edits read besides the template: the stylesheets and scripts they inline.
pub struct Inputs {
    /// Where the stylesheets come from.
    pub read_theme_file: ThemeFileReader,
    /// The book's `additional-css` files, each as (name, contents).
    pub additional_css: Vec<(String, String)>,
    /// The contents of [`LAZY_HIGHLIGHT_JS`].
    pub lazy_highlight_js: String,
}

/// The edits, in the order they are applied.
pub const EDITS: [Edit; 6] = [
    Edit {
        name: "inline-stylesheets",
        apply: inline_stylesheets,
    },
    Edit {
        name: "inline-additional-css",
        apply: inline_additional_css,
    },
    Edit {
        name: "toc-script-after-content",
        apply: toc_script_after_content,
    },
    Edit {
        name: "lazy-highlighting",
        apply: lazy_highlighting,
    },
    Edit {
        name: "paint-after-content",
        apply: paint_after_content,
    },
    Edit {
        name: "sidebar-toggle-button",
        apply: sidebar_toggle_button,
    },
];

/// Applies every edit to mdBook's template, failing with the edit's name when one does not fit.
pub fn edit_template(upstream: &str, inputs: &Inputs) -> Result<String> {
    let mut page = upstream.to_string();
    for edit in &EDITS {
        page = (edit.apply)(&page, inputs).with_context(|| {
            format!(
                "edit `{}` of mdBook's index.hbs (tools/xtask/src/template.rs) no longer fits \
                 the installed mdBook's template",
                edit.name
            )
        })?;
    }
    Ok(page)
}

/// A `<style>` element holding a stylesheet, refusing text that handlebars would misread: the
/// template is a handlebars file, and the only `{{` a stylesheet may hold is mdBook's
/// `{{ resource "…" }}`, which is meant to be expanded.
fn style_element(id: Option<&str>, name: &str, css: &str) -> Result<String> {
    let resource = Regex::new(r#"\{\{ resource "[^"{}]+" \}\}"#).expect("valid regex");
    let rest = resource.replace_all(css, "");
    if rest.contains("{{") || rest.contains("}}") || css.contains("</style") {
        bail!(
            "{name} holds `{{{{`, `}}}}` or `</style`, which cannot be inlined into the template"
        );
    }
    let id = id.map(|id| format!(" id=\"{id}\"")).unwrap_or_default();
    Ok(format!(
        "<style{id}>/* {name} */\n{}\n</style>",
        css.trim_end()
    ))
}

/// Replaces every match of `pattern` in `text` through `replace`, failing unless there are
/// `expected` matches (`None`: at least one).
fn replace_counted(
    text: &str,
    pattern: &str,
    expected: Option<usize>,
    mut replace: impl FnMut(&Captures) -> Result<String>,
) -> Result<String> {
    let regex = Regex::new(pattern).expect("valid regex");
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut found = 0;
    for captures in regex.captures_iter(text) {
        let whole = captures.get(0).expect("group 0 always matches");
        out.push_str(&text[last..whole.start()]);
        out.push_str(&replace(&captures)?);
        last = whole.end();
        found += 1;
    }
    out.push_str(&text[last..]);
    match expected {
        Some(n) if found != n => bail!("expected {n} match(es) of `{pattern}`, found {found}"),
        None if found == 0 => bail!("no match of `{pattern}`"),
        _ => Ok(out),
    }
}

fn inline_stylesheets(page: &str, inputs: &Inputs) -> Result<String> {
    // A stylesheet link with no `media` (the print one has `media="print"` and is left alone).
    let pattern =
        r#"<link rel="stylesheet"(?: id="([^"]+)")? href="\{\{ resource "([^"]+\.css)" \}\}">"#;
    replace_counted(page, pattern, None, |captures| {
        let id = captures.get(1).map(|m| m.as_str());
        let name = &captures[2];
        let css = (inputs.read_theme_file)(name)?;
        style_element(id, name, &css)
    })
}

fn inline_additional_css(page: &str, inputs: &Inputs) -> Result<String> {
    let pattern = r#"\{\{#each additional_css\}\}\s*<link rel="stylesheet" href="\{\{ resource this \}\}">\s*\{\{/each\}\}"#;
    replace_counted(page, pattern, Some(1), |_| {
        let styles = inputs
            .additional_css
            .iter()
            .map(|(name, css)| style_element(None, name, css))
            .collect::<Result<Vec<_>>>()?;
        Ok(styles.join("\n        "))
    })
}

fn toc_script_after_content(page: &str, _: &Inputs) -> Result<String> {
    let toc = r#"<script src="{{ resource "toc.js" }}"></script>"#;
    let without = replace_counted(
        page,
        r#"(?:<!-- Start loading toc\.js asap -->\s*)?<script src="\{\{ resource "toc\.js" \}\}"></script>"#,
        Some(1),
        |_| Ok(String::new()),
    )?;
    replace_counted(
        &without,
        r#"<script src="\{\{ resource "book\.js" \}\}"></script>"#,
        Some(1),
        |captures| {
            Ok(format!(
                "<!-- The sidebar's contents: after the page's, so they do not hold it back -->\n        \
                 {toc}\n        {}",
                &captures[0]
            ))
        },
    )
}

fn lazy_highlighting(page: &str, inputs: &Inputs) -> Result<String> {
    if inputs.lazy_highlight_js.contains("</script") {
        bail!("{LAZY_HIGHLIGHT_JS} holds `</script`, which cannot be inlined");
    }
    replace_counted(
        page,
        r#"<script src="\{\{ resource "highlight\.js" \}\}"></script>"#,
        Some(1),
        |_| {
            Ok(format!(
                "<script>\n\
                 const highlightJsUrl = '{{{{ resource \"highlight.js\" }}}}';\n{}\n        </script>",
                inputs.lazy_highlight_js.trim_end()
            ))
        },
    )
}

/// The id of the element after the chapter's content that the first paint waits for.
pub const CONTENT_END_ID: &str = "sdm-content-end";

fn paint_after_content(page: &str, _: &Inputs) -> Result<String> {
    let page = replace_counted(page, r#"<meta charset="UTF-8">"#, Some(1), |captures| {
        Ok(format!(
            "{}\n        <link rel=\"expect\" href=\"#{CONTENT_END_ID}\" blocking=\"render\">",
            &captures[0]
        ))
    })?;
    replace_counted(&page, r#"\{\{\{ content \}\}\}"#, Some(1), |captures| {
        Ok(format!(
            "{}\n                        <div id=\"{CONTENT_END_ID}\" hidden></div>",
            &captures[0]
        ))
    })
}

fn sidebar_toggle_button(page: &str, _: &Inputs) -> Result<String> {
    replace_counted(
        page,
        r#"(?s)<label id="mdbook-sidebar-toggle" class="icon-button" for="mdbook-sidebar-toggle-anchor"([^>]*)>(.*?)</label>"#,
        Some(1),
        |captures| {
            Ok(format!(
                r#"<button type="button" id="mdbook-sidebar-toggle" class="icon-button"{}>{}</button>"#,
                &captures[1], &captures[2]
            ))
        },
    )
}

/// mdBook's default theme, as the installed mdBook writes it: `mdbook init --theme` copies most of
/// it into a temporary book, and building that book writes the rest (mdBook 0.5.4 leaves two of
/// its highlight themes out of `init --theme`, and writes them only into a built book).
struct UpstreamTheme {
    dir: tempfile::TempDir,
}

impl UpstreamTheme {
    fn from_installed_mdbook() -> Result<Self> {
        let dir = tempfile::tempdir().context("could not create a temporary folder")?;
        let init = ["init", "--theme", "--title", "template", "--ignore", "none"];
        for args in [&init[..], &["build"]] {
            let output = Command::new("mdbook")
                .args(args)
                .current_dir(dir.path())
                .stdin(std::process::Stdio::null())
                .output()
                .with_context(|| {
                    format!(
                        "could not run `mdbook {}` (is mdbook installed?)",
                        args.join(" ")
                    )
                })?;
            if !output.status.success() {
                bail!(
                    "`mdbook {}` failed: {}",
                    args.join(" "),
                    String::from_utf8_lossy(&output.stderr)
                );
            }
        }
        Ok(Self { dir })
    }

    fn template(&self) -> Result<String> {
        let path = self.dir.path().join("theme/index.hbs");
        std::fs::read_to_string(&path)
            .with_context(|| format!("`mdbook init --theme` wrote no {}", path.display()))
    }

    /// A theme file by the name the template gives it: from the theme folder, else from the built
    /// book, where mdBook names it `stem-<8 hex digits>.ext`.
    fn file_path(&self, name: &str) -> Result<PathBuf> {
        let in_theme = self.dir.path().join("theme").join(name);
        if in_theme.exists() {
            return Ok(in_theme);
        }
        let built = self.dir.path().join("book").join(name);
        let (Some(folder), Some(stem), Some(ext)) = (
            built.parent(),
            built.file_stem().and_then(|s| s.to_str()),
            built.extension().and_then(|s| s.to_str()),
        ) else {
            bail!("`{name}` is not a file name");
        };
        let hashed = Regex::new(&format!(
            r"^{}-[0-9a-f]{{8}}\.{}$",
            regex::escape(stem),
            regex::escape(ext)
        ))
        .expect("valid regex");
        std::fs::read_dir(folder)
            .with_context(|| format!("could not list {}", folder.display()))?
            .flatten()
            .map(|entry| entry.path())
            .find(|path| {
                path.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| hashed.is_match(n))
            })
            .with_context(|| format!("mdBook's default theme has no `{name}`"))
    }
}

/// The files whose contents go into the template: when one of them changes, the template must be
/// written again.
pub fn inlined_sources(root: &Path) -> Result<Vec<PathBuf>> {
    let mut sources = vec![root.join(LAZY_HIGHLIGHT_JS), root.join("book.toml")];
    sources.extend(additional_css_paths(root)?);
    for dir in ["theme/css", "theme/fonts"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            sources.extend(
                entries
                    .flatten()
                    .map(|entry| entry.path())
                    .filter(|path| path.extension().is_some_and(|ext| ext == "css")),
            );
        }
    }
    for file in ["highlight.css", "tomorrow-night.css", "ayu-highlight.css"] {
        sources.push(root.join("theme").join(file));
    }
    Ok(sources)
}

/// The newest modification time among `paths` (missing files count as never modified).
pub fn newest_change(paths: &[PathBuf]) -> Option<SystemTime> {
    paths
        .iter()
        .filter_map(|path| std::fs::metadata(path).and_then(|m| m.modified()).ok())
        .max()
}

fn additional_css_paths(root: &Path) -> Result<Vec<PathBuf>> {
    let text =
        std::fs::read_to_string(root.join("book.toml")).context("could not read book.toml")?;
    let config: toml::Table = toml::from_str(&text).context("book.toml is not valid TOML")?;
    let names = config
        .get("output")
        .and_then(|output| output.get("html"))
        .and_then(|html| html.get("additional-css"))
        .and_then(|css| css.as_array())
        .map(|names| {
            names
                .iter()
                .filter_map(|name| name.as_str())
                .map(|name| root.join(name))
                .collect()
        })
        .unwrap_or_default();
    Ok(names)
}

/// Writes `theme/index.hbs` from the installed mdBook's template, when it differs from what is
/// there (so `mdbook serve` rebuilds only on a real change).
pub fn write(root: &Path) -> Result<()> {
    let upstream = UpstreamTheme::from_installed_mdbook()?;
    let template = upstream.template()?;
    let book_theme = root.join("theme");
    let read_theme_file = move |name: &str| -> Result<String> {
        let ours = book_theme.join(name);
        let path = if ours.exists() {
            ours
        } else {
            upstream.file_path(name)?
        };
        std::fs::read_to_string(&path).with_context(|| format!("could not read {}", path.display()))
    };
    let additional_css = additional_css_paths(root)?
        .into_iter()
        .map(|path| {
            let css = std::fs::read_to_string(&path)
                .with_context(|| format!("could not read {}", path.display()))?;
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            Ok((name, css))
        })
        .collect::<Result<Vec<_>>>()?;
    let lazy_highlight_js = std::fs::read_to_string(root.join(LAZY_HIGHLIGHT_JS))
        .with_context(|| format!("could not read {LAZY_HIGHLIGHT_JS}"))?;
    let inputs = Inputs {
        read_theme_file: Box::new(read_theme_file),
        additional_css,
        lazy_highlight_js,
    };
    let page = edit_template(&template, &inputs)?;
    let page = format!(
        "{{{{!-- Generated by `cargo xtask` (tools/xtask/src/template.rs) from mdBook's own \
         index.hbs; do not edit, it is written again before every build. --}}}}\n{page}"
    );
    let target = root.join(TEMPLATE);
    if std::fs::read_to_string(&target).ok().as_deref() != Some(page.as_str()) {
        std::fs::write(&target, page)
            .with_context(|| format!("could not write {}", target.display()))?;
    }
    Ok(())
}
