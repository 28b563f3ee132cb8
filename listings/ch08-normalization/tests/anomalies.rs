//! The three anomalies, reproduced on the wide table, and their absence in 3NF.

use ch08_normalization::{ReadModelSync, Shop, WideOrders};

#[test]
fn wide_table_update_anomaly_leaves_two_emails_for_one_customer() {
    let wide = WideOrders::with_sample_rows().unwrap();
    assert_eq!(wide.emails_of(1).unwrap(), vec!["alice@old.example"]);
    let touched = wide
        .change_email_on_one_order(1, "alice@new.example")
        .unwrap();
    assert_eq!(touched, 2, "order 1 has two lines, so two copies changed");
    assert_eq!(
        wide.emails_of(1).unwrap(),
        vec!["alice@new.example", "alice@old.example"],
        "order 2 still carries the old email: one customer, two answers"
    );
}

#[test]
fn wide_table_insertion_anomaly_cannot_record_a_product_without_an_order() {
    let wide = WideOrders::with_sample_rows().unwrap();
    let err = wide
        .add_product_without_orders("HS-03", "Headset", 5900)
        .unwrap_err();
    assert!(err.to_string().contains("NOT NULL"), "{err}");
    assert_eq!(wide.rows_mentioning_product("HS-03").unwrap(), 0);
}

#[test]
fn wide_table_deletion_anomaly_forgets_the_customer_with_the_last_order() {
    let wide = WideOrders::with_sample_rows().unwrap();
    assert_eq!(wide.rows_mentioning_customer(2).unwrap(), 1);
    wide.delete_order(3).unwrap();
    assert_eq!(
        wide.rows_mentioning_customer(2).unwrap(),
        0,
        "Bob's email is gone"
    );
}

#[test]
fn normalized_schema_has_none_of_the_three() {
    let mut shop = Shop::open_in_memory(ReadModelSync::Trigger).unwrap();
    let alice = shop.add_customer("Alice", "alice@old.example").unwrap();
    let bob = shop.add_customer("Bob", "bob@example.com").unwrap();
    let keyboard = shop.add_product("KB-01", "Keyboard", 4900).unwrap();
    shop.place_order(alice, &[(keyboard, 1)]).unwrap();
    shop.place_order(alice, &[(keyboard, 2)]).unwrap();
    let bobs = shop.place_order(bob, &[(keyboard, 1)]).unwrap();
    let conn = shop.connection();

    // Update: the email is one row, so there is nothing to forget.
    let touched = conn
        .execute(
            "UPDATE customers SET email = 'alice@new.example' WHERE id = ?1",
            [alice],
        )
        .unwrap();
    assert_eq!(touched, 1);

    // Insertion: a product needs no order.
    shop.add_product("HS-03", "Headset", 5900).unwrap();

    // Deletion: deleting Bob's only order keeps Bob.
    shop.delete_order(bobs).unwrap();
    let bob_email: String = shop
        .connection()
        .query_row("SELECT email FROM customers WHERE id = ?1", [bob], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(bob_email, "bob@example.com");
}
