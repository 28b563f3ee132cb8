//! Properties every algorithm must have, checked on arbitrary arrival sequences.
//!
//! Time is a `Duration` we make up, so each case replays exactly; proptest prints the failing
//! sequence, shrunk to the smallest one it can find.

use std::time::Duration;

use ch20_rate_limiting::limiter::max_in_any_window;
use ch20_rate_limiting::{Algorithm, Decision, Error, Rate};
use proptest::prelude::*;

/// A rate with small numbers, so that windows fill up and edge cases are common.
fn rates() -> impl Strategy<Value = Rate> {
    (1u32..=6, 1u64..=5_000, 1u32..=6).prop_map(|(limit, period_us, burst)| {
        Rate::new(limit, Duration::from_micros(period_us))
            .and_then(|rate| rate.with_burst(burst))
            .expect("limit, period and burst are all at least 1")
    })
}

/// Sorted arrival times in microseconds: gaps that are often zero (a burst), often tiny, and
/// sometimes longer than any period (a rest).
fn arrivals() -> impl Strategy<Value = Vec<Duration>> {
    let gap = prop_oneof![Just(0u64), 0u64..=100, 0u64..=6_000];
    prop::collection::vec(gap, 1..150).prop_map(|gaps| {
        gaps.iter()
            .scan(0u64, |t, gap| {
                *t += gap;
                Some(Duration::from_micros(*t))
            })
            .collect()
    })
}

/// Feed `arrivals` to a fresh limiter; the admitted times.
fn admitted(algorithm: Algorithm, rate: Rate, arrivals: &[Duration]) -> Vec<Duration> {
    let mut limiter = algorithm.build(rate);
    arrivals
        .iter()
        .copied()
        .filter(|&t| limiter.check(t).is_allowed())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    // ANCHOR: never_exceeds
    /// No algorithm ever admits more than its documented bound in any window of one period,
    /// wherever that window starts (see `Algorithm::window_bound` for each bound and why).
    #[test]
    fn never_exceeds(rate in rates(), arrivals in arrivals()) {
        for algorithm in Algorithm::ALL {
            let admitted = admitted(algorithm, rate, &arrivals);
            let worst = max_in_any_window(&admitted, rate.period());
            prop_assert!(
                worst <= algorithm.window_bound(rate) as usize,
                "{algorithm} admitted {worst} in one period; bound {}",
                algorithm.window_bound(rate)
            );
            // The window algorithms also never pass `limit` within one aligned window.
            if matches!(algorithm, Algorithm::FixedWindow | Algorithm::SlidingWindowCounter) {
                let period = rate.period().as_nanos();
                let mut per_window = std::collections::HashMap::<u128, u32>::new();
                for t in &admitted {
                    *per_window.entry(t.as_nanos() / period).or_default() += 1;
                }
                let busiest = per_window.values().copied().max().unwrap_or(0);
                prop_assert!(busiest <= rate.limit(), "{algorithm}: {busiest} in one aligned window");
            }
        }
    }
    // ANCHOR_END: never_exceeds

    /// After a rest, every algorithm admits again with its whole quota: no starvation, however
    /// hard the client pushed before.
    #[test]
    fn idle_limiter_admits_again(rate in rates(), arrivals in arrivals()) {
        let last = arrivals.last().copied().unwrap_or_default();
        // Long enough for any of them: two windows, or a bucket refilled from empty.
        let rest = rate.period() * (rate.burst() + 2);
        for algorithm in Algorithm::ALL {
            let mut limiter = algorithm.build(rate);
            for &t in &arrivals {
                limiter.check(t);
            }
            let after_rest = limiter.check(last + rest);
            let expected = algorithm.full_quota(rate) - 1;
            prop_assert!(
                matches!(after_rest, Decision::Allowed { remaining, .. } if remaining == expected),
                "{algorithm} after a rest: {after_rest:?}, expected {expected} remaining"
            );
        }
    }

    /// The hints a client gets are true: retrying after `retry_after` is admitted, and after
    /// `reset_after` of silence the whole quota is back.
    #[test]
    fn hints_are_honest(rate in rates(), arrivals in arrivals()) {
        for algorithm in Algorithm::ALL {
            let mut limiter = algorithm.build(rate);
            let mut last = Decision::Allowed { remaining: 0, reset_after: Duration::ZERO };
            let mut now = Duration::ZERO;
            for &t in &arrivals {
                last = limiter.check(t);
                now = t;
            }
            let full = algorithm.full_quota(rate) - 1;
            match last {
                Decision::Denied { retry_after, reset_after } => {
                    prop_assert!(retry_after > Duration::ZERO && retry_after <= reset_after);
                    let retried = limiter.check(now + retry_after);
                    prop_assert!(retried.is_allowed(), "{algorithm}: retry at +{retry_after:?} got {retried:?}");
                }
                Decision::Allowed { reset_after, .. } => {
                    let rested = limiter.check(now + reset_after);
                    prop_assert!(
                        matches!(rested, Decision::Allowed { remaining, .. } if remaining == full),
                        "{algorithm}: after reset_after {reset_after:?} got {rested:?}, expected {full} remaining"
                    );
                }
            }
        }
    }
}

// ANCHOR: boundary_burst
/// The fixed window's flaw, exactly: `limit` requests just before a boundary and `limit` just
/// after are all admitted, 2 × limit within a few milliseconds, while the sliding algorithms
/// hold the same traffic to `limit`. (`never_exceeds` shows it never gets worse than 2 × limit.)
#[test]
fn boundary_burst() -> Result<(), Error> {
    let limit = 10;
    let rate = Rate::new(limit, Duration::from_secs(1))?;
    // 10 requests in 0.990–0.999 s and 10 in 1.000–1.009 s.
    let arrivals: Vec<Duration> = (990..1_010).map(Duration::from_millis).collect();
    let span = Duration::from_millis(20);

    let fixed = admitted(Algorithm::FixedWindow, rate, &arrivals);
    assert_eq!(fixed.len(), 2 * limit as usize);
    assert_eq!(max_in_any_window(&fixed, span), 2 * limit as usize);

    for algorithm in [Algorithm::SlidingLog, Algorithm::SlidingWindowCounter] {
        let admitted = admitted(algorithm, rate, &arrivals);
        assert_eq!(admitted.len(), limit as usize, "{algorithm}");
    }
    Ok(())
}
// ANCHOR_END: boundary_burst

/// The bounds are exact, not just safe: for each algorithm, a sequence that reaches its bound.
#[test]
fn bounds_are_reached() -> Result<(), Error> {
    let (limit, burst) = (4u32, 3u32);
    let rate = Rate::new(limit, Duration::from_secs(1))?.with_burst(burst)?;
    let ms = |t: u64| Duration::from_millis(t);
    // Buckets: a full burst at 0, then one token's worth (250 ms) at a time until just before 1 s.
    let buckets: Vec<Duration> = (0..burst)
        .map(|_| ms(0))
        .chain((1..4).map(|i| ms(250 * i)))
        .collect();
    // Windows: `limit` at the end of window 0, then `limit` more late in window 1, all within
    // 1 s: 0.990 s and 1.980 s are 990 ms apart.
    let windows: Vec<Duration> = (0..limit)
        .map(|_| ms(990))
        .chain((0..limit).map(|_| ms(1_980)))
        .collect();
    for algorithm in Algorithm::ALL {
        let arrivals = match algorithm {
            Algorithm::TokenBucket | Algorithm::LeakyBucket | Algorithm::Gcra => &buckets,
            _ => &windows,
        };
        let worst = max_in_any_window(&admitted(algorithm, rate, arrivals), rate.period());
        assert_eq!(worst, algorithm.window_bound(rate) as usize, "{algorithm}");
    }
    Ok(())
}

/// The bucket family admits exactly the same requests: three bookkeepings of one algorithm.
#[test]
fn buckets_agree() -> Result<(), Error> {
    let rate = Rate::new(3, Duration::from_millis(30))?.with_burst(4)?;
    let arrivals: Vec<Duration> = (0..200u64)
        .map(|i| Duration::from_micros(i * i % 7_919 * 13))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let token = admitted(Algorithm::TokenBucket, rate, &arrivals);
    assert_eq!(token, admitted(Algorithm::LeakyBucket, rate, &arrivals));
    // 30 ms / 3 is a whole number of nanoseconds, so GCRA's interval needs no rounding.
    assert_eq!(token, admitted(Algorithm::Gcra, rate, &arrivals));
    Ok(())
}

/// A limit or period of zero, or a burst of zero, is a configuration error, not a panic.
#[test]
fn zero_is_a_configuration_error() {
    assert!(matches!(
        Rate::new(0, Duration::from_secs(1)),
        Err(Error::ZeroLimit)
    ));
    assert!(matches!(
        Rate::new(1, Duration::ZERO),
        Err(Error::ZeroPeriod)
    ));
    assert!(matches!(
        Rate::new(1, Duration::from_secs(1)).and_then(|r| r.with_burst(0)),
        Err(Error::ZeroBurst)
    ));
}
