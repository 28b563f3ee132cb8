//! Exercise 10, reference solution: a cache with leases, after Facebook's memcache.
//!
//! The chapter closed the stale-set race with versions: the cache refuses a fill older than
//! what it knows. Versions need the writer to know a version number. Leases need nothing from
//! the data: on a miss the cache hands the caller a **lease token**, the right to fill this key
//! once; a delete revokes the outstanding lease; and a set is accepted only with the current,
//! unexpired token. A reader who read the database *before* a write therefore holds a revoked
//! token, and its late set is refused. Because the cache issues at most one lease per key at a
//! time, the same mechanism stops a stampede: the other missing callers are told to wait and
//! retry instead of all querying the database.
//!
//! The lease expires after `lease_ttl`, so a holder that crashed never blocks a key for long.

// ANCHOR: exercise_solution
use std::collections::HashMap;
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
    lease_ttl: Duration,
    next_token: u64,
    values: HashMap<String, String>,
    leases: HashMap<String, (LeaseToken, Duration)>,
}

impl LeaseCache {
    /// An empty cache whose leases expire `lease_ttl` after they were issued.
    pub fn new(lease_ttl: Duration) -> Self {
        Self {
            lease_ttl,
            next_token: 0,
            values: HashMap::new(),
            leases: HashMap::new(),
        }
    }

    /// Look `key` up at `now`: a hit, a miss with a fresh lease, or "wait" while another
    /// caller's lease on `key` is live.
    pub fn get(&mut self, key: &str, now: Duration) -> Lookup {
        if let Some(value) = self.values.get(key) {
            return Lookup::Hit(value.clone());
        }
        if let Some((_, expires_at)) = self.leases.get(key)
            && now < *expires_at
        {
            return Lookup::Wait;
        }
        self.next_token += 1;
        let token = LeaseToken(self.next_token);
        self.leases
            .insert(key.to_owned(), (token, now + self.lease_ttl));
        Lookup::Miss(token)
    }

    /// Fill `key` with `value` if `token` is its current, unexpired lease. The lease is used
    /// up either way it matches. Returns whether the value was stored.
    pub fn set(&mut self, key: &str, value: &str, token: LeaseToken, now: Duration) -> bool {
        match self.leases.get(key) {
            Some(&(current, expires_at)) if current == token && now < expires_at => {
                self.leases.remove(key);
                self.values.insert(key.to_owned(), value.to_owned());
                true
            }
            _ => false,
        }
    }

    /// The data behind `key` changed: drop the value and revoke any outstanding lease.
    pub fn delete(&mut self, key: &str) {
        self.values.remove(key);
        self.leases.remove(key);
    }
}
// ANCHOR_END: exercise_solution
