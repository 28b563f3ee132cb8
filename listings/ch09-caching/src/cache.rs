//! The one trait every eviction policy implements.

// ANCHOR: cache_trait
/// A bounded key-value cache: at most [`capacity`](Cache::capacity) entries, and a policy that
/// decides which entry leaves when a new one arrives.
///
/// Every policy in this chapter (LRU, FIFO, LFU, W-TinyLFU) implements this trait, so the hit
/// ratio experiment, the property tests and the multi-level cache never know which one runs.
pub trait Cache<K, V> {
    /// The policy's short name, for tables.
    fn name(&self) -> &'static str;

    /// The most entries the cache may hold.
    fn capacity(&self) -> usize;

    /// How many entries it holds now (never more than `capacity`).
    fn len(&self) -> usize;

    /// Whether the cache holds no entries.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Look `key` up. A lookup is an *access*: LRU moves the key to the front, LFU and
    /// W-TinyLFU count it (W-TinyLFU counts misses too).
    fn get(&mut self, key: &K) -> Option<&V>;

    /// Insert or replace. Returns the entry that left the cache because of this call: the
    /// evicted victim, or, for an admission policy such as W-TinyLFU, possibly the new entry
    /// itself when it was not admitted. `None` when nothing left.
    fn put(&mut self, key: K, value: V) -> Option<(K, V)>;

    /// Remove `key` (an invalidation), returning its value if it was cached.
    fn remove(&mut self, key: &K) -> Option<V>;

    /// Whether `key` is cached, without counting as an access.
    fn contains(&self, key: &K) -> bool;
}
// ANCHOR_END: cache_trait
