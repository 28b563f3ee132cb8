//! The two laws that connect throughput, latency and concurrency.

use std::time::Duration;

// ANCHOR: littles_law
/// **Little's law**, L = λ × W: the mean number of requests in the system equals the throughput
/// (requests per second) times the mean time each spends in it (seconds).
///
/// It holds for any stable system, whatever the arrival pattern or service-time distribution,
/// which is why it is the one formula worth memorizing. It needs the *mean* latency: P99 × λ
/// means nothing.
pub fn littles_law(throughput_per_sec: f64, mean_latency: Duration) -> f64 {
    throughput_per_sec * mean_latency.as_secs_f64()
}

/// **Utilization** ρ: the fraction of the workers' time spent serving, `busy / (workers × elapsed)`.
/// At ρ = 1 the server is at capacity; queueing delay grows without bound as ρ approaches 1.
pub fn utilization(busy: Duration, workers: u32, elapsed: Duration) -> f64 {
    let available = elapsed.as_secs_f64() * f64::from(workers);
    if available == 0.0 {
        0.0
    } else {
        busy.as_secs_f64() / available
    }
}
// ANCHOR_END: littles_law
