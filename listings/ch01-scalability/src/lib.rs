//! Chapter 1, **scalability**: serving more load by adding replicas, and knowing when to.
//!
//! We build a small horizontally scaled service. Each replica is an axum app on its own socket
//! with a fixed capacity (a concurrency limit and a simulated service time); its session state,
//! a shopping cart, lives in a [`SessionStore`] outside it: in memory shared by all replicas by
//! default, in Redis when `REDIS_URL` is set. A round-robin front forwards every request to the
//! next replica. An autoscaler measures the replicas' utilization and adds or removes replicas,
//! with two thresholds and a cooldown so that it does not flap. A load generator measures what
//! each replica count can serve.
//!
//! # Layout
//!
//! - [`session`]: the [`SessionStore`] trait, [`MemoryStore`] and [`RedisStore`].
//! - [`replica`]: one replica's app, its capacity model ([`ReplicaConfig`]) and counters.
//! - [`front`]: the round-robin L7 front ([`RoundRobin`], [`FrontServer`]).
//! - [`pool`]: [`ReplicaPool`], which starts, stops and measures replicas.
//! - [`autoscaler`]: the [`Policy`], the pure decision ([`Autoscaler::decide`]), the control
//!   loop ([`autoscaler::run`]) and a trace simulator ([`autoscaler::simulate`]).
//! - [`loadgen`]: closed- and open-loop load generators.
//! - [`exercise`]: exercise 1, a target-tracking autoscaler with a stabilization window.
//! - [`error`]: the crate's [`Error`].

pub mod autoscaler;
pub mod error;
pub mod front;
pub mod loadgen;
pub mod pool;
pub mod replica;
pub mod session;

#[cfg(not(feature = "starter"))]
pub mod exercise;
#[cfg(feature = "starter")]
#[path = "../starter/exercise.rs"]
pub mod exercise;

pub use autoscaler::{Autoscaler, Decision, Policy, Reason};
pub use error::Error;
pub use front::{FrontServer, RoundRobin};
pub use pool::{ReplicaPool, StoreMode};
pub use replica::{Replica, ReplicaConfig};
pub use session::{MemoryStore, RedisStore, SessionStore};
