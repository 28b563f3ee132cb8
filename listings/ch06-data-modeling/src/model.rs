//! The three data models for one hot query, and what a measurement of that query returns.

/// How the home timeline ("the latest posts from the accounts I follow") is stored.
///
/// All three keep the normalized source of truth (`users`, `follows`, `posts`); they differ in
/// whether, and for which authors, they also keep a per-reader `timeline` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Model {
    /// **Fan-out on read**: no timeline table. The hot query joins `follows` with `posts`, then
    /// sorts every candidate post to keep the newest few.
    Normalized,
    /// **Fan-out on write**: every post is copied into the `timeline` of each follower, keyed by
    /// `(user_id, created_at DESC, post_id DESC)`, so the hot query is one index range scan.
    FanOutOnWrite,
    /// Fan-out on write for ordinary authors, fan-out on read for celebrities: their posts are
    /// merged in at read time from the `posts_by_author` index, a few rows per celebrity.
    Hybrid,
}

impl Model {
    /// Every model, in the order the demo prints them.
    pub const ALL: [Model; 3] = [Model::Normalized, Model::FanOutOnWrite, Model::Hybrid];

    /// The name used in tables and in the chapter.
    pub fn name(self) -> &'static str {
        match self {
            Model::Normalized => "normalized (fan-out on read)",
            Model::FanOutOnWrite => "query-driven (fan-out on write)",
            Model::Hybrid => "hybrid (celebrities on read)",
        }
    }
}

/// What one execution of the hot query cost, as the database itself reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryCost {
    /// The plan, one line per step, captured from `EXPLAIN QUERY PLAN` (SQLite) or
    /// `EXPLAIN (ANALYZE, BUFFERS)` (PostgreSQL).
    pub plan: Vec<String>,
    /// Index range searches the plan started (each one a B-tree descent). PostgreSQL: the
    /// `loops` of every scan node, measured. SQLite: read off the plan's shape, one per
    /// `SEARCH` step and, for a nested loop, one per outer row.
    pub searches: u64,
    /// Rows the scans produced. PostgreSQL: the sum of `actual rows × loops` (plus rows removed
    /// by filters) over every scan node, measured. SQLite keeps no such counter in a default
    /// build (`sqlite3_stmt_scanstatus` needs a compile flag), so `None` there.
    pub rows_read: Option<u64>,
    /// SQLite: virtual-machine steps (`SQLITE_STMTSTATUS_VM_STEP`). PostgreSQL: shared buffers
    /// touched (hit + read).
    pub work_units: u64,
    /// Sorts the query needed: SQLite `SQLITE_STMTSTATUS_SORT`; PostgreSQL `Sort` nodes.
    pub sorts: u64,
    /// Rows the query returned.
    pub rows_returned: u64,
}

impl QueryCost {
    /// Whether the plan needs a sort step (a temporary B-tree in SQLite, a `Sort` node in
    /// PostgreSQL): the sign that the storage order does not match the query's order.
    pub fn sorts_at_read_time(&self) -> bool {
        self.sorts > 0
            || self
                .plan
                .iter()
                .any(|l| l.contains("TEMP B-TREE") || l.trim_start().starts_with("Sort"))
    }
}
