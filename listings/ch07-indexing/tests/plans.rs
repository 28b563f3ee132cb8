//! The plans SQLite chooses are the ones the chapter claims, read from `EXPLAIN QUERY PLAN`, and
//! SQLite's own work counters agree: a `SCAN` steps through every row, a `SEARCH` through none,
//! and a mismatched ORDER BY costs a sort.

use ch07_indexing::query::{
    self, EQUALITY, FUNCTION_OF_COLUMN, PENDING_QUEUE, RANGE, RECENT_FOR_CUSTOMER,
};
use ch07_indexing::{IndexStrategy, Plan, SqliteOrders, generate_orders};

const ROWS: usize = 5_000;

fn db(strategy: IndexStrategy) -> SqliteOrders {
    let orders = generate_orders(ROWS, 7).unwrap();
    SqliteOrders::build(&orders, &[strategy]).unwrap()
}

fn plan(strategy: IndexStrategy, q: &query::Query) -> Plan {
    db(strategy).plan(q).unwrap()
}

#[test]
fn without_an_index_every_query_scans_the_table() {
    for q in query::ALL {
        let p = plan(IndexStrategy::NoIndex, &q);
        assert!(p.contains("SCAN orders"), "{}: {p}", q.name);
        assert!(!p.contains("SEARCH"), "{}: {p}", q.name);
    }
}

#[test]
fn a_single_column_index_serves_equality_but_sorts_for_order_by() {
    let p = plan(IndexStrategy::SingleColumn, &EQUALITY);
    assert!(
        p.contains("SEARCH orders USING INDEX idx_customer (customer_id=?)"),
        "{p}"
    );
    let p = plan(IndexStrategy::SingleColumn, &RECENT_FOR_CUSTOMER);
    assert!(
        p.contains("USING INDEX idx_customer (customer_id=?)"),
        "{p}"
    );
    assert!(p.contains("USE TEMP B-TREE FOR ORDER BY"), "{p}");
}

#[test]
fn composite_column_order_decides_which_queries_it_serves() {
    // (customer_id, created_at): equality, then range, in index order: no sort.
    let p = plan(IndexStrategy::CompositeCustomerFirst, &RECENT_FOR_CUSTOMER);
    assert!(
        p.contains(
            "SEARCH orders USING INDEX idx_customer_created (customer_id=? AND created_at>?)"
        ),
        "{p}"
    );
    assert!(!p.contains("TEMP B-TREE"), "{p}");
    // ... but a range on created_at alone cannot use it: created_at is not its leading column.
    let p = plan(IndexStrategy::CompositeCustomerFirst, &RANGE);
    assert!(!p.contains("SEARCH"), "{p}");
    // The other order serves the range and not the customer lookup.
    let p = plan(IndexStrategy::CompositeCreatedFirst, &RANGE);
    assert!(
        p.contains(
            "SEARCH orders USING INDEX idx_created_customer (created_at>? AND created_at<?)"
        ),
        "{p}"
    );
    let p = plan(IndexStrategy::CompositeCreatedFirst, &EQUALITY);
    assert!(!p.contains("SEARCH"), "{p}");
}

#[test]
fn a_covering_index_never_visits_the_table() {
    for q in [EQUALITY, RECENT_FOR_CUSTOMER] {
        let p = plan(IndexStrategy::Covering, &q);
        assert!(
            p.contains("SEARCH orders USING COVERING INDEX idx_covering"),
            "{}: {p}",
            q.name
        );
        assert!(!p.contains("TEMP B-TREE"), "{}: {p}", q.name);
    }
}

#[test]
fn a_partial_index_serves_the_queries_that_imply_its_where() {
    let p = plan(IndexStrategy::Partial, &PENDING_QUEUE);
    assert!(
        p.contains("SEARCH orders USING INDEX idx_pending (created_at>?)"),
        "{p}"
    );
    // A range without `status = 'pending'` might need rows the index does not hold.
    let p = plan(IndexStrategy::Partial, &RANGE);
    assert!(!p.contains("idx_pending"), "{p}");
}

#[test]
fn no_index_can_serve_a_function_of_the_column() {
    for strategy in IndexStrategy::ALL {
        let p = plan(strategy, &FUNCTION_OF_COLUMN);
        assert!(!p.contains("SEARCH"), "{strategy:?}: {p}");
    }
}

#[test]
fn work_counters_match_the_plans() {
    let none = db(IndexStrategy::NoIndex).execute(&EQUALITY).unwrap();
    assert!(
        none.fullscan_steps >= ROWS as i64 - 1,
        "a SCAN visits every row: {none:?}"
    );
    let single = db(IndexStrategy::SingleColumn);
    let indexed = single.execute(&EQUALITY).unwrap();
    assert_eq!(
        indexed.fullscan_steps, 0,
        "a SEARCH visits no row it does not return"
    );
    assert!(
        indexed.vm_steps * 20 < none.vm_steps,
        "{indexed:?} vs {none:?}"
    );
    assert!(single.execute(&RECENT_FOR_CUSTOMER).unwrap().sorts > 0);
    let composite = db(IndexStrategy::CompositeCustomerFirst)
        .execute(&RECENT_FOR_CUSTOMER)
        .unwrap();
    assert_eq!(
        composite.sorts, 0,
        "the index already returns rows in ORDER BY order"
    );
}
