//! Leaky bucket, **as a meter**: a bucket that fills by one unit per request and drains at a
//! steady rate; a request that would overflow it is denied.
//!
//! There are two leaky buckets in the literature. As a **queue** (nginx `limit_req` without
//! `nodelay`), requests wait in the bucket and leave at the drain rate: the output is perfectly
//! smooth, and a full queue means denial. As a **meter** (this module, and the ATM standard that
//! GCRA comes from), nothing waits: the bucket only measures, and each request is admitted or
//! denied at once. That is what an HTTP limiter needs, because holding a request open to delay
//! it costs a connection, a task, and the client's patience.
//!
//! As a meter it admits exactly what the [token bucket](super::token_bucket) admits: its water
//! level is the token bucket's *missing* tokens. We keep both because interviewers and papers
//! use both names; seeing that they are one algorithm is the point.

use std::time::Duration;

use super::duration;
use crate::{Decision, Rate, RateLimiter};

/// A leaky bucket (meter) for one client.
#[derive(Debug, Clone)]
pub struct LeakyBucket {
    rate: Rate,
    /// Water in the bucket, in units where one request pours `period_nanos` units and each
    /// nanosecond drains `limit` units. The bucket holds `burst` requests.
    level: u128,
    /// When we last drained, in nanoseconds since the epoch.
    drained_at: u128,
}

impl LeakyBucket {
    /// An empty bucket: a new client may burst straight away.
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            level: 0,
            drained_at: 0,
        }
    }

    fn drain(&mut self, now: u128) {
        if now > self.drained_at {
            let leaked = (now - self.drained_at) * u128::from(self.rate.limit());
            self.level = self.level.saturating_sub(leaked);
            self.drained_at = now;
        }
    }

    /// How long until the level has drained down to `target`.
    fn wait_until_level(&self, target: u128) -> Duration {
        let excess = self.level.saturating_sub(target);
        duration(excess.div_ceil(u128::from(self.rate.limit())))
    }
}

impl RateLimiter for LeakyBucket {
    fn check(&mut self, now: Duration) -> Decision {
        self.drain(now.as_nanos());
        let drop = self.rate.period_nanos();
        let capacity = u128::from(self.rate.burst()) * drop;
        // ANCHOR: leaky_bucket
        if self.level + drop <= capacity {
            self.level += drop;
            Decision::Allowed {
                remaining: u32::try_from((capacity - self.level) / drop).unwrap_or(u32::MAX),
                reset_after: self.wait_until_level(0),
            }
        } else {
            Decision::Denied {
                retry_after: self.wait_until_level(capacity - drop),
                reset_after: self.wait_until_level(0),
            }
        }
        // ANCHOR_END: leaky_bucket
    }
}
