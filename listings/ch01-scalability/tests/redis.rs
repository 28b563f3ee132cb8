//! The session store on a real Redis (`REDIS_URL`). Skipped, loudly, when the variable is unset
//! on a developer machine; a failure under `CI=true`.

use std::sync::Arc;
use std::time::Duration;

use ch01_scalability::session::SESSION_TTL_SECS;
use ch01_scalability::{
    RedisStore, ReplicaConfig, ReplicaPool, RoundRobin, SessionStore, StoreMode,
};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

async fn delete_under(url: &str, prefix: &str) {
    let client = redis::Client::open(url).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}:*"))
        .query_async(&mut conn)
        .await
        .unwrap();
    if !keys.is_empty() {
        let _: i64 = redis::cmd("DEL")
            .arg(&keys)
            .query_async(&mut conn)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn two_connections_share_one_cart_with_a_ttl() {
    let Some(url) = testkit::service_url("REDIS_URL") else {
        return;
    };
    let prefix = testkit::unique_name("ch01");
    let replica_a = RedisStore::connect(&url, &prefix).await.unwrap();
    let replica_b = RedisStore::connect(&url, &prefix).await.unwrap();
    replica_a.add_item("s1", "book").await.unwrap();
    replica_b.add_item("s1", "lamp").await.unwrap();
    assert_eq!(replica_a.items("s1").await.unwrap(), ["book", "lamp"]);
    assert_eq!(replica_b.items("s1").await.unwrap(), ["book", "lamp"]);
    assert!(replica_a.items("s2").await.unwrap().is_empty());

    let mut conn = redis::Client::open(url.as_str())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let ttl: i64 = redis::cmd("TTL")
        .arg(replica_a.key("s1"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(
        ttl > 0 && ttl <= SESSION_TTL_SECS,
        "every cart expires; ttl {ttl}"
    );
    delete_under(&url, &prefix).await;
}

#[tokio::test]
async fn concurrent_appends_from_many_replicas_are_all_kept() {
    let Some(url) = testkit::service_url("REDIS_URL") else {
        return;
    };
    let prefix = testkit::unique_name("ch01");
    let store: Arc<dyn SessionStore> = Arc::new(RedisStore::connect(&url, &prefix).await.unwrap());
    let pool = ReplicaPool::new(
        ReplicaConfig {
            concurrency: 4,
            service_time: Duration::from_millis(1),
        },
        StoreMode::Shared(store.clone()),
        Arc::new(RoundRobin::default()),
    );
    pool.scale_to(4).await.unwrap();
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut tasks = Vec::new();
    for (i, addr) in pool.addrs().into_iter().cycle().take(40).enumerate() {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let request = Request::post(format!("http://{addr}/cart/shared/items"))
                .body(Full::new(Bytes::from(format!("item{i}"))))
                .unwrap();
            let response = client.request(request).await.unwrap();
            assert!(response.status().is_success());
            response.into_body().collect().await.unwrap();
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let mut items = store.items("shared").await.unwrap();
    items.sort();
    let mut expected: Vec<String> = (0..40).map(|i| format!("item{i}")).collect();
    expected.sort();
    assert_eq!(items, expected, "no append lost between replicas");
    pool.shutdown().await;
    delete_under(&url, &prefix).await;
}
