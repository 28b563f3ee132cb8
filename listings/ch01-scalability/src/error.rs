//! The one error type of this crate.

/// Everything that can go wrong configuring the autoscaler, running replicas, or reaching the
/// session store.
///
/// A bad configuration is an error, never a panic: thresholds and replica limits usually arrive
/// from a config file, and the operator deserves a message that says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A scaling policy that cannot work, with the reason.
    #[error("invalid scaling policy: {0}")]
    InvalidPolicy(String),
    /// A replica could not get a listening socket.
    #[error("cannot start a replica on 127.0.0.1: {0}")]
    Bind(#[from] std::io::Error),
    /// Redis was unreachable or refused a command.
    #[error("session store (Redis) failed ({0}); is Redis reachable at REDIS_URL?")]
    Redis(#[from] redis::RedisError),
}
