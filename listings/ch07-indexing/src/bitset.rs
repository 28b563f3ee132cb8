//! A tiny hand-built bitmap: one bit per row, packed into 64-bit words.
//!
//! This is the whole idea of a **bitmap index**: for each value of a low-cardinality column keep
//! one bit per row, and answer `status = 'shipped' AND region = 'EU'` with a bitwise AND of two
//! bitmaps, 64 rows per instruction. The production crate, `roaring`, adds compression: it splits
//! the row space into chunks of 65,536 and stores each chunk as a sorted array, a plain bitmap, or
//! runs, whichever is smallest, so sparse and dense columns both stay small.

/// A fixed-size set of row numbers `0..len`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    /// An empty set with room for rows `0..rows`.
    pub fn with_rows(rows: usize) -> Self {
        Self {
            words: vec![0; rows.div_ceil(64)],
        }
    }

    /// Adds `row`. Rows beyond the size given at construction grow the set.
    pub fn insert(&mut self, row: u32) {
        let (word, bit) = (row as usize / 64, row % 64);
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        self.words[word] |= 1 << bit;
    }

    // ANCHOR: bitset_and
    /// The rows in both sets: one AND per 64 rows.
    pub fn and(&self, other: &BitSet) -> BitSet {
        let words = self
            .words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| a & b)
            .collect();
        BitSet { words }
    }

    /// How many rows are in the set (a population count per word).
    pub fn count(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    // ANCHOR_END: bitset_and

    /// Bytes of storage: 8 per 64 rows, however few rows are set.
    pub fn size_bytes(&self) -> u64 {
        self.words.len() as u64 * 8
    }

    /// The rows in the set, in increasing order.
    pub fn rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros();
                rest &= rest - 1; // clear the lowest set bit
                Some(i as u32 * 64 + bit)
            })
        })
    }
}
