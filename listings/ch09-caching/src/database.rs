//! The slow, authoritative backend behind the caches, instrumented to count its traffic.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;

#[derive(Debug, Default)]
struct Rows {
    values: HashMap<u64, String>,
    reads: u64,
    writes: u64,
}

/// A stand-in for the database: a map behind a lock that counts every read and write, because
/// "how many requests reached the backend" is what a cache exists to reduce. Clones share the
/// same rows, like two connections to one database.
#[derive(Debug, Clone, Default)]
pub struct Database {
    rows: Arc<Mutex<Rows>>,
}

impl Database {
    /// A database holding keys `0..keys`, each with the value `"v0"`.
    pub fn seeded(keys: u64) -> Self {
        let db = Self::default();
        db.rows.lock().values = (0..keys).map(|k| (k, "v0".to_string())).collect();
        db
    }

    /// Read a row (counted).
    pub fn read(&self, key: u64) -> Option<String> {
        let mut rows = self.rows.lock();
        rows.reads += 1;
        rows.values.get(&key).cloned()
    }

    /// Write a row (counted).
    pub fn write(&self, key: u64, value: &str) {
        let mut rows = self.rows.lock();
        rows.writes += 1;
        rows.values.insert(key, value.to_string());
    }

    /// Look at a row without counting it: for tests and for checking what survived a crash.
    pub fn peek(&self, key: u64) -> Option<String> {
        self.rows.lock().values.get(&key).cloned()
    }

    /// Reads served so far.
    pub fn reads(&self) -> u64 {
        self.rows.lock().reads
    }

    /// Writes applied so far.
    pub fn writes(&self) -> u64 {
        self.rows.lock().writes
    }
}
