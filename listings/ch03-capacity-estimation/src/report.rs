//! The tables the CLI prints: one scenario in full, with its arithmetic, or many side by side.

use std::fmt::Write as _;

use crate::estimate::Estimate;
use crate::format;
use crate::scenario::Scenario;

// ANCHOR: render
/// One scenario in full: the assumptions as written, then every figure with its arithmetic.
/// `source` names the file in the header, so a pasted table says where it came from.
pub fn render(source: &str, scenario: &Scenario) -> String {
    let estimate = Estimate::new(scenario);
    let mut out = String::new();
    let _ = writeln!(out, "== {}: {} ==", source, scenario.name);
    let _ = writeln!(out, "assumptions:");
    for assumption in &scenario.assumptions {
        let _ = writeln!(out, "  {:<26} {}", assumption.field, assumption.text);
    }
    let _ = writeln!(out, "{:<24} {:>24}  arithmetic", "metric", "value");
    for row in estimate.rows(scenario) {
        let _ = writeln!(
            out,
            "{:<24} {:>24}  {}",
            row.metric, row.value, row.arithmetic
        );
    }
    let _ = writeln!(out, "Conclusion: {}", conclusion(scenario, &estimate));
    out
}
// ANCHOR_END: render

/// The one-line summary a design review would quote.
fn conclusion(scenario: &Scenario, e: &Estimate) -> String {
    format!(
        "{} peak req/s need {} servers at {} req/s each; {} held over {}; {} out at peak; {} of cache.",
        format::number(e.total_qps.peak),
        format::number(e.servers as f64),
        format::number(scenario.server_qps),
        format::bytes(e.storage_held),
        format::days(scenario.retention_days),
        format::bits_per_second(e.bandwidth_out.peak),
        format::bytes(e.cache_bytes),
    )
}

/// Many scenarios side by side, one line each: the numbers a design starts from.
pub fn summary(scenarios: &[(String, Scenario)]) -> String {
    let width = scenarios
        .iter()
        .map(|(source, _)| source.len())
        .max()
        .unwrap_or(0)
        .max("scenario".len());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$} {:>15} {:>12} {:>13} {:>13} {:>13} {:>11} {:>8}",
        "scenario",
        "peak QPS",
        "write share",
        "stored/year",
        "held",
        "out, peak",
        "cache",
        "servers"
    );
    for (source, scenario) in scenarios {
        let e = Estimate::new(scenario);
        let _ = writeln!(
            out,
            "{:<width$} {:>9} req/s {:>11.1}% {:>13} {:>13} {:>13} {:>11} {:>8}",
            source,
            format::number(e.total_qps.peak),
            scenario.read_write_ratio.write_share() * 100.0,
            format::bytes(e.storage_per_year_replicated),
            format::bytes(e.storage_held),
            format::bits_per_second(e.bandwidth_out.peak),
            format::bytes(e.cache_bytes),
            format::number(e.servers as f64),
        );
    }
    out
}
