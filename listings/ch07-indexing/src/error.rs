//! The one error type of this crate.

/// Everything that can go wrong building the benchmark tables or asking a database for a plan.
///
/// Each message says what failed and what to check, because the usual cause is the environment
/// (a wrong `DATABASE_URL`, a PostgreSQL that is not running), not the code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite (bundled, in memory) rejected a statement.
    #[error("SQLite failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL was unreachable or rejected a statement.
    #[error("PostgreSQL failed ({0}); is it running and reachable at DATABASE_URL?")]
    Postgres(#[from] tokio_postgres::Error),
    /// A schema name that is not a plain identifier (we splice it into SQL, so we check it).
    #[error(
        "schema name {0:?} must be lowercase ASCII letters, digits and '_', starting with a letter"
    )]
    BadSchemaName(String),
    /// A workload too small to mean anything, or too large to build in memory.
    #[error("row count must be between {min} and {max}, got {got}")]
    BadRowCount {
        /// What was asked for.
        got: usize,
        /// The smallest table we build.
        min: usize,
        /// The largest table we build.
        max: usize,
    },
}

/// This crate's `Result`.
pub type Result<T> = std::result::Result<T, Error>;
