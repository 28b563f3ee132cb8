//! Exercise 1: the tests your `TargetTracker` makes pass.
//!
//! `cargo test -p ch01-scalability --features starter --test exercise` runs them against your
//! starter; without `--features starter`, against the reference solution. Time is tokio's
//! paused clock: `advance` moves it, nothing sleeps.

// ANCHOR: exercise_tests
use std::time::Duration;

use ch01_scalability::Error;
use ch01_scalability::exercise::{TargetTracker, TargetTracking, desired_replicas};
use tokio::time::{Instant, advance};

fn policy() -> TargetTracking {
    TargetTracking {
        target: 0.6,
        tolerance: 0.1,
        scale_down_window: Duration::from_secs(300),
        min_replicas: 1,
        max_replicas: 10,
    }
}

#[test]
fn formula_is_ceil_of_current_times_ratio() {
    // 4 replicas at 90 % against a 60 % target: ceil(4 × 1.5) = 6.
    assert_eq!(desired_replicas(4, 0.9, 0.6, 0.1), 6);
    // 3 replicas at 20 %: ceil(3 × 0.333…) = 1.
    assert_eq!(desired_replicas(3, 0.2, 0.6, 0.1), 1);
    // 5 replicas at 100 % against 50 %: exactly 10, not 11.
    assert_eq!(desired_replicas(5, 1.0, 0.5, 0.1), 10);
}

#[test]
fn tolerance_keeps_the_current_count() {
    // Ratio 0.63 / 0.6 = 1.05: within ±10 %, so no change, although ceil(4 × 1.05) = 5.
    assert_eq!(desired_replicas(4, 0.63, 0.6, 0.1), 4);
    // Ratio 0.55 / 0.6 = 0.917: within ±10 % too, although ceil(20 × 0.917) = 19.
    assert_eq!(desired_replicas(20, 0.55, 0.6, 0.1), 20);
    // Ratio 0.72 / 0.6 = 1.2: outside, ceil(4 × 1.2) = 5.
    assert_eq!(desired_replicas(4, 0.72, 0.6, 0.1), 5);
}

#[test]
fn invalid_policies_are_errors_not_panics() {
    for bad in [
        TargetTracking {
            target: 0.0,
            ..policy()
        },
        TargetTracking {
            target: 1.5,
            ..policy()
        },
        TargetTracking {
            target: f64::NAN,
            ..policy()
        },
        TargetTracking {
            tolerance: -0.1,
            ..policy()
        },
        TargetTracking {
            min_replicas: 0,
            ..policy()
        },
        TargetTracking {
            min_replicas: 5,
            max_replicas: 4,
            ..policy()
        },
    ] {
        assert!(
            matches!(TargetTracker::new(bad), Err(Error::InvalidPolicy(_))),
            "{bad:?} should be rejected"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn scales_out_at_once_and_within_limits() {
    let mut tracker = TargetTracker::new(policy()).unwrap();
    // 2 replicas at 90 %: ceil(2 × 1.5) = 3, immediately.
    assert_eq!(tracker.recommend(Instant::now(), 2, 0.9), 3);
    advance(Duration::from_secs(15)).await;
    // 8 replicas pegged at 100 %: ceil(8 × 1.667) = 14, clamped to the maximum of 10.
    assert_eq!(tracker.recommend(Instant::now(), 8, 1.0), 10);
}

#[tokio::test(start_paused = true)]
async fn scale_in_waits_for_the_stabilization_window() {
    let mut tracker = TargetTracker::new(policy()).unwrap();
    assert_eq!(tracker.recommend(Instant::now(), 4, 0.6), 4);
    // Load drops to 15 %: the formula says ceil(4 × 0.25) = 1, but 4 was recommended within
    // the last 300 s, so the answer stays 4 until that recommendation is older than the window.
    for _ in 0..20 {
        advance(Duration::from_secs(15)).await; // up to 300 s after the first call
        assert_eq!(tracker.recommend(Instant::now(), 4, 0.15), 4);
    }
    advance(Duration::from_secs(15)).await; // 315 s: the "4" has left the window
    assert_eq!(tracker.recommend(Instant::now(), 4, 0.15), 1);
}

#[tokio::test(start_paused = true)]
async fn a_short_dip_does_not_remove_replicas() {
    let mut tracker = TargetTracker::new(policy()).unwrap();
    let mut replicas = 5;
    // 30 s of steady load at target, 30 s of a dip to 10 %, then back to target: every
    // recommendation stays 5, so nothing flaps.
    for utilization in [0.6, 0.6, 0.1, 0.1, 0.6, 0.6] {
        replicas = tracker.recommend(Instant::now(), replicas, utilization);
        assert_eq!(replicas, 5, "at utilization {utilization}");
        advance(Duration::from_secs(15)).await;
    }
}

#[tokio::test(start_paused = true)]
async fn scale_in_goes_to_the_highest_recent_recommendation_then_lower() {
    let mut tracker = TargetTracker::new(TargetTracking {
        scale_down_window: Duration::from_secs(60),
        ..policy()
    })
    .unwrap();
    // t = 0: 6 replicas at target (6). t = 30: 6 at 40 % -> ceil(6 × 0.667) = 4.
    assert_eq!(tracker.recommend(Instant::now(), 6, 0.6), 6);
    advance(Duration::from_secs(30)).await;
    assert_eq!(tracker.recommend(Instant::now(), 6, 0.4), 6);
    // t = 61: the "6" has left the 60 s window, the "4" of t = 30 has not; 6 at 20 % says 2.
    advance(Duration::from_secs(31)).await;
    assert_eq!(tracker.recommend(Instant::now(), 6, 0.2), 4);
    // t = 91: the "4" has left too: the answer is the latest recommendation, 2.
    advance(Duration::from_secs(30)).await;
    assert_eq!(tracker.recommend(Instant::now(), 6, 0.2), 2);
}

#[tokio::test(start_paused = true)]
async fn idle_service_settles_at_the_minimum() {
    let mut tracker = TargetTracker::new(TargetTracking {
        min_replicas: 2,
        scale_down_window: Duration::from_secs(30),
        ..policy()
    })
    .unwrap();
    let mut replicas = 6;
    for _ in 0..10 {
        replicas = tracker.recommend(Instant::now(), replicas, 0.0);
        advance(Duration::from_secs(15)).await;
    }
    assert_eq!(replicas, 2);
}
// ANCHOR_END: exercise_tests
