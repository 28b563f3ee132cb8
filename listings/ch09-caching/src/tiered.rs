//! The multi-level cache: L1 in this process, L2 shared, the database behind both, and the
//! five classic ways to read and write through them.

use std::collections::HashSet;

use crate::cache::Cache;
use crate::database::Database;
use crate::error::Error;
use crate::lru::LruCache;
use crate::shared::SharedTier;

/// Which level answered a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// This server's in-process cache.
    L1,
    /// The shared cache.
    L2,
    /// Nobody cached it: the database did.
    Database,
}

/// The answer to a read: the value (if the key exists at all) and who served it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The value, `None` if the database has no such key.
    pub value: Option<String>,
    /// The level that answered.
    pub served_by: Tier,
}

/// What happens to a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WritePolicy {
    /// **Write-through**: database, L2 and L1, synchronously. Every write costs a database
    /// write, and the caches are never behind the database, on this server.
    WriteThrough,
    /// **Write-back** (write-behind): L1 only, marked dirty; the database and L2 get it on
    /// [`flush`](TieredCache::flush) or when L1 evicts it. Fast writes, and repeated writes
    /// to one key coalesce, but a crash before the flush loses them.
    WriteBack,
    /// **Write-around**: the database only; the cached copies are invalidated, so the next
    /// read loads the new value. Good for data written once and rarely read back.
    WriteAround,
}

/// One application server's view of the data, whatever pattern it uses. The demo replays one
/// workload through each pattern with this trait.
pub trait Pattern {
    /// The pattern's name, for tables.
    fn name(&self) -> String;
    /// Read `key`.
    fn read(&mut self, key: u64) -> Result<Lookup, Error>;
    /// Write `value` under `key`; when this returns, the write is acknowledged to the user.
    fn write(&mut self, key: u64, value: &str) -> Result<(), Error>;
    /// Push buffered writes to the database (write-back's periodic flush); a no-op otherwise.
    fn flush(&mut self) -> Result<usize, Error> {
        Ok(0)
    }
    /// Acknowledged writes that only exist in this process's memory right now.
    fn unflushed(&self) -> usize {
        0
    }
}

// ANCHOR: tiered_struct
/// A **read-through** multi-level cache: callers ask it, and it loads from L2 or the database
/// on a miss. Writes follow its [`WritePolicy`].
pub struct TieredCache {
    l1: LruCache<u64, String>,
    l2: Box<dyn SharedTier>,
    db: Database,
    policy: WritePolicy,
    /// Keys whose newest value is only in L1 (write-back).
    dirty: HashSet<u64>,
}
// ANCHOR_END: tiered_struct

impl TieredCache {
    /// A tiered cache with an L1 of `l1_capacity` entries in front of `l2` and `db`.
    ///
    /// # Errors
    ///
    /// [`Error::ZeroCapacity`] when `l1_capacity` is 0.
    pub fn new(
        l1_capacity: usize,
        l2: Box<dyn SharedTier>,
        db: Database,
        policy: WritePolicy,
    ) -> Result<Self, Error> {
        Ok(Self {
            l1: LruCache::new(l1_capacity)?,
            l2,
            db,
            policy,
            dirty: HashSet::new(),
        })
    }

    // ANCHOR: tiered_read
    /// Put `value` in L1. If that evicts a dirty entry, write it back first: eviction is one of
    /// write-back's two flush points (the other is [`flush`](Self::flush)).
    fn fill_l1(&mut self, key: u64, value: String) -> Result<(), Error> {
        if let Some((old_key, old_value)) = self.l1.put(key, value)
            && self.dirty.remove(&old_key)
        {
            self.db.write(old_key, &old_value);
            self.l2.set(old_key, &old_value)?;
        }
        Ok(())
    }

    /// L1, then L2 (promoting the value into L1), then the database (filling both).
    fn read_through(&mut self, key: u64) -> Result<Lookup, Error> {
        if let Some(value) = self.l1.get(&key) {
            let value = Some(value.clone());
            return Ok(Lookup {
                value,
                served_by: Tier::L1,
            });
        }
        if let Some(value) = self.l2.get(key)? {
            self.fill_l1(key, value.clone())?;
            return Ok(Lookup {
                value: Some(value),
                served_by: Tier::L2,
            });
        }
        let value = self.db.read(key);
        if let Some(v) = &value {
            self.l2.set(key, v)?;
            self.fill_l1(key, v.clone())?;
        }
        Ok(Lookup {
            value,
            served_by: Tier::Database,
        })
    }
    // ANCHOR_END: tiered_read

    /// Simulate a crash: the process dies with its memory, dirty entries and all. Returns how
    /// many acknowledged writes were lost (the database never saw them).
    pub fn crash(self) -> usize {
        self.dirty.len()
    }
}

impl Pattern for TieredCache {
    fn name(&self) -> String {
        let write = match self.policy {
            WritePolicy::WriteThrough => "write-through",
            WritePolicy::WriteBack => "write-back",
            WritePolicy::WriteAround => "write-around",
        };
        format!("read-through + {write}")
    }

    fn read(&mut self, key: u64) -> Result<Lookup, Error> {
        self.read_through(key)
    }

    // ANCHOR: tiered_write
    fn write(&mut self, key: u64, value: &str) -> Result<(), Error> {
        match self.policy {
            WritePolicy::WriteThrough => {
                self.db.write(key, value); // the database first: it is the source of truth
                self.l2.set(key, value)?;
                self.fill_l1(key, value.to_string())?;
            }
            WritePolicy::WriteBack => {
                self.fill_l1(key, value.to_string())?;
                self.dirty.insert(key); // acknowledged, but only in this process's memory
            }
            WritePolicy::WriteAround => {
                self.db.write(key, value);
                self.l2.delete(key)?; // invalidate, so no reader keeps the old value
                self.l1.remove(&key);
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<usize, Error> {
        let dirty: Vec<u64> = self.dirty.drain().collect();
        for &key in &dirty {
            if let Some(value) = self.l1.peek(&key).cloned() {
                self.db.write(key, &value);
                self.l2.set(key, &value)?;
            }
        }
        Ok(dirty.len())
    }
    // ANCHOR_END: tiered_write

    fn unflushed(&self) -> usize {
        self.dirty.len()
    }
}

/// **Cache-aside** (lazy loading): the *application* talks to the caches and the database
/// itself. On a read miss it loads from the database and fills the caches; on a write it
/// updates the database and deletes the cached copies. The traffic is the same as read-through
/// with write-around; the difference is who owns the code (every caller, not one library), and
/// that the cache needs no idea of where data comes from.
pub struct CacheAside {
    l1: LruCache<u64, String>,
    l2: Box<dyn SharedTier>,
    db: Database,
}

// ANCHOR: cache_aside
impl Pattern for CacheAside {
    fn name(&self) -> String {
        "cache-aside".to_string()
    }

    fn read(&mut self, key: u64) -> Result<Lookup, Error> {
        if let Some(value) = self.l1.get(&key) {
            return Ok(Lookup {
                value: Some(value.clone()),
                served_by: Tier::L1,
            });
        }
        if let Some(value) = self.l2.get(key)? {
            self.l1.put(key, value.clone());
            return Ok(Lookup {
                value: Some(value),
                served_by: Tier::L2,
            });
        }
        let value = self.db.read(key);
        if let Some(v) = &value {
            self.l2.set(key, v)?;
            self.l1.put(key, v.clone());
        }
        Ok(Lookup {
            value,
            served_by: Tier::Database,
        })
    }

    fn write(&mut self, key: u64, value: &str) -> Result<(), Error> {
        self.db.write(key, value);
        // Delete, do not set: a delete racing with a concurrent read-miss can only cause one
        // extra miss, while two racing sets can leave the older value cached indefinitely.
        self.l2.delete(key)?;
        self.l1.remove(&key);
        Ok(())
    }
}
// ANCHOR_END: cache_aside

impl CacheAside {
    /// The application's L1 of `l1_capacity` entries, with `l2` and `db` behind it.
    ///
    /// # Errors
    ///
    /// [`Error::ZeroCapacity`] when `l1_capacity` is 0.
    pub fn new(l1_capacity: usize, l2: Box<dyn SharedTier>, db: Database) -> Result<Self, Error> {
        Ok(Self {
            l1: LruCache::new(l1_capacity)?,
            l2,
            db,
        })
    }
}
