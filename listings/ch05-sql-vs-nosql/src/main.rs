//! The chapter's demo: the same users-and-orders app on every backend, three experiments.
//!
//! `cargo run -p ch05-sql-vs-nosql` runs on SQLite and the in-process document store; set
//! `DATABASE_URL` and `REDIS_URL` to add PostgreSQL and Redis.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use ch05_sql_vs_nosql::{
    Cost, DocumentRepo, Error, KvStore, MemoryKv, NewOrder, PostgresRepo, RedisKv, Repository,
    SqliteRepo, Status, WriteMode,
};
use clap::Parser;

/// Compare a relational and a document model of the same app, by cost, time and consistency.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// How many orders the test user has: how many copies of their email an update rewrites.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    orders: u32,
    /// How many times each timed operation runs; the demo prints the median.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    iterations: u32,
}

/// Every backend the run can reach: the two embedded ones always, the services when their URL
/// is set. PostgreSQL gets its own schema and Redis its own key prefix, removed at the end.
struct Backends {
    sqlite: SqliteRepo,
    memory: DocumentRepo<MemoryKv>,
    postgres: Option<PostgresRepo>,
    redis: Option<DocumentRepo<RedisKv>>,
}

/// Runs `$f(repo, args…)` on each backend in turn and collects the results.
macro_rules! on_each_backend {
    ($backends:expr, $f:ident $(, $arg:expr)*) => {{
        let b = &$backends;
        let mut rows = vec![$f(&b.sqlite $(, $arg)*).await?, $f(&b.memory $(, $arg)*).await?];
        if let Some(pg) = &b.postgres {
            rows.push($f(pg $(, $arg)*).await?);
        }
        if let Some(redis) = &b.redis {
            rows.push($f(redis $(, $arg)*).await?);
        }
        rows
    }};
}

fn env_url(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|url| !url.trim().is_empty())
}

async fn open(namespace: &str) -> Result<Backends> {
    let postgres = match env_url("DATABASE_URL") {
        None => None,
        Some(url) => Some(
            PostgresRepo::connect(&url, namespace)
                .await
                .context("DATABASE_URL is set, but PostgreSQL could not be used")?,
        ),
    };
    let redis = match env_url("REDIS_URL") {
        None => None,
        Some(url) => {
            let kv = RedisKv::connect(&url)
                .await
                .context("REDIS_URL is set, but Redis could not be used")?;
            Some(DocumentRepo::new(kv, &format!("{namespace}:")))
        }
    };
    Ok(Backends {
        sqlite: SqliteRepo::in_memory()?,
        memory: DocumentRepo::new(MemoryKv::new(), ""),
        postgres,
        redis,
    })
}

async fn close(backends: &Backends, namespace: &str) -> Result<()> {
    if let Some(pg) = &backends.postgres {
        pg.drop_schema().await?;
    }
    if let Some(redis) = &backends.redis {
        redis.kv().delete_prefix(&format!("{namespace}:")).await?;
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args = Args::parse();
    let namespace = format!("ch05_demo_{}", std::process::id());
    let backends = open(&namespace).await?;
    let result = run(&backends, &args).await;
    close(&backends, &namespace).await?;
    result
}

// ANCHOR: demo_experiments
async fn run(backends: &Backends, args: &Args) -> Result<()> {
    let fixtures = on_each_backend!(backends, fixture, args.orders);
    println!("== (a) What each access pattern costs ==");
    println!("one user with {} orders; counts per call", args.orders);
    let costs = on_each_backend!(backends, measure_costs, &fixtures);
    print_costs(&costs);
    println!("the user and their newest order as the document store holds them:");
    print_document(&backends.memory, fixtures[1]).await?;

    println!("\n== (b) Join vs embedded copy, timed ==");
    println!(
        "median of {} calls each; x = ratio to sqlite in this run",
        args.iterations
    );
    let timings = on_each_backend!(backends, measure_times, &fixtures, args.iterations);
    print_times(&timings, args.orders);

    println!("\n== (c) A crash between two writes ==");
    println!(
        "stock 10, one order of 3 placed, then an order of 2 whose writer dies after taking the stock"
    );
    let mut rows = on_each_backend!(backends, crash);
    rows.push(crash(&two_step(MemoryKv::new(), "")).await?);
    if let Some(redis) = &backends.redis {
        rows.push(crash(&two_step(redis.kv().clone(), &two_step_prefix(redis))).await?);
    }
    print_crashes(&rows);
    Ok(())
}
// ANCHOR_END: demo_experiments

/// Which user and which order each backend's experiments use.
#[derive(Debug, Clone, Copy)]
struct Fixture {
    user: u64,
    other_user: u64,
    order: u64,
}

/// A user with `orders` orders (one per second from t = 0), and a second user with one order.
async fn fixture<R: Repository>(repo: &R, orders: u32) -> Result<Fixture> {
    let user = repo
        .create_user("Ada Lovelace", "ada@example.com")
        .await?
        .id;
    let other_user = repo.create_user("Bob", "bob@example.com").await?.id;
    repo.add_product("mug", orders + 1_000_000).await?;
    let mut order = 0;
    for t in 0..orders {
        order = repo
            .place_order(&new_order(user, "mug", 1, u64::from(t)))
            .await?
            .id;
    }
    repo.place_order(&new_order(other_user, "mug", 1, 0))
        .await?;
    Ok(Fixture {
        user,
        other_user,
        order,
    })
}

fn new_order(user_id: u64, sku: &str, quantity: u32, created_at: u64) -> NewOrder {
    NewOrder {
        user_id,
        sku: sku.to_owned(),
        quantity,
        created_at,
    }
}

/// The fixture a backend got; backends are always visited in the same order.
fn fixture_for<R: Repository>(repo: &R, fixtures: &[Fixture]) -> Fixture {
    let index = match repo.name() {
        "sqlite" => 0,
        "document (memory)" => 1,
        "postgres" => 2,
        _ => fixtures.len() - 1,
    };
    fixtures[index]
}

async fn cost<R: Repository, T>(
    repo: &R,
    work: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<Cost> {
    let before = repo.meter().snapshot();
    work.await?;
    Ok(repo.meter().snapshot() - before)
}

async fn measure_costs<R: Repository>(
    repo: &R,
    fixtures: &[Fixture],
) -> Result<(String, Vec<(&'static str, Cost)>)> {
    let f = fixture_for(repo, fixtures);
    let rows = vec![
        (
            "place order",
            cost(
                repo,
                repo.place_order(&new_order(f.other_user, "mug", 1, 5)),
            )
            .await?,
        ),
        (
            "order with user",
            cost(repo, repo.order_with_user(f.order)).await?,
        ),
        (
            "orders for user",
            cost(repo, repo.orders_for_user(f.user)).await?,
        ),
        (
            "orders by status, 60 s",
            cost(repo, repo.orders_by_status(Status::Pending, 0, 60)).await?,
        ),
        (
            "update email",
            cost(repo, repo.update_email(f.user, "ada@new.example")).await?,
        ),
    ];
    Ok((repo.name().to_owned(), rows))
}

fn print_costs(rows: &[(String, Vec<(&'static str, Cost)>)]) {
    println!(
        "{:<24}{:<20}{:>12}{:>14}{:>17}",
        "operation", "backend", "round trips", "records read", "records written"
    );
    let operations = rows.first().map_or(0, |(_, ops)| ops.len());
    for op in 0..operations {
        for (i, (backend, costs)) in rows.iter().enumerate() {
            let (name, c) = costs[op];
            let label = if i == 0 { name } else { "" };
            println!(
                "{label:<24}{backend:<20}{:>12}{:>14}{:>17}",
                c.round_trips, c.records_read, c.records_written
            );
        }
    }
    let written = |backend: &str| {
        rows.iter()
            .find(|(name, _)| name == backend)
            .and_then(|(_, costs)| costs.iter().find(|(op, _)| *op == "update email"))
            .map_or(0, |(_, c)| c.records_written)
    };
    println!(
        "Conclusion: a JOIN and an embedded copy both answer \"order with user\" in one call, but an email change writes {} row in SQL and {} keys in the document store.",
        written("sqlite"),
        written("document (memory)")
    );
}

// ANCHOR: print_document
/// Shows the two documents as stored: the copy of the customer inside the order.
async fn print_document(repo: &DocumentRepo<MemoryKv>, f: Fixture) -> Result<()> {
    for key in [repo.keys().user(f.user), repo.keys().order(f.order)] {
        let json = repo.kv().get(&key).await?.unwrap_or_default();
        println!("  {key:<10} = {json}");
    }
    Ok(())
}
// ANCHOR_END: print_document

/// The median duration of `iterations` calls of `call`.
async fn median<F, Fut, T>(iterations: u32, mut call: F) -> Result<Duration>
where
    F: FnMut(u32) -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let mut samples = Vec::with_capacity(iterations as usize);
    for i in 0..iterations {
        let start = Instant::now();
        call(i).await?;
        samples.push(start.elapsed());
    }
    samples.sort();
    Ok(samples[samples.len() / 2])
}

struct Timing {
    backend: String,
    order_with_user: Duration,
    referenced: Option<Duration>,
    update_email: Duration,
}

async fn measure_times<R: Repository + MaybeReferencing>(
    repo: &R,
    fixtures: &[Fixture],
    iterations: u32,
) -> Result<Timing> {
    let f = fixture_for(repo, fixtures);
    let order_with_user = median(iterations, |_| repo.order_with_user(f.order)).await?;
    let referenced = match repo.referencing() {
        Some(doc) => Some(median(iterations, |_| doc.order_then_user_erased(f.order)).await?),
        None => None,
    };
    let update_email = median(iterations.div_ceil(4), |i| {
        let email = format!("ada{i}@example.com");
        async move { repo.update_email(f.user, &email).await }
    })
    .await?;
    Ok(Timing {
        backend: repo.name().to_owned(),
        order_with_user,
        referenced,
        update_email,
    })
}

/// The document backends can also answer "order with user" by reference (two reads), for the
/// comparison; the SQL ones have no such variant.
trait MaybeReferencing {
    fn referencing(&self) -> Option<&dyn ReferencingRead>;
}

trait ReferencingRead {
    fn order_then_user_erased(
        &self,
        id: u64,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), Error>> + '_>>;
}

impl<K: KvStore> ReferencingRead for DocumentRepo<K> {
    fn order_then_user_erased(
        &self,
        id: u64,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), Error>> + '_>> {
        Box::pin(async move { self.order_then_user(id).await.map(|_| ()) })
    }
}

impl<K: KvStore> MaybeReferencing for DocumentRepo<K> {
    fn referencing(&self) -> Option<&dyn ReferencingRead> {
        Some(self)
    }
}

impl MaybeReferencing for SqliteRepo {
    fn referencing(&self) -> Option<&dyn ReferencingRead> {
        None
    }
}

impl MaybeReferencing for PostgresRepo {
    fn referencing(&self) -> Option<&dyn ReferencingRead> {
        None
    }
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn ratio(d: Duration, base: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() / base.as_secs_f64().max(1e-12))
}

fn print_times(rows: &[Timing], orders: u32) {
    let email_header = format!("update email ({orders} copies)");
    println!(
        "{:<20}{:>17}{:>8}{:>22}{:>28}{:>8}",
        "backend", "order with user", "x", "order, then user", email_header, "x"
    );
    let Some(base) = rows.first() else { return };
    for t in rows {
        println!(
            "{:<20}{:>17}{:>8}{:>22}{:>28}{:>8}",
            t.backend,
            micros(t.order_with_user),
            ratio(t.order_with_user, base.order_with_user),
            t.referenced.map_or("-".to_owned(), micros),
            micros(t.update_email),
            ratio(t.update_email, base.update_email),
        );
    }
    if let Some(doc) = rows.iter().find(|t| t.backend == "document (memory)") {
        println!(
            "Conclusion: in process, the embedded copy reads {}x as fast as the SQLite JOIN and the email update is {}x as slow; the network rows show what round trips add.",
            ratio(base.order_with_user, doc.order_with_user),
            ratio(doc.update_email, base.update_email)
        );
    }
}

fn two_step<K: KvStore>(kv: K, prefix: &str) -> DocumentRepo<K> {
    DocumentRepo::new(kv, prefix).with_mode(WriteMode::TwoStep)
}

fn two_step_prefix(redis: &DocumentRepo<RedisKv>) -> String {
    format!("{}two_step:", redis.keys().named(""))
}

struct Crash {
    backend: String,
    how: &'static str,
    stock: u32,
    ordered: u32,
}

// ANCHOR: crash_experiment
async fn crash<R: Repository>(repo: &R) -> Result<Crash> {
    let ada = repo.create_user("Ada", "ada@example.com").await?;
    repo.add_product("kettle", 10).await?;
    repo.place_order(&new_order(ada.id, "kettle", 3, 1)).await?;
    match repo
        .place_order_interrupted(&new_order(ada.id, "kettle", 2, 2))
        .await
    {
        Err(Error::InjectedCrash) => {}
        other => anyhow::bail!(
            "{}: expected the injected crash, got {other:?}",
            repo.name()
        ),
    }
    let stock = repo.stock("kettle").await?.unwrap_or(0);
    let ordered = repo
        .orders_for_user(ada.id)
        .await?
        .iter()
        .map(|o| o.quantity)
        .sum();
    let how = match repo.name() {
        "sqlite" | "postgres" => "transaction",
        name if name.ends_with("two-step") => "separate writes",
        "document (redis)" => "Lua script",
        _ => "atomic batch",
    };
    Ok(Crash {
        backend: repo.name().to_owned(),
        how,
        stock,
        ordered,
    })
}
// ANCHOR_END: crash_experiment

fn print_crashes(rows: &[Crash]) {
    println!(
        "{:<30}{:<17}{:>12}{:>16}{:>12}",
        "backend", "writes as", "stock left", "units ordered", "units lost"
    );
    for r in rows {
        let lost = 10u32.saturating_sub(r.stock + r.ordered);
        println!(
            "{:<30}{:<17}{:>8} u{:>14} u{:>10} u",
            r.backend, r.how, r.stock, r.ordered, lost
        );
    }
    let lost: u32 = rows
        .iter()
        .map(|r| 10u32.saturating_sub(r.stock + r.ordered))
        .sum();
    let broken = rows.iter().filter(|r| r.stock + r.ordered < 10).count();
    println!(
        "Conclusion: transactions and atomic batches lost nothing; separate writes lost {lost} units in {broken} store(s): stock taken for an order that does not exist."
    );
}
