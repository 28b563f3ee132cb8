//! Exercise 20: the tests your `TieredLimiter` makes pass.
//!
//! `cargo test -p ch20-rate-limiting --features starter --test exercise` runs them against your
//! starter; without `--features starter`, against the reference solution.

// ANCHOR: exercise_tests
use std::time::Duration;

use ch20_rate_limiting::exercise::{BurstBucket, SustainedWindow, TieredLimiter};
use ch20_rate_limiting::{Decision, Rate, RateLimiter};

fn rate(limit: u32, period_ms: u64, burst: u32) -> Rate {
    Rate::new(limit, Duration::from_millis(period_ms))
        .and_then(|r| r.with_burst(burst))
        .expect("valid rate")
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// How many of the requests at `times` the limiter admits.
fn admitted(limiter: &mut impl RateLimiter, times: impl IntoIterator<Item = u64>) -> usize {
    times
        .into_iter()
        .filter(|&t| limiter.check(ms(t)).is_allowed())
        .count()
}

#[test]
fn peek_spends_nothing() {
    let mut bucket = BurstBucket::new(rate(1, 1_000, 2));
    for _ in 0..5 {
        assert!(matches!(
            bucket.peek(ms(0)),
            Decision::Allowed { remaining: 1, .. }
        ));
    }
    let mut window = SustainedWindow::new(rate(2, 1_000, 2));
    for _ in 0..5 {
        assert!(matches!(
            window.peek(ms(0)),
            Decision::Allowed { remaining: 1, .. }
        ));
    }
}

#[test]
fn burst_tier_caps_a_spike() {
    // Bursts of 3, sustained 10 per minute: a spike of 5 gets 3 through.
    let mut limiter = TieredLimiter::new(rate(3, 1_000, 3), rate(10, 60_000, 10));
    assert_eq!(admitted(&mut limiter, [0; 5]), 3);
}

#[test]
fn sustained_tier_caps_the_minute() {
    // Two requests a second never trouble a 3-per-second bucket, but only 10 fit in the minute.
    let mut limiter = TieredLimiter::new(rate(3, 1_000, 3), rate(10, 60_000, 10));
    assert_eq!(admitted(&mut limiter, (0..120).map(|i| i * 500)), 10);
}

#[test]
fn burst_denials_are_not_counted_by_the_sustained_tier() {
    // 10 requests a second for 5 s through a 1-per-second bucket: 5 get through, and the 45
    // refused ones must not use up the 5-per-minute sustained limit.
    let mut limiter = TieredLimiter::new(rate(1, 1_000, 1), rate(5, 60_000, 5));
    assert_eq!(admitted(&mut limiter, (0..50).map(|i| i * 100)), 5);
}

#[test]
fn sustained_denials_do_not_drain_the_burst_bucket() {
    // Burst tier: 2 tokens, one more every 5 s. Sustained tier: 1 per second.
    let mut limiter = TieredLimiter::new(rate(2, 10_000, 2), rate(1, 1_000, 1));
    assert!(limiter.check(ms(0)).is_allowed());
    // Refused by the sustained tier; the bucket's last token must survive them.
    assert_eq!(admitted(&mut limiter, (1..10).map(|i| i * 100)), 0);
    assert!(limiter.check(ms(2_000)).is_allowed());
}

#[test]
fn retry_after_is_the_later_of_the_two_tiers() {
    let mut limiter = TieredLimiter::new(rate(1, 1_000, 1), rate(2, 60_000, 2));
    assert_eq!(admitted(&mut limiter, [0, 1_000]), 2);
    let Decision::Denied { retry_after, .. } = limiter.check(ms(1_000)) else {
        panic!("the third request in a minute must be denied");
    };
    // The bucket reopens after 1 s; the sustained window much later. Retrying then works.
    assert!(retry_after > Duration::from_secs(59), "{retry_after:?}");
    assert!(limiter.check(ms(1_000) + retry_after).is_allowed());
}

#[test]
fn remaining_is_the_smaller_of_the_two_tiers() {
    let mut limiter = TieredLimiter::new(rate(3, 1_000, 3), rate(10, 60_000, 10));
    assert!(matches!(
        limiter.check(ms(0)),
        Decision::Allowed { remaining: 2, .. }
    ));
    let mut limiter = TieredLimiter::new(rate(30, 1_000, 30), rate(2, 60_000, 2));
    assert!(matches!(
        limiter.check(ms(0)),
        Decision::Allowed { remaining: 1, .. }
    ));
}

#[test]
fn a_rested_client_is_admitted_again() {
    let mut limiter = TieredLimiter::new(rate(3, 1_000, 3), rate(5, 60_000, 5));
    admitted(&mut limiter, (0..100).map(|i| i * 10));
    assert!(limiter.check(ms(180_000)).is_allowed());
}
// ANCHOR_END: exercise_tests
