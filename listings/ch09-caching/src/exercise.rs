//! Exercise 9, reference solution: an LRU cache whose entries expire.
//!
//! Time is passed in (`now`, a [`Duration`] since any fixed origin), so tests replay exactly.

// ANCHOR: exercise_solution
use std::hash::Hash;
use std::time::Duration;

use crate::{Cache, Error, LruCache};

/// An LRU cache in which every entry also has a **time to live**: it is served until
/// `inserted + ttl` and never after, even if it is the most recently used entry.
pub struct TtlLruCache<K, V> {
    /// The chapter's LRU, holding each value with the instant it expires.
    lru: LruCache<K, (V, Duration)>,
}

impl<K: Hash + Eq + Clone, V: Clone> TtlLruCache<K, V> {
    /// An empty cache for at most `capacity` entries.
    ///
    /// # Errors
    ///
    /// [`Error::ZeroCapacity`] when `capacity` is 0.
    pub fn new(capacity: usize) -> Result<Self, Error> {
        Ok(Self {
            lru: LruCache::new(capacity)?,
        })
    }

    /// The value of `key` if it is cached and not expired at `now`; a hit counts as a use.
    /// An expired entry is removed on the spot.
    pub fn get(&mut self, key: &K, now: Duration) -> Option<V> {
        let &(_, expires_at) = self.lru.peek(key)?;
        if now >= expires_at {
            self.lru.remove(key);
            return None;
        }
        self.lru.get(key).map(|(value, _)| value.clone())
    }

    /// Insert or replace `key`, to expire at `now + ttl` (a replacement resets the TTL and
    /// counts as a use). When a new key finds the cache full, expired entries are dropped
    /// first; only if none had expired is the least recently used live entry evicted, and
    /// its key returned.
    pub fn put(&mut self, key: K, value: V, ttl: Duration, now: Duration) -> Option<K> {
        let expires_at = now.saturating_add(ttl);
        if !self.lru.contains(&key) && self.lru.len() >= self.lru.capacity() {
            self.purge_expired(now);
        }
        self.lru.put(key, (value, expires_at)).map(|(k, _)| k)
    }

    /// Drop every entry that has expired at `now`; returns how many.
    pub fn purge_expired(&mut self, now: Duration) -> usize {
        let expired: Vec<K> = self
            .lru
            .keys_mru_to_lru()
            .into_iter()
            .filter(|k| self.lru.peek(k).is_some_and(|&(_, at)| now >= at))
            .cloned()
            .collect();
        for key in &expired {
            self.lru.remove(key);
        }
        expired.len()
    }

    /// Entries stored, expired or not (expired ones leave on `get`, `put` or `purge_expired`).
    pub fn len(&self) -> usize {
        self.lru.len()
    }

    /// Whether the cache stores no entries.
    pub fn is_empty(&self) -> bool {
        self.lru.is_empty()
    }
}
// ANCHOR_END: exercise_solution
