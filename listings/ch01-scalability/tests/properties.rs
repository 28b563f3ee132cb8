//! Invariants of the autoscaler's decision, over random policies and loads.

use std::time::Duration;

use ch01_scalability::Policy;
use ch01_scalability::autoscaler::simulate;
use proptest::prelude::*;

const CAPACITY: f64 = 100.0;

prop_compose! {
    /// A valid policy whose band is at least as wide as the scale-out threshold's half:
    /// `scale_in_below <= scale_out_above / 2`.
    fn wide_policy()(
        out in 0.5f64..=1.0,
        in_fraction in 0.05f64..=0.5,
        cooldown_ticks in 0u64..5,
        min in 1usize..4,
        extra in 0usize..8,
    ) -> Policy {
        Policy {
            scale_out_above: out,
            scale_in_below: out * in_fraction,
            cooldown: Duration::from_secs(cooldown_ticks),
            min_replicas: min,
            max_replicas: min + extra,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Under constant load, a wide band never reverses direction: once the pool starts
    /// growing it only grows, once it starts shrinking it only shrinks. (Adding a replica
    /// to n divides utilization by (n + 1) / n <= 2; a band at least that wide catches it.)
    #[test]
    fn constant_load_never_flaps(policy in wide_policy(), load in 0.0f64..2_000.0, start in 1usize..12) {
        let loads = vec![load; 60];
        let decisions = simulate(policy, start, CAPACITY, Duration::from_secs(1), &loads).unwrap();
        let steps: Vec<i64> = decisions
            .iter()
            .filter(|d| d.is_change())
            .map(|d| d.after as i64 - d.before as i64)
            .collect();
        prop_assert!(steps.windows(2).all(|w| w[0] == w[1]), "steps {steps:?}");
    }

    /// Whatever the load, the count stays within the limits, moves one step at a time, and
    /// two changes are at least a cooldown apart.
    #[test]
    fn limits_steps_and_cooldown_hold(
        policy in wide_policy(),
        loads in proptest::collection::vec(0.0f64..2_000.0, 1..80),
        start in 1usize..12,
    ) {
        let decisions = simulate(policy, start, CAPACITY, Duration::from_secs(1), &loads).unwrap();
        let mut last_change: Option<usize> = None;
        for (i, d) in decisions.iter().enumerate() {
            prop_assert!(d.after >= policy.min_replicas && d.after <= policy.max_replicas);
            prop_assert!(d.after.abs_diff(d.before) <= 1);
            if d.is_change() {
                if let Some(prev) = last_change {
                    prop_assert!((i - prev) as u64 >= policy.cooldown.as_secs());
                }
                last_change = Some(i);
            }
        }
    }

    /// After enough ticks of constant load the pool settles: inside the band, or at a limit.
    #[test]
    fn constant_load_settles(policy in wide_policy(), load in 0.0f64..2_000.0, start in 1usize..12) {
        let loads = vec![load; 80];
        let decisions = simulate(policy, start, CAPACITY, Duration::from_secs(1), &loads).unwrap();
        let last = decisions.last().unwrap();
        prop_assert!(!last.is_change());
        let settled = last.utilization >= policy.scale_in_below && last.utilization <= policy.scale_out_above;
        prop_assert!(settled || last.after == policy.min_replicas || last.after == policy.max_replicas);
    }
}
