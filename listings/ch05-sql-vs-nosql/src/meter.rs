//! Counting what each operation costs the database, so that the trade-offs are numbers.
//!
//! Wall-clock time depends on the machine; these counts do not. Every backend adds to its
//! [`Meter`] as it talks to its store, and the demo prints the difference around one operation.

use std::sync::atomic::{AtomicU64, Ordering};

/// What one or more operations cost, in deterministic units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cost {
    /// Requests sent to the store and waited for: SQL statements (including `BEGIN` and
    /// `COMMIT`), Redis commands or scripts. For SQLite and the in-process store these are
    /// function calls, not network trips, but they are the calls a networked store would make.
    pub round_trips: u64,
    /// Rows returned by SQL, or keys read from the KV store.
    pub records_read: u64,
    /// Rows inserted or changed by SQL, or keys written in the KV store (documents and index
    /// entries alike).
    pub records_written: u64,
}

impl std::ops::Sub for Cost {
    type Output = Cost;

    fn sub(self, earlier: Cost) -> Cost {
        Cost {
            round_trips: self.round_trips - earlier.round_trips,
            records_read: self.records_read - earlier.records_read,
            records_written: self.records_written - earlier.records_written,
        }
    }
}

/// A backend's running total. Atomic, so a shared `&self` repository can count.
#[derive(Debug, Default)]
pub struct Meter {
    round_trips: AtomicU64,
    records_read: AtomicU64,
    records_written: AtomicU64,
}

impl Meter {
    /// Counts one request that read `read` records and wrote `written`.
    pub fn record(&self, read: u64, written: u64) {
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        self.records_read.fetch_add(read, Ordering::Relaxed);
        self.records_written.fetch_add(written, Ordering::Relaxed);
    }

    /// The totals so far; subtract two snapshots to cost the work between them.
    pub fn snapshot(&self) -> Cost {
        Cost {
            round_trips: self.round_trips.load(Ordering::Relaxed),
            records_read: self.records_read.load(Ordering::Relaxed),
            records_written: self.records_written.load(Ordering::Relaxed),
        }
    }
}
