//! Least frequently used: evict the entry with the fewest accesses.

use std::collections::HashMap;
use std::hash::Hash;

use crate::cache::Cache;
use crate::error::Error;
use crate::list::{Ends, Slab};

#[derive(Debug)]
struct Entry<K, V> {
    key: K,
    value: V,
    frequency: u64,
}

/// An LFU cache with **frequency buckets** (Shah, Mitra and Matani's O(1) LFU): one list per
/// access count, all in one [`Slab`], and the smallest count with a non-empty list remembered in
/// `min_frequency`. An access moves an entry from bucket f to the front of bucket f + 1; the
/// victim is the tail of bucket `min_frequency`, so among equally rare keys the least recently
/// used goes first.
///
/// Complexity, honestly: `get` and `put` are O(1) (expected, as for any hash map). `remove` is
/// O(1) unless it empties the minimum bucket, when it scans the bucket map for the new minimum:
/// O(F), F the number of distinct frequencies in the cache (at most `capacity`).
///
/// The frequency of an entry starts at 1 when it is inserted and grows by 1 per hit or update.
/// It never decays, which is LFU's known weakness: yesterday's hot key keeps its place forever.
#[derive(Debug)]
pub struct LfuCache<K, V> {
    capacity: usize,
    index: HashMap<K, usize>,
    slab: Slab<Entry<K, V>>,
    buckets: HashMap<u64, Ends>,
    min_frequency: u64,
}

impl<K: Hash + Eq + Clone, V> LfuCache<K, V> {
    /// An empty cache for at most `capacity` entries.
    ///
    /// # Errors
    ///
    /// [`Error::ZeroCapacity`] when `capacity` is 0.
    pub fn new(capacity: usize) -> Result<Self, Error> {
        if capacity == 0 {
            return Err(Error::ZeroCapacity);
        }
        Ok(Self {
            capacity,
            index: HashMap::with_capacity(capacity),
            slab: Slab::with_capacity(capacity),
            buckets: HashMap::new(),
            min_frequency: 0,
        })
    }

    /// The access count of `key`, if cached (for tests).
    pub fn frequency(&self, key: &K) -> Option<u64> {
        let &i = self.index.get(key)?;
        self.slab.get(i).map(|e| e.frequency)
    }

    /// Detach node `i` from the bucket of `frequency`, dropping the bucket when it empties.
    /// Returns whether the bucket emptied.
    fn detach(&mut self, i: usize, frequency: u64) -> bool {
        let Some(bucket) = self.buckets.get_mut(&frequency) else {
            return false;
        };
        self.slab.unlink(bucket, i);
        let emptied = bucket.is_empty();
        if emptied {
            self.buckets.remove(&frequency);
        }
        emptied
    }

    // ANCHOR: lfu_touch
    /// Count one access to node `i`: move it from bucket f to the front of bucket f + 1.
    fn touch(&mut self, i: usize) {
        let Some(entry) = self.slab.get_mut(i) else {
            return;
        };
        let frequency = entry.frequency;
        entry.frequency += 1;
        if self.detach(i, frequency) && self.min_frequency == frequency {
            self.min_frequency = frequency + 1; // the entry we moved is now the rarest
        }
        let bucket = self.buckets.entry(frequency + 1).or_default();
        self.slab.link_front(bucket, i);
    }

    /// Remove the least frequently used entry (least recently used among ties).
    fn evict(&mut self) -> Option<(K, V)> {
        let bucket = self.buckets.get_mut(&self.min_frequency)?;
        let victim = bucket.tail()?;
        let entry = self.slab.remove(bucket, victim)?;
        if bucket.is_empty() {
            self.buckets.remove(&self.min_frequency);
        }
        self.index.remove(&entry.key);
        Some((entry.key, entry.value))
    }
    // ANCHOR_END: lfu_touch
}

impl<K: Hash + Eq + Clone, V> Cache<K, V> for LfuCache<K, V> {
    fn get(&mut self, key: &K) -> Option<&V> {
        let &i = self.index.get(key)?;
        self.touch(i);
        self.slab.get(i).map(|e| &e.value)
    }

    // ANCHOR: lfu_put
    fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&i) = self.index.get(&key) {
            if let Some(entry) = self.slab.get_mut(i) {
                entry.value = value;
            }
            self.touch(i);
            return None;
        }
        let evicted = if self.index.len() >= self.capacity {
            self.evict()
        } else {
            None
        };
        let entry = Entry {
            key: key.clone(),
            value,
            frequency: 1,
        };
        let bucket = self.buckets.entry(1).or_default();
        let i = self.slab.push_front(bucket, entry);
        self.index.insert(key, i);
        self.min_frequency = 1; // a newcomer is always among the rarest
        evicted
    }
    // ANCHOR_END: lfu_put

    fn remove(&mut self, key: &K) -> Option<V> {
        let i = self.index.remove(key)?;
        let frequency = self.slab.get(i)?.frequency;
        let bucket = self.buckets.get_mut(&frequency)?;
        let value = self.slab.remove(bucket, i).map(|e| e.value);
        if bucket.is_empty() {
            self.buckets.remove(&frequency);
            if frequency == self.min_frequency {
                // The only O(F) step: find the new smallest non-empty bucket.
                self.min_frequency = self.buckets.keys().copied().min().unwrap_or(0);
            }
        }
        value
    }

    fn contains(&self, key: &K) -> bool {
        self.index.contains_key(key)
    }

    fn name(&self) -> &'static str {
        "LFU"
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn len(&self) -> usize {
        self.index.len()
    }
}
