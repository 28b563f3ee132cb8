//! Exercise 7: the tests your `workload_indexes` makes pass.
//!
//! `cargo test -p ch07-indexing --features starter --test exercise` runs them against your
//! starter; without `--features starter`, against the reference solution.

// ANCHOR: exercise_tests
use ch07_indexing::exercise::{MAX_INDEXES, WORKLOAD, workload_indexes};
use ch07_indexing::{SqliteOrders, generate_orders};

fn indexed_db() -> (SqliteOrders, SqliteOrders) {
    let orders = generate_orders(5_000, 11).unwrap();
    let plain = SqliteOrders::build(&orders, &[]).unwrap();
    let indexed = SqliteOrders::build(&orders, &[]).unwrap();
    for sql in workload_indexes() {
        indexed.execute_batch(sql).unwrap();
    }
    (plain, indexed)
}

#[test]
fn at_most_two_plain_create_index_statements() {
    let statements = workload_indexes();
    assert!(
        !statements.is_empty() && statements.len() <= MAX_INDEXES,
        "{statements:?}"
    );
    for sql in statements {
        let upper = sql.trim_start().to_uppercase();
        assert!(
            upper.starts_with("CREATE INDEX"),
            "only CREATE INDEX: {sql}"
        );
        assert!(!sql.contains(';'), "one statement per entry: {sql}");
    }
}

#[test]
fn every_query_becomes_a_covering_search() {
    let (_, db) = indexed_db();
    for q in WORKLOAD {
        let plan = db.plan(&q).unwrap();
        assert!(
            plan.contains("SEARCH orders USING COVERING INDEX"),
            "{}: {plan}",
            q.name
        );
        assert!(!plan.contains("SCAN"), "{}: {plan}", q.name);
        assert!(!plan.contains("TEMP B-TREE"), "{}: {plan}", q.name);
    }
}

#[test]
fn no_query_scans_or_sorts_when_it_runs() {
    let (_, db) = indexed_db();
    for q in WORKLOAD {
        let run = db.execute(&q).unwrap();
        assert_eq!(run.fullscan_steps, 0, "{}", q.name);
        assert_eq!(run.sorts, 0, "{}", q.name);
    }
}

#[test]
fn indexes_change_the_plans_not_the_answers() {
    let (plain, db) = indexed_db();
    for q in WORKLOAD {
        let mut want = plain.execute(&q).unwrap().rows;
        let mut got = db.execute(&q).unwrap().rows;
        assert!(!want.is_empty(), "{}", q.name);
        if !q.ordered {
            want.sort();
            got.sort();
        }
        assert_eq!(got, want, "{}", q.name);
    }
}
// ANCHOR_END: exercise_tests
