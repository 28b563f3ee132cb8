//! Chapter 10, **cache invalidation**: keeping cached copies from lying, and keeping the
//! backend alive when many of them stop lying at once.
//!
//! We build TTLs with jitter and measure the expiry spike they remove; versioned
//! ("generation") keys that invalidate a whole namespace with one increment; a versioned cache
//! whose tombstones close the classic stale-set race; event-driven invalidation between app
//! instances over Redis pub/sub or an in-process broadcast; and two kinds of stampede
//! protection: request coalescing (single-flight, beside moka's `get_with`) and probabilistic
//! early expiration (XFetch).
//!
//! # Layout
//!
//! - [`ttl`]: [`Jitter`] and the expirations-per-second histogram.
//! - [`versioned`]: [`Namespaces`], generation counters for versioned keys.
//! - [`store`]: [`VersionedStore`], a TTL cache with versions and tombstones.
//! - [`backend`]: [`Backend`], the source of truth, with load counting, delays and failures.
//! - [`single_flight`]: [`SingleFlight`] and [`CacheAside`], request coalescing.
//! - [`moka_cache`]: [`MokaCacheAside`], the same read path on moka.
//! - [`xfetch`]: [`XFetch`], probabilistic early expiration, and a hot-key simulation.
//! - [`bus`]: [`InvalidationBus`], Redis pub/sub or in-process broadcast.
//! - [`instance`]: [`AppInstance`], a local cache kept fresh by TTL and events.
//! - [`clock`]: where "now" comes from ([`Clock`], [`ManualClock`]).
//! - [`exercise`]: exercise 10, a lease-based cache (Facebook's memcache leases).
//! - [`error`]: the crate's [`Error`].

pub mod backend;
pub mod bus;
pub mod clock;
pub mod error;
pub mod instance;
pub mod moka_cache;
pub mod single_flight;
pub mod store;
pub mod ttl;
pub mod versioned;
pub mod xfetch;

#[cfg(not(feature = "starter"))]
pub mod exercise;
#[cfg(feature = "starter")]
#[path = "../starter/exercise.rs"]
pub mod exercise;

pub use backend::Backend;
pub use bus::{Invalidation, InvalidationBus, RedisChannel, Subscriber};
pub use clock::{Clock, ManualClock, MonotonicClock};
pub use error::{Error, Result};
pub use instance::{AppInstance, InstanceConfig};
pub use moka_cache::MokaCacheAside;
pub use single_flight::{CacheAside, Coalescing, SingleFlight};
pub use store::{Versioned, VersionedStore};
pub use ttl::Jitter;
pub use versioned::Namespaces;
pub use xfetch::XFetch;
