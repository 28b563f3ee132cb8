//! The limiter the HTTP layer consults: in-process by default, Redis when `REDIS_URL` is set.

use std::sync::Arc;

use crate::{Algorithm, Clock, Decision, Error, KeyedLimiter, Rate, RedisLimiter};

/// A keyed limiter that may be shared between replicas.
///
/// An enum rather than a trait object: there are exactly two backends, and `match` keeps the
/// async call free of boxing. The in-process backend is the embedded default (no setup, but each
/// replica counts alone); the Redis backend is one limit for all replicas, at the cost of a
/// network round trip per request.
pub enum SharedLimiter {
    /// State in this process, read with `clock`.
    InProcess {
        limiter: KeyedLimiter,
        clock: Arc<dyn Clock>,
    },
    /// State in Redis, atomically updated by a Lua script.
    Redis(RedisLimiter),
}

impl SharedLimiter {
    /// An in-process limiter using `algorithm` for every key.
    pub fn in_process(algorithm: Algorithm, rate: Rate, clock: Arc<dyn Clock>) -> Self {
        SharedLimiter::InProcess {
            limiter: KeyedLimiter::new(algorithm, rate),
            clock,
        }
    }

    /// Redis (GCRA) under `prefix` if `REDIS_URL` is set, otherwise in-process GCRA.
    ///
    /// # Errors
    ///
    /// [`Error::Redis`] if `REDIS_URL` is set but Redis cannot be reached: a service told to share
    /// its limits should not silently fall back to counting alone.
    pub async fn from_env(rate: Rate, prefix: &str, clock: Arc<dyn Clock>) -> Result<Self, Error> {
        match std::env::var("REDIS_URL") {
            Ok(url) if !url.trim().is_empty() => Ok(SharedLimiter::Redis(
                RedisLimiter::connect(&url, rate, prefix).await?,
            )),
            _ => Ok(SharedLimiter::in_process(Algorithm::Gcra, rate, clock)),
        }
    }

    /// Decide on a request from `key`.
    ///
    /// # Errors
    ///
    /// [`Error::Redis`] when the Redis backend cannot answer.
    pub async fn check(&self, key: &str) -> Result<Decision, Error> {
        match self {
            SharedLimiter::InProcess { limiter, clock } => Ok(limiter.check(key, clock.now())),
            SharedLimiter::Redis(redis) => redis.check(key).await,
        }
    }

    /// The rate every key is limited to (for the `RateLimit-Limit` header).
    pub fn rate(&self) -> Rate {
        match self {
            SharedLimiter::InProcess { limiter, .. } => limiter.rate(),
            SharedLimiter::Redis(redis) => redis.rate(),
        }
    }

    /// `"in-process"` or `"redis"`, for logs and the demo's tables.
    pub fn backend_name(&self) -> &'static str {
        match self {
            SharedLimiter::InProcess { .. } => "in-process",
            SharedLimiter::Redis(_) => "redis",
        }
    }
}
