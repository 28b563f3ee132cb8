//! The relational backend, networked: PostgreSQL through tokio-postgres.
//!
//! The same normalised schema and the same statements as [`crate::sqlite`], in PostgreSQL's
//! dialect. Each repository lives in its own **schema** (a namespace of tables), so tests and
//! the demo never see each other's rows and can drop everything in one statement.

use tokio::sync::Mutex;
use tokio_postgres::{Client, NoTls, Row};

use crate::Error;
use crate::meter::Meter;
use crate::model::{NewOrder, Order, OrderId, OrderWithUser, Status, Timestamp, User, UserId};
use crate::repository::Repository;

const SCHEMA: &str = "
    CREATE TABLE users (
        id    BIGSERIAL PRIMARY KEY,
        name  TEXT NOT NULL,
        email TEXT NOT NULL
    );
    CREATE TABLE products (
        sku   TEXT PRIMARY KEY,
        stock BIGINT NOT NULL CHECK (stock >= 0)
    );
    CREATE TABLE orders (
        id         BIGSERIAL PRIMARY KEY,
        user_id    BIGINT NOT NULL REFERENCES users (id),
        sku        TEXT NOT NULL REFERENCES products (sku),
        quantity   BIGINT NOT NULL CHECK (quantity > 0),
        status     TEXT NOT NULL,
        created_at BIGINT NOT NULL
    );
    CREATE INDEX orders_by_user ON orders (user_id, created_at);
    CREATE INDEX orders_by_status ON orders (status, created_at);
";

const ORDER_COLUMNS: &str = "o.id, o.user_id, o.sku, o.quantity, o.status, o.created_at";

/// [`Repository`] on PostgreSQL, in a schema of its own.
pub struct PostgresRepo {
    // `transaction()` needs `&mut Client`; the mutex gives it one behind `&self`.
    client: Mutex<Client>,
    schema: String,
    meter: Meter,
}

impl PostgresRepo {
    /// Connects to `url`, creates `schema` (an identifier: letters, digits, `_`) with the
    /// tables, and points this connection's `search_path` at it.
    pub async fn connect(url: &str, schema: &str) -> Result<Self, Error> {
        let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
        // The connection object does the socket I/O; it runs until the client is dropped.
        tokio::spawn(connection);
        let schema = schema
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect::<String>();
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {schema}; SET search_path TO {schema}; {SCHEMA}"
            ))
            .await?;
        Ok(Self {
            client: Mutex::new(client),
            schema,
            meter: Meter::default(),
        })
    }

    /// Drops the schema and everything in it.
    pub async fn drop_schema(&self) -> Result<(), Error> {
        let sql = format!("DROP SCHEMA {} CASCADE", self.schema);
        self.client.lock().await.batch_execute(&sql).await?;
        Ok(())
    }

    async fn place(&self, new: &NewOrder, crash_after_stock: bool) -> Result<Order, Error> {
        if new.quantity == 0 {
            return Err(Error::ZeroQuantity);
        }
        let quantity = i64::from(new.quantity);
        let mut client = self.client.lock().await;
        let tx = client.transaction().await?;
        self.meter.record(0, 0);
        let taken = tx
            .execute(
                "UPDATE products SET stock = stock - $1 WHERE sku = $2 AND stock >= $1",
                &[&quantity, &new.sku],
            )
            .await?;
        self.meter.record(0, taken);
        if taken == 0 {
            let row = tx
                .query_opt("SELECT stock FROM products WHERE sku = $1", &[&new.sku])
                .await?;
            self.meter.record(u64::from(row.is_some()), 0);
            return Err(match row {
                None => Error::UnknownProduct(new.sku.clone()),
                Some(row) => Error::OutOfStock {
                    sku: new.sku.clone(),
                    available: u32::try_from(row.try_get::<_, i64>(0)?).unwrap_or(0),
                    requested: new.quantity,
                },
            });
        }
        if crash_after_stock {
            return Err(Error::InjectedCrash); // `tx` dropped: tokio-postgres sends ROLLBACK
        }
        let row = tx
            .query_opt(
                "INSERT INTO orders (user_id, sku, quantity, status, created_at)
                 SELECT $1, $2, $3, 'pending', $4 WHERE EXISTS (SELECT 1 FROM users WHERE id = $1)
                 RETURNING id",
                &[
                    &to_i64(new.user_id),
                    &new.sku,
                    &quantity,
                    &to_i64(new.created_at),
                ],
            )
            .await?;
        self.meter.record(0, u64::from(row.is_some()));
        let Some(row) = row else {
            return Err(Error::UnknownUser(new.user_id));
        };
        tx.commit().await?;
        self.meter.record(0, 0);
        Ok(Order {
            id: to_u64(row.try_get(0)?),
            user_id: new.user_id,
            sku: new.sku.clone(),
            quantity: new.quantity,
            status: Status::Pending,
            created_at: new.created_at,
        })
    }

    async fn select_orders(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Order>, Error> {
        let rows = self.client.lock().await.query(sql, params).await?;
        self.meter.record(rows.len() as u64, 0);
        rows.iter().map(order_from_row).collect()
    }
}

/// PostgreSQL has no unsigned integers; ids and timestamps are stored as `BIGINT`.
fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn to_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

fn order_from_row(row: &Row) -> Result<Order, Error> {
    let status: String = row.try_get(4)?;
    Ok(Order {
        id: to_u64(row.try_get(0)?),
        user_id: to_u64(row.try_get(1)?),
        sku: row.try_get(2)?,
        quantity: u32::try_from(row.try_get::<_, i64>(3)?).unwrap_or(0),
        status: Status::parse(&status).ok_or(Error::Corrupt {
            key: "orders.status".into(),
            value: status.clone(),
            why: "not a known status",
        })?,
        created_at: to_u64(row.try_get(5)?),
    })
}

impl Repository for PostgresRepo {
    fn name(&self) -> &str {
        "postgres"
    }

    fn meter(&self) -> &Meter {
        &self.meter
    }

    async fn create_user(&self, name: &str, email: &str) -> Result<User, Error> {
        let row = self
            .client
            .lock()
            .await
            .query_one(
                "INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id",
                &[&name, &email],
            )
            .await?;
        self.meter.record(0, 1);
        Ok(User {
            id: to_u64(row.try_get(0)?),
            name: name.to_owned(),
            email: email.to_owned(),
        })
    }

    async fn add_product(&self, sku: &str, stock: u32) -> Result<(), Error> {
        self.client
            .lock()
            .await
            .execute(
                "INSERT INTO products (sku, stock) VALUES ($1, $2)
                 ON CONFLICT (sku) DO UPDATE SET stock = excluded.stock",
                &[&sku, &i64::from(stock)],
            )
            .await?;
        self.meter.record(0, 1);
        Ok(())
    }

    async fn stock(&self, sku: &str) -> Result<Option<u32>, Error> {
        let row = self
            .client
            .lock()
            .await
            .query_opt("SELECT stock FROM products WHERE sku = $1", &[&sku])
            .await?;
        self.meter.record(u64::from(row.is_some()), 0);
        row.map(|r| Ok(u32::try_from(r.try_get::<_, i64>(0)?).unwrap_or(0)))
            .transpose()
    }

    async fn place_order(&self, order: &NewOrder) -> Result<Order, Error> {
        self.place(order, false).await
    }

    async fn place_order_interrupted(&self, order: &NewOrder) -> Result<(), Error> {
        self.place(order, true).await.map(|_| ())
    }

    async fn orders_for_user(&self, user: UserId) -> Result<Vec<Order>, Error> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM orders o WHERE o.user_id = $1
             ORDER BY o.created_at DESC, o.id DESC"
        );
        self.select_orders(&sql, &[&to_i64(user)]).await
    }

    async fn order_with_user(&self, order: OrderId) -> Result<Option<OrderWithUser>, Error> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS}, u.name, u.email
             FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1"
        );
        let row = self
            .client
            .lock()
            .await
            .query_opt(&sql, &[&to_i64(order)])
            .await?;
        self.meter.record(u64::from(row.is_some()), 0);
        row.map(|row| {
            Ok(OrderWithUser {
                order: order_from_row(&row)?,
                user_name: row.try_get(6)?,
                user_email: row.try_get(7)?,
            })
        })
        .transpose()
    }

    async fn orders_by_status(
        &self,
        status: Status,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<Order>, Error> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM orders o
             WHERE o.status = $1 AND o.created_at >= $2 AND o.created_at < $3
             ORDER BY o.created_at, o.id"
        );
        self.select_orders(&sql, &[&status.as_str(), &to_i64(from), &to_i64(until)])
            .await
    }

    async fn set_status(&self, order: OrderId, status: Status) -> Result<(), Error> {
        let changed = self
            .client
            .lock()
            .await
            .execute(
                "UPDATE orders SET status = $1 WHERE id = $2",
                &[&status.as_str(), &to_i64(order)],
            )
            .await?;
        self.meter.record(0, changed);
        if changed == 0 {
            return Err(Error::UnknownOrder(order));
        }
        Ok(())
    }

    async fn update_email(&self, user: UserId, email: &str) -> Result<(), Error> {
        let changed = self
            .client
            .lock()
            .await
            .execute(
                "UPDATE users SET email = $1 WHERE id = $2",
                &[&email, &to_i64(user)],
            )
            .await?;
        self.meter.record(0, changed);
        if changed == 0 {
            return Err(Error::UnknownUser(user));
        }
        Ok(())
    }
}
