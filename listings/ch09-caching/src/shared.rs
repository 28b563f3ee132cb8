//! The L2 tier: a cache shared by every application server.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;

use crate::error::Error;

/// A cache tier that several application servers share (Redis or Memcached in production).
/// Every call may fail, because in production it is a network hop away.
pub trait SharedTier: Send {
    /// Where the tier lives, for tables.
    fn name(&self) -> &'static str;
    /// The cached value for `key`, if any.
    fn get(&mut self, key: u64) -> Result<Option<String>, Error>;
    /// Cache `value` under `key`.
    fn set(&mut self, key: u64, value: &str) -> Result<(), Error>;
    /// Drop `key` (an invalidation).
    fn delete(&mut self, key: u64) -> Result<(), Error>;
}

/// The default L2: a map in this process, shared between the "servers" of the demo by cloning.
/// Unbounded, for simplicity; a real L2 has its own capacity and eviction policy.
#[derive(Debug, Clone, Default)]
pub struct InProcessTier {
    map: Arc<Mutex<HashMap<u64, String>>>,
}

impl SharedTier for InProcessTier {
    fn name(&self) -> &'static str {
        "in-process"
    }

    fn get(&mut self, key: u64) -> Result<Option<String>, Error> {
        Ok(self.map.lock().get(&key).cloned())
    }

    fn set(&mut self, key: u64, value: &str) -> Result<(), Error> {
        self.map.lock().insert(key, value.to_string());
        Ok(())
    }

    fn delete(&mut self, key: u64) -> Result<(), Error> {
        self.map.lock().remove(&key);
        Ok(())
    }
}

/// The L2 on Redis: each cached key is the Redis string `"{prefix}:{key}"`, so several tests
/// or demos can share one Redis without seeing each other's keys.
pub struct RedisTier {
    conn: redis::Connection,
    prefix: String,
}

impl RedisTier {
    /// Connect to `url` (for example `redis://127.0.0.1:6379`) and use keys under `prefix`.
    ///
    /// # Errors
    ///
    /// [`Error::L2`] when the URL is malformed or Redis is unreachable.
    pub fn connect(url: &str, prefix: &str) -> Result<Self, Error> {
        let conn = redis::Client::open(url)?.get_connection()?;
        Ok(Self {
            conn,
            prefix: prefix.to_string(),
        })
    }

    fn key(&self, key: u64) -> String {
        format!("{}:{key}", self.prefix)
    }

    /// Delete every key under this tier's prefix (the demo and tests clean up with it). `SCAN`
    /// walks the keyspace in batches instead of blocking Redis the way `KEYS` would.
    pub fn delete_all(&mut self) -> Result<usize, Error> {
        let pattern = format!("{}:*", self.prefix);
        let keys: Vec<String> = {
            let iter: redis::Iter<String> = redis::cmd("SCAN")
                .cursor_arg(0)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .clone()
                .iter(&mut self.conn)?;
            iter.collect::<Result<_, _>>()?
        };
        for chunk in keys.chunks(500) {
            redis::cmd("DEL").arg(chunk).exec(&mut self.conn)?;
        }
        Ok(keys.len())
    }
}

// ANCHOR: redis_tier
impl SharedTier for RedisTier {
    fn name(&self) -> &'static str {
        "Redis"
    }

    fn get(&mut self, key: u64) -> Result<Option<String>, Error> {
        let key = self.key(key);
        Ok(redis::cmd("GET").arg(key).query(&mut self.conn)?)
    }

    fn set(&mut self, key: u64, value: &str) -> Result<(), Error> {
        let key = self.key(key);
        Ok(redis::cmd("SET").arg(key).arg(value).exec(&mut self.conn)?)
    }

    fn delete(&mut self, key: u64) -> Result<(), Error> {
        let key = self.key(key);
        Ok(redis::cmd("DEL").arg(key).exec(&mut self.conn)?)
    }
}
// ANCHOR_END: redis_tier
