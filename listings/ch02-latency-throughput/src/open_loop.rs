//! The open-loop generator: requests leave on a fixed schedule, whatever the server does, and
//! each latency is measured from the time the request was *supposed* to leave. This is how real
//! users behave (they do not wait for each other), and how `wrk2` measures.

use std::time::Duration;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::Error;
use crate::histogram::LatencyHistogram;
use crate::report::RunReport;
use crate::target::Target;

/// A constant `rate` of requests per second for `duration`.
#[derive(Clone, Copy, Debug)]
pub struct OpenLoop {
    /// Requests per second, offered whatever the responses do.
    pub rate: f64,
    /// How long to keep sending; the run then waits for every response.
    pub duration: Duration,
    /// How the sends are spaced within that rate.
    pub arrivals: Arrivals,
}

/// How an open-loop schedule spaces its requests. Either way the schedule is fixed before the
/// run starts and never waits for a response.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Arrivals {
    /// Exactly 1 / rate apart: a metronome, easy to reason about.
    Uniform,
    /// Independent arrivals (exponential gaps with mean 1 / rate), the way many independent
    /// users arrive; the bursts they make are what builds queues below 100 % load. Seeded, so
    /// a run can be replayed.
    Poisson {
        /// The random generator's seed.
        seed: u64,
    },
}

impl Arrivals {
    /// The intended send times, as offsets from the start, for `rate` over `duration`.
    pub fn schedule(self, rate: f64, duration: Duration) -> Vec<Duration> {
        let mean_gap = 1.0 / rate;
        match self {
            Arrivals::Uniform => {
                let count = (rate * duration.as_secs_f64()).round() as u64;
                (0..count)
                    .map(|i| Duration::from_secs_f64(i as f64 * mean_gap))
                    .collect()
            }
            Arrivals::Poisson { seed } => {
                let mut rng = SmallRng::seed_from_u64(seed);
                let mut at = 0.0;
                let mut times = Vec::new();
                while at < duration.as_secs_f64() {
                    times.push(Duration::from_secs_f64(at));
                    // Inverse transform: −ln(U) / rate is exponential with mean 1 / rate.
                    let u: f64 = rng.random_range(f64::EPSILON..1.0);
                    at += -u.ln() * mean_gap;
                }
                times
            }
        }
    }
}

impl OpenLoop {
    // ANCHOR: open_loop_run
    /// Send every request of the schedule at its intended time, each in its own task.
    pub async fn run<T: Target>(&self, target: T) -> Result<RunReport, Error> {
        if !(self.rate.is_finite() && self.rate > 0.0 && self.rate <= 1e6) {
            return Err(Error::Config(format!(
                "rate must be above 0 and at most 1,000,000 req/s, got {}",
                self.rate
            )));
        }
        let schedule = self.arrivals.schedule(self.rate, self.duration);
        let mut report = empty_report();
        let mut in_flight = JoinSet::new();
        let start = Instant::now();
        for offset in schedule {
            let intended = start + offset;
            tokio::time::sleep_until(intended).await;
            let target = target.clone();
            in_flight.spawn(async move {
                let result = target.call().await;
                // From the intended send time, not from when the task got to run: if the
                // generator (or the server) fell behind, that delay is part of the latency.
                (result, intended.elapsed())
            });
            report.sent += 1;
            while let Some(done) = in_flight.try_join_next() {
                record(&mut report, done)?;
            }
        }
        while let Some(done) = in_flight.join_next().await {
            record(&mut report, done)?;
        }
        report.elapsed = start.elapsed();
        Ok(report)
    }
    // ANCHOR_END: open_loop_run
}

fn empty_report() -> RunReport {
    RunReport {
        sent: 0,
        completed: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latency: LatencyHistogram::new(),
        corrected: None,
    }
}

type Joined = Result<(Result<(), Error>, Duration), tokio::task::JoinError>;

fn record(report: &mut RunReport, done: Joined) -> Result<(), Error> {
    let (result, latency) =
        done.map_err(|e| Error::Request(format!("request task failed: {e}")))?;
    match result {
        Ok(()) => {
            report.completed += 1;
            report.latency.record(latency);
        }
        Err(_) => report.errors += 1,
    }
    Ok(())
}
