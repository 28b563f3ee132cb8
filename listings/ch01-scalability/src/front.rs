//! The front: a small L7 load balancer that spreads requests round-robin over the replicas.
//!
//! It plays the part of an NGINX, Envoy or cloud load balancer in front of a horizontally
//! scaled service. The replica list is shared with the [`ReplicaPool`](crate::ReplicaPool),
//! which adds a replica's address when it is ready and removes it *before* stopping it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use parking_lot::RwLock;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::Error;

// ANCHOR: round_robin
/// The current replica addresses and a counter that walks through them.
///
/// Round-robin needs no knowledge of the replicas' load, which is why it only works well when
/// every replica is interchangeable: same capacity, and, above all, no state that ties a client
/// to one of them.
#[derive(Default)]
pub struct RoundRobin {
    backends: RwLock<Vec<SocketAddr>>,
    next: AtomicUsize,
}

impl RoundRobin {
    /// The address for the next request, or `None` when there is no replica.
    pub fn pick(&self) -> Option<SocketAddr> {
        let backends = self.backends.read();
        if backends.is_empty() {
            return None;
        }
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        Some(backends[n % backends.len()])
    }

    /// Start sending requests to `addr`.
    pub fn add(&self, addr: SocketAddr) {
        self.backends.write().push(addr);
    }

    /// Stop sending requests to `addr` (requests already sent finish normally).
    pub fn remove(&self, addr: SocketAddr) {
        self.backends.write().retain(|a| *a != addr);
    }

    /// How many replicas receive traffic.
    pub fn len(&self) -> usize {
        self.backends.read().len()
    }

    /// Whether no replica receives traffic.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
// ANCHOR_END: round_robin

#[derive(Clone)]
struct Front {
    backends: Arc<RoundRobin>,
    client: Client<HttpConnector, Body>,
}

// ANCHOR: forward
/// Forward one request to the next replica and stream its response back.
///
/// The client keeps a pool of keep-alive connections per replica, so a request usually costs
/// no new TCP handshake. No replica: 503. A replica that fails mid-request: 502.
async fn forward(State(front): State<Front>, mut request: Request) -> Response {
    let Some(backend) = front.backends.pick() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "no replica is running\n").into_response();
    };
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let uri = match Uri::try_from(format!("http://{backend}{path}")) {
        Ok(uri) => uri,
        Err(_) => return (StatusCode::BAD_REQUEST, "malformed request target\n").into_response(),
    };
    *request.uri_mut() = uri;
    match front.client.request(request).await {
        Ok(response) => response.map(Body::new),
        Err(e) => (
            StatusCode::BAD_GATEWAY,
            format!("replica {backend} failed: {e}\n"),
        )
            .into_response(),
    }
}
// ANCHOR_END: forward

/// The front's app: every path is forwarded.
pub fn app(backends: Arc<RoundRobin>) -> Router {
    let client = Client::builder(TokioExecutor::new()).build_http();
    Router::new()
        .fallback(forward)
        .with_state(Front { backends, client })
}

/// A running front, on its own socket.
pub struct FrontServer {
    addr: SocketAddr,
    task: JoinHandle<std::io::Result<()>>,
}

impl FrontServer {
    /// Serve the front for `backends` on `127.0.0.1:0`.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`] if no socket is available.
    pub async fn start(backends: Arc<RoundRobin>) -> Result<Self, Error> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move { axum::serve(listener, app(backends)).await });
        Ok(FrontServer { addr, task })
    }

    /// Where clients send requests.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://addr`, for building URLs.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for FrontServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
