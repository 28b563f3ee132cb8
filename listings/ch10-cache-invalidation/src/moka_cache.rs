//! The production crate beside our single-flight: moka's async cache coalesces too.
//!
//! [`moka::future::Cache::try_get_with`] runs the init future once per key while other callers
//! for the same key wait, exactly the contract of our [`crate::single_flight::SingleFlight`];
//! an `Err` is not inserted, and every waiter of that init receives the same `Arc`'d error.
//! moka adds what a chapter-sized cache leaves out: bounded size with TinyLFU admission,
//! per-entry TTL and TTI, and eviction listeners.

use std::sync::Arc;
use std::time::Duration;

use crate::backend::Backend;
use crate::error::Error;
use crate::store::Versioned;

// ANCHOR: moka_cache
/// A cache-aside read path built on moka.
#[derive(Debug, Clone)]
pub struct MokaCacheAside {
    backend: Arc<Backend>,
    cache: moka::future::Cache<String, Versioned<String>>,
}

impl MokaCacheAside {
    /// Up to `capacity` entries, each living `ttl` after it was written.
    pub fn new(backend: Arc<Backend>, capacity: u64, ttl: Duration) -> Self {
        let cache = moka::future::Cache::builder()
            .max_capacity(capacity)
            .time_to_live(ttl)
            .build();
        Self { backend, cache }
    }

    /// The value of `key`; concurrent misses share one `backend.load`.
    pub async fn get(&self, key: &str) -> Result<Versioned<String>, Arc<Error>> {
        self.cache
            .try_get_with(key.to_owned(), self.backend.load(key))
            .await
    }

    /// Drop `key`, as an invalidation event would.
    pub async fn invalidate(&self, key: &str) {
        self.cache.invalidate(key).await;
    }
}
// ANCHOR_END: moka_cache
