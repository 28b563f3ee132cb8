//! A minimal valid book in a temporary folder, for the checker's tests.
//!
//! Each rule's test starts from this book, which has no diagnostics, applies one break and looks
//! for the one diagnostic the break should cause. The book is written from strings (not copied
//! from the real one), so the tests stay valid while the real chapters are being written.

use std::fs;
use std::path::Path;

use tempfile::TempDir;
use xtask::check::{Diagnostic, check_book_with};

pub const CHAPTER: &str = "src/ch20-rate-limiting.md";
pub const QUIZ: &str = "quizzes/ch20-rate-limiting.toml";
pub const LISTING: &str = "listings/ch20-rate-limiting/src/lib.rs";
pub const MUTANTS: &str = "listings/ch20-rate-limiting/mutants.txt";

/// A `mutants.txt` as `cargo xtask mutants` writes it: 19 of 20 viable caught (95 %).
pub const MUTANTS_TEXT: &str = "# Mutation testing of ch20-rate-limiting's library
# written by `cargo xtask mutants ch20-rate-limiting`

score: 19 of 20 viable mutants caught (95.0 %; the book's target is 90 %; a timeout counts as caught)

file                          caught  timeout  missed  unviable
src/algorithms/gcra.rs            10        1       1         2
src/algorithms/token_bucket.rs     8        0       0         1
total                             18        1       1         3

missed mutants, each with why it may stay:
- src/algorithms/gcra.rs: replace - with + in Gcra::check
  why: equivalent: the subtraction is of zero on every path the tests can reach
";

const BOOK_TOML: &str = r#"[book]
title = "System Design Mastery"
language = "en"

[output.html]
additional-css = ["theme/custom.css"]
additional-js = ["mermaid-init.js"]
"#;

const SUMMARY: &str = "# Summary

[Introduction](introduction.md)
[The 12-week study plan](study-plan.md)

# Part II — Infrastructure & Distribution

- [19. Idempotency]()
- [20. Rate limiting](ch20-rate-limiting.md)

# Part III — Communication & Integration

- [21. Queues and streams]()
";

const INTRODUCTION: &str = "# Introduction

Start with [rate limiting](ch20-rate-limiting.md), or jump to its
[theory](ch20-rate-limiting.html#theory) and the [plan][plan].

The code sample `[not a link](nowhere.md)` is not a link, and neither is this:

```markdown
[still not a link](nowhere.md) <img src=\"https://example.com/x.png\">
```

[plan]: study-plan.md#week-1
";

const STUDY_PLAN: &str = "# The 12-week study plan

## Week 1

Read [the introduction](introduction.md#introduction).

## Notes

## Notes

The second `## Notes` gets the id [notes-1](#notes-1).
";

const CHAPTER_TEXT: &str = r#"# 20. Rate limiting

> **Study focus:** Keep one client from starving the rest, and know which limiter to pick.

## Why it matters

At 9:00 a retry storm sends 40,000 requests a second at a service sized for 4,000.
See the [Theory](#theory) and the [metrics](#key-metrics-and-trade-offs).

## Theory

```mermaid
flowchart LR
    accTitle: Token bucket
    accDescr: Requests take tokens from a bucket that refills at a fixed rate.
    Client --> Bucket{Tokens left?}
```

*Notice that the bucket refills at a steady rate, whatever the burst.*

```mermaid
sequenceDiagram
    accTitle: A rejected request
    accDescr: The limiter answers 429 when the bucket is empty.
    Client->>Limiter: request
    Limiter-->>Client: 429 Too Many Requests
```

_Notice that the rejection costs the server almost nothing._

```rust
// ## Not a heading, and [not a link](nowhere.md)
```

<img src="img/bucket.svg" alt="A token bucket">

## Key metrics and trade-offs

| Option | When it wins | What it costs |
| --- | --- | --- |
| Token bucket | bursty clients | one counter per key |

## Build it

```rust
{{#include ../listings/ch20-rate-limiting/src/lib.rs:bucket}}
```

## In production

Envoy's local rate limit filter is a token bucket.

## Interview prep

**How would you limit per user across ten servers?** With a shared store.

## Exercise

Make the tests in `tests/exercise.rs` pass.

## Quiz

{{#quiz ../quizzes/ch20-rate-limiting.toml}}

## Further reading

- [Token bucket](https://en.wikipedia.org/wiki/Token_bucket)
"#;

const LISTING_LIB: &str = "//! The rate limiter of chapter 20.

// ANCHOR: bucket
/// A token bucket.
pub struct Bucket {
    pub tokens: u32,
}
// ANCHOR_END: bucket
";

const LISTING_CARGO: &str = "[package]
name = \"ch20-rate-limiting\"
version = \"0.1.0\"
edition = \"2024\"
";

const THEME_CSS: &str = "@font-face {
    font-family: \"Inter\";
    src: url(\"fonts/inter.woff2\") format(\"woff2\");
}
";

/// One question of each kind, cycled to fill the quiz.
fn question(n: usize) -> String {
    let id = format!("ch20-q{n}");
    match n % 3 {
        0 => format!(
            r#"[[questions]]
id = "{id}"
type = "MultipleChoice"
prompt.prompt = "Your API sees bursts of 100 requests. Which limiter admits them?"
prompt.distractors = ["A fixed window of 10 requests per second", "A leaky bucket with no queue"]
answer.answer = "A token bucket with capacity 100"
context = "A bucket's capacity is its burst size; see Theory."
"#
        ),
        1 => format!(
            r#"[[questions]]
id = "{id}"
type = "ShortAnswer"
prompt.prompt = "Which HTTP status code tells a client it is being rate limited?"
answer.answer = "429"
context = "429 Too Many Requests; see Build it."
"#
        ),
        _ => format!(
            r#"[[questions]]
id = "{id}"
type = "Tracing"
prompt.program = """
fn main() {{
    let tokens: u32 = 3;
    println!("{{}}", tokens.saturating_sub(5));
}}
"""
answer.doesCompile = true
answer.stdout = "0"
context = "saturating_sub stops at zero instead of wrapping."
"#
        ),
    }
}

/// A quiz of `n` valid questions.
pub fn quiz(n: usize) -> String {
    (1..=n).map(question).collect::<Vec<_>>().join("\n")
}

/// A valid book in a temporary folder.
pub struct Book {
    dir: TempDir,
}

impl Book {
    pub fn new() -> Self {
        let book = Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        for (path, text) in [
            ("book.toml", BOOK_TOML),
            ("mermaid-init.js", "// starts mermaid\n"),
            ("src/SUMMARY.md", SUMMARY),
            ("src/introduction.md", INTRODUCTION),
            ("src/study-plan.md", STUDY_PLAN),
            (CHAPTER, CHAPTER_TEXT),
            (
                "src/img/bucket.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
            ),
            ("listings/ch20-rate-limiting/Cargo.toml", LISTING_CARGO),
            (LISTING, LISTING_LIB),
            ("theme/custom.css", THEME_CSS),
        ] {
            book.write(path, text);
        }
        book.write(QUIZ, &quiz(8));
        book.write(MUTANTS, MUTANTS_TEXT);
        book
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `rel` (relative to the root), creating folders.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
        fs::write(&path, text).expect("write a fixture file");
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root().join(rel)).expect("read a fixture file")
    }

    /// Replaces the one occurrence of `from` in `rel` with `to`.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` must occur once in {rel}"
        );
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Replaces the first occurrence of `from` after `marker` in `rel` with `to`.
    pub fn edit_after(&self, rel: &str, marker: &str, from: &str, to: &str) {
        let text = self.read(rel);
        let start = text
            .find(marker)
            .unwrap_or_else(|| panic!("`{marker}` not in {rel}"));
        let at = start
            + text[start..]
                .find(from)
                .unwrap_or_else(|| panic!("`{from}` not after `{marker}` in {rel}"));
        self.write(
            rel,
            &format!("{}{to}{}", &text[..at], &text[at + from.len()..]),
        );
    }

    /// Appends `text` to `rel`.
    pub fn append(&self, rel: &str, text: &str) {
        let old = self.read(rel);
        self.write(rel, &format!("{old}{text}"));
    }

    /// The 1-based line of the first line of `rel` that contains `needle`.
    pub fn line(&self, rel: &str, needle: &str) -> usize {
        self.line_nth(rel, needle, 0)
    }

    /// The 1-based line of the `n`-th (0-based) line of `rel` that contains `needle`.
    pub fn line_nth(&self, rel: &str, needle: &str, n: usize) -> usize {
        self.read(rel)
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains(needle))
            .nth(n)
            .map(|(i, _)| i + 1)
            .unwrap_or_else(|| panic!("`{needle}` occurs fewer than {} times in {rel}", n + 1))
    }

    /// The checker's diagnostics, after drawing every diagram as `cargo xtask diagrams` would
    /// (with placeholder SVGs): the rules tested here are about the sources, and an edited
    /// diagram is a new diagram. [`Book::check_undrawn`] leaves the drawings as they are.
    pub fn check(&self) -> Vec<Diagnostic> {
        for page in walk_markdown(&self.root().join("src")) {
            let text = fs::read_to_string(&page).expect("read a page");
            for block in mdbook_diagrams::mermaid_blocks(&text) {
                for variant in mdbook_diagrams::VARIANTS {
                    let path = mdbook_diagrams::cache_path(self.root(), &block.hash(), variant);
                    fs::create_dir_all(path.parent().expect("a parent folder"))
                        .expect("create folders");
                    fs::write(&path, "<svg/>").expect("write a drawing");
                }
            }
        }
        self.check_undrawn()
    }

    /// The checker's diagnostics, with only the drawings already in `src/diagrams/`.
    pub fn check_undrawn(&self) -> Vec<Diagnostic> {
        check_book_with(self.root(), &[]).expect("the checker runs")
    }
}

/// Asserts that every diagnostic has rule `rule`, and that one of them is at `file:line`.
#[track_caller]
pub fn assert_only(diagnostics: &[Diagnostic], rule: &str, file: &str, line: usize) {
    assert_has(diagnostics, rule, file, line);
    let others: Vec<_> = diagnostics.iter().filter(|d| d.rule != rule).collect();
    assert!(
        others.is_empty(),
        "only [{rule}] expected, also got: {others:#?}"
    );
}

/// Asserts that one diagnostic has rule `rule` at `file:line`.
#[track_caller]
pub fn assert_has(diagnostics: &[Diagnostic], rule: &str, file: &str, line: usize) {
    let found = diagnostics
        .iter()
        .any(|d| d.rule == rule && d.file == Path::new(file) && d.line == line);
    assert!(
        found,
        "expected [{rule}] at {file}:{line}, got: {diagnostics:#?}"
    );
}

/// Every `.md` file under `dir`, recursively.
fn walk_markdown(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("list a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk_markdown(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    files
}
