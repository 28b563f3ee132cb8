//! Fixed window: a counter per aligned period (`[0, P)`, `[P, 2P)`, …), reset at each boundary.
//!
//! Cheapest of all (one counter and the window's index per client; in Redis an `INCR` plus an
//! `EXPIRE`), and easy to explain to customers ("1,000 requests per calendar minute"). Its flaw is
//! the **boundary burst**: `limit` requests at 0:59.9 and `limit` more at 1:00.0 are all admitted,
//! so a client gets `2 × limit` within a tenth of a second.

use std::time::Duration;

use super::duration;
use crate::{Decision, Rate, RateLimiter};

/// A fixed-window counter for one client.
#[derive(Debug, Clone)]
pub struct FixedWindow {
    rate: Rate,
    /// Which window we are counting: `now / period`.
    window: u128,
    /// Requests admitted in that window.
    count: u32,
}

impl FixedWindow {
    /// An empty counter.
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            window: 0,
            count: 0,
        }
    }
}

impl RateLimiter for FixedWindow {
    fn check(&mut self, now: Duration) -> Decision {
        let now = now.as_nanos();
        let period = self.rate.period_nanos();
        // ANCHOR: fixed_window
        let window = now / period;
        if window > self.window {
            self.window = window;
            self.count = 0;
        }
        let until_next_window = duration((self.window + 1) * period - now);
        if self.count < self.rate.limit() {
            self.count += 1;
            Decision::Allowed {
                remaining: self.rate.limit() - self.count,
                reset_after: until_next_window,
            }
        } else {
            Decision::Denied {
                retry_after: until_next_window,
                reset_after: until_next_window,
            }
        }
        // ANCHOR_END: fixed_window
    }
}
