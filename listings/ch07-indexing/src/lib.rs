//! Chapter 7, **indexing**: the right index turns a scan of every row into a walk down a tree;
//! the wrong one still costs you on every write.
//!
//! We generate an `orders` table from a seeded RNG and index it six ways (no index, a
//! single-column B-tree, a composite in both column orders, a covering index, and a partial
//! index). For five representative queries we capture the plan the database chose (`EXPLAIN
//! QUERY PLAN` on bundled SQLite, `EXPLAIN ANALYZE` on PostgreSQL when `DATABASE_URL` is set),
//! read SQLite's exact work counters, and time reads and writes against the no-index baseline.
//! In memory, we compare a hash index, a B-tree and bitmap indexes (`roaring` beside a
//! hand-built one) on equality, range and multi-predicate queries.
//!
//! # Layout
//!
//! - [`data`]: the [`Order`] rows and [`generate_orders`], seeded.
//! - [`strategy`]: [`IndexStrategy`], each index as its `CREATE INDEX` statement.
//! - [`query`]: the five representative [`Query`]s.
//! - [`plan`]: [`Plan`], a query plan as the database printed it.
//! - [`sqlite`]: [`SqliteOrders`], the table in SQLite, with plans and work counters.
//! - [`postgres`]: [`PgOrders`], the table in its own PostgreSQL schema, with `EXPLAIN ANALYZE`.
//! - [`bitset`]: [`BitSet`], a hand-built bitmap.
//! - [`memory`]: [`OrderIndexes`], hash, B-tree and bitmap indexes in memory.
//! - [`measure`]: the demo's median timing loop.
//! - [`exercise`]: exercise 7, the smallest set of indexes that serves a workload.
//! - [`error`]: the crate's [`Error`].

pub mod bitset;
pub mod data;
pub mod error;
pub mod measure;
pub mod memory;
pub mod plan;
pub mod postgres;
pub mod query;
pub mod sqlite;
pub mod strategy;

#[cfg(not(feature = "starter"))]
pub mod exercise;
#[cfg(feature = "starter")]
#[path = "../starter/exercise.rs"]
pub mod exercise;

pub use bitset::BitSet;
pub use data::{Order, Region, Status, generate_orders};
pub use error::{Error, Result};
pub use memory::OrderIndexes;
pub use plan::Plan;
pub use postgres::PgOrders;
pub use query::Query;
pub use sqlite::{Execution, SqliteOrders};
pub use strategy::IndexStrategy;
