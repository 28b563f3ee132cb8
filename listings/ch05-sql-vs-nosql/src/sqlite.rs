//! The relational backend, embedded: SQLite (bundled, in memory by default).
//!
//! The schema is **normalised**: a user's email lives in one row, orders point at it by
//! `user_id`, and "order with user details" is a `JOIN` computed at read time. Every change that
//! touches two tables runs in one transaction.
//!
//! rusqlite is synchronous. The trait is async, so each method holds the connection's mutex for
//! the few microseconds an in-memory statement takes; a server would use a connection pool and
//! `spawn_blocking` instead.

use parking_lot::Mutex;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::Error;
use crate::meter::Meter;
use crate::model::{NewOrder, Order, OrderId, OrderWithUser, Status, Timestamp, User, UserId};
use crate::repository::Repository;

/// The tables and the two secondary indexes the access patterns need.
pub const SCHEMA: &str = "
    CREATE TABLE users (
        id    INTEGER PRIMARY KEY,
        name  TEXT NOT NULL,
        email TEXT NOT NULL
    );
    CREATE TABLE products (
        sku   TEXT PRIMARY KEY,
        stock INTEGER NOT NULL CHECK (stock >= 0)
    );
    CREATE TABLE orders (
        id         INTEGER PRIMARY KEY,
        user_id    INTEGER NOT NULL REFERENCES users (id),
        sku        TEXT NOT NULL REFERENCES products (sku),
        quantity   INTEGER NOT NULL CHECK (quantity > 0),
        status     TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX orders_by_user ON orders (user_id, created_at);
    CREATE INDEX orders_by_status ON orders (status, created_at);
";

const ORDER_COLUMNS: &str = "o.id, o.user_id, o.sku, o.quantity, o.status, o.created_at";

/// [`Repository`] on SQLite.
pub struct SqliteRepo {
    conn: Mutex<Connection>,
    meter: Meter,
}

impl SqliteRepo {
    /// A fresh in-memory database with the schema; nothing to set up, nothing left behind.
    pub fn in_memory() -> Result<Self, Error> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn: Mutex::new(conn),
            meter: Meter::default(),
        })
    }

    /// Units sold per SKU, best first (ties by SKU), over orders that are not cancelled.
    /// SQL computes this aggregate *on read*, scanning the orders; exercise 5 keeps the same
    /// answer up to date *on write* in the KV store, and its tests compare the two.
    pub fn best_sellers(&self, n: usize) -> Result<Vec<(String, u64)>, Error> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT sku, SUM(quantity) FROM orders WHERE status <> 'cancelled'
             GROUP BY sku ORDER BY SUM(quantity) DESC, sku ASC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map(params![n as i64], |row| Ok((row.get(0)?, int(row.get(1)?))))?
            .collect::<Result<Vec<(String, u64)>, _>>()?;
        self.meter.record(rows.len() as u64, 0);
        Ok(rows)
    }

    fn place(&self, new: &NewOrder, crash_after_stock: bool) -> Result<Order, Error> {
        if new.quantity == 0 {
            return Err(Error::ZeroQuantity);
        }
        let mut conn = self.conn.lock();
        // ANCHOR: sqlite_transaction
        let tx = conn.transaction()?; // BEGIN
        self.meter.record(0, 0);
        let taken = tx.execute(
            "UPDATE products SET stock = stock - ?1 WHERE sku = ?2 AND stock >= ?1",
            params![new.quantity, new.sku],
        )?;
        self.meter.record(0, taken as u64);
        if taken == 0 {
            // Dropping `tx` rolls back. Find out why nothing matched, to say so.
            let available: Option<u32> = tx
                .query_row(
                    "SELECT stock FROM products WHERE sku = ?1",
                    [&new.sku],
                    |r| r.get(0),
                )
                .optional()?;
            self.meter.record(u64::from(available.is_some()), 0);
            return Err(match available {
                None => Error::UnknownProduct(new.sku.clone()),
                Some(available) => Error::OutOfStock {
                    sku: new.sku.clone(),
                    available,
                    requested: new.quantity,
                },
            });
        }
        if crash_after_stock {
            return Err(Error::InjectedCrash); // `tx` dropped: ROLLBACK, stock restored
        }
        let inserted = tx.execute(
            "INSERT INTO orders (user_id, sku, quantity, status, created_at)
             SELECT ?1, ?2, ?3, 'pending', ?4 WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1)",
            params![sql(new.user_id), new.sku, new.quantity, sql(new.created_at)],
        )?;
        self.meter.record(0, inserted as u64);
        if inserted == 0 {
            return Err(Error::UnknownUser(new.user_id)); // ROLLBACK undoes the stock update
        }
        let id = u64::try_from(tx.last_insert_rowid()).unwrap_or_default();
        tx.commit()?; // COMMIT: both writes become visible together
        self.meter.record(0, 0);
        // ANCHOR_END: sqlite_transaction
        Ok(Order {
            id,
            user_id: new.user_id,
            sku: new.sku.clone(),
            quantity: new.quantity,
            status: Status::Pending,
            created_at: new.created_at,
        })
    }

    fn select_orders(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Order>, Error> {
        let conn = self.conn.lock();
        // Parsed on every call: rusqlite's statement cache is a feature this workspace leaves off.
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt
            .query_map(params, order_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        self.meter.record(rows.len() as u64, 0);
        Ok(rows)
    }
}

/// SQLite integers are `i64`; our ids and timestamps are `u64` well below `i64::MAX`.
fn sql(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn int(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// Reads the six order columns, in [`ORDER_COLUMNS`] order, from the front of a row.
fn order_from_row(row: &Row<'_>) -> rusqlite::Result<Order> {
    let status: String = row.get(4)?;
    Ok(Order {
        id: int(row.get(0)?),
        user_id: int(row.get(1)?),
        sku: row.get(2)?,
        quantity: row.get(3)?,
        status: Status::parse(&status).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                4,
                rusqlite::types::Type::Text,
                format!("unknown order status {status:?}").into(),
            )
        })?,
        created_at: int(row.get(5)?),
    })
}

impl Repository for SqliteRepo {
    fn name(&self) -> &str {
        "sqlite"
    }

    fn meter(&self) -> &Meter {
        &self.meter
    }

    async fn create_user(&self, name: &str, email: &str) -> Result<User, Error> {
        let conn = self.conn.lock();
        conn.execute(
            "INSERT INTO users (name, email) VALUES (?1, ?2)",
            params![name, email],
        )?;
        self.meter.record(0, 1);
        Ok(User {
            id: u64::try_from(conn.last_insert_rowid()).unwrap_or_default(),
            name: name.to_owned(),
            email: email.to_owned(),
        })
    }

    async fn add_product(&self, sku: &str, stock: u32) -> Result<(), Error> {
        self.conn.lock().execute(
            "INSERT INTO products (sku, stock) VALUES (?1, ?2)
             ON CONFLICT (sku) DO UPDATE SET stock = excluded.stock",
            params![sku, stock],
        )?;
        self.meter.record(0, 1);
        Ok(())
    }

    async fn stock(&self, sku: &str) -> Result<Option<u32>, Error> {
        let stock = self
            .conn
            .lock()
            .query_row("SELECT stock FROM products WHERE sku = ?1", [sku], |r| {
                r.get(0)
            })
            .optional()?;
        self.meter.record(u64::from(stock.is_some()), 0);
        Ok(stock)
    }

    async fn place_order(&self, order: &NewOrder) -> Result<Order, Error> {
        self.place(order, false)
    }

    async fn place_order_interrupted(&self, order: &NewOrder) -> Result<(), Error> {
        self.place(order, true).map(|_| ())
    }

    async fn orders_for_user(&self, user: UserId) -> Result<Vec<Order>, Error> {
        self.select_orders(
            &format!(
                "SELECT {ORDER_COLUMNS} FROM orders o WHERE o.user_id = ?1
                 ORDER BY o.created_at DESC, o.id DESC"
            ),
            [sql(user)],
        )
    }

    async fn order_with_user(&self, order: OrderId) -> Result<Option<OrderWithUser>, Error> {
        // ANCHOR: sqlite_join
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {ORDER_COLUMNS}, u.name, u.email
             FROM orders o JOIN users u ON u.id = o.user_id
             WHERE o.id = ?1"
        ))?;
        let found = stmt
            .query_row([sql(order)], |row| {
                Ok(OrderWithUser {
                    order: order_from_row(row)?,
                    user_name: row.get(6)?,
                    user_email: row.get(7)?,
                })
            })
            .optional()?;
        self.meter.record(u64::from(found.is_some()), 0);
        // ANCHOR_END: sqlite_join
        Ok(found)
    }

    async fn orders_by_status(
        &self,
        status: Status,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<Order>, Error> {
        self.select_orders(
            &format!(
                "SELECT {ORDER_COLUMNS} FROM orders o
                 WHERE o.status = ?1 AND o.created_at >= ?2 AND o.created_at < ?3
                 ORDER BY o.created_at, o.id"
            ),
            params![status.as_str(), sql(from), sql(until)],
        )
    }

    async fn set_status(&self, order: OrderId, status: Status) -> Result<(), Error> {
        let changed = self.conn.lock().execute(
            "UPDATE orders SET status = ?1 WHERE id = ?2",
            params![status.as_str(), sql(order)],
        )?;
        self.meter.record(0, changed as u64);
        if changed == 0 {
            return Err(Error::UnknownOrder(order));
        }
        Ok(())
    }

    async fn update_email(&self, user: UserId, email: &str) -> Result<(), Error> {
        // ANCHOR: sqlite_update_email
        let changed = self.conn.lock().execute(
            "UPDATE users SET email = ?1 WHERE id = ?2",
            params![email, sql(user)],
        )?;
        self.meter.record(0, changed as u64);
        // ANCHOR_END: sqlite_update_email
        if changed == 0 {
            return Err(Error::UnknownUser(user));
        }
        Ok(())
    }
}
