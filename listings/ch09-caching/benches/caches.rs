//! What a cache access costs: our single-threaded policies against moka's concurrent
//! `sync::Cache`, replaying the same 10,000-request Zipf trace (get, and put on a miss) into a
//! warm cache of 1,000 entries. Each measurement is one pass over the trace, so divide the
//! median by 10,000 for the cost per access.
//!
//! `cargo bench -p ch09-caching` (or `cargo xtask bench ch09-caching` for bench.txt)

use std::hint::black_box;
use std::time::Duration;

use ch09_caching::workload::zipf_trace;
use ch09_caching::{Policy, Workload};
use criterion::{Criterion, criterion_group, criterion_main};

// ANCHOR: bench_vs_moka
fn bench_access(c: &mut Criterion) {
    let workload = Workload {
        keys: 10_000,
        exponent: 0.9,
        requests: 10_000,
        seed: 9,
    };
    let trace = zipf_trace(&workload).expect("valid workload");
    let capacity = 1_000;
    let mut group = c.benchmark_group("trace_10k_accesses");

    for policy in [Policy::Lru, Policy::Fifo, Policy::Lfu, Policy::WTinyLfu] {
        let mut cache = policy.build::<u64, u64>(capacity).expect("capacity > 0");
        let name = format!("{policy:?}").to_lowercase();
        group.bench_function(name, |b| {
            b.iter(|| {
                for &key in &trace {
                    if cache.get(&key).is_none() {
                        cache.put(key, key);
                    }
                }
                black_box(cache.len())
            })
        });
    }
    // moka: concurrent (sharded hash table, lock-free reads, buffered policy updates).
    let moka: moka::sync::Cache<u64, u64> = moka::sync::Cache::new(capacity as u64);
    group.bench_function("moka", |b| {
        b.iter(|| {
            for &key in &trace {
                if moka.get(&key).is_none() {
                    moka.insert(key, key);
                }
            }
            black_box(moka.entry_count())
        })
    });
    group.finish();
}
// ANCHOR_END: bench_vs_moka

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench_access
}
criterion_main!(benches);
