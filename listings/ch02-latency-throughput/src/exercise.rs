//! Exercise 2, reference solution: a streaming log-linear histogram of your own.
//!
//! The chapter records into `hdrhistogram`. Here you build the idea behind it from scratch: a
//! histogram whose buckets are exact for small values and then grow with the value, so that every
//! bucket is at most a fixed fraction of the values it holds. Memory depends on the range, not on
//! the number of samples; every percentile is within that fraction of the exact one. Then add the
//! correction for coordinated omission that HdrHistogram's `record_correct` makes.

// ANCHOR: exercise_solution
use crate::Error;

/// A histogram of `u64` values with relative precision 2^-(bits − 1).
///
/// Values below 2^bits get one bucket each (exact). Above that, the value's top `bits` binary
/// digits pick the bucket: every power-of-two range [2^e, 2^(e+1)) is split into 2^(bits − 1)
/// equal buckets, each 2^(e + 1 − bits) wide. With `bits = 8`, 1,000 and 1,003 share a bucket
/// and every percentile is within 2^-7 ≈ 0.8 % of the exact one.
pub struct LogLinearHistogram {
    bits: u32,
    counts: Vec<u64>,
    total: u64,
    max: u64,
}

impl LogLinearHistogram {
    /// An empty histogram with `bits` significant binary digits, 2 to 16.
    pub fn new(bits: u32) -> Result<Self, Error> {
        if !(2..=16).contains(&bits) {
            return Err(Error::Config(format!("bits must be 2..=16, got {bits}")));
        }
        Ok(Self {
            bits,
            counts: Vec::new(),
            total: 0,
            max: 0,
        })
    }

    /// The worst relative error of a percentile: 2^-(bits − 1).
    pub fn relative_error(&self) -> f64 {
        0.5f64.powi(self.bits as i32 - 1)
    }

    /// Record one value: find its bucket and count it.
    pub fn record(&mut self, value: u64) {
        let index = self.index_of(value);
        if index >= self.counts.len() {
            self.counts.resize(index + 1, 0);
        }
        self.counts[index] += 1;
        self.total += 1;
        self.max = self.max.max(value);
    }

    /// Record `value`, measured by a generator that meant to send every `expected_interval`,
    /// plus the samples it omitted while it waited: `value − interval`, `value − 2 × interval`,
    /// ... as long as they are at least `expected_interval`. An interval of 0 means "no schedule".
    pub fn record_corrected(&mut self, value: u64, expected_interval: u64) {
        self.record(value);
        if expected_interval == 0 {
            return;
        }
        let mut missed = value.saturating_sub(expected_interval);
        while missed >= expected_interval {
            self.record(missed);
            missed -= expected_interval;
        }
    }

    /// How many values were recorded.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The largest value recorded, exactly.
    pub fn max(&self) -> Option<u64> {
        (self.total > 0).then_some(self.max)
    }

    /// How many buckets are allocated: bounded by the largest value, not by the sample count.
    pub fn bucket_count(&self) -> usize {
        self.counts.len()
    }

    /// The nearest-rank `percentile` (0 to 100): the top of the bucket that holds the sample of
    /// rank ⌈P/100 × N⌉, capped at the maximum. `None` if empty or `percentile` is out of range.
    pub fn value_at_percentile(&self, percentile: f64) -> Option<u64> {
        if self.total == 0 || !(0.0..=100.0).contains(&percentile) {
            return None;
        }
        let rank = ((percentile / 100.0) * self.total as f64).ceil() as u64;
        let rank = rank.clamp(1, self.total);
        let mut seen = 0;
        for (index, &count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return Some(self.highest_in_bucket(index).min(self.max));
            }
        }
        Some(self.max)
    }

    /// The bucket of `value`.
    fn index_of(&self, value: u64) -> usize {
        let exact = 1u64 << self.bits;
        if value < exact {
            return value as usize;
        }
        let half = exact / 2;
        let magnitude = 63 - value.leading_zeros(); // ⌊log2 value⌋, at least `bits`
        let shift = magnitude + 1 - self.bits; // bucket width is 2^shift
        let top = value >> shift; // in [half, exact)
        (exact + u64::from(shift - 1) * half + (top - half)) as usize
    }

    /// The largest value that lands in bucket `index`.
    fn highest_in_bucket(&self, index: usize) -> u64 {
        let exact = 1u64 << self.bits;
        let index = index as u64;
        if index < exact {
            return index;
        }
        let half = exact / 2;
        let shift = (index - exact) / half + 1;
        let top = (index - exact) % half + half;
        (top << shift) + ((1u64 << shift) - 1)
    }
}
// ANCHOR_END: exercise_solution
