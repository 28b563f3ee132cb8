//! The crate's error type.

/// Everything that can go wrong in this chapter's listing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite refused a statement; the message names the constraint or the syntax error.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL refused a statement or the connection failed; check `DATABASE_URL`.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// A write named a customer, product or order that does not exist.
    #[error("{what} {id} does not exist")]
    NotFound {
        /// The kind of row: "customer", "product" or "order".
        what: &'static str,
        /// The id the caller passed.
        id: i64,
    },
    /// An order line must have a positive quantity.
    #[error("quantity must be at least 1, got {0}")]
    BadQuantity(i64),
    /// A PostgreSQL schema name must be a plain lowercase identifier (letters, digits, `_`).
    #[error("schema name {0:?} is not a plain lowercase identifier")]
    BadSchemaName(String),
    /// Bulk loading needs an empty shop with at least three products.
    #[error("cannot populate: {0}")]
    BadPopulation(&'static str),
    /// The wide table breaks a functional dependency, so it cannot be split without losing data
    /// (exercise 8). Fix the listed rows first.
    #[error("the wide table violates {dependency} for {key}: {values}")]
    DependencyViolated {
        /// The functional dependency, for example `student_id -> student_name, student_email`.
        dependency: String,
        /// The determinant value that maps to more than one value.
        key: String,
        /// The conflicting values, as found.
        values: String,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
