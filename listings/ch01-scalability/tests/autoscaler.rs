//! The autoscaler's decisions under tokio's paused clock: deterministic, no sleeping.
//!
//! A simulated service stands in for the pool: its utilization is the offered load over the
//! replicas' capacity, and the load follows a script of (time, requests per second).

use std::sync::Arc;
use std::time::Duration;

use ch01_scalability::autoscaler::{self, ScaleTarget, modeled_utilization, simulate};
use ch01_scalability::{Autoscaler, Decision, Error, Policy, Reason};
use parking_lot::Mutex;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

const CAPACITY: f64 = 100.0; // requests per second per simulated replica

/// A service whose load changes at scripted times.
struct Simulated {
    started: Instant,
    replicas: Mutex<usize>,
    /// (from this many seconds on, this load), in order.
    script: Vec<(u64, f64)>,
}

impl Simulated {
    fn new(replicas: usize, script: Vec<(u64, f64)>) -> Arc<Self> {
        Arc::new(Simulated {
            started: Instant::now(),
            replicas: Mutex::new(replicas),
            script,
        })
    }

    fn load(&self) -> f64 {
        let t = self.started.elapsed().as_secs_f64();
        self.script
            .iter()
            .rev()
            .find(|(from, _)| t >= *from as f64)
            .map_or(0.0, |&(_, load)| load)
    }
}

impl ScaleTarget for Simulated {
    fn replicas(&self) -> usize {
        *self.replicas.lock()
    }

    fn utilization(&self) -> f64 {
        modeled_utilization(self.load(), self.replicas(), CAPACITY)
    }

    async fn scale_to(&self, replicas: usize) -> Result<(), Error> {
        *self.replicas.lock() = replicas;
        Ok(())
    }
}

fn policy() -> Policy {
    Policy {
        scale_out_above: 0.8,
        scale_in_below: 0.3,
        cooldown: Duration::from_secs(3),
        min_replicas: 1,
        max_replicas: 5,
    }
}

/// Run the real control loop (1 s ticks) against `target` for `ticks` ticks of paused time;
/// every decision with the second it was made at.
async fn run_for(target: Arc<Simulated>, policy: Policy, ticks: usize) -> Vec<(u64, Decision)> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (stop, stopped) = oneshot::channel();
    let scaler = Autoscaler::new(policy).unwrap();
    let control = tokio::spawn({
        let target = target.clone();
        async move { autoscaler::run(&*target, scaler, Duration::from_secs(1), tx, stopped).await }
    });
    let mut out = Vec::new();
    for _ in 0..ticks {
        // With the clock paused, waiting lets tokio jump straight to the next tick.
        let decision = rx.recv().await.unwrap();
        out.push((target.started.elapsed().as_secs(), decision));
    }
    stop.send(()).unwrap();
    control.await.unwrap().unwrap();
    out
}

fn replicas_after(decisions: &[(u64, Decision)]) -> Vec<usize> {
    decisions.iter().map(|(_, d)| d.after).collect()
}

// ANCHOR: scale_out_test
#[tokio::test(start_paused = true)]
async fn scales_out_one_step_per_cooldown_until_the_load_fits() {
    // 350 req/s on 100 req/s replicas: needs 4 replicas to fall below 0.8 (350 / 400 = 0.875
    // is still above, so it goes to 5: 350 / 500 = 0.7).
    let target = Simulated::new(1, vec![(0, 350.0)]);
    let decisions = run_for(target.clone(), policy(), 14).await;
    // One step at t = 1, then one every 3 s (the cooldown): t = 4, 7, 10.
    assert_eq!(
        replicas_after(&decisions),
        vec![2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5]
    );
    let (t, first) = decisions[0];
    assert_eq!(t, 1);
    assert_eq!(first.reason, Reason::AboveScaleOut);
    assert_eq!((first.before, first.after, first.threshold), (1, 2, 0.8));
    assert!(matches!(decisions[1].1.reason, Reason::CoolingDown { .. }));
    assert_eq!(target.replicas(), 5);
}
// ANCHOR_END: scale_out_test

#[tokio::test(start_paused = true)]
async fn scales_in_when_the_load_leaves() {
    // 5 replicas at 40 req/s: 40 / 500 = 0.08 < 0.3. One step per cooldown; at 2 replicas
    // 40 / 200 = 0.2 is still below, and at 1 replica 40 / 100 = 0.4 sits inside the band.
    let target = Simulated::new(5, vec![(0, 40.0)]);
    let decisions = run_for(target.clone(), policy(), 14).await;
    assert_eq!(
        replicas_after(&decisions),
        vec![4, 4, 4, 3, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1]
    );
    assert_eq!(decisions[0].1.reason, Reason::BelowScaleIn);
    assert_eq!(decisions.last().unwrap().1.reason, Reason::WithinBand);
}

#[tokio::test(start_paused = true)]
async fn holds_inside_the_band_for_ever() {
    // 3 replicas at 150 req/s: utilization 0.5, between 0.3 and 0.8.
    let target = Simulated::new(3, vec![(0, 150.0)]);
    let decisions = run_for(target, policy(), 60).await;
    assert!(
        decisions
            .iter()
            .all(|(_, d)| d.reason == Reason::WithinBand && d.after == 3)
    );
}

#[tokio::test(start_paused = true)]
async fn respects_the_replica_limits() {
    let flood = Simulated::new(5, vec![(0, 10_000.0)]);
    let decisions = run_for(flood, policy(), 5).await;
    assert!(
        decisions
            .iter()
            .all(|(_, d)| d.after == 5 && d.reason == Reason::AtMaximum)
    );
    let idle = Simulated::new(1, vec![(0, 0.0)]);
    let decisions = run_for(idle, policy(), 5).await;
    assert!(
        decisions
            .iter()
            .all(|(_, d)| d.after == 1 && d.reason == Reason::AtMinimum)
    );
}

#[tokio::test(start_paused = true)]
async fn a_spike_and_its_end_follow_the_load_both_ways() {
    // 50 req/s, a spike to 250 req/s from t = 5 to t = 20, then 50 again.
    let target = Simulated::new(1, vec![(0, 50.0), (5, 250.0), (20, 50.0)]);
    let decisions = run_for(target.clone(), policy(), 40).await;
    let peak = decisions.iter().map(|(_, d)| d.after).max().unwrap();
    assert_eq!(peak, 4, "250 / 300 = 0.83 > 0.8, 250 / 400 = 0.63 fits");
    assert_eq!(
        target.replicas(),
        1,
        "back to one replica once the spike is over"
    );
}

/// Count direction changes: +1 followed by −1 or the reverse.
fn reversals(decisions: &[Decision]) -> usize {
    let steps: Vec<i64> = decisions
        .iter()
        .filter(|d| d.is_change())
        .map(|d| d.after as i64 - d.before as i64)
        .collect();
    steps.windows(2).filter(|w| w[0] != w[1]).count()
}

#[test]
fn hysteresis_prevents_the_flapping_a_single_threshold_causes() {
    // A steady 190 req/s: 2 replicas read 0.95 (scale out), 3 read 0.63.
    let loads = vec![190.0; 40];
    let tick = Duration::from_secs(1);
    let one_threshold = Policy {
        scale_in_below: 0.8,
        cooldown: Duration::ZERO,
        ..policy()
    };
    let flapping = simulate(one_threshold, 2, CAPACITY, tick, &loads).unwrap();
    assert!(
        reversals(&flapping) >= 30,
        "a single threshold flaps on steady load"
    );
    let band = Policy {
        cooldown: Duration::ZERO,
        ..policy()
    };
    let steady = simulate(band, 2, CAPACITY, tick, &loads).unwrap();
    assert_eq!(reversals(&steady), 0);
    assert_eq!(steady.last().unwrap().after, 3);
}

#[test]
fn cooldown_spaces_out_changes() {
    let loads = vec![190.0; 40];
    let narrow = Policy {
        scale_in_below: 0.7,
        cooldown: Duration::from_secs(5),
        ..policy()
    };
    let decisions = simulate(narrow, 2, CAPACITY, Duration::from_secs(1), &loads).unwrap();
    let change_ticks: Vec<usize> = decisions
        .iter()
        .enumerate()
        .filter(|(_, d)| d.is_change())
        .map(|(i, _)| i)
        .collect();
    assert!(
        change_ticks.len() >= 2,
        "this narrow band still flaps, slowly"
    );
    assert!(change_ticks.windows(2).all(|w| w[1] - w[0] >= 5));
}

#[test]
fn bad_policies_are_errors() {
    for bad in [
        Policy {
            scale_in_below: 0.9,
            ..policy()
        },
        Policy {
            scale_out_above: 0.0,
            ..policy()
        },
        Policy {
            scale_out_above: 1.5,
            ..policy()
        },
        Policy {
            scale_in_below: f64::NAN,
            ..policy()
        },
        Policy {
            min_replicas: 0,
            ..policy()
        },
        Policy {
            min_replicas: 6,
            ..policy()
        },
    ] {
        assert!(
            matches!(Autoscaler::new(bad), Err(Error::InvalidPolicy(_))),
            "{bad:?}"
        );
    }
}
