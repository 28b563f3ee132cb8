//! `mdbook-diagrams`: the mdBook preprocessor that puts the cached drawings of the book's mermaid
//! diagrams into the pages (see the library's documentation).
//!
//! mdBook's preprocessor protocol, by hand: `mdbook-diagrams supports <renderer>` answers with the
//! exit code; otherwise stdin holds `[context, book]` as JSON and stdout gets the book back. The
//! book is handled as a `serde_json::Value`, so fields this tool does not know pass through.
//!
//! `mdbook-diagrams quiz-lazy` is a second, separate pass (its own `[preprocessor.quiz-lazy]` in
//! book.toml, after mdbook-quiz): it makes the quiz code load lazily; see `quiz_lazy` in the library.
//!
//! When some diagram is not drawn yet, mdbook-mermaid draws it in the browser and needs mermaid's
//! script in the built book, which mdBook copies only from `src/` (or for `additional-js`, which
//! would load it on every page). So this tool then copies the vendored `theme/mermaid/mermaid.min.js`
//! to `src/mermaid/mermaid.min.js` (git-ignored), and removes that copy once every diagram is drawn.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mdbook_diagrams::{cached_figure, path_to_root, quiz_lazy, replace_blocks};
use serde_json::Value;

/// The vendored mermaid, relative to the book root.
const MERMAID_JS: &str = "theme/mermaid/mermaid.min.js";
/// Where the fallback copy goes, relative to the book's `src/`.
const FALLBACK_JS: &str = "mermaid/mermaid.min.js";

/// The argument that selects the second pass, `[preprocessor.quiz-lazy]` in book.toml: after
/// mdbook-quiz, it swaps the quiz's script and stylesheet tags for the marker `theme/quiz-lazy.js`
/// loads them from, when a quiz nears the viewport (see [`mdbook_diagrams::quiz_lazy`]).
const QUIZ_LAZY: &str = "quiz-lazy";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let quiz_lazy = args.first().is_some_and(|first| first == QUIZ_LAZY);
    if quiz_lazy {
        args.remove(0);
    }
    if let [command, renderer] = args.as_slice()
        && command == "supports"
    {
        return if renderer == "html" {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    if !args.is_empty() {
        eprintln!(
            "mdbook-diagrams: unexpected arguments {args:?} (usage: mdbook-diagrams [{QUIZ_LAZY}] [supports <renderer>])"
        );
        return ExitCode::FAILURE;
    }
    let result = if quiz_lazy { run_quiz_lazy() } else { run() };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mdbook-diagrams: error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Reads mdBook's `[context, book]` pair from stdin.
fn read_input() -> Result<(Value, Value), String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("reading stdin: {e}"))?;
    let value: Value =
        serde_json::from_str(&input).map_err(|e| format!("stdin is not mdBook's JSON: {e}"))?;
    let Value::Array(mut pair) = value else {
        return Err("stdin is not the [context, book] pair mdBook sends".into());
    };
    if pair.len() != 2 {
        return Err("stdin is not the [context, book] pair mdBook sends".into());
    }
    let book = pair.pop().unwrap_or(Value::Null);
    let context = pair.pop().unwrap_or(Value::Null);
    Ok((context, book))
}

/// Writes the book back to mdBook.
fn write_book(book: &Value) -> Result<(), String> {
    let out = serde_json::to_string(book).map_err(|e| format!("writing the book: {e}"))?;
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| format!("writing stdout: {e}"))
}

/// The `quiz-lazy` pass: every chapter's quiz code becomes the lazy marker.
fn run_quiz_lazy() -> Result<(), String> {
    let (_, mut book) = read_input()?;
    walk(&mut book, &mut |_, content| {
        if let Some(lazy) = quiz_lazy::lazy_quiz(content) {
            *content = lazy;
        }
    });
    write_book(&book)
}

fn run() -> Result<(), String> {
    let (context, mut book) = read_input()?;
    let root = PathBuf::from(context["root"].as_str().unwrap_or("."));
    let src = context["config"]["book"]["src"].as_str().unwrap_or("src");

    let mut undrawn = 0;
    walk(&mut book, &mut |page, content| {
        let to_root = path_to_root(page);
        *content = replace_blocks(content, |block| {
            let figure = cached_figure(&root, block, &to_root);
            undrawn += usize::from(figure.is_none());
            figure
        });
    });
    if undrawn > 0 {
        eprintln!(
            "mdbook-diagrams: {undrawn} mermaid diagram(s) not drawn yet: they are drawn in the browser; run `cargo xtask diagrams` to draw them at build time"
        );
    }
    sync_fallback_script(&root, &root.join(src), undrawn > 0)?;

    write_book(&book)
}

/// Calls `edit` on the path (relative to `src/`; empty for a draft) and markdown of every
/// chapter, sub-chapters included.
fn walk(value: &mut Value, edit: &mut impl FnMut(&str, &mut String)) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(chapter)) = map.get_mut("Chapter") {
                let path = chapter
                    .get("path")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                if let Some(Value::String(content)) = chapter.get_mut("content") {
                    edit(&path, content);
                }
            }
            for (key, child) in map.iter_mut() {
                if key != "content" {
                    walk(child, edit);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, edit);
            }
        }
        _ => {}
    }
}

/// Copies mermaid into `src/` when a page needs it, removes the copy when none does. Writes only
/// on a change, so `mdbook serve` (which rebuilds when `src/` changes) settles after one rebuild.
fn sync_fallback_script(root: &Path, src: &Path, needed: bool) -> Result<(), String> {
    let copy = src.join(FALLBACK_JS);
    if needed {
        let vendored = root.join(MERMAID_JS);
        let bytes =
            std::fs::read(&vendored).map_err(|e| format!("reading {}: {e}", vendored.display()))?;
        if std::fs::read(&copy).ok().as_deref() != Some(bytes.as_slice()) {
            if let Some(dir) = copy.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("creating {}: {e}", dir.display()))?;
            }
            std::fs::write(&copy, bytes).map_err(|e| format!("writing {}: {e}", copy.display()))?;
        }
    } else if copy.exists() {
        std::fs::remove_file(&copy).map_err(|e| format!("removing {}: {e}", copy.display()))?;
        if let Some(dir) = copy.parent() {
            // Only when empty: the folder is ours, but never delete what a writer put there.
            let _ = std::fs::remove_dir(dir);
        }
    }
    Ok(())
}
