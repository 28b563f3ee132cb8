//! `capacity`: prints the capacity estimate of each scenario file given, with its arithmetic.
//!
//! ```text
//! cargo run -p ch03-capacity-estimation --bin capacity -- scenarios/chat.toml
//! cargo run -p ch03-capacity-estimation --bin capacity -- --summary scenarios/*.toml
//! ```
//!
//! A malformed file is reported as `FILE:LINE: field `NAME`: what is wrong`, with exit code 1.

use std::path::PathBuf;
use std::process::ExitCode;

use ch03_capacity_estimation::{Scenario, report};
use clap::Parser;

#[derive(Parser)]
#[command(
    name = "capacity",
    about = "Back-of-envelope capacity estimates from TOML scenarios."
)]
struct Cli {
    /// One line per scenario instead of the full table.
    #[arg(long)]
    summary: bool,
    /// Scenario files (TOML).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut loaded = Vec::new();
    for file in &cli.files {
        match Scenario::load(file) {
            Ok(scenario) => loaded.push((file.display().to_string(), scenario)),
            Err(error) => {
                eprintln!("capacity: error: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    if cli.summary {
        print!("{}", report::summary(&loaded));
    } else {
        for (source, scenario) in &loaded {
            println!("{}", report::render(source, scenario));
        }
    }
    ExitCode::SUCCESS
}
