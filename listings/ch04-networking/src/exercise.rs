//! Exercise 4, reference solution: a connection pool with an idle timeout and a per-host cap.
//!
//! Keep-alive only pays off if the next request finds the open connection. A **pool** keeps
//! connections that finished their request, per host, and hands one out again instead of paying
//! DNS, connect and TLS a second time. Two limits keep it honest: an idle connection is dropped
//! after `idle_timeout` (servers close idle connections too, and a stale one fails on first use),
//! and at most `max_idle_per_host` wait per host (each one holds a socket and memory on both ends).
//!
//! Time is passed in as `now` (time since any fixed start), so the tests need no sleeps.

// ANCHOR: exercise_solution
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use crate::{Client, Connection, Error, Fetched, Target};

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
        Self {
            config,
            idle: HashMap::new(),
        }
    }

    /// The most recently returned live connection to `host`, if any. Expired ones are dropped.
    ///
    /// Most recent first: it is the one least likely to have been closed by the server, and
    /// using it lets the others age out when traffic falls.
    pub fn checkout(&mut self, host: &str, now: Duration) -> Option<C> {
        self.evict_expired(now);
        let queue = self.idle.get_mut(host)?;
        let newest = queue.pop_back().map(|(connection, _)| connection);
        if queue.is_empty() {
            self.idle.remove(host);
        }
        newest
    }

    /// Return a connection after its request, at `now`. If `host` already has
    /// `max_idle_per_host` idle connections, the oldest is closed to make room.
    pub fn checkin(&mut self, host: &str, connection: C, now: Duration) {
        if self.config.max_idle_per_host == 0 {
            return; // dropping the connection closes it
        }
        let queue = self.idle.entry(host.to_string()).or_default();
        while queue.len() >= self.config.max_idle_per_host {
            queue.pop_front();
        }
        queue.push_back((connection, now));
    }

    /// Close every connection idle for `idle_timeout` or longer; returns how many were closed.
    pub fn evict_expired(&mut self, now: Duration) -> usize {
        let timeout = self.config.idle_timeout;
        let mut closed = 0;
        self.idle.retain(|_, queue| {
            let before = queue.len();
            queue.retain(|(_, returned)| now.saturating_sub(*returned) < timeout);
            closed += before - queue.len();
            !queue.is_empty()
        });
        closed
    }

    /// Idle connections to `host` (including any that have expired but not been evicted yet).
    pub fn idle_count(&self, host: &str) -> usize {
        self.idle.get(host).map_or(0, VecDeque::len)
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
    let target = Target::parse(url)?;
    // http:// and https:// to the same host:port are different connections.
    let key = format!(
        "{}://{}",
        if target.tls { "https" } else { "http" },
        target.authority()
    );
    let mut connection = match pool.checkout(&key, now) {
        Some(connection) => connection,
        None => client.open(url).await?,
    };
    let fetched = connection.get(&target.path).await?;
    pool.checkin(&key, connection, now);
    Ok(fetched)
}
// ANCHOR_END: exercise_solution
