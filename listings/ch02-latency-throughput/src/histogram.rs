//! Latency recording with an HDR histogram: constant memory, constant-time record, and every
//! percentile within 0.1 % of the exact value.

use std::time::Duration;

use hdrhistogram::Histogram;

/// The slowest latency we can tell apart from "even slower": one minute. Slower samples are
/// recorded as one minute (and a request that slow has failed anyway).
const HIGHEST_MICROS: u64 = 60_000_000;

// ANCHOR: latency_histogram
/// Latencies in microseconds, in an HDR histogram with 3 significant digits.
///
/// Three significant digits means every recorded value lands in a bucket no wider than 0.1 % of
/// the value: 1,000 µs and 1,001 µs are told apart, 10,000 µs and 10,005 µs are not. In exchange
/// the histogram's memory is fixed by its range (1 µs to 60 s here) and its precision, however
/// many samples you record, and recording is an index computation and an increment.
#[derive(Clone, Debug)]
pub struct LatencyHistogram {
    micros: Histogram<u64>,
}

impl LatencyHistogram {
    /// The histogram's precision: every percentile is within 10^-3 of the exact one.
    pub const SIGNIFICANT_DIGITS: u8 = 3;

    /// An empty histogram covering 1 µs to 60 s.
    pub fn new() -> Self {
        let micros = Histogram::new_with_bounds(1, HIGHEST_MICROS, Self::SIGNIFICANT_DIGITS)
            .expect("constant bounds: 1 <= low, high >= 2 * low, 3 significant digits");
        Self { micros }
    }

    /// Record one request's latency.
    pub fn record(&mut self, latency: Duration) {
        self.record_micros(micros(latency));
    }

    /// Record a latency already in microseconds (saturating at 60 s).
    pub fn record_micros(&mut self, value: u64) {
        self.micros.saturating_record(value);
    }
    // ANCHOR_END: latency_histogram

    // ANCHOR: record_corrected
    /// Record a latency measured by a generator that *meant* to send every `expected_interval`
    /// but could not, because it was waiting for this response: HdrHistogram's correction for
    /// coordinated omission. Besides `latency` it records `latency − interval`,
    /// `latency − 2 × interval`, ... down to `expected_interval`: the latencies that the requests
    /// it failed to send during the wait would have seen.
    pub fn record_corrected(&mut self, latency: Duration, expected_interval: Duration) {
        let value = micros(latency).min(HIGHEST_MICROS);
        let interval = micros(expected_interval);
        // `record_correct` fails only for values above the histogram's range, which `min` excludes.
        if self.micros.record_correct(value, interval).is_err() {
            self.micros.saturating_record(value);
        }
    }
    // ANCHOR_END: record_corrected

    /// Add every sample of `other` to this histogram (same bounds, so this cannot fail).
    pub fn merge(&mut self, other: &LatencyHistogram) {
        // Both sides have the same bounds, so `add` can never meet a value out of range.
        let _ = self.micros.add(&other.micros);
    }

    /// How many samples were recorded.
    pub fn len(&self) -> u64 {
        self.micros.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.micros.is_empty()
    }

    /// The nearest-rank `percentile` (0 to 100) in microseconds: the highest value in the bucket
    /// that holds the exact percentile, so never below it and at most 0.1 % above it.
    pub fn percentile_micros(&self, percentile: f64) -> u64 {
        self.micros.value_at_percentile(percentile)
    }

    /// The same, as a duration.
    pub fn percentile(&self, percentile: f64) -> Duration {
        Duration::from_micros(self.percentile_micros(percentile))
    }

    /// The usual summary: mean, P50, P95, P99, P99.9 and max.
    pub fn summary(&self) -> Summary {
        Summary {
            count: self.len(),
            mean: Duration::from_secs_f64(self.micros.mean() / 1e6),
            p50: self.percentile(50.0),
            p95: self.percentile(95.0),
            p99: self.percentile(99.0),
            p999: self.percentile(99.9),
            max: Duration::from_micros(self.micros.max()),
        }
    }
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

/// A latency distribution in the six numbers a report shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Number of samples.
    pub count: u64,
    /// The arithmetic mean: what Little's law needs, and what no user ever experiences.
    pub mean: Duration,
    /// The median: the typical request.
    pub p50: Duration,
    /// One request in 20 is slower.
    pub p95: Duration,
    /// One request in 100 is slower: the usual SLO percentile.
    pub p99: Duration,
    /// One request in 1,000 is slower.
    pub p999: Duration,
    /// The slowest request seen.
    pub max: Duration,
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}
