//! Chapter 9 demo: four eviction policies and moka on the same Zipf trace, with and without
//! scans; then five read/write patterns through a two-level cache shared by two servers.
//!
//! `cargo run -p ch09-caching` runs the experiments and exits (add `-- --help` for options).

use std::collections::HashMap;

use anyhow::Context as _;
use ch09_caching::workload::{hit_ratio, moka_hit_ratio, with_scans, zipf_trace};
use ch09_caching::{
    CacheAside, Database, InProcessTier, Pattern, Policy, RedisTier, SharedTier, Tier, TieredCache,
    Workload, WritePolicy,
};
use clap::Parser;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Zipf};

#[derive(Parser)]
#[command(about = "Chapter 9: caching. Runs the hit-ratio and multi-level cache experiments.")]
struct Cli {
    /// Seed for every random choice: the same seed replays the same traces.
    #[arg(long, default_value_t = 9)]
    seed: u64,
    /// Requests in the hit-ratio trace (10000 to 5000000).
    #[arg(long, default_value_t = 200_000, value_parser = clap::value_parser!(u64).range(10_000..=5_000_000))]
    requests: u64,
}

/// Distinct keys in the hit-ratio experiment, and the Zipf exponent of the popularity.
const KEYS: u64 = 10_000;
const EXPONENT: f64 = 0.9;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let workload = Workload {
        keys: KEYS,
        exponent: EXPONENT,
        requests: usize::try_from(cli.requests).context("--requests does not fit in memory")?,
        seed: cli.seed,
    };
    hit_ratios(&workload)?;
    patterns(cli.seed)?;
    Ok(())
}

fn hit_ratios(workload: &Workload) -> anyhow::Result<()> {
    let zipf = zipf_trace(workload)?;
    // Every 4,000 requests, a scan of 1,000 keys never seen before (a batch job, a crawler).
    let scanned = with_scans(&zipf, 4_000, 1_000, workload.keys);
    let traces = [
        ("(a) Zipf trace", &zipf),
        ("(b) Zipf trace with scans", &scanned),
    ];
    for (title, trace) in traces {
        println!("== {title}: hit ratio by policy and cache size ==");
        println!(
            "{} keys, Zipf s = {}, {} requests, seed {}",
            workload.keys,
            workload.exponent,
            trace.len(),
            workload.seed
        );
        print!("{:>16}", "cache size");
        for policy in Policy::ALL {
            print!("{:>11}", policy_name(policy));
        }
        println!("{:>13}{:>11}", "moka TinyLFU", "moka LRU");
        for percent in [1, 5, 10] {
            let capacity = (workload.keys * percent / 100) as usize;
            print!("{:>16}", format!("{capacity} ({percent}%)"));
            for policy in Policy::ALL {
                let mut cache = policy.build::<u64, u64>(capacity)?;
                print!("{:>10.1}%", 100.0 * hit_ratio(cache.as_mut(), trace));
            }
            let tiny = moka_hit_ratio(capacity as u64, true, trace);
            let lru = moka_hit_ratio(capacity as u64, false, trace);
            println!("{:>12.1}%{:>10.1}%", 100.0 * tiny, 100.0 * lru);
        }
        println!();
    }
    println!(
        "Conclusion: on skewed traffic the frequency-aware policies (LFU, W-TinyLFU, moka) beat \
         LRU and FIFO, and a scan pushes the hot keys out of LRU and FIFO but not past TinyLFU's \
         admission test.\n"
    );
    Ok(())
}

fn policy_name(policy: Policy) -> &'static str {
    match policy {
        Policy::Lru => "LRU",
        Policy::Fifo => "FIFO",
        Policy::Lfu => "LFU",
        Policy::WTinyLfu => "W-TinyLFU",
    }
}

/// Keys, L1 size and operations of the multi-level experiment.
const PATTERN_KEYS: u64 = 2_000;
const L1_CAPACITY: usize = 100;
const OPERATIONS: u64 = 20_000;
const WRITE_PERCENT: u32 = 10;
const FLUSH_EVERY: u64 = 1_000;

fn patterns(seed: u64) -> anyhow::Result<()> {
    println!("== (c) Read and write patterns: two servers, each with an L1, one shared L2 ==");
    println!(
        "{PATTERN_KEYS} keys, Zipf s = {EXPONENT}, {OPERATIONS} operations ({WRITE_PERCENT}% writes) \
         alternating between servers A and B; L1 = LRU of {L1_CAPACITY} entries per server; \
         write-back flushes every {FLUSH_EVERY} operations"
    );
    println!(
        "{:<36}{:>12}{:>8}{:>8}{:>10}{:>10}{:>8}{:>15}",
        "pattern", "L2", "L1 hit", "L2 hit", "DB reads", "DB writes", "stale", "at risk (max)"
    );
    let redis_url = std::env::var("REDIS_URL")
        .ok()
        .filter(|u| !u.trim().is_empty());
    let prefix = format!("ch09:demo:{}", std::process::id());
    let mut l2_kinds = vec!["in-process"];
    if redis_url.is_some() {
        l2_kinds.push("Redis");
    }
    for l2_kind in l2_kinds {
        for pattern in ["cache-aside", "write-through", "write-back", "write-around"] {
            // Every run starts cold: a fresh database, an empty L2, empty L1s.
            clear_redis(redis_url.as_deref(), &prefix)?;
            let db = Database::seeded(PATTERN_KEYS);
            let shared = InProcessTier::default();
            let server = || -> anyhow::Result<Box<dyn Pattern>> {
                let l2: Box<dyn SharedTier> = match (l2_kind, redis_url.as_deref()) {
                    ("Redis", Some(url)) => Box::new(
                        RedisTier::connect(url, &prefix)
                            .with_context(|| format!("cannot use REDIS_URL={url}"))?,
                    ),
                    _ => Box::new(shared.clone()),
                };
                let policy = match pattern {
                    "cache-aside" => {
                        return Ok(Box::new(CacheAside::new(L1_CAPACITY, l2, db.clone())?));
                    }
                    "write-through" => WritePolicy::WriteThrough,
                    "write-back" => WritePolicy::WriteBack,
                    _ => WritePolicy::WriteAround,
                };
                Ok(Box::new(TieredCache::new(
                    L1_CAPACITY,
                    l2,
                    db.clone(),
                    policy,
                )?))
            };
            let mut servers = [server()?, server()?];
            let run = replay(&mut servers, seed)?;
            println!(
                "{:<36}{:>12}{:>7.1}%{:>7.1}%{:>10}{:>10}{:>8}{:>15}",
                servers[0].name(),
                l2_kind,
                run.percent(run.l1_hits),
                run.percent(run.l2_hits),
                db.reads(),
                db.writes(),
                run.stale_reads,
                run.max_at_risk,
            );
        }
    }
    clear_redis(redis_url.as_deref(), &prefix)?;
    println!(
        "\nConclusion: every pattern serves stale reads from the other server's L1; write-back \
         cuts database writes the most but holds acknowledged writes that a crash loses."
    );
    Ok(())
}

/// What one replay saw.
struct Run {
    reads: u64,
    l1_hits: u64,
    l2_hits: u64,
    stale_reads: u64,
    /// The most acknowledged writes that existed only in server memory at any moment: what a
    /// crash at the worst time would lose.
    max_at_risk: usize,
}

impl Run {
    fn percent(&self, n: u64) -> f64 {
        100.0 * n as f64 / self.reads.max(1) as f64
    }
}

/// Alternate operations between the two servers; a read is **stale** when it returns anything
/// but the newest acknowledged write of its key.
// ANCHOR: demo_replay
fn replay(servers: &mut [Box<dyn Pattern>; 2], seed: u64) -> anyhow::Result<Run> {
    let zipf = Zipf::new(PATTERN_KEYS as f64, EXPONENT)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut newest: HashMap<u64, String> = HashMap::new();
    let mut run = Run {
        reads: 0,
        l1_hits: 0,
        l2_hits: 0,
        stale_reads: 0,
        max_at_risk: 0,
    };
    for op in 0..OPERATIONS {
        let server = &mut servers[(op % 2) as usize];
        let key = zipf.sample(&mut rng) as u64 - 1;
        if rng.random_range(0..100) < WRITE_PERCENT {
            let value = format!("w{op}");
            server.write(key, &value)?;
            newest.insert(key, value);
        } else {
            let lookup = server.read(key)?;
            run.reads += 1;
            match lookup.served_by {
                Tier::L1 => run.l1_hits += 1,
                Tier::L2 => run.l2_hits += 1,
                Tier::Database => {}
            }
            let expected = newest.get(&key).map_or("v0", String::as_str);
            if lookup.value.as_deref() != Some(expected) {
                run.stale_reads += 1;
            }
        }
        let at_risk = servers.iter().map(|s| s.unflushed()).sum::<usize>();
        run.max_at_risk = run.max_at_risk.max(at_risk);
        if (op + 1) % FLUSH_EVERY == 0 {
            for server in servers.iter_mut() {
                server.flush()?;
            }
        }
    }
    Ok(run)
}
// ANCHOR_END: demo_replay

fn clear_redis(url: Option<&str>, prefix: &str) -> anyhow::Result<()> {
    if let Some(url) = url {
        RedisTier::connect(url, prefix)?.delete_all()?;
    }
    Ok(())
}
