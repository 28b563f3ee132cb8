//! The one error type of this crate.

/// Everything that can go wrong configuring a cache, loading from the backend, or moving
/// invalidation events.
///
/// It is `Clone` on purpose: when a single-flight load fails, *every* caller that waited on that
/// load receives the same error, so the error must be shareable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A TTL of zero would make every read a miss: a cache that never caches.
    #[error("TTL must be longer than zero, e.g. Duration::from_secs(60)")]
    ZeroTtl,
    /// Jitter is a fraction of the TTL: 0.1 means "expire somewhere in ±10%".
    #[error("jitter must be a fraction in [0, 1), got {0}; 0.1 means ±10% of the TTL")]
    InvalidJitter(f64),
    /// XFetch's `beta` scales how early we refresh; it must be a positive, finite number.
    #[error("XFetch beta must be positive and finite, got {0}; 1.0 is the paper's default")]
    InvalidBeta(f64),
    /// The source of truth could not produce the value (down, timed out, or no such key).
    #[error("backend load of {key:?} failed: {reason}")]
    Backend {
        /// The key we tried to load.
        key: String,
        /// Why it failed.
        reason: String,
    },
    /// Redis refused a command or was unreachable.
    #[error("Redis invalidation bus failed ({0}); is Redis reachable at REDIS_URL?")]
    Redis(String),
    /// A message on the invalidation channel did not parse.
    #[error("malformed invalidation message {0:?}; expected \"<version> <key>\"")]
    BadMessage(String),
    /// A subscriber fell behind and the bus dropped events it never saw.
    #[error(
        "invalidation subscriber lagged and missed {0} events; its local cache must be flushed"
    )]
    Lagged(u64),
    /// Every publisher is gone: no more invalidations will ever arrive.
    #[error("invalidation bus closed")]
    BusClosed,
}

impl From<redis::RedisError> for Error {
    fn from(e: redis::RedisError) -> Self {
        Error::Redis(e.to_string())
    }
}

/// This crate's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
