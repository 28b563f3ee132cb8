//! Chapter 3, **capacity estimation**: back-of-envelope arithmetic, made reproducible.
//!
//! A capacity estimate is a handful of assumptions (daily users, requests per user, the
//! read:write ratio, object sizes, retention, replication, the peak factor, the cache's hot set,
//! what one server sustains) multiplied and divided into the numbers a design starts from:
//! requests per second at the average and at the peak, storage per year and in total, bandwidth in
//! and out, cache memory, and servers. We write the assumptions in a TOML **scenario** file with
//! human units (`500M`, `2 KiB`, `3x`, `5y`), and the `capacity` CLI prints every figure with the
//! arithmetic that produced it, so a reviewer can check each step, and a change of assumption is
//! a one-line diff. A malformed scenario is an error naming the file, the line and the field;
//! nothing a file contains can make the tool panic.
//!
//! # Layout
//!
//! - [`units`]: parsers for counts, sizes, durations, factors, fractions and ratios.
//! - [`scenario`]: [`Scenario`], loaded from TOML and validated, with located errors.
//! - [`estimate`]: [`Estimate`], the arithmetic, and its [`estimate::Row`]s with their working.
//! - [`format`]: numbers for people (thousands separators, GiB, Mbit/s).
//! - [`report`]: the tables the binaries print.
//! - [`catalog`]: the ten case-study scenarios shipped in `scenarios/`.
//! - [`exercise`]: exercise 3, growth projection ("what will we need in 18 months?").
//! - [`error`]: the crate's [`Error`].

pub mod catalog;
pub mod error;
pub mod estimate;
pub mod format;
pub mod report;
pub mod scenario;
pub mod units;

#[cfg(not(feature = "starter"))]
pub mod exercise;
#[cfg(feature = "starter")]
#[path = "../starter/exercise.rs"]
pub mod exercise;

pub use error::Error;
pub use estimate::Estimate;
pub use scenario::Scenario;
