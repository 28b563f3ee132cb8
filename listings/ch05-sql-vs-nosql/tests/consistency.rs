//! Fault injection: the writer dies after taking stock and before writing the order.
//! A transaction (SQL) or one atomic batch (KV) leaves nothing behind; the naive two-step
//! KV write leaves stock that no order accounts for.

mod common;

use std::sync::Arc;

use ch05_sql_vs_nosql::{
    DocumentRepo, Error, KvStore, MemoryKv, PostgresRepo, RedisKv, Repository, WriteMode,
};
use common::{order, stock_and_ordered};

// ANCHOR: interrupted_is_all_or_nothing
/// The invariant: stock left + units in orders = the stock we started with.
async fn interrupted_order_changes_nothing<R: Repository>(repo: &R) {
    let ada = repo.create_user("Ada", "ada@example.com").await.unwrap();
    repo.add_product("kettle", 10).await.unwrap();
    repo.place_order(&order(ada.id, "kettle", 3, 1))
        .await
        .unwrap();

    let crash = repo
        .place_order_interrupted(&order(ada.id, "kettle", 2, 2))
        .await;
    assert!(
        matches!(crash, Err(Error::InjectedCrash)),
        "{}: {crash:?}",
        repo.name()
    );

    assert_eq!(
        stock_and_ordered(repo, ada.id, "kettle").await,
        (7, 3),
        "{}",
        repo.name()
    );
}
// ANCHOR_END: interrupted_is_all_or_nothing

#[tokio::test]
async fn sqlite_transaction_rolls_back() {
    interrupted_order_changes_nothing(&common::sqlite()).await;
}

#[tokio::test]
async fn postgres_transaction_rolls_back() {
    let Some(repo) = common::postgres().await else {
        return;
    };
    let test =
        |repo: Arc<PostgresRepo>| async move { interrupted_order_changes_nothing(&*repo).await };
    let cleanup = async |repo: &PostgresRepo| repo.drop_schema().await.unwrap();
    common::cleaning_up(repo, test, cleanup).await;
}

#[tokio::test]
async fn memory_atomic_batch_is_all_or_nothing() {
    interrupted_order_changes_nothing(&common::memory()).await;
}

#[tokio::test]
async fn redis_script_is_all_or_nothing() {
    let Some((repo, prefix)) = common::redis().await else {
        return;
    };
    let test = |repo: Arc<DocumentRepo<RedisKv>>| async move {
        interrupted_order_changes_nothing(&*repo).await
    };
    let cleanup = async |repo: &DocumentRepo<RedisKv>| {
        repo.kv().delete_prefix(&prefix).await.unwrap();
    };
    common::cleaning_up(repo, test, cleanup).await;
}

// ANCHOR: two_step_loses_stock
/// Without an atomic batch (`repo` is in two-step mode) the crash strands the stock: 2 units
/// gone, no order for them.
async fn two_step_write_loses_stock<K: KvStore>(repo: &DocumentRepo<K>) {
    let ada = repo.create_user("Ada", "ada@example.com").await.unwrap();
    repo.add_product("kettle", 10).await.unwrap();
    repo.place_order(&order(ada.id, "kettle", 3, 1))
        .await
        .unwrap();

    let crash = repo
        .place_order_interrupted(&order(ada.id, "kettle", 2, 2))
        .await;
    assert!(matches!(crash, Err(Error::InjectedCrash)));

    let (stock, ordered) = stock_and_ordered(repo, ada.id, "kettle").await;
    assert_eq!(
        (stock, ordered),
        (5, 3),
        "stock + ordered = 8, not the 10 we started with"
    );
}
// ANCHOR_END: two_step_loses_stock

#[tokio::test]
async fn memory_two_step_write_loses_stock() {
    let repo = DocumentRepo::new(MemoryKv::new(), "").with_mode(WriteMode::TwoStep);
    two_step_write_loses_stock(&repo).await;
}

#[tokio::test]
async fn redis_two_step_write_loses_stock() {
    let Some((repo, prefix)) = common::redis().await else {
        return;
    };
    let repo = repo.with_mode(WriteMode::TwoStep);
    let test =
        |repo: Arc<DocumentRepo<RedisKv>>| async move { two_step_write_loses_stock(&*repo).await };
    let cleanup = async |repo: &DocumentRepo<RedisKv>| {
        repo.kv().delete_prefix(&prefix).await.unwrap();
    };
    common::cleaning_up(repo, test, cleanup).await;
}

#[tokio::test]
async fn two_step_mode_still_passes_the_suite_without_faults() {
    // The naive code is not wrong on a good day: that is what makes it dangerous.
    let repo = DocumentRepo::new(MemoryKv::new(), "").with_mode(WriteMode::TwoStep);
    common::behaves_like_the_app(&repo).await;
}
