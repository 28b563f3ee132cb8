//! Where "now" comes from.
//!
//! Expiry is a comparison with the clock, so a test that wants to see a TTL expire must be able
//! to move time. Caches here read a [`Clock`]; tests and the demo's timelines use
//! [`ManualClock`], the demo's live parts use [`MonotonicClock`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A source of monotonic time, as a [`Duration`] since the clock's own epoch.
pub trait Clock: Send + Sync {
    /// Time elapsed since this clock's epoch. Must never go backwards.
    fn now(&self) -> Duration;
}

/// The real monotonic clock, with its epoch at creation.
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

/// A clock that moves only when told to, so expiry in tests is exact and repeatable.
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
