//! Where session state lives: the [`SessionStore`] trait and its two backends.
//!
//! A replica is **stateless** when everything a later request needs is kept outside it. Here
//! the state is a shopping cart per session id. The replica holds an `Arc<dyn SessionStore>`,
//! and *which* store it holds decides whether the service can scale horizontally: one store
//! shared by every replica (a [`MemoryStore`] handed to all of them in this process, or
//! [`RedisStore`] across processes), or a private store per replica, the stateful anti-pattern
//! the demo breaks on purpose.

use std::collections::HashMap;
use std::sync::Arc;

use futures::future::BoxFuture;
use parking_lot::Mutex;
use redis::AsyncCommands;
use redis::aio::ConnectionManager;

use crate::Error;

// ANCHOR: session_store
/// A store of carts, keyed by session id, that replicas share (or, wrongly, do not).
///
/// The operations are *append* and *read*, not *read-modify-write*: two replicas adding an item
/// to one cart at the same moment must both land, and a store-side append (a `Vec::push` under
/// a lock, a Redis `RPUSH`) is atomic where "read the cart, add, write it back" would lose one.
/// The methods return boxed futures so that replicas can hold any store as a trait object.
pub trait SessionStore: Send + Sync {
    /// Append `item` to the cart of `session`, creating the cart if needed.
    fn add_item<'a>(&'a self, session: &'a str, item: &'a str) -> BoxFuture<'a, Result<(), Error>>;

    /// The items in the cart of `session`, oldest first; empty if there is no such cart.
    fn items<'a>(&'a self, session: &'a str) -> BoxFuture<'a, Result<Vec<String>, Error>>;

    /// `"memory"` or `"redis"`, for the demo's tables.
    fn backend_name(&self) -> &'static str;
}
// ANCHOR_END: session_store

/// Carts in this process's memory: the embedded default.
///
/// Shared by all replicas (one `Arc` cloned into each), it stands in for a network store inside
/// one process. Given to one replica alone, it is the per-replica state that breaks horizontal
/// scaling.
#[derive(Default)]
pub struct MemoryStore {
    carts: Mutex<HashMap<String, Vec<String>>>,
}

impl MemoryStore {
    /// An empty store, ready to share.
    pub fn shared() -> Arc<dyn SessionStore> {
        Arc::new(MemoryStore::default())
    }
}

impl SessionStore for MemoryStore {
    fn add_item<'a>(&'a self, session: &'a str, item: &'a str) -> BoxFuture<'a, Result<(), Error>> {
        self.carts
            .lock()
            .entry(session.to_owned())
            .or_default()
            .push(item.to_owned());
        Box::pin(std::future::ready(Ok(())))
    }

    fn items<'a>(&'a self, session: &'a str) -> BoxFuture<'a, Result<Vec<String>, Error>> {
        let items = self.carts.lock().get(session).cloned().unwrap_or_default();
        Box::pin(std::future::ready(Ok(items)))
    }

    fn backend_name(&self) -> &'static str {
        "memory"
    }
}

/// How long an untouched cart lives in Redis: abandoned sessions must not cost memory forever.
pub const SESSION_TTL_SECS: i64 = 30 * 60;

/// Carts in Redis, one list per session, shared by every replica in every process.
///
/// Each cart is the Redis list `{prefix}:cart:{session}`. `RPUSH` appends atomically on the
/// server and `EXPIRE` renews the session's time to live on every write, in one pipeline (one
/// round trip). `ConnectionManager` reconnects on its own after Redis restarts.
#[derive(Clone)]
pub struct RedisStore {
    conn: ConnectionManager,
    prefix: String,
}

impl RedisStore {
    /// Connect to `url`, keeping every key under `prefix`.
    ///
    /// # Errors
    ///
    /// [`Error::Redis`] if the URL is malformed or Redis cannot be reached.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, Error> {
        let client = redis::Client::open(url)?;
        let conn = ConnectionManager::new(client).await?;
        Ok(RedisStore {
            conn,
            prefix: prefix.to_owned(),
        })
    }

    /// The Redis key of one session's cart.
    pub fn key(&self, session: &str) -> String {
        format!("{}:cart:{session}", self.prefix)
    }
}

// ANCHOR: redis_store
impl SessionStore for RedisStore {
    fn add_item<'a>(&'a self, session: &'a str, item: &'a str) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let key = self.key(session);
            let mut conn = self.conn.clone();
            redis::pipe()
                .atomic()
                .rpush(&key, item)
                .ignore()
                .expire(&key, SESSION_TTL_SECS)
                .ignore()
                .exec_async(&mut conn)
                .await?;
            Ok(())
        })
    }

    fn items<'a>(&'a self, session: &'a str) -> BoxFuture<'a, Result<Vec<String>, Error>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let items: Vec<String> = conn.lrange(self.key(session), 0, -1).await?;
            Ok(items)
        })
    }

    fn backend_name(&self) -> &'static str {
        "redis"
    }
}
// ANCHOR_END: redis_store
