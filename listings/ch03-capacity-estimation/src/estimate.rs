//! The back-of-envelope arithmetic: from a [`Scenario`] to QPS, storage, bandwidth, cache and
//! servers, each figure with the arithmetic that produced it.
//!
//! Every formula is a product or a quotient of the assumptions, and two constants: a day has
//! 86,400 seconds and a year 365 days. Interviewers often round the first to 10^5 to do the
//! division in their head; we keep it exact, and the chapter shows what the rounding costs.

use crate::format;
use crate::scenario::Scenario;

/// Seconds in a day: 24 × 60 × 60.
pub const SECONDS_PER_DAY: f64 = 86_400.0;
/// Days in a year, as every capacity plan rounds it.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// A rate at the average of the day and at its peak.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AverageAndPeak {
    /// Spread evenly over 86,400 seconds.
    pub average: f64,
    /// The average times the peak factor.
    pub peak: f64,
}

/// What a scenario needs. Rates are per second; sizes are bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Requests of every kind per day.
    pub requests_per_day: f64,
    /// Writes per day.
    pub writes_per_day: f64,
    /// Reads per day.
    pub reads_per_day: f64,
    /// Write requests per second.
    pub write_qps: AverageAndPeak,
    /// Read requests per second.
    pub read_qps: AverageAndPeak,
    /// All requests per second.
    pub total_qps: AverageAndPeak,
    /// Bytes written in a year, one copy.
    pub storage_per_year: f64,
    /// Bytes written in a year, all replicas.
    pub storage_per_year_replicated: f64,
    /// Bytes held once the retention period is full, all replicas.
    pub storage_held: f64,
    /// Bytes per second coming in (writes).
    pub bandwidth_in: AverageAndPeak,
    /// Bytes per second going out (reads).
    pub bandwidth_out: AverageAndPeak,
    /// Bytes of cache for the hot share of a day's reads.
    pub cache_bytes: f64,
    /// Servers needed for the peak, at the scenario's per-server QPS.
    pub servers: u64,
}

// ANCHOR: estimate
impl Estimate {
    /// Does the arithmetic. Never panics: every input is bounded by the parser, so every
    /// product is finite, and the server count saturates rather than overflows.
    pub fn new(s: &Scenario) -> Estimate {
        let requests_per_day = s.daily_active_users * s.actions_per_user_per_day;
        let writes_per_day = requests_per_day * s.read_write_ratio.write_share();
        let reads_per_day = requests_per_day * s.read_write_ratio.read_share();
        let per_second = |per_day: f64| AverageAndPeak {
            average: per_day / SECONDS_PER_DAY,
            peak: per_day / SECONDS_PER_DAY * s.peak_factor,
        };
        let write_qps = per_second(writes_per_day);
        let read_qps = per_second(reads_per_day);
        let total_qps = per_second(requests_per_day);
        let written_per_day = writes_per_day * s.write_size_bytes;
        let storage_per_year = written_per_day * DAYS_PER_YEAR;
        Estimate {
            requests_per_day,
            writes_per_day,
            reads_per_day,
            write_qps,
            read_qps,
            total_qps,
            storage_per_year,
            storage_per_year_replicated: storage_per_year * s.replication,
            storage_held: written_per_day * s.retention_days * s.replication,
            bandwidth_in: per_second(written_per_day),
            bandwidth_out: per_second(reads_per_day * s.read_size_bytes),
            cache_bytes: reads_per_day * s.read_size_bytes * s.cache_hot_fraction,
            // `as` saturates at u64::MAX: a silly scenario gets a silly count, not a panic.
            servers: (total_qps.peak / s.server_qps).ceil().max(1.0) as u64,
        }
    }
}
// ANCHOR_END: estimate

/// One line of the report: a metric, its value, and how it was computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// What is measured, such as "read QPS, peak".
    pub metric: &'static str,
    /// The value with its unit.
    pub value: String,
    /// The arithmetic, with the inputs as numbers, ending in the value.
    pub arithmetic: String,
}

impl Estimate {
    /// The report's rows, each showing its arithmetic.
    pub fn rows(&self, s: &Scenario) -> Vec<Row> {
        use format::{bits_per_second as bits, bytes, days, number as n};
        let ratio = s.read_write_ratio;
        let (r, w) = (n(ratio.reads), n(ratio.writes));
        let row = |metric, value: String, arithmetic: String| Row {
            metric,
            value,
            arithmetic,
        };
        let qps = |value: f64| format!("{} req/s", n(value));
        let peak_factor = n(s.peak_factor);
        // The constants are printed from the same values the arithmetic used.
        let (day, year) = (n(SECONDS_PER_DAY), n(DAYS_PER_YEAR));
        vec![
            row(
                "requests per day",
                format!("{} req/day", n(self.requests_per_day)),
                format!(
                    "{} users x {} req/user = {} req/day",
                    n(s.daily_active_users),
                    n(s.actions_per_user_per_day),
                    n(self.requests_per_day)
                ),
            ),
            row(
                "writes per day",
                format!("{} writes/day", n(self.writes_per_day)),
                format!(
                    "{} req/day x {w}/({r}+{w}) = {} writes/day",
                    n(self.requests_per_day),
                    n(self.writes_per_day)
                ),
            ),
            row(
                "reads per day",
                format!("{} reads/day", n(self.reads_per_day)),
                format!(
                    "{} req/day x {r}/({r}+{w}) = {} reads/day",
                    n(self.requests_per_day),
                    n(self.reads_per_day)
                ),
            ),
            row(
                "write QPS, average",
                qps(self.write_qps.average),
                format!(
                    "{} writes/day / {day} s = {}",
                    n(self.writes_per_day),
                    qps(self.write_qps.average)
                ),
            ),
            row(
                "read QPS, average",
                qps(self.read_qps.average),
                format!(
                    "{} reads/day / {day} s = {}",
                    n(self.reads_per_day),
                    qps(self.read_qps.average)
                ),
            ),
            row(
                "write QPS, peak",
                qps(self.write_qps.peak),
                format!(
                    "{} x {peak_factor} peak factor = {}",
                    qps(self.write_qps.average),
                    qps(self.write_qps.peak)
                ),
            ),
            row(
                "read QPS, peak",
                qps(self.read_qps.peak),
                format!(
                    "{} x {peak_factor} peak factor = {}",
                    qps(self.read_qps.average),
                    qps(self.read_qps.peak)
                ),
            ),
            row(
                "total QPS, peak",
                qps(self.total_qps.peak),
                format!(
                    "{} req/day / {day} s x {peak_factor} = {}",
                    n(self.requests_per_day),
                    qps(self.total_qps.peak)
                ),
            ),
            row(
                "storage per year",
                bytes(self.storage_per_year),
                format!(
                    "{} writes/day x {} B x {year} d = {} B = {}",
                    n(self.writes_per_day),
                    n(s.write_size_bytes),
                    n(self.storage_per_year),
                    bytes(self.storage_per_year)
                ),
            ),
            row(
                "  with replication",
                bytes(self.storage_per_year_replicated),
                format!(
                    "{} x {} copies = {}",
                    bytes(self.storage_per_year),
                    n(s.replication),
                    bytes(self.storage_per_year_replicated)
                ),
            ),
            row(
                "storage held",
                format!("{} in {}", bytes(self.storage_held), days(s.retention_days)),
                format!(
                    "{} writes/day x {} B x {} d x {} copies = {}",
                    n(self.writes_per_day),
                    n(s.write_size_bytes),
                    n(s.retention_days),
                    n(s.replication),
                    bytes(self.storage_held)
                ),
            ),
            row(
                "bandwidth in, average",
                bits(self.bandwidth_in.average),
                format!(
                    "{} x {} B = {} B/s = {}",
                    qps(self.write_qps.average),
                    n(s.write_size_bytes),
                    n(self.bandwidth_in.average),
                    bits(self.bandwidth_in.average)
                ),
            ),
            row(
                "bandwidth in, peak",
                bits(self.bandwidth_in.peak),
                format!(
                    "{} x {peak_factor} peak factor = {}",
                    bits(self.bandwidth_in.average),
                    bits(self.bandwidth_in.peak)
                ),
            ),
            row(
                "bandwidth out, average",
                bits(self.bandwidth_out.average),
                format!(
                    "{} x {} B = {} B/s = {}",
                    qps(self.read_qps.average),
                    n(s.read_size_bytes),
                    n(self.bandwidth_out.average),
                    bits(self.bandwidth_out.average)
                ),
            ),
            row(
                "bandwidth out, peak",
                bits(self.bandwidth_out.peak),
                format!(
                    "{} x {peak_factor} peak factor = {}",
                    bits(self.bandwidth_out.average),
                    bits(self.bandwidth_out.peak)
                ),
            ),
            row(
                "cache for the hot set",
                bytes(self.cache_bytes),
                format!(
                    "{} reads/day x {} B x {}% hot = {}",
                    n(self.reads_per_day),
                    n(s.read_size_bytes),
                    n(s.cache_hot_fraction * 100.0),
                    bytes(self.cache_bytes)
                ),
            ),
            row(
                "servers",
                format!("{} servers", n(self.servers as f64)),
                format!(
                    "ceil({} / {} per server) = {} servers",
                    qps(self.total_qps.peak),
                    qps(s.server_qps),
                    n(self.servers as f64)
                ),
            ),
        ]
    }
}
