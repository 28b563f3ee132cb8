//! Running `wrk` (a closed-loop HTTP benchmark written in C) against the same server, and
//! parsing its `--latency` report, so our generator can be checked against a standard tool.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::Error;

/// What we read from `wrk --latency`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WrkReport {
    /// The `Requests/sec:` line.
    pub requests_per_sec: f64,
    /// The `Latency Distribution` block's 50 % line.
    pub p50: Duration,
    /// Its 99 % line.
    pub p99: Duration,
    /// The `Max` column of the `Latency` thread-stats line.
    pub max: Duration,
}

/// The `wrk` executable on `PATH`, if there is one.
pub fn find_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("wrk"))
        .find(|candidate| candidate.is_file())
}

/// Run `wrk -t1 -c<connections> -d<seconds>s --latency <url>` and parse its report. Blocks: call
/// it from `tokio::task::spawn_blocking`.
pub fn run(wrk: &Path, url: &str, connections: u32, seconds: u32) -> Result<WrkReport, Error> {
    let output = Command::new(wrk)
        .args(["-t1", &format!("-c{connections}"), &format!("-d{seconds}s")])
        .args(["--latency", url])
        .output()
        .map_err(|e| Error::WrkRun(format!("{}: {e}", wrk.display())))?;
    if !output.status.success() {
        return Err(Error::WrkRun(format!(
            "exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    parse(&String::from_utf8_lossy(&output.stdout))
}

// ANCHOR: wrk_parse
/// Parse wrk's `--latency` output:
///
/// ```text
///     Latency     5.61ms  312.50us  14.02ms   93.11%
///   Latency Distribution
///      50%    5.55ms
///      99%    6.89ms
/// Requests/sec:   1423.05
/// ```
pub fn parse(output: &str) -> Result<WrkReport, Error> {
    let mut p50 = None;
    let mut p99 = None;
    let mut max = None;
    let mut requests_per_sec = None;
    for line in output.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            ["Latency", _avg, _stdev, m, _] => max = Some(duration(m)?),
            ["50%", v] => p50 = Some(duration(v)?),
            ["99%", v] => p99 = Some(duration(v)?),
            ["Requests/sec:", v] => {
                requests_per_sec = Some(
                    v.parse()
                        .map_err(|_| missing("a number after Requests/sec:"))?,
                )
            }
            _ => {}
        }
    }
    Ok(WrkReport {
        requests_per_sec: requests_per_sec.ok_or_else(|| missing("the Requests/sec line"))?,
        p50: p50.ok_or_else(|| missing("the 50% line (was --latency passed?)"))?,
        p99: p99.ok_or_else(|| missing("the 99% line (was --latency passed?)"))?,
        max: max.ok_or_else(|| missing("the Latency thread-stats line"))?,
    })
}

// ANCHOR_END: wrk_parse

/// `"5.61ms"`, `"312.50us"`, `"1.02s"`, `"2.00m"` as a duration.
fn duration(text: &str) -> Result<Duration, Error> {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .ok_or_else(|| missing(&format!("a unit in {text:?}")))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| missing(&format!("a number in {text:?}")))?;
    let seconds_per_unit = match unit {
        "us" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => return Err(missing(&format!("a known unit in {text:?}"))),
    };
    Duration::try_from_secs_f64(number * seconds_per_unit)
        .map_err(|_| missing(&format!("a non-negative duration in {text:?}")))
}

fn missing(what: &str) -> Error {
    Error::WrkOutput(format!("expected {what}"))
}
