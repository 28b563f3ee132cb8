//! Chapter 6, **data modeling**: structure the data so that the hot query is cheap.
//!
//! The hot query is a user's **home timeline**: the newest 20 posts from the accounts they
//! follow. We store it three ways and measure the same query on each:
//!
//! - **normalized** (fan-out on read): `users`, `follows`, `posts`; the timeline is a join, a
//!   sort and a `LIMIT` at read time;
//! - **query-driven** (fan-out on write): a `timeline` table keyed by
//!   `(user_id, created_at DESC, post_id DESC)`, written once per follower of each post, so the
//!   read is one index range scan that stops after 20 rows;
//! - **hybrid**: fan-out on write except for celebrities, whose posts are merged in at read time.
//!
//! The models run on bundled SQLite by default and on PostgreSQL when `DATABASE_URL` is set; the
//! plans and counters in the chapter come from the databases themselves.
//!
//! # Layout
//!
//! - [`workload`]: the seeded follow graph and posts ([`Workload`], [`Config`], [`Op`], [`Post`]).
//! - [`model`]: the three [`Model`]s and the [`QueryCost`] of one hot query.
//! - [`sqlite_store`]: [`SqliteTimelines`], the models on SQLite, with `EXPLAIN QUERY PLAN` and
//!   SQLite's statement counters.
//! - [`postgres_store`]: [`PgTimelines`], the models on PostgreSQL, with
//!   `EXPLAIN (ANALYZE, BUFFERS)`.
//! - [`fanout`]: the write-side arithmetic: fan-out rows, bytes and time for an author.
//! - [`exercise`]: exercise 6, unread notifications with a count badge, one range scan each.
//! - [`error`]: the crate's [`Error`].

pub mod error;
pub mod fanout;
pub mod model;
pub mod postgres_store;
pub mod sqlite_store;
pub mod workload;

#[cfg(not(feature = "starter"))]
pub mod exercise;
#[cfg(feature = "starter")]
#[path = "../starter/exercise.rs"]
pub mod exercise;

pub use error::Error;
pub use model::{Model, QueryCost};
pub use postgres_store::PgTimelines;
pub use sqlite_store::SqliteTimelines;
pub use workload::{Config, Op, Post, UserId, Workload, newest_first};
