//! The percentile maths: the exact nearest-rank function on known data and by its definition,
//! and the HDR histogram checked against it on random samples.

use std::time::Duration;

use ch02_latency_throughput::LatencyHistogram;
use ch02_latency_throughput::percentile::nearest_rank;
use proptest::prelude::*;

#[test]
fn nearest_rank_on_a_worked_example() {
    // Five samples; the P-th percentile is the sample at rank ceil(P/100 × 5).
    let sorted = [15, 20, 35, 40, 50];
    assert_eq!(nearest_rank(&sorted, 5.0), Some(15)); // rank ceil(0.25) = 1
    assert_eq!(nearest_rank(&sorted, 30.0), Some(20)); // rank ceil(1.5) = 2
    assert_eq!(nearest_rank(&sorted, 40.0), Some(20)); // rank 2 exactly
    assert_eq!(nearest_rank(&sorted, 50.0), Some(35)); // rank ceil(2.5) = 3
    assert_eq!(nearest_rank(&sorted, 100.0), Some(50));
    assert_eq!(nearest_rank(&sorted, 0.0), Some(15)); // P0 is the minimum
}

#[test]
fn p99_of_100_samples_is_the_99th_not_the_max() {
    let sorted: Vec<u64> = (1..=100).collect();
    assert_eq!(nearest_rank(&sorted, 99.0), Some(99));
    assert_eq!(nearest_rank(&sorted, 99.9), Some(100));
}

#[test]
fn nearest_rank_rejects_what_has_no_answer() {
    assert_eq!(nearest_rank(&[], 50.0), None);
    assert_eq!(nearest_rank(&[1, 2], -0.1), None);
    assert_eq!(nearest_rank(&[1, 2], 100.1), None);
    assert_eq!(nearest_rank(&[1, 2], f64::NAN), None);
}

#[test]
fn summary_of_a_known_distribution() {
    let mut h = LatencyHistogram::new();
    // 990 fast requests at 1 ms and 10 slow ones at 100 ms.
    for _ in 0..990 {
        h.record(Duration::from_millis(1));
    }
    for _ in 0..10 {
        h.record(Duration::from_millis(100));
    }
    let s = h.summary();
    assert_eq!(s.count, 1_000);
    assert!(s.p50 >= Duration::from_millis(1) && s.p50 <= Duration::from_micros(1_001));
    assert!(
        s.p99 <= Duration::from_micros(1_001),
        "P99 is the 990th sample: {:?}",
        s.p99
    );
    assert!(
        s.p999 >= Duration::from_millis(100),
        "P99.9 is a slow one: {:?}",
        s.p999
    );
    // The mean is pulled up by the ten slow ones: (990 × 1 + 10 × 100) / 1000 = 1.99 ms.
    assert!(
        (s.mean.as_secs_f64() * 1e3 - 1.99).abs() < 0.01,
        "{:?}",
        s.mean
    );
}

#[test]
fn corrected_recording_fills_in_the_omitted_requests() {
    let mut h = LatencyHistogram::new();
    // One 100 ms response on a 10 ms schedule: 9 requests were never sent.
    h.record_corrected(Duration::from_millis(100), Duration::from_millis(10));
    assert_eq!(h.len(), 10);
    assert!(h.percentile(50.0) >= Duration::from_millis(50));
    assert!(h.percentile(50.0) <= Duration::from_micros(50_050));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The definition: at least P % of the samples are ≤ the answer, and fewer than P % are
    /// strictly below it (the answer is the smallest such sample).
    #[test]
    fn nearest_rank_meets_its_definition(
        mut samples in prop::collection::vec(0u64..1_000, 1..300),
        percentile in 0.0f64..=100.0,
    ) {
        samples.sort_unstable();
        let n = samples.len() as f64;
        let v = nearest_rank(&samples, percentile).expect("non-empty, in range");
        prop_assert!(samples.contains(&v));
        let at_or_below = samples.iter().filter(|&&s| s <= v).count() as f64;
        let below = samples.iter().filter(|&&s| s < v).count() as f64;
        prop_assert!(at_or_below >= (percentile / 100.0 * n).ceil().max(1.0));
        prop_assert!(below < (percentile / 100.0 * n).ceil().max(1.0));
    }

    /// The histogram's percentile is never below the exact one and at most 0.1 % above it
    /// (3 significant digits: buckets are at most 1/1024 of their values wide).
    #[test]
    fn hdr_percentile_is_within_its_precision_of_the_exact_one(
        samples in prop::collection::vec(1u64..60_000_000, 1..400),
        percentile in 0.0f64..=100.0,
    ) {
        let mut h = LatencyHistogram::new();
        for &s in &samples {
            h.record_micros(s);
        }
        let mut sorted = samples.clone();
        sorted.sort_unstable();
        let exact = nearest_rank(&sorted, percentile).expect("non-empty");
        let estimate = h.percentile_micros(percentile);
        prop_assert!(estimate >= exact, "P{}: {} < exact {}", percentile, estimate, exact);
        prop_assert!(estimate - exact <= exact / 1_000, "P{}: {} vs {}", percentile, estimate, exact);
    }
}
