// ANCHOR: exercise_tests
//! Exercise 5: the best-sellers index on the key-value store.

mod common;

use std::sync::Arc;

use ch05_sql_vs_nosql::exercise::{BestSellers, best_sellers};

use ch05_sql_vs_nosql::{DocumentRepo, KvStore, MemoryKv, RedisKv, Repository, SqliteRepo, Status};
use common::order;

fn repo() -> DocumentRepo<MemoryKv> {
    DocumentRepo::new(MemoryKv::new(), "").with_index(BestSellers)
}

/// Adding an index must not break anything: the same suite every backend passes.
#[tokio::test]
async fn the_app_still_behaves_with_the_index() {
    common::behaves_like_the_app(&repo()).await;
}

#[tokio::test]
async fn ranks_by_units_sold_then_by_sku() {
    let repo = repo();
    let ada = repo.create_user("Ada", "ada@example.com").await.unwrap();
    for sku in ["kettle", "mug", "teapot", "cup"] {
        repo.add_product(sku, 100).await.unwrap();
    }
    for (sku, quantity) in [
        ("mug", 2),
        ("kettle", 3),
        ("mug", 2),
        ("teapot", 3),
        ("cup", 1),
    ] {
        repo.place_order(&order(ada.id, sku, quantity, 1))
            .await
            .unwrap();
    }
    let top = best_sellers(&repo, 3).await.unwrap();
    assert_eq!(
        top,
        vec![
            ("mug".into(), 4),
            ("kettle".into(), 3),
            ("teapot".into(), 3)
        ]
    );
    assert_eq!(best_sellers(&repo, 10).await.unwrap().len(), 4);
    assert!(best_sellers(&repo, 0).await.unwrap().is_empty());
}

#[tokio::test]
async fn failed_orders_sell_nothing() {
    let repo = repo();
    let ada = repo.create_user("Ada", "ada@example.com").await.unwrap();
    repo.add_product("kettle", 1).await.unwrap();
    assert!(
        repo.place_order(&order(ada.id, "kettle", 2, 1))
            .await
            .is_err()
    );
    assert!(best_sellers(&repo, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn cancelling_takes_units_back_and_only_once() {
    let repo = repo();
    let ada = repo.create_user("Ada", "ada@example.com").await.unwrap();
    repo.add_product("mug", 100).await.unwrap();
    let a = repo.place_order(&order(ada.id, "mug", 5, 1)).await.unwrap();
    repo.place_order(&order(ada.id, "mug", 2, 2)).await.unwrap();
    repo.set_status(a.id, Status::Paid).await.unwrap(); // no change: still sold
    assert_eq!(
        best_sellers(&repo, 1).await.unwrap(),
        vec![("mug".into(), 7)]
    );
    repo.set_status(a.id, Status::Cancelled).await.unwrap();
    repo.set_status(a.id, Status::Cancelled).await.unwrap(); // cancelling twice: once
    assert_eq!(
        best_sellers(&repo, 1).await.unwrap(),
        vec![("mug".into(), 2)]
    );
    repo.set_status(a.id, Status::Pending).await.unwrap(); // reinstated
    assert_eq!(
        best_sellers(&repo, 1).await.unwrap(),
        vec![("mug".into(), 7)]
    );
}

#[tokio::test]
async fn a_product_with_every_order_cancelled_drops_out() {
    let repo = repo();
    let ada = repo.create_user("Ada", "ada@example.com").await.unwrap();
    repo.add_product("mug", 100).await.unwrap();
    let a = repo.place_order(&order(ada.id, "mug", 5, 1)).await.unwrap();
    repo.set_status(a.id, Status::Cancelled).await.unwrap();
    assert!(best_sellers(&repo, 10).await.unwrap().is_empty());
}

/// The hand-kept index must agree with SQL's GROUP BY after the same operations.
#[tokio::test]
async fn agrees_with_sql_group_by() {
    let (doc, sql) = (repo(), SqliteRepo::in_memory().unwrap());
    let skus = ["a", "b", "c", "d", "e"];
    let (ada, _) = (
        doc.create_user("Ada", "a@x").await.unwrap(),
        sql.create_user("Ada", "a@x").await.unwrap(),
    );
    for sku in skus {
        doc.add_product(sku, 50).await.unwrap();
        sql.add_product(sku, 50).await.unwrap();
    }
    let (mut doc_ids, mut sql_ids) = (Vec::new(), Vec::new());
    for i in 0..60u32 {
        let new = order(ada.id, skus[(i * 7 % 5) as usize], 1 + i % 4, u64::from(i));
        doc_ids.push(doc.place_order(&new).await.unwrap().id);
        sql_ids.push(sql.place_order(&new).await.unwrap().id);
        if i % 3 == 0 {
            let (k, status) = ((i * 5 % (i + 1)) as usize, Status::ALL[(i % 4) as usize]);
            doc.set_status(doc_ids[k], status).await.unwrap();
            sql.set_status(sql_ids[k], status).await.unwrap();
        }
    }
    assert_eq!(
        best_sellers(&doc, 3).await.unwrap(),
        sql.best_sellers(3).unwrap()
    );
}

/// Reading the answer costs one round trip however many orders there are.
#[tokio::test]
async fn reading_is_one_round_trip() {
    let repo = repo();
    let ada = repo.create_user("Ada", "ada@example.com").await.unwrap();
    repo.add_product("mug", 1_000).await.unwrap();
    for t in 0..50 {
        repo.place_order(&order(ada.id, "mug", 1, t)).await.unwrap();
    }
    let before = repo.kv().meter().snapshot();
    best_sellers(&repo, 10).await.unwrap();
    assert_eq!((repo.kv().meter().snapshot() - before).round_trips, 1);
}

#[tokio::test]
async fn works_on_redis() {
    let Some((plain, prefix)) = common::redis().await else {
        return;
    };
    let test = |repo: Arc<DocumentRepo<RedisKv>>| async move {
        common::behaves_like_the_app(&*repo).await;
        let top = best_sellers(&repo, 10).await.unwrap();
        // The suite sold 2 kettles (1 order) and 17 mugs (1 + 4 + 12), none cancelled.
        assert_eq!(top, vec![("mug".into(), 17), ("kettle".into(), 2)]);
    };
    let cleanup = async |repo: &DocumentRepo<RedisKv>| {
        repo.kv().delete_prefix(&prefix).await.unwrap();
    };
    common::cleaning_up(plain.with_index(BestSellers), test, cleanup).await;
}
// ANCHOR_END: exercise_tests
