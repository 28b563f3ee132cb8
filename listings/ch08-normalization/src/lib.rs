//! Chapter 8, **normalization**: store each fact once for writes, copy facts together for reads,
//! and keep the copy honest.
//!
//! We start from one wide table of order lines and reproduce its update, insertion and deletion
//! anomalies on purpose; split it into four tables in third normal form; then add back a
//! denormalized **read model** (`order_summary`, one row per order with the customer's name and
//! email and the order's total) and keep it in sync three ways: not at all (a snapshot rebuilt on
//! demand), by database triggers (SQLite and PostgreSQL), and by the application's own code. On
//! PostgreSQL we also show the built-in alternative, a materialized view and its `REFRESH`.
//!
//! # Layout
//!
//! - [`wide`]: [`WideOrders`], the unnormalized table and its three anomalies.
//! - [`schema`]: the 3NF schema, the read model, the SQLite triggers, and the queries.
//! - [`shop`]: [`Shop`], the normalized shop on SQLite, with a [`ReadModelSync`] mode.
//! - [`summary`]: [`OrderSummary`], the read model's row, and [`Drift`], copy versus truth.
//! - [`plan`]: what a read costs, from `EXPLAIN QUERY PLAN` and SQLite's VM step counter.
//! - [`population`]: [`Population`], bulk data both databases load the same way.
//! - [`postgres`]: [`PgShop`], the same shop on PostgreSQL, with PL/pgSQL triggers and a
//!   materialized view.
//! - [`exercise`]: exercise 8, normalizing a wide enrollment table into 3NF.
//! - [`error`]: the crate's [`Error`].

pub mod error;
pub mod plan;
pub mod population;
pub mod postgres;
pub mod schema;
pub mod shop;
pub mod summary;
pub mod wide;

#[cfg(not(feature = "starter"))]
pub mod exercise;
#[cfg(feature = "starter")]
#[path = "../starter/exercise.rs"]
pub mod exercise;

pub use error::{Error, Result};
pub use plan::QueryCost;
pub use population::Population;
pub use postgres::{PgReadModel, PgShop};
pub use shop::{ReadModelSync, Shop};
pub use summary::{Drift, OrderSummary};
pub use wide::{WideOrders, WideRow};
