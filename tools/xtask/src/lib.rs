//! The workspace tool behind `cargo xtask`.
//!
//! Layout:
//! - [`check`]: the book checker, which enforces the chapter contract and the whole-book rules.
//! - [`tools`]: installs the pinned mdBook toolchain when it is missing.
//! - [`browser`]: the headless-Chromium test of the built book.
//! - [`diagrams`]: draws the mermaid diagrams at build time into `src/diagrams/`.
//! - [`lighthouse`]: Lighthouse's figures for every chapter page, and the performance check against the targets.
//! - [`listings`]: captured demo output, benchmark summaries, and the exercise starters.
//! - [`mutants`]: mutation testing of a chapter's library into its `mutants.txt`.
//! - [`services`]: the versions the service servers report, for captured headers.
//! - [`pdf`]: the offline copy, the whole book as one PDF printed by headless Chromium, and its check.
//! - [`summary`]: the pages SUMMARY.md lists, and which are written chapters.
//! - [`template`]: the page template, mdBook's own with the edits that make pages paint fast.

pub mod browser;
pub mod check;
pub mod diagrams;
pub mod lighthouse;
pub mod listings;
pub mod mutants;
pub mod pdf;
pub mod services;
mod summary;
pub mod template;
pub mod tools;

use std::process::Command;

use anyhow::{Context, Result, bail};

/// Runs a command with our stdout and stderr, failing when it exits non-zero.
pub fn run_command(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("could not start {command:?}"))?;
    if status.success() {
        Ok(())
    } else {
        bail!("{command:?} failed ({status})")
    }
}
