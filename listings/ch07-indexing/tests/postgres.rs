//! On PostgreSQL (when `DATABASE_URL` is set): the plans are the ones the chapter claims where
//! the planner's choice is stable, and every strategy returns the rows SQLite returns.
//!
//! Each run gets its own schema from `testkit::unique_name`, dropped at the end.

use ch07_indexing::query::{
    self, EQUALITY, FUNCTION_OF_COLUMN, PENDING_QUEUE, RECENT_FOR_CUSTOMER,
};
use ch07_indexing::{IndexStrategy, PgOrders, SqliteOrders, generate_orders};

#[tokio::test]
async fn postgres_plans_and_results() {
    let Some(url) = testkit::service_url("DATABASE_URL") else {
        return;
    };
    let orders = generate_orders(20_000, 7).unwrap();
    let sqlite = SqliteOrders::build(&orders, &[]).unwrap();
    for strategy in IndexStrategy::ALL {
        let schema = testkit::unique_name("ch07");
        let mut db = PgOrders::create(&url, &schema).await.unwrap();
        db.load(&orders, strategy).await.unwrap();

        for q in query::ALL {
            let mut got = db.execute(&q).await.unwrap();
            let mut want = sqlite.execute(&q).unwrap().rows;
            if !q.ordered {
                got.sort();
                want.sort();
            }
            assert_eq!(got, want, "{strategy:?} {}", q.name);
        }
        // Stable with any statistics: nothing can serve these, so PostgreSQL reads the table.
        assert!(
            db.plan(&FUNCTION_OF_COLUMN)
                .await
                .unwrap()
                .contains("Seq Scan")
        );
        match strategy {
            IndexStrategy::NoIndex => {
                let plan = db.plan(&EQUALITY).await.unwrap();
                assert!(plan.contains("Seq Scan on orders"), "{plan}");
            }
            // With sequential and bitmap scans priced out, each index shows it can serve its query.
            IndexStrategy::SingleColumn => {
                let plan = db.plan_with_seqscan_off(&EQUALITY).await.unwrap();
                assert!(plan.contains("Index Scan using idx_customer"), "{plan}");
            }
            IndexStrategy::Covering => {
                let plan = db
                    .plan_with_seqscan_off(&RECENT_FOR_CUSTOMER)
                    .await
                    .unwrap();
                assert!(
                    plan.contains("Index Only Scan Backward using idx_covering"),
                    "{plan}"
                );
                assert!(!plan.contains("Sort"), "{plan}");
            }
            IndexStrategy::Partial => {
                let plan = db.plan_with_seqscan_off(&PENDING_QUEUE).await.unwrap();
                assert!(plan.contains("using idx_pending"), "{plan}");
            }
            _ => {}
        }
        db.drop_schema().await.unwrap();
    }
}
