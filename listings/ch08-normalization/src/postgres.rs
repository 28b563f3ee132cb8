//! The same shop on PostgreSQL: the 3NF tables, the `order_summary` read model kept by PL/pgSQL
//! triggers, and the alternative PostgreSQL offers out of the box, a **materialized view** that
//! is exactly as fresh as its last `REFRESH`.
//!
//! Every shop lives in its own schema (tests name it with `testkit::unique_name`), so runs do not
//! collide, and [`PgShop::drop_schema`] removes it.

use tokio_postgres::{Client, NoTls, Row};

use crate::population::{
    POPULATE_CUSTOMERS, POPULATE_LINES, POPULATE_ORDERS, POPULATE_PRODUCTS, Population,
};
use crate::schema::{
    ALL_SUMMARIES_BY_JOIN, ALL_SUMMARIES_FROM_READ_MODEL, CUSTOMER_ORDERS_BY_JOIN,
    CUSTOMER_ORDERS_FROM_READ_MODEL, REBUILD_READ_MODEL,
};
use crate::{Drift, Error, OrderSummary, Result};

/// The 3NF tables and the read model table, in PostgreSQL's dialect.
pub const PG_SCHEMA: &str = "
CREATE TABLE customers (
    id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name  TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE
);
CREATE TABLE products (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    price_cents BIGINT NOT NULL CHECK (price_cents >= 0)
);
CREATE TABLE orders (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id)
);
CREATE INDEX orders_by_customer ON orders (customer_id);
CREATE TABLE order_lines (
    order_id         BIGINT NOT NULL REFERENCES orders (id),
    product_id       BIGINT NOT NULL REFERENCES products (id),
    quantity         BIGINT NOT NULL CHECK (quantity > 0),
    unit_price_cents BIGINT NOT NULL,
    PRIMARY KEY (order_id, product_id)
);
CREATE TABLE order_summary (
    order_id       BIGINT PRIMARY KEY,
    customer_id    BIGINT NOT NULL,
    customer_name  TEXT NOT NULL,
    customer_email TEXT NOT NULL,
    line_count     BIGINT NOT NULL,
    total_cents    BIGINT NOT NULL
);
CREATE INDEX order_summary_by_customer ON order_summary (customer_id);";

// ANCHOR: pg_triggers
/// The line trigger of [`crate::schema::ORDER_TRIGGERS`] in PL/pgSQL: one function for the
/// table, branching on `TG_OP`; an `UPDATE` takes the old line out and puts the new one in.
pub const PG_LINE_TRIGGER: &str = "
CREATE FUNCTION order_summary_from_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE order_summary SET line_count = line_count - 1,
            total_cents = total_cents - OLD.quantity * OLD.unit_price_cents
        WHERE order_id = OLD.order_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE order_summary SET line_count = line_count + 1,
            total_cents = total_cents + NEW.quantity * NEW.unit_price_cents
        WHERE order_id = NEW.order_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER order_lines_sync AFTER INSERT OR UPDATE OR DELETE ON order_lines
    FOR EACH ROW EXECUTE FUNCTION order_summary_from_lines();";
// ANCHOR_END: pg_triggers

/// The other two PL/pgSQL triggers: an order's row appears, moves and disappears with the order,
/// and a customer's name and email fan out to all of the customer's rows.
pub const PG_ORDER_AND_CUSTOMER_TRIGGERS: &str = "
CREATE FUNCTION order_summary_from_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM order_summary WHERE order_id = OLD.id;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO order_summary
        SELECT NEW.id, c.id, c.name, c.email, 0, 0 FROM customers c WHERE c.id = NEW.customer_id;
    ELSE
        UPDATE order_summary SET customer_id = c.id, customer_name = c.name,
            customer_email = c.email
        FROM customers c WHERE c.id = NEW.customer_id AND order_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER orders_sync AFTER INSERT OR DELETE OR UPDATE OF customer_id ON orders
    FOR EACH ROW EXECUTE FUNCTION order_summary_from_orders();

CREATE FUNCTION order_summary_from_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE order_summary SET customer_name = NEW.name, customer_email = NEW.email
    WHERE customer_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER customers_sync AFTER UPDATE OF name, email ON customers
    FOR EACH ROW EXECUTE FUNCTION order_summary_from_customers();";

// ANCHOR: materialized_view
/// The read model as PostgreSQL's own feature: the join's result stored as a table. Reads are as
/// cheap as the trigger-maintained table; writes cost nothing extra; the price is staleness:
/// it shows the data as of the last `REFRESH MATERIALIZED VIEW`.
pub const MATERIALIZED_VIEW: &str = "
CREATE MATERIALIZED VIEW order_summary_mv AS
SELECT o.id AS order_id, c.id AS customer_id, c.name AS customer_name,
       c.email AS customer_email, count(l.product_id) AS line_count,
       CAST(coalesce(sum(l.quantity * l.unit_price_cents), 0) AS BIGINT) AS total_cents
FROM orders o
JOIN customers c ON c.id = o.customer_id
LEFT JOIN order_lines l ON l.order_id = o.id
GROUP BY o.id, c.id, c.name, c.email;
-- A unique index lets REFRESH ... CONCURRENTLY swap rows without blocking readers.
CREATE UNIQUE INDEX order_summary_mv_pk ON order_summary_mv (order_id);
CREATE INDEX order_summary_mv_by_customer ON order_summary_mv (customer_id);";
// ANCHOR_END: materialized_view

/// How the PostgreSQL read model table follows the normalized tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PgReadModel {
    /// Filled only by [`PgShop::rebuild_read_model`].
    Unsynced,
    /// Maintained by [`PG_LINE_TRIGGER`] and [`PG_ORDER_AND_CUSTOMER_TRIGGERS`].
    Trigger,
}

/// The shop in its own PostgreSQL schema.
pub struct PgShop {
    client: Client,
    schema: String,
    sync: PgReadModel,
}

impl PgShop {
    /// Connect to `url`, create `schema` (a plain lowercase identifier) with the shop's tables,
    /// and make it this connection's `search_path`.
    pub async fn create(url: &str, schema: &str, sync: PgReadModel) -> Result<Self> {
        let plain = schema
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if schema.is_empty() || !plain {
            return Err(Error::BadSchemaName(schema.to_string()));
        }
        let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
        // The connection object drives the socket; it ends when the client is dropped.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {schema}; SET search_path TO {schema};"
            ))
            .await?;
        client.batch_execute(PG_SCHEMA).await?;
        if sync == PgReadModel::Trigger {
            client.batch_execute(PG_LINE_TRIGGER).await?;
            client.batch_execute(PG_ORDER_AND_CUSTOMER_TRIGGERS).await?;
        }
        Ok(Self {
            client,
            schema: schema.to_string(),
            sync,
        })
    }

    /// The schema this shop lives in.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// Remove the schema and everything in it.
    pub async fn drop_schema(self) -> Result<()> {
        let sql = format!("DROP SCHEMA {} CASCADE", self.schema);
        self.client.batch_execute(&sql).await?;
        Ok(())
    }

    /// Bulk-load an empty shop, then `ANALYZE` so the planner knows the tables' sizes.
    pub async fn populate(&mut self, population: Population) -> Result<()> {
        if population.customers < 1 || population.products < 3 {
            return Err(Error::BadPopulation(
                "need a customer and three distinct products",
            ));
        }
        let tx = self.client.transaction().await?;
        tx.execute(POPULATE_CUSTOMERS, &[&population.customers])
            .await?;
        tx.execute(POPULATE_PRODUCTS, &[&population.products])
            .await?;
        tx.execute(
            POPULATE_ORDERS,
            &[&population.orders, &population.customers],
        )
        .await?;
        tx.execute(POPULATE_LINES, &[&population.products]).await?;
        tx.commit().await?;
        if self.sync == PgReadModel::Unsynced {
            self.rebuild_read_model().await?;
        }
        self.client.batch_execute("ANALYZE").await?;
        Ok(())
    }

    /// Turn `synchronous_commit` off (or on) for this connection: a commit then returns before
    /// its WAL record reaches disk. The demo does this to measure the trigger's CPU cost without
    /// the noise of disk flushes; a crash can lose the last commits, so never for real data.
    pub async fn set_synchronous_commit(&self, on: bool) -> Result<()> {
        let sql = if on {
            "SET synchronous_commit = on"
        } else {
            "SET synchronous_commit = off"
        };
        Ok(self.client.batch_execute(sql).await?)
    }

    /// Add a customer; returns its id.
    pub async fn add_customer(&self, name: &str, email: &str) -> Result<i64> {
        let row = self
            .client
            .query_one(
                "INSERT INTO customers (name, email) VALUES ($1, $2) RETURNING id",
                &[&name, &email],
            )
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Add a product; returns its id.
    pub async fn add_product(&self, sku: &str, name: &str, price_cents: i64) -> Result<i64> {
        let row = self
            .client
            .query_one(
                "INSERT INTO products (sku, name, price_cents) VALUES ($1, $2, $3) RETURNING id",
                &[&sku, &name, &price_cents],
            )
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Place an order with `(product_id, quantity)` lines at current prices, in one transaction.
    pub async fn place_order(&mut self, customer_id: i64, lines: &[(i64, i64)]) -> Result<i64> {
        let tx = self.client.transaction().await?;
        let order = tx
            .query_opt(
                "INSERT INTO orders (customer_id)
                 SELECT id FROM customers WHERE id = $1 RETURNING id",
                &[&customer_id],
            )
            .await?
            .ok_or(Error::NotFound {
                what: "customer",
                id: customer_id,
            })?;
        let order_id: i64 = order.try_get(0)?;
        for &(product_id, quantity) in lines {
            if quantity < 1 {
                return Err(Error::BadQuantity(quantity));
            }
            let inserted = tx
                .execute(
                    "INSERT INTO order_lines (order_id, product_id, quantity, unit_price_cents)
                     SELECT $1, id, $3, price_cents FROM products WHERE id = $2",
                    &[&order_id, &product_id, &quantity],
                )
                .await?;
            if inserted == 0 {
                return Err(Error::NotFound {
                    what: "product",
                    id: product_id,
                });
            }
        }
        tx.commit().await?;
        Ok(order_id)
    }

    /// Change the quantity of an order's line (a no-op if there is no such line).
    pub async fn change_quantity(
        &self,
        order_id: i64,
        product_id: i64,
        quantity: i64,
    ) -> Result<()> {
        if quantity < 1 {
            return Err(Error::BadQuantity(quantity));
        }
        self.client
            .execute(
                "UPDATE order_lines SET quantity = $3 WHERE order_id = $1 AND product_id = $2",
                &[&order_id, &product_id, &quantity],
            )
            .await?;
        Ok(())
    }

    /// Remove an order's line for `product_id` (a no-op if there is none).
    pub async fn remove_line(&self, order_id: i64, product_id: i64) -> Result<()> {
        self.client
            .execute(
                "DELETE FROM order_lines WHERE order_id = $1 AND product_id = $2",
                &[&order_id, &product_id],
            )
            .await?;
        Ok(())
    }

    /// Change a customer's email: one row in the normalized tables.
    pub async fn change_email(&self, customer_id: i64, email: &str) -> Result<()> {
        let changed = self
            .client
            .execute(
                "UPDATE customers SET email = $2 WHERE id = $1",
                &[&customer_id, &email],
            )
            .await?;
        if changed == 0 {
            return Err(Error::NotFound {
                what: "customer",
                id: customer_id,
            });
        }
        Ok(())
    }

    /// Delete an order and its lines, in one transaction.
    pub async fn delete_order(&mut self, order_id: i64) -> Result<()> {
        let tx = self.client.transaction().await?;
        tx.execute("DELETE FROM order_lines WHERE order_id = $1", &[&order_id])
            .await?;
        let deleted = tx
            .execute("DELETE FROM orders WHERE id = $1", &[&order_id])
            .await?;
        if deleted == 0 {
            return Err(Error::NotFound {
                what: "order",
                id: order_id,
            });
        }
        Ok(tx.commit().await?)
    }

    /// Recompute the read model table from the join.
    pub async fn rebuild_read_model(&mut self) -> Result<()> {
        let tx = self.client.transaction().await?;
        tx.batch_execute(REBUILD_READ_MODEL).await?;
        Ok(tx.commit().await?)
    }

    /// Every row of the read model table.
    pub async fn read_model(&self) -> Result<Vec<OrderSummary>> {
        self.summaries(ALL_SUMMARIES_FROM_READ_MODEL).await
    }

    /// Every order's summary by the join.
    pub async fn summaries_by_join(&self) -> Result<Vec<OrderSummary>> {
        self.summaries(ALL_SUMMARIES_BY_JOIN).await
    }

    /// How far the read model table has drifted from the join.
    pub async fn drift(&self) -> Result<Drift> {
        Ok(Drift::between(
            self.read_model().await?,
            self.summaries_by_join().await?,
        ))
    }

    // ANCHOR: mv_methods
    /// Create [`MATERIALIZED_VIEW`]: it is filled once, now.
    pub async fn create_materialized_view(&self) -> Result<()> {
        Ok(self.client.batch_execute(MATERIALIZED_VIEW).await?)
    }

    /// Recompute the whole view. `CONCURRENTLY` lets readers keep reading the old rows meanwhile
    /// (it needs the unique index); either way the cost is the full join, not the change.
    pub async fn refresh_materialized_view(&self) -> Result<()> {
        let sql = "REFRESH MATERIALIZED VIEW CONCURRENTLY order_summary_mv";
        Ok(self.client.batch_execute(sql).await?)
    }

    /// Every row of the materialized view.
    pub async fn materialized_view(&self) -> Result<Vec<OrderSummary>> {
        self.summaries("SELECT * FROM order_summary_mv").await
    }
    // ANCHOR_END: mv_methods

    /// `EXPLAIN` of one customer's orders, by the join (`by_join`) or from the read model.
    pub async fn explain_customer_orders(
        &self,
        by_join: bool,
        customer_id: i64,
    ) -> Result<Vec<String>> {
        let sql = if by_join {
            CUSTOMER_ORDERS_BY_JOIN
        } else {
            CUSTOMER_ORDERS_FROM_READ_MODEL
        };
        let rows = self
            .client
            .query(&format!("EXPLAIN {sql}"), &[&customer_id])
            .await?;
        rows.iter()
            .map(|r| r.try_get::<_, String>(0).map_err(Error::from))
            .collect()
    }

    async fn summaries(&self, sql: &str) -> Result<Vec<OrderSummary>> {
        let rows = self.client.query(sql, &[]).await?;
        rows.iter().map(summary_from_pg_row).collect()
    }
}

fn summary_from_pg_row(row: &Row) -> Result<OrderSummary> {
    Ok(OrderSummary {
        order_id: row.try_get(0)?,
        customer_id: row.try_get(1)?,
        customer_name: row.try_get(2)?,
        customer_email: row.try_get(3)?,
        line_count: row.try_get(4)?,
        total_cents: row.try_get(5)?,
    })
}
