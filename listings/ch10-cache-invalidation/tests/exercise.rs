//! Exercise 10: the tests your `LeaseCache` makes pass.
//!
//! `cargo test -p ch10-cache-invalidation --features starter --test exercise` runs them against
//! your starter; without `--features starter`, against the reference solution.

// ANCHOR: exercise_tests
use std::time::Duration;

use ch10_cache_invalidation::exercise::{LeaseCache, LeaseToken, Lookup};

const LEASE: Duration = Duration::from_secs(10);

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn lease(lookup: Lookup) -> LeaseToken {
    match lookup {
        Lookup::Miss(token) => token,
        other => panic!("expected a miss with a lease, got {other:?}"),
    }
}

#[test]
fn a_miss_grants_a_lease_and_the_set_fills_the_cache() {
    let mut cache = LeaseCache::new(LEASE);
    let token = lease(cache.get("user:1", secs(0)));
    assert!(cache.set("user:1", "alice", token, secs(1)));
    assert_eq!(cache.get("user:1", secs(2)), Lookup::Hit("alice".into()));
}

#[test]
fn only_one_caller_gets_the_lease_the_others_wait() {
    let mut cache = LeaseCache::new(LEASE);
    let _leader = lease(cache.get("hot", secs(0)));
    for _ in 0..100 {
        assert_eq!(cache.get("hot", secs(1)), Lookup::Wait);
    }
    // Other keys are not affected.
    lease(cache.get("cold", secs(1)));
}

#[test]
fn a_delete_revokes_the_lease_so_the_stale_set_is_refused() {
    let mut cache = LeaseCache::new(LEASE);
    // Reader R misses and reads version 1 from the database...
    let stale = lease(cache.get("user:1", secs(0)));
    // ...writer W updates the database to version 2 and deletes the key...
    cache.delete("user:1");
    // ...and R's late set of version 1 must not land.
    assert!(!cache.set("user:1", "v1", stale, secs(1)));
    // The next reader misses, gets a new lease, and fills the fresh value.
    let fresh = lease(cache.get("user:1", secs(2)));
    assert_ne!(fresh, stale);
    assert!(cache.set("user:1", "v2", fresh, secs(3)));
    assert_eq!(cache.get("user:1", secs(4)), Lookup::Hit("v2".into()));
}

#[test]
fn a_lease_fills_once() {
    let mut cache = LeaseCache::new(LEASE);
    let token = lease(cache.get("k", secs(0)));
    assert!(cache.set("k", "first", token, secs(1)));
    cache.delete("k");
    assert!(!cache.set("k", "replayed", token, secs(2)));
    assert!(matches!(cache.get("k", secs(3)), Lookup::Miss(_)));
}

#[test]
fn an_expired_lease_is_refused_and_replaced() {
    let mut cache = LeaseCache::new(LEASE);
    let crashed = lease(cache.get("k", secs(0)));
    assert_eq!(cache.get("k", secs(9)), Lookup::Wait);
    // At 10 s the holder is presumed dead: the next caller gets a new lease...
    let next = lease(cache.get("k", secs(10)));
    assert_ne!(next, crashed);
    // ...and the old holder's very late set is refused.
    assert!(!cache.set("k", "late", crashed, secs(11)));
    assert!(cache.set("k", "fresh", next, secs(11)));
}

#[test]
fn a_set_after_the_lease_expired_is_refused() {
    let mut cache = LeaseCache::new(LEASE);
    let token = lease(cache.get("k", secs(0)));
    assert!(!cache.set("k", "too late", token, secs(10)));
    assert!(matches!(cache.get("k", secs(10)), Lookup::Miss(_)));
}

#[test]
fn a_token_for_one_key_cannot_fill_another() {
    let mut cache = LeaseCache::new(LEASE);
    let for_a = lease(cache.get("a", secs(0)));
    let _for_b = lease(cache.get("b", secs(0)));
    assert!(!cache.set("b", "wrong", for_a, secs(1)));
    assert!(cache.set("a", "right", for_a, secs(1)));
}
// ANCHOR_END: exercise_tests
