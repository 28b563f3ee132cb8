//! Where "now" comes from.
//!
//! Every algorithm takes `now` as an argument (a [`Duration`] since an arbitrary epoch) instead of
//! reading a clock, so a test can replay any arrival sequence exactly. Only the live parts (the
//! keyed in-process limiter behind the HTTP layer) read a [`Clock`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A source of monotonic time, as a [`Duration`] since the clock's own epoch.
pub trait Clock: Send + Sync {
    /// Time elapsed since this clock's epoch. Must never go backwards.
    fn now(&self) -> Duration;
}

/// The real monotonic clock, with its epoch at creation.
///
/// Monotonic (not wall-clock) time, because an NTP step backwards must not refill a bucket or
/// reopen a window.
#[derive(Debug, Clone, Copy)]
pub struct MonotonicClock {
    epoch: Instant,
}

impl MonotonicClock {
    /// A clock whose epoch is now.
    pub fn new() -> Self {
        Self {
            epoch: Instant::now(),
        }
    }
}

impl Default for MonotonicClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for MonotonicClock {
    fn now(&self) -> Duration {
        self.epoch.elapsed()
    }
}

/// A clock that moves only when told to: tests of the live layer use it to be deterministic.
#[derive(Debug, Default)]
pub struct ManualClock {
    nanos: AtomicU64,
}

impl ManualClock {
    /// A clock standing at its epoch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Move time forward by `by` (saturating at about 584 years).
    pub fn advance(&self, by: Duration) {
        let by = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        // fetch_update with a saturating add, so a huge step cannot wrap time around to zero.
        let _ = self
            .nanos
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                Some(n.saturating_add(by))
            });
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        Duration::from_nanos(self.nanos.load(Ordering::SeqCst))
    }
}
