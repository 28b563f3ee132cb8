//! A count-min sketch with periodic aging: TinyLFU's memory of how often each key was asked for.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// Rows in the sketch. Each row hashes a key to a different counter; the estimate is the
/// smallest of the four, so a key is overestimated only if it collides in *every* row.
const DEPTH: usize = 4;

/// Counters saturate at 15, so they fit in 4 bits (Caffeine packs 16 into a `u64`; we spend a
/// whole `u8` on each for clarity). Beyond 15, "very popular" is all an admission test needs.
const MAX_COUNT: u8 = 15;

/// One seed per row, so the rows hash independently.
const SEEDS: [u64; DEPTH] = [
    0x9E37_79B9_7F4A_7C15,
    0xC2B2_AE3D_27D4_EB4F,
    0x1656_67B1_9E37_79F9,
    0x85EB_CA77_C2B2_AE63,
];

/// An approximate frequency counter: [`increment`](Self::increment) a key on every access and
/// [`estimate`](Self::estimate) how often it was seen, in a fixed `4 × width` bytes however
/// many distinct keys pass through. It never underestimates (before an aging step) and
/// overestimates only on hash collisions in all four rows.
///
/// **Aging**: after `sample_size` increments every counter is halved, so old popularity fades
/// and a key that was hot an hour ago cannot block today's hot keys forever. This is the
/// "reset" of TinyLFU (Einziger, Friedman and Manes, 2017); Caffeine uses a sample of ten times
/// the cache's capacity, and so do we.
#[derive(Debug, Clone)]
pub struct CountMinSketch {
    counters: Vec<u8>,
    width_mask: usize,
    additions: u64,
    sample_size: u64,
}

impl CountMinSketch {
    /// A sketch sized for a cache of `capacity` entries: `width` = capacity rounded up to a
    /// power of two (at least 16), `sample_size` = 10 × capacity.
    pub fn for_capacity(capacity: usize) -> Self {
        let width = capacity.next_power_of_two().max(16);
        Self {
            counters: vec![0; DEPTH * width],
            width_mask: width - 1,
            additions: 0,
            sample_size: 10 * capacity.max(1) as u64,
        }
    }

    /// The number of increments since the last aging step (halved by each step).
    pub fn additions(&self) -> u64 {
        self.additions
    }

    /// Increments after which the counters are halved.
    pub fn sample_size(&self) -> u64 {
        self.sample_size
    }

    // ANCHOR: sketch
    /// Record one access to `key`.
    pub fn increment<K: Hash>(&mut self, key: &K) {
        let hash = hash_of(key);
        for row in 0..DEPTH {
            let slot = self.slot(hash, row);
            if self.counters[slot] < MAX_COUNT {
                self.counters[slot] += 1;
            }
        }
        self.additions += 1;
        if self.additions >= self.sample_size {
            self.age();
        }
    }

    /// How many times `key` was seen, approximately: the minimum over the rows.
    pub fn estimate<K: Hash>(&self, key: &K) -> u8 {
        let hash = hash_of(key);
        (0..DEPTH)
            .map(|row| self.counters[self.slot(hash, row)])
            .min()
            .unwrap_or(0)
    }

    /// Halve every counter: popularity decays, so the sketch follows a changing workload.
    pub fn age(&mut self) {
        for counter in &mut self.counters {
            *counter /= 2;
        }
        self.additions /= 2;
    }

    fn slot(&self, hash: u64, row: usize) -> usize {
        let column = mix(hash ^ SEEDS[row]) as usize & self.width_mask;
        row * (self.width_mask + 1) + column
    }
    // ANCHOR_END: sketch
}

/// A deterministic 64-bit hash (SipHash with fixed keys), so runs replay exactly.
fn hash_of<K: Hash>(key: &K) -> u64 {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

/// The SplitMix64 finalizer: spreads every input bit over the output, so the four seeded rows
/// pick unrelated columns.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
