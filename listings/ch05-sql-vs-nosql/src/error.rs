//! The one error type of this crate.

use crate::model::{OrderId, UserId};

/// Everything that can go wrong in a repository, whichever database is behind it.
///
/// The first group are *domain* errors: every backend must report them the same way, and the
/// behavioral test suite checks that they do. The second group are the databases' own failures.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The order asked for more units than are in stock; nothing was written.
    #[error("product {sku:?} has {available} in stock, the order asked for {requested}")]
    OutOfStock {
        sku: String,
        available: u32,
        requested: u32,
    },
    /// No product with this SKU was ever added.
    #[error("no product with SKU {0:?}; add it with add_product first")]
    UnknownProduct(String),
    /// No user with this id exists.
    #[error("no user with id {0}")]
    UnknownUser(UserId),
    /// No order with this id exists.
    #[error("no order with id {0}")]
    UnknownOrder(OrderId),
    /// An order must be for at least one unit.
    #[error("an order must be for at least 1 unit, got 0")]
    ZeroQuantity,
    /// Fault injection: the process "died" at the point the test asked for.
    #[error(
        "injected crash: the writer stopped after the stock update, before the order was written"
    )]
    InjectedCrash,
    /// An optimistic write found that another writer changed a record it had read, several times
    /// in a row.
    #[error("gave up after {0} attempts: other writers kept changing the same records")]
    Conflict(u32),
    /// A stored document could not be decoded (or encoded).
    #[error("stored document is not valid JSON for this model: {0}")]
    Document(#[from] serde_json::Error),
    /// A stored value had an unexpected shape.
    #[error("stored value {value:?} under {key:?} is corrupt: {why}")]
    Corrupt {
        key: String,
        value: String,
        why: &'static str,
    },
    #[error("SQLite failed ({0})")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL failed ({0}); is it reachable at DATABASE_URL?")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("Redis failed ({0}); is it reachable at REDIS_URL?")]
    Redis(#[from] redis::RedisError),
}
