//! The read model: the same writes against an unsynced copy (the inconsistency IS observed), a
//! trigger-maintained copy and an application-maintained copy (consistency IS observed); what a
//! bypassing write does to each; and what a read costs in each shape.

use ch08_normalization::plan::sqlite_query_cost;
use ch08_normalization::schema::{CUSTOMER_ORDERS_BY_JOIN, CUSTOMER_ORDERS_FROM_READ_MODEL};
use ch08_normalization::{Drift, Error, OrderSummary, Population, ReadModelSync, Shop};

struct Ids {
    alice: i64,
    deleted_order: i64,
    new_order: i64,
}

/// The one scenario every mode goes through: a shop, an exact copy, then six writes.
fn run_scenario(sync: ReadModelSync) -> (Shop, Ids) {
    let mut shop = Shop::open_in_memory(sync).unwrap();
    let alice = shop.add_customer("Alice", "alice@old.example").unwrap();
    let bob = shop.add_customer("Bob", "bob@example.com").unwrap();
    let keyboard = shop.add_product("KB-01", "Keyboard", 4900).unwrap();
    let mouse = shop.add_product("MS-02", "Mouse", 1900).unwrap();
    let first = shop
        .place_order(alice, &[(keyboard, 1), (mouse, 2)])
        .unwrap();
    // Bob's order is not the newest, so the next order does not reuse its id.
    let bobs = shop.place_order(bob, &[(mouse, 1)]).unwrap();
    let second = shop.place_order(alice, &[(keyboard, 1)]).unwrap();
    shop.rebuild_read_model().unwrap();
    assert!(
        shop.drift().unwrap().is_consistent(),
        "every mode starts from an exact copy"
    );

    shop.change_email(alice, "alice@new.example").unwrap();
    shop.add_line(second, mouse, 3).unwrap();
    shop.change_quantity(first, keyboard, 5).unwrap();
    shop.remove_line(first, mouse).unwrap();
    shop.delete_order(bobs).unwrap();
    let new_order = shop.place_order(bob, &[(keyboard, 2)]).unwrap();
    (
        shop,
        Ids {
            alice,
            deleted_order: bobs,
            new_order,
        },
    )
}

#[test]
fn unsynced_copy_shows_every_kind_of_drift() {
    let (shop, ids) = run_scenario(ReadModelSync::Unsynced);
    let Drift { stale, missing } = shop.drift().unwrap();
    assert!(
        stale
            .iter()
            .any(|r| r.customer_id == ids.alice && r.customer_email == "alice@old.example"),
        "the copy still shows Alice's old email: {stale:?}"
    );
    assert!(
        stale.iter().any(|r| r.order_id == ids.deleted_order),
        "a deleted order lingers"
    );
    assert!(
        missing.iter().any(|r| r.order_id == ids.new_order),
        "a new order is missing"
    );
    assert_eq!(stale.len(), 3, "Alice's two orders and Bob's deleted one");
    assert_eq!(
        missing.len(),
        3,
        "Alice's two orders as they are now, and Bob's new one"
    );
}

#[test]
fn trigger_copy_stays_consistent() {
    let (shop, _) = run_scenario(ReadModelSync::Trigger);
    assert_eq!(shop.drift().unwrap(), Drift::default());
}

#[test]
fn application_copy_stays_consistent_through_the_shops_methods() {
    let (shop, _) = run_scenario(ReadModelSync::Application);
    assert_eq!(shop.drift().unwrap(), Drift::default());
}

#[test]
fn a_write_that_bypasses_the_application_drifts_its_copy_but_not_the_triggers() {
    for (sync, drifts) in [
        (ReadModelSync::Application, true),
        (ReadModelSync::Trigger, false),
    ] {
        let (shop, ids) = run_scenario(sync);
        // A support engineer fixes a typo straight in the database.
        shop.connection()
            .execute(
                "UPDATE customers SET name = 'Alicia' WHERE id = ?1",
                [ids.alice],
            )
            .unwrap();
        assert_eq!(!shop.drift().unwrap().is_consistent(), drifts, "{sync:?}");
    }
}

#[test]
fn a_failed_write_changes_neither_the_truth_nor_the_copy() {
    let (mut shop, ids) = run_scenario(ReadModelSync::Trigger);
    let before = shop.read_model().unwrap();
    let err = shop
        .place_order(ids.alice, &[(1, 1), (999, 1)])
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                what: "product",
                id: 999
            }
        ),
        "{err}"
    );
    assert!(matches!(
        shop.change_quantity(ids.new_order, 1, 0),
        Err(Error::BadQuantity(0))
    ));
    assert_eq!(shop.read_model().unwrap(), before);
    assert!(shop.drift().unwrap().is_consistent());
}

#[test]
fn the_read_model_reads_one_table_where_the_join_reads_three() {
    let mut shop = Shop::open_in_memory(ReadModelSync::Trigger).unwrap();
    let population = Population {
        customers: 200,
        products: 20,
        orders: 2_000,
    };
    shop.populate(population).unwrap();
    assert!(shop.drift().unwrap().is_consistent());
    let conn = shop.connection();
    let join = sqlite_query_cost(conn, CUSTOMER_ORDERS_BY_JOIN, 7).unwrap();
    let copy = sqlite_query_cost(conn, CUSTOMER_ORDERS_FROM_READ_MODEL, 7).unwrap();
    assert_eq!(join.table_accesses, 3, "{:#?}", join.plan);
    assert_eq!(copy.table_accesses, 1, "{:#?}", copy.plan);
    assert_eq!(join.rows, copy.rows);
    assert!(join.rows > 0);
    assert!(
        copy.vm_steps < join.vm_steps,
        "{} vs {}",
        copy.vm_steps,
        join.vm_steps
    );
    let mut a = shop.customer_orders_by_join(7).unwrap();
    let mut b = shop.customer_orders_from_read_model(7).unwrap();
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[test]
fn populate_refuses_bad_input() {
    let mut shop = Shop::open_in_memory(ReadModelSync::Unsynced).unwrap();
    let too_few = Population {
        customers: 10,
        products: 2,
        orders: 10,
    };
    assert!(matches!(
        shop.populate(too_few),
        Err(Error::BadPopulation(_))
    ));
    let ok = Population {
        customers: 10,
        products: 3,
        orders: 10,
    };
    shop.populate(ok).unwrap();
    assert!(
        shop.drift().unwrap().is_consistent(),
        "the unsynced copy is backfilled"
    );
    assert!(matches!(shop.populate(ok), Err(Error::BadPopulation(_))));
}

#[test]
fn drift_sees_a_missing_row_a_stale_row_and_a_changed_row() {
    let row = |order_id, total_cents| OrderSummary {
        order_id,
        customer_id: 1,
        customer_name: "Alice".into(),
        customer_email: "alice@example.com".into(),
        line_count: 1,
        total_cents,
    };
    let truth = vec![row(1, 100), row(2, 200)];
    assert!(Drift::between(vec![row(2, 200), row(1, 100)], truth.clone()).is_consistent());
    let missing_only = Drift::between(vec![row(1, 100)], truth.clone());
    assert_eq!(missing_only.missing, vec![row(2, 200)]);
    assert!(
        !missing_only.is_consistent(),
        "a copy that lacks a row is not consistent"
    );
    let stale_only = Drift::between(vec![row(1, 100), row(2, 200), row(3, 300)], truth.clone());
    assert!(
        !stale_only.is_consistent(),
        "a copy with an orphan row is not consistent"
    );
    let changed = Drift::between(vec![row(1, 100), row(2, 999)], truth);
    assert_eq!((changed.stale.len(), changed.missing.len()), (1, 1));
}
