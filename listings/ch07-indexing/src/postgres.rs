//! The same `orders` table on PostgreSQL, in a schema of its own, with plans from
//! `EXPLAIN ANALYZE`.
//!
//! PostgreSQL's planner is cost-based and uses table statistics, so we `ANALYZE` after loading and
//! indexing, and `VACUUM` so that the visibility map lets an index-only scan skip the table. On a
//! small table the planner may still prefer a sequential scan, and it is right to: reading a few
//! pages in order beats hopping through an index. [`PgOrders::plan_with_seqscan_off`] shows that
//! an index is *usable* by making sequential scans look prohibitively expensive; it does not
//! show that the index is *better*.

use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls};

use crate::data::Order;
use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::query::Query;
use crate::strategy::IndexStrategy;

/// A connection to PostgreSQL whose `search_path` is one schema holding one `orders` table.
pub struct PgOrders {
    client: Client,
    schema: String,
}

impl PgOrders {
    /// Connects to `url` and creates `schema` (which must not exist yet) with an empty `orders`.
    ///
    /// The schema name is spliced into SQL, so it must be a plain lowercase identifier; tests
    /// get one from `testkit::unique_name`.
    pub async fn create(url: &str, schema: &str) -> Result<Self> {
        let valid = schema.starts_with(|c: char| c.is_ascii_lowercase())
            && schema
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(Error::BadSchemaName(schema.to_string()));
        }
        let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
        // The connection object performs the I/O; it ends when the client is dropped.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {schema};
                 SET search_path TO {schema};
                 CREATE TABLE orders (
                     id           BIGINT PRIMARY KEY,
                     customer_id  BIGINT NOT NULL,
                     status       TEXT   NOT NULL,
                     region       TEXT   NOT NULL,
                     created_at   BIGINT NOT NULL,
                     amount_cents BIGINT NOT NULL
                 );"
            ))
            .await?;
        Ok(Self {
            client,
            schema: schema.to_string(),
        })
    }

    /// Loads `orders` in one statement (arrays unnested server-side), then builds `strategy`'s
    /// index and refreshes statistics and the visibility map with `VACUUM ANALYZE`.
    pub async fn load(&self, orders: &[Order], strategy: IndexStrategy) -> Result<()> {
        let column = |f: fn(&Order) -> i64| orders.iter().map(f).collect::<Vec<i64>>();
        let text = |f: fn(&Order) -> &'static str| orders.iter().map(f).collect::<Vec<&str>>();
        let (ids, customers, times, amounts) = (
            column(|o| o.id),
            column(|o| o.customer_id),
            column(|o| o.created_at),
            column(|o| o.amount_cents),
        );
        let (statuses, regions) = (text(|o| o.status.as_str()), text(|o| o.region.as_str()));
        self.client
            .execute(
                "INSERT INTO orders (id, customer_id, status, region, created_at, amount_cents)
                 SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[],
                                      $5::bigint[], $6::bigint[])",
                &[&ids, &customers, &statuses, &regions, &times, &amounts],
            )
            .await?;
        if let Some(sql) = strategy.create_sql() {
            self.client.batch_execute(sql).await?;
        }
        self.client.batch_execute("VACUUM ANALYZE orders").await?;
        Ok(())
    }

    // ANCHOR: explain_analyze
    /// The plan PostgreSQL chose for `query`, executed: `EXPLAIN (ANALYZE, BUFFERS)` reports
    /// actual rows, pages touched (`Buffers`) and the execution time.
    pub async fn plan(&self, query: &Query) -> Result<Plan> {
        let sql = format!("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {}", query.sql);
        let params: Vec<&(dyn ToSql + Sync)> = query
            .params
            .iter()
            .map(|p| p as &(dyn ToSql + Sync))
            .collect();
        let rows = self.client.query(&sql, &params).await?;
        let lines = rows
            .iter()
            .map(|row| row.try_get::<_, String>(0))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(Plan { lines })
    }
    // ANCHOR_END: explain_analyze

    /// [`plan`](Self::plan) with sequential and bitmap scans priced out of the running, inside a
    /// transaction that is rolled back. Use it to prove an index *can* serve a query, never to
    /// claim that it *should*.
    pub async fn plan_with_seqscan_off(&mut self, query: &Query) -> Result<Plan> {
        let tx = self.client.transaction().await?;
        tx.batch_execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off")
            .await?;
        let sql = format!("EXPLAIN (COSTS OFF) {}", query.sql);
        let params: Vec<&(dyn ToSql + Sync)> = query
            .params
            .iter()
            .map(|p| p as &(dyn ToSql + Sync))
            .collect();
        let rows = tx.query(&sql, &params).await?;
        let lines = rows
            .iter()
            .map(|row| row.try_get::<_, String>(0))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        tx.rollback().await?;
        Ok(Plan { lines })
    }

    /// Runs `query` and returns its rows, every column as an integer.
    pub async fn execute(&self, query: &Query) -> Result<Vec<Vec<i64>>> {
        let params: Vec<&(dyn ToSql + Sync)> = query
            .params
            .iter()
            .map(|p| p as &(dyn ToSql + Sync))
            .collect();
        let rows = self.client.query(query.sql, &params).await?;
        rows.iter()
            .map(|row| (0..row.len()).map(|i| row.try_get::<_, i64>(i)).collect())
            .collect::<std::result::Result<_, _>>()
            .map_err(Error::from)
    }

    /// The server's version string, for the demo's header.
    pub async fn server_version(&self) -> Result<String> {
        let row = self.client.query_one("SHOW server_version", &[]).await?;
        Ok(row.try_get(0)?)
    }

    /// Drops the schema and everything in it. Call it when done: the server outlives us.
    pub async fn drop_schema(self) -> Result<()> {
        self.client
            .batch_execute(&format!("DROP SCHEMA {} CASCADE", self.schema))
            .await?;
        Ok(())
    }
}
