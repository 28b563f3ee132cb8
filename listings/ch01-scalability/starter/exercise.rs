//! Exercise 1: a target-tracking autoscaler with a scale-down stabilization window.
//!
//! Your version. Replace each `todo!()`; `cargo test -p ch01-scalability --features starter
//! --test exercise` tells you when you are done.

// ANCHOR: exercise_starter
use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

use crate::Error;

/// A target-tracking policy, in the style of the Kubernetes Horizontal Pod Autoscaler.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TargetTracking {
    /// The utilization to hold each replica at, in (0, 1].
    pub target: f64,
    /// Ignore ratios within this distance of 1.0 (0.1 means ±10 %).
    pub tolerance: f64,
    /// Scale in only to the highest recommendation of this last stretch of time.
    pub scale_down_window: Duration,
    /// Never fewer replicas than this (at least 1).
    pub min_replicas: usize,
    /// Never more replicas than this.
    pub max_replicas: usize,
}

/// Recommends replica counts for a [`TargetTracking`] policy.
#[derive(Debug)]
pub struct TargetTracker {
    policy: TargetTracking,
    /// Recent recommendations, oldest first, none older than the window.
    history: VecDeque<(Instant, usize)>,
}

/// The raw target-tracking formula: `ceil(current × utilization / target)`, except that a
/// ratio within `tolerance` of 1.0 keeps `current`.
pub fn desired_replicas(current: usize, utilization: f64, target: f64, tolerance: f64) -> usize {
    let _ = (current, utilization, target, tolerance);
    todo!("exercise 01: the target-tracking formula, with the tolerance")
}

impl TargetTracker {
    /// A tracker with no history.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPolicy`] if `target` is outside (0, 1], `tolerance` is negative,
    /// `min_replicas` is 0, or `min_replicas > max_replicas`.
    pub fn new(policy: TargetTracking) -> Result<Self, Error> {
        let _ = (policy, VecDeque::<(Instant, usize)>::new());
        todo!("exercise 01: validate the policy and start with an empty history")
    }

    /// The replica count to run at `now`, given `current` replicas at `utilization`.
    ///
    /// The formula's answer, clamped to the limits, is recorded; the result is the highest
    /// recorded answer of the last `scale_down_window`. Scale-out therefore happens at once
    /// (the new answer is the highest), and scale-in only once every answer in the window
    /// agrees that fewer replicas suffice.
    pub fn recommend(&mut self, now: Instant, current: usize, utilization: f64) -> usize {
        let _ = (&self.policy, &mut self.history, now, current, utilization);
        todo!("exercise 01: clamp, record, forget what left the window, take the maximum")
    }
}
// ANCHOR_END: exercise_starter
