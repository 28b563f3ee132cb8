//! What one load-generator run measured.

use std::time::Duration;

use crate::histogram::LatencyHistogram;

/// The result of one run of a load generator.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// Requests the generator sent.
    pub sent: u64,
    /// Requests that got a `200 OK`; only these are in the histograms.
    pub completed: u64,
    /// Requests that failed.
    pub errors: u64,
    /// From the first send to the last response.
    pub elapsed: Duration,
    /// The latency of each completed request, as this generator measures it.
    pub latency: LatencyHistogram,
    /// The same latencies corrected for coordinated omission with
    /// [`LatencyHistogram::record_corrected`], when the generator had an intended send rate.
    pub corrected: Option<LatencyHistogram>,
}

impl RunReport {
    /// Completed requests per second.
    pub fn throughput(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs == 0.0 {
            0.0
        } else {
            self.completed as f64 / secs
        }
    }
}
