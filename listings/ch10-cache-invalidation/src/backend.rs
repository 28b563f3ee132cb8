//! The source of truth the caches sit in front of: a versioned key-value "database" that counts
//! its loads, can be slowed down or held shut (so concurrent misses really overlap), and can be
//! told to fail (so we can see what a failed load does to its waiters).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use parking_lot::Mutex;
use tokio::sync::watch;

use crate::error::{Error, Result};
use crate::store::Versioned;

/// An in-process stand-in for the database: every row has a version that grows on each write.
#[derive(Debug)]
pub struct Backend {
    rows: Mutex<HashMap<String, Versioned<String>>>,
    loads_started: AtomicU64,
    load_delay: Duration,
    failures_to_inject: AtomicU32,
    gate: watch::Sender<bool>,
}

impl Backend {
    /// A backend that answers at once.
    pub fn new() -> Self {
        Self::with_delay(Duration::ZERO)
    }

    /// A backend whose every load takes `load_delay` (a slow query).
    pub fn with_delay(load_delay: Duration) -> Self {
        Self {
            rows: Mutex::new(HashMap::new()),
            loads_started: AtomicU64::new(0),
            load_delay,
            failures_to_inject: AtomicU32::new(0),
            gate: watch::Sender::new(true),
        }
    }

    /// A backend whose loads wait until [`Backend::open_gate`]: tests use it to hold every
    /// load in flight until all concurrent callers have arrived.
    pub fn gated() -> Self {
        let backend = Self::new();
        backend.gate.send_replace(false);
        backend
    }

    /// Let held loads (and all later ones) complete.
    pub fn open_gate(&self) {
        self.gate.send_replace(true);
    }

    /// Make the next `n` loads fail, as a timed-out query would.
    pub fn fail_next_loads(&self, n: u32) {
        self.failures_to_inject.store(n, Ordering::SeqCst);
    }

    /// How many loads have read their row: the number the chapter's proofs count.
    pub fn loads(&self) -> u64 {
        self.loads_started.load(Ordering::SeqCst)
    }

    /// Write `value` to `key` and return its new version.
    pub fn write(&self, key: &str, value: &str) -> u64 {
        let mut rows = self.rows.lock();
        let version = rows.get(key).map_or(1, |row| row.version + 1);
        let row = Versioned {
            value: value.to_owned(),
            version,
        };
        rows.insert(key.to_owned(), row);
        version
    }

    /// Read `key` the expensive way: counted, delayed, gated, and possibly failing.
    ///
    /// The row is read *first* and the answer is then held up by the delay or the gate, like a
    /// query whose response is slow to come back. That is what lets a test replay the
    /// stale-set race: the load has read version 1 before a writer commits version 2.
    pub async fn load(&self, key: &str) -> Result<Versioned<String>> {
        let row = self.rows.lock().get(key).cloned();
        self.loads_started.fetch_add(1, Ordering::SeqCst);
        let mut gate = self.gate.subscribe();
        // The sender lives in `self`, so `wait_for` cannot see it closed while we borrow self.
        let _ = gate.wait_for(|open| *open).await;
        if !self.load_delay.is_zero() {
            tokio::time::sleep(self.load_delay).await;
        }
        let injected = self
            .failures_to_inject
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if injected {
            return Err(Error::Backend {
                key: key.to_owned(),
                reason: "injected failure (query timed out)".to_owned(),
            });
        }
        row.ok_or_else(|| Error::Backend {
            key: key.to_owned(),
            reason: "no such key".to_owned(),
        })
    }
}

impl Default for Backend {
    fn default() -> Self {
        Self::new()
    }
}
