//! Exercise 4, starter: a connection pool with an idle timeout and a per-host cap.
//!
//! Keep idle connections per host and hand them out again instead of paying DNS, connect and
//! TLS a second time; close a connection idle for `idle_timeout` or longer, and keep at most
//! `max_idle_per_host` per host (closing the oldest). Then use the pool for real requests in
//! `get_pooled`. `cargo test -p ch04-networking --features starter --test exercise` runs the tests
//! you make pass.

// The bodies are yours to write; until then the parameters are unused.
#![allow(unused_variables, dead_code)]

// ANCHOR: exercise_starter
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use crate::{Client, Connection, Error, Fetched};

/// The pool's two limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolConfig {
    /// An idle connection older than this is closed instead of reused.
    pub idle_timeout: Duration,
    /// At most this many idle connections are kept per host; the oldest goes first.
    pub max_idle_per_host: usize,
}

/// Idle connections of type `C`, keyed by host.
pub struct Pool<C> {
    config: PoolConfig,
    /// Per host, oldest first: `(connection, when it was returned)`.
    idle: HashMap<String, VecDeque<(C, Duration)>>,
}

impl<C> Pool<C> {
    /// An empty pool.
    pub fn new(config: PoolConfig) -> Self {
        todo!("exercise 04: an empty map")
    }

    /// The most recently returned live connection to `host`, if any. Expired ones are dropped.
    pub fn checkout(&mut self, host: &str, now: Duration) -> Option<C> {
        todo!("exercise 04: evict the expired, then take the newest idle connection")
    }

    /// Return a connection after its request, at `now`. If `host` already has
    /// `max_idle_per_host` idle connections, the oldest is closed to make room.
    pub fn checkin(&mut self, host: &str, connection: C, now: Duration) {
        todo!("exercise 04: make room if needed, then keep it with its return time")
    }

    /// Close every connection idle for `idle_timeout` or longer; returns how many were closed.
    pub fn evict_expired(&mut self, now: Duration) -> usize {
        todo!("exercise 04: drop the connections that waited too long")
    }

    /// Idle connections to `host` (including any that have expired but not been evicted yet).
    pub fn idle_count(&self, host: &str) -> usize {
        todo!("exercise 04: count the idle connections to host")
    }
}

/// GET `url` through `pool`: reuse an idle connection to its scheme, host and port, or open one;
/// after the response, return the connection to the pool.
pub async fn get_pooled(
    pool: &mut Pool<Connection>,
    client: &Client,
    url: &str,
    now: Duration,
) -> Result<Fetched, Error> {
    todo!("exercise 04: key by scheme and authority, checkout or open, get, checkin")
}
// ANCHOR_END: exercise_starter
