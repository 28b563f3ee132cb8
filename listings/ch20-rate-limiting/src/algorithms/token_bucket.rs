//! Token bucket: credit that refills at a steady rate and is spent one token per request.
//!
//! The bucket holds at most `burst` tokens and gains `limit` tokens per `period`. A request takes
//! one token or is denied. A rested client can therefore send `burst` requests at once and then
//! `limit / period` on average. Two numbers of state per client: the tokens and when we last
//! refilled. (AWS API Gateway and Stripe describe their limits this way.)

use std::time::Duration;

use super::duration;
use crate::{Decision, Rate, RateLimiter};

/// A token bucket for one client.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate: Rate,
    /// Tokens, scaled by `period_nanos` so that refilling is exact integer arithmetic: one token is
    /// `period_nanos` units, and each nanosecond adds `limit` units.
    credit: u128,
    /// When we last refilled, in nanoseconds since the epoch.
    refilled_at: u128,
}

impl TokenBucket {
    /// A full bucket: a new client may burst straight away.
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            credit: Self::capacity(rate),
            refilled_at: 0,
        }
    }

    fn capacity(rate: Rate) -> u128 {
        u128::from(rate.burst()) * rate.period_nanos()
    }

    /// Add the tokens earned since the last refill, up to the capacity. A clock that steps back
    /// is treated as standing still.
    fn refill(&mut self, now: u128) {
        if now > self.refilled_at {
            let earned = (now - self.refilled_at) * u128::from(self.rate.limit());
            self.credit = (self.credit + earned).min(Self::capacity(self.rate));
            self.refilled_at = now;
        }
    }

    /// Nanoseconds until `needed` units of credit exist, at `limit` units per nanosecond.
    fn wait_for(&self, needed: u128) -> Duration {
        let missing = needed.saturating_sub(self.credit);
        duration(missing.div_ceil(u128::from(self.rate.limit())))
    }
}

impl RateLimiter for TokenBucket {
    fn check(&mut self, now: Duration) -> Decision {
        self.refill(now.as_nanos());
        let token = self.rate.period_nanos();
        // ANCHOR: token_bucket
        if self.credit >= token {
            self.credit -= token;
            Decision::Allowed {
                remaining: u32::try_from(self.credit / token).unwrap_or(u32::MAX),
                reset_after: self.wait_for(Self::capacity(self.rate)),
            }
        } else {
            Decision::Denied {
                retry_after: self.wait_for(token),
                reset_after: self.wait_for(Self::capacity(self.rate)),
            }
        }
        // ANCHOR_END: token_bucket
    }
}
