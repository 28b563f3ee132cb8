//! Percentiles of a set of measured durations.

use std::time::Duration;

/// The median, 99th percentile and mean of a sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub count: usize,
    pub median: Duration,
    pub p99: Duration,
    pub mean: Duration,
}

impl Summary {
    /// Summarize `samples` (nearest-rank percentiles), or `None` for an empty sample.
    pub fn of(samples: &[Duration]) -> Option<Self> {
        if samples.is_empty() {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_unstable();
        let rank = |p: f64| {
            let index = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
            sorted[index.clamp(1, sorted.len()) - 1]
        };
        let total: Duration = sorted.iter().sum();
        Some(Self {
            count: sorted.len(),
            median: rank(50.0),
            p99: rank(99.0),
            mean: total / sorted.len() as u32,
        })
    }
}
