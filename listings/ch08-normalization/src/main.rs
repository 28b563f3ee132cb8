//! Chapter 8 demo: the three anomalies on a wide table, the same writes in 3NF, a denormalized
//! read model kept (or not kept) in sync, and what the copy saves on reads and costs on writes.
//! With `DATABASE_URL` set, the same on PostgreSQL, plus a materialized view.
//!
//! `cargo run -p ch08-normalization` runs everything on in-memory SQLite and exits.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use ch08_normalization::plan::{postgres_relations_read, sqlite_query_cost};
use ch08_normalization::schema::{CUSTOMER_ORDERS_BY_JOIN, CUSTOMER_ORDERS_FROM_READ_MODEL};
use ch08_normalization::{
    Drift, PgReadModel, PgShop, Population, ReadModelSync, Shop, WideOrders, WideRow,
};
use clap::Parser;

#[derive(Parser)]
#[command(about = "Chapter 8: normalization. Runs the experiments and exits.")]
struct Cli {
    /// Customers in the read- and write-cost experiments.
    #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(i64).range(1..=1_000_000))]
    customers: i64,
    /// Orders (three lines each) loaded before measuring.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(i64).range(1..=1_000_000))]
    orders: i64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let population = Population {
        customers: cli.customers,
        products: 50,
        orders: cli.orders,
    };
    run_experiments(population).await
}

// ANCHOR: demo_experiments
async fn run_experiments(population: Population) -> anyhow::Result<()> {
    wide_table_anomalies()?;
    normalized_has_no_anomalies()?;
    keeping_the_copy_in_sync()?;
    read_cost(population)?;
    write_cost(population)?;
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => postgres(&url, population).await?,
        _ => println!("\n(PostgreSQL experiments skipped: set DATABASE_URL to run them)"),
    }
    Ok(())
}
// ANCHOR_END: demo_experiments

fn print_wide(rows: &[WideRow]) {
    println!(
        "  {:<5} {:<6} {:<5} {:<6} {:<18} {:<9} {:>10} {:>4}",
        "order", "sku", "cust", "name", "email", "product", "price", "qty"
    );
    for r in rows {
        println!(
            "  {:<5} {:<6} {:<5} {:<6} {:<18} {:<9} {:>6} USD {:>4}",
            r.order_id,
            r.product_sku,
            r.customer_id,
            r.customer_name,
            r.customer_email,
            r.product_name,
            format!(
                "{}.{:02}",
                r.unit_price_cents / 100,
                r.unit_price_cents % 100
            ),
            r.quantity
        );
    }
}

fn wide_table_anomalies() -> anyhow::Result<()> {
    println!("== (a) One wide table: the three anomalies, on purpose ==");
    let wide = WideOrders::with_sample_rows()?;
    println!("orders_wide, key (order_id, product_sku):");
    print_wide(&wide.rows()?);

    println!("\nUpdate anomaly: Alice changes her email on order 1's page.");
    println!("  UPDATE orders_wide SET customer_email = 'alice@new.example' WHERE order_id = 1");
    let touched = wide.change_email_on_one_order(1, "alice@new.example")?;
    println!("  {touched} rows updated; the table now says:");
    print_wide(&wide.rows()?);
    println!("  emails stored for customer 1: {:?}", wide.emails_of(1)?);

    println!("\nInsertion anomaly: record a new product, Headset, that nobody has ordered yet.");
    match wide.add_product_without_orders("HS-03", "Headset", 5900) {
        Ok(()) => println!("  inserted (unexpected)"),
        Err(e) => println!("  refused: {e}"),
    }
    println!(
        "  rows mentioning HS-03: {}",
        wide.rows_mentioning_product("HS-03")?
    );

    println!("\nDeletion anomaly: Bob cancels order 3, his only order.");
    let deleted = wide.delete_order(3)?;
    println!(
        "  {deleted} row deleted; rows still mentioning customer 2 (Bob): {}",
        wide.rows_mentioning_customer(2)?
    );
    println!(
        "Conclusion: one wide table gave one customer two emails, could not hold a product without an order, and forgot Bob when his order went."
    );
    Ok(())
}

fn normalized_has_no_anomalies() -> anyhow::Result<()> {
    println!("\n== (b) The same three writes on the 3NF schema ==");
    let mut shop = Shop::open_in_memory(ReadModelSync::Unsynced)?;
    let alice = shop.add_customer("Alice", "alice@old.example")?;
    let bob = shop.add_customer("Bob", "bob@example.com")?;
    let keyboard = shop.add_product("KB-01", "Keyboard", 4900)?;
    let mouse = shop.add_product("MS-02", "Mouse", 1900)?;
    shop.place_order(alice, &[(keyboard, 1), (mouse, 2)])?;
    shop.place_order(alice, &[(keyboard, 1)])?;
    let bobs = shop.place_order(bob, &[(mouse, 1)])?;
    let conn = shop.connection();
    let touched = conn.execute(
        "UPDATE customers SET email = 'alice@new.example' WHERE id = ?1",
        [alice],
    )?;
    let emails: i64 = conn.query_row(
        "SELECT count(DISTINCT email) FROM customers WHERE id = ?1",
        [alice],
        |r| r.get(0),
    )?;
    println!("update:    {touched} row updated; emails stored for Alice: {emails}");
    let headset = shop.add_product("HS-03", "Headset", 5900)?;
    println!("insert:    product {headset} (Headset) recorded with no orders");
    shop.delete_order(bobs)?;
    let bob_row: (String, String) = shop.connection().query_row(
        "SELECT name, email FROM customers WHERE id = ?1",
        [bob],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    println!(
        "delete:    order {bobs} deleted; customer {bob} is still {} <{}>",
        bob_row.0, bob_row.1
    );
    println!(
        "Conclusion: in 3NF each fact is one row, so each of the three writes touched exactly the fact it meant to."
    );
    Ok(())
}

fn drift_cell(drift: &Drift) -> String {
    format!(
        "{} stale, {} missing",
        drift.stale.len(),
        drift.missing.len()
    )
}

fn keeping_the_copy_in_sync() -> anyhow::Result<()> {
    println!("\n== (c) A denormalized read model, three ways to keep it in sync ==");
    println!(
        "order_summary copies customer name and email and the order total; each shop starts from an exact copy, then takes the same 6 writes through its methods, then 1 raw SQL UPDATE"
    );
    println!(
        "{:<24} {:>30} {:>30}",
        "read model", "after 6 writes (rows)", "after raw UPDATE (rows)"
    );
    let mut unsynced_rows = Vec::new();
    for sync in ReadModelSync::ALL {
        let mut shop = Shop::open_in_memory(sync)?;
        let alice = shop.add_customer("Alice", "alice@old.example")?;
        let bob = shop.add_customer("Bob", "bob@example.com")?;
        let keyboard = shop.add_product("KB-01", "Keyboard", 4900)?;
        let mouse = shop.add_product("MS-02", "Mouse", 1900)?;
        let first = shop.place_order(alice, &[(keyboard, 1), (mouse, 2)])?;
        // Bob's order is not the newest, so the next order does not reuse its id.
        let bobs = shop.place_order(bob, &[(mouse, 1)])?;
        let second = shop.place_order(alice, &[(keyboard, 1)])?;
        shop.rebuild_read_model()?;

        shop.change_email(alice, "alice@new.example")?;
        shop.add_line(second, mouse, 3)?;
        shop.change_quantity(first, keyboard, 5)?;
        shop.remove_line(first, mouse)?;
        shop.delete_order(bobs)?;
        shop.place_order(bob, &[(keyboard, 2)])?;
        let after_writes = shop.drift()?;
        if sync == ReadModelSync::Unsynced {
            unsynced_rows = shop.read_model()?;
        }
        shop.connection().execute(
            "UPDATE customers SET name = 'Alicia' WHERE id = ?1",
            [alice],
        )?;
        let after_raw = shop.drift()?;
        println!(
            "{:<24} {:>30} {:>30}",
            sync.label(),
            drift_cell(&after_writes),
            drift_cell(&after_raw)
        );
    }
    println!("the unsynced copy after the 6 writes (what an order list would show):");
    for row in &unsynced_rows {
        println!("  {row}");
    }
    println!(
        "Conclusion: only the trigger-maintained copy matched the join after every write; the application's copy missed the raw UPDATE and the unsynced copy missed everything."
    );
    Ok(())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn micros(d: Duration) -> String {
    format!("{:.2} us", d.as_secs_f64() * 1e6)
}

fn read_cost(population: Population) -> anyhow::Result<()> {
    println!("\n== (d) Read cost: one customer's order list, by join and from the read model ==");
    let mut shop = Shop::open_in_memory(ReadModelSync::Trigger)?;
    shop.populate(population)?;
    println!(
        "SQLite in memory, {} customers, {} orders, {} lines",
        population.customers,
        population.orders,
        population.orders * 3
    );
    let conn = shop.connection();
    let customer = 7.min(population.customers);
    let queries = [
        ("3NF join", CUSTOMER_ORDERS_BY_JOIN),
        ("read model", CUSTOMER_ORDERS_FROM_READ_MODEL),
    ];
    let mut rows = Vec::new();
    for (name, sql) in queries {
        let cost = sqlite_query_cost(conn, sql, customer)?;
        println!("EXPLAIN QUERY PLAN, {name}:");
        for line in &cost.plan {
            println!("  {line}");
        }
        // Time it: 21 batches of 200 queries, each for another customer; median per query.
        // ANCHOR: read_cost
        let mut stmt = conn.prepare(sql)?; // prepared once: we time execution, not parsing
        let mut samples = Vec::new();
        for batch in 0..21 {
            let start = Instant::now();
            for i in 0..200 {
                let id = 1 + (batch * 200 + i) % population.customers;
                let _ = stmt.query_map([id], |_| Ok(()))?.count();
            }
            samples.push(start.elapsed() / 200);
        }
        // ANCHOR_END: read_cost
        rows.push((name, cost, median(samples)));
    }
    println!(
        "{:<12} {:>14} {:>8} {:>10} {:>14} {:>10}",
        "query", "table reads", "rows", "VM steps", "median", "x copy"
    );
    let fastest = rows.iter().map(|r| r.2).min().unwrap_or_default();
    for (name, cost, t) in &rows {
        println!(
            "{:<12} {:>14} {:>8} {:>10} {:>14} {:>10.2}",
            name,
            cost.table_accesses,
            cost.rows,
            cost.vm_steps,
            micros(*t),
            t.as_secs_f64() / fastest.as_secs_f64().max(f64::MIN_POSITIVE)
        );
    }
    println!(
        "Conclusion: the read model answers from one table and one index range; the join touches three tables and aggregates the lines on every read."
    );
    Ok(())
}

fn write_cost(population: Population) -> anyhow::Result<()> {
    println!("\n== (e) Write cost: what keeping the copy in sync adds to each write ==");
    println!(
        "each mode: a fresh shop with the same data; 21 batches of 100 writes; median per write"
    );
    println!(
        "{:<24} {:>16} {:>8} {:>16} {:>8}",
        "read model", "place_order", "x", "change_email", "x"
    );
    let mut baseline: Option<(Duration, Duration)> = None;
    let mut trigger_ratios = (0.0, 0.0);
    for sync in ReadModelSync::ALL {
        let mut shop = Shop::open_in_memory(sync)?;
        shop.populate(population)?;
        // ANCHOR: write_cost
        let (mut orders, mut emails) = (Vec::new(), Vec::new());
        for batch in 0..21 {
            let start = Instant::now();
            for i in 0..100 {
                let customer = 1 + (batch * 100 + i) % population.customers;
                shop.place_order(customer, &[(1, 1), (2, 2), (3, 1)])?;
            }
            orders.push(start.elapsed() / 100);
            let start = Instant::now();
            for i in 0..100 {
                let customer = 1 + (batch * 100 + i) % population.customers;
                shop.change_email(customer, &format!("c{customer}.b{batch}@example.com"))?;
            }
            emails.push(start.elapsed() / 100);
        }
        // ANCHOR_END: write_cost
        let (order, email) = (median(orders), median(emails));
        let (base_order, base_email) = *baseline.get_or_insert((order, email));
        println!(
            "{:<24} {:>16} {:>8.2} {:>16} {:>8.2}",
            sync.label(),
            micros(order),
            order.as_secs_f64() / base_order.as_secs_f64(),
            micros(email),
            email.as_secs_f64() / base_email.as_secs_f64()
        );
        anyhow::ensure!(sync == ReadModelSync::Unsynced || shop.drift()?.is_consistent());
        if sync == ReadModelSync::Trigger {
            trigger_ratios = (
                order.as_secs_f64() / base_order.as_secs_f64(),
                email.as_secs_f64() / base_email.as_secs_f64(),
            );
        }
    }
    println!(
        "change_email rewrites every summary row of the customer: here about {} orders each",
        population.orders / population.customers
    );
    println!(
        "Conclusion: with the trigger, placing an order cost {:.1}x and changing an email {:.1}x what the same write costs on the normalized tables alone.",
        trigger_ratios.0, trigger_ratios.1
    );
    Ok(())
}

async fn postgres(url: &str, population: Population) -> anyhow::Result<()> {
    let schema = format!("ch08_demo_{}", std::process::id());
    let mut shop = PgShop::create(url, &schema, PgReadModel::Trigger)
        .await
        .with_context(|| "cannot set up the PostgreSQL schema; is DATABASE_URL right?")?;
    let result = postgres_experiments(&mut shop, url, population).await;
    shop.drop_schema().await?;
    result
}

async fn postgres_experiments(
    shop: &mut PgShop,
    url: &str,
    population: Population,
) -> anyhow::Result<()> {
    println!("\n== (f) PostgreSQL: trigger-maintained table and materialized view ==");
    let alice = shop.add_customer("Alice", "alice@old.example").await?;
    let keyboard = shop.add_product("KB-01", "Keyboard", 4900).await?;
    shop.place_order(alice, &[(keyboard, 1)]).await?;
    shop.create_materialized_view().await?;
    shop.change_email(alice, "alice@new.example").await?;
    shop.place_order(alice, &[(keyboard, 2)]).await?;
    println!("after changing Alice's email and placing a second order:");
    println!("order_summary (trigger):");
    for row in shop.read_model().await? {
        println!("  {row}");
    }
    println!("order_summary_mv (materialized view, before REFRESH):");
    for row in shop.materialized_view().await? {
        println!("  {row}");
    }
    shop.refresh_materialized_view().await?;
    println!("order_summary_mv (after REFRESH MATERIALIZED VIEW CONCURRENTLY):");
    for row in shop.materialized_view().await? {
        println!("  {row}");
    }
    println!(
        "trigger table vs join: {}",
        drift_cell(&shop.drift().await?)
    );
    println!(
        "Conclusion: the trigger table was right at once; the materialized view showed the old email and missed the new order until REFRESH."
    );

    let base = shop.schema().to_string();
    postgres_costs(url, &base, population).await
}

// ANCHOR: pg_costs
async fn postgres_costs(url: &str, base: &str, population: Population) -> anyhow::Result<()> {
    println!("\n== (g) PostgreSQL: plans and write cost ==");
    let population = Population {
        orders: population.orders.min(5_000),
        ..population
    };
    let mut unsynced =
        PgShop::create(url, &format!("{base}_unsynced"), PgReadModel::Unsynced).await?;
    let mut trigger =
        match PgShop::create(url, &format!("{base}_trigger"), PgReadModel::Trigger).await {
            Ok(shop) => shop,
            Err(e) => {
                unsynced.drop_schema().await?;
                return Err(e.into());
            }
        };
    let result = postgres_cost_of(&mut unsynced, &mut trigger, population).await;
    unsynced.drop_schema().await?;
    trigger.drop_schema().await?;
    result
}
// ANCHOR_END: pg_costs

/// Populate both shops alike, print both plans, then time `place_order` in 21 batches of 20
/// orders per shop, alternating shops batch by batch so that both see the same machine load.
async fn postgres_cost_of(
    unsynced: &mut PgShop,
    trigger: &mut PgShop,
    population: Population,
) -> anyhow::Result<()> {
    for shop in [&mut *unsynced, &mut *trigger] {
        shop.populate(population).await?;
        // Without this, each commit waits for a WAL flush to disk, and on a shared machine that
        // wait (and its noise) hides the trigger's work. Never do this for data you keep.
        shop.set_synchronous_commit(false).await?;
    }
    println!(
        "{} customers, {} orders, {} lines, ANALYZEd",
        population.customers,
        population.orders,
        population.orders * 3
    );
    for (name, by_join) in [("3NF join", true), ("read model", false)] {
        let plan = trigger
            .explain_customer_orders(by_join, 7.min(population.customers))
            .await?;
        println!(
            "EXPLAIN, {name} (relations read: {}):",
            postgres_relations_read(&plan)
        );
        for line in plan {
            println!("  {line}");
        }
    }
    let (mut plain_samples, mut trigger_samples) = (Vec::new(), Vec::new());
    for batch in 0..21 {
        for (shop, samples) in [
            (&mut *unsynced, &mut plain_samples),
            (&mut *trigger, &mut trigger_samples),
        ] {
            let start = Instant::now();
            for i in 0..20 {
                let customer = 1 + (batch * 20 + i) % population.customers;
                shop.place_order(customer, &[(1, 1), (2, 2), (3, 1)])
                    .await?;
            }
            samples.push(start.elapsed() / 20);
        }
    }
    let (plain, synced) = (median(plain_samples), median(trigger_samples));
    let ratio = synced.as_secs_f64() / plain.as_secs_f64();
    println!("{:<24} {:>16} {:>8}", "read model", "place_order", "x");
    println!("{:<24} {:>16} {:>8.2}", "unsynced copy", micros(plain), 1.0);
    println!(
        "{:<24} {:>16} {:>8.2}",
        "trigger-maintained",
        micros(synced),
        ratio
    );
    anyhow::ensure!(
        trigger.drift().await?.is_consistent(),
        "the trigger table drifted"
    );
    println!(
        "Conclusion: on PostgreSQL too the read model reads one relation where the join reads three; with the trigger, placing an order cost {ratio:.2}x."
    );
    Ok(())
}
