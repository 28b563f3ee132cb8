//! A tower layer that rate-limits an axum app per client.
//!
//! Every request is keyed, checked against the [`SharedLimiter`], and either answered with
//! `429 Too Many Requests` or passed through; both carry the `RateLimit-*` headers so that
//! well-behaved clients can slow down *before* they are refused.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use crate::{Decision, SharedLimiter};

/// The header a client names itself with.
///
/// We key on it when present and fall back to the peer's IP address. Both are choices with
/// costs: a self-declared id is trivially spoofed (in production it would be an API key the
/// gateway has authenticated, or the subject of a verified token), and an IP address lumps
/// together everyone behind one NAT or corporate proxy while a botnet has thousands. We take
/// the IP, not the socket address, because a client's port changes with every connection.
pub const CLIENT_ID_HEADER: &str = "x-client-id";

/// Longest client id we accept; a longer one is a malformed request, not a new key.
const MAX_CLIENT_ID_LEN: usize = 64;

/// Wrap a service so that every request is checked against `limiter` first.
#[derive(Clone)]
pub struct RateLimitLayer {
    limiter: Arc<SharedLimiter>,
}

impl RateLimitLayer {
    /// A layer consulting `limiter` (shared by every service the layer wraps).
    pub fn new(limiter: Arc<SharedLimiter>) -> Self {
        Self { limiter }
    }
}

impl<S> Layer<S> for RateLimitLayer {
    type Service = RateLimitService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RateLimitService {
            inner,
            limiter: Arc::clone(&self.limiter),
        }
    }
}

/// The service [`RateLimitLayer`] produces.
#[derive(Clone)]
pub struct RateLimitService<S> {
    inner: S,
    limiter: Arc<SharedLimiter>,
}

impl<S> Service<Request<Body>> for RateLimitService<S>
where
    S: Service<Request<Body>, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    // ANCHOR: layer_call
    fn call(&mut self, request: Request<Body>) -> Self::Future {
        // The clone that was polled ready goes into the future; a fresh clone stays behind.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let limiter = Arc::clone(&self.limiter);
        Box::pin(async move {
            let key = match client_key(&request) {
                Ok(key) => key,
                Err(problem) => return Ok((StatusCode::BAD_REQUEST, problem).into_response()),
            };
            let limit = limiter.rate().limit();
            match limiter.check(&key).await {
                Ok(decision @ Decision::Allowed { .. }) => {
                    let mut response = inner.call(request).await?;
                    response
                        .headers_mut()
                        .extend(rate_limit_headers(limit, &decision));
                    Ok(response)
                }
                Ok(decision @ Decision::Denied { .. }) => {
                    let headers = rate_limit_headers(limit, &decision);
                    Ok((
                        StatusCode::TOO_MANY_REQUESTS,
                        headers,
                        "rate limit exceeded\n",
                    )
                        .into_response())
                }
                // Fail open: a limiter outage should not become a full outage of the service.
                Err(error) => {
                    tracing::warn!(%error, "rate limiter unavailable; letting the request through");
                    inner.call(request).await
                }
            }
        })
    }
    // ANCHOR_END: layer_call
}

// ANCHOR: rate_limit_headers
/// The `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` fields of the IETF draft
/// "RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers, revisions up to -06,
/// <https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/>), plus `Retry-After`
/// (RFC 9110, section 10.2.3) on a denial. All times are whole seconds, rounded up: a client told
/// "0" would retry at once and be refused again.
///
/// Later revisions replace the three fields with structured `RateLimit` and `RateLimit-Policy`
/// fields; the three separate fields are what many gateways and client libraries understand
/// today, and the chapter discusses both.
pub fn rate_limit_headers(limit: u32, decision: &Decision) -> HeaderMap {
    let (remaining, reset_after) = match *decision {
        Decision::Allowed {
            remaining,
            reset_after,
        } => (remaining, reset_after),
        Decision::Denied { reset_after, .. } => (0, reset_after),
    };
    let mut headers = HeaderMap::new();
    headers.insert(RATELIMIT_LIMIT, HeaderValue::from(limit));
    headers.insert(RATELIMIT_REMAINING, HeaderValue::from(remaining));
    headers.insert(
        RATELIMIT_RESET,
        HeaderValue::from(whole_seconds(reset_after)),
    );
    if let Decision::Denied { retry_after, .. } = decision {
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from(whole_seconds(*retry_after)),
        );
    }
    headers
}
// ANCHOR_END: rate_limit_headers

/// `RateLimit-Limit`: the quota per period.
pub const RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
/// `RateLimit-Remaining`: requests left right now.
pub const RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
/// `RateLimit-Reset`: seconds until the full quota is back.
pub const RATELIMIT_RESET: HeaderName = HeaderName::from_static("ratelimit-reset");

/// Seconds, rounded up.
fn whole_seconds(duration: Duration) -> u64 {
    duration
        .as_nanos()
        .div_ceil(1_000_000_000)
        .try_into()
        .unwrap_or(u64::MAX)
}

/// The key a request is limited under: `id:<x-client-id>` if the header is present and
/// well-formed, else `ip:<peer address>`, else (no peer address known, as in a unit test driving
/// the router directly) the shared key `anonymous`.
///
/// A present but malformed header is an error (400), not a silent fallback: a client that
/// believes it is "alice" should learn that its header is broken.
///
/// # Errors
///
/// A message for the 400 response when the header is not 1–64 characters of `A–Z a–z 0–9 - _ .`.
pub fn client_key<B>(request: &Request<B>) -> Result<String, &'static str> {
    if let Some(value) = request.headers().get(CLIENT_ID_HEADER) {
        let id = value
            .to_str()
            .map_err(|_| "x-client-id must be visible ASCII\n")?;
        let well_formed = !id.is_empty()
            && id.len() <= MAX_CLIENT_ID_LEN
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        return if well_formed {
            Ok(format!("id:{id}"))
        } else {
            Err("x-client-id must be 1-64 characters of A-Z a-z 0-9 - _ .\n")
        };
    }
    Ok(
        match request.extensions().get::<ConnectInfo<SocketAddr>>() {
            Some(ConnectInfo(peer)) => format!("ip:{}", peer.ip()),
            None => "anonymous".to_owned(),
        },
    )
}
