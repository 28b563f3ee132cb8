//! Least recently used: evict the entry that has gone longest without an access.

use std::collections::HashMap;
use std::hash::Hash;

use crate::cache::Cache;
use crate::error::Error;
use crate::list::{Ends, Slab};

/// An LRU cache with O(1) `get`, `put` and `remove`: a hash map from key to a node index, and an
/// index-linked list ([`Slab`]) ordered from most recently used (head) to least (tail).
///
/// Memory per entry: the key twice (map and node), the value, two link indices and the map's
/// own overhead, roughly 50–80 bytes beyond the key and value on a 64-bit machine.
#[derive(Debug)]
pub struct LruCache<K, V> {
    capacity: usize,
    index: HashMap<K, usize>,
    slab: Slab<(K, V)>,
    order: Ends,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    /// An empty cache for at most `capacity` entries.
    ///
    /// # Errors
    ///
    /// [`Error::ZeroCapacity`] when `capacity` is 0: such a cache could never hit.
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

    /// The least recently used key: the next victim. Does not count as an access.
    pub fn peek_lru(&self) -> Option<&K> {
        self.order
            .tail()
            .and_then(|i| self.slab.get(i))
            .map(|(k, _)| k)
    }

    /// The value for `key` without counting an access (the order does not change).
    pub fn peek(&self, key: &K) -> Option<&V> {
        let &i = self.index.get(key)?;
        self.slab.get(i).map(|(_, v)| v)
    }

    /// Remove and return the least recently used entry.
    pub fn pop_lru(&mut self) -> Option<(K, V)> {
        let victim = self.order.tail()?;
        let (key, value) = self.slab.remove(&mut self.order, victim)?;
        self.index.remove(&key);
        Some((key, value))
    }

    /// Keys from most to least recently used (for tests and the reader's curiosity).
    pub fn keys_mru_to_lru(&self) -> Vec<&K> {
        let mut keys = Vec::with_capacity(self.index.len());
        let mut cursor = self.order.head();
        while let Some(i) = cursor {
            if let Some((k, _)) = self.slab.get(i) {
                keys.push(k);
            }
            cursor = self.slab.next(i);
        }
        keys
    }
}

// ANCHOR: lru
impl<K: Hash + Eq + Clone, V> Cache<K, V> for LruCache<K, V> {
    fn get(&mut self, key: &K) -> Option<&V> {
        let &i = self.index.get(key)?;
        // A hit makes this the most recently used entry: move its node to the front.
        self.slab.unlink(&mut self.order, i);
        self.slab.link_front(&mut self.order, i);
        self.slab.get(i).map(|(_, v)| v)
    }

    fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&i) = self.index.get(&key) {
            if let Some(entry) = self.slab.get_mut(i) {
                entry.1 = value;
            }
            self.slab.unlink(&mut self.order, i);
            self.slab.link_front(&mut self.order, i);
            return None;
        }
        // Full: the tail is the least recently used entry. Evict it first, so its slot is
        // reused and the cache never holds capacity + 1 entries, even for an instant.
        let evicted = if self.index.len() >= self.capacity {
            self.pop_lru()
        } else {
            None
        };
        let i = self.slab.push_front(&mut self.order, (key.clone(), value));
        self.index.insert(key, i);
        evicted
    }

    fn remove(&mut self, key: &K) -> Option<V> {
        let i = self.index.remove(key)?;
        self.slab.remove(&mut self.order, i).map(|(_, v)| v)
    }
    // ANCHOR_END: lru

    fn contains(&self, key: &K) -> bool {
        self.index.contains_key(key)
    }

    fn name(&self) -> &'static str {
        "LRU"
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn len(&self) -> usize {
        self.index.len()
    }
}
