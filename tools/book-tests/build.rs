//! Hands the book's inline Rust blocks to skeptic.
//!
//! Skeptic compiles every ```` ```rust ```` block of the files it is given, but it does not expand
//! mdBook's `{{#include}}` / `{{#rustdoc_include}}` directives: it would compile the directive text
//! and fail. Those blocks are tested where their code lives (the listings' own tests), so we copy
//! each page into OUT_DIR with such blocks re-labelled `text`, and give skeptic the copies.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("pages");
    fs::create_dir_all(&out).expect("creating OUT_DIR/pages");
    println!("cargo:rerun-if-changed={}", src.display());

    let mut pages = Vec::new();
    collect_markdown(&src, &mut pages);
    pages.sort();
    let mut copies = Vec::new();
    for page in pages {
        println!("cargo:rerun-if-changed={}", page.display());
        let text = fs::read_to_string(&page).expect("reading a page of the book");
        let relative = page.strip_prefix(&src).expect("page under src/");
        let copy = out.join(relative.to_string_lossy().replace(['/', '\\'], "__"));
        fs::write(&copy, without_include_blocks(&text)).expect("writing a page copy");
        copies.push(copy.to_string_lossy().to_string());
    }
    skeptic::generate_doc_tests(&copies);
}

fn collect_markdown(dir: &Path, pages: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            // mdbook-quiz copies its bundle into src/quiz/ on every build: not a page.
            if path.file_name().is_some_and(|name| name != "quiz") {
                collect_markdown(&path, pages);
            }
        } else if path.extension().is_some_and(|ext| ext == "md") && !path.ends_with("SUMMARY.md") {
            pages.push(path);
        }
    }
}

/// The page with every fenced block whose body holds an mdBook directive re-labelled `text`.
fn without_include_blocks(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut result = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let fence = line.trim_start();
        if fence.starts_with("```") && fence.len() > 3 {
            let end = (i + 1..lines.len()).find(|&j| lines[j].trim_start().starts_with("```"));
            if let Some(end) = end {
                let body = &lines[i + 1..end];
                if body.iter().any(|l| l.contains("{{#")) {
                    result.push("```text".to_string());
                } else {
                    result.push(line.to_string());
                }
                result.extend(body.iter().map(|l| l.to_string()));
                result.push(lines[end].to_string());
                i = end + 1;
                continue;
            }
        }
        result.push(line.to_string());
        i += 1;
    }
    result.join("\n") + "\n"
}
