//! An app "instance": a local in-memory cache in front of the shared [`Backend`], kept fresh by
//! a TTL (the backstop) and by invalidation events (the fast path).
//!
//! Run two of them on one bus and you have the chapter's setup: instance A writes, the backend
//! moves to a new version, A publishes, and B drops its copy when the event arrives. "No stale
//! read after an invalidation" means exactly: once B has *applied* the event, B's next read
//! returns the new version. Before delivery B may still serve the old one; that gap (the
//! **staleness window**) is the time the event spends on the wire, instead of the rest of the TTL.

use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use crate::backend::Backend;
use crate::bus::{Invalidation, InvalidationBus, Subscriber};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::{Versioned, VersionedStore};

/// Knobs of an [`AppInstance`]'s local cache.
#[derive(Debug, Clone, Copy)]
pub struct InstanceConfig {
    /// Lifetime of a cached value: the worst-case staleness if every event is lost.
    pub ttl: Duration,
    /// How long an invalidation's tombstone refuses older fills (must outlast a slow load).
    pub tombstone_ttl: Duration,
}

impl Default for InstanceConfig {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(30),
            tombstone_ttl: Duration::from_secs(10),
        }
    }
}

/// One app server with its own local cache.
pub struct AppInstance {
    name: String,
    backend: Arc<Backend>,
    bus: InvalidationBus,
    clock: Arc<dyn Clock>,
    config: InstanceConfig,
    local: Mutex<VersionedStore<String>>,
}

impl AppInstance {
    /// An instance named `name` with an empty local cache.
    pub fn new(
        name: &str,
        backend: Arc<Backend>,
        bus: InvalidationBus,
        clock: Arc<dyn Clock>,
        config: InstanceConfig,
    ) -> Result<Self> {
        if config.ttl.is_zero() {
            return Err(Error::ZeroTtl);
        }
        Ok(Self {
            name: name.to_owned(),
            backend,
            bus,
            clock,
            config,
            local: Mutex::new(VersionedStore::new()),
        })
    }

    /// The instance's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    // ANCHOR: instance_read_write
    /// Read `key`: the local copy if live, else load from the backend and fill.
    pub async fn read(&self, key: &str) -> Result<Versioned<String>> {
        if let Some(hit) = self.local.lock().get(key, self.clock.now()) {
            return Ok(hit);
        }
        let loaded = self.backend.load(key).await?;
        // Fill only if no newer version was announced while we were loading.
        let now = self.clock.now();
        self.local
            .lock()
            .set_if_newer(key, loaded.clone(), self.config.ttl, now);
        Ok(loaded)
    }

    /// Write `key` to the backend first, then invalidate: our own copy at once, everyone
    /// else's through the bus. Returns the new version.
    pub async fn write(&self, key: &str, value: &str) -> Result<u64> {
        let version = self.backend.write(key, value);
        let event = Invalidation {
            key: key.to_owned(),
            version,
        };
        self.apply(&event);
        self.bus.publish(&event).await?;
        Ok(version)
    }

    /// Apply an invalidation: drop the local copy if it is older than `event.version`, and
    /// leave a tombstone so an in-flight fill of the old version is refused.
    pub fn apply(&self, event: &Invalidation) {
        let now = self.clock.now();
        self.local
            .lock()
            .invalidate(&event.key, event.version, self.config.tombstone_ttl, now);
    }
    // ANCHOR_END: instance_read_write

    /// Drop the whole local cache.
    pub fn flush(&self) {
        self.local.lock().clear();
    }

    /// Whether a live local copy of `key` exists.
    pub fn is_cached(&self, key: &str) -> bool {
        self.local.lock().get(key, self.clock.now()).is_some()
    }

    // ANCHOR: listen
    /// Apply events from `subscriber` until the bus closes. Missed or unreadable events flush
    /// the whole local cache: we no longer know which entries are stale.
    pub async fn listen(&self, mut subscriber: Subscriber) -> Result<()> {
        loop {
            match subscriber.recv().await {
                Ok(event) => self.apply(&event),
                Err(Error::Lagged(_) | Error::BadMessage(_)) => self.flush(),
                Err(Error::BusClosed) => return Ok(()),
                Err(other) => {
                    self.flush();
                    return Err(other);
                }
            }
        }
    }
    // ANCHOR_END: listen
}
