//! Chapter 10 demo: TTL jitter, stampede protection (single-flight, moka, XFetch), versioned
//! keys, the stale-set race, and event-driven invalidation between two app instances.
//!
//! `cargo run -p ch10-cache-invalidation` runs every experiment and exits in a few seconds.
//! With `REDIS_URL` set, the invalidation experiment also runs over Redis pub/sub.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use ch10_cache_invalidation::ttl::{expirations_per_second, peak};
use ch10_cache_invalidation::xfetch::{HotKey, simulate_hot_key};
use ch10_cache_invalidation::{
    AppInstance, Backend, CacheAside, Coalescing, InstanceConfig, Invalidation, InvalidationBus,
    Jitter, ManualClock, MokaCacheAside, Namespaces, Versioned, VersionedStore, XFetch,
};
use clap::Parser;
use rand::SeedableRng as _;
use rand::rngs::StdRng;
use tokio::sync::Barrier;

#[derive(Parser)]
#[command(about = "Chapter 10: cache invalidation. Runs the experiments and exits.")]
struct Cli {
    /// Seed for every random draw (jitter, XFetch), so runs are repeatable.
    #[arg(long, default_value_t = 10)]
    seed: u64,
    /// Concurrent requests in the stampede burst.
    #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    burst: u32,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    ttl_jitter(cli.seed)?;
    coalescing(cli.burst as usize).await?;
    failed_load(cli.burst as usize).await?;
    xfetch(cli.seed)?;
    versioned_keys();
    stale_set_race();
    two_instances().await?;
    Ok(())
}

fn ttl_jitter(seed: u64) -> anyhow::Result<()> {
    const KEYS: usize = 10_000;
    let ttl = Duration::from_secs(60);
    println!("== (a) 10,000 keys written at t = 0 s with a 60 s TTL: expirations per second ==");
    println!(
        "{:<10} {:>16} {:>18} {:>20}",
        "jitter", "expiry spread", "seconds with any", "peak expirations"
    );
    let mut histograms = BTreeMap::new();
    for percent in [0_u32, 5, 10, 20] {
        let jitter = Jitter::new(f64::from(percent) / 100.0)?;
        let histogram = expirations_per_second(KEYS, Duration::ZERO, ttl, jitter, seed);
        let (first, last) = (
            histogram.keys().next().copied().unwrap_or(0),
            histogram.keys().last().copied().unwrap_or(0),
        );
        println!(
            "{:<10} {:>16} {:>18} {:>20}",
            format!("±{percent}%"),
            format!("{first}-{last} s"),
            format!("{} s", histogram.len()),
            format!("{} keys/s", peak(&histogram)),
        );
        histograms.insert(percent, histogram);
    }
    println!("histogram at ±10% (one # per 20 keys):");
    for (second, count) in histograms.get(&10).into_iter().flatten() {
        let bar = "#".repeat((*count as usize).div_ceil(20));
        println!("  {second:>3} s {count:>5} keys {bar}");
    }
    let peak_of = |percent| histograms.get(&percent).map_or(0, peak);
    println!(
        "Conclusion: without jitter the backend reloads {} keys in one second; ±10% jitter cuts that peak to {} keys/s ({:.1}x lower).",
        peak_of(0),
        peak_of(10),
        f64::from(peak_of(0)) / f64::from(peak_of(10).max(1))
    );
    println!();
    Ok(())
}

/// Fire `burst` concurrent reads of one cold key, all released at once by a barrier.
/// Returns how many of the reads failed.
async fn burst_of_misses<F, Fut>(burst: usize, read: F) -> usize
where
    F: Fn() -> Fut,
    Fut: Future<Output = bool> + Send + 'static,
{
    let barrier = Arc::new(Barrier::new(burst));
    let mut tasks = Vec::with_capacity(burst);
    for _ in 0..burst {
        let (barrier, read) = (Arc::clone(&barrier), read());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            read.await
        }));
    }
    let mut failed = 0;
    for task in tasks {
        if !task.await.unwrap_or(false) {
            failed += 1;
        }
    }
    failed
}

async fn coalescing(burst: usize) -> anyhow::Result<()> {
    println!("== (b) {burst} concurrent misses for one cold key, backend query takes 20 ms ==");
    println!(
        "{:<28} {:>10} {:>15} {:>10}",
        "read path", "requests", "backend loads", "errors"
    );
    for name in ["no coalescing", "single-flight (ours)", "moka try_get_with"] {
        let backend = Arc::new(Backend::with_delay(Duration::from_millis(20)));
        backend.write("product:7", "espresso machine");
        let errors = match name {
            "moka try_get_with" => {
                let cache =
                    MokaCacheAside::new(Arc::clone(&backend), 10_000, Duration::from_secs(60));
                burst_of_misses(burst, || {
                    let cache = cache.clone();
                    async move { cache.get("product:7").await.is_ok() }
                })
                .await
            }
            _ => {
                let coalescing = if name == "no coalescing" {
                    Coalescing::Off
                } else {
                    Coalescing::On
                };
                let cache = Arc::new(CacheAside::new(Arc::clone(&backend), coalescing));
                burst_of_misses(burst, || {
                    let cache = Arc::clone(&cache);
                    async move { cache.get("product:7").await.is_ok() }
                })
                .await
            }
        };
        println!(
            "{:<28} {:>10} {:>15} {:>10}",
            name,
            burst,
            backend.loads(),
            errors
        );
    }
    println!(
        "Conclusion: coalescing turns a burst of {burst} misses into one backend query, ours and moka's alike."
    );
    println!();
    Ok(())
}

async fn failed_load(burst: usize) -> anyhow::Result<()> {
    println!("== (c) The same burst when the one load fails ==");
    let backend = Arc::new(Backend::with_delay(Duration::from_millis(20)));
    backend.write("product:7", "espresso machine");
    backend.fail_next_loads(1);
    let cache = Arc::new(CacheAside::new(Arc::clone(&backend), Coalescing::On));
    let errors = burst_of_misses(burst, || {
        let cache = Arc::clone(&cache);
        async move { cache.get("product:7").await.is_ok() }
    })
    .await;
    let loads_in_burst = backend.loads();
    let retry = cache.get("product:7").await;
    println!(
        "{:<32} {:>10} {:>15} {:>10}",
        "step", "requests", "backend loads", "errors"
    );
    println!(
        "{:<32} {:>10} {:>15} {:>10}",
        "burst, load fails", burst, loads_in_burst, errors
    );
    println!(
        "{:<32} {:>10} {:>15} {:>10}",
        "next request after the burst",
        1,
        backend.loads() - loads_in_burst,
        usize::from(retry.is_err())
    );
    println!(
        "Conclusion: every waiter of the failed flight got its error (no retry storm), and the error was not cached: the next request loaded again."
    );
    println!();
    Ok(())
}

fn xfetch(seed: u64) -> anyhow::Result<()> {
    const DRAWS: u32 = 100_000;
    let delta = Duration::from_millis(100);
    let expiry = Duration::from_secs(10);
    let policy = XFetch::new(1.0)?;
    let mut rng = StdRng::seed_from_u64(seed);
    println!("== (d) XFetch: chance that one read refreshes early (delta = 100 ms, beta = 1) ==");
    println!(
        "{:<20} {:>18} {:>26}",
        "time before expiry", "exp(-gap/delta)", "measured (100,000 reads)"
    );
    for gap_ms in [500_u64, 300, 200, 100, 50, 10, 0] {
        let now = expiry - Duration::from_millis(gap_ms);
        let refreshed = (0..DRAWS)
            .filter(|_| policy.should_refresh(now, delta, expiry, &mut rng))
            .count();
        println!(
            "{:<20} {:>17.2}% {:>25.2}%",
            format!("{gap_ms} ms"),
            100.0 * policy.probability(now, delta, expiry),
            100.0 * refreshed as f64 / f64::from(DRAWS)
        );
    }
    let key = HotKey {
        requests_per_sec: 1_000,
        recompute: delta,
        ttl: Duration::from_secs(10),
        horizon: Duration::from_secs(60),
    };
    println!("hot key: 1,000 reads/s for 60 s, TTL 10 s, recompute 100 ms, no coalescing");
    println!(
        "{:<22} {:>15} {:>20} {:>20}",
        "expiry policy", "backend loads", "reads that waited", "peak loads at once"
    );
    for (name, policy) in [("plain TTL", None), ("XFetch, beta = 1", Some(policy))] {
        let run = simulate_hot_key(key, policy, seed);
        println!(
            "{:<22} {:>15} {:>20} {:>20}",
            name, run.loads, run.waited, run.max_in_flight
        );
    }
    println!(
        "Conclusion: the early-refresh chance climbs steeply in the last few deltas, so XFetch replaces each expiry's stampede with a few early loads that nobody waits for."
    );
    println!();
    Ok(())
}

fn versioned_keys() {
    let ttl = Duration::from_secs(300);
    let now = Duration::ZERO;
    let namespaces = Namespaces::new();
    let mut cache: VersionedStore<&str> = VersionedStore::new();
    let parts = ["profile", "feed:page1", "feed:page2"];
    let hits = |namespaces: &Namespaces, cache: &VersionedStore<&str>| {
        parts
            .iter()
            .filter(|part| cache.get(&namespaces.key("user:42", part), now).is_some())
            .count()
    };
    println!("== (e) Versioned keys: one increment invalidates every entry of user:42 ==");
    println!(
        "{:<34} {:>12} {:>10} {:>16}",
        "step", "generation", "hits", "entries stored"
    );
    for part in parts {
        let item = Versioned {
            value: "...",
            version: 1,
        };
        cache.set(&namespaces.key("user:42", part), item, ttl, now);
    }
    let row = |step: &str, namespaces: &Namespaces, cache: &VersionedStore<&str>| {
        println!(
            "{:<34} {:>12} {:>10} {:>16}",
            step,
            namespaces.generation("user:42"),
            format!("{}/{}", hits(namespaces, cache), parts.len()),
            cache.len()
        );
    };
    row("fill 3 entries", &namespaces, &cache);
    namespaces.bump("user:42");
    row("user 42 writes: bump generation", &namespaces, &cache);
    println!(
        "keys read now: {}",
        parts.map(|part| namespaces.key("user:42", part)).join(", ")
    );
    println!(
        "Conclusion: after one bump no reader can reach the old entries; they stay stored (orphans) until TTL or eviction reclaims them."
    );
    println!();
}

fn stale_set_race() {
    let ttl = Duration::from_secs(30);
    let tombstone_ttl = Duration::from_secs(10);
    let at = Duration::from_secs;
    println!(
        "== (f) The stale-set race: reader R loads v1, writer W writes v2 and invalidates, R fills =="
    );
    println!(
        "{:<30} {:>14} {:>16} {:>22}",
        "invalidation", "R's fill", "cache at t=2 s", "stale until"
    );
    for name in ["delete (naive)", "tombstone + versioned set"] {
        let mut cache: VersionedStore<&str> = VersionedStore::new();
        // t=0: R misses and reads v1 from the database (slowly).
        let read_by_r = Versioned {
            value: "price=10",
            version: 1,
        };
        // t=1: W writes v2 to the database, then invalidates the cache.
        let accepted = if name == "delete (naive)" {
            cache.delete("price:7");
            cache.set("price:7", read_by_r, ttl, at(1)); // t=1: R's late fill
            true
        } else {
            cache.invalidate("price:7", 2, tombstone_ttl, at(1));
            cache.set_if_newer("price:7", read_by_r, ttl, at(1))
        };
        let held = cache.get("price:7", at(2));
        let (held, stale) = match held {
            Some(item) => (
                format!("v{}", item.version),
                format!("t={} s (TTL)", (at(1) + ttl).as_secs()),
            ),
            None => ("miss".to_owned(), "never".to_owned()),
        };
        let fill = if accepted { "accepted" } else { "refused" };
        println!("{name:<30} {fill:>14} {held:>16} {stale:>22}");
    }
    println!(
        "Conclusion: a plain delete lets the late fill put v1 back for a whole TTL; a tombstone that remembers v2 refuses it."
    );
    println!();
}

/// What instance B saw in one run of the two-instance timeline.
struct Staleness {
    stale_reads: u32,
    reads: u32,
    first_fresh_at: Option<u64>,
}

/// B fills `price:7` at t=0, A writes it at t=5 s, B reads once per simulated second until
/// t=40 s. With `apply_events`, B applies the invalidation as soon as it is delivered.
// ANCHOR: demo_instances
async fn timeline(bus: &InvalidationBus, apply_events: bool) -> anyhow::Result<Staleness> {
    let clock = Arc::new(ManualClock::new());
    let backend = Arc::new(Backend::new());
    backend.write("price:7", "price=10");
    let config = InstanceConfig::default(); // TTL 30 s
    let a = AppInstance::new(
        "A",
        Arc::clone(&backend),
        bus.clone(),
        clock.clone(),
        config,
    )?;
    let b = AppInstance::new(
        "B",
        Arc::clone(&backend),
        bus.clone(),
        clock.clone(),
        config,
    )?;
    let mut subscriber = bus.subscribe().await?;
    b.read("price:7").await?;
    let mut seen = Staleness {
        stale_reads: 0,
        reads: 0,
        first_fresh_at: None,
    };
    for second in 1..=40 {
        clock.advance(Duration::from_secs(1));
        if second == 5 {
            let version = a.write("price:7", "price=12").await?;
            if apply_events {
                let event = tokio::time::timeout(Duration::from_secs(2), subscriber.recv())
                    .await
                    .context("the invalidation event was not delivered within 2 s")??;
                anyhow::ensure!(event.version == version, "unexpected event {event:?}");
                b.apply(&event);
            }
        }
        if second >= 5 {
            seen.reads += 1;
            if b.read("price:7").await?.version < 2 {
                seen.stale_reads += 1;
            } else if seen.first_fresh_at.is_none() {
                seen.first_fresh_at = Some(second);
            }
        }
    }
    Ok(seen)
}
// ANCHOR_END: demo_instances

/// Publish `n` events and time each one from `publish` until the subscriber has it: the
/// median and the 99th percentile.
async fn delivery_latency(bus: &InvalidationBus, n: u64) -> anyhow::Result<(Duration, Duration)> {
    let mut subscriber = bus.subscribe().await?;
    let mut latencies = Vec::new();
    for version in 1..=n {
        let event = Invalidation {
            key: "price:7".to_owned(),
            version,
        };
        let started = Instant::now();
        bus.publish(&event).await?;
        let received = tokio::time::timeout(Duration::from_secs(2), subscriber.recv())
            .await
            .context("an invalidation was not delivered within 2 s")??;
        latencies.push(started.elapsed());
        anyhow::ensure!(
            received == event,
            "received {received:?}, expected {event:?}"
        );
    }
    latencies.sort();
    let median = latencies
        .get(latencies.len() / 2)
        .copied()
        .unwrap_or_default();
    let p99 = latencies
        .get(latencies.len() * 99 / 100)
        .copied()
        .unwrap_or_default();
    Ok((median, p99))
}

async fn two_instances() -> anyhow::Result<()> {
    println!(
        "== (g) Two app instances, local caches with a 30 s TTL; A writes at t=5 s, B reads every second =="
    );
    let mut runs = vec![
        ("TTL only", InvalidationBus::in_process(1_024), false),
        ("event-driven", InvalidationBus::in_process(1_024), true),
    ];
    match std::env::var("REDIS_URL") {
        Ok(url) if !url.trim().is_empty() => {
            let channel = format!("ch10_demo_{}_invalidations", std::process::id());
            let bus = InvalidationBus::redis(&url, &channel)
                .await
                .context("REDIS_URL is set but Redis is unreachable")?;
            runs.push(("event-driven", bus, true));
        }
        _ => println!("(REDIS_URL not set: the Redis pub/sub row is skipped)"),
    }
    println!(
        "{:<14} {:<22} {:>12} {:>20} {:>26}",
        "invalidation", "transport", "stale reads", "fresh again at", "event delivery p50 / p99"
    );
    let mut delivered = 0;
    for (name, bus, apply_events) in runs {
        let seen = timeline(&bus, apply_events).await?;
        let fresh_at = seen
            .first_fresh_at
            .map_or("never".to_owned(), |s| format!("t={s} s"));
        let delivery = if apply_events {
            let (median, p99) = delivery_latency(&bus, 200).await?;
            delivered += 200;
            let micros = |d: Duration| d.as_secs_f64() * 1e6;
            format!("{:.1} µs / {:.1} µs", micros(median), micros(p99))
        } else {
            "-".to_owned()
        };
        println!(
            "{:<14} {:<22} {:>12} {:>20} {:>26}",
            name,
            if apply_events {
                bus.name()
            } else {
                "(events ignored)"
            },
            format!("{} of {}", seen.stale_reads, seen.reads),
            fresh_at,
            delivery
        );
    }
    println!(
        "Conclusion: with TTL only, B served the old price until its entry expired; with events, B's first read after delivery was fresh, so staleness shrank from the rest of the TTL to the delivery time ({} deliveries timed).",
        delivered
    );
    Ok(())
}
