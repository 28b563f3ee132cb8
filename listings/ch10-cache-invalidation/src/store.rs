//! A cache that knows the version of what it holds, and the stale-set race it prevents.
//!
//! The classic cache-aside race needs only two clients and one key:
//!
//! 1. reader R misses and reads the database: version 1;
//! 2. writer W updates the database to version 2 and deletes the cache entry;
//! 3. R, late, sets the cache to what it read: version 1.
//!
//! The delete in step 2 came *before* the set in step 3, so the cache now holds version 1 and
//! will serve it until the TTL expires, although the database moved on. Deleting harder does not
//! help. What helps is letting the cache refuse R's set: [`VersionedStore::invalidate`] leaves a
//! **tombstone** that remembers "the data is at version 2 now", and
//! [`VersionedStore::set_if_newer`] rejects anything older. [`VersionedStore::set`] and
//! [`VersionedStore::delete`] are the naive operations, kept so the tests can show the race.

use std::collections::HashMap;
use std::time::Duration;

/// A value with the version of the source row it was read from (a version column, a
/// PostgreSQL `xmin`, a commit timestamp: anything that only grows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned<V> {
    /// The value.
    pub value: V,
    /// Its version at the source of truth.
    pub version: u64,
}

#[derive(Debug, Clone)]
enum Slot<V> {
    Value {
        item: Versioned<V>,
        expires_at: Duration,
    },
    /// "Invalidated at `version`": no value, but sets older than `version` are refused.
    Tombstone { version: u64, expires_at: Duration },
}

impl<V> Slot<V> {
    fn expires_at(&self) -> Duration {
        match self {
            Slot::Value { expires_at, .. } | Slot::Tombstone { expires_at, .. } => *expires_at,
        }
    }

    fn version(&self) -> u64 {
        match self {
            Slot::Value { item, .. } => item.version,
            Slot::Tombstone { version, .. } => *version,
        }
    }
}

/// A key-value cache with TTLs whose entries carry versions.
///
/// Time is passed in (`now`) so tests replay interleavings exactly.
#[derive(Debug)]
pub struct VersionedStore<V> {
    slots: HashMap<String, Slot<V>>,
}

impl<V> Default for VersionedStore<V> {
    fn default() -> Self {
        Self {
            slots: HashMap::new(),
        }
    }
}

impl<V: Clone> VersionedStore<V> {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The live value for `key` at `now`, or `None` on a miss (absent, expired, or tombstoned).
    pub fn get(&self, key: &str, now: Duration) -> Option<Versioned<V>> {
        match self.slots.get(key) {
            Some(Slot::Value { item, expires_at }) if now < *expires_at => Some(item.clone()),
            _ => None,
        }
    }

    /// The naive set: store `item` whatever is there. This is the half of the race that writes
    /// the stale value back.
    pub fn set(&mut self, key: &str, item: Versioned<V>, ttl: Duration, now: Duration) {
        let expires_at = now + ttl;
        self.slots
            .insert(key.to_owned(), Slot::Value { item, expires_at });
    }

    /// The naive delete: forget `key`, and with it everything we knew about its version.
    pub fn delete(&mut self, key: &str) {
        self.slots.remove(key);
    }

    /// Remove every entry and tombstone: what a subscriber does when it may have missed events.
    pub fn clear(&mut self) {
        self.slots.clear();
    }

    /// Number of slots held (values and tombstones, live or not).
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the cache holds no slot at all.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

// ANCHOR: versioned_ops
impl<V: Clone> VersionedStore<V> {
    /// Store `item` unless the cache knows a newer version of `key` (a live newer value or
    /// tombstone). Equal versions are accepted. Returns whether the set was accepted.
    pub fn set_if_newer(
        &mut self,
        key: &str,
        item: Versioned<V>,
        ttl: Duration,
        now: Duration,
    ) -> bool {
        if let Some(slot) = self.slots.get(key)
            && now < slot.expires_at()
            && item.version < slot.version()
        {
            return false;
        }
        self.set(key, item, ttl, now);
        true
    }

    /// Invalidate `key` because the source moved to `version`: drop the value and leave a
    /// tombstone for `tombstone_ttl`, so that a reader who read an older version before the
    /// write cannot put it back.
    ///
    /// The tombstone must outlast the slowest load: a stale set that arrives after it expired
    /// is accepted again.
    pub fn invalidate(&mut self, key: &str, version: u64, tombstone_ttl: Duration, now: Duration) {
        if self
            .slots
            .get(key)
            .is_some_and(|slot| now < slot.expires_at() && slot.version() > version)
        {
            return; // we already hold something newer than this event
        }
        let expires_at = now + tombstone_ttl;
        self.slots.insert(
            key.to_owned(),
            Slot::Tombstone {
                version,
                expires_at,
            },
        );
    }
}
// ANCHOR_END: versioned_ops
