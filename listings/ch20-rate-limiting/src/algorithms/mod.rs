//! The six algorithms, one module each, all behind [`RateLimiter`].
//!
//! They fall into two families. **Window** algorithms count requests in a period and compare the
//! count with `limit`: [`fixed_window`], [`sliding_log`], [`sliding_window_counter`]. **Bucket**
//! algorithms track credit that refills continuously at `limit / period` and holds at most
//! `burst` requests: [`token_bucket`], [`leaky_bucket`], [`gcra`]. The three buckets admit
//! exactly the same requests; they differ in what they store.
//!
//! All arithmetic is in integer nanoseconds (`u128`), so no float rounding can let an extra
//! request through, and a property test can check each documented bound exactly.

pub mod fixed_window;
pub mod gcra;
pub mod leaky_bucket;
pub mod sliding_log;
pub mod sliding_window_counter;
pub mod token_bucket;

use std::fmt;
use std::time::Duration;

use crate::{Rate, RateLimiter};

pub use fixed_window::FixedWindow;
pub use gcra::Gcra;
pub use leaky_bucket::LeakyBucket;
pub use sliding_log::SlidingLog;
pub use sliding_window_counter::SlidingWindowCounter;
pub use token_bucket::TokenBucket;

/// The algorithms by name, so the demo, the tests and the HTTP layer can pick one at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    TokenBucket,
    LeakyBucket,
    FixedWindow,
    SlidingLog,
    SlidingWindowCounter,
    Gcra,
}

impl Algorithm {
    /// All six, in the order the chapter presents them.
    pub const ALL: [Algorithm; 6] = [
        Algorithm::TokenBucket,
        Algorithm::LeakyBucket,
        Algorithm::FixedWindow,
        Algorithm::SlidingLog,
        Algorithm::SlidingWindowCounter,
        Algorithm::Gcra,
    ];

    /// A fresh limiter of this kind for one client.
    pub fn build(self, rate: Rate) -> Box<dyn RateLimiter> {
        match self {
            Algorithm::TokenBucket => Box::new(TokenBucket::new(rate)),
            Algorithm::LeakyBucket => Box::new(LeakyBucket::new(rate)),
            Algorithm::FixedWindow => Box::new(FixedWindow::new(rate)),
            Algorithm::SlidingLog => Box::new(SlidingLog::new(rate)),
            Algorithm::SlidingWindowCounter => Box::new(SlidingWindowCounter::new(rate)),
            Algorithm::Gcra => Box::new(Gcra::new(rate)),
        }
    }

    /// How many requests a rested client gets at once: `burst` for buckets, `limit` for windows.
    pub fn full_quota(self, rate: Rate) -> u32 {
        match self {
            Algorithm::TokenBucket | Algorithm::LeakyBucket | Algorithm::Gcra => rate.burst(),
            Algorithm::FixedWindow | Algorithm::SlidingLog | Algorithm::SlidingWindowCounter => {
                rate.limit()
            }
        }
    }

    /// The most requests this algorithm ever admits in any window `[t, t + period)`, for any `t`
    /// and any arrival pattern. The property tests check exactly these numbers.
    ///
    /// - Buckets: `burst + limit − 1`: a full bucket, plus what refills in *less* than a period.
    /// - Sliding log: `limit`, exactly: it remembers every admission of the last period.
    /// - Sliding window counter: `2 × limit − 1`: at most `limit` per fixed window, and the
    ///   weighted estimate always counts at least a sliver of the previous window's requests.
    ///   Reached only by adversarial timing; on smooth traffic it stays near `limit`.
    /// - Fixed window: `2 × limit`: `limit` at the end of one window and `limit` at the start of
    ///   the next, a moment apart.
    pub fn window_bound(self, rate: Rate) -> u32 {
        let (limit, burst) = (rate.limit(), rate.burst());
        match self {
            Algorithm::TokenBucket | Algorithm::LeakyBucket | Algorithm::Gcra => {
                burst.saturating_add(limit - 1)
            }
            Algorithm::SlidingLog => limit,
            Algorithm::SlidingWindowCounter => limit.saturating_mul(2) - 1,
            Algorithm::FixedWindow => limit.saturating_mul(2),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Algorithm::TokenBucket => "token bucket",
            Algorithm::LeakyBucket => "leaky bucket",
            Algorithm::FixedWindow => "fixed window",
            Algorithm::SlidingLog => "sliding log",
            Algorithm::SlidingWindowCounter => "sliding window counter",
            Algorithm::Gcra => "GCRA",
        })
    }
}

/// Nanoseconds back into a `Duration`, saturating (about 584 years) instead of wrapping.
pub(crate) fn duration(nanos: u128) -> Duration {
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}
