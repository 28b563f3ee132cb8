//! Chapter 3 demo: known results, the ten case-study scenarios side by side, one in full, and
//! what a malformed scenario looks like.
//!
//! `cargo run -p ch03-capacity-estimation` runs the experiments and exits;
//! `-- --all` also prints every scenario in full; `-- --write-outputs` writes each scenario's
//! full table to `outputs/<name>.txt`, the files the case-study chapters include.

use std::path::Path;

use anyhow::Context as _;
use ch03_capacity_estimation::estimate::{DAYS_PER_YEAR, SECONDS_PER_DAY};
use ch03_capacity_estimation::{Scenario, catalog, format, report};
use clap::Parser;

#[derive(Parser)]
#[command(about = "Chapter 3: capacity estimation. Without flags, runs the experiments.")]
struct Cli {
    /// Write every scenario's full table to outputs/<name>.txt, then exit.
    #[arg(long)]
    write_outputs: bool,
    /// Also print every scenario's full table.
    #[arg(long)]
    all: bool,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let scenarios = catalog::load_all(&catalog::scenarios_dir())?;
    if cli.write_outputs {
        return write_outputs(&scenarios);
    }
    known_results();
    case_studies(&scenarios)?;
    one_in_full(&scenarios)?;
    malformed_scenarios()?;
    if cli.all {
        for (stem, scenario) in &scenarios {
            println!("{}", report::render(stem, scenario));
        }
    }
    Ok(())
}

// ANCHOR: write_outputs
fn write_outputs(scenarios: &[(String, Scenario)]) -> anyhow::Result<()> {
    let dir = catalog::outputs_dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for (stem, scenario) in scenarios {
        let file = dir.join(format!("{stem}.txt"));
        std::fs::write(&file, catalog::output_file_text(stem, scenario))
            .with_context(|| format!("writing {}", file.display()))?;
        println!("wrote outputs/{stem}.txt");
    }
    Ok(())
}
// ANCHOR_END: write_outputs

/// (a) The figures every estimate is built from, computed rather than remembered.
fn known_results() {
    println!("== (a) Known results ==");
    let per_day = 1_000_000.0;
    let qps = per_day / SECONDS_PER_DAY;
    println!(
        "{} req/day / 86,400 s = {} req/s",
        format::number(per_day),
        format::number(qps)
    );
    let shortcut = per_day / 100_000.0;
    println!(
        "{} req/day / 100,000 s (the interview shortcut) = {} req/s, {}% low",
        format::number(per_day),
        format::number(shortcut),
        format::number((1.0 - shortcut / qps) * 100.0)
    );
    let kib_per_year = per_day * DAYS_PER_YEAR;
    println!(
        "1 KiB x {}/day x 365 d = {} KiB = {}",
        format::number(per_day),
        format::number(kib_per_year),
        format::bytes(kib_per_year * 1024.0)
    );
    println!(
        "1 GB (10^9 B) = {}; 1 Gbit/s = {} B/s",
        format::bytes(1e9),
        format::number(1e9 / 8.0)
    );
    println!(
        "Conclusion: 1 M requests a day is only {} req/s on average; the peak, the bytes and the \
         replicas are what make a system big.\n",
        format::number(qps)
    );
}

/// (b) Every case study of the book, one line each.
fn case_studies(scenarios: &[(String, Scenario)]) -> anyhow::Result<()> {
    println!("== (b) The ten case studies, side by side ==");
    print!("{}", report::summary(scenarios));
    let busiest = scenarios
        .iter()
        .map(|(stem, s)| (stem, ch03_capacity_estimation::Estimate::new(s)))
        .max_by(|a, b| a.1.total_qps.peak.total_cmp(&b.1.total_qps.peak))
        .context("no scenarios in scenarios/")?;
    println!(
        "Conclusion: peak load spans orders of magnitude across the case studies; the busiest, \
         {}, needs {} req/s at peak.\n",
        busiest.0,
        format::number(busiest.1.total_qps.peak)
    );
    Ok(())
}

/// (c) One scenario with every step of its arithmetic.
fn one_in_full(scenarios: &[(String, Scenario)]) -> anyhow::Result<()> {
    println!("== (c) One scenario in full ==");
    let (stem, scenario) = scenarios
        .iter()
        .find(|(stem, _)| stem == "url-shortener")
        .context("scenarios/url-shortener.toml is missing")?;
    println!("{}", report::render(stem, scenario));
    Ok(())
}

/// (d) Typical mistakes in a scenario, and the errors they produce.
fn malformed_scenarios() -> anyhow::Result<()> {
    println!("== (d) Malformed scenarios ==");
    let file = catalog::scenarios_dir().join("url-shortener.toml");
    let good =
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let mistakes = [
        (
            "a typo in a field name",
            "daily_active_users",
            "daily_active_user",
        ),
        ("a unit that does not exist", "\"100M\"", "\"100 millions\""),
        ("a zero rate", "server_qps = \"10K\"", "server_qps = \"0\""),
        ("a size without a unit", "\"100 B\"", "\"100\""),
    ];
    let display = Path::new("scenarios/url-shortener.toml");
    for (what, from, to) in mistakes {
        let broken = good.replacen(from, to, 1);
        match Scenario::parse(display, &broken) {
            Ok(_) => anyhow::bail!("{what}: the broken scenario was accepted"),
            Err(error) => println!("{what:<28} -> {error}"),
        }
    }
    println!("Conclusion: every error names the file, the line and the field; none is a panic.");
    Ok(())
}
