//! The table every experiment indexes: `orders`, generated from a seeded RNG.
//!
//! The distributions are chosen so that each index in the chapter has a reason to exist: about ten
//! orders per customer (an equality lookup returns a handful of rows), order times spread evenly
//! over a year (a one-day range is about 1/365 of the table), and a rare `pending` status (2%), the
//! textbook case for a partial index.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::error::{Error, Result};

/// Seconds in a day; `created_at` counts seconds from the start of the year.
pub const DAY: i64 = 86_400;
/// The span `created_at` is drawn from: one year of seconds.
pub const YEAR: i64 = 365 * DAY;
/// The smallest table [`generate_orders`] builds: below this every plan is a scan anyway.
pub const MIN_ROWS: usize = 100;
/// The largest table [`generate_orders`] builds, to keep the demo within memory and seconds.
pub const MAX_ROWS: usize = 5_000_000;

/// An order's status. Low cardinality: four values, very unevenly spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// 2% of orders: the work queue a partial index is made for.
    Pending,
    /// 18% of orders.
    Shipped,
    /// 75% of orders: a predicate on this value selects most of the table.
    Delivered,
    /// 5% of orders.
    Cancelled,
}

impl Status {
    /// Every status, in a fixed order (the in-memory bitmaps are indexed by it).
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Shipped,
        Status::Delivered,
        Status::Cancelled,
    ];

    /// The value stored in the `status` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Shipped => "shipped",
            Status::Delivered => "delivered",
            Status::Cancelled => "cancelled",
        }
    }
}

/// Where an order ships. Low cardinality: four values, evenly spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Region {
    /// Europe.
    Eu,
    /// North America.
    Na,
    /// Asia-Pacific.
    Apac,
    /// Latin America.
    Latam,
}

impl Region {
    /// Every region, in a fixed order.
    pub const ALL: [Region; 4] = [Region::Eu, Region::Na, Region::Apac, Region::Latam];

    /// The value stored in the `region` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Eu => "EU",
            Region::Na => "NA",
            Region::Apac => "APAC",
            Region::Latam => "LATAM",
        }
    }
}

/// One row of `orders`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    /// Primary key, 1-based, in insertion order.
    pub id: i64,
    /// About ten orders per customer.
    pub customer_id: i64,
    /// See [`Status`].
    pub status: Status,
    /// See [`Region`].
    pub region: Region,
    /// Seconds since the start of the year, uniform over [`YEAR`] and unrelated to `id`.
    pub created_at: i64,
    /// 1.00 to 999.99 in cents.
    pub amount_cents: i64,
}

/// The number of distinct customers in a table of `rows` orders (ten orders each, on average).
pub fn customer_count(rows: usize) -> i64 {
    (rows as i64 / 10).max(1)
}

// ANCHOR: generate
/// `rows` orders drawn from a [`StdRng`] seeded with `seed`: the same seed gives the same table on
/// every machine, so a plan or a result in the book can be reproduced exactly.
pub fn generate_orders(rows: usize, seed: u64) -> Result<Vec<Order>> {
    if !(MIN_ROWS..=MAX_ROWS).contains(&rows) {
        return Err(Error::BadRowCount {
            got: rows,
            min: MIN_ROWS,
            max: MAX_ROWS,
        });
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let customers = customer_count(rows);
    let orders = (1..=rows as i64)
        .map(|id| {
            let status = match rng.random_range(0..100) {
                0..2 => Status::Pending,
                2..20 => Status::Shipped,
                20..95 => Status::Delivered,
                _ => Status::Cancelled,
            };
            Order {
                id,
                customer_id: rng.random_range(1..=customers),
                status,
                region: Region::ALL[rng.random_range(0..Region::ALL.len())],
                created_at: rng.random_range(0..YEAR),
                amount_cents: rng.random_range(100..100_000),
            }
        })
        .collect();
    Ok(orders)
}
// ANCHOR_END: generate
