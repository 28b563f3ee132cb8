//! The hit ratio experiment: seeded Zipf traces, with and without scans, replayed through every
//! policy and through `moka`.

use moka::policy::EvictionPolicy;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Zipf};

use crate::cache::Cache;
use crate::error::Error;
use crate::fifo::FifoCache;
use crate::lfu::LfuCache;
use crate::lru::LruCache;
use crate::tinylfu::WTinyLfuCache;

/// The eviction policies built in this chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Least recently used ([`LruCache`]).
    Lru,
    /// First in, first out ([`FifoCache`]).
    Fifo,
    /// Least frequently used ([`LfuCache`]).
    Lfu,
    /// Window TinyLFU ([`WTinyLfuCache`]).
    WTinyLfu,
}

impl Policy {
    /// All four, in the order the tables print them.
    pub const ALL: [Policy; 4] = [Policy::Lru, Policy::Fifo, Policy::Lfu, Policy::WTinyLfu];

    /// A fresh, empty cache of this policy.
    ///
    /// # Errors
    ///
    /// [`Error::ZeroCapacity`] when `capacity` is 0.
    pub fn build<K, V>(self, capacity: usize) -> Result<Box<dyn Cache<K, V>>, Error>
    where
        K: std::hash::Hash + Eq + Clone + 'static,
        V: 'static,
    {
        Ok(match self {
            Policy::Lru => Box::new(LruCache::new(capacity)?),
            Policy::Fifo => Box::new(FifoCache::new(capacity)?),
            Policy::Lfu => Box::new(LfuCache::new(capacity)?),
            Policy::WTinyLfu => Box::new(WTinyLfuCache::new(capacity)?),
        })
    }
}

/// The shape of a synthetic workload.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    /// Distinct keys, `0..keys`; key 0 is the most popular.
    pub keys: u64,
    /// The Zipf exponent s: the k-th most popular key is requested in proportion to 1 / k^s.
    pub exponent: f64,
    /// Requests in the trace.
    pub requests: usize,
    /// Seed of the random generator: the same seed gives the same trace.
    pub seed: u64,
}

// ANCHOR: zipf_trace
/// A trace of `requests` keys drawn from a Zipf distribution over `0..keys`.
///
/// # Errors
///
/// [`Error::Workload`] when `keys` is 0 or the exponent is negative or not finite.
pub fn zipf_trace(workload: &Workload) -> Result<Vec<u64>, Error> {
    let zipf = Zipf::new(workload.keys as f64, workload.exponent).map_err(|e| {
        Error::Workload(format!(
            "Zipf({}, {}): {e}",
            workload.keys, workload.exponent
        ))
    })?;
    let mut rng = StdRng::seed_from_u64(workload.seed);
    // Zipf samples ranks 1..=keys as floats; rank 1 becomes key 0.
    Ok((0..workload.requests)
        .map(|_| zipf.sample(&mut rng) as u64 - 1)
        .collect())
}

/// The same trace with a **scan** spliced in after every `every` requests: `scan_len` keys that
/// were never seen before and will never be seen again, like a batch job or a crawler reading
/// the whole table once. Scan keys start at `first_cold_key` and never repeat.
pub fn with_scans(trace: &[u64], every: usize, scan_len: usize, first_cold_key: u64) -> Vec<u64> {
    let mut out = Vec::with_capacity(trace.len() + trace.len() / every.max(1) * scan_len);
    let mut cold = first_cold_key;
    for (i, &key) in trace.iter().enumerate() {
        if every > 0 && i > 0 && i % every == 0 {
            out.extend(cold..cold + scan_len as u64);
            cold += scan_len as u64;
        }
        out.push(key);
    }
    out
}
// ANCHOR_END: zipf_trace

// ANCHOR: replay
/// Replay `trace` through `cache` the way a read-through cache sees it: a hit is served, a miss
/// is loaded (from a backend we do not model) and put. Returns the hit ratio, 0.0 to 1.0.
pub fn hit_ratio(cache: &mut dyn Cache<u64, u64>, trace: &[u64]) -> f64 {
    let mut hits = 0usize;
    for &key in trace {
        if cache.get(&key).is_some() {
            hits += 1;
        } else {
            cache.put(key, key);
        }
    }
    hits as f64 / trace.len().max(1) as f64
}

/// The same replay through `moka`'s `sync::Cache` with `max_capacity`: `tiny_lfu` selects its
/// default TinyLFU policy, otherwise its LRU policy. We run moka's pending maintenance after
/// every insert, so evictions happen at once and the cache never holds more than it may;
/// without that, moka applies them in batches and briefly holds extra entries.
pub fn moka_hit_ratio(capacity: u64, tiny_lfu: bool, trace: &[u64]) -> f64 {
    let policy = if tiny_lfu {
        EvictionPolicy::tiny_lfu()
    } else {
        EvictionPolicy::lru()
    };
    let cache: moka::sync::Cache<u64, u64> = moka::sync::Cache::builder()
        .max_capacity(capacity)
        .eviction_policy(policy)
        .build();
    let mut hits = 0usize;
    for &key in trace {
        if cache.get(&key).is_some() {
            hits += 1;
        } else {
            cache.insert(key, key);
            cache.run_pending_tasks();
        }
    }
    hits as f64 / trace.len().max(1) as f64
}
// ANCHOR_END: replay
