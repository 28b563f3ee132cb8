//! The trade-off in numbers: what "order with user" and "change an email" cost each model.
//! These counts are deterministic, so the chapter's table can be tested.

mod common;

use ch05_sql_vs_nosql::{Cost, DocumentRepo, KvStore, MemoryKv, Repository};
use common::order;

const ORDERS: u32 = 10;

/// A user with `ORDERS` orders; returns (user id, one order id).
async fn user_with_orders<R: Repository>(repo: &R) -> (u64, u64) {
    let ada = repo.create_user("Ada", "ada@example.com").await.unwrap();
    repo.add_product("mug", 1_000).await.unwrap();
    let mut last = 0;
    for t in 0..ORDERS {
        last = repo
            .place_order(&order(ada.id, "mug", 1, u64::from(t)))
            .await
            .unwrap()
            .id;
    }
    (ada.id, last)
}

async fn cost_of<R: Repository, F: std::future::Future>(repo: &R, work: F) -> Cost {
    let before = repo.meter().snapshot();
    work.await;
    repo.meter().snapshot() - before
}

fn cost(round_trips: u64, records_read: u64, records_written: u64) -> Cost {
    Cost {
        round_trips,
        records_read,
        records_written,
    }
}

#[tokio::test]
async fn join_is_one_statement_embedded_copy_is_one_get() {
    let sql = common::sqlite();
    let (_, id) = user_with_orders(&sql).await;
    assert_eq!(cost_of(&sql, sql.order_with_user(id)).await, cost(1, 1, 0));

    let doc = common::memory();
    let (_, id) = user_with_orders(&doc).await;
    assert_eq!(cost_of(&doc, doc.order_with_user(id)).await, cost(1, 1, 0));
    // Referencing instead of embedding: a second round trip for the user.
    assert_eq!(cost_of(&doc, doc.order_then_user(id)).await, cost(2, 2, 0));
}

// ANCHOR: email_cost
#[tokio::test]
async fn changing_an_email_is_one_row_or_n_plus_one_documents() {
    let sql = common::sqlite();
    let (user, _) = user_with_orders(&sql).await;
    assert_eq!(
        cost_of(&sql, sql.update_email(user, "a@new")).await,
        cost(1, 0, 1)
    );

    let doc = common::memory();
    let (user, _) = user_with_orders(&doc).await;
    let n = u64::from(ORDERS);
    // GET user, ZRANGE index (n ids), MGET n orders, one atomic batch: n + 1 checks, n + 1 SETs.
    let expected = cost(4, 1 + n + n + (n + 1), n + 1);
    assert_eq!(
        cost_of(&doc, doc.update_email(user, "a@new")).await,
        expected
    );
}
// ANCHOR_END: email_cost

#[tokio::test]
async fn placing_an_order_writes_two_rows_or_six_keys() {
    let sql = common::sqlite();
    let (user, _) = user_with_orders(&sql).await;
    // BEGIN, UPDATE products, INSERT orders, COMMIT.
    assert_eq!(
        cost_of(&sql, sql.place_order(&order(user, "mug", 1, 99))).await,
        cost(4, 0, 2)
    );

    let doc = DocumentRepo::new(MemoryKv::new(), "");
    let (user, _) = user_with_orders(&doc).await;
    // GET user; INCR the id counter (a key written); one batch with two checks that writes
    // stock, order, user document and two index entries.
    let spent = cost_of(&doc, doc.place_order(&order(user, "mug", 1, 99))).await;
    assert_eq!(spent, cost(3, 1 + 1 + 2, 1 + 5));
    assert_eq!(doc.kv().name(), "memory");
}
