//! Exercise 7, starter: the smallest set of indexes that serves a workload.
//!
//! Three queries from an orders dashboard are slow: each is a full `SCAN orders`. Write at most
//! two `CREATE INDEX` statements after which SQLite answers every one of them with a `SEARCH`
//! through a covering index, sorts nothing, and still returns exactly the rows it returned
//! without indexes. Two indexes for three queries means one index must serve two of them:
//! choose its column order so that it does.
//!
//! `cargo test -p ch07-indexing --features starter --test exercise` runs the tests you make pass.

// ANCHOR: exercise_starter
use crate::data::DAY;
use crate::query::Query;

/// The most indexes the workload may have: every extra one taxes every insert.
pub const MAX_INDEXES: usize = 2;

/// The three slow queries of the dashboard.
pub const WORKLOAD: [Query; 3] = [
    Query {
        name: "regional revenue",
        purpose: "EU orders of days 200 to 206",
        sql: "SELECT id, amount_cents FROM orders \
              WHERE region = 'EU' AND created_at BETWEEN $1 AND $2",
        params: &[200 * DAY, 207 * DAY - 1],
        ordered: false,
    },
    Query {
        name: "latest in region",
        purpose: "the 20 newest EU orders",
        sql: "SELECT created_at, amount_cents FROM orders \
              WHERE region = 'EU' ORDER BY created_at DESC LIMIT 20",
        params: &[],
        ordered: true,
    },
    Query {
        name: "customer status count",
        purpose: "how many of customer 42's orders are pending",
        sql: "SELECT count(*) FROM orders WHERE customer_id = $1 AND status = 'pending'",
        params: &[42],
        ordered: false,
    },
];

/// The `CREATE INDEX` statements that make every [`WORKLOAD`] query a covering `SEARCH`.
pub fn workload_indexes() -> Vec<&'static str> {
    todo!("exercise 07: return at most MAX_INDEXES CREATE INDEX statements")
}
// ANCHOR_END: exercise_starter
