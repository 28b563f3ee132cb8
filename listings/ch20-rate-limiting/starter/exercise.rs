//! Exercise 20, starter: a two-tier limiter.
//!
//! APIs usually promise two limits at once: "bursts of up to 20 requests per second, and no more
//! than 1,000 per hour". Build a token bucket for the burst tier and a sliding window counter for
//! the sustained tier, each split into `peek` (decide, spend nothing) and `spend`, and combine
//! them in `TieredLimiter`: a request is admitted only if both admit it, and a denied request
//! spends nothing from either. `cargo test -p ch20-rate-limiting --features starter --test
//! exercise` runs the tests you make pass.

// The bodies are yours to write; until then the parameters are unused.
#![allow(unused_variables)]

// ANCHOR: exercise_starter
use std::time::Duration;

use crate::{Decision, Rate, RateLimiter};

/// The burst tier: a token bucket that can be asked before it is spent.
pub struct BurstBucket {
    // exercise 20: the capacity, the refill rate, the tokens, and when you last refilled.
}

impl BurstBucket {
    /// A full bucket holding `rate.burst()` tokens, refilled at `rate.limit()` per `rate.period()`.
    pub fn new(rate: Rate) -> Self {
        todo!("exercise 20: start with a full bucket")
    }

    /// What spending one token at `now` would give, without spending it.
    pub fn peek(&mut self, now: Duration) -> Decision {
        todo!("exercise 20: refill for the time since the last call, then decide")
    }

    /// Spend one token: call only after `peek` allowed at the same `now`.
    pub fn spend(&mut self) {
        todo!("exercise 20: take one token")
    }
}

/// The sustained tier: a sliding window counter that can be asked before it is spent.
pub struct SustainedWindow {
    // exercise 20: the limit, the period, the current window, and its and the previous count.
}

impl SustainedWindow {
    /// Empty counters allowing `rate.limit()` per `rate.period()`.
    pub fn new(rate: Rate) -> Self {
        todo!("exercise 20: start with empty counters")
    }

    /// What counting one more request at `now` would give, without counting it.
    pub fn peek(&mut self, now: Duration) -> Decision {
        todo!("exercise 20: roll the windows, weigh the previous one, then decide")
    }

    /// Count one request: call only after `peek` allowed at the same `now`.
    pub fn spend(&mut self) {
        todo!("exercise 20: count one request in the current window")
    }
}

/// Both tiers together: admitted only if both admit; a denial spends nothing from either.
pub struct TieredLimiter {
    // exercise 20: the two tiers.
}

impl TieredLimiter {
    /// `burst` for the token bucket (its `burst()` and refill rate), `sustained` for the window.
    pub fn new(burst: Rate, sustained: Rate) -> Self {
        todo!("exercise 20: build both tiers")
    }
}

impl RateLimiter for TieredLimiter {
    fn check(&mut self, now: Duration) -> Decision {
        todo!("exercise 20: peek both, spend both only if both allow, else the later retry")
    }
}
// ANCHOR_END: exercise_starter
