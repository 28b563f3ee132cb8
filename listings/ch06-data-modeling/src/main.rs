//! The chapter's demo: one workload, three models, the hot query measured on each.
//!
//! `cargo run -p ch06-data-modeling` runs on bundled SQLite; with `DATABASE_URL` set it adds the
//! same experiment on PostgreSQL, in a schema of its own that it drops afterwards.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use ch06_data_modeling::fanout::RowCost;
use ch06_data_modeling::{Config, Model, PgTimelines, Post, SqliteTimelines, UserId, Workload};

/// Posts per home-timeline page: the hot query's LIMIT.
const PAGE: u32 = 20;

#[derive(Parser, Debug)]
#[command(about = "Home timeline: normalized vs query-driven vs hybrid, measured")]
struct Args {
    /// Number of users.
    #[arg(long, default_value_t = Config::default().users)]
    users: u32,
    /// Ordinary accounts each user follows.
    #[arg(long, default_value_t = Config::default().follows_per_user)]
    follows: u32,
    /// Number of posts in the workload.
    #[arg(long, default_value_t = Config::default().posts)]
    posts: u32,
    /// Seed for the follow graph, the posts and the sampled readers.
    #[arg(long, default_value_t = Config::default().seed)]
    seed: u64,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let config = Config {
        users: args.users,
        follows_per_user: args.follows,
        posts: args.posts,
        seed: args.seed,
        ..Config::default()
    };
    let workload = Workload::generate(&config)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    demo(&config, &workload, &runtime)
}

// ANCHOR: demo_experiments
fn demo(config: &Config, workload: &Workload, rt: &tokio::runtime::Runtime) -> Result<()> {
    println!(
        "workload: {} users ({} celebrities followed by ~{}% of users each), {} ordinary follows per user, {} posts, seed {}",
        config.users,
        config.celebrities,
        config.celebrity_reach_percent,
        config.follows_per_user,
        config.posts,
        config.seed
    );
    let stores = Model::ALL
        .iter()
        .map(|&model| {
            let store = SqliteTimelines::open_in_memory(model)?;
            store.load(workload)?;
            Ok(store)
        })
        .collect::<Result<Vec<_>>>()?;
    let hot_reader = busiest_reader(workload);

    hot_query_plans(&stores, hot_reader)?; // (a) what each plan reads
    growth(config.seed)?; // (b) how each plan's cost grows with history
    hot_query_latency(&stores, workload, hot_reader, config.seed)?; // (c) how long it takes
    let row_cost = write_cost(&stores, workload)?; // (d) what fan-out costs on write
    celebrity_arithmetic(row_cost); // (e) the 1 M-follower post, computed
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => rt.block_on(postgres(&url, workload, hot_reader))?,
        _ => println!(
            "\n== (f) PostgreSQL ==\nskipped: set DATABASE_URL to run the hot query on PostgreSQL"
        ),
    }
    Ok(())
}
// ANCHOR_END: demo_experiments

/// The reader whose followees wrote the most posts: the worst case for fan-out on read.
fn busiest_reader(w: &Workload) -> UserId {
    let mut posts_by = std::collections::HashMap::<UserId, u64>::new();
    for p in &w.posts {
        *posts_by.entry(p.author).or_default() += 1;
    }
    let mut candidates = std::collections::HashMap::<UserId, u64>::new();
    for &(follower, followee) in &w.follows {
        *candidates.entry(follower).or_default() += posts_by.get(&followee).copied().unwrap_or(0);
    }
    candidates
        .into_iter()
        .max_by_key(|&(user, n)| (n, std::cmp::Reverse(user)))
        .map_or(0, |(user, _)| user)
}

fn hot_query_plans(stores: &[SqliteTimelines], reader: UserId) -> Result<()> {
    println!(
        "\n== (a) The hot query on SQLite: plan and cost for reader {reader} (LIMIT {PAGE}) =="
    );
    println!(
        "{:<34}{:>16}{:>12}{:>8}{:>10}",
        "model", "range searches", "VM steps", "sorts", "returned"
    );
    let mut costs = Vec::new();
    for store in stores {
        let cost = store.hot_query_cost(reader, PAGE)?;
        println!(
            "{:<34}{:>16}{:>12}{:>8}{:>10}",
            store.model().name(),
            cost.searches,
            cost.work_units,
            cost.sorts,
            cost.rows_returned
        );
        costs.push(cost);
    }
    for (store, cost) in stores.iter().zip(&costs) {
        println!("plan, {} (EXPLAIN QUERY PLAN):", store.model().name());
        for line in &cost.plan {
            println!("  {line}");
        }
    }
    let (naive, driven) = (&costs[0], &costs[1]);
    println!(
        "Conclusion: the normalized plan starts {} range searches and sorts their rows to return {}; the query-driven plan is {} search in key order with no sort, and {:.1}x fewer VM steps.",
        naive.searches,
        naive.rows_returned,
        driven.searches,
        naive.work_units as f64 / driven.work_units.max(1) as f64
    );
    Ok(())
}

/// 1234567 -> "1,234,567".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The same hot query for readers who follow more and more accounts (history per author fixed).
fn growth(seed: u64) -> Result<()> {
    println!(
        "\n== (b) The hot query as the reader follows more accounts: 400 users, ~5 posts per author, busiest reader, LIMIT {PAGE} =="
    );
    println!(
        "{:>10}{:>14}{:>22}{:>22}{:>24}",
        "follows",
        "followees",
        "normalized searches",
        "normalized VM steps",
        "query-driven VM steps"
    );
    let mut last = (0, 0, 0);
    for follows_per_user in [10, 40, 160] {
        let config = Config {
            users: 400,
            posts: 2_000,
            follows_per_user,
            seed,
            ..Config::default()
        };
        let w = Workload::generate(&config)?;
        let reader = busiest_reader(&w);
        let followees = w.follows.iter().filter(|&&(f, _)| f == reader).count();
        let mut row = Vec::new();
        for model in [Model::Normalized, Model::FanOutOnWrite] {
            let store = SqliteTimelines::open_in_memory(model)?;
            store.load(&w)?;
            row.push(store.hot_query_cost(reader, PAGE)?);
        }
        println!(
            "{:>10}{:>14}{:>22}{:>22}{:>24}",
            follows_per_user, followees, row[0].searches, row[0].work_units, row[1].work_units
        );
        last = (followees, row[0].work_units, row[1].work_units);
    }
    println!(
        "Conclusion: the normalized read's work grows with the accounts followed (to {} VM steps for {} followees); the query-driven read stays at {} whatever the reader follows.",
        last.1, last.0, last.2
    );
    Ok(())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn hot_query_latency(
    stores: &[SqliteTimelines],
    w: &Workload,
    hot_reader: UserId,
    seed: u64,
) -> Result<()> {
    const READERS: usize = 200;
    const ROUNDS: usize = 5;
    println!(
        "\n== (c) Hot-query latency on SQLite: median of {ROUNDS} rounds over {READERS} random readers, and of {} runs for reader {hot_reader} ==",
        READERS * ROUNDS
    );
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let readers: Vec<UserId> = (0..READERS)
        .map(|_| rng.random_range(0..w.users.len() as i64))
        .collect();
    let mut rows = Vec::new();
    for store in stores {
        let mut prepared = store.reader()?; // statements parsed once, outside the timing
        let mut random = Vec::new();
        let mut hot = Vec::new();
        for _ in 0..ROUNDS {
            for &reader in &readers {
                let t = Instant::now();
                std::hint::black_box(prepared.read(reader, PAGE)?);
                random.push(t.elapsed());
                let t = Instant::now();
                std::hint::black_box(prepared.read(hot_reader, PAGE)?);
                hot.push(t.elapsed());
            }
        }
        rows.push((store.model().name(), median(random), median(hot)));
    }
    let fastest = rows.iter().map(|r| r.1).min().unwrap_or_default();
    println!(
        "{:<34}{:>16}{:>12}{:>16}",
        "model", "median (random)", "x fastest", "median (hot)"
    );
    for (name, random, hot) in &rows {
        println!(
            "{:<34}{:>13.1} us{:>12.1}{:>13.1} us",
            name,
            micros(*random),
            micros(*random) / micros(fastest).max(1e-9),
            micros(*hot)
        );
    }
    println!(
        "Conclusion: reading a stored timeline took {:.1} us at the median against {:.1} us for the join-and-sort, {:.1}x less, measured in this run.",
        micros(rows[1].1),
        micros(rows[0].1),
        micros(rows[0].1) / micros(rows[1].1).max(1e-9)
    );
    Ok(())
}

fn write_cost(stores: &[SqliteTimelines], w: &Workload) -> Result<RowCost> {
    const POSTS: i64 = 50;
    println!(
        "\n== (d) The write side on SQLite: storage, and {POSTS} extra posts by a typical author and by the top celebrity =="
    );
    let mut by_followers: Vec<(usize, UserId)> = w
        .users
        .iter()
        .map(|&(u, _)| (w.follower_count(u), u))
        .collect();
    by_followers.sort();
    let typical = by_followers[by_followers.len() / 2];
    let celebrity = by_followers[by_followers.len() - 1];
    let base_bytes = stores[0].storage_bytes()?;
    println!(
        "{:<34}{:>14}{:>12}{:>20}{:>20}",
        "model", "timeline rows", "storage", "typical post", "celebrity post"
    );
    let mut next_id = w.posts.len() as i64 + 1;
    let mut celebrity_micros = 0.0;
    for store in stores {
        let mut cells = Vec::new();
        for (followers, author) in [typical, celebrity] {
            let mut times = Vec::new();
            let mut rows = 0;
            for _ in 0..POSTS {
                let post = Post {
                    id: next_id,
                    author,
                    created_at: next_id,
                };
                next_id += 1;
                let t = Instant::now();
                rows = store.post(&post)?;
                times.push(t.elapsed());
            }
            let m = micros(median(times));
            if store.model() == Model::FanOutOnWrite && author == celebrity.1 {
                celebrity_micros = m / followers.max(1) as f64;
            }
            cells.push(format!("{rows} rows {m:.0} us"));
        }
        println!(
            "{:<34}{:>14}{:>8.1} MiB{:>20}{:>20}",
            store.model().name(),
            store.timeline_rows()?,
            store.storage_bytes()? as f64 / 1_048_576.0,
            cells[0],
            cells[1]
        );
    }
    let fanned = &stores[1];
    let bytes = (fanned.storage_bytes()?.saturating_sub(base_bytes)) as f64
        / fanned.timeline_rows()?.max(1) as f64;
    println!(
        "typical author: {} followers; top celebrity: {} followers; one timeline row = {bytes:.0} B (extra storage / rows), {celebrity_micros:.2} us (celebrity post time / followers)",
        typical.0, celebrity.0
    );
    println!(
        "Conclusion: fan-out on write moves the cost to the writer: a post costs one timeline row per follower, and the hybrid model caps it by leaving celebrities to the reader."
    );
    Ok(RowCost {
        bytes,
        micros: celebrity_micros,
    })
}

fn celebrity_arithmetic(row: RowCost) {
    println!(
        "\n== (e) One post by an account with 1,000,000 followers, fan-out on write (computed from (d)) =="
    );
    let cost = row.post_by(1_000_000);
    println!(
        "timeline rows = 1,000,000 followers x 1 row per follower = {} rows",
        grouped(cost.rows)
    );
    println!(
        "storage       = {} rows x {:.0} B per row = {:.1} MiB",
        grouped(cost.rows),
        row.bytes,
        cost.bytes / 1_048_576.0
    );
    println!(
        "write time    = {} rows x {:.2} us per row = {:.2} s on one core",
        grouped(cost.rows),
        row.micros,
        cost.seconds
    );
    println!(
        "Conclusion: one celebrity post costs a million row writes before the last follower can see it; the hybrid model turns them into one range scan per reader."
    );
}

async fn postgres(url: &str, w: &Workload, reader: UserId) -> Result<()> {
    println!(
        "\n== (f) The hot query on PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) for reader {reader} (LIMIT {PAGE}) =="
    );
    let schema_base = format!("ch06_demo_{}", std::process::id());
    let mut costs = Vec::new();
    let mut medians = Vec::new();
    for (i, model) in [Model::Normalized, Model::FanOutOnWrite]
        .into_iter()
        .enumerate()
    {
        let store = PgTimelines::connect(url, &format!("{schema_base}_{i}"), model)
            .await
            .context("DATABASE_URL is set but the demo could not set up PostgreSQL")?;
        let run = async {
            store.load(w).await?;
            let cost = store.hot_query_cost(reader, i64::from(PAGE)).await?;
            let mut times = Vec::new();
            for _ in 0..200 {
                let t = Instant::now();
                std::hint::black_box(store.timeline(reader, i64::from(PAGE)).await?);
                times.push(t.elapsed());
            }
            Ok::<_, ch06_data_modeling::Error>((cost, median(times)))
        }
        .await;
        store.drop_schema().await?;
        let (cost, m) = run?;
        costs.push((model, cost));
        medians.push(m);
    }
    println!(
        "{:<34}{:>10}{:>11}{:>9}{:>7}{:>10}{:>17}",
        "model", "searches", "rows read", "buffers", "sorts", "returned", "median latency"
    );
    for ((model, cost), m) in costs.iter().zip(&medians) {
        println!(
            "{:<34}{:>10}{:>11}{:>9}{:>7}{:>10}{:>14.1} us",
            model.name(),
            cost.searches,
            cost.rows_read.unwrap_or(0),
            cost.work_units,
            cost.sorts,
            cost.rows_returned,
            micros(*m)
        );
    }
    for (model, cost) in &costs {
        println!("plan, {}:", model.name());
        for line in &cost.plan {
            println!("  {line}");
        }
    }
    println!(
        "Conclusion: on PostgreSQL the normalized plan read {} rows in {} searches and touched {} buffers; the query-driven plan read {} rows in {} search and touched {}.",
        costs[0].1.rows_read.unwrap_or(0),
        costs[0].1.searches,
        costs[0].1.work_units,
        costs[1].1.rows_read.unwrap_or(0),
        costs[1].1.searches,
        costs[1].1.work_units
    );
    Ok(())
}
