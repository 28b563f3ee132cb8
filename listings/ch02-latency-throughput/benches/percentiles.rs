//! What it costs to keep latencies: record 10,000 samples, then ask for P99. An HDR histogram
//! (`hdrhistogram`, through `LatencyHistogram`), the exercise's own log-linear histogram, and the
//! exact way: push every sample into a `Vec`, sort, and take the nearest rank.
//!
//! `cargo bench -p ch02-latency-throughput`

use std::hint::black_box;

use ch02_latency_throughput::LatencyHistogram;
use ch02_latency_throughput::exercise::LogLinearHistogram;
use ch02_latency_throughput::percentile::nearest_rank;
use criterion::{Criterion, criterion_group, criterion_main};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

// ANCHOR: bench_record_p99
fn bench_record_then_p99(c: &mut Criterion) {
    // Latencies in µs, log-uniform-ish between 100 µs and 100 ms, from a fixed seed.
    let mut rng = SmallRng::seed_from_u64(2);
    let samples: Vec<u64> = (0..10_000)
        .map(|_| 10f64.powf(rng.random_range(2.0..5.0)) as u64)
        .collect();
    let mut group = c.benchmark_group("record_10k_then_p99");
    group.bench_function("hdrhistogram", |b| {
        b.iter(|| {
            let mut h = LatencyHistogram::new();
            samples.iter().for_each(|&v| h.record_micros(v));
            black_box(h.percentile_micros(99.0))
        })
    });
    group.bench_function("log_linear_exercise", |b| {
        b.iter(|| {
            let mut h = LogLinearHistogram::new(11).expect("valid bits");
            samples.iter().for_each(|&v| h.record(v));
            black_box(h.value_at_percentile(99.0))
        })
    });
    group.bench_function("sorted_vec", |b| {
        b.iter(|| {
            let mut all = Vec::new();
            samples.iter().for_each(|&v| all.push(v));
            all.sort_unstable();
            black_box(nearest_rank(&all, 99.0))
        })
    });
    group.finish();
}
// ANCHOR_END: bench_record_p99

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .measurement_time(std::time::Duration::from_secs(3))
        .warm_up_time(std::time::Duration::from_secs(1));
    targets = bench_record_then_p99
}
criterion_main!(benches);
