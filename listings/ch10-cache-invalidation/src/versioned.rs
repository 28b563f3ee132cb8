//! Versioned keys: invalidate a whole group of entries by changing the name you read them under.
//!
//! Deleting every cached entry that mentions user 42 (profile, feed page 1, feed page 2, ...)
//! means knowing every key. Instead, put a **generation** number in the key:
//! `user:42:g7:profile`. A write bumps the generation to 8, and every reader builds
//! `user:42:g8:...` from then on. The old entries are never read again; they sit unused until
//! their TTL or the eviction policy removes them. One counter increment replaces N deletes.

use std::collections::HashMap;

use parking_lot::Mutex;

// ANCHOR: namespaces
/// Generation counters, one per namespace (for example `"user:42"`).
///
/// In production the counters live where every app instance can read them (a Redis `INCR`ed
/// key, or a version column in the database); here they live in process, which is enough to
/// show the idea.
#[derive(Debug, Default)]
pub struct Namespaces {
    generations: Mutex<HashMap<String, u64>>,
}

impl Namespaces {
    /// No namespaces yet: every namespace starts at generation 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// The current generation of `namespace`.
    pub fn generation(&self, namespace: &str) -> u64 {
        self.generations.lock().get(namespace).copied().unwrap_or(0)
    }

    /// The cache key to read or write `key` under, in the namespace's current generation.
    pub fn key(&self, namespace: &str, key: &str) -> String {
        format!("{namespace}:g{}:{key}", self.generation(namespace))
    }

    /// Invalidate everything in `namespace` at once: move to the next generation and return it.
    pub fn bump(&self, namespace: &str) -> u64 {
        let mut generations = self.generations.lock();
        let generation = generations.entry(namespace.to_owned()).or_insert(0);
        *generation += 1;
        *generation
    }
}
// ANCHOR_END: namespaces
