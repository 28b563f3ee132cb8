//! Chapter 20, **rate limiting**: deciding, per client, whether one more request may go through.
//!
//! We build the six classic algorithms behind one trait, with time passed in so that every one
//! of them can be replayed and property-tested; a keyed limiter that keeps one state per client;
//! a tower layer that puts any of them in front of an axum app and answers `429 Too Many
//! Requests` with `Retry-After` and the IETF `RateLimit-*` headers; and a distributed limiter
//! whose state lives in Redis, updated atomically by a Lua script, so that several replicas of a
//! service share one limit.
//!
//! # Layout
//!
//! - [`rate`]: [`Rate`], the validated "limit per period, with burst" configuration.
//! - [`limiter`]: the [`RateLimiter`] trait and its [`Decision`].
//! - [`algorithms`]: one module per algorithm: [`algorithms::token_bucket`],
//!   [`algorithms::leaky_bucket`], [`algorithms::fixed_window`], [`algorithms::sliding_log`],
//!   [`algorithms::sliding_window_counter`], [`algorithms::gcra`], and [`Algorithm`] to pick one.
//! - [`clock`]: where "now" comes from in the live parts ([`Clock`]).
//! - [`keyed`]: [`KeyedLimiter`], one limiter per client key, in process.
//! - [`redis_limiter`]: [`RedisLimiter`], GCRA in a Lua script on a shared Redis.
//! - [`distributed`]: [`SharedLimiter`], in-process by default, Redis when `REDIS_URL` is set.
//! - [`layer`]: [`RateLimitLayer`], the tower layer for axum, and the response headers.
//! - [`server`]: the demo's axum app.
//! - [`exercise`]: exercise 20, a two-tier (burst and sustained) limiter.
//! - [`error`]: the crate's [`Error`].

pub mod algorithms;
pub mod clock;
pub mod distributed;
pub mod error;
pub mod keyed;
pub mod layer;
pub mod limiter;
pub mod rate;
pub mod redis_limiter;
pub mod server;

#[cfg(not(feature = "starter"))]
pub mod exercise;
#[cfg(feature = "starter")]
#[path = "../starter/exercise.rs"]
pub mod exercise;

pub use algorithms::Algorithm;
pub use clock::{Clock, ManualClock, MonotonicClock};
pub use distributed::SharedLimiter;
pub use error::Error;
pub use keyed::KeyedLimiter;
pub use layer::RateLimitLayer;
pub use limiter::{Decision, RateLimiter};
pub use rate::Rate;
pub use redis_limiter::RedisLimiter;
