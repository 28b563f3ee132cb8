// ANCHOR: exercise_solution
//! Exercise 6: unread notifications, newest first, with a count badge.
//!
//! Two hot queries run on every page load: "my newest unread notifications" and "how many
//! unread do I have" (the badge). The model makes each one a single index search: a partial
//! index that holds only unread rows, already in newest-first order, and a per-user counter that
//! is updated in the same transaction as the rows it counts.

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
pub const UNREAD_QUERY: &str = "
SELECT id, created_at, text FROM notifications
WHERE user_id = ?1 AND read = 0
ORDER BY created_at DESC, id DESC
LIMIT ?2";

/// The query behind the badge: how many unread notifications one user has.
pub const BADGE_QUERY: &str = "SELECT unread FROM unread_counts WHERE user_id = ?1";

impl Notifications {
    /// An empty in-memory database with the schema.
    pub fn open_in_memory() -> Result<Self, Error> {
        let conn = Connection::open_in_memory().doing("open an in-memory database")?;
        conn.execute_batch(
            "CREATE TABLE notifications (
                 user_id    INTEGER NOT NULL,
                 id         INTEGER NOT NULL,
                 created_at INTEGER NOT NULL,
                 text       TEXT NOT NULL,
                 read       INTEGER NOT NULL DEFAULT 0,
                 PRIMARY KEY (user_id, id)
             ) WITHOUT ROWID;
             -- Only unread rows, in exactly the order the list reads them.
             CREATE INDEX unread_newest_first
                 ON notifications (user_id, created_at DESC, id DESC) WHERE read = 0;
             -- The badge, denormalized: one row per user, kept in step by every write.
             CREATE TABLE unread_counts (
                 user_id INTEGER PRIMARY KEY,
                 unread  INTEGER NOT NULL
             );",
        )
        .doing("create the notification schema")?;
        Ok(Self { conn })
    }

    /// Store a new, unread notification for `user`. Returns `false` (and changes nothing) if
    /// `user` already has a notification with this id.
    pub fn notify(&mut self, user: UserId, n: &Notification) -> Result<bool, Error> {
        let tx = self.conn.transaction().doing("begin a notify")?;
        let added = tx
            .execute(
                "INSERT OR IGNORE INTO notifications (user_id, id, created_at, text)
                 VALUES (?1, ?2, ?3, ?4)",
                params![user, n.id, n.created_at, n.text],
            )
            .doing("insert a notification")?;
        if added == 1 {
            tx.execute(
                "INSERT INTO unread_counts (user_id, unread) VALUES (?1, 1)
                 ON CONFLICT (user_id) DO UPDATE SET unread = unread + 1",
                [user],
            )
            .doing("increment the badge")?;
        }
        tx.commit().doing("commit a notify")?;
        Ok(added == 1)
    }

    /// Mark one notification read. Returns `true` only if it existed and was unread, so marking
    /// twice decrements the badge once.
    pub fn mark_read(&mut self, user: UserId, id: i64) -> Result<bool, Error> {
        let tx = self.conn.transaction().doing("begin a mark-read")?;
        let changed = tx
            .execute(
                "UPDATE notifications SET read = 1 WHERE user_id = ?1 AND id = ?2 AND read = 0",
                params![user, id],
            )
            .doing("mark a notification read")?;
        if changed == 1 {
            tx.execute(
                "UPDATE unread_counts SET unread = unread - 1 WHERE user_id = ?1",
                [user],
            )
            .doing("decrement the badge")?;
        }
        tx.commit().doing("commit a mark-read")?;
        Ok(changed == 1)
    }

    /// The newest `limit` unread notifications of `user`, newest first (ties: higher id first).
    pub fn unread(&self, user: UserId, limit: u32) -> Result<Vec<Notification>, Error> {
        let mut stmt = self.conn.prepare(UNREAD_QUERY).doing("prepare the list")?;
        let rows = stmt
            .query_map(params![user, limit], |r| {
                Ok(Notification {
                    id: r.get(0)?,
                    created_at: r.get(1)?,
                    text: r.get(2)?,
                })
            })
            .doing("read unread notifications")?;
        rows.collect::<Result<_, _>>()
            .doing("read unread notifications")
    }

    /// The badge: how many unread notifications `user` has.
    pub fn unread_count(&self, user: UserId) -> Result<u64, Error> {
        let mut stmt = self.conn.prepare(BADGE_QUERY).doing("prepare the badge")?;
        let mut rows = stmt.query([user]).doing("read the badge")?;
        match rows.next().doing("read the badge")? {
            Some(row) => Ok(row.get::<_, i64>(0).doing("read the badge")?.max(0) as u64),
            None => Ok(0),
        }
    }

    /// `EXPLAIN QUERY PLAN` of `sql`, one line per step: the tests read it.
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
// ANCHOR_END: exercise_solution
