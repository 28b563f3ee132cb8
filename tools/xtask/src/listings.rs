//! What the workspace does with the chapter listings beyond `cargo test`: capturing a demo's output
//! for the book, summarising its benchmarks, and proving each exercise starter fails its tests.
//!
//! The book never shows a hand-typed number. `capture` and `bench` write the files the chapters
//! include (`listings/<crate>/output.txt`, `listings/<crate>/bench.txt`), each headed by the
//! command that made it and the machine it ran on.
//!
//! The exercise mechanism, the same for every chapter: `src/exercise.rs` is the reference solution,
//! `starter/exercise.rs` the reader's starting point (same API, bodies `todo!()`), selected by the
//! crate's `starter` feature; `tests/exercise.rs` tests whichever is compiled in.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::tools::env_cargo;

/// Runs `cargo run --release -p <krate>` and writes its stdout to `listings/<krate>/output.txt`.
pub fn capture(root: &Path, krate: &str) -> Result<()> {
    let dir = listing_dir(root, krate)?;
    let output = Command::new(env_cargo())
        .args(["run", "--quiet", "--release", "--package", krate])
        .current_dir(root)
        .output()
        .with_context(|| format!("running {krate}"))?;
    if !output.status.success() {
        bail!(
            "`cargo run --release -p {krate}` failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let mut text = format!(
        "$ cargo run --release -p {krate}\n{}\n",
        header(&format!("cargo xtask capture {krate}"), "release", &dir)
    );
    text.push_str(&String::from_utf8_lossy(&output.stdout));
    let file = dir.join("output.txt");
    std::fs::write(&file, text).with_context(|| format!("writing {}", file.display()))?;
    println!("xtask: wrote {}", file.display());
    Ok(())
}

/// Runs `cargo bench -p <krate>` and writes the median of every benchmark, with its ratio to the
/// fastest of its group, to `listings/<krate>/bench.txt`.
///
/// Medians, and ratios within one run, because these machines are shared and noisy: an absolute
/// figure from another day says little, a ratio measured side by side says much more.
pub fn bench(root: &Path, krate: &str) -> Result<()> {
    let dir = listing_dir(root, krate)?;
    let output = Command::new(env_cargo())
        .args(["bench", "--package", krate])
        .current_dir(root)
        .output()
        .with_context(|| format!("benchmarking {krate}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    if !output.status.success() {
        bail!(
            "`cargo bench -p {krate}` failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let ids = benchmark_ids(&stdout);
    if ids.is_empty() {
        bail!("`cargo bench -p {krate}` ran no criterion benchmark");
    }
    let criterion = target_dir(root).join("criterion");
    let mut rows = Vec::new();
    for id in &ids {
        let estimates = criterion
            .join(criterion_dir_name(id))
            .join("new")
            .join("estimates.json");
        let text = std::fs::read_to_string(&estimates)
            .with_context(|| format!("reading {}", estimates.display()))?;
        let json: Value = serde_json::from_str(&text)?;
        let median = json["median"]["point_estimate"]
            .as_f64()
            .context("estimates.json has no median")?;
        let (group, name) = id.split_once('/').unwrap_or(("", id));
        rows.push((group.to_string(), name.to_string(), median));
    }

    let mut text = format!(
        "$ cargo xtask bench {krate}\n# criterion medians\n{}\n",
        header(&format!("cargo xtask bench {krate}"), "bench", &dir)
    );
    let width = rows
        .iter()
        .map(|(g, n, _)| g.len() + n.len() + 1)
        .max()
        .unwrap_or(9)
        .max(9);
    let _ = writeln!(
        text,
        "{:<width$}  {:>12}  {:>14}",
        "benchmark", "median", "x fastest"
    );
    for (group, name, median) in &rows {
        let fastest = rows
            .iter()
            .filter(|(g, _, _)| g == group)
            .map(|(_, _, m)| *m)
            .fold(f64::INFINITY, f64::min);
        let id = if group.is_empty() {
            name.clone()
        } else {
            format!("{group}/{name}")
        };
        let _ = writeln!(
            text,
            "{id:<width$}  {:>12}  {:>14.2}",
            human_time(*median),
            median / fastest
        );
    }
    let file = dir.join("bench.txt");
    std::fs::write(&file, &text).with_context(|| format!("writing {}", file.display()))?;
    print!("\n{text}");
    println!("xtask: wrote {}", file.display());
    Ok(())
}

/// Every listing with an exercise: its starter compiles, and its tests fail against it.
///
/// A starter that passed its tests would mean the tests do not test the exercise.
pub fn check_starters(root: &Path) -> Result<()> {
    for krate in listing_crates(root)? {
        let dir = root.join("listings").join(&krate);
        if !dir.join("starter").join("exercise.rs").exists() {
            continue;
        }
        let base = [
            "test",
            "--quiet",
            "--package",
            krate.as_str(),
            "--features",
            "starter",
            "--test",
            "exercise",
        ];
        let built = Command::new(env_cargo())
            .args(base)
            .arg("--no-run")
            .current_dir(root)
            .status()?;
        if !built.success() {
            bail!("{krate}: the exercise starter does not compile with its tests");
        }
        // The starter is meant to fail: proptest must not save its failures as regression seeds
        // (a `*.proptest-regressions` file beside the tests) that no one should commit.
        let output = Command::new(env_cargo())
            .args(base)
            .env("PROPTEST_DISABLE_FAILURE_PERSISTENCE", "1")
            .current_dir(root)
            .output()?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if output.status.success() {
            bail!(
                "{krate}: the exercise tests PASS against the starter, so they do not test the exercise"
            );
        }
        let summary = stdout
            .lines()
            .rev()
            .find(|l| l.starts_with("test result:"))
            .unwrap_or("(no summary)");
        println!("{krate}: the starter fails its exercise tests, as it should ({summary})");
    }
    Ok(())
}

/// The crate folders under `listings/`, sorted.
pub fn listing_crates(root: &Path) -> Result<Vec<String>> {
    let mut crates = Vec::new();
    for entry in std::fs::read_dir(root.join("listings"))? {
        let entry = entry?;
        if entry.path().join("Cargo.toml").exists() {
            crates.push(entry.file_name().to_string_lossy().to_string());
        }
    }
    crates.sort();
    Ok(crates)
}

fn listing_dir(root: &Path, krate: &str) -> Result<PathBuf> {
    let dir = root.join("listings").join(krate);
    if dir.join("Cargo.toml").exists() {
        Ok(dir)
    } else {
        bail!("no listing crate `{krate}` (expected listings/{krate}/Cargo.toml)")
    }
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// The benchmark ids criterion printed, in order: the word before `time:`, or a line of its own
/// followed by a `time:` line when the id is long.
fn benchmark_ids(stdout: &str) -> Vec<String> {
    let lines: Vec<&str> = stdout.lines().collect();
    let mut ids = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if let Some((id, _)) = trimmed.split_once(" time:") {
            let id = id.trim();
            if !id.is_empty() {
                ids.push(id.to_string());
            } else if let Some(previous) = i.checked_sub(1).map(|p| lines[p].trim()) {
                ids.push(previous.to_string());
            }
        } else if trimmed.starts_with("time:")
            && let Some(previous) = i.checked_sub(1).map(|p| lines[p].trim())
        {
            ids.push(previous.to_string());
        }
    }
    ids.dedup();
    ids
}

/// Criterion's folder for a benchmark id: the id with characters unsafe in paths replaced.
fn criterion_dir_name(id: &str) -> PathBuf {
    id.split('/')
        .map(|part| {
            part.chars()
                .map(|c| {
                    if matches!(c, '?' | '"' | '<' | '>' | '|' | '*' | ':' | '\\') {
                        '_'
                    } else {
                        c
                    }
                })
                .collect::<String>()
        })
        .collect()
}

fn human_time(nanos: f64) -> String {
    match nanos {
        n if n < 1_000.0 => format!("{n:.1} ns"),
        n if n < 1_000_000.0 => format!("{:.2} µs", n / 1_000.0),
        n if n < 1_000_000_000.0 => format!("{:.2} ms", n / 1_000_000.0),
        n => format!("{:.2} s", n / 1_000_000_000.0),
    }
}

/// The generated lines that head a captured file: the command that wrote it, the machine, the
/// compiler and build profile, and the services with their versions. Never typed by hand, so a
/// number in the book always says where it came from.
pub fn header(command: &str, profile: &str, crate_dir: &Path) -> String {
    format!(
        "# written by `{command}`\n# machine: {}\n# rustc {}, {profile} profile\n# services: {}\n",
        machine_description(),
        rustc_version(),
        crate::services::describe(crate_dir)
    )
}

/// "2 cores, AMD EPYC 7B13, 23.4 GiB, Debian GNU/Linux 12 (bookworm), Linux 6.1.0": enough to tell
/// readers where a number came from.
pub fn machine_description() -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let field = |text: &str, key: &str| {
        text.lines().find_map(|line| {
            line.strip_prefix(key)
                .and_then(|rest| rest.trim_start().strip_prefix([':', '=']))
                .map(|value| value.trim().trim_matches('"').to_string())
        })
    };
    let cpu = field(&read("/proc/cpuinfo"), "model name").unwrap_or_else(|| "unknown CPU".into());
    let memory = field(&read("/proc/meminfo"), "MemTotal")
        .and_then(|kib| kib.trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or_else(
            || "unknown memory".to_string(),
            |kib| format!("{:.1} GiB", kib / 1024.0 / 1024.0),
        );
    let os = field(&read("/etc/os-release"), "PRETTY_NAME")
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    let kernel = read("/proc/sys/kernel/osrelease");
    let kernel = kernel.trim();
    let kernel = if kernel.is_empty() {
        String::new()
    } else {
        format!(", kernel {kernel}")
    };
    format!("{cores} cores, {cpu}, {memory}, {os}{kernel}")
}

/// `rustc --version`'s version and date, e.g. "1.95.0 (59807616e 2026-04-14)".
pub fn rustc_version() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            let text = String::from_utf8_lossy(&o.stdout);
            text.trim().trim_start_matches("rustc ").to_string()
        })
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_benchmark_ids_on_the_same_and_the_next_line() {
        let out = "check/token_bucket      time:   [10.0 ns 10.1 ns 10.2 ns]\n\
                   check/a_very_long_benchmark_name_here\n                        time:   [1 ns 2 ns 3 ns]\n";
        assert_eq!(
            benchmark_ids(out),
            [
                "check/token_bucket",
                "check/a_very_long_benchmark_name_here"
            ]
        );
    }

    #[test]
    fn formats_times_in_human_units() {
        assert_eq!(human_time(12.34), "12.3 ns");
        assert_eq!(human_time(12_340.0), "12.34 µs");
    }
}
