//! The read model's row, and how we check a copy against the truth.

use std::fmt;

/// One order as an order list shows it: the row of the `order_summary` read model, and the row
/// the normalized join computes. The two must be equal for every order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OrderSummary {
    /// The order.
    pub order_id: i64,
    /// Who placed it.
    pub customer_id: i64,
    /// Copied from `customers.name`.
    pub customer_name: String,
    /// Copied from `customers.email`.
    pub customer_email: String,
    /// How many lines the order has.
    pub line_count: i64,
    /// The sum of quantity × unit price over the lines, in cents.
    pub total_cents: i64,
}

impl fmt::Display for OrderSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "order {:>3}  customer {:>2} {:<6} {:<20} {:>2} lines {:>10}",
            self.order_id,
            self.customer_id,
            self.customer_name,
            self.customer_email,
            self.line_count,
            format!(
                "{}.{:02} USD",
                self.total_cents / 100,
                self.total_cents % 100
            ),
        )
    }
}

// ANCHOR: drift
/// The difference between a denormalized copy and the truth it was derived from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    /// Rows the read model has that the join does not: stale or orphaned copies.
    pub stale: Vec<OrderSummary>,
    /// Rows the join computes that the read model lacks or has with other values.
    pub missing: Vec<OrderSummary>,
}

impl Drift {
    /// Compare the two row sets in any order: a set difference both ways (order ids are unique).
    pub fn between(mut read_model: Vec<OrderSummary>, mut truth: Vec<OrderSummary>) -> Self {
        read_model.sort();
        truth.sort();
        let stale = read_model
            .iter()
            .filter(|row| truth.binary_search(row).is_err())
            .cloned()
            .collect();
        let missing = truth
            .iter()
            .filter(|row| read_model.binary_search(row).is_err())
            .cloned()
            .collect();
        Self { stale, missing }
    }

    /// No difference: the copy answers exactly what the join answers.
    pub fn is_consistent(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty()
    }
}
// ANCHOR_END: drift
