//! Chapter 20 demo: six rate-limiting algorithms on the same traffic, a rate-limited axum server
//! hit over real HTTP, and two replicas sharing (or not sharing) one limit.
//!
//! `cargo run -p ch20-rate-limiting` runs the experiments and exits;
//! `cargo run -p ch20-rate-limiting -- serve --addr 127.0.0.1:3000` serves until Ctrl-C.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use ch20_rate_limiting::layer::{
    CLIENT_ID_HEADER, RATELIMIT_LIMIT, RATELIMIT_REMAINING, RATELIMIT_RESET,
};
use ch20_rate_limiting::limiter::max_in_any_window;
use ch20_rate_limiting::{Algorithm, MonotonicClock, Rate, RedisLimiter, SharedLimiter, server};
use clap::{Parser, Subcommand};
use http_body_util::Empty;
use hyper::body::Bytes;
use hyper::{HeaderMap, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::net::TcpListener;

#[derive(Parser)]
#[command(about = "Chapter 20: rate limiting. Without a subcommand, runs the experiments.")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the rate-limited demo app until Ctrl-C (Redis-backed if REDIS_URL is set).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
    },
}

type HttpClient = Client<HttpConnector, Empty<Bytes>>;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Some(Command::Serve { addr }) => serve(addr).await,
        None => run_experiments().await,
    }
}

async fn serve(addr: SocketAddr) -> anyhow::Result<()> {
    let rate = Rate::new(5, Duration::from_secs(10))?;
    let limiter =
        SharedLimiter::from_env(rate, "ch20:serve", Arc::new(MonotonicClock::new())).await?;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}; is the port in use?"))?;
    println!(
        "serving on http://{} ({} limiter, 5 requests per 10 s per client); Ctrl-C stops",
        listener.local_addr()?,
        limiter.backend_name()
    );
    let shutdown = async {
        // If installing the handler fails, run until killed rather than exit at once.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    server::serve(listener, server::app(Arc::new(limiter)), shutdown).await?;
    Ok(())
}

// ANCHOR: demo_experiments
async fn run_experiments() -> anyhow::Result<()> {
    same_traffic_through_six_algorithms()?;
    let client: HttpClient = Client::builder(TokioExecutor::new()).build_http();
    http_server_with_two_clients(&client).await?;
    two_replicas(&client).await?;
    Ok(())
}
// ANCHOR_END: demo_experiments

/// (a) One arrival sequence, six algorithms: what each admits, and the most it admits in any
/// one-second window.
fn same_traffic_through_six_algorithms() -> anyhow::Result<()> {
    let rate = Rate::new(10, Duration::from_secs(1))?.with_burst(5)?;
    let ms = Duration::from_millis;
    // 10 requests in 0.950–0.995 s, 10 in 1.000–1.045 s (straddling the window boundary at
    // 1 s), then a steady 20 req/s (twice the limit) from 2 s to 4 s.
    let arrivals: Vec<Duration> = (0..20)
        .map(|i| ms(950 + 5 * i))
        .chain((0..40).map(|i| ms(2_000 + 50 * i)))
        .collect();
    let boundary = (ms(950), ms(1_050));

    println!("== (a) Six algorithms, same traffic ==");
    println!(
        "limit 10 req per 1 s (buckets: burst 5); {} requests: 20 within 0.95-1.05 s across the \
         1 s boundary, then 20 req/s for 2 s",
        arrivals.len()
    );
    println!(
        "{:<24} {:>8} {:>9} {:>18} {:>17} {:>8}",
        "algorithm", "offered", "admitted", "at 0.95-1.05 s", "max in any 1 s", "bound"
    );
    let mut fixed_burst = 0;
    for algorithm in Algorithm::ALL {
        let mut limiter = algorithm.build(rate);
        let admitted: Vec<Duration> = arrivals
            .iter()
            .copied()
            .filter(|&t| limiter.check(t).is_allowed())
            .collect();
        let in_burst = admitted
            .iter()
            .filter(|&&t| t >= boundary.0 && t < boundary.1)
            .count();
        if algorithm == Algorithm::FixedWindow {
            fixed_burst = in_burst;
        }
        println!(
            "{:<24} {:>4} req {:>5} req {:>14} req {:>13} req {:>4} req",
            algorithm.to_string(),
            arrivals.len(),
            admitted.len(),
            in_burst,
            max_in_any_window(&admitted, rate.period()),
            algorithm.window_bound(rate)
        );
    }
    println!(
        "Conclusion: the fixed window admitted {fixed_burst} requests in 100 ms across its \
         boundary, {:.0}x its limit; the sliding log never exceeded {} in any 1 s window.\n",
        fixed_burst as f64 / f64::from(rate.limit()),
        rate.limit()
    );
    Ok(())
}

/// (b) The axum app behind the layer, on a real socket, hit by a real HTTP client.
async fn http_server_with_two_clients(client: &HttpClient) -> anyhow::Result<()> {
    let rate = Rate::new(5, Duration::from_secs(10))?;
    let limiter = SharedLimiter::in_process(Algorithm::Gcra, rate, Arc::new(MonotonicClock::new()));
    let base = start_server(limiter).await?;

    println!("== (b) axum server with the rate-limit layer, over HTTP ==");
    println!("GCRA, 5 req per 10 s per client, keyed by the {CLIENT_ID_HEADER} header");
    println!(
        "{:<16} {:>9} {:>7} {:>7} {:>7}",
        "client", "requests", "200", "429", "400"
    );
    let mut sample_429 = None;
    for (id, requests) in [("alice", 8), ("bob", 3), ("bad id!", 2)] {
        let (mut ok, mut limited, mut bad) = (0, 0, 0);
        for _ in 0..requests {
            let (status, headers) = get(client, &format!("{base}/"), id).await?;
            match status {
                StatusCode::OK => ok += 1,
                StatusCode::TOO_MANY_REQUESTS => {
                    limited += 1;
                    sample_429.get_or_insert(headers);
                }
                StatusCode::BAD_REQUEST => bad += 1,
                other => anyhow::bail!("unexpected status {other} for client {id}"),
            }
        }
        println!(
            "{:<16} {:>9} {:>7} {:>7} {:>7}",
            format!("{id:?}"),
            requests,
            ok,
            limited,
            bad
        );
    }
    let headers = sample_429.context("expected at least one 429 from alice")?;
    println!("headers of alice's first 429:");
    for name in [
        hyper::header::RETRY_AFTER,
        RATELIMIT_LIMIT,
        RATELIMIT_REMAINING,
        RATELIMIT_RESET,
    ] {
        let value = headers
            .get(&name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        println!("  {name}: {value}");
    }
    println!(
        "Conclusion: alice was cut off after 5 requests while bob, under his own key, was not \
         affected; a malformed client id got 400, not a shared bucket.\n"
    );
    Ok(())
}

/// (c) Two replicas of the server, one client alternating between them.
async fn two_replicas(client: &HttpClient) -> anyhow::Result<()> {
    let rate = Rate::new(5, Duration::from_secs(10))?;
    let requests = 20;
    println!("== (c) Two replicas, one client, 5 req per 10 s ==");
    println!(
        "{:<34} {:>9} {:>9} {:>9}",
        "limiter state", "requests", "admitted", "limit"
    );
    let clock = Arc::new(MonotonicClock::new());
    let alone = [
        SharedLimiter::in_process(Algorithm::Gcra, rate, clock.clone()),
        SharedLimiter::in_process(Algorithm::Gcra, rate, clock),
    ];
    let admitted = alternate(client, alone, requests).await?;
    println!(
        "{:<34} {:>5} req {:>5} req {:>5} req",
        "in-process (each replica alone)", requests, admitted, 5
    );
    match std::env::var("REDIS_URL") {
        Ok(url) if !url.trim().is_empty() => {
            // A fresh prefix per run, so an earlier run's state (kept up to 10 s) cannot leak in.
            let prefix = format!("ch20:demo:{}", std::process::id());
            let shared = [
                SharedLimiter::Redis(RedisLimiter::connect(&url, rate, &prefix).await?),
                SharedLimiter::Redis(RedisLimiter::connect(&url, rate, &prefix).await?),
            ];
            let admitted = alternate(client, shared, requests).await?;
            println!(
                "{:<34} {:>5} req {:>5} req {:>5} req",
                "redis (shared, Lua GCRA)", requests, admitted, 5
            );
            println!(
                "Conclusion: counting alone, two replicas admitted twice the limit; sharing state \
                 in Redis brought it back to the limit.\n"
            );
        }
        _ => {
            println!("{:<34} {:>9}", "redis", "skipped (REDIS_URL unset)");
            println!(
                "Conclusion: counting alone (in-process), two replicas admitted twice the limit; \
                 set REDIS_URL to see a shared limiter hold it.\n"
            );
        }
    }
    Ok(())
}

/// Start one server per limiter and send `requests` GETs as one client, round-robin.
async fn alternate(
    client: &HttpClient,
    limiters: [SharedLimiter; 2],
    requests: usize,
) -> anyhow::Result<usize> {
    let mut bases = Vec::new();
    for limiter in limiters {
        bases.push(start_server(limiter).await?);
    }
    let mut admitted = 0;
    for i in 0..requests {
        let (status, _) = get(client, &format!("{}/", bases[i % bases.len()]), "erin").await?;
        if status == StatusCode::OK {
            admitted += 1;
        }
    }
    Ok(admitted)
}

/// Serve the app on an ephemeral port in the background; the task ends with the process.
async fn start_server(limiter: SharedLimiter) -> anyhow::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = server::app(Arc::new(limiter));
    tokio::spawn(server::serve(listener, app, std::future::pending()));
    Ok(base)
}

/// GET `url` as client `id`; the status and headers.
async fn get(client: &HttpClient, url: &str, id: &str) -> anyhow::Result<(StatusCode, HeaderMap)> {
    let request = Request::get(url)
        .header(CLIENT_ID_HEADER, id)
        .body(Empty::new())?;
    let response = client
        .request(request)
        .await
        .with_context(|| format!("GET {url} failed"))?;
    Ok((response.status(), response.headers().clone()))
}
