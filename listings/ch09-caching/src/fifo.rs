//! First in, first out: evict the entry that was inserted earliest, whatever happened since.

use std::collections::HashMap;
use std::hash::Hash;

use crate::cache::Cache;
use crate::error::Error;
use crate::list::{Ends, Slab};

/// A FIFO cache: the same map and list as [`LruCache`](crate::LruCache), except that a hit
/// does *not* move the entry. The list is in insertion order, so the victim is the oldest
/// insertion. Every operation is O(1), and a hit writes nothing, which is why FIFO (and its
/// descendants CLOCK and S3-FIFO) scale well across threads: readers never contend on the list.
#[derive(Debug)]
pub struct FifoCache<K, V> {
    capacity: usize,
    index: HashMap<K, usize>,
    slab: Slab<(K, V)>,
    order: Ends,
}

impl<K: Hash + Eq + Clone, V> FifoCache<K, V> {
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
            order: Ends::default(),
        })
    }
}

// ANCHOR: fifo
impl<K: Hash + Eq + Clone, V> Cache<K, V> for FifoCache<K, V> {
    fn get(&mut self, key: &K) -> Option<&V> {
        // No reordering: a hit changes nothing, so the first key in is still the first out.
        let &i = self.index.get(key)?;
        self.slab.get(i).map(|(_, v)| v)
    }

    fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&i) = self.index.get(&key) {
            if let Some(entry) = self.slab.get_mut(i) {
                entry.1 = value; // an update keeps the entry's place in the queue
            }
            return None;
        }
        let evicted = match self.order.tail() {
            Some(oldest) if self.index.len() >= self.capacity => {
                let (k, v) = self.slab.remove(&mut self.order, oldest)?;
                self.index.remove(&k);
                Some((k, v))
            }
            _ => None,
        };
        let i = self.slab.push_front(&mut self.order, (key.clone(), value));
        self.index.insert(key, i);
        evicted
    }
    // ANCHOR_END: fifo

    fn remove(&mut self, key: &K) -> Option<V> {
        let i = self.index.remove(key)?;
        self.slab.remove(&mut self.order, i).map(|(_, v)| v)
    }

    fn contains(&self, key: &K) -> bool {
        self.index.contains_key(key)
    }

    fn name(&self) -> &'static str {
        "FIFO"
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn len(&self) -> usize {
        self.index.len()
    }
}
