//! The one error type of this crate: every network failure names the phase it happened in.

use std::time::Duration;

use crate::Phase;

/// Everything that can go wrong fetching a URL or running an echo.
///
/// "The request failed" is useless at 3 a.m.; "the TLS phase failed: certificate not valid for
/// name" tells you to look at the certificate, not the network. So every network error carries
/// the [`Phase`] it happened in, and [`Error::phase`] returns it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The URL could not be parsed or uses a scheme we do not speak.
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: &'static str },
    /// An I/O error (refused, reset, bad certificate) during `phase`.
    #[error("{phase} phase failed: {source}")]
    Io {
        phase: Phase,
        #[source]
        source: std::io::Error,
    },
    /// The resolver answered, but with no address.
    #[error("dns phase failed: {host:?} resolved to no address")]
    NoAddress { host: String },
    /// `phase` took longer than its configured limit.
    #[error("{phase} phase timed out after {limit:?}; raise the {phase} timeout or check the peer")]
    Timeout { phase: Phase, limit: Duration },
    /// hyper reported an HTTP-level error (malformed response, connection closed) during `phase`.
    #[error("{phase} phase failed: {source}")]
    Http {
        phase: Phase,
        #[source]
        source: hyper::Error,
    },
    /// A `https://` URL was given, but the client has no TLS configuration.
    #[error("https URL but no TLS config: build the client with Config::with_tls")]
    NoTlsConfig,
    /// The host name is not a valid TLS server name.
    #[error("{0:?} is not a valid TLS server name")]
    InvalidServerName(String),
    /// Building the self-signed certificate or a TLS configuration failed.
    #[error("TLS setup failed: {0}")]
    TlsSetup(String),
    /// A UDP echo did not come back in time: UDP does not retransmit, the caller must.
    #[error(
        "UDP datagram {seq} got no echo within {limit:?}; UDP does not retransmit lost datagrams"
    )]
    DatagramLost { seq: u32, limit: Duration },
}

// ANCHOR: error_phase
impl Error {
    /// The phase of the request that failed, if the failure was on the network.
    pub fn phase(&self) -> Option<Phase> {
        match self {
            Error::Io { phase, .. } | Error::Timeout { phase, .. } | Error::Http { phase, .. } => {
                Some(*phase)
            }
            Error::NoAddress { .. } => Some(Phase::Dns),
            _ => None,
        }
    }
}
// ANCHOR_END: error_phase
