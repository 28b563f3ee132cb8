//! The load generator the demo drives the front with: closed loop (a fixed number of clients,
//! each sending its next request when the last one answers) and open loop (requests at a fixed
//! rate, whether or not earlier ones have answered).
//!
//! A closed loop measures *capacity*: with enough clients it keeps every slot busy, so its
//! throughput is what the service can do. An open loop models *users*, who do not wait for
//! each other: when it offers more than the capacity, the queue, and the latency, grow.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::Empty;
use hyper::Uri;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use parking_lot::Mutex;
use tokio::task::JoinSet;
use tokio::time::{Instant, MissedTickBehavior};

/// The HTTP client the generator uses.
pub type HttpClient = Client<HttpConnector, Empty<Bytes>>;

/// A keep-alive HTTP/1 client.
pub fn http_client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

/// What one run of the generator measured.
#[derive(Clone, Debug, Default)]
pub struct LoadReport {
    /// Requests answered with 2xx.
    pub ok: u64,
    /// Requests that failed or got another status.
    pub errors: u64,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Latency of every 2xx request, sorted.
    pub latencies: Vec<Duration>,
}

impl LoadReport {
    /// Successful requests per second.
    pub fn throughput(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.ok as f64 / secs
        } else {
            0.0
        }
    }

    /// The `q`-quantile (0.0 to 1.0) of the latencies, nearest rank; zero if none.
    pub fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = (q.clamp(0.0, 1.0) * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1]
    }

    fn record(&mut self, result: Option<Duration>) {
        match result {
            Some(latency) => {
                self.ok += 1;
                self.latencies.push(latency);
            }
            None => self.errors += 1,
        }
    }
}

/// One GET; its latency if the answer was 2xx.
async fn one_request(client: &HttpClient, uri: Uri) -> Option<Duration> {
    let started = Instant::now();
    let response = client.get(uri).await.ok()?;
    response.status().is_success().then(|| started.elapsed())
}

// ANCHOR: closed_loop
/// `clients` concurrent clients, each sending GET `uri` back to back for `duration`.
pub async fn closed_loop(
    client: &HttpClient,
    uri: Uri,
    clients: usize,
    duration: Duration,
) -> LoadReport {
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = JoinSet::new();
    for _ in 0..clients {
        let (client, uri) = (client.clone(), uri.clone());
        tasks.spawn(async move {
            let mut report = LoadReport::default();
            while Instant::now() < deadline {
                report.record(one_request(&client, uri.clone()).await);
            }
            report
        });
    }
    let mut total = LoadReport::default();
    while let Some(joined) = tasks.join_next().await {
        if let Ok(report) = joined {
            total.ok += report.ok;
            total.errors += report.errors;
            total.latencies.extend(report.latencies);
        }
    }
    total.elapsed = started.elapsed();
    total.latencies.sort_unstable();
    total
}
// ANCHOR_END: closed_loop

/// One stretch of an open-loop schedule: `rate` requests per second for `duration`.
#[derive(Clone, Copy, Debug)]
pub struct Phase {
    /// Requests per second offered.
    pub rate: f64,
    /// How long.
    pub duration: Duration,
}

/// The rate the schedule offers `elapsed` after its start (0 after its end).
pub fn rate_at(phases: &[Phase], elapsed: Duration) -> f64 {
    let mut start = Duration::ZERO;
    for phase in phases {
        if elapsed < start + phase.duration {
            return phase.rate;
        }
        start += phase.duration;
    }
    0.0
}

/// GET `uri` at the rates of `phases`, one request every 1 / rate seconds, never waiting for
/// answers; then wait for the stragglers. Latencies include time queued in the replicas.
pub async fn open_loop(client: &HttpClient, uri: Uri, phases: &[Phase]) -> LoadReport {
    let started = Instant::now();
    let report = Arc::new(Mutex::new(LoadReport::default()));
    let mut tasks = JoinSet::new();
    for phase in phases.iter().filter(|p| p.rate > 0.0) {
        let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / phase.rate));
        ticks.set_missed_tick_behavior(MissedTickBehavior::Burst);
        let phase_end = Instant::now() + phase.duration;
        while ticks.tick().await < phase_end {
            let (client, uri, report) = (client.clone(), uri.clone(), report.clone());
            tasks.spawn(async move {
                let result = one_request(&client, uri).await;
                report.lock().record(result);
            });
        }
    }
    while tasks.join_next().await.is_some() {}
    let mut total = std::mem::take(&mut *report.lock());
    total.elapsed = started.elapsed();
    total.latencies.sort_unstable();
    total
}
