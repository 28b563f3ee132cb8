//! Chapter 5, **SQL vs NoSQL**: one small application (users, products, orders) stored four
//! ways, behind one repository trait, so that the differences are measured rather than argued.
//!
//! - Relational: SQLite (bundled, in memory) by default, PostgreSQL when `DATABASE_URL` is set.
//!   Normalised tables, a `JOIN` for "order with user details", a transaction for "place an
//!   order and take it from stock".
//! - Document on a key-value store: an in-process store by default, Redis when `REDIS_URL` is
//!   set. JSON documents with an embedded copy of the customer, sorted sets as secondary indexes
//!   maintained by hand, and conditional atomic batches instead of transactions.
//!
//! Every backend counts what each operation costs it (round trips, records read and written),
//! and one behavioral test suite runs against all of them.
//!
//! # Layout
//!
//! - [`model`]: [`User`], [`Order`], [`NewOrder`], [`Status`], [`OrderWithUser`].
//! - [`repository`]: the [`Repository`] trait, the app's access patterns.
//! - [`meter`]: [`Cost`] and [`Meter`], what each operation costs in deterministic units.
//! - [`sqlite`]: [`SqliteRepo`], the relational backend in process.
//! - [`postgres`]: [`PostgresRepo`], the relational backend over the network.
//! - [`kv`]: the [`KvStore`] trait, with [`Write`] and [`Check`] for atomic batches.
//! - [`memory_kv`]: [`MemoryKv`], a key-value store in process.
//! - [`redis_kv`]: [`RedisKv`], the same on Redis, batches as one Lua script.
//! - [`document`]: [`DocumentRepo`], the document model on any [`KvStore`], its
//!   [`SecondaryIndex`]es, and [`WriteMode`] (atomic, or the naive two-step).
//! - [`exercise`]: exercise 5, a best-sellers index maintained on write.
//! - [`error`]: the crate's [`Error`].

pub mod document;
pub mod error;
pub mod kv;
pub mod memory_kv;
pub mod meter;
pub mod model;
pub mod postgres;
pub mod redis_kv;
pub mod repository;
pub mod sqlite;

#[cfg(not(feature = "starter"))]
pub mod exercise;
#[cfg(feature = "starter")]
#[path = "../starter/exercise.rs"]
pub mod exercise;

pub use document::{DocumentRepo, SecondaryIndex, WriteMode};
pub use error::Error;
pub use kv::{Check, KvStore, Write};
pub use memory_kv::MemoryKv;
pub use meter::{Cost, Meter};
pub use model::{NewOrder, Order, OrderId, OrderWithUser, Status, Timestamp, User, UserId};
pub use postgres::PostgresRepo;
pub use redis_kv::RedisKv;
pub use repository::Repository;
pub use sqlite::SqliteRepo;
