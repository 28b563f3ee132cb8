//! Probabilistic early expiration (XFetch).
//!
//! Single-flight stops a stampede inside one process, but 50 app servers still send 50 loads
//! when a hot key expires, and every request in the reload window waits. XFetch (Vattani,
//! Chierichetti and Lowenstein, VLDB 2015) refreshes *before* expiry instead: each read of a
//! live entry recomputes it early with a probability that rises as expiry nears, so usually one
//! request, somewhere shortly before the deadline, reloads while everyone else keeps hitting.
//!
//! A read at time `now` of an entry that expires at `expiry` and took `delta` to compute
//! refreshes early when
//!
//! ```text
//! now - delta × beta × ln(rand()) >= expiry        rand() uniform in (0, 1]
//! ```
//!
//! `-ln(rand())` is an exponential random variable with mean 1, so the chance of refreshing at
//! a gap `g = expiry - now` is `P = exp(-g / (delta × beta))`: about 37% one `delta` before
//! expiry (with `beta = 1`), 5% three `delta`s before. Slow computations (large `delta`) start
//! earlier; `beta > 1` favors earlier refreshes.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::error::{Error, Result};

// ANCHOR: xfetch
/// The XFetch early-refresh rule with its tuning knob `beta` (1.0 in the paper).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct XFetch {
    beta: f64,
}

impl XFetch {
    /// `beta` must be positive and finite.
    pub fn new(beta: f64) -> Result<Self> {
        if beta.is_finite() && beta > 0.0 {
            Ok(Self { beta })
        } else {
            Err(Error::InvalidBeta(beta))
        }
    }

    /// Whether this read, at `now`, should recompute an entry that took `delta` to compute
    /// and expires at `expiry`. Draws one number from `rng`.
    pub fn should_refresh(
        &self,
        now: Duration,
        delta: Duration,
        expiry: Duration,
        rng: &mut impl Rng,
    ) -> bool {
        // `random` gives [0, 1); 1 - that is (0, 1], so ln never sees 0.
        let uniform: f64 = 1.0 - rng.random::<f64>();
        let head_start = delta.as_secs_f64() * self.beta * -uniform.ln();
        now.as_secs_f64() + head_start >= expiry.as_secs_f64()
    }

    /// The exact probability that [`XFetch::should_refresh`] says yes: `exp(-gap / (delta × beta))`.
    pub fn probability(&self, now: Duration, delta: Duration, expiry: Duration) -> f64 {
        let Some(gap) = expiry.checked_sub(now).filter(|gap| !gap.is_zero()) else {
            return 1.0;
        };
        (-gap.as_secs_f64() / (delta.as_secs_f64() * self.beta)).exp()
    }
}
// ANCHOR_END: xfetch

/// A hot key read at a steady rate, with a slow recomputation.
#[derive(Debug, Clone, Copy)]
pub struct HotKey {
    /// Reads per second, evenly spaced.
    pub requests_per_sec: u32,
    /// How long one recomputation takes (XFetch's `delta`).
    pub recompute: Duration,
    /// Lifetime of a computed value.
    pub ttl: Duration,
    /// How long to simulate.
    pub horizon: Duration,
}

/// What a [`simulate_hot_key`] run cost the backend and the readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HotKeyRun {
    /// Recomputations started (backend loads).
    pub loads: u64,
    /// Reads that found the value expired and had to wait for a load.
    pub waited: u64,
    /// Most recomputations in flight at one moment: the stampede's height.
    pub max_in_flight: usize,
}

// ANCHOR: simulate_hot_key
/// Replay `key`'s reads with plain expiry (`policy = None`) or with XFetch, without any
/// coalescing, so that only the expiry policy differs. Deterministic for a given `seed`.
pub fn simulate_hot_key(key: HotKey, policy: Option<XFetch>, seed: u64) -> HotKeyRun {
    let mut rng = StdRng::seed_from_u64(seed);
    let step = Duration::from_secs(1) / key.requests_per_sec.max(1);
    let reads = (key.horizon.as_secs_f64() / step.as_secs_f64()) as u32;
    let mut expiry = key.ttl; // the value was computed at time zero
    let mut in_flight: Vec<Duration> = Vec::new(); // completion times of running loads
    let mut run = HotKeyRun::default();
    for i in 0..reads {
        let now = step * i;
        in_flight.retain(|&done| {
            if done <= now {
                expiry = expiry.max(done + key.ttl); // a finished load installs a fresh value
            }
            done > now
        });
        let early = policy.is_some_and(|x| {
            now < expiry && x.should_refresh(now, key.recompute, expiry, &mut rng)
        });
        if now >= expiry {
            run.waited += 1; // a miss: this reader waits for its own load
        }
        if now >= expiry || early {
            run.loads += 1;
            in_flight.push(now + key.recompute);
            run.max_in_flight = run.max_in_flight.max(in_flight.len());
        }
    }
    run
}
// ANCHOR_END: simulate_hot_key
