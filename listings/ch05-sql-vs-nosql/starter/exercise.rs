//! Exercise 5 (starter): a new access pattern on the key-value store, "the best-selling
//! products". Replace each `todo!` so that `cargo test -p ch05-sql-vs-nosql --features starter
//! --test exercise` passes.

// ANCHOR: exercise_starter
use crate::Error;
use crate::document::{DocumentRepo, Keys, SecondaryIndex};
use crate::kv::{KvStore, Write};
use crate::model::Order;

/// The best-sellers index: units sold per SKU, not counting cancelled orders.
pub struct BestSellers;

impl BestSellers {
    /// The sorted set this index maintains.
    pub fn key(keys: &Keys) -> String {
        keys.named("best_sellers")
    }
}

impl SecondaryIndex for BestSellers {
    /// The writes that keep the units sold per SKU right when an order is placed (`before` is
    /// `None`) or changes status. Hint: `Write::ZIncrBy`, and only when the order crosses the
    /// line between cancelled and not cancelled.
    fn writes(&self, keys: &Keys, before: Option<&Order>, after: &Order) -> Vec<Write> {
        let _ = (keys, before, after);
        todo!("exercise 5: return the ZINCRBY that keeps best_sellers right")
    }
}

/// The `n` best-selling SKUs with their units sold, most first, ties by SKU.
pub async fn best_sellers<K: KvStore>(
    repo: &DocumentRepo<K>,
    n: usize,
) -> Result<Vec<(String, u64)>, Error> {
    let _ = (repo, n);
    todo!("exercise 5: read the sorted set and rank it")
}
// ANCHOR_END: exercise_starter
