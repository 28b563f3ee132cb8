//! Exercise 2, starter: a streaming log-linear histogram of your own.
//!
//! Build a histogram whose buckets are exact for small values and then grow with the value, so
//! that every bucket is at most a fixed fraction of the values it holds, and add the correction
//! for coordinated omission that HdrHistogram's `record_correct` makes. `cargo test -p
//! ch02-latency-throughput --features starter --test exercise` runs the tests you make pass.

// The bodies are yours to write; until then the parameters are unused.
#![allow(unused_variables)]

// ANCHOR: exercise_starter
use crate::Error;

/// A histogram of `u64` values with relative precision 2^-(bits − 1).
///
/// Values below 2^bits get one bucket each (exact). Above that, every power-of-two range
/// [2^e, 2^(e+1)) is split into 2^(bits − 1) equal buckets.
pub struct LogLinearHistogram {
    // exercise 2: the bits, one count per bucket (grown on demand), the total and the max.
}

impl LogLinearHistogram {
    /// An empty histogram with `bits` significant binary digits, 2 to 16.
    pub fn new(bits: u32) -> Result<Self, Error> {
        todo!("exercise 2: validate bits, start empty")
    }

    /// The worst relative error of a percentile: 2^-(bits − 1).
    pub fn relative_error(&self) -> f64 {
        todo!("exercise 2: 0.5 to the power bits − 1")
    }

    /// Record one value: find its bucket and count it.
    pub fn record(&mut self, value: u64) {
        todo!("exercise 2: value → bucket index → count += 1")
    }

    /// Record `value` plus the samples a generator omitted while it waited: `value − interval`,
    /// `value − 2 × interval`, ... as long as they are at least `expected_interval` (0: none).
    pub fn record_corrected(&mut self, value: u64, expected_interval: u64) {
        todo!("exercise 2: record the value, then the omitted ones")
    }

    /// How many values were recorded.
    pub fn len(&self) -> u64 {
        todo!("exercise 2")
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        todo!("exercise 2")
    }

    /// The largest value recorded, exactly.
    pub fn max(&self) -> Option<u64> {
        todo!("exercise 2")
    }

    /// How many buckets are allocated: bounded by the largest value, not by the sample count.
    pub fn bucket_count(&self) -> usize {
        todo!("exercise 2")
    }

    /// The nearest-rank `percentile` (0 to 100): the top of the bucket that holds the sample of
    /// rank ⌈P/100 × N⌉, capped at the maximum. `None` if empty or `percentile` is out of range.
    pub fn value_at_percentile(&self, percentile: f64) -> Option<u64> {
        todo!("exercise 2: walk the buckets until the running count reaches the rank")
    }
}
// ANCHOR_END: exercise_starter
