//! Exercise 3: the tests your growth projection makes pass.
//!
//! `cargo test -p ch03-capacity-estimation --features starter --test exercise` runs them against
//! your starter; without `--features starter`, against the reference solution.

// ANCHOR: exercise_tests
use std::path::Path;

use ch03_capacity_estimation::exercise::{Growth, HORIZON_MONTHS, project, runway};
use ch03_capacity_estimation::units::UnitError;
use ch03_capacity_estimation::{Estimate, Scenario};

fn growth(text: &str) -> Growth {
    Growth::parse(text).expect("a valid growth rate")
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() <= expected.abs() * 1e-9
}

/// 1M users x 10 requests, peak 2x: 231.5 req/s at peak; 1 KiB per write, half the requests.
fn scenario() -> Scenario {
    let text = r#"name = "growing"
daily_active_users = "1M"
actions_per_user_per_day = "10"
read_write_ratio = "1:1"
write_size = "1 KiB"
read_size = "1 KiB"
retention = "1y"
replication = "3x"
peak_factor = "2x"
cache_hot_fraction = "20%"
server_qps = "100"
"#;
    Scenario::parse(Path::new("growing.toml"), text).expect("valid scenario")
}

#[test]
fn parses_percent_per_month() {
    assert!(close(growth("5%").factor_after(1), 1.05));
    assert!(close(growth(" 0.5 % ").factor_after(1), 1.005));
    assert!(close(growth("-2%").factor_after(1), 0.98));
    assert!(close(growth("0%").factor_after(120), 1.0));
}

#[test]
fn refuses_what_is_not_a_monthly_percentage() {
    assert!(matches!(
        Growth::parse("5"),
        Err(UnitError::MissingUnit { .. })
    ));
    assert!(matches!(
        Growth::parse("five%"),
        Err(UnitError::NotANumber { .. })
    ));
    assert!(matches!(
        Growth::parse("%"),
        Err(UnitError::NotANumber { .. })
    ));
    assert!(matches!(
        Growth::parse("-100%"),
        Err(UnitError::OutOfRange { .. })
    ));
    assert!(matches!(
        Growth::parse("5000%"),
        Err(UnitError::OutOfRange { .. })
    ));
}

#[test]
fn growth_compounds() {
    // 10% a month for a year is 1.1^12 = 3.138..., not 1 + 12 x 10% = 2.2.
    assert!(close(growth("10%").factor_after(12), 1.1f64.powi(12)));
    assert!(growth("10%").factor_after(12) > 3.13);
}

#[test]
fn five_percent_a_month_doubles_in_15_months() {
    // 1.05^14 = 1.98 is not yet double; 1.05^15 = 2.08 is.
    assert_eq!(growth("5%").months_until(1.0, 2.0), Some(15));
}

#[test]
fn months_until_handles_now_and_never() {
    assert_eq!(growth("5%").months_until(3.0, 2.0), Some(0));
    assert_eq!(growth("0%").months_until(1.0, 2.0), None);
    assert_eq!(growth("-1%").months_until(1.0, 2.0), None);
    // 1% a month passes 1,000x after about 694 months: within the horizon.
    assert!(
        growth("1%")
            .months_until(1.0, 1_000.0)
            .is_some_and(|m| m < HORIZON_MONTHS)
    );
}

#[test]
fn total_over_sums_growing_months() {
    assert!(close(growth("0%").total_over(10.0, 12), 120.0));
    // This month 100, next month 110: 210.
    assert!(close(growth("10%").total_over(100.0, 2), 210.0));
    assert!(close(growth("10%").total_over(100.0, 0), 0.0));
}

#[test]
fn a_projection_grows_users_and_everything_they_drive() {
    let now = scenario();
    let later = project(&now, growth("10%"), 12);
    let factor = 1.1f64.powi(12);
    assert_eq!(later.months, 12);
    assert!(close(later.daily_active_users, 1e6 * factor));
    assert!(close(
        later.peak_qps,
        Estimate::new(&now).total_qps.peak * factor
    ));
    // 231.5 req/s x 3.138 = 726.5 req/s at 100 req/s per server: 8 servers.
    assert_eq!(later.servers, 8);
    let per_month_now = Estimate::new(&now).storage_per_year_replicated / 12.0;
    assert!(close(
        later.storage_written,
        growth("10%").total_over(per_month_now, 12)
    ));
}

#[test]
fn a_projection_of_zero_months_is_today() {
    let now = scenario();
    let today = project(&now, growth("10%"), 0);
    assert!(close(today.peak_qps, Estimate::new(&now).total_qps.peak));
    assert_eq!(today.servers, Estimate::new(&now).servers);
    assert!(close(today.storage_written, 0.0));
}

#[test]
fn runway_is_when_the_fleet_runs_out() {
    let now = scenario();
    // Today's peak is 231.5 req/s. 3 servers carry 300 req/s: 231.5 x 1.1^3 = 308 > 300.
    assert_eq!(runway(&now, growth("10%"), 3), Some(3));
    // 2 servers (200 req/s) are already too few.
    assert_eq!(runway(&now, growth("10%"), 2), Some(0));
    // Without growth, 3 servers last forever.
    assert_eq!(runway(&now, growth("0%"), 3), None);
}
// ANCHOR_END: exercise_tests
