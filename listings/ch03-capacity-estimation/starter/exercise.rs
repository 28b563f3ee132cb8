//! Exercise 3, starter: growth projection.
//!
//! An estimate for today is half a capacity plan; the other half is "when does it stop being
//! enough?". Parse a monthly growth rate (`"5%"`), compound it, find the month a quantity crosses
//! a limit, sum what is written while traffic grows, and project a whole [`Scenario`] forward.
//! `cargo test -p ch03-capacity-estimation --features starter --test exercise` runs the tests you
//! make pass.

// The bodies are yours to write; until then the parameters are unused.
#![allow(unused_variables)]

// ANCHOR: exercise_starter
use crate::scenario::Scenario;
use crate::units::UnitError;

/// How far ahead `months_until` looks before it answers "never": 100 years.
pub const HORIZON_MONTHS: u32 = 1_200;

/// A compound monthly growth rate, such as 5% a month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Growth {
    // exercise 3: the monthly rate as a fraction (5% is 0.05).
}

impl Growth {
    /// Parses `"5%"`, `"0.5 %"` or `"-2%"` (shrinking). The `%` is required: a bare `5` could be
    /// 5% or 500%. Below -100% makes no sense (a quantity cannot shrink by more than all of it).
    pub fn parse(text: &str) -> Result<Growth, UnitError> {
        todo!("exercise 3: MissingUnit without %, NotANumber, OutOfRange outside (-100%, 1000%]")
    }

    /// What one unit becomes after `months` of compounding: (1 + g)^months.
    pub fn factor_after(&self, months: u32) -> f64 {
        todo!("exercise 3: compound the monthly rate")
    }

    /// The first month (0 = now) at which `current`, growing, is above `limit`; `None` if that
    /// does not happen within [`HORIZON_MONTHS`].
    pub fn months_until(&self, current: f64, limit: f64) -> Option<u32> {
        todo!("exercise 3: search month by month, up to the horizon")
    }

    /// The total over the next `months` of a monthly amount that is `per_month_now` this month
    /// and grows every month after: per_month_now × (1 + (1+g) + (1+g)^2 + … ).
    pub fn total_over(&self, per_month_now: f64, months: u32) -> f64 {
        todo!("exercise 3: sum a geometric series")
    }
}

/// A scenario `months` from now.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// Months from now.
    pub months: u32,
    /// Daily active users by then.
    pub daily_active_users: f64,
    /// Peak requests per second by then.
    pub peak_qps: f64,
    /// Servers needed for that peak.
    pub servers: u64,
    /// Bytes written (all replicas) between now and then, as traffic grows.
    pub storage_written: f64,
}

/// Projects `scenario` forward: users grow by `growth` every month, everything else per user
/// stays as it is.
pub fn project(scenario: &Scenario, growth: Growth, months: u32) -> Projection {
    todo!("exercise 3: grow the users, re-run the estimate, sum a year's storage / 12 per month")
}

/// Months until a fleet of `servers` can no longer carry the peak; `Some(0)` if it already
/// cannot, `None` if it never will within the horizon.
pub fn runway(scenario: &Scenario, growth: Growth, servers: u64) -> Option<u32> {
    todo!("exercise 3: when does today's peak, growing, pass servers x server_qps?")
}
// ANCHOR_END: exercise_starter
