//! In-memory secondary indexes over a `Vec<Order>`: what a database's indexes are, without the
//! database.
//!
//! - a **hash index** (`HashMap<customer_id, rows>`): equality in O(1), but no order, so a range
//!   query must visit every key;
//! - a **B-tree index** (`BTreeMap<created_at, rows>`): equality and ranges in O(log n + k);
//! - a **bitmap index** (one bitmap per value of `status` and of `region`): multi-predicate
//!   filters on low-cardinality columns as bitwise ANDs, with [`roaring`] (production) beside the
//!   hand-built [`BitSet`].
//!
//! Every index answers with row numbers (positions in the `Vec<Order>`), and every answer can be
//! checked against [`OrderIndexes::scan`], the no-index baseline.

use std::collections::{BTreeMap, HashMap};
use std::ops::RangeInclusive;

use roaring::RoaringBitmap;

use crate::bitset::BitSet;
use crate::data::{Order, Region, Status};

/// The orders and every in-memory index over them, built once.
pub struct OrderIndexes {
    orders: Vec<Order>,
    by_customer_hash: HashMap<i64, Vec<u32>>,
    by_customer_btree: BTreeMap<i64, Vec<u32>>,
    by_created_btree: BTreeMap<i64, Vec<u32>>,
    by_created_hash: HashMap<i64, Vec<u32>>,
    status_roaring: [RoaringBitmap; 4],
    region_roaring: [RoaringBitmap; 4],
    status_bits: Vec<BitSet>,
    region_bits: Vec<BitSet>,
}

fn status_slot(s: Status) -> usize {
    Status::ALL.iter().position(|&x| x == s).unwrap_or_default()
}

fn region_slot(r: Region) -> usize {
    Region::ALL.iter().position(|&x| x == r).unwrap_or_default()
}

impl OrderIndexes {
    // ANCHOR: build
    /// Builds every index in one pass over `orders`. Row number `i` is `orders[i]`.
    pub fn build(orders: Vec<Order>) -> Self {
        let n = orders.len();
        let mut ix = OrderIndexes {
            by_customer_hash: HashMap::new(),
            by_customer_btree: BTreeMap::new(),
            by_created_btree: BTreeMap::new(),
            by_created_hash: HashMap::new(),
            status_roaring: Default::default(),
            region_roaring: Default::default(),
            status_bits: vec![BitSet::with_rows(n); Status::ALL.len()],
            region_bits: vec![BitSet::with_rows(n); Region::ALL.len()],
            orders: Vec::new(),
        };
        for (row, o) in orders.iter().enumerate() {
            let row = row as u32;
            ix.by_customer_hash
                .entry(o.customer_id)
                .or_default()
                .push(row);
            ix.by_customer_btree
                .entry(o.customer_id)
                .or_default()
                .push(row);
            ix.by_created_btree
                .entry(o.created_at)
                .or_default()
                .push(row);
            ix.by_created_hash
                .entry(o.created_at)
                .or_default()
                .push(row);
            ix.status_roaring[status_slot(o.status)].insert(row);
            ix.region_roaring[region_slot(o.region)].insert(row);
            ix.status_bits[status_slot(o.status)].insert(row);
            ix.region_bits[region_slot(o.region)].insert(row);
        }
        ix.orders = orders;
        ix
    }
    // ANCHOR_END: build

    /// The indexed orders; row number `i` is `orders()[i]`.
    pub fn orders(&self) -> &[Order] {
        &self.orders
    }

    /// No index: test every row. The baseline every index must agree with.
    pub fn scan(&self, keep: impl Fn(&Order) -> bool) -> Vec<u32> {
        (0..self.orders.len() as u32)
            .filter(|&row| keep(&self.orders[row as usize]))
            .collect()
    }

    // ANCHOR: lookups
    /// Equality through the hash index: one hash, one probe.
    pub fn customer_hash(&self, customer_id: i64) -> Vec<u32> {
        self.by_customer_hash
            .get(&customer_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Equality through the B-tree: O(log n) comparisons down the tree.
    pub fn customer_btree(&self, customer_id: i64) -> Vec<u32> {
        self.by_customer_btree
            .get(&customer_id)
            .cloned()
            .unwrap_or_default()
    }

    /// A range through the B-tree: descend once, then walk the keys in order.
    pub fn created_btree(&self, range: RangeInclusive<i64>) -> Vec<u32> {
        self.by_created_btree
            .range(range)
            .flat_map(|(_, rows)| rows.iter().copied())
            .collect()
    }

    /// A range through a hash index: hashing destroyed the order, so every key is visited.
    pub fn created_hash(&self, range: RangeInclusive<i64>) -> Vec<u32> {
        self.by_created_hash
            .iter()
            .filter(|(at, _)| range.contains(at))
            .flat_map(|(_, rows)| rows.iter().copied())
            .collect()
    }

    /// `status = s AND region = r` with roaring bitmaps: one compressed AND.
    pub fn status_region_roaring(&self, s: Status, r: Region) -> RoaringBitmap {
        &self.status_roaring[status_slot(s)] & &self.region_roaring[region_slot(r)]
    }

    /// `status = s AND region = r` with the hand-built bitmaps: one AND per 64 rows.
    pub fn status_region_bits(&self, s: Status, r: Region) -> BitSet {
        self.status_bits[status_slot(s)].and(&self.region_bits[region_slot(r)])
    }
    // ANCHOR_END: lookups

    /// Bytes held by one value's bitmap, roaring (serialized, compressed) and hand-built (plain).
    pub fn bitmap_bytes(&self, s: Status) -> (u64, u64) {
        let roaring = self.status_roaring[status_slot(s)].serialized_size() as u64;
        let plain = self.status_bits[status_slot(s)].size_bytes();
        (roaring, plain)
    }
}
