//! Chapter 9, **caching**: keeping a copy of hot data close to the code that reads it.
//!
//! We build four eviction policies from scratch behind one [`Cache`] trait: LRU and FIFO on an
//! index-linked list in a `Vec` (safe Rust, O(1) operations), LFU with frequency buckets, and a
//! simplified W-TinyLFU whose count-min sketch decides which newcomers may displace a resident.
//! We replay the same seeded Zipf trace, with and without scans, through all of them and
//! through the production crate `moka`. Then we stack an in-process L1, a shared L2 (in-process,
//! or Redis when `REDIS_URL` is set) and a counting database, and compare cache-aside,
//! read-through, write-through, write-back and write-around by the traffic they send to the
//! database, the stale reads they serve, and the writes a crash would lose.
//!
//! # Layout
//!
//! - [`cache`]: the [`Cache`] trait every policy implements.
//! - [`list`]: the index-linked doubly linked list ([`list::Slab`]) under LRU, FIFO and LFU.
//! - [`lru`], [`fifo`], [`lfu`]: [`LruCache`], [`FifoCache`], [`LfuCache`].
//! - [`sketch`]: [`CountMinSketch`], approximate frequencies with periodic aging.
//! - [`tinylfu`]: [`WTinyLfuCache`], window LRU + admission filter + main LRU.
//! - [`workload`]: seeded Zipf traces, scans, and hit-ratio replay (ours and moka's).
//! - [`database`]: [`Database`], the backend that counts its reads and writes.
//! - [`shared`]: the L2 tier, [`InProcessTier`] or [`RedisTier`].
//! - [`tiered`]: [`TieredCache`] (read-through with a [`WritePolicy`]) and [`CacheAside`].
//! - [`exercise`]: exercise 9, an LRU cache whose entries expire (per-entry TTL).
//! - [`error`]: the crate's [`Error`].

pub mod cache;
pub mod database;
pub mod error;
pub mod fifo;
pub mod lfu;
pub mod list;
pub mod lru;
pub mod shared;
pub mod sketch;
pub mod tiered;
pub mod tinylfu;
pub mod workload;

#[cfg(not(feature = "starter"))]
pub mod exercise;
#[cfg(feature = "starter")]
#[path = "../starter/exercise.rs"]
pub mod exercise;

pub use cache::Cache;
pub use database::Database;
pub use error::Error;
pub use fifo::FifoCache;
pub use lfu::LfuCache;
pub use lru::LruCache;
pub use shared::{InProcessTier, RedisTier, SharedTier};
pub use sketch::CountMinSketch;
pub use tiered::{CacheAside, Lookup, Pattern, Tier, TieredCache, WritePolicy};
pub use tinylfu::WTinyLfuCache;
pub use workload::{Policy, Workload};
