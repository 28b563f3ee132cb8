//! Exercise 2: the tests your `LogLinearHistogram` makes pass.
//!
//! `cargo test -p ch02-latency-throughput --features starter --test exercise` runs them against
//! your starter; without `--features starter`, against the reference solution.

// ANCHOR: exercise_tests
use ch02_latency_throughput::exercise::LogLinearHistogram;
use ch02_latency_throughput::percentile::nearest_rank;
use proptest::prelude::*;

fn histogram(bits: u32) -> LogLinearHistogram {
    LogLinearHistogram::new(bits).expect("valid bits")
}

#[test]
fn small_values_are_exact() {
    let mut h = histogram(8);
    let values: Vec<u64> = (0..256).rev().collect();
    for &v in &values {
        h.record(v);
    }
    let mut sorted = values.clone();
    sorted.sort_unstable();
    for p in [0.0, 1.0, 25.0, 50.0, 90.0, 99.0, 99.9, 100.0] {
        assert_eq!(h.value_at_percentile(p), nearest_rank(&sorted, p), "P{p}");
    }
    assert_eq!((h.len(), h.max()), (256, Some(255)));
}

#[test]
fn empty_or_out_of_range_is_none() {
    let mut h = histogram(8);
    assert!(h.is_empty());
    assert_eq!((h.value_at_percentile(50.0), h.max()), (None, None));
    h.record(7);
    assert_eq!(h.value_at_percentile(101.0), None);
    assert_eq!(h.value_at_percentile(-1.0), None);
    assert_eq!(h.value_at_percentile(f64::NAN), None);
}

#[test]
fn bits_are_validated() {
    for bad in [0, 1, 17, 64] {
        assert!(LogLinearHistogram::new(bad).is_err(), "bits = {bad}");
    }
    assert_eq!(histogram(8).relative_error(), 1.0 / 128.0);
}

#[test]
fn memory_depends_on_range_not_on_samples() {
    let mut h = histogram(8);
    for v in (1..=1_000_000u64).step_by(3) {
        h.record(v);
    }
    // 1,000,000 < 2^20: 256 exact buckets, then one range of 128 buckets for each power of two
    // from 2^8 to 2^19, 12 ranges, however many values are recorded.
    assert!(
        h.bucket_count() <= 256 + 12 * 128,
        "{} buckets",
        h.bucket_count()
    );
    assert_eq!(h.len(), 333_334);
    let mut h = histogram(8);
    h.record(u64::MAX);
    assert_eq!(h.value_at_percentile(100.0), Some(u64::MAX));
}

#[test]
fn corrected_recording_adds_the_omitted_samples() {
    // One response took 100 ms on a schedule of one request per 10 ms: the 9 requests that
    // should have been sent during the wait would have waited 90, 80, ..., 10 ms.
    let mut h = histogram(8);
    h.record_corrected(100, 10);
    assert_eq!(h.len(), 10);
    assert_eq!(h.value_at_percentile(0.0), Some(10));
    assert_eq!(h.value_at_percentile(50.0), Some(50));
    assert_eq!(h.value_at_percentile(100.0), Some(100));
    // Faster than the schedule, or no schedule: nothing was omitted.
    h.record_corrected(5, 10);
    h.record_corrected(1_000, 0);
    assert_eq!(h.len(), 12);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn percentiles_are_within_the_relative_error(
        values in prop::collection::vec(0u64..5_000_000_000, 1..500),
        percentile in 0.0f64..=100.0,
        bits in 4u32..=12,
    ) {
        let mut h = histogram(bits);
        for &v in &values {
            h.record(v);
        }
        let mut sorted = values.clone();
        sorted.sort_unstable();
        let exact = nearest_rank(&sorted, percentile).expect("non-empty");
        let estimate = h.value_at_percentile(percentile).expect("non-empty");
        prop_assert!(estimate >= exact, "P{percentile}: {estimate} < exact {exact}");
        let bound = exact as f64 * h.relative_error();
        prop_assert!((estimate - exact) as f64 <= bound, "P{percentile}: {estimate} vs {exact}");
    }
}
// ANCHOR_END: exercise_tests
