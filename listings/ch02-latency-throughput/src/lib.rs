//! Chapter 2, **latency and throughput**: measuring a server's percentiles honestly.
//!
//! We build a server with a real capacity (a fixed number of workers and a service time, with a
//! FIFO queue in front), two load generators that record into HDR histograms, and the arithmetic
//! that ties their numbers together. The **closed-loop** generator (N workers, each waiting for
//! its response before sending again) is how most benchmarks work; the **open-loop** generator
//! sends on a fixed schedule and measures from the intended send time. When the server stalls,
//! the first hides the stall and the second shows it: **coordinated omission**, in numbers.
//!
//! # Layout
//!
//! - [`percentile`]: the exact nearest-rank percentile of sorted samples, the reference.
//! - [`histogram`]: [`LatencyHistogram`], an HDR histogram of latencies, and its [`Summary`].
//! - [`server`]: [`QueueingServer`], workers + service time + queue, in process or over HTTP.
//! - [`target`]: the [`Target`] the generators drive, and [`HttpTarget`].
//! - [`closed_loop`]: [`ClosedLoop`], N workers, optionally paced.
//! - [`open_loop`]: [`OpenLoop`], a constant rate, latency from the intended send time.
//! - [`report`]: [`RunReport`], what one run measured.
//! - [`queueing`]: Little's law and utilization.
//! - [`wrk`]: running `wrk` against the same server and parsing its report.
//! - [`exercise`]: exercise 2, a log-linear histogram of your own.
//! - [`error`]: the crate's [`Error`].

pub mod closed_loop;
pub mod error;
pub mod histogram;
pub mod open_loop;
pub mod percentile;
pub mod queueing;
pub mod report;
pub mod server;
pub mod target;
pub mod wrk;

#[cfg(not(feature = "starter"))]
pub mod exercise;
#[cfg(feature = "starter")]
#[path = "../starter/exercise.rs"]
pub mod exercise;

pub use closed_loop::ClosedLoop;
pub use error::Error;
pub use histogram::{LatencyHistogram, Summary};
pub use open_loop::{Arrivals, OpenLoop};
pub use report::RunReport;
pub use server::{QueueingServer, ServerConfig, ServerStats};
pub use target::{HttpTarget, Target};
