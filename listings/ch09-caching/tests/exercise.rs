//! Exercise 9: the tests your `TtlLruCache` makes pass.
//!
//! `cargo test -p ch09-caching --features starter --test exercise` runs them against your
//! starter; without `--features starter`, against the reference solution.

// ANCHOR: exercise_tests
use std::time::Duration;

use ch09_caching::exercise::TtlLruCache;
use proptest::prelude::*;

fn s(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn zero_capacity_is_an_error() {
    assert!(TtlLruCache::<u8, u8>::new(0).is_err());
}

#[test]
fn an_entry_is_served_until_it_expires_and_never_after() {
    let mut cache = TtlLruCache::new(4).unwrap();
    cache.put("a", 1, s(10), s(0));
    assert_eq!(cache.get(&"a", s(9)), Some(1));
    assert_eq!(
        cache.get(&"a", s(10)),
        None,
        "expires at inserted + ttl exactly"
    );
    assert_eq!(cache.len(), 0, "an expired entry found by get is removed");
}

#[test]
fn replacing_a_key_resets_its_ttl() {
    let mut cache = TtlLruCache::new(4).unwrap();
    cache.put("a", 1, s(10), s(0));
    cache.put("a", 2, s(10), s(8));
    assert_eq!(cache.get(&"a", s(15)), Some(2));
    assert_eq!(cache.len(), 1);
}

#[test]
fn a_full_cache_drops_expired_entries_before_evicting_a_live_one() {
    let mut cache = TtlLruCache::new(2).unwrap();
    cache.put("short", 1, s(1), s(0));
    cache.put("long", 2, s(100), s(0));
    cache.get(&"long", s(1)); // "long" is now the most recently used anyway
    assert_eq!(
        cache.put("new", 3, s(100), s(5)),
        None,
        "room came from the expired entry"
    );
    assert_eq!(cache.get(&"long", s(5)), Some(2));
    assert_eq!(cache.get(&"new", s(5)), Some(3));
}

#[test]
fn with_nothing_expired_the_least_recently_used_goes() {
    let mut cache = TtlLruCache::new(2).unwrap();
    cache.put("a", 1, s(100), s(0));
    cache.put("b", 2, s(100), s(0));
    cache.get(&"a", s(1)); // b is now least recently used
    assert_eq!(cache.put("c", 3, s(100), s(2)), Some("b"));
    assert_eq!(cache.get(&"b", s(2)), None);
    assert_eq!(cache.get(&"a", s(2)), Some(1));
}

#[test]
fn purge_removes_exactly_the_expired_entries() {
    let mut cache = TtlLruCache::new(8).unwrap();
    for k in 0..6u64 {
        cache.put(k, k, s(k), s(0)); // key k expires at k seconds
    }
    assert_eq!(
        cache.purge_expired(s(3)),
        4,
        "keys 0, 1, 2 and 3 have expired"
    );
    assert_eq!(cache.len(), 2);
    assert!(!cache.is_empty());
}

/// The reference model: a `Vec` from least to most recently used of (key, value, expires_at).
#[derive(Default)]
struct Model {
    capacity: usize,
    entries: Vec<(u8, u8, Duration)>,
}

impl Model {
    fn get(&mut self, k: u8, now: Duration) -> Option<u8> {
        let i = self.entries.iter().position(|e| e.0 == k)?;
        let e = self.entries.remove(i);
        if now >= e.2 {
            return None;
        }
        self.entries.push(e);
        Some(e.1)
    }

    fn put(&mut self, k: u8, v: u8, ttl: Duration, now: Duration) -> Option<u8> {
        let entry = (k, v, now + ttl);
        if let Some(i) = self.entries.iter().position(|e| e.0 == k) {
            self.entries.remove(i);
            self.entries.push(entry);
            return None;
        }
        if self.entries.len() >= self.capacity {
            self.entries.retain(|e| now < e.2);
        }
        let evicted = (self.entries.len() >= self.capacity).then(|| self.entries.remove(0).0);
        self.entries.push(entry);
        evicted
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Over random gets and puts with random TTLs and a clock that only moves forward, the
    /// cache answers exactly as the model does.
    #[test]
    fn matches_the_reference_model(
        capacity in 1usize..6,
        ops in proptest::collection::vec((any::<bool>(), 0u8..8, 0u64..4, 0u64..6), 0..100),
    ) {
        let mut cache = TtlLruCache::new(capacity).unwrap();
        let mut model = Model { capacity, ..Model::default() };
        let mut now = s(0);
        for (is_put, k, step, ttl) in ops {
            now += s(step);
            if is_put {
                prop_assert_eq!(cache.put(k, k, s(ttl), now), model.put(k, k, s(ttl), now));
            } else {
                prop_assert_eq!(cache.get(&k, now), model.get(k, now));
            }
            prop_assert!(cache.len() <= capacity);
        }
    }
}
// ANCHOR_END: exercise_tests
