//! The price of fan-out on write, per post: one timeline row per follower.

/// The write cost one timeline row has on this machine, measured by the demo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowCost {
    /// Storage per timeline row, in bytes (table and key together).
    pub bytes: f64,
    /// Time to insert one timeline row, in microseconds.
    pub micros: f64,
}

/// What one post by an author with `followers` followers costs under fan-out on write.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PostCost {
    /// Timeline rows written: exactly one per follower.
    pub rows: u64,
    /// Bytes those rows occupy.
    pub bytes: f64,
    /// Seconds to write them on one core.
    pub seconds: f64,
}

impl RowCost {
    /// Scale the per-row cost to one post by an author with `followers` followers.
    pub fn post_by(&self, followers: u64) -> PostCost {
        PostCost {
            rows: followers,
            bytes: followers as f64 * self.bytes,
            seconds: followers as f64 * self.micros / 1e6,
        }
    }
}
