//! Exercise 7, reference solution: the smallest set of indexes that serves a workload.
//!
//! Three queries from an orders dashboard are slow: each is a full `SCAN orders`. Write at most
//! two `CREATE INDEX` statements after which SQLite answers every one of them with a `SEARCH`
//! through a covering index, sorts nothing, and still returns exactly the rows it returned
//! without indexes. Two indexes for three queries means one index must serve two of them:
//! choose its column order so that it does.

// ANCHOR: exercise_solution
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
///
/// Equality columns first, then the range or `ORDER BY` column, then the columns the query
/// only reads: `(region, created_at, amount_cents)` serves both regional queries (`id` is the
/// rowid, which every SQLite index carries), and `(customer_id, status)` answers the count
/// without touching the table.
pub fn workload_indexes() -> Vec<&'static str> {
    vec![
        "CREATE INDEX idx_region_created_amount ON orders (region, created_at, amount_cents)",
        "CREATE INDEX idx_customer_status ON orders (customer_id, status)",
    ]
}
// ANCHOR_END: exercise_solution
