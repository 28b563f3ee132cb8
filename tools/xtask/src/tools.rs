//! The pinned mdBook toolchain, installed with `cargo install --locked` when missing.
//!
//! The three tools must agree on mdBook's preprocessor API, so each is pinned to one version
//! (verified together: mdBook 0.5.4, mdbook-mermaid 0.17.1, mdbook-quiz 0.5.0). A tool that is
//! present at another version is reinstalled, because a newer mdbook-quiz against an older mdBook
//! fails at build time with an error that does not name the cause.

use std::process::Command;

use anyhow::{Context, Result, bail};

/// One pinned tool: the binary, the crate it comes from, and the version the book needs.
#[derive(Debug, Clone, Copy)]
pub struct PinnedTool {
    pub binary: &'static str,
    pub krate: &'static str,
    pub version: &'static str,
}

/// Every tool the book build needs.
pub const PINNED: [PinnedTool; 3] = [
    PinnedTool {
        binary: "mdbook",
        krate: "mdbook",
        version: "0.5.4",
    },
    PinnedTool {
        binary: "mdbook-mermaid",
        krate: "mdbook-mermaid",
        version: "0.17.1",
    },
    PinnedTool {
        binary: "mdbook-quiz",
        krate: "mdbook-quiz",
        version: "0.5.0",
    },
];

/// The version a tool reports with `--version`, or `None` when it is not on the `PATH`.
///
/// All three print `name vX.Y.Z` or `name X.Y.Z`; we take the last word and drop a leading `v`.
pub fn installed_version(binary: &str) -> Option<String> {
    let output = Command::new(binary).arg("--version").output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let word = text.split_whitespace().last()?;
    Some(word.trim_start_matches('v').to_string())
}

/// Installs every pinned tool that is missing or at another version.
pub fn ensure_installed() -> Result<()> {
    for tool in PINNED {
        match installed_version(tool.binary) {
            Some(version) if version == tool.version => continue,
            Some(version) => println!(
                "xtask: {} is {version}, the book needs {}; reinstalling",
                tool.binary, tool.version
            ),
            None => println!(
                "xtask: {} not found; installing {}",
                tool.binary, tool.version
            ),
        }
        let spec = format!("{}@{}", tool.krate, tool.version);
        let status = Command::new(env_cargo())
            .args(["install", "--locked", &spec])
            .status()
            .with_context(|| format!("could not run `cargo install --locked {spec}`"))?;
        if !status.success() {
            bail!("`cargo install --locked {spec}` failed ({status})");
        }
        if installed_version(tool.binary).as_deref() != Some(tool.version) {
            bail!(
                "installed {spec}, but `{} --version` does not report {}: is ~/.cargo/bin on your PATH?",
                tool.binary,
                tool.version
            );
        }
    }
    Ok(())
}

/// The `cargo` that runs us (so `cargo +toolchain xtask` stays on that toolchain).
pub fn env_cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}
