//! The `orders` table in SQLite (bundled, in memory): load it, index it, ask for plans, run
//! queries, and count the work each statement did.
//!
//! Besides wall-clock time, SQLite keeps per-statement counters (`sqlite3_stmt_status`) that are
//! exact and repeatable: how many rows a full scan stepped through, how many sorts it ran, how many
//! virtual-machine instructions it executed. Tests assert on those, never on timings.

use rusqlite::{Connection, StatementStatus, params, params_from_iter};

use crate::data::Order;
use crate::error::Result;
use crate::plan::Plan;
use crate::query::Query;
use crate::strategy::IndexStrategy;

const CREATE_TABLE: &str = "CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL,
    status       TEXT    NOT NULL,
    region       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL
)";

const INSERT: &str =
    "INSERT INTO orders (id, customer_id, status, region, created_at, amount_cents)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// What running one query returned and what it cost, from SQLite's own counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    /// The result rows, every column as an integer.
    pub rows: Vec<Vec<i64>>,
    /// Rows stepped through by full table (or full index) scans: about the table size for a
    /// `SCAN`, zero when an index took the query straight to its rows.
    pub fullscan_steps: i64,
    /// Sorts the statement ran: non-zero when the plan says `USE TEMP B-TREE FOR ORDER BY`.
    pub sorts: i64,
    /// Virtual-machine instructions executed: SQLite's measure of total work.
    pub vm_steps: i64,
}

/// An in-memory SQLite database holding one `orders` table.
pub struct SqliteOrders {
    conn: Connection,
}

impl SqliteOrders {
    /// An empty `orders` table in a fresh in-memory database.
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        conn.execute(CREATE_TABLE, [])?;
        Ok(Self { conn })
    }

    /// A table loaded with `orders` and indexed with every strategy in `strategies`.
    pub fn build(orders: &[Order], strategies: &[IndexStrategy]) -> Result<Self> {
        let mut db = Self::open_in_memory()?;
        db.insert(orders)?;
        for &strategy in strategies {
            db.create_index(strategy)?;
        }
        Ok(db)
    }

    /// Builds `strategy`'s index (nothing for [`IndexStrategy::NoIndex`]).
    pub fn create_index(&self, strategy: IndexStrategy) -> Result<()> {
        if let Some(sql) = strategy.create_sql() {
            self.conn.execute(sql, [])?;
        }
        Ok(())
    }

    /// Runs any DDL the caller supplies (the exercise's `CREATE INDEX` statements).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql)?)
    }

    // ANCHOR: insert
    /// Inserts `orders` in one transaction and returns the virtual-machine instructions SQLite
    /// executed per row: the table's B-tree insert plus one insert into every index whose
    /// `WHERE` (if any) the row satisfies. More indexes, more work per write.
    pub fn insert(&mut self, orders: &[Order]) -> Result<f64> {
        let tx = self.conn.transaction()?;
        let mut vm_steps: i64 = 0;
        {
            let mut stmt = tx.prepare(INSERT)?;
            for o in orders {
                stmt.execute(params![
                    o.id,
                    o.customer_id,
                    o.status.as_str(),
                    o.region.as_str(),
                    o.created_at,
                    o.amount_cents
                ])?;
                vm_steps += i64::from(stmt.reset_status(StatementStatus::VmStep));
            }
        }
        tx.commit()?;
        Ok(vm_steps as f64 / orders.len().max(1) as f64)
    }
    // ANCHOR_END: insert

    // ANCHOR: explain
    /// The plan SQLite chooses for `query`, from `EXPLAIN QUERY PLAN`: each row's `detail`,
    /// indented two spaces per level of nesting.
    pub fn plan(&self, query: &Query) -> Result<Plan> {
        let mut stmt = self
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", query.sql))?;
        let rows = stmt.query_map(params_from_iter(query.params), |row| {
            let id: i64 = row.get(0)?;
            let parent: i64 = row.get(1)?;
            let detail: String = row.get(3)?;
            Ok((id, parent, detail))
        })?;
        let mut depth_of: Vec<(i64, usize)> = Vec::new();
        let mut lines = Vec::new();
        for row in rows {
            let (id, parent, detail) = row?;
            let depth = depth_of
                .iter()
                .find(|(node, _)| *node == parent)
                .map_or(0, |(_, d)| d + 1);
            depth_of.push((id, depth));
            lines.push(format!("{}{detail}", "  ".repeat(depth)));
        }
        Ok(Plan { lines })
    }
    // ANCHOR_END: explain

    // ANCHOR: execute
    /// Runs `query` and reads SQLite's counters for it: rows visited by full scans, sorts, and
    /// virtual-machine steps.
    pub fn execute(&self, query: &Query) -> Result<Execution> {
        let mut stmt = self.conn.prepare(query.sql)?;
        let columns = stmt.column_count();
        let rows = stmt
            .query_map(params_from_iter(query.params), |row| {
                (0..columns).map(|i| row.get::<_, i64>(i)).collect()
            })?
            .collect::<rusqlite::Result<Vec<Vec<i64>>>>()?;
        let execution = Execution {
            rows,
            fullscan_steps: i64::from(stmt.reset_status(StatementStatus::FullscanStep)),
            sorts: i64::from(stmt.reset_status(StatementStatus::Sort)),
            vm_steps: i64::from(stmt.reset_status(StatementStatus::VmStep)),
        };
        Ok(execution)
    }
    // ANCHOR_END: execute

    /// The database's size in bytes (`page_count × page_size`): the table plus every index.
    pub fn size_bytes(&self) -> Result<i64> {
        let pages: i64 = self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        let page_size: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        Ok(pages * page_size)
    }
}
