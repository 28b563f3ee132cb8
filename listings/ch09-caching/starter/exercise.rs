//! Exercise 9, starter: an LRU cache whose entries expire.
//!
//! Build `TtlLruCache` on top of the chapter's `LruCache` (or from scratch): every entry has a
//! time to live, expired entries are never served, and a full cache drops expired entries
//! before it evicts a live one. `cargo test -p ch09-caching --features starter --test exercise`
//! runs the tests you make pass.

// The bodies are yours to write; until then the parameters are unused.
#![allow(unused_variables)]

// ANCHOR: exercise_starter
use std::hash::Hash;
use std::marker::PhantomData;
use std::time::Duration;

use crate::Error;

/// An LRU cache in which every entry also has a **time to live**: it is served until
/// `inserted + ttl` and never after, even if it is the most recently used entry.
pub struct TtlLruCache<K, V> {
    // exercise 9: what you store per entry (the value and when it expires), and in what order.
    _entries: PhantomData<(K, V)>,
}

impl<K: Hash + Eq + Clone, V: Clone> TtlLruCache<K, V> {
    /// An empty cache for at most `capacity` entries; `Error::ZeroCapacity` when it is 0.
    pub fn new(capacity: usize) -> Result<Self, Error> {
        todo!("exercise 9: validate the capacity and build an empty cache")
    }

    /// The value of `key` if it is cached and not expired at `now`; a hit counts as a use.
    /// An expired entry is removed on the spot.
    pub fn get(&mut self, key: &K, now: Duration) -> Option<V> {
        todo!("exercise 9: check the expiry before you serve, and touch the entry on a hit")
    }

    /// Insert or replace `key`, to expire at `now + ttl` (a replacement resets the TTL and
    /// counts as a use). When a new key finds the cache full, expired entries are dropped
    /// first; only if none had expired is the least recently used live entry evicted, and
    /// its key returned.
    pub fn put(&mut self, key: K, value: V, ttl: Duration, now: Duration) -> Option<K> {
        todo!("exercise 9: purge expired entries before evicting the LRU one")
    }

    /// Drop every entry that has expired at `now`; returns how many.
    pub fn purge_expired(&mut self, now: Duration) -> usize {
        todo!("exercise 9: remove the entries whose expiry is at or before now")
    }

    /// Entries stored, expired or not (expired ones leave on `get`, `put` or `purge_expired`).
    pub fn len(&self) -> usize {
        todo!("exercise 9: count the stored entries")
    }

    /// Whether the cache stores no entries.
    pub fn is_empty(&self) -> bool {
        todo!("exercise 9: no entries stored")
    }
}
// ANCHOR_END: exercise_starter
