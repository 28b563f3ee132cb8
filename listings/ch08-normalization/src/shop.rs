//! The normalized shop on SQLite, with its `order_summary` read model kept in sync one of three
//! ways (or not at all).

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::population::{
    POPULATE_CUSTOMERS, POPULATE_LINES, POPULATE_ORDERS, POPULATE_PRODUCTS, Population,
};
use crate::schema::{
    ALL_SUMMARIES_BY_JOIN, ALL_SUMMARIES_FROM_READ_MODEL, CUSTOMER_ORDERS_BY_JOIN,
    CUSTOMER_ORDERS_FROM_READ_MODEL, CUSTOMER_TRIGGERS, DELETE_ONE_SUMMARY, INSERT_ONE_SUMMARY,
    NORMALIZED_SCHEMA, ORDER_TRIGGERS, READ_MODEL_SCHEMA, REBUILD_READ_MODEL,
};
use crate::{Drift, Error, OrderSummary, Result};

// ANCHOR: sync_modes
/// How the denormalized `order_summary` copy follows the normalized tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadModelSync {
    /// Nothing follows: the copy changes only when [`Shop::rebuild_read_model`] runs. This is a
    /// snapshot, like a materialized view between two refreshes.
    Unsynced,
    /// Database triggers update the copy inside every writing statement, whoever wrote.
    Trigger,
    /// The shop's own methods update the copy in the same transaction as the write. Writes that
    /// bypass the methods (a migration, a support engineer's `UPDATE`) do not.
    Application,
}
// ANCHOR_END: sync_modes

impl ReadModelSync {
    /// All three, in the order the demo prints them.
    pub const ALL: [ReadModelSync; 3] = [Self::Unsynced, Self::Trigger, Self::Application];

    /// A short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Self::Unsynced => "unsynced copy",
            Self::Trigger => "trigger-maintained",
            Self::Application => "application-maintained",
        }
    }
}

/// The shop: customers, products, orders and order lines in 3NF, plus the read model.
pub struct Shop {
    conn: Connection,
    sync: ReadModelSync,
}

impl Shop {
    /// A new, empty shop in an in-memory SQLite database.
    pub fn open_in_memory(sync: ReadModelSync) -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(NORMALIZED_SCHEMA)?;
        conn.execute_batch(READ_MODEL_SCHEMA)?;
        if sync == ReadModelSync::Trigger {
            conn.execute_batch(ORDER_TRIGGERS)?;
            conn.execute_batch(CUSTOMER_TRIGGERS)?;
        }
        Ok(Self { conn, sync })
    }

    /// How this shop keeps its read model in sync.
    pub fn sync(&self) -> ReadModelSync {
        self.sync
    }

    /// The raw connection, for writes that bypass the shop's methods (and for `EXPLAIN`).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Add a customer; returns its id.
    pub fn add_customer(&self, name: &str, email: &str) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO customers (name, email) VALUES (?1, ?2)",
            params![name, email],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Add a product, with no orders needed (3NF has no insertion anomaly); returns its id.
    pub fn add_product(&self, sku: &str, name: &str, price_cents: i64) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO products (sku, name, price_cents) VALUES (?1, ?2, ?3)",
            params![sku, name, price_cents],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    // ANCHOR: place_order
    /// Place an order with `lines` of `(product_id, quantity)`, charging each product's current
    /// price, in one transaction; returns the order id.
    pub fn place_order(&mut self, customer_id: i64, lines: &[(i64, i64)]) -> Result<i64> {
        let sync = self.sync;
        let tx = self.conn.transaction()?;
        exists(
            &tx,
            "customer",
            "SELECT 1 FROM customers WHERE id = ?1",
            customer_id,
        )?;
        tx.execute(
            "INSERT INTO orders (customer_id) VALUES (?1)",
            [customer_id],
        )?;
        let order_id = tx.last_insert_rowid();
        for &(product_id, quantity) in lines {
            insert_line(&tx, order_id, product_id, quantity)?;
        }
        if sync == ReadModelSync::Application {
            refresh_order(&tx, order_id)?;
        }
        tx.commit()?;
        Ok(order_id)
    }
    // ANCHOR_END: place_order

    /// Add a line to an existing order (at most one line per product and order).
    pub fn add_line(&mut self, order_id: i64, product_id: i64, quantity: i64) -> Result<()> {
        let sync = self.sync;
        let tx = self.conn.transaction()?;
        exists(&tx, "order", "SELECT 1 FROM orders WHERE id = ?1", order_id)?;
        insert_line(&tx, order_id, product_id, quantity)?;
        if sync == ReadModelSync::Application {
            refresh_order(&tx, order_id)?;
        }
        Ok(tx.commit()?)
    }

    /// Change the quantity of an order's line for `product_id` (a no-op if there is none).
    pub fn change_quantity(&mut self, order_id: i64, product_id: i64, quantity: i64) -> Result<()> {
        if quantity < 1 {
            return Err(Error::BadQuantity(quantity));
        }
        let sync = self.sync;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE order_lines SET quantity = ?3 WHERE order_id = ?1 AND product_id = ?2",
            params![order_id, product_id, quantity],
        )?;
        if sync == ReadModelSync::Application {
            refresh_order(&tx, order_id)?;
        }
        Ok(tx.commit()?)
    }

    /// Remove an order's line for `product_id` (a no-op if there is none).
    pub fn remove_line(&mut self, order_id: i64, product_id: i64) -> Result<()> {
        let sync = self.sync;
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM order_lines WHERE order_id = ?1 AND product_id = ?2",
            params![order_id, product_id],
        )?;
        if sync == ReadModelSync::Application {
            refresh_order(&tx, order_id)?;
        }
        Ok(tx.commit()?)
    }

    // ANCHOR: change_email
    /// Change a customer's email: one row in 3NF, however many orders they have. The copy is
    /// another matter: every summary row of theirs must follow.
    pub fn change_email(&mut self, customer_id: i64, email: &str) -> Result<()> {
        let sync = self.sync;
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE customers SET email = ?2 WHERE id = ?1",
            params![customer_id, email],
        )?;
        if changed == 0 {
            return Err(Error::NotFound {
                what: "customer",
                id: customer_id,
            });
        }
        if sync == ReadModelSync::Application {
            tx.execute(
                "UPDATE order_summary SET customer_email = ?2 WHERE customer_id = ?1",
                params![customer_id, email],
            )?;
        }
        Ok(tx.commit()?)
    }
    // ANCHOR_END: change_email

    /// Delete an order and its lines. The customer stays: 3NF has no deletion anomaly.
    pub fn delete_order(&mut self, order_id: i64) -> Result<()> {
        let sync = self.sync;
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM order_lines WHERE order_id = ?1", [order_id])?;
        let deleted = tx.execute("DELETE FROM orders WHERE id = ?1", [order_id])?;
        if deleted == 0 {
            return Err(Error::NotFound {
                what: "order",
                id: order_id,
            });
        }
        if sync == ReadModelSync::Application {
            refresh_order(&tx, order_id)?;
        }
        Ok(tx.commit()?)
    }

    /// Bulk-load an empty shop (see [`Population`]). A bulk load bypasses the shop's methods, so
    /// an unsynced or application-maintained read model is rebuilt afterwards, as a backfill;
    /// triggers keep up on their own.
    pub fn populate(&mut self, population: Population) -> Result<()> {
        if population.customers < 1 || population.products < 3 {
            return Err(Error::BadPopulation(
                "need a customer and three distinct products",
            ));
        }
        let tx = self.conn.transaction()?;
        let empty: i64 = tx.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
        if empty != 0 {
            return Err(Error::BadPopulation("the shop already has customers"));
        }
        tx.execute(POPULATE_CUSTOMERS, [population.customers])?;
        tx.execute(POPULATE_PRODUCTS, [population.products])?;
        tx.execute(POPULATE_ORDERS, [population.orders, population.customers])?;
        tx.execute(POPULATE_LINES, [population.products])?;
        tx.commit()?;
        if self.sync != ReadModelSync::Trigger {
            self.rebuild_read_model()?;
        }
        Ok(())
    }

    /// Recompute the whole read model from the normalized tables (a full refresh).
    pub fn rebuild_read_model(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute_batch(REBUILD_READ_MODEL)?;
        Ok(tx.commit()?)
    }

    /// Every row of the read model.
    pub fn read_model(&self) -> Result<Vec<OrderSummary>> {
        self.summaries(ALL_SUMMARIES_FROM_READ_MODEL, None)
    }

    /// Every order's summary computed by the join: the truth the read model must equal.
    pub fn summaries_by_join(&self) -> Result<Vec<OrderSummary>> {
        self.summaries(ALL_SUMMARIES_BY_JOIN, None)
    }

    /// One customer's orders from the read model.
    pub fn customer_orders_from_read_model(&self, customer_id: i64) -> Result<Vec<OrderSummary>> {
        self.summaries(CUSTOMER_ORDERS_FROM_READ_MODEL, Some(customer_id))
    }

    /// One customer's orders by the join.
    pub fn customer_orders_by_join(&self, customer_id: i64) -> Result<Vec<OrderSummary>> {
        self.summaries(CUSTOMER_ORDERS_BY_JOIN, Some(customer_id))
    }

    /// How far the read model has drifted from the join.
    pub fn drift(&self) -> Result<Drift> {
        Ok(Drift::between(
            self.read_model()?,
            self.summaries_by_join()?,
        ))
    }

    fn summaries(&self, sql: &str, customer_id: Option<i64>) -> Result<Vec<OrderSummary>> {
        let mut stmt = self.conn.prepare(sql)?;
        let params: Vec<i64> = customer_id.into_iter().collect();
        let rows = stmt.query_map(rusqlite::params_from_iter(params), summary_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Map a result row (in the column order every summary query uses) to an [`OrderSummary`].
pub fn summary_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<OrderSummary> {
    Ok(OrderSummary {
        order_id: row.get(0)?,
        customer_id: row.get(1)?,
        customer_name: row.get(2)?,
        customer_email: row.get(3)?,
        line_count: row.get(4)?,
        total_cents: row.get(5)?,
    })
}

/// Fail with [`Error::NotFound`] unless `sql` (a `SELECT 1 … WHERE id = ?1`) finds a row.
fn exists(tx: &Transaction<'_>, what: &'static str, sql: &str, id: i64) -> Result<()> {
    match tx.query_row(sql, [id], |_| Ok(())).optional()? {
        Some(()) => Ok(()),
        None => Err(Error::NotFound { what, id }),
    }
}

/// Insert one line, copying the product's current price onto it.
fn insert_line(tx: &Transaction<'_>, order_id: i64, product_id: i64, quantity: i64) -> Result<()> {
    if quantity < 1 {
        return Err(Error::BadQuantity(quantity));
    }
    let inserted = tx.execute(
        "INSERT INTO order_lines (order_id, product_id, quantity, unit_price_cents)
         SELECT ?1, id, ?3, price_cents FROM products WHERE id = ?2",
        params![order_id, product_id, quantity],
    )?;
    if inserted == 0 {
        return Err(Error::NotFound {
            what: "product",
            id: product_id,
        });
    }
    Ok(())
}

/// The application-maintained path: recompute one order's summary row from the join.
fn refresh_order(tx: &Transaction<'_>, order_id: i64) -> Result<()> {
    tx.execute(DELETE_ONE_SUMMARY, [order_id])?;
    tx.execute(INSERT_ONE_SUMMARY, [order_id])?;
    Ok(())
}
