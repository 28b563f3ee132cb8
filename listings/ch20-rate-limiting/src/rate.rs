//! `Rate`: the one configuration every algorithm shares.

use std::time::Duration;

use crate::Error;

/// "`limit` requests per `period`, with bursts of up to `burst`", validated once.
///
/// The two numbers answer different questions. `limit / period` is the **sustained rate**: what a
/// client may average over a long time. `burst` is how many requests a rested client may send at
/// once. Window algorithms (fixed window, sliding log, sliding window counter) only use `limit`;
/// bucket algorithms (token bucket, leaky bucket, GCRA) use both. By default `burst == limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    limit: u32,
    period: Duration,
    burst: u32,
}

impl Rate {
    /// `limit` requests per `period`, with `burst == limit`.
    ///
    /// # Errors
    ///
    /// [`Error::ZeroLimit`] or [`Error::ZeroPeriod`].
    pub fn new(limit: u32, period: Duration) -> Result<Self, Error> {
        if limit == 0 {
            return Err(Error::ZeroLimit);
        }
        if period.is_zero() {
            return Err(Error::ZeroPeriod);
        }
        Ok(Self {
            limit,
            period,
            burst: limit,
        })
    }

    /// The same sustained rate with a different burst size.
    ///
    /// # Errors
    ///
    /// [`Error::ZeroBurst`].
    pub fn with_burst(self, burst: u32) -> Result<Self, Error> {
        if burst == 0 {
            return Err(Error::ZeroBurst);
        }
        Ok(Self { burst, ..self })
    }

    /// Requests allowed per period.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The period the limit applies to.
    pub fn period(&self) -> Duration {
        self.period
    }

    /// Requests a rested client may send at once (bucket algorithms only).
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The period in nanoseconds: the algorithms do exact integer arithmetic in nanoseconds.
    pub(crate) fn period_nanos(&self) -> u128 {
        self.period.as_nanos()
    }

    /// The time one request "costs" at the sustained rate, `period / limit`, rounded *up* so that
    /// rounding can only make a limiter stricter, never let one extra request through.
    pub(crate) fn emission_interval_nanos(&self) -> u128 {
        self.period_nanos().div_ceil(u128::from(self.limit))
    }
}
