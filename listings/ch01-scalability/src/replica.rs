//! One replica: an axum app with a fixed capacity, its own listener, and its own counters.
//!
//! A replica stands in for one pod or VM. Its capacity is deliberately *modeled*: every
//! `GET /work` holds one of `concurrency` slots (tower's `ConcurrencyLimit`) for
//! `service_time`. One replica can therefore finish at most `concurrency / service_time`
//! requests per second, whatever the machine, and N replicas N times that. A real CPU-bound
//! handler on the 2-core machine that runs the demo would top out at 2 cores no matter how many
//! replicas share them; the model gives each replica the fixed slice of hardware a real replica
//! would have (see the chapter's "Build it").

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tower::limit::ConcurrencyLimitLayer;

use crate::{Error, SessionStore};

/// The response header that names the replica that served a request.
pub const REPLICA_HEADER: &str = "x-replica";

/// The longest session id a replica accepts (ids are opaque tokens, not documents).
pub const MAX_SESSION_ID: usize = 64;
/// The longest cart item, in bytes.
pub const MAX_ITEM: usize = 256;

/// What one replica can do: its concurrency slots and the time each request holds one.
#[derive(Clone, Copy, Debug)]
pub struct ReplicaConfig {
    /// Requests served at once; the rest wait in line.
    pub concurrency: usize,
    /// Time one `GET /work` holds a slot (the simulated work).
    pub service_time: Duration,
}

impl Default for ReplicaConfig {
    /// 4 slots × 20 ms: a capacity of 4 / 0.020 s = 200 requests per second.
    fn default() -> Self {
        ReplicaConfig {
            concurrency: 4,
            service_time: Duration::from_millis(20),
        }
    }
}

impl ReplicaConfig {
    /// Requests per second one replica completes when every slot is busy.
    pub fn capacity_per_sec(&self) -> f64 {
        self.concurrency as f64 / self.service_time.as_secs_f64()
    }
}

/// A replica's counters, read by the pool to measure utilization.
#[derive(Debug, Default)]
pub struct ReplicaStats {
    /// Total time spent inside `/work` by all slots, in nanoseconds (the "busy time").
    busy_nanos: AtomicU64,
    /// `/work` requests completed.
    served: AtomicU64,
    /// `/work` requests inside the concurrency limit right now.
    in_flight: AtomicUsize,
    /// The most `/work` requests ever inside the limit at once.
    peak_in_flight: AtomicUsize,
}

impl ReplicaStats {
    /// Total busy time so far.
    pub fn busy(&self) -> Duration {
        Duration::from_nanos(self.busy_nanos.load(Ordering::Relaxed))
    }

    /// `/work` requests completed so far.
    pub fn served(&self) -> u64 {
        self.served.load(Ordering::Relaxed)
    }

    /// The most requests ever served at once: never more than the configured concurrency.
    pub fn peak_in_flight(&self) -> usize {
        self.peak_in_flight.load(Ordering::Relaxed)
    }
}

#[derive(Clone)]
struct AppState {
    id: usize,
    config: ReplicaConfig,
    stats: Arc<ReplicaStats>,
    store: Arc<dyn SessionStore>,
}

// ANCHOR: replica_app
/// The replica's routes. Nothing a later request needs is kept in the replica itself: the cart
/// goes to `store`, and `/work` keeps only counters. Every response names the replica in the
/// `x-replica` header, so clients (and tests) can see who served them.
pub fn app(
    id: usize,
    config: ReplicaConfig,
    store: Arc<dyn SessionStore>,
) -> (Router, Arc<ReplicaStats>) {
    let stats = Arc::new(ReplicaStats::default());
    let state = AppState {
        id,
        config,
        stats: stats.clone(),
        store,
    };
    let work = Router::new()
        .route("/work", get(work))
        // The capacity model: at most `concurrency` requests inside `work` at once; the rest
        // wait here, in the replica's queue, as they would for a busy CPU.
        .route_layer(ConcurrencyLimitLayer::new(config.concurrency));
    let router = Router::new()
        .route("/cart/{session}", get(read_cart))
        .route("/cart/{session}/items", post(add_item))
        .merge(work)
        .with_state(state)
        .layer(axum::middleware::map_response(
            move |mut response: Response| async move {
                response
                    .headers_mut()
                    .insert(REPLICA_HEADER, HeaderValue::from(id));
                response
            },
        ));
    (router, stats)
}
// ANCHOR_END: replica_app

// ANCHOR: work
/// Simulated work: hold a slot for `service_time`, and count the time as busy.
async fn work(State(state): State<AppState>) -> String {
    let stats = &state.stats;
    let now_in = stats.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
    stats.peak_in_flight.fetch_max(now_in, Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(state.config.service_time).await;
    let busy = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
    stats.busy_nanos.fetch_add(busy, Ordering::Relaxed);
    stats.served.fetch_add(1, Ordering::Relaxed);
    stats.in_flight.fetch_sub(1, Ordering::Relaxed);
    format!("done by replica {}\n", state.id)
}
// ANCHOR_END: work

/// A cart as a replica returns it.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Cart {
    /// The replica that answered.
    pub replica: usize,
    /// The items, oldest first.
    pub items: Vec<String>,
}

async fn read_cart(State(state): State<AppState>, Path(session): Path<String>) -> Response {
    if let Err(why) = check_session_id(&session) {
        return (StatusCode::BAD_REQUEST, why).into_response();
    }
    match state.store.items(&session).await {
        Ok(items) => Json(Cart {
            replica: state.id,
            items,
        })
        .into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    }
}

async fn add_item(
    State(state): State<AppState>,
    Path(session): Path<String>,
    item: String,
) -> Response {
    if let Err(why) = check_session_id(&session) {
        return (StatusCode::BAD_REQUEST, why).into_response();
    }
    let item = item.trim();
    if item.is_empty() || item.len() > MAX_ITEM {
        let why = format!("the body must be a cart item of 1 to {MAX_ITEM} bytes");
        return (StatusCode::BAD_REQUEST, why).into_response();
    }
    match state.store.add_item(&session, item).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    }
}

/// Session ids are 1 to 64 characters of `[A-Za-z0-9_-]`: they become part of a Redis key, so
/// anything else is refused with a 400 rather than stored.
fn check_session_id(session: &str) -> Result<(), String> {
    let ok = !session.is_empty()
        && session.len() <= MAX_SESSION_ID
        && session
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "session id must be 1 to {MAX_SESSION_ID} characters of A-Z, a-z, 0-9, '-' and '_'"
        ))
    }
}

/// A replica running as its own tokio task on its own socket.
pub struct Replica {
    id: usize,
    addr: SocketAddr,
    stats: Arc<ReplicaStats>,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Replica {
    // ANCHOR: replica_start
    /// Bind `127.0.0.1:0` (the OS picks a free port) and serve the replica's app on it.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`] if no socket is available.
    pub async fn start(
        id: usize,
        config: ReplicaConfig,
        store: Arc<dyn SessionStore>,
    ) -> Result<Self, Error> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (router, stats) = app(id, config, store);
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    // A dropped sender also means "stop".
                    let _ = stop.await;
                })
                .await
        });
        Ok(Replica {
            id,
            addr,
            stats,
            shutdown,
            task,
        })
    }
    // ANCHOR_END: replica_start

    /// The replica's number, unique within its pool.
    pub fn id(&self) -> usize {
        self.id
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its counters.
    pub fn stats(&self) -> &Arc<ReplicaStats> {
        &self.stats
    }

    /// Stop accepting connections, let requests in flight finish, then return.
    ///
    /// Take the replica out of the load balancer *before* calling this (the pool does), or new
    /// requests keep arriving at a replica that is leaving: connection draining, in miniature.
    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        // The task's own I/O error at this point has nowhere useful to go: the replica is gone.
        let _ = self.task.await;
    }
}
