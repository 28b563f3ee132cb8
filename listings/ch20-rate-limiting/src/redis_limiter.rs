//! A limiter whose state lives in Redis, so that every replica of a service shares it.
//!
//! Each replica counting on its own admits `replicas × limit`. Sharing the state fixes that only
//! if the read-decide-write happens atomically: two replicas that both `GET` a count of 9, both
//! decide "under 10", and both `SET` 10 have admitted 11. A Lua script runs atomically on the
//! Redis server (no other command interleaves), so we run GCRA there: one key per client holding
//! its theoretical arrival time, and Redis's own clock (`TIME`) as "now", so replicas whose
//! clocks disagree still agree on the limit.

use std::sync::LazyLock;
use std::time::Duration;

use redis::aio::ConnectionManager;

use crate::{Decision, Error, Rate};

// ANCHOR: redis_script
/// GCRA (see [`crate::algorithms::gcra`]) in Lua, in microseconds.
/// KEYS[1]: the client's key. ARGV[1]: emission interval T. ARGV[2]: tolerance τ.
/// Returns {allowed (0/1), remaining, retry_after µs, reset_after µs}.
static GCRA_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local interval = tonumber(ARGV[1])
        local tolerance = tonumber(ARGV[2])
        local tat = math.max(tonumber(redis.call('GET', KEYS[1])) or now, now)
        local allow_at = tat - tolerance
        if now < allow_at then
            return {0, 0, allow_at - now, tat - now}
        end
        tat = tat + interval
        -- %d: Lua would print a 16-digit number as 1.764e+15 and lose the microseconds.
        -- The key expires when the client is fully rested: idle clients cost no memory.
        local ttl_ms = math.ceil((tat - now) / 1000)
        redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', string.format('%d', ttl_ms))
        local remaining = math.floor((now + tolerance + interval - tat) / interval)
        return {1, remaining, 0, tat - now}
        ",
    )
});

impl RedisLimiter {
    /// Run the script for `client_key`: one round trip, atomic on the server.
    pub async fn check(&self, client_key: &str) -> Result<Decision, Error> {
        let mut conn = self.conn.clone();
        let reply: Vec<i64> = GCRA_SCRIPT
            .key(self.key_for(client_key))
            .arg(self.interval_us)
            .arg(self.tolerance_us)
            .invoke_async(&mut conn)
            .await?;
        decision_from(&reply)
    }
}
// ANCHOR_END: redis_script

/// GCRA on a shared Redis, keyed by client under a configurable prefix.
#[derive(Clone)]
pub struct RedisLimiter {
    conn: ConnectionManager,
    rate: Rate,
    prefix: String,
    interval_us: u64,
    tolerance_us: u64,
}

impl RedisLimiter {
    /// Connect to `url` (e.g. `redis://127.0.0.1:6379`) and limit every key to `rate`. Keys are
    /// named `{prefix}:{client key}`, so several services (or tests) can share one Redis.
    ///
    /// # Errors
    ///
    /// [`Error::Redis`] if the URL is malformed or Redis is unreachable.
    pub async fn connect(url: &str, rate: Rate, prefix: &str) -> Result<Self, Error> {
        let client = redis::Client::open(url)?;
        let conn = ConnectionManager::new(client).await?;
        // Microseconds, rounded up like the in-process GCRA, at least 1.
        let interval_us = u64::try_from(rate.emission_interval_nanos().div_ceil(1_000))
            .unwrap_or(u64::MAX)
            .max(1);
        Ok(Self {
            conn,
            rate,
            prefix: prefix.to_owned(),
            interval_us,
            tolerance_us: interval_us.saturating_mul(u64::from(rate.burst() - 1)),
        })
    }

    /// The rate every key is limited to.
    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// The Redis key holding `client_key`'s state.
    pub fn key_for(&self, client_key: &str) -> String {
        format!("{}:{client_key}", self.prefix)
    }
}

/// Turn the script's four integers into a [`Decision`], refusing anything else.
fn decision_from(reply: &[i64]) -> Result<Decision, Error> {
    let micros = |us: i64| Duration::from_micros(u64::try_from(us).unwrap_or(0));
    match *reply {
        [1, remaining, _, reset] => Ok(Decision::Allowed {
            remaining: u32::try_from(remaining).unwrap_or(0),
            reset_after: micros(reset),
        }),
        [0, _, retry, reset] => Ok(Decision::Denied {
            retry_after: micros(retry),
            reset_after: micros(reset),
        }),
        _ => Err(Error::UnexpectedReply(reply.to_vec())),
    }
}
