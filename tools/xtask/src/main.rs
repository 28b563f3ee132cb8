//! `cargo xtask`: the one tool that serves, builds, checks and tests the book.
//!
//! Every command a reader or CI needs is here, so the README's two commands (`cargo xtask serve`,
//! `cargo xtask test`) are all anyone has to remember.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use xtask::{
    browser, check, diagrams, lighthouse, listings, mutants, pdf, run_command, template, tools,
};

const USAGE: &str = "\
usage: cargo xtask <command> [args]

commands:
  serve [--port N]     install the pinned tools if needed, build the book, serve it at
                       http://localhost:3000 (or port N), rebuilding on change
  build                build the HTML book into book/
  check                the book checker: the chapter contract and the whole-book rules
  test                 everything CI runs: formatting, check, clippy, every workspace test
                       (listings, exercises, the checker, the book's inline Rust), each exercise's
                       starter failing its tests, the book build, the browser test, the PDF and
                       the performance check (Lighthouse on every chapter page, against targets)
  browser-test         only the headless-Chromium test of an already built book/
  diagrams             draw the mermaid diagrams that have no drawing yet into src/diagrams/
                       (headless Chromium), remove unused drawings
  pdf                  print the whole book (diagrams drawn, quizzes with an answer appendix) to
                       book/system-design-mastery.pdf through headless Chromium, then check it
  lighthouse [--runs N] [--page PAGE]... [--json PATH]
                       Lighthouse 12.2.3 (mobile preset, gzip from loopback) on every written
                       chapter page, N runs each (default 3): prints the medians against the
                       targets; reports only (`test` runs the check that fails)
  capture <crate>      run a listing's demo (release build) and write listings/<crate>/output.txt
  bench <crate>        run a listing's criterion benchmarks and write listings/<crate>/bench.txt
  mutants <crate> [--file PATH]...
                       mutation testing (cargo-mutants 27.1.0) of a listing's library, in a copy
                       of the work tree; writes listings/<crate>/mutants.txt (counts per file,
                       every missed mutant with why it may stay); --file reruns only those files
  install-tools        install mdbook 0.5.4, mdbook-mermaid 0.17.1, mdbook-quiz 0.5.0 if missing
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<()> {
    let root = workspace_root()?;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["serve"] => serve(&root, 3000),
        ["serve", "--port", port] => serve(&root, parse_port(port)?),
        ["build"] => build_book(&root),
        ["check"] => run_check(&root),
        ["test"] => test_everything(&root),
        ["browser-test"] => browser::run(&root),
        ["diagrams"] => diagrams::run(&root),
        ["pdf"] => print_pdf(&root),
        ["lighthouse", rest @ ..] => {
            if !root.join("book").join("index.html").exists() {
                build_book(&root)?;
            }
            lighthouse::run(&root, rest)
        }
        ["capture", krate] => listings::capture(&root, krate),
        ["bench", krate] => listings::bench(&root, krate),
        ["mutants", rest @ ..] => mutants::run(&root, rest),
        ["install-tools"] => tools::ensure_installed(),
        ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            Ok(())
        }
        [] => bail!("no command given\n\n{USAGE}"),
        [_, ..] => bail!(
            "unknown command or arguments: `{}`\n\n{USAGE}",
            args.join(" ")
        ),
    }
}

fn parse_port(text: &str) -> Result<u16> {
    text.parse()
        .with_context(|| format!("`{text}` is not a port number (1-65535)"))
}

/// The workspace root: two levels above this crate's manifest.
fn workspace_root() -> Result<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest
        .ancestors()
        .nth(2)
        .context("xtask is not inside the workspace")?;
    Ok(root.to_path_buf())
}

fn serve(root: &Path, port: u16) -> Result<()> {
    tools::ensure_installed()?;
    template::write(root)?;
    rewrite_template_on_change(root.to_path_buf());
    println!("xtask: serving the book at http://localhost:{port} (Ctrl-C stops)");
    run_command(
        Command::new("mdbook")
            .args([
                "serve",
                "--hostname",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ])
            .current_dir(root),
    )
}

/// While `mdbook serve` runs: writes the page template again when a file inlined into it changes
/// (a stylesheet, the lazy-highlight script), so its change shows as any other edit does.
fn rewrite_template_on_change(root: PathBuf) {
    std::thread::spawn(move || {
        let newest = || {
            template::inlined_sources(&root)
                .ok()
                .and_then(|sources| template::newest_change(&sources))
        };
        let mut seen = newest();
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
            let now = newest();
            if now != seen {
                seen = now;
                if let Err(error) = template::write(&root) {
                    eprintln!("xtask: could not write {}: {error:#}", template::TEMPLATE);
                }
            }
        }
    });
}

fn build_book(root: &Path) -> Result<()> {
    tools::ensure_installed()?;
    template::write(root)?;
    run_command(Command::new("mdbook").arg("build").current_dir(root))?;
    println!("xtask: the book is in {}", root.join("book").display());
    Ok(())
}

/// `cargo xtask pdf`: rebuilds the book first when a source is newer than it, so the PDF never
/// shows an older book than the sources.
fn print_pdf(root: &Path) -> Result<()> {
    if pdf::book_is_stale(root)? {
        build_book(root)?;
    }
    pdf::run(root)
}

fn run_check(root: &Path) -> Result<()> {
    let diagnostics = check::check_book(root)?;
    for diagnostic in &diagnostics {
        eprintln!("{diagnostic}");
    }
    if diagnostics.is_empty() {
        println!("xtask check: the book meets the contract");
        Ok(())
    } else {
        bail!("{} problem(s) found by the book checker", diagnostics.len())
    }
}

/// One step of `cargo xtask test`: a name for the summary and the work.
type Step<'a> = (&'a str, Box<dyn Fn() -> Result<()> + 'a>);

fn test_everything(root: &Path) -> Result<()> {
    let cargo = tools::env_cargo();
    let cargo_in_root = |args: &'static [&'static str]| {
        let cargo = cargo.clone();
        move || run_command(Command::new(&cargo).args(args).current_dir(root))
    };
    let steps: Vec<Step> = vec![
        (
            "formatting",
            Box::new(cargo_in_root(&["fmt", "--all", "--check"])),
        ),
        ("book checker", Box::new(|| run_check(root))),
        (
            "clippy",
            Box::new(cargo_in_root(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--quiet",
                "--",
                "-D",
                "warnings",
            ])),
        ),
        (
            "workspace tests",
            Box::new(cargo_in_root(&["test", "--workspace"])),
        ),
        (
            "exercise starters fail",
            Box::new(|| listings::check_starters(root)),
        ),
        ("book build", Box::new(|| build_book(root))),
        ("browser test", Box::new(|| browser::run(root))),
        ("pdf", Box::new(|| pdf::test(root))),
        ("performance", Box::new(|| lighthouse::check(root))),
    ];

    let started = std::time::Instant::now();
    let mut failed = Vec::new();
    for (name, step) in &steps {
        println!("\n==== xtask test: {name} ====");
        if let Err(error) = step() {
            eprintln!("xtask test: {name} FAILED: {error:#}");
            failed.push(*name);
        }
    }
    let passed = steps.len() - failed.len();
    println!("\nxtask test: took {} s", started.elapsed().as_secs());
    println!("xtask: {passed} passed, {} failed", failed.len());
    if failed.is_empty() {
        Ok(())
    } else {
        bail!("failed steps: {}", failed.join(", "))
    }
}
