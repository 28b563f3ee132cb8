//! The distributed limiter against a real Redis (`REDIS_URL`). Skipped, loudly, when the variable
//! is unset on a developer machine; a failure under `CI=true`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ch20_rate_limiting::layer::CLIENT_ID_HEADER;
use ch20_rate_limiting::{Decision, Rate, RedisLimiter, SharedLimiter, server};
use tower::ServiceExt;

/// Delete every key under `prefix`, so the shared Redis is left as we found it.
async fn delete_under(url: &str, prefix: &str) {
    let client = redis::Client::open(url).expect("valid REDIS_URL");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("Redis reachable");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}:*"))
        .query_async(&mut conn)
        .await
        .expect("KEYS");
    if !keys.is_empty() {
        let _: i64 = redis::cmd("DEL")
            .arg(&keys)
            .query_async(&mut conn)
            .await
            .expect("DEL");
    }
}

fn ten_per_minute() -> Rate {
    Rate::new(10, Duration::from_secs(60)).expect("valid rate")
}

/// Two replicas of the app, each with its own connection, share one limit: together they admit
/// exactly `limit` (one token refills every 6 s, far longer than the test).
#[tokio::test]
async fn two_replicas_together_admit_no_more_than_the_limit() {
    let Some(url) = testkit::service_url("REDIS_URL") else {
        return;
    };
    let prefix = testkit::unique_name("ch20");
    let mut replicas = Vec::new();
    for _ in 0..2 {
        let limiter = RedisLimiter::connect(&url, ten_per_minute(), &prefix)
            .await
            .expect("connect");
        replicas.push(server::app(Arc::new(SharedLimiter::Redis(limiter))));
    }
    let mut admitted = 0;
    for i in 0..30 {
        let request = Request::get("/")
            .header(CLIENT_ID_HEADER, "erin")
            .body(Body::empty())
            .expect("valid request");
        let response = replicas[i % 2]
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        match response.status() {
            StatusCode::OK => admitted += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected status {other}"),
        }
    }
    delete_under(&url, &prefix).await;
    assert_eq!(admitted, 10);
}

/// Many concurrent checks from two connections: the Lua script is atomic, so no read-decide-write
/// race lets an extra request through.
#[tokio::test]
async fn concurrent_checks_are_atomic() {
    let Some(url) = testkit::service_url("REDIS_URL") else {
        return;
    };
    let prefix = testkit::unique_name("ch20");
    let a = RedisLimiter::connect(&url, ten_per_minute(), &prefix)
        .await
        .expect("connect");
    let b = RedisLimiter::connect(&url, ten_per_minute(), &prefix)
        .await
        .expect("connect");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..100 {
        let limiter = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.spawn(async move { limiter.check("frank").await });
    }
    let mut admitted = 0;
    while let Some(result) = tasks.join_next().await {
        if result.expect("task").expect("check").is_allowed() {
            admitted += 1;
        }
    }
    delete_under(&url, &prefix).await;
    assert_eq!(admitted, 10);
}

/// Keys live under the prefix, expire once the client is rested, and a denial says when to retry.
#[tokio::test]
async fn keys_are_prefixed_and_expire() {
    let Some(url) = testkit::service_url("REDIS_URL") else {
        return;
    };
    let prefix = testkit::unique_name("ch20");
    let rate = Rate::new(1, Duration::from_secs(60)).expect("valid rate");
    let limiter = RedisLimiter::connect(&url, rate, &prefix)
        .await
        .expect("connect");

    let first = limiter.check("grace").await.expect("check");
    assert!(
        matches!(first, Decision::Allowed { remaining: 0, .. }),
        "{first:?}"
    );
    let second = limiter.check("grace").await.expect("check");
    let Decision::Denied {
        retry_after,
        reset_after,
    } = second
    else {
        panic!("expected a denial, got {second:?}");
    };
    assert!(retry_after > Duration::from_secs(59) && retry_after <= Duration::from_secs(60));
    assert_eq!(retry_after, reset_after);

    let key = limiter.key_for("grace");
    assert_eq!(key, format!("{prefix}:grace"));
    let client = redis::Client::open(url.as_str()).expect("valid REDIS_URL");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("Redis reachable");
    let ttl_ms: i64 = redis::cmd("PTTL")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .expect("PTTL");
    assert!(ttl_ms > 59_000 && ttl_ms <= 60_000, "ttl {ttl_ms} ms");
    delete_under(&url, &prefix).await;
}
