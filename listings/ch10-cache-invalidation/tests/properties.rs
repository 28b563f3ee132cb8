//! Invariants of TTL jitter, XFetch and versioned keys, checked on many random inputs.

use std::collections::HashSet;
use std::time::Duration;

use ch10_cache_invalidation::ttl::{expirations_per_second, peak};
use ch10_cache_invalidation::xfetch::{HotKey, simulate_hot_key};
use ch10_cache_invalidation::{Error, Jitter, Namespaces, XFetch};
use proptest::prelude::*;
use rand::SeedableRng as _;
use rand::rngs::StdRng;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    // ANCHOR: jitter_bounds
    /// Every jittered TTL lies within [ttl × (1 - j), ttl × (1 + j)].
    #[test]
    fn jittered_ttls_stay_within_bounds(
        ttl_ms in 1_u64..10_000_000,
        percent in 0_u32..100,
        seed in any::<u64>(),
    ) {
        let ttl = Duration::from_millis(ttl_ms);
        let jitter = Jitter::new(f64::from(percent) / 100.0).unwrap();
        let (low, high) = jitter.bounds(ttl);
        let mut rng = StdRng::seed_from_u64(seed);
        for _ in 0..100 {
            let jittered = jitter.apply(ttl, &mut rng);
            prop_assert!(low <= jittered && jittered <= high, "{jittered:?} not in [{low:?}, {high:?}]");
        }
    }
    // ANCHOR_END: jitter_bounds

    /// The histogram accounts for every key, and more jitter never raises the peak above the
    /// unjittered one.
    #[test]
    fn histogram_counts_every_key(keys in 1_usize..5_000, percent in 1_u32..50, seed in any::<u64>()) {
        let ttl = Duration::from_secs(60);
        let jitter = Jitter::new(f64::from(percent) / 100.0).unwrap();
        let histogram = expirations_per_second(keys, Duration::ZERO, ttl, jitter, seed);
        prop_assert_eq!(histogram.values().map(|&n| n as usize).sum::<usize>(), keys);
        let flat = expirations_per_second(keys, Duration::ZERO, ttl, Jitter::none(), seed);
        prop_assert_eq!(peak(&flat) as usize, keys);
        prop_assert!(peak(&histogram) <= peak(&flat));
    }

    /// After a bump, the namespace's keys differ from every key of every earlier generation.
    #[test]
    fn bumped_namespaces_never_reuse_a_key(bumps in 1_usize..20, key in "[a-z:0-9]{1,12}") {
        let namespaces = Namespaces::new();
        let mut seen = HashSet::new();
        prop_assert!(seen.insert(namespaces.key("user:42", &key)));
        for _ in 0..bumps {
            namespaces.bump("user:42");
            prop_assert!(seen.insert(namespaces.key("user:42", &key)));
        }
        // Other namespaces are untouched.
        prop_assert_eq!(namespaces.generation("user:43"), 0);
    }
}

#[test]
fn jitter_outside_zero_to_one_is_rejected() {
    for bad in [-0.1, 1.0, 1.5, f64::NAN] {
        assert!(
            matches!(Jitter::new(bad), Err(Error::InvalidJitter(_))),
            "{bad}"
        );
    }
}

#[test]
fn ten_thousand_keys_without_jitter_expire_in_one_second() {
    let ttl = Duration::from_secs(60);
    let flat = expirations_per_second(10_000, Duration::ZERO, ttl, Jitter::none(), 1);
    assert_eq!(flat.len(), 1);
    assert_eq!(peak(&flat), 10_000);
    // ±10% over 60 s spreads them over 2 × 0.1 × 60 = 12 s: the peak falls below 1,000/s.
    let spread = expirations_per_second(10_000, Duration::ZERO, ttl, Jitter::new(0.1).unwrap(), 1);
    assert!(spread.len() >= 12);
    assert!(peak(&spread) < 1_000, "peak {}", peak(&spread));
}

// ANCHOR: xfetch_rises
/// XFetch refreshes early with a probability that rises as expiry nears, and matches
/// exp(-gap / (delta × beta)) within sampling error.
#[test]
fn xfetch_refreshes_more_often_as_expiry_nears() {
    let policy = XFetch::new(1.0).unwrap();
    let (delta, expiry) = (Duration::from_millis(100), Duration::from_secs(10));
    let mut rng = StdRng::seed_from_u64(42);
    let mut previous = 0.0;
    for gap_ms in [1_000_u64, 500, 300, 200, 100, 50, 10] {
        let now = expiry - Duration::from_millis(gap_ms);
        let draws = 20_000;
        let hits = (0..draws)
            .filter(|_| policy.should_refresh(now, delta, expiry, &mut rng))
            .count();
        let measured = hits as f64 / f64::from(draws);
        let expected = policy.probability(now, delta, expiry);
        assert!(
            (measured - expected).abs() < 0.015,
            "gap {gap_ms} ms: {measured} vs {expected}"
        );
        assert!(
            measured >= previous,
            "gap {gap_ms} ms: {measured} < {previous}"
        );
        previous = measured;
    }
    // At or after expiry, always.
    assert!(policy.should_refresh(expiry, delta, expiry, &mut rng));
}
// ANCHOR_END: xfetch_rises

#[test]
fn a_larger_beta_or_a_slower_recompute_refreshes_earlier() {
    let expiry = Duration::from_secs(10);
    let now = expiry - Duration::from_millis(200);
    let fast = Duration::from_millis(50);
    let slow = Duration::from_millis(500);
    let one = XFetch::new(1.0).unwrap();
    let two = XFetch::new(2.0).unwrap();
    assert!(one.probability(now, slow, expiry) > one.probability(now, fast, expiry));
    assert!(two.probability(now, fast, expiry) > one.probability(now, fast, expiry));
    for bad in [0.0, -1.0, f64::INFINITY, f64::NAN] {
        assert!(matches!(XFetch::new(bad), Err(Error::InvalidBeta(_))));
    }
}

#[test]
fn xfetch_removes_the_expiry_stampede_of_a_hot_key() {
    let key = HotKey {
        requests_per_sec: 1_000,
        recompute: Duration::from_millis(100),
        ttl: Duration::from_secs(10),
        horizon: Duration::from_secs(60),
    };
    let plain = simulate_hot_key(key, None, 7);
    // Plain TTL: each of the 5 expiries inside 60 s (at 10, 20, ... 50 s: the value reloaded at
    // t + 0.1 s lives until t + 10.1 s, so 5 fit) makes 1,000 × 0.1 = 100 reads miss and load.
    assert_eq!(plain.max_in_flight, 100);
    assert_eq!(plain.waited, plain.loads);
    let early = simulate_hot_key(key, Some(XFetch::new(1.0).unwrap()), 7);
    assert_eq!(
        early.waited, 0,
        "nobody waits: refreshes land before expiry"
    );
    assert!(early.loads * 10 < plain.loads, "{early:?} vs {plain:?}");
    assert!(early.max_in_flight * 5 < plain.max_in_flight, "{early:?}");
}
