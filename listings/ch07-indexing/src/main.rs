//! Chapter 7 demo: the same queries under six indexing strategies on SQLite (and PostgreSQL when
//! `DATABASE_URL` is set), the write cost of each index, and in-memory hash, B-tree and bitmap
//! indexes.
//!
//! `cargo run --release -p ch07-indexing` runs every experiment and exits in a few seconds.

use std::time::Duration;

use anyhow::Context as _;
use ch07_indexing::data::{DAY, customer_count};
use ch07_indexing::measure::{interleaved_medians, micros, speedup};
use ch07_indexing::{
    IndexStrategy, Order, OrderIndexes, PgOrders, Region, SqliteOrders, Status, generate_orders,
    query,
};
use clap::Parser;

#[derive(Parser)]
#[command(about = "Chapter 7: indexing. Runs the index benchmark and exits.")]
struct Cli {
    /// Rows in the orders table (100 to 5,000,000).
    #[arg(long, default_value_t = 100_000)]
    rows: usize,
    /// Seed of the data generator: the same seed gives the same table and the same plans.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

/// Timed runs per measurement; the median is reported.
const RUNS: usize = 15;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let orders = generate_orders(cli.rows, cli.seed)?;
    println!(
        "orders: {} rows, {} customers, seed {}; every figure is a median of {RUNS} runs\n",
        orders.len(),
        customer_count(orders.len()),
        cli.seed
    );
    sqlite_reads(&orders)?;
    sqlite_writes(&orders)?;
    postgres_reads(&orders).await?;
    in_memory(orders);
    Ok(())
}

// ANCHOR: sqlite_reads
fn sqlite_reads(orders: &[Order]) -> anyhow::Result<()> {
    println!(
        "== (a) SQLite: five queries, six indexing strategies, plans from EXPLAIN QUERY PLAN =="
    );
    let dbs = IndexStrategy::ALL
        .iter()
        .map(|&s| SqliteOrders::build(orders, &[s]).map(|db| (s, db)))
        .collect::<Result<Vec<_>, _>>()?;
    for q in query::ALL {
        println!("\nquery {:?}: {}", q.name, q.purpose);
        println!(
            "{:<40} {:>6} {:>12} {:>9}  plan",
            "index", "rows", "median", "vs none"
        );
        // Time every strategy in turn, round after round; the first is the baseline.
        let times = interleaved_medians(RUNS, dbs.len(), |i| {
            std::hint::black_box(dbs[i].1.execute(&q).ok());
        });
        for ((strategy, db), time) in dbs.iter().zip(&times) {
            let rows = db.execute(&q)?.rows.len();
            let plan = db.plan(&q)?.one_line();
            let vs = speedup(times[0], *time);
            println!(
                "{:<40} {rows:>6} {:>12} {vs:>9}  {plan}",
                strategy.label(),
                micros(*time)
            );
        }
    }
    println!(
        "\nConclusion: an index helps only the queries whose WHERE and ORDER BY match its leading columns; \
         the same columns in the other order, or a function of the column, fall back to SCAN."
    );
    Ok(())
}
// ANCHOR_END: sqlite_reads

fn sqlite_writes(orders: &[Order]) -> anyhow::Result<()> {
    println!("\n== (b) SQLite: the write cost of each index ==");
    println!("insert 2,000 new orders per run, one transaction, into the table of (a)");
    println!(
        "{:<40} {:>14} {:>9} {:>15} {:>12}",
        "index", "per insert", "vs none", "VM steps/row", "size"
    );
    let mut sets: Vec<(String, Vec<IndexStrategy>)> = IndexStrategy::ALL
        .iter()
        .map(|&s| (s.label().to_string(), vec![s]))
        .collect();
    sets.push(("all five indexes".to_string(), IndexStrategy::ALL.to_vec()));
    // One batch per round (plus the warm-up), with ids after the loaded rows.
    let fresh = generate_orders(2_000 * (RUNS + 1), 99)?;
    let batches: Vec<Vec<Order>> = fresh
        .chunks(2_000)
        .map(|c| {
            c.iter()
                .map(|o| Order {
                    id: o.id + orders.len() as i64,
                    ..*o
                })
                .collect()
        })
        .collect();
    let mut dbs = Vec::new();
    for (label, set) in sets {
        let db = SqliteOrders::build(orders, &set)?;
        let size = db.size_bytes()?;
        dbs.push((label, db, size, 0.0, 0));
    }
    let times = interleaved_medians(RUNS, dbs.len(), |i| {
        let (_, db, _, steps, round) = &mut dbs[i];
        *steps = db.insert(&batches[*round]).unwrap_or(f64::NAN);
        *round += 1;
    });
    let mut slowdowns = Vec::new();
    for ((label, _, size, steps, _), time) in dbs.iter().zip(&times) {
        let ratio = time.as_secs_f64() / times[0].as_secs_f64();
        slowdowns.push((label.clone(), ratio));
        let mib = format!("{:.1} MiB", *size as f64 / (1024.0 * 1024.0));
        let per_row = micros(*time / 2_000);
        println!(
            "{label:<40} {per_row:>14} {:>9} {steps:>15.0} {mib:>12}",
            format!("{ratio:.2}x")
        );
    }
    let ratio_of = |name: &str| {
        slowdowns
            .iter()
            .find(|(l, _)| l == name)
            .map_or(f64::NAN, |p| p.1)
    };
    println!(
        "\nConclusion: with all five indexes each insert took {:.2}x as long as with none; the partial \
         index, which 98% of new rows skip, cost {:.2}x.",
        ratio_of("all five indexes"),
        ratio_of(IndexStrategy::Partial.label())
    );
    Ok(())
}

async fn postgres_reads(orders: &[Order]) -> anyhow::Result<()> {
    println!("\n== (c) PostgreSQL: the same queries, plans from EXPLAIN (ANALYZE, BUFFERS) ==");
    let Ok(url) = std::env::var("DATABASE_URL") else {
        println!(
            "skipped: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it"
        );
        return Ok(());
    };
    let mut version = String::new();
    println!(
        "{:<40} {:<20} {:>10}  plan nodes",
        "index", "query", "execution"
    );
    for strategy in IndexStrategy::ALL {
        let schema = format!("ch07_demo_{}", std::process::id());
        let db = PgOrders::create(&url, &schema)
            .await
            .with_context(|| format!("creating schema {schema} at DATABASE_URL"))?;
        let result = async {
            db.load(orders, strategy).await?;
            version = db.server_version().await?;
            for q in query::ALL {
                let plan = db.plan(&q).await?;
                let nodes = plan.nodes();
                let time = plan
                    .lines
                    .iter()
                    .find_map(|l| l.strip_prefix("Execution Time: "))
                    .unwrap_or("?");
                println!(
                    "{:<40} {:<20} {time:>10}  {nodes}",
                    strategy.label(),
                    q.name
                );
            }
            Ok::<_, ch07_indexing::Error>(())
        }
        .await;
        db.drop_schema().await?;
        result?;
    }
    println!("server: PostgreSQL {version}");
    println!(
        "\nConclusion: PostgreSQL picks an index only when its cost model says it beats reading the table; \
         with the covering index, VACUUM lets it answer from the index alone (Index Only Scan)."
    );
    Ok(())
}

/// One in-memory experiment: the query, the index, and a closure returning the rows found.
type Case<'a> = (&'static str, &'static str, Box<dyn Fn() -> u64 + 'a>);

fn in_memory(orders: Vec<Order>) {
    println!("\n== (d) In memory: hash index, B-tree, bitmap indexes ==");
    let ix = OrderIndexes::build(orders);
    let day = 100 * DAY..=101 * DAY - 1;
    let (s, r) = (Status::Shipped, Region::Eu);
    let cases: Vec<Case<'_>> = vec![
        (
            "customer_id = 42",
            "scan",
            Box::new(|| ix.scan(|o| o.customer_id == 42).len() as u64),
        ),
        (
            "customer_id = 42",
            "HashMap",
            Box::new(|| ix.customer_hash(42).len() as u64),
        ),
        (
            "customer_id = 42",
            "BTreeMap",
            Box::new(|| ix.customer_btree(42).len() as u64),
        ),
        (
            "created_at in day 100",
            "scan",
            Box::new(|| ix.scan(|o| day.contains(&o.created_at)).len() as u64),
        ),
        (
            "created_at in day 100",
            "HashMap",
            Box::new(|| ix.created_hash(day.clone()).len() as u64),
        ),
        (
            "created_at in day 100",
            "BTreeMap",
            Box::new(|| ix.created_btree(day.clone()).len() as u64),
        ),
        (
            "shipped AND EU",
            "scan",
            Box::new(|| ix.scan(|o| o.status == s && o.region == r).len() as u64),
        ),
        (
            "shipped AND EU",
            "hand-built bitmap",
            Box::new(|| ix.status_region_bits(s, r).count()),
        ),
        (
            "shipped AND EU",
            "roaring",
            Box::new(|| ix.status_region_roaring(s, r).len()),
        ),
    ];
    println!(
        "{:<24} {:<18} {:>6} {:>12} {:>9}",
        "query", "index", "rows", "median", "vs scan"
    );
    let times = interleaved_medians(RUNS, cases.len(), |i| {
        std::hint::black_box((cases[i].2)());
    });
    let mut baseline = Duration::ZERO;
    for ((query, index, run), time) in cases.iter().zip(times) {
        if *index == "scan" {
            baseline = time;
        }
        let vs = speedup(baseline, time);
        println!(
            "{query:<24} {index:<18} {:>6} {:>12} {vs:>9}",
            run(),
            micros(time)
        );
    }
    let (roaring, plain) = ix.bitmap_bytes(Status::Pending);
    println!("bitmap for status = pending: roaring {roaring} bytes, hand-built {plain} bytes");
    println!(
        "\nConclusion: a hash index answers equality but not ranges; a B-tree answers both; bitmaps \
         turn predicates on low-cardinality columns into word-wide ANDs."
    );
}
