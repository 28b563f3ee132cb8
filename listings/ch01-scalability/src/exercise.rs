//! Exercise 1: a target-tracking autoscaler with a scale-down stabilization window.
//!
//! Reference solution. The reader's version starts from `starter/exercise.rs`.

// ANCHOR: exercise_solution
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
    let ratio = utilization / target;
    if (ratio - 1.0).abs() <= tolerance {
        return current;
    }
    (current as f64 * ratio).ceil() as usize
}

impl TargetTracker {
    /// A tracker with no history.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPolicy`] if `target` is outside (0, 1], `tolerance` is negative,
    /// `min_replicas` is 0, or `min_replicas > max_replicas`.
    pub fn new(policy: TargetTracking) -> Result<Self, Error> {
        if !(policy.target > 0.0 && policy.target <= 1.0) {
            return Err(Error::InvalidPolicy(format!(
                "target must be in (0, 1], got {}",
                policy.target
            )));
        }
        if policy.tolerance.is_nan() || policy.tolerance < 0.0 {
            return Err(Error::InvalidPolicy(format!(
                "tolerance must be 0 or more, got {}",
                policy.tolerance
            )));
        }
        if policy.min_replicas == 0 || policy.min_replicas > policy.max_replicas {
            return Err(Error::InvalidPolicy(format!(
                "need 1 <= min_replicas <= max_replicas, got {} and {}",
                policy.min_replicas, policy.max_replicas
            )));
        }
        Ok(TargetTracker {
            policy,
            history: VecDeque::new(),
        })
    }

    /// The replica count to run at `now`, given `current` replicas at `utilization`.
    ///
    /// The formula's answer, clamped to the limits, is recorded; the result is the highest
    /// recorded answer of the last `scale_down_window`. Scale-out therefore happens at once
    /// (the new answer is the highest), and scale-in only once every answer in the window
    /// agrees that fewer replicas suffice.
    pub fn recommend(&mut self, now: Instant, current: usize, utilization: f64) -> usize {
        let p = self.policy;
        let raw = desired_replicas(current, utilization, p.target, p.tolerance)
            .clamp(p.min_replicas, p.max_replicas);
        while let Some(&(at, _)) = self.history.front() {
            if now.duration_since(at) > p.scale_down_window {
                self.history.pop_front();
            } else {
                break;
            }
        }
        self.history.push_back((now, raw));
        self.history.iter().map(|&(_, n)| n).max().unwrap_or(raw)
    }
}
// ANCHOR_END: exercise_solution
