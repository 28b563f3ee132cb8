//! The crate's one error type.

/// Everything that can go wrong while building, loading or querying a timeline model.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite refused a statement; the message names the statement's purpose.
    #[error("SQLite failed while trying to {action}: {source}")]
    Sqlite {
        /// What we were doing, in words ("create the schema", "fan out a post").
        action: &'static str,
        /// The driver's error.
        source: rusqlite::Error,
    },
    /// PostgreSQL refused a statement or the connection failed.
    #[error(
        "PostgreSQL failed while trying to {action}: {source} (is DATABASE_URL right and the server up?)"
    )]
    Postgres {
        /// What we were doing, in words.
        action: &'static str,
        /// The driver's error.
        source: tokio_postgres::Error,
    },
    /// A workload or model configuration that cannot produce a meaningful run.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A model that this backend does not implement.
    #[error("{0}")]
    Unsupported(&'static str),
}

/// Attach "what we were doing" to a driver error, so a failure names its step.
pub(crate) trait Context<T> {
    fn doing(self, action: &'static str) -> Result<T, Error>;
}

impl<T> Context<T> for Result<T, rusqlite::Error> {
    fn doing(self, action: &'static str) -> Result<T, Error> {
        self.map_err(|source| Error::Sqlite { action, source })
    }
}

impl<T> Context<T> for Result<T, tokio_postgres::Error> {
    fn doing(self, action: &'static str) -> Result<T, Error> {
        self.map_err(|source| Error::Postgres { action, source })
    }
}
