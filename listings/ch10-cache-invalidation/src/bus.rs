//! Event-driven invalidation: a writer publishes "key K is now at version V", and every app
//! instance holding K in its local cache drops it.
//!
//! Two transports, one API: Redis pub/sub when `REDIS_URL` is set (several processes), a
//! `tokio::sync::broadcast` channel otherwise (several "instances" in one process). Both are
//! **at-most-once**: Redis delivers a message only to subscribers connected at that moment and
//! never stores it, and a broadcast receiver that falls behind loses the oldest events. A lost
//! invalidation means a stale entry that lives until its TTL, which is why event-driven caches
//! keep a TTL as the backstop, and why a subscriber that knows it missed events
//! ([`Error::Lagged`]) must flush its local cache.

use futures::StreamExt as _;
use redis::AsyncCommands as _;
use tokio::sync::broadcast;

use crate::error::{Error, Result};

/// "The source of truth for `key` is now at `version`."
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalidation {
    /// The key that changed.
    pub key: String,
    /// Its version after the change; older cached copies are stale.
    pub version: u64,
}

impl Invalidation {
    /// The wire format on Redis: `"<version> <key>"` (the key may contain spaces).
    pub fn encode(&self) -> String {
        format!("{} {}", self.version, self.key)
    }

    /// Parse [`Invalidation::encode`]'s format.
    pub fn decode(message: &str) -> Result<Self> {
        let bad = || Error::BadMessage(message.to_owned());
        let (version, key) = message.split_once(' ').ok_or_else(bad)?;
        let version = version.parse().map_err(|_| bad())?;
        if key.is_empty() {
            return Err(bad());
        }
        Ok(Self {
            key: key.to_owned(),
            version,
        })
    }
}

/// Where invalidations are published.
#[derive(Clone)]
pub enum InvalidationBus {
    /// In one process: a broadcast channel.
    InProcess(broadcast::Sender<Invalidation>),
    /// Across processes: a Redis pub/sub channel.
    Redis(Box<RedisChannel>),
}

/// A Redis pub/sub channel and the connections to use it.
#[derive(Clone)]
pub struct RedisChannel {
    /// For opening subscriber connections (one per subscriber: a subscribed connection can
    /// do nothing else).
    client: redis::Client,
    /// Shared, multiplexed connection for `PUBLISH`.
    publisher: redis::aio::MultiplexedConnection,
    /// The channel name.
    channel: String,
}

impl InvalidationBus {
    /// An in-process bus whose subscribers may fall up to `capacity` events behind.
    pub fn in_process(capacity: usize) -> Self {
        Self::InProcess(broadcast::Sender::new(capacity.max(1)))
    }

    /// A bus on the Redis pub/sub `channel` at `url`.
    pub async fn redis(url: &str, channel: &str) -> Result<Self> {
        let client = redis::Client::open(url)?;
        let publisher = client.get_multiplexed_async_connection().await?;
        let channel = channel.to_owned();
        Ok(Self::Redis(Box::new(RedisChannel {
            client,
            publisher,
            channel,
        })))
    }

    /// Redis if `REDIS_URL` is set, in-process otherwise.
    pub async fn from_env(channel: &str) -> Result<Self> {
        match std::env::var("REDIS_URL") {
            Ok(url) if !url.trim().is_empty() => Self::redis(&url, channel).await,
            _ => Ok(Self::in_process(1_024)),
        }
    }

    // ANCHOR: bus
    /// Tell every current subscriber. Nobody subscribed is not an error: there is nothing
    /// cached to invalidate (and at-most-once means nobody will hear it later either).
    pub async fn publish(&self, event: &Invalidation) -> Result<()> {
        match self {
            Self::InProcess(sender) => {
                let _no_receivers_is_fine = sender.send(event.clone());
            }
            Self::Redis(redis) => {
                let mut publisher = redis.publisher.clone();
                let _receivers: i64 = publisher.publish(&redis.channel, event.encode()).await?;
            }
        }
        Ok(())
    }

    /// Start listening. Returns only once the subscription is active, so no event published
    /// after this returns can be missed for lack of a subscription.
    pub async fn subscribe(&self) -> Result<Subscriber> {
        match self {
            Self::InProcess(sender) => Ok(Subscriber::InProcess(sender.subscribe())),
            Self::Redis(redis) => {
                let mut pubsub = redis.client.get_async_pubsub().await?;
                pubsub.subscribe(&redis.channel).await?;
                Ok(Subscriber::Redis(pubsub.into_on_message()))
            }
        }
    }
    // ANCHOR_END: bus
}

impl InvalidationBus {
    /// `"in-process broadcast"` or `"Redis pub/sub"`, for the demo's tables.
    pub fn name(&self) -> &'static str {
        match self {
            Self::InProcess(_) => "in-process broadcast",
            Self::Redis(_) => "Redis pub/sub",
        }
    }
}

/// One listener's end of an [`InvalidationBus`].
pub enum Subscriber {
    /// An in-process receiver.
    InProcess(broadcast::Receiver<Invalidation>),
    /// A Redis subscriber connection.
    Redis(redis::aio::PubSubStream),
}

impl Subscriber {
    /// The next invalidation. [`Error::Lagged`] means events were lost: flush, then keep
    /// calling `recv`.
    pub async fn recv(&mut self) -> Result<Invalidation> {
        match self {
            Self::InProcess(receiver) => match receiver.recv().await {
                Ok(event) => Ok(event),
                Err(broadcast::error::RecvError::Lagged(missed)) => Err(Error::Lagged(missed)),
                Err(broadcast::error::RecvError::Closed) => Err(Error::BusClosed),
            },
            Self::Redis(stream) => {
                let message = stream.next().await.ok_or(Error::BusClosed)?;
                let payload: String = message.get_payload()?;
                Invalidation::decode(&payload)
            }
        }
    }
}
