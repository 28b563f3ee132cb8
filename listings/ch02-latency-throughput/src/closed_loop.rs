//! The closed-loop generator: N workers, each sends its next request only when the previous one
//! has returned. This is how `wrk`, `ab`, JMeter threads, and most hand-written benchmarks work.

use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::Error;
use crate::histogram::LatencyHistogram;
use crate::report::RunReport;
use crate::target::Target;

/// N concurrent workers for `duration`, optionally paced to a total `rate`.
#[derive(Clone, Copy, Debug)]
pub struct ClosedLoop {
    /// Workers (connections), each with at most one request in flight.
    pub connections: u32,
    /// How long to keep sending.
    pub duration: Duration,
    /// `None`: send as fast as responses come back (like `wrk`). `Some(r)`: each worker aims at
    /// r / connections requests per second, but still never has two in flight.
    pub rate: Option<f64>,
}

impl ClosedLoop {
    /// Run against `target` and merge every worker's histogram.
    pub async fn run<T: Target>(&self, target: T) -> Result<RunReport, Error> {
        if self.connections == 0 {
            return Err(Error::Config(
                "closed loop needs at least 1 connection".into(),
            ));
        }
        let interval = match self.rate {
            Some(rate) if rate.is_finite() && rate > 0.0 => {
                Some(Duration::from_secs_f64(f64::from(self.connections) / rate))
            }
            Some(rate) => {
                return Err(Error::Config(format!("rate must be above 0, got {rate}")));
            }
            None => None,
        };
        let start = Instant::now();
        let deadline = start + self.duration;
        let mut workers = JoinSet::new();
        for _ in 0..self.connections {
            workers.spawn(worker(target.clone(), deadline, interval));
        }
        let mut report = RunReport {
            sent: 0,
            completed: 0,
            errors: 0,
            elapsed: Duration::ZERO,
            latency: LatencyHistogram::new(),
            corrected: interval.map(|_| LatencyHistogram::new()),
        };
        while let Some(joined) = workers.join_next().await {
            let w = joined.map_err(|e| Error::Request(format!("worker task failed: {e}")))?;
            report.sent += w.sent;
            report.completed += w.completed;
            report.errors += w.errors;
            report.latency.merge(&w.latency);
            if let Some(all) = report.corrected.as_mut() {
                all.merge(&w.corrected);
            }
        }
        report.elapsed = start.elapsed();
        Ok(report)
    }
}

struct WorkerResult {
    sent: u64,
    completed: u64,
    errors: u64,
    latency: LatencyHistogram,
    corrected: LatencyHistogram,
}

// ANCHOR: closed_worker
async fn worker<T: Target>(
    target: T,
    deadline: Instant,
    interval: Option<Duration>,
) -> WorkerResult {
    let mut w = WorkerResult {
        sent: 0,
        completed: 0,
        errors: 0,
        latency: LatencyHistogram::new(),
        corrected: LatencyHistogram::new(),
    };
    let mut next_send = Instant::now();
    while next_send < deadline {
        tokio::time::sleep_until(next_send).await;
        let sent_at = Instant::now();
        w.sent += 1;
        let result = target.call().await;
        // The clock starts when the request actually left: the time it spent waiting for the
        // previous response to come back is invisible here. That is coordinated omission.
        let latency = sent_at.elapsed();
        match result {
            Ok(()) => {
                w.completed += 1;
                w.latency.record(latency);
                if let Some(interval) = interval {
                    w.corrected.record_corrected(latency, interval);
                }
            }
            Err(_) => w.errors += 1,
        }
        next_send = match interval {
            // Paced: the next slot, or now if we are already late. When late, the requests we
            // should have sent meanwhile are never sent, so they are never measured.
            Some(interval) => (next_send + interval).max(Instant::now()),
            None => Instant::now(),
        };
    }
    w
}
// ANCHOR_END: closed_worker
