//! What one `check` costs: our token bucket and GCRA against `governor` (GCRA), one client,
//! uncontended, each reading a real monotonic clock per call as a server would; and keyed, one
//! lookup among 1,000 clients. The rate is so high that every check is admitted, so we measure
//! the common path, not the early exit of a denial.
//!
//! `cargo bench -p ch20-rate-limiting`

use std::hint::black_box;
use std::num::NonZeroU32;
use std::time::Duration;

use ch20_rate_limiting::algorithms::{Gcra, TokenBucket};
use ch20_rate_limiting::{Algorithm, Clock, KeyedLimiter, MonotonicClock, Rate, RateLimiter};
use criterion::{Criterion, criterion_group, criterion_main};
use governor::{Quota, RateLimiter as Governor};

// ANCHOR: bench_vs_governor
fn bench_vs_governor(c: &mut Criterion) {
    let rate = Rate::new(u32::MAX, Duration::from_secs(1)).expect("valid rate");
    let clock = MonotonicClock::new();
    let mut group = c.benchmark_group("check");

    // The clock read alone, which every in-process check pays (governor reads quanta's TSC clock).
    group.bench_function("clock_only", |b| b.iter(|| black_box(clock.now())));
    let mut bucket = TokenBucket::new(rate);
    group.bench_function("token_bucket", |b| {
        b.iter(|| black_box(bucket.check(clock.now())))
    });
    let mut gcra = Gcra::new(rate);
    group.bench_function("gcra", |b| b.iter(|| black_box(gcra.check(clock.now()))));
    let governor = Governor::direct(Quota::per_second(NonZeroU32::MAX));
    group.bench_function("governor", |b| b.iter(|| black_box(governor.check())));
    group.finish();

    // Keyed: 1,000 clients, one lookup per check (our one mutex vs governor's dashmap).
    let keys: Vec<String> = (0..1_000).map(|i| format!("client-{i}")).collect();
    let mut group = c.benchmark_group("keyed_check");
    let keyed = KeyedLimiter::new(Algorithm::TokenBucket, rate);
    let mut i = 0;
    group.bench_function("token_bucket", |b| {
        b.iter(|| {
            i = (i + 1) % keys.len();
            black_box(keyed.check(&keys[i], clock.now()))
        })
    });
    let governor = Governor::dashmap(Quota::per_second(NonZeroU32::MAX));
    group.bench_function("governor", |b| {
        b.iter(|| {
            i = (i + 1) % keys.len();
            black_box(governor.check_key(&keys[i]))
        })
    });
    group.finish();
}
// ANCHOR_END: bench_vs_governor

criterion_group! {
    name = benches;
    config = Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(50);
    targets = bench_vs_governor
}
criterion_main!(benches);
