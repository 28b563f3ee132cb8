//! The one error type of this crate.

/// Everything that can go wrong configuring or consulting a limiter.
///
/// A bad configuration is an error, never a panic: a limit of zero usually arrives from a config
/// file or an environment variable, and the operator deserves a message that says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `Rate::new(0, …)`: a limit of zero admits nothing, which is a closed door, not a rate.
    #[error(
        "rate limit must be at least 1 request per period, got 0; to block a client, deny it outright"
    )]
    ZeroLimit,
    /// `Rate::new(…, Duration::ZERO)`: "n requests per no time at all" has no meaning.
    #[error("rate period must be longer than zero, e.g. Duration::from_secs(1)")]
    ZeroPeriod,
    /// `Rate::with_burst(0)`: a bucket that holds no token can never admit a request.
    #[error("burst must be at least 1 request, got 0")]
    ZeroBurst,
    /// Redis was unreachable or rejected the script.
    #[error("Redis rate-limit check failed ({0}); is Redis reachable at REDIS_URL?")]
    Redis(#[from] redis::RedisError),
    /// The Lua script answered with something other than its four integers.
    #[error(
        "Redis rate-limit script returned {0:?}, expected [allowed, remaining, retry_us, reset_us]"
    )]
    UnexpectedReply(Vec<i64>),
}
