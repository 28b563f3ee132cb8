//! The small key-value interface the document store is built on, with the two primitives a
//! KV store gives you instead of SQL: plain keys holding strings (our JSON documents and
//! counters) and **sorted sets** (members ordered by an integer score), which we use as
//! hand-maintained secondary indexes.
//!
//! Two implementations: [`crate::memory_kv::MemoryKv`] in process, and
//! [`crate::redis_kv::RedisKv`] on Redis, where each method is one round trip.

use crate::Error;
use crate::meter::Meter;

// ANCHOR: kv_writes
/// One change to the store. A batch of these is what [`KvStore::apply`] makes atomic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// `SET key value`: store a document or a number.
    Set { key: String, value: String },
    /// `DECRBY key by`: take from a counter (stock).
    DecrBy { key: String, by: i64 },
    /// `ZADD key score member`: add to (or move within) a sorted-set index.
    ZAdd {
        key: String,
        score: i64,
        member: String,
    },
    /// `ZREM key member`: remove from a sorted-set index.
    ZRem { key: String, member: String },
    /// `ZINCRBY key by member`: add to a member's score (a running total).
    ZIncrBy {
        key: String,
        member: String,
        by: i64,
    },
}

/// A condition checked, atomically with the writes, before any of them is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// The integer at `key` is at least `min` (enough stock). A missing key fails.
    AtLeast { key: String, min: i64 },
    /// The value at `key` is still exactly `value`, as we read it: nobody changed the document
    /// since (optimistic concurrency, like Redis `WATCH` or a DynamoDB condition expression).
    Unchanged { key: String, value: String },
}
// ANCHOR_END: kv_writes

impl Write {
    /// The key this write touches.
    pub fn key(&self) -> &str {
        match self {
            Write::Set { key, .. }
            | Write::DecrBy { key, .. }
            | Write::ZAdd { key, .. }
            | Write::ZRem { key, .. }
            | Write::ZIncrBy { key, .. } => key,
        }
    }
}

impl Check {
    /// The key this check reads.
    pub fn key(&self) -> &str {
        match self {
            Check::AtLeast { key, .. } | Check::Unchanged { key, .. } => key,
        }
    }
}

/// What the document store needs from a key-value store. Every method is one request.
#[allow(async_fn_in_trait)] // used through generics only; see `Repository`
pub trait KvStore {
    /// A short name for tables, e.g. `"memory"`.
    fn name(&self) -> &str;
    fn meter(&self) -> &Meter;

    /// `GET key`.
    async fn get(&self, key: &str) -> Result<Option<String>, Error>;
    /// `MGET keys…`: many documents in one round trip.
    async fn mget(&self, keys: &[String]) -> Result<Vec<Option<String>>, Error>;
    /// `INCR key`: the next id from a counter.
    async fn incr(&self, key: &str) -> Result<u64, Error>;
    /// `ZRANGE key min max BYSCORE WITHSCORES`: members with `min <= score <= max`, by score,
    /// then by member.
    async fn zrange_by_score(
        &self,
        key: &str,
        min: i64,
        max: i64,
    ) -> Result<Vec<(String, i64)>, Error>;
    /// If every check passes, applies every write, with no other client's command in between,
    /// and returns `true`; if a check fails, applies nothing and returns `false`.
    async fn apply(&self, checks: &[Check], writes: &[Write]) -> Result<bool, Error>;
}
