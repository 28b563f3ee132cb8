//! Chapter 4, **networking basics**: what one HTTPS request costs, phase by phase.
//!
//! We build a timing HTTP client that splits one request into the five phases `curl -w` reports:
//! DNS resolution, TCP connect, TLS handshake, time to first byte, and transfer. It owns the socket
//! and the TLS handshake (tokio and rustls with the ring provider) and lets hyper speak HTTP/1.1
//! over them, so every phase has a clock reading at each end and every failure names its phase. A
//! stream wrapper counts round trips, which turns loopback's microseconds into a prediction for a
//! real network. Local servers (HTTP, HTTPS with a certificate generated at run time, and one that
//! never answers) and TCP and UDP echo servers give the client something to measure without any
//! outside network.
//!
//! # Layout
//!
//! - [`phase`]: the five [`Phase`]s and the [`Timings`] of one request.
//! - [`target`]: [`Target`], a parsed `http://` or `https://` URL.
//! - [`client`]: the timing [`Client`], its [`Config`] and per-phase [`Timeouts`], and a
//!   keep-alive [`Connection`].
//! - [`round_trips`]: [`CountingStream`], which counts round trips on the wire.
//! - [`tls`]: [`SelfSigned`], a certificate made at run time, and client and server configs.
//! - [`server`]: [`LocalServer`], the HTTP, HTTPS and silent servers the experiments use.
//! - [`echo`]: [`EchoServers`], TCP and UDP echo round trips on loopback.
//! - [`stats`]: [`Summary`], median and p99 of a sample.
//! - [`exercise`]: exercise 4, a connection pool with an idle timeout and a per-host cap.
//! - [`error`]: the crate's [`Error`], which names the failed phase.

pub mod client;
pub mod echo;
pub mod error;
pub mod phase;
pub mod round_trips;
pub mod server;
pub mod stats;
pub mod target;
pub mod tls;

#[cfg(not(feature = "starter"))]
pub mod exercise;
#[cfg(feature = "starter")]
#[path = "../starter/exercise.rs"]
pub mod exercise;

pub use client::{Client, Config, Connection, Fetched, RoundTripCount, Timeouts};
pub use echo::{EchoServers, TcpEcho};
pub use error::Error;
pub use phase::{Phase, Timings};
pub use round_trips::{CountingStream, RoundTrips};
pub use server::LocalServer;
pub use stats::Summary;
pub use target::Target;
pub use tls::{SelfSigned, TlsVersion};
