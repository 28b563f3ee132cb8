//! An index changes how a query runs, never what it returns: every strategy, and every in-memory
//! index, gives the rows a full scan gives.

use ch07_indexing::data::DAY;
use ch07_indexing::query::{self, FUNCTION_OF_COLUMN, RANGE, RECENT_FOR_CUSTOMER};
use ch07_indexing::{IndexStrategy, OrderIndexes, Region, SqliteOrders, Status, generate_orders};
use proptest::prelude::*;

fn sorted(mut rows: Vec<Vec<i64>>) -> Vec<Vec<i64>> {
    rows.sort();
    rows
}

/// Runs every query under every strategy and compares with the no-index answer.
fn all_strategies_agree(rows: usize, seed: u64) {
    let orders = generate_orders(rows, seed).unwrap();
    let baseline = SqliteOrders::build(&orders, &[]).unwrap();
    for strategy in IndexStrategy::ALL {
        let db = SqliteOrders::build(&orders, &[strategy]).unwrap();
        for q in query::ALL {
            let want = baseline.execute(&q).unwrap().rows;
            let got = db.execute(&q).unwrap().rows;
            if q.ordered {
                // Ties in created_at may come back in either order; the sort key may not.
                let key = |r: &Vec<Vec<i64>>| r.iter().map(|row| row[0]).collect::<Vec<_>>();
                assert_eq!(key(&got), key(&want), "{strategy:?} {}", q.name);
            }
            assert_eq!(
                sorted(got),
                sorted(want),
                "{strategy:?} {} seed {seed}",
                q.name
            );
        }
    }
}

#[test]
fn every_strategy_returns_the_same_rows() {
    all_strategies_agree(3_000, 7);
}

#[test]
fn the_range_and_the_function_ask_the_same_question() {
    let orders = generate_orders(3_000, 7).unwrap();
    let db = SqliteOrders::build(&orders, &[IndexStrategy::CompositeCreatedFirst]).unwrap();
    let range = db.execute(&RANGE).unwrap().rows;
    assert!(!range.is_empty());
    assert_eq!(
        sorted(range),
        sorted(db.execute(&FUNCTION_OF_COLUMN).unwrap().rows)
    );
}

#[test]
fn order_by_is_honored_whatever_the_index() {
    let orders = generate_orders(20_000, 3).unwrap();
    for strategy in IndexStrategy::ALL {
        let db = SqliteOrders::build(&orders, &[strategy]).unwrap();
        let rows = db.execute(&RECENT_FOR_CUSTOMER).unwrap().rows;
        assert!(
            rows.windows(2).all(|w| w[0][0] >= w[1][0]),
            "{strategy:?}: {rows:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn strategies_agree_on_random_tables(rows in 100usize..1_500, seed in any::<u64>()) {
        all_strategies_agree(rows, seed);
    }

    #[test]
    fn in_memory_indexes_agree_with_a_scan(
        rows in 100usize..3_000,
        seed in any::<u64>(),
        customer in 1i64..300,
        day in 0i64..365,
        s in 0usize..4,
        r in 0usize..4,
    ) {
        let ix = OrderIndexes::build(generate_orders(rows, seed).unwrap());
        let sorted = |mut v: Vec<u32>| { v.sort_unstable(); v };
        let want = ix.scan(|o| o.customer_id == customer);
        prop_assert_eq!(sorted(ix.customer_hash(customer)), want.clone());
        prop_assert_eq!(sorted(ix.customer_btree(customer)), want);

        let range = day * DAY..=(day + 1) * DAY - 1;
        let want = ix.scan(|o| range.contains(&o.created_at));
        prop_assert_eq!(sorted(ix.created_btree(range.clone())), want.clone());
        prop_assert_eq!(sorted(ix.created_hash(range)), want);

        let (s, r) = (Status::ALL[s], Region::ALL[r]);
        let want = ix.scan(|o| o.status == s && o.region == r);
        prop_assert_eq!(ix.status_region_roaring(s, r).iter().collect::<Vec<_>>(), want.clone());
        prop_assert_eq!(ix.status_region_bits(s, r).rows().collect::<Vec<_>>(), want.clone());
        prop_assert_eq!(ix.status_region_bits(s, r).count(), want.len() as u64);
    }
}
