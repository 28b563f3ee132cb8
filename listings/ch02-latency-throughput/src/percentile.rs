//! The exact percentile, computed the slow way, so that the fast way can be checked against it.
//!
//! A load generator never keeps every sample: it keeps a histogram (see [`crate::histogram`]).
//! This module is the reference the histogram is tested against: sort all the samples, and
//! take the **nearest-rank** percentile.

// ANCHOR: nearest_rank
/// The nearest-rank `percentile` (0 to 100) of samples that are already sorted ascending.
///
/// The P-th percentile of N samples is the sample at rank ⌈P/100 × N⌉ (1-based), the smallest
/// sample such that at least P % of all samples are less than or equal to it. It is always one
/// of the recorded samples, never an interpolation: "P99 = 12 ms" means some request really took
/// 12 ms and 99 % took no longer. P0 is defined as the minimum.
///
/// Returns `None` for no samples, or a percentile outside 0..=100 (or NaN).
pub fn nearest_rank(sorted: &[u64], percentile: f64) -> Option<u64> {
    if sorted.is_empty() || !(0.0..=100.0).contains(&percentile) {
        return None;
    }
    // The same floating-point steps as hdrhistogram's `value_at_quantile`, so that the two
    // agree on the rank even when P/100 × N lands a hair above or below an integer.
    let quantile = percentile / 100.0;
    let rank = (quantile * sorted.len() as f64).ceil() as usize;
    let rank = rank.clamp(1, sorted.len());
    Some(sorted[rank - 1])
}
// ANCHOR_END: nearest_rank
