//! The unnormalized starting point: every order line in one wide table, with the customer's and
//! the product's facts copied onto each line, and the three anomalies it causes.
//!
//! The table's key is `(order_id, product_sku)`, yet most columns depend on only part of it
//! (`product_name` on `product_sku`) or on another non-key column (`customer_email` on
//! `customer_id`, which depends on `order_id`). Every such dependency is a fact stored once per
//! line instead of once per thing, and each anomaly below is one way those copies come apart.

use rusqlite::{Connection, params};

use crate::Result;

// ANCHOR: wide_table
/// One table for everything, the way a spreadsheet export looks.
pub const WIDE_SCHEMA: &str = "
CREATE TABLE orders_wide (
    order_id         INTEGER NOT NULL,
    product_sku      TEXT    NOT NULL,
    customer_id      INTEGER NOT NULL,
    customer_name    TEXT    NOT NULL,
    customer_email   TEXT    NOT NULL,
    product_name     TEXT    NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    quantity         INTEGER NOT NULL,
    PRIMARY KEY (order_id, product_sku)
);";
// ANCHOR_END: wide_table

/// One row of `orders_wide`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WideRow {
    /// Part of the key.
    pub order_id: i64,
    /// Part of the key.
    pub product_sku: String,
    /// Depends on `order_id` alone.
    pub customer_id: i64,
    /// Depends on `customer_id`, so transitively on `order_id`.
    pub customer_name: String,
    /// Depends on `customer_id`, so transitively on `order_id`.
    pub customer_email: String,
    /// Depends on `product_sku` alone.
    pub product_name: String,
    /// The price charged on this line.
    pub unit_price_cents: i64,
    /// How many were ordered on this line.
    pub quantity: i64,
}

/// The wide table in an in-memory SQLite database.
pub struct WideOrders {
    conn: Connection,
}

impl WideOrders {
    /// An empty wide table.
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(WIDE_SCHEMA)?;
        Ok(Self { conn })
    }

    /// The demo's sample: Alice has two orders (three lines), Bob has one order (one line).
    pub fn with_sample_rows() -> Result<Self> {
        let wide = Self::open_in_memory()?;
        wide.conn.execute_batch(
            "INSERT INTO orders_wide VALUES
             (1, 'KB-01', 1, 'Alice', 'alice@old.example', 'Keyboard', 4900, 1),
             (1, 'MS-02', 1, 'Alice', 'alice@old.example', 'Mouse',    1900, 2),
             (2, 'KB-01', 1, 'Alice', 'alice@old.example', 'Keyboard', 4900, 1),
             (3, 'MS-02', 2, 'Bob',   'bob@example.com',   'Mouse',    1900, 1);",
        )?;
        Ok(wide)
    }

    /// All rows, ordered by key.
    pub fn rows(&self) -> Result<Vec<WideRow>> {
        let mut stmt = self
            .conn
            .prepare("SELECT * FROM orders_wide ORDER BY order_id, product_sku")?;
        let rows = stmt.query_map([], |r| {
            Ok(WideRow {
                order_id: r.get(0)?,
                product_sku: r.get(1)?,
                customer_id: r.get(2)?,
                customer_name: r.get(3)?,
                customer_email: r.get(4)?,
                product_name: r.get(5)?,
                unit_price_cents: r.get(6)?,
                quantity: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    // ANCHOR: anomalies
    /// **Update anomaly.** The customer changes their email while looking at one order, and the
    /// application updates the rows of that order: the customer's other rows keep the old one.
    /// Returns how many rows the `UPDATE` touched.
    pub fn change_email_on_one_order(&self, order_id: i64, email: &str) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE orders_wide SET customer_email = ?2 WHERE order_id = ?1",
            params![order_id, email],
        )?)
    }

    /// **Insertion anomaly.** A new product with no orders yet has nowhere to go: every row needs
    /// an `order_id`, so recording the product fails (or needs a fake order).
    pub fn add_product_without_orders(&self, sku: &str, name: &str, cents: i64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO orders_wide (order_id, product_sku, product_name, unit_price_cents)
             VALUES (NULL, ?1, ?2, ?3)",
            params![sku, name, cents],
        )?;
        Ok(())
    }

    /// **Deletion anomaly.** Deleting an order deletes its lines, and with the customer's last
    /// line goes the only record of the customer's name and email.
    pub fn delete_order(&self, order_id: i64) -> Result<usize> {
        Ok(self
            .conn
            .execute("DELETE FROM orders_wide WHERE order_id = ?1", [order_id])?)
    }
    // ANCHOR_END: anomalies

    /// The distinct emails stored for one customer: more than one is an update anomaly.
    pub fn emails_of(&self, customer_id: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT customer_email FROM orders_wide WHERE customer_id = ?1 ORDER BY 1",
        )?;
        let emails = stmt.query_map([customer_id], |r| r.get(0))?;
        Ok(emails.collect::<Result<_, _>>()?)
    }

    /// How many rows still mention this customer: zero means the customer is forgotten.
    pub fn rows_mentioning_customer(&self, customer_id: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM orders_wide WHERE customer_id = ?1",
            [customer_id],
            |r| r.get(0),
        )?)
    }

    /// How many rows mention this product.
    pub fn rows_mentioning_product(&self, sku: &str) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM orders_wide WHERE product_sku = ?1",
            [sku],
            |r| r.get(0),
        )?)
    }
}
