//! The networked key-value store: Redis. Every [`KvStore`] method is one round trip, and
//! [`KvStore::apply`] is one Lua script, which Redis runs to completion before any other command.

use std::sync::LazyLock;

use redis::aio::MultiplexedConnection;

use crate::Error;
use crate::kv::{Check, KvStore, Write};
use crate::meter::Meter;

// ANCHOR: apply_script
/// Checks, then writes, as one atomic step on the server. `KEYS` = the checks' keys, then the
/// writes' keys. `ARGV[1]` = the number of checks; then two arguments per check (kind, operand)
/// and three per write (command, first operand, second operand).
///
/// Atomic here means *isolated*: no other client's command runs between the checks and the
/// writes. It does not mean *rolled back*: if a command failed half-way (say `DECRBY` on a
/// document), the writes before it would stay. So the script checks everything first, and writes
/// only commands that cannot fail on the keys we give them.
static APPLY_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
        local checks = tonumber(ARGV[1])
        for i = 1, checks do
            local kind, operand = ARGV[2 * i], ARGV[2 * i + 1]
            local current = redis.call('GET', KEYS[i])
            if kind == 'AT_LEAST' then
                local n = tonumber(current)
                if n == nil or n < tonumber(operand) then return 0 end
            elseif current ~= operand then
                return 0
            end
        end
        local base = 2 * checks + 2
        for j = 0, (#ARGV - base + 1) / 3 - 1 do
            local cmd, a, b = ARGV[base + 3 * j], ARGV[base + 3 * j + 1], ARGV[base + 3 * j + 2]
            local key = KEYS[checks + j + 1]
            if cmd == 'ZADD' or cmd == 'ZINCRBY' then
                redis.call(cmd, key, a, b)
            else
                redis.call(cmd, key, a)
            end
        end
        return 1
        ",
    )
});
// ANCHOR_END: apply_script

/// [`KvStore`] on Redis.
#[derive(Clone)]
pub struct RedisKv {
    conn: MultiplexedConnection,
    meter: std::sync::Arc<Meter>,
}

impl RedisKv {
    pub async fn connect(url: &str) -> Result<Self, Error> {
        let client = redis::Client::open(url)?;
        let conn = client.get_multiplexed_async_connection().await?;
        Ok(Self {
            conn,
            meter: Default::default(),
        })
    }

    /// Deletes every key that starts with `prefix` (tests and the demo clean up with this).
    pub async fn delete_prefix(&self, prefix: &str) -> Result<u64, Error> {
        let mut conn = self.conn.clone();
        let mut cursor: u64 = 0;
        let mut deleted = 0;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(format!("{prefix}*"))
                .arg("COUNT")
                .arg(500)
                .query_async(&mut conn)
                .await?;
            if !keys.is_empty() {
                deleted += redis::cmd("DEL")
                    .arg(&keys)
                    .query_async::<u64>(&mut conn)
                    .await?;
            }
            if next == 0 {
                return Ok(deleted);
            }
            cursor = next;
        }
    }
}

fn write_args(write: &Write) -> (&'static str, String, String) {
    match write {
        Write::Set { value, .. } => ("SET", value.clone(), String::new()),
        Write::DecrBy { by, .. } => ("DECRBY", by.to_string(), String::new()),
        Write::ZAdd { score, member, .. } => ("ZADD", score.to_string(), member.clone()),
        Write::ZRem { member, .. } => ("ZREM", member.clone(), String::new()),
        Write::ZIncrBy { member, by, .. } => ("ZINCRBY", by.to_string(), member.clone()),
    }
}

impl KvStore for RedisKv {
    fn name(&self) -> &str {
        "redis"
    }

    fn meter(&self) -> &Meter {
        &self.meter
    }

    async fn get(&self, key: &str) -> Result<Option<String>, Error> {
        let value: Option<String> = redis::cmd("GET")
            .arg(key)
            .query_async(&mut self.conn.clone())
            .await?;
        self.meter.record(u64::from(value.is_some()), 0);
        Ok(value)
    }

    async fn mget(&self, keys: &[String]) -> Result<Vec<Option<String>>, Error> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let values: Vec<Option<String>> = redis::cmd("MGET")
            .arg(keys)
            .query_async(&mut self.conn.clone())
            .await?;
        self.meter.record(values.iter().flatten().count() as u64, 0);
        Ok(values)
    }

    async fn incr(&self, key: &str) -> Result<u64, Error> {
        let next: u64 = redis::cmd("INCR")
            .arg(key)
            .query_async(&mut self.conn.clone())
            .await?;
        self.meter.record(1, 1);
        Ok(next)
    }

    async fn zrange_by_score(
        &self,
        key: &str,
        min: i64,
        max: i64,
    ) -> Result<Vec<(String, i64)>, Error> {
        let flat: Vec<String> = redis::cmd("ZRANGEBYSCORE")
            .arg(key)
            .arg(min)
            .arg(max)
            .arg("WITHSCORES")
            .query_async(&mut self.conn.clone())
            .await?;
        let pairs = flat
            .chunks_exact(2)
            .map(|pair| {
                let score = pair[1].parse::<f64>().map_err(|_| Error::Corrupt {
                    key: key.to_owned(),
                    value: pair[1].clone(),
                    why: "sorted-set score is not a number",
                })?;
                // Scores are integers we wrote (timestamps, counts) well inside f64's 2^53.
                Ok((pair[0].clone(), score as i64))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        self.meter.record(pairs.len() as u64, 0);
        Ok(pairs)
    }

    async fn apply(&self, checks: &[Check], writes: &[Write]) -> Result<bool, Error> {
        let mut invocation = APPLY_SCRIPT.prepare_invoke();
        invocation.arg(checks.len());
        for check in checks {
            invocation.key(check.key());
            match check {
                Check::AtLeast { min, .. } => invocation.arg("AT_LEAST").arg(*min),
                Check::Unchanged { value, .. } => invocation.arg("UNCHANGED").arg(value),
            };
        }
        for write in writes {
            let (command, a, b) = write_args(write);
            invocation.key(write.key()).arg(command).arg(a).arg(b);
        }
        let applied: i64 = invocation.invoke_async(&mut self.conn.clone()).await?;
        let written = if applied == 1 { writes.len() as u64 } else { 0 };
        self.meter.record(checks.len() as u64, written);
        Ok(applied == 1)
    }
}
