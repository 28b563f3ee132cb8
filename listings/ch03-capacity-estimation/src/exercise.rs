//! Exercise 3, reference solution: growth projection.
//!
//! An estimate for today is half a capacity plan. The other half is "when does it stop being
//! enough?": users grow by a few percent a month, and a few percent a month compounds. This module
//! parses a monthly growth rate (`"5%"`), compounds it, finds the month a quantity crosses a limit,
//! sums what is written while traffic grows, and projects a whole [`Scenario`] forward.

// ANCHOR: exercise_solution
use crate::estimate::Estimate;
use crate::scenario::Scenario;
use crate::units::UnitError;

/// How far ahead `months_until` looks before it answers "never": 100 years.
pub const HORIZON_MONTHS: u32 = 1_200;

/// A compound monthly growth rate, such as 5% a month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Growth {
    monthly: f64,
}

impl Growth {
    /// Parses `"5%"`, `"0.5 %"` or `"-2%"` (shrinking). The `%` is required: a bare `5` could be
    /// 5% or 500%. Below -100% makes no sense (a quantity cannot shrink by more than all of it).
    pub fn parse(text: &str) -> Result<Growth, UnitError> {
        let trimmed = text.trim();
        let Some(number) = trimmed.strip_suffix('%') else {
            return Err(UnitError::MissingUnit {
                text: text.to_string(),
                expected: "% (as in 5%)",
            });
        };
        let percent: f64 = number
            .trim()
            .parse()
            .ok()
            .filter(|p: &f64| p.is_finite())
            .ok_or_else(|| UnitError::NotANumber {
                text: text.to_string(),
                example: "5%",
            })?;
        if percent <= -100.0 || percent > 1_000.0 {
            return Err(UnitError::OutOfRange {
                text: text.to_string(),
                why: "monthly growth must be above -100% and at most 1000%",
            });
        }
        Ok(Growth {
            monthly: percent / 100.0,
        })
    }

    /// What one unit becomes after `months` of compounding: (1 + g)^months.
    pub fn factor_after(&self, months: u32) -> f64 {
        (1.0 + self.monthly).powf(f64::from(months))
    }

    /// The first month (0 = now) at which `current`, growing, is above `limit`; `None` if that
    /// does not happen within [`HORIZON_MONTHS`].
    pub fn months_until(&self, current: f64, limit: f64) -> Option<u32> {
        (0..=HORIZON_MONTHS).find(|&m| current * self.factor_after(m) > limit)
    }

    /// The total over the next `months` of a monthly amount that is `per_month_now` this month
    /// and grows every month after: per_month_now × (1 + (1+g) + (1+g)^2 + … ).
    pub fn total_over(&self, per_month_now: f64, months: u32) -> f64 {
        (0..months)
            .map(|m| per_month_now * self.factor_after(m))
            .sum()
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
    let mut later = scenario.clone();
    later.daily_active_users = scenario.daily_active_users * growth.factor_after(months);
    let (now, then) = (Estimate::new(scenario), Estimate::new(&later));
    let per_month_now = now.storage_per_year_replicated / 12.0;
    Projection {
        months,
        daily_active_users: later.daily_active_users,
        peak_qps: then.total_qps.peak,
        servers: then.servers,
        storage_written: growth.total_over(per_month_now, months),
    }
}

/// Months until a fleet of `servers` can no longer carry the peak; `Some(0)` if it already
/// cannot, `None` if it never will within the horizon.
pub fn runway(scenario: &Scenario, growth: Growth, servers: u64) -> Option<u32> {
    let capacity = servers as f64 * scenario.server_qps;
    growth.months_until(Estimate::new(scenario).total_qps.peak, capacity)
}
// ANCHOR_END: exercise_solution
