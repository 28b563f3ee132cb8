//! One behavioral suite, every backend.

mod common;

use std::sync::Arc;

use ch05_sql_vs_nosql::{DocumentRepo, PostgresRepo, RedisKv};
use common::behaves_like_the_app;

// ANCHOR: suite_per_backend
#[tokio::test]
async fn sqlite_behaves_like_the_app() {
    behaves_like_the_app(&common::sqlite()).await;
}

#[tokio::test]
async fn document_store_in_memory_behaves_like_the_app() {
    behaves_like_the_app(&common::memory()).await;
}

#[tokio::test]
async fn postgres_behaves_like_the_app() {
    let Some(repo) = common::postgres().await else {
        return;
    };
    let test = |repo: Arc<PostgresRepo>| async move { behaves_like_the_app(&*repo).await };
    let cleanup = async |repo: &PostgresRepo| repo.drop_schema().await.unwrap();
    common::cleaning_up(repo, test, cleanup).await;
}

#[tokio::test]
async fn document_store_on_redis_behaves_like_the_app() {
    let Some((repo, prefix)) = common::redis().await else {
        return;
    };
    let test = |repo: Arc<DocumentRepo<RedisKv>>| async move { behaves_like_the_app(&*repo).await };
    let cleanup = async |repo: &DocumentRepo<RedisKv>| {
        repo.kv().delete_prefix(&prefix).await.unwrap();
    };
    common::cleaning_up(repo, test, cleanup).await;
}
// ANCHOR_END: suite_per_backend
