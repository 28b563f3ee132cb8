//! Real replicas on real sockets: any replica serves any request when the state is shared, not
//! when it is not; the front spreads requests round-robin; scaling in drains; bad input is a
//! 4xx, never a panic.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use ch01_scalability::loadgen::{self, closed_loop};
use ch01_scalability::replica::{Cart, REPLICA_HEADER};
use ch01_scalability::{
    FrontServer, MemoryStore, ReplicaConfig, ReplicaPool, RoundRobin, StoreMode,
};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

fn fast() -> ReplicaConfig {
    ReplicaConfig {
        concurrency: 4,
        service_time: Duration::from_millis(1),
    }
}

async fn post(url: String, body: &str) -> StatusCode {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let request = Request::post(url)
        .body(Full::new(Bytes::from(body.to_owned())))
        .unwrap();
    client.request(request).await.unwrap().status()
}

async fn get(url: String) -> (StatusCode, Option<usize>, Bytes) {
    let uri: Uri = url.parse().unwrap();
    let response = loadgen::http_client().get(uri).await.unwrap();
    let status = response.status();
    let replica = response
        .headers()
        .get(REPLICA_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (
        status,
        replica,
        response.into_body().collect().await.unwrap().to_bytes(),
    )
}

async fn cart(replica: SocketAddr, session: &str) -> Cart {
    let (status, _, body) = get(format!("http://{replica}/cart/{session}")).await;
    assert_eq!(status, StatusCode::OK);
    serde_json::from_slice(&body).unwrap()
}

/// Write one item through each of three replicas; read the cart through each.
async fn carts_seen(mode: StoreMode) -> Vec<Vec<String>> {
    let pool = ReplicaPool::new(fast(), mode, Arc::new(RoundRobin::default()));
    pool.scale_to(3).await.unwrap();
    let addrs = pool.addrs();
    for (addr, item) in addrs.iter().zip(["book", "lamp", "mug"]) {
        let status = post(format!("http://{addr}/cart/alice/items"), item).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let mut seen = Vec::new();
    for addr in &addrs {
        seen.push(cart(*addr, "alice").await.items);
    }
    pool.shutdown().await;
    seen
}

#[tokio::test]
async fn any_replica_serves_the_whole_session_with_a_shared_store() {
    let seen = carts_seen(StoreMode::Shared(MemoryStore::shared())).await;
    for items in seen {
        assert_eq!(items, ["book", "lamp", "mug"]);
    }
}

#[tokio::test]
async fn per_replica_state_splits_the_session() {
    let seen = carts_seen(StoreMode::PerReplica).await;
    assert_eq!(seen, [vec!["book"], vec!["lamp"], vec!["mug"]]);
}

#[tokio::test]
async fn the_front_spreads_requests_round_robin() {
    let backends = Arc::new(RoundRobin::default());
    let front = FrontServer::start(backends.clone()).await.unwrap();
    let pool = ReplicaPool::new(fast(), StoreMode::Shared(MemoryStore::shared()), backends);
    pool.scale_to(3).await.unwrap();
    let mut served_by: HashMap<usize, usize> = HashMap::new();
    for _ in 0..30 {
        let (status, replica, _) = get(format!("{}/work", front.base_url())).await;
        assert_eq!(status, StatusCode::OK);
        *served_by.entry(replica.unwrap()).or_default() += 1;
    }
    assert_eq!(served_by, HashMap::from([(1, 10), (2, 10), (3, 10)]));
    pool.shutdown().await;
}

#[tokio::test]
async fn scaling_in_stops_routing_to_the_removed_replicas() {
    let backends = Arc::new(RoundRobin::default());
    let front = FrontServer::start(backends.clone()).await.unwrap();
    let pool = ReplicaPool::new(
        fast(),
        StoreMode::Shared(MemoryStore::shared()),
        backends.clone(),
    );
    pool.scale_to(3).await.unwrap();
    pool.scale_to(1).await.unwrap();
    assert_eq!((pool.len(), backends.len()), (1, 1));
    for _ in 0..10 {
        let (status, replica, _) = get(format!("{}/work", front.base_url())).await;
        assert_eq!((status, replica), (StatusCode::OK, Some(1)));
    }
    pool.scale_to(0).await.unwrap();
    let (status, _, _) = get(format!("{}/work", front.base_url())).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "no replica: 503, not a hang"
    );
}

#[tokio::test]
async fn a_replica_never_exceeds_its_concurrency() {
    let config = ReplicaConfig {
        concurrency: 2,
        service_time: Duration::from_millis(5),
    };
    let backends = Arc::new(RoundRobin::default());
    let front = FrontServer::start(backends.clone()).await.unwrap();
    let pool = ReplicaPool::new(config, StoreMode::PerReplica, backends);
    pool.scale_to(1).await.unwrap();
    let uri: Uri = format!("{}/work", front.base_url()).parse().unwrap();
    let report = closed_loop(&loadgen::http_client(), uri, 16, Duration::from_millis(200)).await;
    assert_eq!(report.errors, 0);
    assert!(report.ok > 0);
    assert_eq!(pool.peak_in_flight(), 2, "16 clients, but only 2 slots");
    let utilization = pool.utilization();
    assert!(utilization > 0.0 && utilization <= 1.0, "{utilization}");
    pool.shutdown().await;
}

#[tokio::test]
async fn bad_input_is_a_400() {
    let pool = ReplicaPool::new(
        fast(),
        StoreMode::PerReplica,
        Arc::new(RoundRobin::default()),
    );
    pool.scale_to(1).await.unwrap();
    let base = format!("http://{}", pool.addrs()[0]);
    let long_id = "x".repeat(65);
    for bad_session in ["bad%20id", "semi;colon", long_id.as_str()] {
        let (status, _, _) = get(format!("{base}/cart/{bad_session}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad_session}");
        let status = post(format!("{base}/cart/{bad_session}/items"), "book").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad_session}");
    }
    let too_big = "x".repeat(257);
    for bad_item in ["", "   ", too_big.as_str()] {
        let status = post(format!("{base}/cart/alice/items"), bad_item).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad_item:?}");
    }
    let (status, _, _) = get(format!("{base}/cart/nobody")).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "an unknown session is an empty cart"
    );
    pool.shutdown().await;
}
