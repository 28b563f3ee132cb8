//! The crate's one error type.

/// What can go wrong while configuring a server or generator, sending a request, or running `wrk`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A configuration value that cannot describe a real experiment (zero workers, a negative
    /// rate, ...). The message names the field and the accepted range.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The request never got a response: connection refused, reset, or the server went away.
    #[error("request failed: {0}; is the server running?")]
    Request(String),
    /// The server answered, but not with `200 OK`.
    #[error("server answered {0}, expected 200 OK")]
    Status(u16),
    /// `wrk` could not be started or exited with an error.
    #[error("could not run wrk: {0}")]
    WrkRun(String),
    /// `wrk` ran, but its output did not contain what we parse (its format changed?).
    #[error("could not parse wrk's output: {0}")]
    WrkOutput(String),
}
