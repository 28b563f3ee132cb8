//! Chapter 2 demo: one queueing server over HTTP, measured three ways. (a) Its capacity, by our
//! closed-loop generator and by `wrk` side by side; (b) coordinated omission: a stall that the
//! closed-loop generator hides and the open-loop one reports; (c) the latency knee: an
//! open-loop sweep of offered load, with Little's law checked on every step.
//!
//! `cargo run -p ch02-latency-throughput` runs all three and exits in about 15 seconds.

use std::time::Duration;

use anyhow::Context as _;
use ch02_latency_throughput::queueing::{littles_law, utilization};
use ch02_latency_throughput::{
    Arrivals, ClosedLoop, HttpTarget, OpenLoop, QueueingServer, RunReport, ServerConfig, server,
    wrk,
};
use clap::Parser;
use tokio::net::TcpListener;

#[derive(Parser)]
#[command(about = "Chapter 2: latency and throughput. Runs the experiments and exits.")]
struct Cli {
    /// Workers in the server (requests served at once).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    workers: u32,
    /// Service time of one request, in milliseconds.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=100))]
    service_ms: u64,
    /// How long the server freezes in experiment (b), in milliseconds.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(10..=1000))]
    stall_ms: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = ServerConfig {
        workers: cli.workers,
        service_time: Duration::from_millis(cli.service_ms),
    };
    let queueing = QueueingServer::new(config)?;
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("cannot listen on 127.0.0.1")?;
    let addr = server::spawn_http(listener, queueing.clone())?;
    let url = format!("http://{addr}/");
    let target = HttpTarget::new(&url)?;

    // Warm up: open connections, fault in code paths. Not measured.
    ClosedLoop {
        connections: 2 * cli.workers,
        duration: Duration::from_millis(300),
        rate: None,
    }
    .run(target.clone())
    .await?;

    println!(
        "server: {} workers x {} ms service time, FIFO queue, HTTP/1.1 on loopback",
        cli.workers, cli.service_ms
    );
    println!(
        "nominal capacity: {} workers / {} ms = {:.0} req/s\n",
        cli.workers,
        cli.service_ms,
        queueing.nominal_capacity()
    );

    let capacity = capacity_with_wrk(&queueing, &target, &url, cli.workers).await?;
    coordinated_omission(
        &queueing,
        &target,
        capacity,
        cli.workers,
        Duration::from_millis(cli.stall_ms),
    )
    .await?;
    latency_knee(&queueing, &target, capacity, cli.workers).await?;
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// (a) Saturate the server with 4 × workers connections, from our closed loop and from wrk.
async fn capacity_with_wrk(
    queueing: &QueueingServer,
    target: &HttpTarget,
    url: &str,
    workers: u32,
) -> anyhow::Result<f64> {
    let connections = 4 * workers;
    let seconds = 2;
    println!(
        "== (a) Capacity: closed loop, {connections} connections, {seconds} s, ours and wrk =="
    );
    let before = queueing.stats();
    let ours = ClosedLoop {
        connections,
        duration: Duration::from_secs(seconds.into()),
        rate: None,
    }
    .run(target.clone())
    .await?;
    let served = queueing.stats().since(before);
    let rho = utilization(served.busy, workers, ours.elapsed);
    let s = ours.latency.summary();
    println!(
        "{:<22} {:>11} {:>11} {:>11} {:>11}",
        "generator", "throughput", "P50", "P99", "max"
    );
    println!(
        "{:<22} {:>7.0} r/s {:>11} {:>11} {:>11}",
        "ours (closed loop)",
        ours.throughput(),
        ms(s.p50),
        ms(s.p99),
        ms(s.max)
    );
    match wrk::find_on_path() {
        None => println!(
            "{:<22} skipped: wrk is not on PATH (Debian: apt-get install wrk)",
            "wrk"
        ),
        Some(path) => {
            let url = url.to_owned();
            let w =
                tokio::task::spawn_blocking(move || wrk::run(&path, &url, connections, seconds))
                    .await??;
            println!(
                "{:<22} {:>7.0} r/s {:>11} {:>11} {:>11}",
                "wrk -t1",
                w.requests_per_sec,
                ms(w.p50),
                ms(w.p99),
                ms(w.max)
            );
            println!(
                "{:<22} {:>9.2} x {:>9.2} x {:>9.2} x",
                "ours / wrk",
                ours.throughput() / w.requests_per_sec,
                s.p50.as_secs_f64() / w.p50.as_secs_f64(),
                s.p99.as_secs_f64() / w.p99.as_secs_f64()
            );
        }
    }
    println!(
        "server side: mean service time {}, utilization {:.1} %",
        ms(served.mean_service_time()),
        rho * 100.0
    );
    println!(
        "Conclusion: the server's measured capacity is {:.0} req/s; with {connections} clients and {workers} workers \
         each request also waits for about {} others, so P50 is near {} x the service time.\n",
        ours.throughput(),
        connections / workers - 1,
        connections / workers
    );
    Ok(ours.throughput())
}

/// (b) The same offered load and the same stall, measured closed-loop and open-loop.
async fn coordinated_omission(
    queueing: &QueueingServer,
    target: &HttpTarget,
    capacity: f64,
    workers: u32,
    stall: Duration,
) -> anyhow::Result<()> {
    let rate = (capacity * 0.5).round();
    let duration = Duration::from_secs(2);
    let stall_at = Duration::from_millis(600);
    println!(
        "== (b) Coordinated omission: {rate:.0} req/s (50 % of capacity) for {} s, server stalls {} at {} ==",
        duration.as_secs(),
        ms(stall),
        ms(stall_at)
    );
    // ANCHOR: experiment_stall
    let closed = ClosedLoop {
        connections: workers,
        duration,
        rate: Some(rate),
    };
    let stalled = stall_after(queueing, stall_at, stall);
    let (closed, ()) = tokio::join!(closed.run(target.clone()), stalled);
    let closed = closed?;
    let open = OpenLoop {
        rate,
        duration,
        arrivals: Arrivals::Uniform,
    };
    let (open, ()) = tokio::join!(
        open.run(target.clone()),
        stall_after(queueing, stall_at, stall)
    );
    let open = open?;
    // ANCHOR_END: experiment_stall

    println!(
        "{:<28} {:>9} {:>10} {:>10} {:>10} {:>10}",
        "generator", "sent", "P50", "P99", "P99.9", "max"
    );
    let row = |name: &str, sent: u64, h: &ch02_latency_throughput::LatencyHistogram| {
        let s = h.summary();
        println!(
            "{:<28} {:>5} req {:>10} {:>10} {:>10} {:>10}",
            name,
            sent,
            ms(s.p50),
            ms(s.p99),
            ms(s.p999),
            ms(s.max)
        );
    };
    row(
        &format!("closed loop, {workers} conns, paced"),
        closed.sent,
        &closed.latency,
    );
    if let Some(corrected) = &closed.corrected {
        row("  same, record_correct", corrected.len(), corrected);
    }
    row("open loop, from intended", open.sent, &open.latency);
    let (c99, o99) = (closed.latency.summary().p99, open.latency.summary().p99);
    println!(
        "Conclusion: with the same server, load and stall, the open loop's P99 is {} and the closed loop's {} \
         ({:.0}x lower); the closed loop also sent {} fewer requests, the ones it omitted.\n",
        ms(o99),
        ms(c99),
        o99.as_secs_f64() / c99.as_secs_f64(),
        open.sent.saturating_sub(closed.sent)
    );
    Ok(())
}

/// Wait `after`, then freeze every worker of the server for `pause`.
async fn stall_after(queueing: &QueueingServer, after: Duration, pause: Duration) {
    tokio::time::sleep(after).await;
    queueing.stall(pause).await;
}

/// (c) Open-loop sweep from 50 % to 110 % of the measured capacity, 1 s per step.
async fn latency_knee(
    queueing: &QueueingServer,
    target: &HttpTarget,
    capacity: f64,
    workers: u32,
) -> anyhow::Result<()> {
    println!(
        "== (c) The latency knee: open loop, Poisson arrivals, 1 s per step, capacity {capacity:.0} req/s from (a) =="
    );
    println!(
        "{:>8} {:>9} {:>9} {:>6} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7}",
        "load", "offered", "achieved", "rho", "P50", "P99", "P99.9", "mean W", "L=λW", "L-ρc"
    );
    let mut rows: Vec<(f64, RunReport, f64)> = Vec::new();
    for load in [0.5, 0.7, 0.8, 0.9, 0.95, 1.1] {
        let rate = (capacity * load).round();
        let before = queueing.stats();
        let arrivals = Arrivals::Poisson { seed: 2 };
        let run = OpenLoop {
            rate,
            duration: Duration::from_secs(1),
            arrivals,
        }
        .run(target.clone())
        .await?;
        let rho = utilization(queueing.stats().since(before).busy, workers, run.elapsed);
        let s = run.latency.summary();
        let in_system = littles_law(run.throughput(), s.mean);
        println!(
            "{:>6.0} % {:>5.0} r/s {:>5.0} r/s {:>6.2} {:>9} {:>9} {:>9} {:>9} {:>7.2} {:>7.2}",
            load * 100.0,
            rate,
            run.throughput(),
            rho,
            ms(s.p50),
            ms(s.p99),
            ms(s.p999),
            ms(s.mean),
            in_system,
            in_system - rho * f64::from(workers)
        );
        rows.push((load, run, rho));
    }
    if let Some((_, run, rho)) = rows.iter().find(|(load, _, _)| *load == 0.9) {
        let (lambda, w) = (run.throughput(), run.latency.summary().mean);
        let l = littles_law(lambda, w);
        println!(
            "Little's law at 90 %: L = λ x W = {lambda:.0} req/s x {:.4} s = {l:.2} requests in the system; \
             ρ x c = {rho:.2} x {workers} = {:.2} in service, so {:.2} waiting in the queue or in transit.",
            w.as_secs_f64(),
            rho * f64::from(workers),
            l - rho * f64::from(workers)
        );
    }
    let at = |wanted: f64| {
        rows.iter()
            .find(|(l, _, _)| *l == wanted)
            .map(|(_, r, _)| (r.latency.summary(), r.throughput()))
    };
    if let (Some((low, _)), Some((near, _)), Some((over, over_tput))) = (at(0.5), at(0.95), at(1.1))
    {
        println!(
            "Conclusion: mean latency {} at 50 % load, {} at 95 % ({:.1}x), {} at 110 % ({:.1}x); \
             offered 110 %, the server still completed only {over_tput:.0} req/s and the queue grew for the whole step.",
            ms(low.mean),
            ms(near.mean),
            near.mean.as_secs_f64() / low.mean.as_secs_f64(),
            ms(over.mean),
            over.mean.as_secs_f64() / low.mean.as_secs_f64()
        );
    }
    Ok(())
}
