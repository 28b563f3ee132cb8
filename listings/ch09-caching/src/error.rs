//! The crate's error type.

/// What can go wrong in this chapter's caches.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A cache must hold at least one entry.
    #[error("cache capacity must be at least 1 entry")]
    ZeroCapacity,
    /// The shared L2 tier (Redis) failed; the caller may fall back to the database.
    #[error("shared cache tier (L2) failed: {0}; is REDIS_URL right and Redis running?")]
    L2(#[from] redis::RedisError),
    /// A workload parameter is out of range.
    #[error("invalid workload: {0}")]
    Workload(String),
}
