//! GCRA, the generic cell rate algorithm: a token bucket stored as one timestamp.
//!
//! At the sustained rate, each request "costs" an **emission interval** `T = period / limit`.
//! GCRA remembers a single number per client, the **theoretical arrival time** (TAT): when the
//! client's next request would be due if it had sent at exactly the sustained rate. A request at
//! `now` is admitted if it is not more than the **tolerance** `τ = (burst − 1) × T` early, that
//! is if `now ≥ TAT − τ`; admitting it moves TAT to `max(TAT, now) + T`.
//!
//! It admits exactly what a token bucket with the same rate and burst admits, but its state is
//! one integer with no refill step. That makes it the natural choice for a shared store: the
//! Redis limiter in [`crate::redis_limiter`] runs these same lines in Lua. (The `governor` crate
//! and Redis Cell implement GCRA; it comes from ATM networks, ITU-T I.371.)

use std::time::Duration;

use super::duration;
use crate::{Decision, Rate, RateLimiter};

/// GCRA state for one client.
#[derive(Debug, Clone)]
pub struct Gcra {
    /// `T`: nanoseconds one request costs at the sustained rate (rounded up).
    interval: u128,
    /// `τ`: how far ahead of schedule a client may run, `(burst − 1) × T`.
    tolerance: u128,
    /// The theoretical arrival time, in nanoseconds since the epoch.
    tat: u128,
}

impl Gcra {
    /// A rested client: TAT in the past, so the whole burst is available.
    pub fn new(rate: Rate) -> Self {
        let interval = rate.emission_interval_nanos();
        Self {
            interval,
            tolerance: interval * u128::from(rate.burst() - 1),
            tat: 0,
        }
    }
}

impl RateLimiter for Gcra {
    fn check(&mut self, now: Duration) -> Decision {
        let now = now.as_nanos();
        // ANCHOR: gcra
        let tat = self.tat.max(now);
        let allow_at = tat - self.tolerance.min(tat);
        if now < allow_at {
            return Decision::Denied {
                retry_after: duration(allow_at - now),
                reset_after: duration(tat - now),
            };
        }
        self.tat = tat + self.interval;
        // How many more would fit right now: each one needs `now ≥ TAT + k·T − τ`.
        let slack = (now + self.tolerance + self.interval).saturating_sub(self.tat);
        Decision::Allowed {
            remaining: u32::try_from(slack / self.interval).unwrap_or(u32::MAX),
            reset_after: duration(self.tat - now),
        }
        // ANCHOR_END: gcra
    }
}
