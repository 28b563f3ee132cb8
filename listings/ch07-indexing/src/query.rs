//! The representative queries: one per access pattern an index may or may not serve.
//!
//! Each query binds only integer parameters and returns only integer columns, so results from
//! every strategy and both databases compare as plain `Vec<Vec<i64>>`. Placeholders are written
//! `$1`, `$2`: PostgreSQL's syntax, which SQLite also accepts (it numbers `$NAME` parameters in
//! order of appearance).

use crate::data::DAY;

/// A named query with its SQL and parameter values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    /// A short name for tables and test messages.
    pub name: &'static str,
    /// What the query is for, in one line.
    pub purpose: &'static str,
    /// The SQL, with `$1`-style placeholders.
    pub sql: &'static str,
    /// The values bound to `$1`, `$2`, ...
    pub params: &'static [i64],
    /// Whether the result order is part of the answer (an `ORDER BY`).
    pub ordered: bool,
}

// ANCHOR: queries_served
/// Equality: one customer's orders (about ten rows).
pub const EQUALITY: Query = Query {
    name: "equality",
    purpose: "customer_id = 42",
    sql: "SELECT id, amount_cents FROM orders WHERE customer_id = $1",
    params: &[42],
    ordered: false,
};

/// Range: every order of one day (about 1/365 of the table).
pub const RANGE: Query = Query {
    name: "range",
    purpose: "created_at within day 100",
    sql: "SELECT id, amount_cents FROM orders WHERE created_at BETWEEN $1 AND $2",
    params: &[100 * DAY, 101 * DAY - 1],
    ordered: false,
};

/// Equality, range and ORDER BY: a customer's recent orders, newest first.
pub const RECENT_FOR_CUSTOMER: Query = Query {
    name: "eq+range+order",
    purpose: "customer 42 since day 120, newest first",
    sql: "SELECT created_at, amount_cents FROM orders \
          WHERE customer_id = $1 AND created_at >= $2 ORDER BY created_at DESC",
    params: &[42, 120 * DAY],
    ordered: true,
};

// ANCHOR_END: queries_served

// ANCHOR: queries_special
/// The work queue: pending orders of the last month (a rare status).
pub const PENDING_QUEUE: Query = Query {
    name: "pending queue",
    purpose: "status = 'pending' since day 335",
    sql: "SELECT id, customer_id FROM orders WHERE status = 'pending' AND created_at >= $1",
    params: &[335 * DAY],
    ordered: false,
};

/// The same day as [`RANGE`], asked through a function of the column: no B-tree on
/// `created_at` can serve it, because the index is sorted by `created_at`, not by
/// `created_at / 86400`.
pub const FUNCTION_OF_COLUMN: Query = Query {
    name: "function of column",
    purpose: "created_at / 86400 = 100",
    sql: "SELECT id, amount_cents FROM orders WHERE created_at / 86400 = $1",
    params: &[100],
    ordered: false,
};
// ANCHOR_END: queries_special

/// Every query, in the order the chapter presents them.
pub const ALL: [Query; 5] = [
    EQUALITY,
    RANGE,
    RECENT_FOR_CUSTOMER,
    PENDING_QUEUE,
    FUNCTION_OF_COLUMN,
];
