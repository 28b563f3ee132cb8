//! What the read model costs on writes and saves on reads, on in-memory SQLite with the same
//! data as the demo (1,000 customers, 10,000 orders): `place_order` (three lines) and
//! `change_email` under each [`ReadModelSync`] mode, and one customer's order list by join and
//! from the read model. Ratios within a group are the point; absolute times depend on the machine.
//!
//! `cargo bench -p ch08-normalization`

use std::hint::black_box;
use std::time::Duration;

use ch08_normalization::schema::{CUSTOMER_ORDERS_BY_JOIN, CUSTOMER_ORDERS_FROM_READ_MODEL};
use ch08_normalization::{Population, ReadModelSync, Shop};
use criterion::{Criterion, criterion_group, criterion_main};

fn shop(sync: ReadModelSync) -> Shop {
    let mut shop = Shop::open_in_memory(sync).expect("in-memory SQLite");
    shop.populate(Population::default()).expect("populate");
    shop
}

fn slug(sync: ReadModelSync) -> &'static str {
    match sync {
        ReadModelSync::Unsynced => "unsynced",
        ReadModelSync::Trigger => "trigger",
        ReadModelSync::Application => "application",
    }
}

// ANCHOR: bench_writes
fn writes(c: &mut Criterion) {
    let customers = Population::default().customers;
    let mut group = c.benchmark_group("place_order");
    for sync in ReadModelSync::ALL {
        let mut shop = shop(sync);
        let mut i = 0;
        group.bench_function(slug(sync), |b| {
            b.iter(|| {
                i += 1;
                black_box(shop.place_order(1 + i % customers, &[(1, 1), (2, 2), (3, 1)]))
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("change_email");
    for sync in ReadModelSync::ALL {
        let mut shop = shop(sync);
        let mut i = 0;
        group.bench_function(slug(sync), |b| {
            b.iter(|| {
                i += 1;
                let customer = 1 + i % customers;
                black_box(shop.change_email(customer, &format!("c{customer}.{i}@example.com")))
            })
        });
    }
    group.finish();
}
// ANCHOR_END: bench_writes

fn reads(c: &mut Criterion) {
    let customers = Population::default().customers;
    let shop = shop(ReadModelSync::Trigger);
    let conn = shop.connection();
    let mut group = c.benchmark_group("customer_orders");
    for (name, sql) in [
        ("join", CUSTOMER_ORDERS_BY_JOIN),
        ("read_model", CUSTOMER_ORDERS_FROM_READ_MODEL),
    ] {
        let mut stmt = conn.prepare(sql).expect("valid SQL");
        let mut i = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                i += 1;
                let rows = stmt
                    .query_map([1 + i % customers], |_| Ok(()))
                    .map(|r| r.count());
                black_box(rows)
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = writes, reads
}
criterion_main!(benches);
