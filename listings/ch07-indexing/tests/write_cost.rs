//! Every index is paid for on every write: SQLite executes more virtual-machine instructions per
//! insert, and stores more pages, for each index it must keep up to date. Counted, not timed.

use ch07_indexing::{IndexStrategy, Order, SqliteOrders, generate_orders};

const LOADED: usize = 2_000;

/// VM steps per inserted row and database size after loading `LOADED` rows and inserting 500.
fn cost(strategies: &[IndexStrategy]) -> (f64, i64) {
    let orders = generate_orders(LOADED, 1).unwrap();
    let mut db = SqliteOrders::build(&orders, strategies).unwrap();
    let size = db.size_bytes().unwrap();
    let new: Vec<Order> = generate_orders(500, 2)
        .unwrap()
        .into_iter()
        .map(|o| Order {
            id: o.id + LOADED as i64,
            ..o
        })
        .collect();
    (db.insert(&new).unwrap(), size)
}

#[test]
fn each_index_adds_work_to_every_insert() {
    let (none, _) = cost(&[]);
    let (all, _) = cost(&IndexStrategy::ALL);
    for strategy in IndexStrategy::ALL.into_iter().skip(1) {
        let (one, _) = cost(&[strategy]);
        assert!(
            none < one && one < all,
            "{strategy:?}: none {none}, one {one}, all {all}"
        );
    }
}

#[test]
fn each_index_takes_space_and_a_partial_one_takes_least() {
    let (_, none) = cost(&[]);
    let (_, single) = cost(&[IndexStrategy::SingleColumn]);
    let (_, partial) = cost(&[IndexStrategy::Partial]);
    let (_, all) = cost(&IndexStrategy::ALL);
    assert!(none < single && single < all, "{none} {single} {all}");
    assert!(
        partial - none < single - none,
        "partial {partial}, single {single}, none {none}"
    );
}
