//! In-memory indexes on 100,000 orders: what one query costs through a full scan, a hash index,
//! a B-tree, and bitmap indexes (hand-built and `roaring`). Each group is one query; `cargo xtask
//! bench ch07-indexing` reports each median as a ratio to the fastest in its group.
//!
//! `cargo bench -p ch07-indexing`

use std::hint::black_box;
use std::time::Duration;

use ch07_indexing::data::DAY;
use ch07_indexing::{OrderIndexes, Region, Status, generate_orders};
use criterion::{Criterion, criterion_group, criterion_main};

// ANCHOR: bench_in_memory
fn bench_in_memory(c: &mut Criterion) {
    let ix = OrderIndexes::build(generate_orders(100_000, 7).expect("valid row count"));

    let mut group = c.benchmark_group("equality");
    group.bench_function("scan", |b| {
        b.iter(|| ix.scan(|o| o.customer_id == black_box(42)))
    });
    group.bench_function("hashmap", |b| b.iter(|| ix.customer_hash(black_box(42))));
    group.bench_function("btreemap", |b| b.iter(|| ix.customer_btree(black_box(42))));
    group.finish();

    let day = 100 * DAY..=101 * DAY - 1;
    let mut group = c.benchmark_group("range_one_day");
    group.bench_function("scan", |b| {
        b.iter(|| ix.scan(|o| day.contains(&o.created_at)))
    });
    group.bench_function("hashmap", |b| {
        b.iter(|| ix.created_hash(black_box(day.clone())))
    });
    group.bench_function("btreemap", |b| {
        b.iter(|| ix.created_btree(black_box(day.clone())))
    });
    group.finish();

    let (s, r) = (Status::Shipped, Region::Eu);
    let mut group = c.benchmark_group("shipped_and_eu");
    group.bench_function("scan", |b| {
        b.iter(|| ix.scan(|o| o.status == black_box(s) && o.region == black_box(r)))
    });
    group.bench_function("hand_bitmap", |b| {
        b.iter(|| ix.status_region_bits(black_box(s), r))
    });
    group.bench_function("roaring", |b| {
        b.iter(|| ix.status_region_roaring(black_box(s), r))
    });
    group.finish();
}
// ANCHOR_END: bench_in_memory

criterion_group! {
    name = benches;
    config = Criterion::default()
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500))
        .sample_size(30);
    targets = bench_in_memory
}
criterion_main!(benches);
