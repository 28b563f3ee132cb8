//! Sliding log: remember when each admitted request arrived; admit if fewer than `limit` arrived
//! in the last period.
//!
//! Exact: no window of one period, wherever it starts, ever holds more than `limit` admissions.
//! The price is memory, `limit` timestamps per client (16 bytes each here), and in Redis a sorted
//! set per client (`ZREMRANGEBYSCORE` + `ZCARD` + `ZADD`). Fine for "5 password attempts per
//! hour", expensive for "10,000 requests per minute" across a million clients.

use std::collections::VecDeque;
use std::time::Duration;

use super::duration;
use crate::{Decision, Rate, RateLimiter};

/// A sliding log for one client.
#[derive(Debug, Clone)]
pub struct SlidingLog {
    rate: Rate,
    /// Arrival times of the admitted requests of the last period, oldest first (nanoseconds).
    log: VecDeque<u128>,
}

impl SlidingLog {
    /// An empty log.
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            log: VecDeque::with_capacity(usize::try_from(rate.limit()).unwrap_or(0).min(1024)),
        }
    }
}

impl RateLimiter for SlidingLog {
    fn check(&mut self, now: Duration) -> Decision {
        let period = self.rate.period_nanos();
        // A clock that steps back is treated as standing still, so the log stays sorted.
        let now = self
            .log
            .back()
            .map_or(now.as_nanos(), |&t| t.max(now.as_nanos()));
        // ANCHOR: sliding_log
        // Forget arrivals that are a full period old or older.
        while self.log.front().is_some_and(|&t| t + period <= now) {
            self.log.pop_front();
        }
        if self.log.len() < self.rate.limit() as usize {
            self.log.push_back(now);
            Decision::Allowed {
                remaining: self.rate.limit() - self.log.len() as u32,
                reset_after: self.rate.period(),
            }
        } else {
            // Full: the next slot opens when the oldest arrival leaves the window.
            let oldest = self.log.front().copied().unwrap_or(now);
            let newest = self.log.back().copied().unwrap_or(now);
            Decision::Denied {
                retry_after: duration(oldest + period - now),
                reset_after: duration(newest + period - now),
            }
        }
        // ANCHOR_END: sliding_log
    }
}
