//! The join vs the embedded copy, and one row vs N copies, timed on the two embedded backends.
//! Run with `cargo bench -p ch05-sql-vs-nosql` (or `cargo xtask bench ch05-sql-vs-nosql`).

use std::time::Duration;

use ch05_sql_vs_nosql::{DocumentRepo, MemoryKv, NewOrder, Repository, SqliteRepo};
use criterion::{Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;

const COPIES: u32 = 100;

/// A user with `COPIES` orders; returns (user id, newest order id).
fn fixture<R: Repository>(rt: &Runtime, repo: &R) -> (u64, u64) {
    rt.block_on(async {
        let user = repo.create_user("Ada", "ada@example.com").await.unwrap().id;
        repo.add_product("mug", 1_000_000).await.unwrap();
        let mut last = 0;
        for t in 0..COPIES {
            let new = NewOrder {
                user_id: user,
                sku: "mug".into(),
                quantity: 1,
                created_at: u64::from(t),
            };
            last = repo.place_order(&new).await.unwrap().id;
        }
        (user, last)
    })
}

// ANCHOR: bench_join_vs_embedded
fn join_vs_embedded(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let sql = SqliteRepo::in_memory().unwrap();
    let doc = DocumentRepo::new(MemoryKv::new(), "");
    let (sql_user, sql_order) = fixture(&rt, &sql);
    let (doc_user, doc_order) = fixture(&rt, &doc);

    let mut reads = c.benchmark_group("order_with_user");
    reads.bench_function("sqlite_join", |b| {
        b.iter(|| rt.block_on(sql.order_with_user(sql_order)))
    });
    reads.bench_function("document_embedded", |b| {
        b.iter(|| rt.block_on(doc.order_with_user(doc_order)))
    });
    reads.bench_function("document_referenced", |b| {
        b.iter(|| rt.block_on(doc.order_then_user(doc_order)))
    });
    reads.finish();

    let mut writes = c.benchmark_group("update_email_100_orders");
    writes.bench_function("sqlite_one_row", |b| {
        b.iter(|| rt.block_on(sql.update_email(sql_user, "a@new")))
    });
    writes.bench_function("document_101_keys", |b| {
        b.iter(|| rt.block_on(doc.update_email(doc_user, "a@new")))
    });
    writes.finish();
}
// ANCHOR_END: bench_join_vs_embedded

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = join_vs_embedded
}
criterion_main!(benches);
