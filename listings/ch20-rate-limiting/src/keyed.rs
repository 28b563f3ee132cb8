//! One limiter per client key, in this process.

use std::collections::HashMap;
use std::time::Duration;

use parking_lot::Mutex;

use crate::{Algorithm, Decision, Rate, RateLimiter};

/// A map from client key to that client's limiter state, created on first sight.
///
/// One mutex around the map is the simplest correct choice: a check is a hash lookup and a few
/// integer operations, so the lock is held for well under a microsecond. Under heavy contention
/// you would shard the map (as `governor`'s keyed limiter does with `dashmap`).
///
/// The map grows by one entry per distinct key and never shrinks. A production limiter facing
/// the open internet must evict rested clients (a TTL cache such as moka), or an attacker
/// cycling through keys exhausts memory; the Redis limiter gets this for free from key expiry.
pub struct KeyedLimiter {
    algorithm: Algorithm,
    rate: Rate,
    limiters: Mutex<HashMap<String, Box<dyn RateLimiter>>>,
}

impl KeyedLimiter {
    /// An empty map; each new key starts with a fresh `algorithm` limiter at `rate`.
    pub fn new(algorithm: Algorithm, rate: Rate) -> Self {
        Self {
            algorithm,
            rate,
            limiters: Mutex::new(HashMap::new()),
        }
    }

    /// The rate every key is limited to.
    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// Decide on a request from `key` at `now`.
    pub fn check(&self, key: &str, now: Duration) -> Decision {
        let mut limiters = self.limiters.lock();
        // Look up by &str first so the common case (a known key) allocates nothing.
        if let Some(limiter) = limiters.get_mut(key) {
            return limiter.check(now);
        }
        let mut limiter = self.algorithm.build(self.rate);
        let decision = limiter.check(now);
        limiters.insert(key.to_owned(), limiter);
        decision
    }
}
