//! Chapter 1 demo: stateful versus stateless replicas, throughput as replicas are added, a live
//! autoscaler following a load ramp, and hysteresis against flapping.
//!
//! `cargo run -p ch01-scalability` runs the experiments and exits in about ten seconds.
//! With `REDIS_URL` set, experiment (a) adds a row with the carts in Redis.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use ch01_scalability::autoscaler::{self, Policy, simulate};
use ch01_scalability::loadgen::{self, HttpClient, Phase};
use ch01_scalability::replica::Cart;
use ch01_scalability::{
    Autoscaler, FrontServer, MemoryStore, RedisStore, ReplicaConfig, ReplicaPool, RoundRobin,
    SessionStore, StoreMode,
};
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::sync::{mpsc, oneshot};

#[derive(Parser)]
#[command(about = "Chapter 1: scalability. Runs the experiments and exits.")]
struct Cli {
    /// Seed of the noisy load in experiment (d).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Seconds each replica count is measured for in experiment (b), 0.1 to 10.
    #[arg(long, default_value_t = 0.6, value_parser = parse_seconds)]
    measure: f64,
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    let secs: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if (0.1..=10.0).contains(&secs) {
        Ok(secs)
    } else {
        Err(format!("{secs} s is outside 0.1 to 10 s"))
    }
}

// ANCHOR: demo_experiments
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let client = loadgen::http_client();
    any_replica_serves_any_request().await?;
    throughput_grows_with_replicas(&client, Duration::from_secs_f64(cli.measure)).await?;
    autoscaler_follows_a_load_ramp(&client).await?;
    hysteresis_prevents_flapping(cli.seed)?;
    Ok(())
}
// ANCHOR_END: demo_experiments

/// (a) A cart written through two replicas, read through each, for each kind of store.
async fn any_replica_serves_any_request() -> anyhow::Result<()> {
    println!("== (a) Any replica serves any request? One cart, two replicas ==");
    println!(
        "POST \"book\" via replica 1, POST \"lamp\" via replica 2, then GET the cart via each"
    );
    println!(
        "{:<32} {:<16} {:<16} {:>11}",
        "session store", "via replica 1", "via replica 2", "both items"
    );
    let mut stores = vec![
        ("per-replica memory (stateful)", StoreMode::PerReplica),
        (
            "shared memory (stateless)",
            StoreMode::Shared(MemoryStore::shared()),
        ),
    ];
    let redis_prefix = format!("ch01:demo:{}", std::process::id());
    let redis = match std::env::var("REDIS_URL") {
        Ok(url) if !url.trim().is_empty() => Some(
            RedisStore::connect(&url, &redis_prefix)
                .await
                .context("REDIS_URL is set, but Redis is unreachable")?,
        ),
        _ => None,
    };
    if let Some(store) = &redis {
        let shared: Arc<dyn SessionStore> = Arc::new(store.clone());
        stores.push(("redis (stateless)", StoreMode::Shared(shared)));
    }
    let session = format!("s{}", std::process::id());
    let mut stateful_split = false;
    for (name, mode) in stores {
        let stateful = matches!(mode, StoreMode::PerReplica);
        let pool = ReplicaPool::new(
            ReplicaConfig::default(),
            mode,
            Arc::new(RoundRobin::default()),
        );
        pool.scale_to(2).await?;
        let [a, b] = <[SocketAddr; 2]>::try_from(pool.addrs())
            .map_err(|_| anyhow::anyhow!("expected two replicas"))?;
        post_item(a, &session, "book").await?;
        post_item(b, &session, "lamp").await?;
        let (via_a, via_b) = (get_cart(a, &session).await?, get_cart(b, &session).await?);
        let complete = |c: &Cart| c.items.len() == 2;
        let both = complete(&via_a) && complete(&via_b);
        if stateful && !both {
            stateful_split = true;
        }
        println!(
            "{:<32} {:<16} {:<16} {:>11}",
            name,
            format!("{:?}", via_a.items),
            format!("{:?}", via_b.items),
            if both { "yes" } else { "NO" }
        );
        pool.shutdown().await;
    }
    if let Some(store) = redis {
        delete_cart(&store, &session).await?;
    } else {
        println!("{:<32} skipped (REDIS_URL unset)", "redis");
    }
    println!(
        "Conclusion: {}; with the store outside them, any replica served the whole cart.\n",
        if stateful_split {
            "with carts inside each replica, the two replicas showed two different carts"
        } else {
            "unexpectedly, even per-replica carts agreed"
        }
    );
    Ok(())
}

async fn post_item(replica: SocketAddr, session: &str, item: &str) -> anyhow::Result<()> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let request = Request::post(format!("http://{replica}/cart/{session}/items"))
        .body(Full::new(Bytes::from(item.to_owned())))?;
    let response = client.request(request).await?;
    anyhow::ensure!(
        response.status().is_success(),
        "POST failed: {}",
        response.status()
    );
    Ok(())
}

async fn get_cart(replica: SocketAddr, session: &str) -> anyhow::Result<Cart> {
    let client = loadgen::http_client();
    let uri: Uri = format!("http://{replica}/cart/{session}").parse()?;
    let body = client
        .get(uri)
        .await?
        .into_body()
        .collect()
        .await?
        .to_bytes();
    serde_json::from_slice(&body).context("replica sent a malformed cart")
}

async fn delete_cart(store: &RedisStore, session: &str) -> anyhow::Result<()> {
    let url = std::env::var("REDIS_URL")?;
    let mut conn = redis::Client::open(url)?
        .get_multiplexed_async_connection()
        .await?;
    let _: i64 = redis::cmd("DEL")
        .arg(store.key(session))
        .query_async(&mut conn)
        .await?;
    Ok(())
}

/// (b) A closed-loop load generator through the front, at 1, 2, 4 and 8 replicas.
async fn throughput_grows_with_replicas(
    client: &HttpClient,
    measure: Duration,
) -> anyhow::Result<()> {
    let config = ReplicaConfig::default();
    let clients = 64;
    println!("== (b) Throughput as replicas are added (closed loop, {clients} clients) ==");
    println!(
        "each replica: {} slots x {} ms per request = capacity {:.0} req/s; {:.1} s per row",
        config.concurrency,
        config.service_time.as_millis(),
        config.capacity_per_sec(),
        measure.as_secs_f64()
    );
    println!(
        "{:>8} {:>14} {:>14} {:>12} {:>9} {:>9} {:>10}",
        "replicas", "capacity", "measured", "x 1 replica", "p50", "p99", "peak slots"
    );
    let backends = Arc::new(RoundRobin::default());
    let front = FrontServer::start(backends.clone()).await?;
    let pool = ReplicaPool::new(config, StoreMode::Shared(MemoryStore::shared()), backends);
    let uri: Uri = format!("{}/work", front.base_url()).parse()?;
    let mut baseline = None;
    let mut last = 0.0;
    for replicas in [1, 2, 4, 8] {
        pool.scale_to(replicas).await?;
        let report = loadgen::closed_loop(client, uri.clone(), clients, measure).await;
        anyhow::ensure!(report.errors == 0, "{} requests failed", report.errors);
        let throughput = report.throughput();
        let base = *baseline.get_or_insert(throughput);
        last = throughput / base;
        println!(
            "{:>8} {:>8.0} req/s {:>8.0} req/s {:>11.2}x {:>6.1} ms {:>6.1} ms {:>10}",
            replicas,
            config.capacity_per_sec() * replicas as f64,
            throughput,
            throughput / base,
            ms(report.quantile(0.50)),
            ms(report.quantile(0.99)),
            pool.peak_in_flight()
        );
    }
    pool.shutdown().await;
    println!(
        "Conclusion: 8 replicas served {last:.1}x what 1 did, while no replica ever ran more \
         than {} requests at once: capacity came from adding replicas, not from bigger ones.\n",
        config.concurrency
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

// ANCHOR: ramp
/// (c) The autoscaler, live, while an open-loop generator ramps the load up and down.
async fn autoscaler_follows_a_load_ramp(client: &HttpClient) -> anyhow::Result<()> {
    let policy = Policy::default();
    let tick = Duration::from_millis(250);
    let phases = [
        Phase {
            rate: 100.0,
            duration: Duration::from_millis(750),
        },
        Phase {
            rate: 500.0,
            duration: Duration::from_millis(2_500),
        },
        Phase {
            rate: 100.0,
            duration: Duration::from_millis(2_250),
        },
    ];
    let backends = Arc::new(RoundRobin::default());
    let front = FrontServer::start(backends.clone()).await?;
    let config = ReplicaConfig::default();
    let pool = Arc::new(ReplicaPool::new(
        config,
        StoreMode::Shared(MemoryStore::shared()),
        backends,
    ));
    pool.scale_to(policy.min_replicas).await?;
    let (decisions_tx, mut decisions) = mpsc::unbounded_channel();
    let (stop, stopped) = oneshot::channel();
    let scaler = Autoscaler::new(policy)?;
    let control = tokio::spawn({
        let pool = pool.clone();
        async move { autoscaler::run(&*pool, scaler, tick, decisions_tx, stopped).await }
    });
    let uri: Uri = format!("{}/work", front.base_url()).parse()?;
    let load = tokio::spawn({
        let client = client.clone();
        async move { loadgen::open_loop(&client, uri, &phases).await }
    });
    // ANCHOR_END: ramp
    println!("== (c) The autoscaler follows a load ramp (open loop: 100, 500, 100 req/s) ==");
    println!(
        "policy: out above {:.2}, in below {:.2}, cooldown {} ms, {}-{} replicas; tick {} ms; \
         capacity {:.0} req/s per replica",
        policy.scale_out_above,
        policy.scale_in_below,
        policy.cooldown.as_millis(),
        policy.min_replicas,
        policy.max_replicas,
        tick.as_millis(),
        config.capacity_per_sec()
    );
    println!(
        "{:>6} {:>12} {:>12} {:>6} {:>10} {:>9}  decision",
        "t", "offered", "served", "util", "threshold", "replicas"
    );
    let total: Duration = phases.iter().map(|p| p.duration).sum();
    let (mut served_before, mut t, mut changes) = (0, Duration::ZERO, 0);
    while t + tick <= total {
        let Some(d) = decisions.recv().await else {
            break;
        };
        t += tick;
        let served = pool.served();
        let rate = (served - served_before) as f64 / tick.as_secs_f64();
        served_before = served;
        if d.is_change() {
            changes += 1;
        }
        println!(
            "{:>4.2} s {:>6.0} req/s {:>6.0} req/s {:>6.2} {:>10.2} {:>5} -> {}  {}",
            t.as_secs_f64(),
            loadgen::rate_at(&phases, t - tick),
            rate,
            d.utilization,
            d.threshold,
            d.before,
            d.after,
            d.reason
        );
    }
    let _ = stop.send(());
    control.await??;
    let report = load.await?;
    pool.shutdown().await;
    println!(
        "load: {} ok, {} failed; latency p50 {:.1} ms, p99 {:.1} ms (queueing while scaling out)",
        report.ok,
        report.errors,
        ms(report.quantile(0.50)),
        ms(report.quantile(0.99))
    );
    println!(
        "Conclusion: the pool grew one replica per cooldown under load and shrank when it \
         passed, {changes} changes in all, with {} failed requests.\n",
        report.errors
    );
    Ok(())
}

// ANCHOR: flapping
/// (d) The same noisy load, replayed through four policies.
fn hysteresis_prevents_flapping(seed: u64) -> anyhow::Result<()> {
    let tick = Duration::from_millis(250);
    let capacity = ReplicaConfig::default().capacity_per_sec();
    let mut rng = StdRng::seed_from_u64(seed);
    let loads: Vec<f64> = (0..80)
        .map(|_| 380.0 + rng.random_range(-60.0..60.0))
        .collect();
    let base = Policy {
        cooldown: Duration::ZERO,
        max_replicas: 8,
        ..Policy::default()
    };
    let policies = [
        (
            "one threshold: 0.75",
            Policy {
                scale_in_below: 0.75,
                ..base
            },
        ),
        (
            "band 0.60-0.75 (too narrow)",
            Policy {
                scale_in_below: 0.60,
                ..base
            },
        ),
        ("band 0.30-0.75", base),
        (
            "band 0.60-0.75 + 1 s cooldown",
            Policy {
                scale_in_below: 0.60,
                cooldown: Duration::from_secs(1),
                ..base
            },
        ),
    ];
    // ANCHOR_END: flapping
    println!("== (d) Hysteresis: 80 ticks of 380 +/- 60 req/s (seed {seed}), simulated ==");
    println!(
        "capacity {capacity:.0} req/s per replica, tick {} ms, start at 1 replica",
        tick.as_millis()
    );
    println!(
        "{:<32} {:>14} {:>10} {:>15}",
        "policy", "scale events", "reversals", "final replicas"
    );
    let mut flaps = Vec::new();
    for (name, policy) in policies {
        let decisions = simulate(policy, 1, capacity, tick, &loads)?;
        let changes: Vec<i64> = decisions
            .iter()
            .filter(|d| d.is_change())
            .map(|d| d.after as i64 - d.before as i64)
            .collect();
        let reversals = changes.windows(2).filter(|w| w[0] != w[1]).count();
        flaps.push(reversals);
        println!(
            "{:<32} {:>14} {:>10} {:>15}",
            name,
            changes.len(),
            reversals,
            decisions.last().map_or(1, |d| d.after)
        );
    }
    println!(
        "Conclusion: one threshold reversed direction {} times in 80 ticks; a band wider than \
         the n/(n+1) step reversed {} times.",
        flaps[0], flaps[2]
    );
    Ok(())
}
