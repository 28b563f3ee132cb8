//! Invariants of the four eviction policies, checked against naive reference models over random
//! operation sequences.

use std::collections::HashMap;

use ch09_caching::workload::{hit_ratio, with_scans, zipf_trace};
use ch09_caching::{Cache, CountMinSketch, FifoCache, LfuCache, LruCache, Policy, Workload};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Get(u8),
    Put(u8, u32),
    Remove(u8),
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        4 => (0u8..12).prop_map(Op::Get),
        4 => (0u8..12, any::<u32>()).prop_map(|(k, v)| Op::Put(k, v)),
        1 => (0u8..12).prop_map(Op::Remove),
    ];
    proptest::collection::vec(op, 0..120)
}

/// The LRU reference model: a `Vec` ordered from least to most recently used. O(n), obviously right.
#[derive(Default)]
struct NaiveLru {
    capacity: usize,
    entries: Vec<(u8, u32)>,
}

impl NaiveLru {
    fn get(&mut self, k: u8) -> Option<u32> {
        let i = self.entries.iter().position(|e| e.0 == k)?;
        let e = self.entries.remove(i);
        self.entries.push(e);
        Some(e.1)
    }
    fn put(&mut self, k: u8, v: u32) -> Option<(u8, u32)> {
        if let Some(i) = self.entries.iter().position(|e| e.0 == k) {
            self.entries.remove(i);
            self.entries.push((k, v));
            return None;
        }
        let evicted = (self.entries.len() >= self.capacity).then(|| self.entries.remove(0));
        self.entries.push((k, v));
        evicted
    }
    fn remove(&mut self, k: u8) -> Option<u32> {
        let i = self.entries.iter().position(|e| e.0 == k)?;
        Some(self.entries.remove(i).1)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    // ANCHOR: capacity_and_get_after_put
    /// For every policy: the cache never holds more than its capacity, and a `get` right after
    /// a `put` returns the value just put, unless the put itself reported that key as gone.
    #[test]
    fn capacity_never_exceeded_and_puts_are_readable(capacity in 1usize..8, ops in ops()) {
        for policy in Policy::ALL {
            let mut cache = policy.build::<u8, u32>(capacity).unwrap();
            for op in &ops {
                match *op {
                    Op::Get(k) => { cache.get(&k); }
                    Op::Put(k, v) => {
                        let left = cache.put(k, v);
                        if left.map(|(key, _)| key) != Some(k) {
                            let name = cache.name();
                            prop_assert_eq!(cache.get(&k), Some(&v), "{} lost a fresh put", name);
                        }
                    }
                    Op::Remove(k) => {
                        cache.remove(&k);
                        prop_assert!(!cache.contains(&k));
                    }
                }
                prop_assert!(cache.len() <= capacity, "{} holds {} > {}", cache.name(), cache.len(), capacity);
            }
        }
    }
    // ANCHOR_END: capacity_and_get_after_put

    // ANCHOR: lru_matches_model
    /// LRU evicts exactly the least recently used entry: every answer, including which entry
    /// each put evicts, equals the naive model's.
    #[test]
    fn lru_matches_the_naive_model(capacity in 1usize..8, ops in ops()) {
        let mut lru = LruCache::new(capacity).unwrap();
        let mut model = NaiveLru { capacity, ..NaiveLru::default() };
        for op in ops {
            match op {
                Op::Get(k) => prop_assert_eq!(lru.get(&k).copied(), model.get(k)),
                Op::Put(k, v) => prop_assert_eq!(lru.put(k, v), model.put(k, v)),
                Op::Remove(k) => prop_assert_eq!(lru.remove(&k), model.remove(k)),
            }
            let order: Vec<u8> = model.entries.iter().rev().map(|e| e.0).collect();
            let ours: Vec<u8> = lru.keys_mru_to_lru().into_iter().copied().collect();
            prop_assert_eq!(ours, order);
        }
    }
    // ANCHOR_END: lru_matches_model

    /// FIFO evicts in insertion order: hits and updates never change who goes next.
    #[test]
    fn fifo_evicts_in_insertion_order(capacity in 1usize..8, ops in ops()) {
        let mut fifo = FifoCache::new(capacity).unwrap();
        let mut queue: Vec<(u8, u32)> = Vec::new();
        for op in ops {
            match op {
                Op::Get(k) => {
                    let want = queue.iter().find(|e| e.0 == k).map(|e| e.1);
                    prop_assert_eq!(fifo.get(&k).copied(), want);
                }
                Op::Put(k, v) => {
                    let want = if let Some(e) = queue.iter_mut().find(|e| e.0 == k) {
                        e.1 = v;
                        None
                    } else {
                        let evicted = (queue.len() >= capacity).then(|| queue.remove(0));
                        queue.push((k, v));
                        evicted
                    };
                    prop_assert_eq!(fifo.put(k, v), want);
                }
                Op::Remove(k) => {
                    let want = queue.iter().position(|e| e.0 == k).map(|i| queue.remove(i).1);
                    prop_assert_eq!(fifo.remove(&k), want);
                }
            }
        }
    }

    // ANCHOR: lfu_evicts_minimum
    /// LFU evicts a key whose access count is the minimum among the residents.
    #[test]
    fn lfu_evicts_a_minimum_frequency_key(capacity in 1usize..8, ops in ops()) {
        let mut lfu = LfuCache::new(capacity).unwrap();
        let mut counts: HashMap<u8, u64> = HashMap::new(); // the model: residents' access counts
        for op in ops {
            match op {
                Op::Get(k) => {
                    if lfu.get(&k).is_some() { *counts.get_mut(&k).unwrap() += 1; }
                }
                Op::Put(k, v) => {
                    if let Some(c) = counts.get_mut(&k) {
                        *c += 1;
                        prop_assert_eq!(lfu.put(k, v), None);
                    } else {
                        let min = counts.values().copied().min();
                        if let Some((victim, _)) = lfu.put(k, v) {
                            prop_assert_eq!(counts.remove(&victim), min, "evicted a non-minimum key");
                        }
                        counts.insert(k, 1);
                    }
                }
                Op::Remove(k) => {
                    prop_assert_eq!(lfu.remove(&k).is_some(), counts.remove(&k).is_some());
                }
            }
            for (k, c) in &counts {
                prop_assert_eq!(lfu.frequency(k), Some(*c));
            }
        }
    }
    // ANCHOR_END: lfu_evicts_minimum

    /// Count-min never underestimates (until it ages): each estimate is at least the true
    /// count, capped at the 4-bit maximum of 15.
    #[test]
    fn sketch_never_underestimates(keys in proptest::collection::vec(0u32..500, 0..300)) {
        let mut sketch = CountMinSketch::for_capacity(1_000); // ages after 10,000: never here
        let mut truth: HashMap<u32, u8> = HashMap::new();
        for k in &keys {
            sketch.increment(k);
            let t = truth.entry(*k).or_default();
            *t = (*t + 1).min(15);
        }
        for (k, t) in truth {
            prop_assert!(sketch.estimate(&k) >= t);
        }
    }
}

/// Aging halves the counters once `sample_size` increments have been recorded.
#[test]
fn sketch_halves_its_counters_after_the_sample() {
    let mut sketch = CountMinSketch::for_capacity(10); // sample size 100
    for _ in 0..99 {
        sketch.increment(&"hot");
    }
    assert_eq!(sketch.estimate(&"hot"), 15, "4-bit counters saturate at 15");
    sketch.increment(&"hot"); // the 100th increment triggers the reset
    assert_eq!(sketch.estimate(&"hot"), 7, "15 halved");
    assert_eq!(sketch.additions(), 50);
}

// ANCHOR: scan_resistance
/// The reason TinyLFU exists: on a Zipf trace polluted by one-off scans, it keeps the hot keys
/// that LRU throws out; and on skewed traffic, frequency beats recency.
#[test]
fn tinylfu_resists_scans_that_flush_lru() {
    let workload = Workload {
        keys: 2_000,
        exponent: 0.9,
        requests: 40_000,
        seed: 7,
    };
    let zipf = zipf_trace(&workload).unwrap();
    let scanned = with_scans(&zipf, 2_000, 400, workload.keys);
    let ratio = |policy: Policy, trace: &[u64]| {
        let mut cache = policy.build::<u64, u64>(200).unwrap();
        hit_ratio(cache.as_mut(), trace)
    };
    let (lru, tiny) = (
        ratio(Policy::Lru, &scanned),
        ratio(Policy::WTinyLfu, &scanned),
    );
    assert!(
        tiny > lru + 0.03,
        "with scans: W-TinyLFU {tiny:.3} vs LRU {lru:.3}"
    );
    let (lru, tiny) = (ratio(Policy::Lru, &zipf), ratio(Policy::WTinyLfu, &zipf));
    assert!(
        tiny > lru,
        "plain Zipf: W-TinyLFU {tiny:.3} vs LRU {lru:.3}"
    );
}
// ANCHOR_END: scan_resistance

#[test]
fn zero_capacity_is_an_error_not_a_panic() {
    for policy in Policy::ALL {
        assert!(policy.build::<u8, u8>(0).is_err());
    }
    let bad = Workload {
        keys: 0,
        exponent: 0.9,
        requests: 10,
        seed: 1,
    };
    assert!(zipf_trace(&bad).is_err());
}
