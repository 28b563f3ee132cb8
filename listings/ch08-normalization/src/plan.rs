//! What a read costs, asked of the database itself: the query plan (`EXPLAIN QUERY PLAN` in
//! SQLite, `EXPLAIN` in PostgreSQL) and, in SQLite, the number of virtual-machine steps the
//! statement really executed. Both are captured from a run, never typed in.

use std::collections::HashMap;

use rusqlite::{Connection, StatementStatus};

use crate::Result;

/// The cost of one read, as SQLite reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryCost {
    /// The plan, one line per step, indented by depth.
    pub plan: Vec<String>,
    /// How many table or index accesses the plan makes (`SCAN` and `SEARCH` steps).
    pub table_accesses: usize,
    /// Virtual-machine instructions executed to produce every row (`SQLITE_STMTSTATUS_VM_STEP`):
    /// a deterministic measure of work that does not depend on the machine's load.
    pub vm_steps: i64,
    /// Rows returned.
    pub rows: usize,
}

// ANCHOR: sqlite_cost
/// Plan `sql` with `EXPLAIN QUERY PLAN`, then run it with `customer_id` bound to `$1` and read
/// how many VM steps it took.
pub fn sqlite_query_cost(conn: &Connection, sql: &str, customer_id: i64) -> Result<QueryCost> {
    let plan = sqlite_plan(conn, sql, customer_id)?;
    let table_accesses = plan
        .iter()
        .filter(|line| {
            let step = line.trim_start();
            step.starts_with("SCAN ") || step.starts_with("SEARCH ")
        })
        .count();
    let mut stmt = conn.prepare(sql)?; // a fresh statement: its counters start at zero
    let rows = stmt.query_map([customer_id], |_| Ok(()))?.count();
    let vm_steps = i64::from(stmt.get_status(StatementStatus::VmStep));
    Ok(QueryCost {
        plan,
        table_accesses,
        vm_steps,
        rows,
    })
}
// ANCHOR_END: sqlite_cost

/// `EXPLAIN QUERY PLAN` output as indented lines (SQLite returns a tree as `id, parent, detail`).
pub fn sqlite_plan(conn: &Connection, sql: &str, customer_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let steps = stmt.query_map([customer_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut depth_of: HashMap<i64, usize> = HashMap::new();
    let mut lines = Vec::new();
    for step in steps {
        let (id, parent, detail) = step?;
        let depth = depth_of.get(&parent).map_or(0, |d| d + 1);
        depth_of.insert(id, depth);
        lines.push(format!("{}{detail}", "  ".repeat(depth)));
    }
    Ok(lines)
}

/// How many relations a PostgreSQL plan reads: every `Scan` node except the bitmap *index*
/// half of a bitmap scan, whose heap half is already counted.
pub fn postgres_relations_read(plan: &[String]) -> usize {
    plan.iter()
        .filter(|line| line.contains("Scan") && line.contains(" on "))
        .filter(|line| !line.contains("Bitmap Index Scan"))
        .count()
}
