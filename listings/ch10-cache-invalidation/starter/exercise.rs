//! Exercise 10, starter: a cache with leases, after Facebook's memcache.
//!
//! On a miss the cache hands the caller a **lease token**, the right to fill this key once; a
//! delete revokes the outstanding lease; a set is accepted only with the current, unexpired
//! token; and while one caller holds a live lease, other missing callers are told to wait.
//! Leases expire after `lease_ttl`. `cargo test -p ch10-cache-invalidation --features starter
//! --test exercise` runs the tests you make pass.

// The bodies are yours to write; until then the parameters are unused.
#![allow(unused_variables)]

// ANCHOR: exercise_starter
use std::time::Duration;

/// The right to fill one key once; only the cache creates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LeaseToken(u64);

/// What a `get` tells the caller to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The cached value.
    Hit(String),
    /// A miss, and you hold the lease: load the value and `set` it with this token.
    Miss(LeaseToken),
    /// A miss, but someone else holds the lease: retry shortly, do not load.
    Wait,
}

/// A cache that hands out leases on misses.
#[derive(Debug)]
pub struct LeaseCache {
    // exercise 10: the lease lifetime, a token counter, the values, and per key the current
    // lease with its expiry.
}

impl LeaseCache {
    /// An empty cache whose leases expire `lease_ttl` after they were issued.
    pub fn new(lease_ttl: Duration) -> Self {
        todo!("exercise 10: an empty cache")
    }

    /// Look `key` up at `now`: a hit, a miss with a fresh lease, or "wait" while another
    /// caller's lease on `key` is live.
    pub fn get(&mut self, key: &str, now: Duration) -> Lookup {
        todo!("exercise 10: hit, or issue a lease, or tell the caller to wait")
    }

    /// Fill `key` with `value` if `token` is its current, unexpired lease. The lease is used
    /// up either way it matches. Returns whether the value was stored.
    pub fn set(&mut self, key: &str, value: &str, token: LeaseToken, now: Duration) -> bool {
        todo!("exercise 10: accept only the current, live lease")
    }

    /// The data behind `key` changed: drop the value and revoke any outstanding lease.
    pub fn delete(&mut self, key: &str) {
        todo!("exercise 10: drop the value and revoke the lease")
    }
}
// ANCHOR_END: exercise_starter
