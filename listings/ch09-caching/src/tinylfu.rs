//! W-TinyLFU: a small LRU window for newcomers, a large LRU main area, and a frequency sketch
//! at the door of the main area.

use std::hash::Hash;

use crate::cache::Cache;
use crate::error::Error;
use crate::lru::LruCache;
use crate::sketch::CountMinSketch;

/// A simplified **W-TinyLFU** (Einziger, Friedman and Manes, 2017), the policy of Caffeine.
///
/// - Every new key enters the **window**, an LRU holding 1% of the capacity (at least one
///   entry), so a burst of brand-new keys can still hit while it is fresh.
/// - The window's LRU victim is a **candidate** for the **main** area (the other 99%). If main
///   has room it goes in. If not, TinyLFU's **admission** test compares the sketch's estimate
///   for the candidate with that for main's LRU victim: the candidate gets in (and the victim
///   leaves) only if it has been asked for *more often*. Otherwise the candidate is dropped.
/// - Every `get`, hit or miss, increments the [`CountMinSketch`], which ages periodically.
///
/// A one-off scan therefore flows through the small window and dies there: its keys were seen
/// once, and main's residents were seen more. That is the scan resistance LRU lacks.
///
/// Simplifications against Caffeine: main is one LRU, not a segmented LRU (probation and
/// protected), there is no "doorkeeper" Bloom filter in front of the sketch, and the window size
/// does not adapt (Caffeine tunes it by hill climbing).
#[derive(Debug)]
pub struct WTinyLfuCache<K, V> {
    capacity: usize,
    window: LruCache<K, V>,
    main: LruCache<K, V>,
    main_capacity: usize,
    sketch: CountMinSketch,
}

impl<K: Hash + Eq + Clone, V> WTinyLfuCache<K, V> {
    /// An empty cache for at most `capacity` entries, 1% of them (at least one) in the window.
    ///
    /// # Errors
    ///
    /// [`Error::ZeroCapacity`] when `capacity` is 0.
    pub fn new(capacity: usize) -> Result<Self, Error> {
        if capacity == 0 {
            return Err(Error::ZeroCapacity);
        }
        let window_capacity = (capacity / 100).max(1);
        let main_capacity = capacity - window_capacity;
        Ok(Self {
            capacity,
            window: LruCache::new(window_capacity)?,
            // A capacity-1 cache is all window; main then admits nobody (see `put`).
            main: LruCache::new(main_capacity.max(1))?,
            main_capacity,
            sketch: CountMinSketch::for_capacity(capacity),
        })
    }

    /// The frequency sketch (for tests and for the curious).
    pub fn sketch(&self) -> &CountMinSketch {
        &self.sketch
    }

    // ANCHOR: admit
    /// The window evicted `candidate`: let it into main, or drop it. Returns what left.
    fn admit(&mut self, candidate: (K, V)) -> Option<(K, V)> {
        if self.main.len() < self.main_capacity {
            self.main.put(candidate.0, candidate.1);
            return None;
        }
        let Some(victim) = self.main.peek_lru() else {
            return Some(candidate); // no main area at all (capacity 1)
        };
        // TinyLFU: the newcomer must have been asked for more often than the victim.
        if self.sketch.estimate(&candidate.0) > self.sketch.estimate(victim) {
            let evicted = self.main.pop_lru();
            self.main.put(candidate.0, candidate.1);
            evicted
        } else {
            Some(candidate)
        }
    }
    // ANCHOR_END: admit
}

impl<K: Hash + Eq + Clone, V> Cache<K, V> for WTinyLfuCache<K, V> {
    fn get(&mut self, key: &K) -> Option<&V> {
        self.sketch.increment(key); // every request counts, including misses
        if self.window.contains(key) {
            self.window.get(key)
        } else {
            self.main.get(key)
        }
    }

    fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if self.window.contains(&key) {
            return self.window.put(key, value);
        }
        if self.main.contains(&key) {
            return self.main.put(key, value);
        }
        // A newcomer always enters the window; whatever the window pushes out must pass the
        // admission test to reach main.
        let candidate = self.window.put(key, value)?;
        self.admit(candidate)
    }

    fn remove(&mut self, key: &K) -> Option<V> {
        self.window.remove(key).or_else(|| self.main.remove(key))
    }

    fn contains(&self, key: &K) -> bool {
        self.window.contains(key) || self.main.contains(key)
    }

    fn name(&self) -> &'static str {
        "W-TinyLFU"
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn len(&self) -> usize {
        self.window.len() + self.main.len()
    }
}
