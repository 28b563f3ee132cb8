//! Exercise 5: a new access pattern on the key-value store, "the best-selling products".
//!
//! SQL answers it on read with `GROUP BY sku ORDER BY SUM(quantity) DESC` (see
//! [`crate::SqliteRepo::best_sellers`]), scanning the orders each time. A key-value store has no
//! `GROUP BY`, so we keep the answer up to date on write instead: one sorted set, member = SKU,
//! score = units sold in orders that are not cancelled, changed in the same atomic batch as the
//! order document by a [`SecondaryIndex`].

// ANCHOR: exercise_solution
use crate::Error;
use crate::document::{DocumentRepo, Keys, SecondaryIndex};
use crate::kv::{KvStore, Write};
use crate::model::{Order, Status};

/// The best-sellers index: units sold per SKU, not counting cancelled orders.
pub struct BestSellers;

impl BestSellers {
    /// The sorted set this index maintains.
    pub fn key(keys: &Keys) -> String {
        keys.named("best_sellers")
    }
}

/// Whether an order's units count as sold.
fn counts(order: &Order) -> bool {
    order.status != Status::Cancelled
}

impl SecondaryIndex for BestSellers {
    fn writes(&self, keys: &Keys, before: Option<&Order>, after: &Order) -> Vec<Write> {
        let units = i64::from(after.quantity);
        // New orders add their units; a status change adds or removes them only when it
        // crosses the line between "sold" and "cancelled".
        let delta = match before.map(counts) {
            None if counts(after) => units,
            Some(false) if counts(after) => units,
            Some(true) if !counts(after) => -units,
            _ => 0,
        };
        if delta == 0 {
            return Vec::new();
        }
        vec![Write::ZIncrBy {
            key: Self::key(keys),
            member: after.sku.clone(),
            by: delta,
        }]
    }
}

/// The `n` best-selling SKUs with their units sold, most first, ties by SKU: the same answer
/// as SQL's `GROUP BY`, in one round trip whatever the number of orders.
pub async fn best_sellers<K: KvStore>(
    repo: &DocumentRepo<K>,
    n: usize,
) -> Result<Vec<(String, u64)>, Error> {
    // Scores of 0 are SKUs whose orders were all cancelled: SQL's GROUP BY would not list them.
    let key = BestSellers::key(repo.keys());
    let mut ranked = repo.kv().zrange_by_score(&key, 1, i64::MAX).await?;
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(n);
    Ok(ranked
        .into_iter()
        .map(|(sku, units)| (sku, u64::try_from(units).unwrap_or(0)))
        .collect())
}
// ANCHOR_END: exercise_solution
