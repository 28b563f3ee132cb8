//! The same proofs on PostgreSQL (skipped loudly without `DATABASE_URL`, a failure under CI):
//! the trigger keeps the copy equal to the join under seeded random writes, an unsynced copy
//! drifts, the materialized view is stale until `REFRESH`, and the read model's plan reads one
//! relation where the join reads three. Each test owns a schema named by `testkit::unique_name`
//! and drops it.

use ch08_normalization::plan::postgres_relations_read;
use ch08_normalization::{PgReadModel, PgShop, Population};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

async fn shop(sync: PgReadModel) -> Option<PgShop> {
    let url = testkit::service_url("DATABASE_URL")?;
    Some(
        PgShop::create(&url, &testkit::unique_name("ch08"), sync)
            .await
            .unwrap(),
    )
}

#[tokio::test]
async fn trigger_keeps_the_copy_equal_to_the_join_under_random_writes() {
    let Some(mut shop) = shop(PgReadModel::Trigger).await else {
        return;
    };
    let customers: Vec<i64> = {
        let mut ids = Vec::new();
        for i in 0..4 {
            ids.push(
                shop.add_customer(&format!("C{i}"), &format!("c{i}@example.com"))
                    .await
                    .unwrap(),
            );
        }
        ids
    };
    let mut products = Vec::new();
    for i in 0..4 {
        products.push(
            shop.add_product(&format!("SKU-{i}"), &format!("P{i}"), 100 * (i + 1))
                .await
                .unwrap(),
        );
    }
    let seed = 8;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut orders: Vec<i64> = Vec::new();
    for step in 0..120 {
        let customer = customers[rng.random_range(0..customers.len())];
        let product = products[rng.random_range(0..products.len())];
        let result = match (rng.random_range(0..6), orders.is_empty()) {
            (0 | 1, _) | (_, true) => {
                let lines = [(product, rng.random_range(1..4)), (products[0], 1)];
                let distinct = if product == products[0] {
                    &lines[..1]
                } else {
                    &lines[..]
                };
                shop.place_order(customer, distinct)
                    .await
                    .map(|id| orders.push(id))
            }
            (2, false) => {
                let order = orders[rng.random_range(0..orders.len())];
                shop.change_quantity(order, product, rng.random_range(1..9))
                    .await
            }
            (3, false) => {
                shop.change_email(customer, &format!("u{step}@example.com"))
                    .await
            }
            (4, false) => {
                let order = orders[rng.random_range(0..orders.len())];
                shop.remove_line(order, product).await
            }
            _ => {
                let order = orders.swap_remove(rng.random_range(0..orders.len()));
                shop.delete_order(order).await
            }
        };
        result.unwrap();
        let drift = shop.drift().await.unwrap();
        assert!(drift.is_consistent(), "seed {seed}, step {step}: {drift:?}");
    }
    assert!(!shop.read_model().await.unwrap().is_empty());
    shop.drop_schema().await.unwrap();
}

/// Alice (at her old address) with one order for a keyboard; returns her id and the keyboard's.
async fn alice_buys_a_keyboard(shop: &mut PgShop) -> (i64, i64) {
    let alice = shop
        .add_customer("Alice", "alice@old.example")
        .await
        .unwrap();
    let keyboard = shop.add_product("KB-01", "Keyboard", 4900).await.unwrap();
    shop.place_order(alice, &[(keyboard, 1)]).await.unwrap();
    (alice, keyboard)
}

#[tokio::test]
async fn an_unsynced_copy_drifts_and_a_rebuild_repairs_it() {
    let Some(mut shop) = shop(PgReadModel::Unsynced).await else {
        return;
    };
    let (alice, _keyboard) = alice_buys_a_keyboard(&mut shop).await;
    shop.rebuild_read_model().await.unwrap();
    assert!(shop.drift().await.unwrap().is_consistent());
    shop.change_email(alice, "alice@new.example").await.unwrap();
    let drift = shop.drift().await.unwrap();
    assert_eq!(drift.stale.len(), 1, "{drift:?}");
    assert_eq!(drift.stale[0].customer_email, "alice@old.example");
    shop.rebuild_read_model().await.unwrap();
    assert!(shop.drift().await.unwrap().is_consistent());
    shop.drop_schema().await.unwrap();
}

#[tokio::test]
async fn the_materialized_view_is_stale_until_refresh() {
    let Some(mut shop) = shop(PgReadModel::Trigger).await else {
        return;
    };
    let (alice, keyboard) = alice_buys_a_keyboard(&mut shop).await;
    shop.create_materialized_view().await.unwrap();
    assert_eq!(
        shop.materialized_view().await.unwrap(),
        shop.summaries_by_join().await.unwrap()
    );

    shop.change_email(alice, "alice@new.example").await.unwrap();
    shop.place_order(alice, &[(keyboard, 2)]).await.unwrap();
    let stale = shop.materialized_view().await.unwrap();
    assert_eq!(stale.len(), 1, "the new order is not in the view yet");
    assert_eq!(stale[0].customer_email, "alice@old.example");
    assert!(
        shop.drift().await.unwrap().is_consistent(),
        "the trigger table is already fresh"
    );

    shop.refresh_materialized_view().await.unwrap();
    let mut fresh = shop.materialized_view().await.unwrap();
    let mut truth = shop.summaries_by_join().await.unwrap();
    fresh.sort();
    truth.sort();
    assert_eq!(fresh, truth);
    shop.drop_schema().await.unwrap();
}

#[tokio::test]
async fn the_read_model_plan_reads_one_relation_where_the_join_reads_three() {
    let Some(mut shop) = shop(PgReadModel::Trigger).await else {
        return;
    };
    let population = Population {
        customers: 200,
        products: 20,
        orders: 2_000,
    };
    shop.populate(population).await.unwrap();
    assert!(shop.drift().await.unwrap().is_consistent());
    let join = shop.explain_customer_orders(true, 7).await.unwrap();
    let copy = shop.explain_customer_orders(false, 7).await.unwrap();
    assert_eq!(postgres_relations_read(&join), 3, "{join:#?}");
    assert_eq!(postgres_relations_read(&copy), 1, "{copy:#?}");
    shop.drop_schema().await.unwrap();
}

#[tokio::test]
async fn a_bad_schema_name_is_refused_before_connecting() {
    let err = PgShop::create(
        "postgres://nowhere.invalid/x",
        "Robert'); DROP",
        PgReadModel::Trigger,
    )
    .await
    .err()
    .unwrap();
    assert!(
        err.to_string().contains("not a plain lowercase identifier"),
        "{err}"
    );
}
