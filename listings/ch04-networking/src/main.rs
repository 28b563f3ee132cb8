//! Chapter 4 demo: one request split into phases, round trips priced at a real RTT, keep-alive vs
//! a new connection per request, TCP vs UDP echo, and failures that name their phase. Everything
//! runs against servers this program starts on 127.0.0.1; nothing leaves the machine.
//!
//! `cargo run -p ch04-networking [-- --requests 50 --rtt-ms 50]`

use std::time::Duration;

use anyhow::Context as _;
use ch04_networking::{
    Client, Config, EchoServers, Error, Fetched, LocalServer, Phase, SelfSigned, Summary, Timeouts,
    TlsVersion,
};
use clap::Parser;

#[derive(Parser)]
#[command(about = "Chapter 4: networking basics. Runs the experiments against local servers.")]
struct Cli {
    /// Sequential requests per mode in the keep-alive experiment.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(2..=10_000))]
    requests: u32,
    /// The network round-trip time, in ms, at which to price the counted round trips.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    rtt_ms: u32,
}

/// Response body size for the HTTP experiments.
const BODY_BYTES: usize = 16 * 1024;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let cert = SelfSigned::generate(&["localhost"])?;
    let http = LocalServer::http(BODY_BYTES).await?;
    let https = LocalServer::https(BODY_BYTES, cert.server_config()?).await?;
    let tls13 = Client::new(Config::default().with_tls(cert.client_config(TlsVersion::V1_3)?));
    let tls12 = Client::new(Config::default().with_tls(cert.client_config(TlsVersion::V1_2)?));
    let http_url = format!("http://localhost:{}/", http.addr().port());
    let https_url = format!("https://localhost:{}/", https.addr().port());

    phases_of_one_request(&tls13, &http_url, &https_url).await?;
    round_trips_priced(&tls13, &tls12, &http_url, &https_url, cli.rtt_ms).await?;
    keep_alive(&tls13, &http, &http_url, &https, &https_url, cli.requests).await?;
    tcp_versus_udp().await?;
    failures_name_their_phase(&cert).await?;
    Ok(())
}

fn us(d: Duration) -> String {
    format!("{:.1} us", d.as_secs_f64() * 1e6)
}

fn median(samples: &[Duration]) -> Duration {
    Summary::of(samples).map_or(Duration::ZERO, |s| s.median)
}

/// (a) The median of each phase over 20 requests, each on a new connection.
async fn phases_of_one_request(client: &Client, http: &str, https: &str) -> anyhow::Result<()> {
    const RUNS: usize = 20;
    let mut runs: Vec<Vec<Fetched>> = Vec::new();
    for url in [http, https] {
        let mut fetched = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            fetched.push(client.fetch(url).await?);
        }
        runs.push(fetched);
    }
    println!("== (a) One GET of {BODY_BYTES} bytes, phase by phase (median of {RUNS}) ==");
    println!(
        "{:<12} {:>16} {:>17}",
        "phase", "http://localhost", "https://localhost"
    );
    for phase in Phase::ALL {
        let cell = |fetched: &[Fetched]| {
            let samples: Vec<Duration> = fetched
                .iter()
                .filter_map(|f| f.timings.get(phase))
                .collect();
            if samples.is_empty() {
                "-".to_string()
            } else {
                us(median(&samples))
            }
        };
        println!(
            "{:<12} {:>16} {:>17}",
            phase.to_string(),
            cell(&runs[0]),
            cell(&runs[1])
        );
    }
    let totals = |f: &[Fetched]| median(&f.iter().map(|f| f.timings.total).collect::<Vec<_>>());
    println!(
        "{:<12} {:>16} {:>17}",
        "total",
        us(totals(&runs[0])),
        us(totals(&runs[1]))
    );
    let exact = runs
        .iter()
        .flatten()
        .filter(|f| f.timings.sum_of_phases() == f.timings.total)
        .count();
    let tls_share = median(
        &runs[1]
            .iter()
            .filter_map(|f| f.timings.tls)
            .collect::<Vec<_>>(),
    );
    println!(
        "Conclusion: in {exact} of {} requests the phases added up to the total exactly; on \
         loopback the TLS handshake ({}) costs CPU, not distance.\n",
        2 * RUNS,
        us(tls_share)
    );
    Ok(())
}

/// (b) Round trips counted on the wire, priced at a real network's RTT: trips x RTT.
async fn round_trips_priced(
    tls13: &Client,
    tls12: &Client,
    http: &str,
    https: &str,
    rtt_ms: u32,
) -> anyhow::Result<()> {
    // ANCHOR: demo_round_trips
    let mut reused = tls13.open(https).await?;
    reused.get("/").await?; // the first request pays for the handshakes
    let rows = [
        ("new HTTP connection", tls13.fetch(http).await?),
        ("new HTTPS, TLS 1.2", tls12.fetch(https).await?),
        ("new HTTPS, TLS 1.3", tls13.fetch(https).await?),
        ("reused HTTPS (keep-alive)", reused.get("/").await?),
    ];
    // ANCHOR_END: demo_round_trips
    println!("== (b) Round trips per request, priced at RTT = {rtt_ms} ms (DNS cached) ==");
    println!(
        "{:<27} {:>8} {:>5} {:>8} {:>12} {:>18}",
        "request", "connect", "tls", "request", "round trips", "cost at RTT"
    );
    for (name, f) in &rows {
        let trips = f.round_trips;
        println!(
            "{:<27} {:>8} {:>5} {:>8} {:>12} {:>15} ms",
            name,
            trips.connect,
            trips.tls,
            trips.request,
            trips.total(),
            trips.total() * rtt_ms
        );
    }
    let (new, warm) = (rows[2].1.round_trips.total(), rows[3].1.round_trips.total());
    println!(
        "Conclusion: at {rtt_ms} ms RTT a new TLS 1.3 connection costs {new} x {rtt_ms} = {} ms \
         before the body arrives, a reused one {warm} x {rtt_ms} = {} ms.\n",
        new * rtt_ms,
        warm * rtt_ms
    );
    Ok(())
}

/// (c) N sequential requests, a new connection each vs one kept-alive connection.
async fn keep_alive(
    client: &Client,
    http_server: &LocalServer,
    http: &str,
    https_server: &LocalServer,
    https: &str,
    n: u32,
) -> anyhow::Result<()> {
    println!("== (c) {n} sequential GETs: new connection per request vs keep-alive ==");
    println!(
        "{:<24} {:>12} {:>10} {:>10} {:>14} {:>12}",
        "mode", "connections", "handshakes", "median", "p99", "total"
    );
    let mut medians = Vec::new();
    for (scheme, server, url) in [("http", http_server, http), ("https", https_server, https)] {
        for keep in [false, true] {
            let accepted_before = server.connections_accepted();
            let started = std::time::Instant::now();
            let mut samples = Vec::with_capacity(n as usize);
            let mut handshakes = 0;
            // ANCHOR: demo_keep_alive
            let mut connection = if keep {
                Some(client.open(url).await?)
            } else {
                None
            };
            for _ in 0..n {
                let fetched = match connection.as_mut() {
                    Some(c) => c.get("/").await?,
                    None => client.fetch(url).await?,
                };
                handshakes += u32::from(fetched.timings.connect.is_some());
                samples.push(fetched.timings.total);
            }
            // ANCHOR_END: demo_keep_alive
            let elapsed = started.elapsed();
            let handshakes = handshakes + u32::from(keep); // `open` did the keep-alive one
            let summary = Summary::of(&samples).context("no samples")?;
            let mode = format!(
                "{scheme}, {}",
                if keep { "keep-alive" } else { "new each time" }
            );
            println!(
                "{:<24} {:>12} {:>10} {:>10} {:>14} {:>12}",
                mode,
                server.connections_accepted() - accepted_before,
                handshakes,
                us(summary.median),
                us(summary.p99),
                format!("{:.2} ms", elapsed.as_secs_f64() * 1e3)
            );
            medians.push(summary.median);
        }
    }
    hyper_util_pool(http_server, http, n).await?;
    let ratio = medians[2].as_secs_f64() / medians[3].as_secs_f64().max(1e-9);
    println!(
        "Conclusion: keep-alive served {n} requests over 1 connection; over HTTPS a new \
         connection per request had a {ratio:.1}x higher median: DNS, connect and TLS every time.\n"
    );
    Ok(())
}

/// The production counterpart: hyper-util's pooled client, which keeps connections for us.
async fn hyper_util_pool(server: &LocalServer, url: &str, n: u32) -> anyhow::Result<()> {
    use http_body_util::{BodyExt, Empty};
    use hyper_util::client::legacy::Client as PooledClient;

    let pooled: PooledClient<_, Empty<bytes::Bytes>> =
        PooledClient::builder(hyper_util::rt::TokioExecutor::new()).build_http();
    let uri: http::Uri = url.parse()?;
    let accepted_before = server.connections_accepted();
    let started = std::time::Instant::now();
    let mut samples = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let sent = std::time::Instant::now();
        let response = pooled.get(uri.clone()).await?;
        response.into_body().collect().await?;
        samples.push(sent.elapsed());
    }
    let elapsed = started.elapsed();
    let summary = Summary::of(&samples).context("no samples")?;
    println!(
        "{:<24} {:>12} {:>10} {:>10} {:>14} {:>12}",
        "http, hyper-util pool",
        server.connections_accepted() - accepted_before,
        "-",
        us(summary.median),
        us(summary.p99),
        format!("{:.2} ms", elapsed.as_secs_f64() * 1e3)
    );
    Ok(())
}

/// (d) The same small round trip over TCP (after its handshake) and over UDP.
async fn tcp_versus_udp() -> anyhow::Result<()> {
    const COUNT: u32 = 2_000;
    const PAYLOAD: usize = 64;
    let echo = EchoServers::start().await?;
    let tcp = echo.tcp_round_trips(COUNT, PAYLOAD).await?;
    let udp = echo
        .udp_round_trips(COUNT, PAYLOAD, Duration::from_secs(1))
        .await?;
    let (t, u) = (
        Summary::of(&tcp.round_trips).context("no TCP samples")?,
        Summary::of(&udp).context("no UDP samples")?,
    );
    println!("== (d) {COUNT} echo round trips of {PAYLOAD} bytes on loopback ==");
    println!(
        "{:<6} {:>22} {:>10} {:>10}",
        "proto", "setup before 1st byte", "median", "p99"
    );
    println!(
        "{:<6} {:>22} {:>10} {:>10}",
        "TCP",
        format!("connect {}", us(tcp.connect)),
        us(t.median),
        us(t.p99)
    );
    println!(
        "{:<6} {:>22} {:>10} {:>10}",
        "UDP",
        "none",
        us(u.median),
        us(u.p99)
    );
    println!(
        "Conclusion: UDP needs no handshake and its round trip median is {:.2}x TCP's; on loopback \
         nothing is lost, so TCP's reliability costs little here.\n",
        u.median.as_secs_f64() / t.median.as_secs_f64().max(1e-9)
    );
    Ok(())
}

/// (e) Four broken setups; each error names the phase that failed.
async fn failures_name_their_phase(cert: &SelfSigned) -> anyhow::Result<()> {
    let closed_port = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        listener.local_addr()?.port() // dropped here: nothing listens on it any more
    };
    let https = LocalServer::https(16, cert.server_config()?).await?;
    let silent = LocalServer::silent().await?;
    let trusting = Config::default().with_tls(cert.client_config(TlsVersion::V1_3)?);
    let stranger = SelfSigned::generate(&["localhost"])?;
    let trusting_other = Config::default().with_tls(stranger.client_config(TlsVersion::V1_3)?);
    let short_first_byte = Timeouts {
        first_byte: Duration::from_millis(200),
        ..Timeouts::default()
    };
    let port = https.addr().port();
    // ANCHOR: demo_failures
    let cases: [(&str, Config, String); 4] = [
        (
            "nothing listens on the port",
            trusting.clone(),
            format!("http://127.0.0.1:{closed_port}/"),
        ),
        (
            "certificate for another name",
            trusting.clone(),
            format!("https://127.0.0.1:{port}/"),
        ),
        (
            "certificate from another key",
            trusting_other,
            format!("https://localhost:{port}/"),
        ),
        (
            "server accepts, never answers",
            trusting.with_timeouts(short_first_byte),
            format!("http://{}/", silent.addr()),
        ),
    ];
    println!("== (e) Failures name their phase ==");
    println!("{:<30} {:<11} error", "scenario", "phase");
    for (scenario, config, url) in cases {
        let error: Error = match Client::new(config).fetch(&url).await {
            Ok(_) => anyhow::bail!("{scenario}: expected an error from {url}"),
            Err(e) => e,
        };
        let phase = error.phase().map_or("-".to_string(), |p| p.to_string());
        println!("{scenario:<30} {phase:<11} {error}");
    }
    // ANCHOR_END: demo_failures
    println!("Conclusion: refused -> connect, bad certificate -> tls, hung server -> first-byte.");
    Ok(())
}
