//! Which pages the book has, from `src/SUMMARY.md`, for the tools outside the checker.
//!
//! The parsing is the checker's own (`check::summary`), so "written chapter" means the same thing
//! to the checker and to the browser test.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub(crate) use crate::check::summary::Entry;

/// Every linked entry of `root/src/SUMMARY.md`.
fn entries(root: &Path) -> Result<Vec<Entry>> {
    let path = root.join("src").join("SUMMARY.md");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(crate::check::summary::parse(&text))
}

/// The concept chapters that have a page (`N. Title` entries that are not drafts).
pub(crate) fn written_chapters(root: &Path) -> Result<Vec<Entry>> {
    Ok(entries(root)?
        .into_iter()
        .filter(|entry| entry.concept_number().is_some())
        .collect())
}

/// The pages, relative to `src/`, that are not concept chapters (front matter, case studies, …).
pub(crate) fn other_pages(root: &Path) -> Result<Vec<PathBuf>> {
    Ok(entries(root)?
        .into_iter()
        .filter(|entry| !entry.path.is_empty() && entry.concept_number().is_none())
        .map(|entry| PathBuf::from(entry.path))
        .collect())
}
