//! The demo's own timing loop: run each contestant several times, in turn, and keep the medians.
//!
//! A median ignores the one run that a context switch or a page fault slowed down; every figure
//! the demo prints is then a ratio against the no-index baseline measured in the same process,
//! so the machine's absolute speed cancels out.

use std::time::{Duration, Instant};

/// The median time of each of `n` contestants over `runs` rounds, where each round times
/// `f(0)`, `f(1)`, ... `f(n - 1)` once, in turn, after one warm-up round.
///
/// Interleaving matters on a shared machine: a burst of background load then slows every
/// contestant a little instead of one contestant a lot, so the ratios stay honest.
pub fn interleaved_medians(runs: usize, n: usize, mut f: impl FnMut(usize)) -> Vec<Duration> {
    (0..n).for_each(&mut f);
    let mut times = vec![Vec::with_capacity(runs); n];
    for _ in 0..runs.max(1) {
        for (i, slot) in times.iter_mut().enumerate() {
            let start = Instant::now();
            f(i);
            slot.push(start.elapsed());
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort_unstable();
            t[t.len() / 2]
        })
        .collect()
}

/// `baseline / measured`, formatted as a speed-up such as `"25.3x"`.
pub fn speedup(baseline: Duration, measured: Duration) -> String {
    format!(
        "{:.1}x",
        baseline.as_secs_f64() / measured.as_secs_f64().max(1e-12)
    )
}

/// A duration in microseconds with one decimal, e.g. `"12.5 µs"`.
pub fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}
