//! The contract every algorithm implements.

use std::time::Duration;

// ANCHOR: limiter_trait
/// What a limiter says about one request, with the hints a client needs to behave well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Let it through. `remaining` more requests would be admitted right now; after
    /// `reset_after` of silence the client is back to its full quota.
    Allowed {
        remaining: u32,
        reset_after: Duration,
    },
    /// Reject it (HTTP 429). A retry after `retry_after` will be admitted if nothing else
    /// arrives first; the full quota is back after `reset_after`.
    Denied {
        retry_after: Duration,
        reset_after: Duration,
    },
}

/// One client's limiter. `now` is passed in, not read, so the algorithm is a pure function of
/// the arrival times: tests replay any sequence, and the same code serves the live layer.
///
/// A `Denied` check consumes nothing: a client hammering a closed limiter does not push its
/// own reopening further away.
pub trait RateLimiter: Send {
    /// Decide on a request arriving at `now` (time since an arbitrary, fixed epoch).
    fn check(&mut self, now: Duration) -> Decision;
}
// ANCHOR_END: limiter_trait

impl Decision {
    /// Whether the request may proceed.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed { .. })
    }
}

/// The most of `sorted` (arrival times of admitted requests, in order) that fall in any half-open
/// window `[t, t + period)`, wherever it starts: how we measure a limiter from the outside, in the
/// demo and in the property tests.
///
/// Checking windows that start at an admitted time is enough: sliding a window's start forward to
/// its first member never loses a member. Two pointers make it one pass.
pub fn max_in_any_window(sorted: &[Duration], period: Duration) -> usize {
    let mut best = 0;
    let mut start = 0;
    for (end, &t) in sorted.iter().enumerate() {
        while sorted[start] + period <= t {
            start += 1;
        }
        best = best.max(end + 1 - start);
    }
    best
}
