//! The stale-set race, replayed step by step so it happens every time, and its fix.
//!
//! Reader R misses and reads version 1 from the database; writer W then writes version 2 and
//! invalidates; R, late, fills the cache with version 1. The interleaving is written out in
//! order, with explicit times, so no scheduler can hide it.

use std::time::Duration;

use ch10_cache_invalidation::{Versioned, VersionedStore};

const TTL: Duration = Duration::from_secs(30);
const TOMBSTONE: Duration = Duration::from_secs(10);

fn at(secs: u64) -> Duration {
    Duration::from_secs(secs)
}

fn v(version: u64) -> Versioned<&'static str> {
    let value = if version == 1 { "price=10" } else { "price=12" };
    Versioned { value, version }
}

// ANCHOR: race
#[test]
fn naive_delete_then_late_fill_leaves_a_stale_value_for_a_whole_ttl() {
    let mut cache = VersionedStore::new();
    let read_by_r = v(1); // t=0: R misses and reads v1 from the database
    cache.delete("price:7"); // t=1: W writes v2 to the database, then deletes
    cache.set("price:7", read_by_r, TTL, at(1)); // t=1: R's late fill lands
    // Every read for the next 30 s returns v1, although the database holds v2.
    assert_eq!(cache.get("price:7", at(2)), Some(v(1)));
    assert_eq!(cache.get("price:7", at(30)), Some(v(1)));
    assert_eq!(cache.get("price:7", at(31)), None, "only the TTL ends it");
}

#[test]
fn a_tombstone_refuses_the_late_fill_and_the_next_reader_gets_fresh_data() {
    let mut cache = VersionedStore::new();
    let read_by_r = v(1); // t=0: R misses and reads v1
    cache.invalidate("price:7", 2, TOMBSTONE, at(1)); // t=1: W writes v2, invalidates
    assert!(
        !cache.set_if_newer("price:7", read_by_r, TTL, at(1)),
        "late fill refused"
    );
    assert_eq!(cache.get("price:7", at(2)), None, "a miss, never v1");
    // The next reader reads v2 from the database and fills: accepted.
    assert!(cache.set_if_newer("price:7", v(2), TTL, at(2)));
    assert_eq!(cache.get("price:7", at(3)), Some(v(2)));
}
// ANCHOR_END: race

#[test]
fn the_tombstone_also_wins_when_the_invalidation_arrives_after_the_fill() {
    // The other order: R fills v1 first, then W's invalidation for v2 arrives.
    let mut cache = VersionedStore::new();
    assert!(cache.set_if_newer("price:7", v(1), TTL, at(0)));
    cache.invalidate("price:7", 2, TOMBSTONE, at(1));
    assert_eq!(cache.get("price:7", at(1)), None);
}

#[test]
fn an_old_invalidation_does_not_evict_a_newer_value() {
    // Events can arrive late or out of order; an event for v1 must not drop v2.
    let mut cache = VersionedStore::new();
    assert!(cache.set_if_newer("price:7", v(2), TTL, at(0)));
    cache.invalidate("price:7", 1, TOMBSTONE, at(1));
    assert_eq!(cache.get("price:7", at(1)), Some(v(2)));
}

#[test]
fn a_newer_value_is_never_replaced_by_an_older_one() {
    let mut cache = VersionedStore::new();
    assert!(cache.set_if_newer("price:7", v(2), TTL, at(0)));
    assert!(!cache.set_if_newer("price:7", v(1), TTL, at(1)));
    assert_eq!(cache.get("price:7", at(1)), Some(v(2)));
    // Equal versions are fine: two readers of the same row may both fill.
    assert!(cache.set_if_newer("price:7", v(2), TTL, at(1)));
}

#[test]
fn the_protection_lasts_as_long_as_the_tombstone() {
    // A fill slower than the tombstone's lifetime gets through: size the tombstone to outlast
    // the slowest load (and keep the TTL as the final bound).
    let mut cache = VersionedStore::new();
    cache.invalidate("price:7", 2, TOMBSTONE, at(1));
    assert!(!cache.set_if_newer("price:7", v(1), TTL, at(10)));
    assert!(cache.set_if_newer("price:7", v(1), TTL, at(11)));
}
