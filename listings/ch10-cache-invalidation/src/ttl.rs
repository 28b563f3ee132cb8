//! TTLs with jitter, and the expiry histogram that shows why jitter matters.
//!
//! Keys written together with one TTL expire together. If 10,000 keys were filled by one
//! deploy, one cron job, or one cold-start warm-up, they all miss in the same second one TTL
//! later, and the backend sees 10,000 reloads at once. Multiplying each TTL by a random factor
//! in `[1 - j, 1 + j]` spreads those expiries over `2 × j × TTL` seconds.

use std::collections::BTreeMap;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::error::{Error, Result};

/// A validated jitter fraction `j`: each TTL becomes `ttl × u` with `u` uniform in
/// `[1 - j, 1 + j]`.
///
/// Symmetric jitter keeps the *mean* TTL unchanged, so the hit ratio stays about where it was;
/// only the synchronization goes away.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Jitter {
    fraction: f64,
}

// ANCHOR: jitter
impl Jitter {
    /// `fraction` in `[0, 1)`: 0.1 means ±10%. At 1.0 a TTL could reach zero.
    pub fn new(fraction: f64) -> Result<Self> {
        if (0.0..1.0).contains(&fraction) {
            Ok(Self { fraction })
        } else {
            Err(Error::InvalidJitter(fraction))
        }
    }

    /// No jitter: every key gets exactly its TTL.
    pub fn none() -> Self {
        Self { fraction: 0.0 }
    }

    /// The fraction `j`.
    pub fn fraction(&self) -> f64 {
        self.fraction
    }

    /// The shortest and longest TTL this jitter can produce for `ttl`.
    pub fn bounds(&self, ttl: Duration) -> (Duration, Duration) {
        (
            ttl.mul_f64(1.0 - self.fraction),
            ttl.mul_f64(1.0 + self.fraction),
        )
    }

    /// `ttl` scaled by a random factor in `[1 - j, 1 + j]`, drawn from `rng`.
    pub fn apply(&self, ttl: Duration, rng: &mut impl Rng) -> Duration {
        if self.fraction == 0.0 {
            return ttl;
        }
        let factor = rng.random_range(1.0 - self.fraction..=1.0 + self.fraction);
        ttl.mul_f64(factor)
    }
}
// ANCHOR_END: jitter

// ANCHOR: histogram
/// When `keys` entries all written at `written_at` with `ttl` and `jitter` expire: a map from
/// whole second (since the clock's epoch) to the number of keys expiring in it.
///
/// The RNG is seeded, so the same arguments always give the same histogram.
pub fn expirations_per_second(
    keys: usize,
    written_at: Duration,
    ttl: Duration,
    jitter: Jitter,
    seed: u64,
) -> BTreeMap<u64, u32> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut histogram = BTreeMap::new();
    for _ in 0..keys {
        let expires_at = written_at + jitter.apply(ttl, &mut rng);
        *histogram.entry(expires_at.as_secs()).or_insert(0) += 1;
    }
    histogram
}

/// The busiest second of a histogram: the reload spike the backend must absorb.
pub fn peak(histogram: &BTreeMap<u64, u32>) -> u32 {
    histogram.values().copied().max().unwrap_or(0)
}
// ANCHOR_END: histogram
