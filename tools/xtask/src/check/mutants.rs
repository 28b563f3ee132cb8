//! `mutants-file`: every written chapter's listing has a `mutants.txt` that meets the target.
//!
//! "Tested" is measured in this book: `cargo xtask mutants <crate>` runs cargo-mutants over the
//! chapter's library and writes `listings/<crate>/mutants.txt`. The checker cannot rerun the
//! mutants (that takes many minutes), but it holds the file to the contract: present, at least
//! [`TARGET_PERCENT`] of viable mutants caught, and every missed mutant explained.

use std::path::Path;

use crate::mutants::{Report, TARGET_PERCENT, UNEXPLAINED};

use super::{Book, Diagnostic, read_text, relative};

const RULE: &str = "mutants-file";

/// Checks the `mutants.txt` of every written concept chapter that has a listing crate.
pub(crate) fn check(book: &Book, out: &mut Vec<Diagnostic>) {
    for (_, rel, _) in book.concept_chapters() {
        let Some(stem) = rel.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        let listing = book.root.join("listings").join(&stem);
        if !listing.join("Cargo.toml").is_file() {
            continue; // `listing-include` reports a chapter without a listing
        }
        check_file(&book.root, &stem, &listing.join("mutants.txt"), out);
    }
}

fn check_file(root: &Path, stem: &str, path: &Path, out: &mut Vec<Diagnostic>) {
    let rel = relative(root, path);
    let text = match read_text(path) {
        Ok(text) => text,
        Err(_) => {
            out.push(Diagnostic::new(
                &rel,
                0,
                RULE,
                format!(
                    "the chapter's listing has no mutants.txt: run `cargo xtask mutants {stem}`, \
                     then kill or explain every missed mutant"
                ),
            ));
            return;
        }
    };
    let report = match Report::parse(&text) {
        Ok(report) => report,
        Err(error) => {
            out.push(Diagnostic::new(
                &rel,
                0,
                RULE,
                format!("{error:#}: write the file again with `cargo xtask mutants {stem}`"),
            ));
            return;
        }
    };
    if report.files.is_empty() {
        out.push(Diagnostic::new(
            &rel,
            0,
            RULE,
            format!("no mutant counts: write it with `cargo xtask mutants {stem}`"),
        ));
    }
    let score = report.score();
    if score < TARGET_PERCENT {
        let total = report.total();
        out.push(Diagnostic::new(
            &rel,
            0,
            RULE,
            format!(
                "{} of {} viable mutants caught ({score:.1} %), below the book's {TARGET_PERCENT} %: \
                 add tests that fail on the missed mutants, then rerun `cargo xtask mutants {stem}`",
                total.caught + total.timeout,
                total.viable()
            ),
        ));
    }
    for (mutant, why) in &report.missed {
        if why.trim().is_empty() || why.starts_with(UNEXPLAINED) {
            let line = text
                .lines()
                .position(|l| l.trim().strip_prefix("- ") == Some(mutant.as_str()))
                .map_or(0, |i| i + 1);
            out.push(Diagnostic::new(
                &rel,
                line,
                RULE,
                format!(
                    "missed mutant `{mutant}` has no reason: add a test that fails on it, or a \
                     `why:` line saying why it may stay (equivalent, or no claim rests on it)"
                ),
            ));
        }
    }
}
