//! Exercise 20, reference solution: a two-tier limiter.
//!
//! APIs usually promise two limits at once: "bursts of up to 20 requests per second, and no more
//! than 1,000 per hour". One algorithm cannot say both. Here a token bucket enforces the burst
//! tier and a sliding window counter the sustained tier; a request is admitted only if both
//! admit it, and a denied request spends nothing from either. That last rule is why each tier
//! splits `check` into `peek` (decide, spend nothing) and `spend`: a client that is over its
//! hourly limit must not also drain its burst bucket with requests that were refused anyway.
//!
//! Floating-point seconds keep this version short; the chapter's modules show the exact integer
//! arithmetic. Waits are rounded *up* to the microsecond so a retry is never a hair too early.

// ANCHOR: exercise_solution
use std::time::Duration;

use crate::{Decision, Rate, RateLimiter};

/// The burst tier: a token bucket that can be asked before it is spent.
pub struct BurstBucket {
    capacity: f64,
    per_second: f64,
    tokens: f64,
    refilled_at: f64,
}

impl BurstBucket {
    /// A full bucket holding `rate.burst()` tokens, refilled at `rate.limit()` per `rate.period()`.
    pub fn new(rate: Rate) -> Self {
        let capacity = f64::from(rate.burst());
        let per_second = f64::from(rate.limit()) / rate.period().as_secs_f64();
        let (tokens, refilled_at) = (capacity, 0.0);
        Self {
            capacity,
            per_second,
            tokens,
            refilled_at,
        }
    }

    /// What spending one token at `now` would give, without spending it.
    pub fn peek(&mut self, now: Duration) -> Decision {
        let now = now.as_secs_f64();
        if now > self.refilled_at {
            let earned = (now - self.refilled_at) * self.per_second;
            self.tokens = (self.tokens + earned).min(self.capacity);
            self.refilled_at = now;
        }
        let refill = |missing: f64| secs_up(missing / self.per_second);
        if self.tokens >= 1.0 {
            let remaining = (self.tokens - 1.0).floor() as u32;
            Decision::Allowed {
                remaining,
                reset_after: refill(self.capacity - self.tokens + 1.0),
            }
        } else {
            let reset_after = refill(self.capacity - self.tokens);
            Decision::Denied {
                retry_after: refill(1.0 - self.tokens),
                reset_after,
            }
        }
    }

    /// Spend one token: call only after `peek` allowed at the same `now`.
    pub fn spend(&mut self) {
        self.tokens -= 1.0;
    }
}

/// The sustained tier: a sliding window counter that can be asked before it is spent.
pub struct SustainedWindow {
    limit: f64,
    period: f64,
    window: u64,
    current: u32,
    previous: u32,
}

impl SustainedWindow {
    /// Empty counters allowing `rate.limit()` per `rate.period()`.
    pub fn new(rate: Rate) -> Self {
        let (limit, period) = (f64::from(rate.limit()), rate.period().as_secs_f64());
        Self {
            limit,
            period,
            window: 0,
            current: 0,
            previous: 0,
        }
    }

    /// What counting one more request at `now` would give, without counting it.
    pub fn peek(&mut self, now: Duration) -> Decision {
        let position = now.as_secs_f64() / self.period;
        let window = position.floor() as u64;
        if window > self.window {
            self.previous = if window == self.window + 1 {
                self.current
            } else {
                0
            };
            (self.window, self.current) = (window, 0);
        }
        // How far into the current window we are, as a fraction f.
        let progress = (position - window as f64).clamp(0.0, 1.0);
        let (previous, current) = (f64::from(self.previous), f64::from(self.current));
        let estimate = previous * (1.0 - progress) + current + 1.0;
        let to_window_end = (1.0 - progress) * self.period;
        if estimate <= self.limit {
            let remaining = (self.limit - estimate).floor() as u32;
            Decision::Allowed {
                remaining,
                reset_after: secs_up(to_window_end + self.period),
            }
        } else {
            // Wait until the previous window has faded enough, or into the next window until
            // this one has: previous × (1 − f) + current + 1 ≤ limit.
            let fade_at = 1.0 - (self.limit - current - 1.0) / previous;
            let wait = if current + 1.0 <= self.limit && fade_at < 1.0 {
                (fade_at - progress) * self.period
            } else {
                to_window_end + (1.0 - (self.limit - 1.0) / current).max(0.0) * self.period
            };
            let reset_after = secs_up(to_window_end + self.period);
            Decision::Denied {
                retry_after: secs_up(wait),
                reset_after,
            }
        }
    }

    /// Count one request: call only after `peek` allowed at the same `now`.
    pub fn spend(&mut self) {
        self.current += 1;
    }
}

/// Both tiers together: admitted only if both admit; a denial spends nothing from either.
pub struct TieredLimiter {
    burst: BurstBucket,
    sustained: SustainedWindow,
}

impl TieredLimiter {
    /// `burst` for the token bucket (its `burst()` and refill rate), `sustained` for the window.
    pub fn new(burst: Rate, sustained: Rate) -> Self {
        Self {
            burst: BurstBucket::new(burst),
            sustained: SustainedWindow::new(sustained),
        }
    }
}

impl RateLimiter for TieredLimiter {
    fn check(&mut self, now: Duration) -> Decision {
        let (burst, sustained) = (self.burst.peek(now), self.sustained.peek(now));
        match (burst, sustained) {
            (Decision::Allowed { remaining: a, .. }, Decision::Allowed { remaining: b, .. }) => {
                self.burst.spend();
                self.sustained.spend();
                let reset_after = reset_after(burst).max(reset_after(sustained));
                Decision::Allowed {
                    remaining: a.min(b),
                    reset_after,
                }
            }
            // Denied by one or both, and nothing spent: retry when the later of the two reopens.
            _ => Decision::Denied {
                retry_after: retry_after(burst).max(retry_after(sustained)),
                reset_after: reset_after(burst).max(reset_after(sustained)),
            },
        }
    }
}

/// How long until this tier admits again (zero if it admits now).
fn retry_after(decision: Decision) -> Duration {
    match decision {
        Decision::Allowed { .. } => Duration::ZERO,
        Decision::Denied { retry_after, .. } => retry_after,
    }
}

/// How long until this tier is fully rested.
fn reset_after(decision: Decision) -> Duration {
    match decision {
        Decision::Allowed { reset_after, .. } | Decision::Denied { reset_after, .. } => reset_after,
    }
}

/// Seconds as a `Duration`, rounded up to the microsecond.
fn secs_up(seconds: f64) -> Duration {
    Duration::from_micros((seconds.max(0.0) * 1e6).ceil() as u64)
}
// ANCHOR_END: exercise_solution
