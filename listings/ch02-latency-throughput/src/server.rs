//! A server with a real capacity: a fixed number of workers, each busy for a fixed service time
//! per request, and a FIFO queue in front of them.
//!
//! That is the textbook **M/D/c**-style queue (here with whatever arrivals the generator makes):
//! capacity is `workers / service_time` requests per second, and as the offered load approaches
//! it, requests spend longer in the queue than in service. [`QueueingServer::stall`] freezes every
//! worker at once, the way a stop-the-world GC pause, a VM migration or a `SIGSTOP` does, which
//! is what exposes coordinated omission.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::Error;
use crate::target::Target;

/// How many workers, and how long each request keeps one busy.
#[derive(Clone, Copy, Debug)]
pub struct ServerConfig {
    /// Requests served at the same time; more wait in the queue.
    pub workers: u32,
    /// How long one request occupies a worker.
    pub service_time: Duration,
}

impl Default for ServerConfig {
    /// 4 workers × 5 ms: a nominal capacity of 4 / 0.005 s = 800 requests per second.
    fn default() -> Self {
        Self {
            workers: 4,
            service_time: Duration::from_millis(5),
        }
    }
}

/// Counters the server keeps, to compute throughput and utilization from the server's side.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ServerStats {
    /// Requests completed.
    pub served: u64,
    /// Total time workers spent serving (sum over requests), which includes the timer's
    /// overshoot: a 5 ms sleep in tokio lasts 5 to 6 ms.
    pub busy: Duration,
}

impl ServerStats {
    /// The counters accumulated since `earlier`.
    pub fn since(self, earlier: ServerStats) -> ServerStats {
        ServerStats {
            served: self.served - earlier.served,
            busy: self.busy.saturating_sub(earlier.busy),
        }
    }

    /// The mean time a request held a worker.
    pub fn mean_service_time(self) -> Duration {
        if self.served == 0 {
            return Duration::ZERO;
        }
        self.busy / u32::try_from(self.served).unwrap_or(u32::MAX)
    }
}

/// The queueing server; cheap to clone (all clones share the same workers).
#[derive(Clone)]
pub struct QueueingServer {
    inner: Arc<Inner>,
}

struct Inner {
    config: ServerConfig,
    /// One permit per worker. tokio's semaphore is fair: waiters get permits in arrival order,
    /// so this is a FIFO queue in front of the workers.
    workers: Semaphore,
    served: AtomicU64,
    busy_nanos: AtomicU64,
}

impl QueueingServer {
    /// A server with `config.workers` idle workers.
    pub fn new(config: ServerConfig) -> Result<Self, Error> {
        if config.workers == 0 || config.workers > 10_000 {
            return Err(Error::Config(format!(
                "workers must be 1..=10000, got {}",
                config.workers
            )));
        }
        if config.service_time.is_zero() || config.service_time > Duration::from_secs(10) {
            return Err(Error::Config(format!(
                "service time must be above 0 and at most 10 s, got {:?}",
                config.service_time
            )));
        }
        let inner = Inner {
            config,
            workers: Semaphore::new(config.workers as usize),
            served: AtomicU64::new(0),
            busy_nanos: AtomicU64::new(0),
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// The capacity on paper: workers / service time, in requests per second.
    pub fn nominal_capacity(&self) -> f64 {
        f64::from(self.inner.config.workers) / self.inner.config.service_time.as_secs_f64()
    }

    // ANCHOR: serve_one
    /// Serve one request: wait in the queue for a worker, then hold it for the service time.
    pub async fn serve_one(&self) -> Result<(), Error> {
        let _worker = self
            .inner
            .workers
            .acquire()
            .await
            .map_err(|_| Error::Request("the server is shutting down".into()))?;
        let started = Instant::now();
        tokio::time::sleep(self.inner.config.service_time).await;
        let busy = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.inner.busy_nanos.fetch_add(busy, Ordering::Relaxed);
        self.inner.served.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Freeze the whole server for `pause`: take every worker (after the requests they are
    /// serving finish), hold them, then give them back. Requests arriving meanwhile queue.
    pub async fn stall(&self, pause: Duration) {
        let all = self.inner.config.workers;
        if let Ok(_every_worker) = self.inner.workers.acquire_many(all).await {
            tokio::time::sleep(pause).await;
        }
    }
    // ANCHOR_END: serve_one

    /// The counters so far.
    pub fn stats(&self) -> ServerStats {
        ServerStats {
            served: self.inner.served.load(Ordering::Relaxed),
            busy: Duration::from_nanos(self.inner.busy_nanos.load(Ordering::Relaxed)),
        }
    }
}

impl Target for QueueingServer {
    async fn call(&self) -> Result<(), Error> {
        self.serve_one().await
    }
}

// ANCHOR: http_app
/// The HTTP front door: `GET /` is one request to the queueing server.
pub fn app(server: QueueingServer) -> Router {
    Router::new().route("/", get(handle)).with_state(server)
}

async fn handle(State(server): State<QueueingServer>) -> Result<&'static str, StatusCode> {
    match server.serve_one().await {
        Ok(()) => Ok("ok\n"),
        Err(_) => Err(StatusCode::SERVICE_UNAVAILABLE),
    }
}
// ANCHOR_END: http_app

/// Serve `server` over HTTP on `listener`, in a background task, until the runtime stops.
/// Returns the address it listens on.
pub fn spawn_http(listener: TcpListener, server: QueueingServer) -> Result<SocketAddr, Error> {
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Config(format!("listener has no address: {e}")))?;
    tokio::spawn(async move {
        // Errors here end the accept loop; the generators then report failed requests.
        let _ = axum::serve(listener, app(server)).await;
    });
    Ok(addr)
}
