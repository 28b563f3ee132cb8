//! The indexing strategies we compare, as the `CREATE INDEX` statements that build them.
//!
//! The same statements run unchanged on SQLite and PostgreSQL: both have B-tree indexes over one
//! or several columns, and both have partial indexes (`WHERE` on the index). A **covering index**
//! is not a different kind of index, just one that holds every column a query reads, so the
//! table itself is never visited.

/// One way to index `orders`, including not indexing it at all (the baseline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexStrategy {
    /// No secondary index: every query but a primary-key lookup scans the table.
    NoIndex,
    /// A single-column B-tree on `customer_id`.
    SingleColumn,
    /// A composite B-tree on `(customer_id, created_at)`: equality column first, then range.
    CompositeCustomerFirst,
    /// The same two columns in the other order, `(created_at, customer_id)`.
    CompositeCreatedFirst,
    /// `(customer_id, created_at, amount_cents)`: covers the "recent orders" query entirely.
    Covering,
    /// `(created_at) WHERE status = 'pending'`: indexes only the 2% of rows a queue query wants.
    Partial,
}

impl IndexStrategy {
    /// Every strategy, baseline first, in the order the chapter presents them.
    pub const ALL: [IndexStrategy; 6] = [
        IndexStrategy::NoIndex,
        IndexStrategy::SingleColumn,
        IndexStrategy::CompositeCustomerFirst,
        IndexStrategy::CompositeCreatedFirst,
        IndexStrategy::Covering,
        IndexStrategy::Partial,
    ];

    /// A short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            IndexStrategy::NoIndex => "no index",
            IndexStrategy::SingleColumn => "(customer_id)",
            IndexStrategy::CompositeCustomerFirst => "(customer_id, created_at)",
            IndexStrategy::CompositeCreatedFirst => "(created_at, customer_id)",
            IndexStrategy::Covering => "(customer_id, created_at, amount_cents)",
            IndexStrategy::Partial => "(created_at) WHERE pending",
        }
    }

    /// The index's name, as it appears in query plans; `None` for the baseline.
    pub fn index_name(self) -> Option<&'static str> {
        self.create_sql().map(|sql| {
            // "CREATE INDEX <name> ON ..." : the third word.
            sql.split_whitespace().nth(2).unwrap_or_default()
        })
    }

    // ANCHOR: create_sql
    /// The statement that builds this strategy's index; `None` for the baseline.
    pub fn create_sql(self) -> Option<&'static str> {
        Some(match self {
            IndexStrategy::NoIndex => return None,
            IndexStrategy::SingleColumn => "CREATE INDEX idx_customer ON orders (customer_id)",
            IndexStrategy::CompositeCustomerFirst => {
                "CREATE INDEX idx_customer_created ON orders (customer_id, created_at)"
            }
            IndexStrategy::CompositeCreatedFirst => {
                "CREATE INDEX idx_created_customer ON orders (created_at, customer_id)"
            }
            IndexStrategy::Covering => {
                "CREATE INDEX idx_covering ON orders (customer_id, created_at, amount_cents)"
            }
            IndexStrategy::Partial => {
                "CREATE INDEX idx_pending ON orders (created_at) WHERE status = 'pending'"
            }
        })
    }
    // ANCHOR_END: create_sql
}
