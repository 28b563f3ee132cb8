//! Exercise 4: the tests your connection pool makes pass.
//!
//! `cargo test -p ch04-networking --features starter --test exercise` runs them against your
//! starter; without `--features starter`, against the reference solution.

// ANCHOR: exercise_tests
use std::time::Duration;

use ch04_networking::exercise::{Pool, PoolConfig, get_pooled};
use ch04_networking::{Client, LocalServer};

fn pool<C>(idle_secs: u64, max_idle_per_host: usize) -> Pool<C> {
    Pool::new(PoolConfig {
        idle_timeout: Duration::from_secs(idle_secs),
        max_idle_per_host,
    })
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn an_empty_pool_has_nothing_to_give() {
    let mut pool: Pool<&str> = pool(90, 4);
    assert_eq!(pool.checkout("a.test:443", secs(0)), None);
}

#[test]
fn reuses_the_most_recently_returned_connection() {
    let mut pool = pool(90, 4);
    pool.checkin("a.test:443", "old", secs(0));
    pool.checkin("a.test:443", "new", secs(1));
    assert_eq!(pool.checkout("a.test:443", secs(2)), Some("new"));
    assert_eq!(pool.checkout("a.test:443", secs(2)), Some("old"));
    assert_eq!(pool.checkout("a.test:443", secs(2)), None);
}

#[test]
fn hosts_do_not_share_connections() {
    let mut pool = pool(90, 4);
    pool.checkin("a.test:443", "to a", secs(0));
    assert_eq!(pool.checkout("b.test:443", secs(0)), None);
    assert_eq!(pool.checkout("a.test:443", secs(0)), Some("to a"));
}

#[test]
fn an_idle_connection_expires_after_the_idle_timeout() {
    let mut pool = pool(90, 4);
    pool.checkin("a.test:443", "conn", secs(10));
    // 89 s idle: still usable.
    assert_eq!(pool.checkout("a.test:443", secs(99)), Some("conn"));
    pool.checkin("a.test:443", "conn", secs(100));
    // 90 s idle: closed, not handed out.
    assert_eq!(pool.checkout("a.test:443", secs(190)), None);
    assert_eq!(pool.idle_count("a.test:443"), 0);
}

#[test]
fn the_idle_clock_restarts_at_each_checkin() {
    let mut pool = pool(90, 4);
    for t in [0, 60, 120, 180] {
        pool.checkin("a.test:443", "conn", secs(t));
        assert_eq!(pool.checkout("a.test:443", secs(t + 60)), Some("conn"));
    }
}

#[test]
fn at_most_max_idle_per_host_are_kept_oldest_closed_first() {
    let mut pool = pool(90, 2);
    for (t, name) in [(0, "first"), (1, "second"), (2, "third")] {
        pool.checkin("a.test:443", name, secs(t));
    }
    assert_eq!(pool.idle_count("a.test:443"), 2);
    assert_eq!(pool.checkout("a.test:443", secs(3)), Some("third"));
    assert_eq!(pool.checkout("a.test:443", secs(3)), Some("second"));
    assert_eq!(pool.checkout("a.test:443", secs(3)), None);
    // The cap is per host: another host keeps its own two.
    pool.checkin("b.test:443", "b1", secs(4));
    pool.checkin("b.test:443", "b2", secs(4));
    pool.checkin("a.test:443", "a1", secs(4));
    assert_eq!(
        (pool.idle_count("a.test:443"), pool.idle_count("b.test:443")),
        (1, 2)
    );
}

#[test]
fn a_cap_of_zero_keeps_nothing() {
    let mut pool = pool(90, 0);
    pool.checkin("a.test:443", "conn", secs(0));
    assert_eq!(pool.checkout("a.test:443", secs(0)), None);
}

#[test]
fn evict_expired_closes_only_the_old_ones() {
    let mut pool = pool(90, 8);
    pool.checkin("a.test:443", "old", secs(0));
    pool.checkin("a.test:443", "young", secs(50));
    pool.checkin("b.test:443", "old", secs(5));
    assert_eq!(pool.evict_expired(secs(100)), 2);
    assert_eq!(pool.idle_count("a.test:443"), 1);
    assert_eq!(pool.idle_count("b.test:443"), 0);
}

#[tokio::test]
async fn get_pooled_reuses_one_real_connection() {
    let server = LocalServer::http(32).await.unwrap();
    let url = format!("http://{}/", server.addr());
    let (client, mut pool) = (Client::default(), pool(90, 4));
    let first = get_pooled(&mut pool, &client, &url, secs(0)).await.unwrap();
    let second = get_pooled(&mut pool, &client, &url, secs(1)).await.unwrap();
    let third = get_pooled(&mut pool, &client, &url, secs(2)).await.unwrap();
    assert_eq!(
        (first.reused, second.reused, third.reused),
        (false, true, true)
    );
    assert_eq!(third.body_bytes, 32);
    assert_eq!(
        server.connections_accepted(),
        1,
        "three requests, one TCP connection"
    );
}

#[tokio::test]
async fn get_pooled_opens_a_new_connection_after_the_idle_timeout() {
    let server = LocalServer::http(32).await.unwrap();
    let url = format!("http://{}/", server.addr());
    let (client, mut pool) = (Client::default(), pool(90, 4));
    get_pooled(&mut pool, &client, &url, secs(0)).await.unwrap();
    let late = get_pooled(&mut pool, &client, &url, secs(90))
        .await
        .unwrap();
    assert!(!late.reused);
    assert_eq!(server.connections_accepted(), 2);
}
// ANCHOR_END: exercise_tests
