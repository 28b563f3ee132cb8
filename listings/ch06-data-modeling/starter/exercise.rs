// ANCHOR: exercise_starter
//! Exercise 6 (starter): unread notifications, newest first, with a count badge.
//!
//! Design the schema and the two hot queries so that each is one index search: no `SCAN`, no
//! `TEMP B-TREE`. Replace every `todo!()`; `cargo test -p ch06-data-modeling --features starter
//! --test exercise` tells you when you are done.
#![allow(unused_variables, unused_imports, dead_code)]

use rusqlite::{Connection, params};

use crate::error::{Context, Error};
use crate::sqlite_store::unbound;
use crate::workload::UserId;

/// One notification as the reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Unique id, assigned by the caller; breaks ties between equal timestamps (higher is newer).
    pub id: i64,
    /// When it was created, in milliseconds.
    pub created_at: i64,
    /// What it says.
    pub text: String,
}

/// Notifications for many users in one SQLite database.
pub struct Notifications {
    conn: Connection,
}

/// The query behind the list: the newest unread notifications of one user.
pub const UNREAD_QUERY: &str =
    "SELECT 1 -- exercise 06: your list query; bind ?1 = user, ?2 = limit";

/// The query behind the badge: how many unread notifications one user has.
pub const BADGE_QUERY: &str = "SELECT 1 -- exercise 06: your badge query; bind ?1 = user";

impl Notifications {
    /// An empty in-memory database with the schema.
    pub fn open_in_memory() -> Result<Self, Error> {
        todo!(
            "exercise 06: create the tables and indexes that make both hot queries one index search"
        )
    }

    /// Store a new, unread notification for `user`. Returns `false` (and changes nothing) if
    /// `user` already has a notification with this id.
    pub fn notify(&mut self, user: UserId, n: &Notification) -> Result<bool, Error> {
        todo!(
            "exercise 06: insert the notification and bump the badge in one transaction; ignore a duplicate id"
        )
    }

    /// Mark one notification read. Returns `true` only if it existed and was unread, so marking
    /// twice decrements the badge once.
    pub fn mark_read(&mut self, user: UserId, id: i64) -> Result<bool, Error> {
        todo!("exercise 06: mark it read and decrement the badge, once, only if it was unread")
    }

    /// The newest `limit` unread notifications of `user`, newest first (ties: higher id first).
    pub fn unread(&self, user: UserId, limit: u32) -> Result<Vec<Notification>, Error> {
        todo!("exercise 06: run UNREAD_QUERY, newest first")
    }

    /// The badge: how many unread notifications `user` has.
    pub fn unread_count(&self, user: UserId) -> Result<u64, Error> {
        todo!("exercise 06: run BADGE_QUERY; a user with no notifications has 0")
    }

    /// `EXPLAIN QUERY PLAN` of `sql`, one line per step: the tests read it (given, not
    /// part of the exercise).
    pub fn plan(&self, sql: &str) -> Result<Vec<String>, Error> {
        let mut stmt = self
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .doing("explain a query")?;
        let lines = stmt
            .query_map(unbound(stmt.parameter_count()), |r| r.get::<_, String>(3))
            .doing("read a plan")?;
        lines.collect::<Result<_, _>>().doing("read a plan")
    }
}
// ANCHOR_END: exercise_starter
