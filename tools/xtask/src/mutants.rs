//! `cargo xtask mutants <crate> [--file PATH]...`: mutation testing of a chapter's library, the
//! book's measure of "tested".
//!
//! A test suite that passes proves little on its own; one that *fails* when the code is built
//! wrong proves the chapter's claims rest on something. cargo-mutants (pinned, [`VERSION`]) makes
//! hundreds of small wrong builds of the library (a `>` turned into `>=`, a function that returns
//! a default) and runs the crate's tests against each. A mutant the tests miss is either an
//! equivalent program or a claim nobody checks; `listings/<crate>/mutants.txt` records the
//! counts and, for every missed mutant, one line saying why it may stay.
//!
//! How it runs, and why:
//! - In a private copy of the work tree (`target/mutants/tree`, synced with `rsync`, mtimes kept so
//!   its own target dir stays warm), mutated in place there. The real tree is never mutated, so
//!   a commit, an editor or another build in it never sees a mutant.
//! - One run at a time (a lock on `target/mutants/lock`): two runs in one copy would mutate each
//!   other's files.
//! - Over the library only: not the demo's `main.rs`, not `src/bin/`, not the exercise.
//! - With `--file`, only those files are mutated, and their rows in `mutants.txt` are replaced;
//!   the rest of the file is kept. The explanations of missed mutants survive every rerun (they are
//!   matched by file and description, not by line).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs::{self, File};
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::listings::header;
use crate::tools::env_cargo;

/// The cargo-mutants release the book's `mutants.txt` files were made with.
pub const VERSION: &str = "27.1.0";

/// The share of viable mutants the tests must catch (a timeout counts as caught).
pub const TARGET_PERCENT: f64 = 90.0;

/// The `why:` text written for a missed mutant nobody has explained yet; the checker rejects it.
pub const UNEXPLAINED: &str = "UNEXPLAINED";

/// What became of one file's mutants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub caught: usize,
    pub timeout: usize,
    pub missed: usize,
    pub unviable: usize,
}

impl Counts {
    /// Mutants that built: the ones the tests had a chance to catch.
    pub fn viable(&self) -> usize {
        self.caught + self.timeout + self.missed
    }

    fn add(&mut self, other: Counts) {
        self.caught += other.caught;
        self.timeout += other.timeout;
        self.missed += other.missed;
        self.unviable += other.unviable;
    }
}

/// A `mutants.txt`, read back or about to be written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Per library file (relative to the crate, e.g. `src/pool.rs`).
    pub files: BTreeMap<String, Counts>,
    /// Every missed mutant (`src/pool.rs: replace > with >= in Pool::scale`) and why it may stay.
    pub missed: BTreeMap<String, String>,
}

impl Report {
    pub fn total(&self) -> Counts {
        let mut total = Counts::default();
        for counts in self.files.values() {
            total.add(*counts);
        }
        total
    }

    /// Caught (timeouts included) as a percentage of viable mutants; 100 when none was viable.
    pub fn score(&self) -> f64 {
        let total = self.total();
        if total.viable() == 0 {
            100.0
        } else {
            (total.caught + total.timeout) as f64 * 100.0 / total.viable() as f64
        }
    }

    /// Reads the tables and the missed list of a `mutants.txt`; the header lines are ignored.
    pub fn parse(text: &str) -> Result<Self> {
        let mut report = Report::default();
        let mut section = "";
        let mut last_missed: Option<String> = None;
        for (number, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if trimmed.starts_with('#') || trimmed.is_empty() {
                continue;
            }
            if trimmed.starts_with("file ") && trimmed.contains("caught") {
                section = "files";
                continue;
            }
            if trimmed.starts_with("missed mutants") {
                section = "missed";
                continue;
            }
            if trimmed.starts_with("score:") {
                continue;
            }
            match section {
                "files" => {
                    let words: Vec<&str> = trimmed.split_whitespace().collect();
                    if words.first() == Some(&"total") {
                        continue;
                    }
                    let [file, caught, timeout, missed, unviable] = words[..] else {
                        bail!(
                            "line {}: expected `file caught timeout missed unviable`",
                            number + 1
                        );
                    };
                    let count = |word: &str| -> Result<usize> {
                        word.parse().with_context(|| {
                            format!("line {}: `{word}` is not a count", number + 1)
                        })
                    };
                    report.files.insert(
                        file.to_string(),
                        Counts {
                            caught: count(caught)?,
                            timeout: count(timeout)?,
                            missed: count(missed)?,
                            unviable: count(unviable)?,
                        },
                    );
                }
                "missed" => {
                    if let Some(mutant) = trimmed.strip_prefix("- ") {
                        report.missed.insert(mutant.to_string(), String::new());
                        last_missed = Some(mutant.to_string());
                    } else if let Some(why) = trimmed.strip_prefix("why:") {
                        let Some(mutant) = &last_missed else {
                            bail!(
                                "line {}: a `why:` line before any missed mutant",
                                number + 1
                            );
                        };
                        report.missed.insert(mutant.clone(), why.trim().to_string());
                    } else if let Some(mutant) = &last_missed {
                        // A long explanation wrapped onto the next line.
                        let why = report.missed.entry(mutant.clone()).or_default();
                        why.push(' ');
                        why.push_str(trimmed);
                    }
                }
                _ => bail!(
                    "line {}: text outside the file table and the missed list",
                    number + 1
                ),
            }
        }
        Ok(report)
    }

    /// The file's text: a header, the score, the per-file table, the missed list with reasons.
    pub fn render(&self, header: &str) -> String {
        let mut text = String::from(header);
        let total = self.total();
        let _ = writeln!(
            text,
            "score: {} of {} viable mutants caught ({:.1} %; the book's target is {TARGET_PERCENT} %; a timeout counts as caught)\n",
            total.caught + total.timeout,
            total.viable(),
            self.score()
        );
        let width = self.files.keys().map(String::len).max().unwrap_or(4).max(5);
        let _ = writeln!(
            text,
            "{:<width$}  {:>6}  {:>7}  {:>6}  {:>8}",
            "file", "caught", "timeout", "missed", "unviable"
        );
        for (file, c) in self.files.iter().chain([(&"total".to_string(), &total)]) {
            let _ = writeln!(
                text,
                "{file:<width$}  {:>6}  {:>7}  {:>6}  {:>8}",
                c.caught, c.timeout, c.missed, c.unviable
            );
        }
        let _ = writeln!(text, "\nmissed mutants, each with why it may stay:");
        if self.missed.is_empty() {
            let _ = writeln!(text, "(none)");
        }
        for (mutant, why) in &self.missed {
            let _ = writeln!(text, "- {mutant}\n  why: {why}");
        }
        text
    }
}

/// A mutant's name as cargo-mutants prints it, `listings/<crate>/src/a.rs:12:5: replace …`, made
/// stable across edits: the crate prefix and the line and column dropped.
pub fn stable_name(crate_dir: &str, line: &str) -> Option<(String, String)> {
    let (location, description) = line.split_once(": ")?;
    let mut parts = location.rsplitn(3, ':');
    let (_column, _line, path) = (parts.next()?, parts.next()?, parts.next()?);
    let file = path
        .strip_prefix(crate_dir)
        .map(|p| p.trim_start_matches('/'))
        .unwrap_or(path)
        .to_string();
    Some((file.clone(), format!("{file}: {}", description.trim())))
}

/// `cargo xtask mutants <crate> [--file PATH]...`.
pub fn run(root: &Path, args: &[&str]) -> Result<()> {
    let (krate, files) = match args {
        [krate, rest @ ..] if !krate.starts_with('-') => (*krate, parse_files(rest)?),
        _ => bail!("usage: cargo xtask mutants <crate> [--file listings/<crate>/src/FILE.rs]..."),
    };
    let crate_dir = format!("listings/{krate}");
    if !root.join(&crate_dir).join("Cargo.toml").is_file() {
        bail!("no listing crate `{krate}` (expected {crate_dir}/Cargo.toml)");
    }
    for file in &files {
        if !root.join(file).is_file() || !file.starts_with(&format!("{crate_dir}/src/")) {
            bail!("--file {file}: not a file under {crate_dir}/src/");
        }
    }
    check_version()?;

    let work = root.join("target").join("mutants");
    fs::create_dir_all(&work)?;
    let lock = File::create(work.join("lock"))?;
    if lock.try_lock().is_err() {
        println!("xtask mutants: another mutation run holds target/mutants/lock; waiting for it");
        lock.lock().context("locking target/mutants/lock")?;
    }

    let tree = work.join("tree");
    sync_tree(root, &tree)?;
    let out = work.join(format!("out-{krate}"));
    let _ = fs::remove_dir_all(&out);

    let mut command = Command::new(env_cargo());
    command
        .args(["mutants", "--in-place", "--no-shuffle", "--colors", "never"])
        .args(["--package", krate])
        .arg("--output")
        .arg(&out)
        .env("CARGO_TARGET_DIR", tree.join("target"))
        .env("PROPTEST_DISABLE_FAILURE_PERSISTENCE", "1")
        .current_dir(&tree);
    if files.is_empty() {
        command.args(["--file", &format!("{crate_dir}/src/**")]);
    } else {
        for file in &files {
            command.args(["--file", file]);
        }
    }
    for excluded in [
        "**/main.rs",
        "**/exercise.rs",
        &format!("{crate_dir}/src/bin/**"),
    ] {
        command.args(["--exclude", excluded]);
    }
    println!("xtask mutants: {command:?}");
    let status = command.status().context("could not start cargo mutants")?;
    // 0: all caught; 2: some missed; 3: some timed out. Anything else means no result.
    if !matches!(status.code(), Some(0 | 2 | 3)) {
        bail!(
            "cargo mutants failed ({status}); its log is in {}",
            out.join("mutants.out").display()
        );
    }

    let outcome = read_outcome(&out.join("mutants.out"), &crate_dir)?;
    let path = root.join(&crate_dir).join("mutants.txt");
    let previous = match fs::read_to_string(&path) {
        Ok(text) => Report::parse(&text).with_context(|| format!("reading {}", path.display()))?,
        Err(_) => Report::default(),
    };
    let rerun: BTreeSet<String> = if files.is_empty() {
        previous.files.keys().cloned().collect()
    } else {
        files
            .iter()
            .map(|f| f.trim_start_matches(&format!("{crate_dir}/")).to_string())
            .collect()
    };
    let report = merge(&previous, &outcome, &rerun);
    let header = format!(
        "# Mutation testing of {krate}'s library\n\
         # cargo-mutants {VERSION} over {crate_dir}/src (not main.rs, src/bin/ or exercise.rs); \
         `cargo test -p {krate}` against each mutant\n{}\n",
        header(
            &format!("cargo xtask mutants {krate}"),
            "dev",
            &root.join(&crate_dir)
        )
    );
    fs::write(&path, report.render(&header))
        .with_context(|| format!("writing {}", path.display()))?;
    let total = report.total();
    println!(
        "xtask mutants: {krate}: {} of {} viable mutants caught ({:.1} %), {} missed, {} unviable; wrote {}",
        total.caught + total.timeout,
        total.viable(),
        report.score(),
        total.missed,
        total.unviable,
        path.display()
    );
    for (mutant, why) in &report.missed {
        if why.starts_with(UNEXPLAINED) {
            println!("  missed: {mutant}");
        }
    }
    Ok(())
}

fn parse_files(args: &[&str]) -> Result<Vec<String>> {
    let mut files = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match (*arg, rest.next()) {
            ("--file", Some(file)) => files.push(file.trim_start_matches("./").to_string()),
            _ => bail!("unexpected argument `{arg}`: only `--file PATH` may follow the crate"),
        }
    }
    Ok(files)
}

fn check_version() -> Result<()> {
    let output = Command::new(env_cargo())
        .args(["mutants", "--version"])
        .output()
        .context("could not run `cargo mutants`")?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || !text.contains(VERSION) {
        bail!(
            "cargo-mutants {VERSION} is needed (found: {}); install it with \
             `cargo install --locked cargo-mutants@{VERSION}`",
            if output.status.success() {
                text.trim()
            } else {
                "none"
            }
        );
    }
    Ok(())
}

/// Makes `tree` a copy of the work tree (uncommitted edits included), keeping mtimes so the copy's
/// own build stays incremental.
fn sync_tree(root: &Path, tree: &Path) -> Result<()> {
    fs::create_dir_all(tree)?;
    let mut source = root.as_os_str().to_owned();
    source.push("/");
    crate::run_command(
        Command::new("rsync")
            .args(["-a", "--delete"])
            .args(["--exclude=/target", "--exclude=/book", "--exclude=/.git"])
            .args(["--exclude=/src/quiz", "--exclude=mutants.out*"])
            .arg(&source)
            .arg(tree),
    )
    .context("copying the work tree with rsync (install rsync)")
}

/// The outcome of a run, from cargo-mutants' `caught.txt`, `timeout.txt`, `missed.txt` and
/// `unviable.txt`.
fn read_outcome(out: &Path, crate_dir: &str) -> Result<Report> {
    let mut report = Report::default();
    for kind in ["caught", "timeout", "missed", "unviable"] {
        let path = out.join(format!("{kind}.txt"));
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let Some((file, name)) = stable_name(crate_dir, line) else {
                bail!("{}: cannot read `{line}`", path.display());
            };
            let counts = report.files.entry(file).or_default();
            match kind {
                "caught" => counts.caught += 1,
                "timeout" => counts.timeout += 1,
                "missed" => {
                    counts.missed += 1;
                    report.missed.insert(name, String::new());
                }
                _ => counts.unviable += 1,
            }
        }
    }
    Ok(report)
}

/// The new report: the files in `rerun` (and every file the run reached) from `outcome`, the rest
/// kept from `previous`; explanations carried over by mutant name.
pub fn merge(previous: &Report, outcome: &Report, rerun: &BTreeSet<String>) -> Report {
    let replaced = |file: &str| rerun.contains(file) || outcome.files.contains_key(file);
    let mut report = Report::default();
    for (file, counts) in &previous.files {
        if !replaced(file) {
            report.files.insert(file.clone(), *counts);
        }
    }
    for (mutant, why) in &previous.missed {
        let file = mutant.split_once(": ").map_or("", |(f, _)| f);
        if !replaced(file) {
            report.missed.insert(mutant.clone(), why.clone());
        }
    }
    report.files.extend(outcome.files.clone());
    for mutant in outcome.missed.keys() {
        let why = previous
            .missed
            .get(mutant)
            .filter(|why| !why.is_empty())
            .cloned()
            .unwrap_or_else(|| {
                format!(
                    "{UNEXPLAINED}: add a test that fails on this mutant, or say why it may stay"
                )
            });
        report.missed.insert(mutant.clone(), why);
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_drop_the_crate_folder_and_the_position() {
        let line =
            "listings/ch01-scalability/src/pool.rs:41:17: replace * with + in Pool::utilisation";
        assert_eq!(
            stable_name("listings/ch01-scalability", line),
            Some((
                "src/pool.rs".to_string(),
                "src/pool.rs: replace * with + in Pool::utilisation".to_string()
            ))
        );
    }

    #[test]
    fn a_rendered_report_reads_back_the_same() {
        let mut report = Report::default();
        report.files.insert(
            "src/a.rs".into(),
            Counts {
                caught: 9,
                timeout: 1,
                missed: 1,
                unviable: 2,
            },
        );
        report.files.insert(
            "src/b.rs".into(),
            Counts {
                caught: 8,
                ..Counts::default()
            },
        );
        report.missed.insert(
            "src/a.rs: replace > with >= in f".into(),
            "equivalent: x is never equal to y".into(),
        );
        let text = report.render("# header\n\n");
        assert!(
            text.contains("score: 18 of 19 viable mutants caught (94.7 %"),
            "{text}"
        );
        assert_eq!(Report::parse(&text).unwrap(), report);
    }

    #[test]
    fn a_rerun_of_one_file_keeps_the_others_and_the_explanations() {
        let mut previous = Report::default();
        previous.files.insert(
            "src/a.rs".into(),
            Counts {
                caught: 1,
                missed: 2,
                ..Counts::default()
            },
        );
        previous.files.insert(
            "src/b.rs".into(),
            Counts {
                caught: 5,
                missed: 1,
                ..Counts::default()
            },
        );
        previous
            .missed
            .insert("src/a.rs: m1".into(), "because".into());
        previous
            .missed
            .insert("src/a.rs: m2".into(), "gone now".into());
        previous.missed.insert("src/b.rs: m3".into(), "kept".into());
        let mut outcome = Report::default();
        outcome.files.insert(
            "src/a.rs".into(),
            Counts {
                caught: 3,
                missed: 2,
                ..Counts::default()
            },
        );
        outcome.missed.insert("src/a.rs: m1".into(), String::new());
        outcome.missed.insert("src/a.rs: m4".into(), String::new());
        let rerun = BTreeSet::from(["src/a.rs".to_string()]);
        let merged = merge(&previous, &outcome, &rerun);
        assert_eq!(merged.files["src/a.rs"].caught, 3);
        assert_eq!(merged.files["src/b.rs"].caught, 5);
        assert_eq!(merged.missed["src/a.rs: m1"], "because");
        assert!(merged.missed["src/a.rs: m4"].starts_with(UNEXPLAINED));
        assert_eq!(merged.missed["src/b.rs: m3"], "kept");
        assert!(!merged.missed.contains_key("src/a.rs: m2"));
    }
}
