//! The three models on SQLite (bundled, in memory): schema, writes, the hot query, its cost.

use rusqlite::{Connection, OptionalExtension, StatementStatus, params};

use crate::error::{Context, Error};
use crate::model::{Model, QueryCost};
use crate::workload::{Op, Post, UserId, Workload, newest_first};

// ANCHOR: normalized_schema
/// The normalized source of truth, shared by every model. Each fact is stored once: a post in
/// `posts`, a follow in `follows`. `posts_by_author` serves "an author's newest posts";
/// `follows_by_followee` serves "who follows this author" for fan-out on write.
const BASE_SCHEMA: &str = "
CREATE TABLE users (
    id        INTEGER PRIMARY KEY,
    celebrity INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE follows (
    follower_id INTEGER NOT NULL,
    followee_id INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
) WITHOUT ROWID;
CREATE INDEX follows_by_followee ON follows (followee_id, follower_id);
CREATE TABLE posts (
    id         INTEGER PRIMARY KEY,
    author_id  INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX posts_by_author ON posts (author_id, created_at DESC, id DESC);
";
// ANCHOR_END: normalized_schema

// ANCHOR: timeline_schema
/// The query-driven table: one row per (reader, post), stored in exactly the order the hot
/// query reads it. `WITHOUT ROWID` makes the primary key the table itself (a clustered index),
/// so a reader's timeline is one contiguous range, newest first.
const TIMELINE_SCHEMA: &str = "
CREATE TABLE timeline (
    user_id    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    post_id    INTEGER NOT NULL,
    author_id  INTEGER NOT NULL,
    PRIMARY KEY (user_id, created_at DESC, post_id DESC)
) WITHOUT ROWID;
";
// ANCHOR_END: timeline_schema

/// The hybrid model's second read-optimized table: which celebrities each reader follows, so
/// the read finds them with one range search instead of checking every follow edge.
const CELEBRITY_FOLLOWS_SCHEMA: &str = "
CREATE TABLE celebrity_follows (
    follower_id  INTEGER NOT NULL,
    celebrity_id INTEGER NOT NULL,
    PRIMARY KEY (follower_id, celebrity_id)
) WITHOUT ROWID;
";

// ANCHOR: hot_queries
/// Fan-out on read: every post of every followee is a candidate and must be sorted.
const NORMALIZED_TIMELINE: &str = "
SELECT p.id, p.author_id, p.created_at
FROM follows AS f JOIN posts AS p ON p.author_id = f.followee_id
WHERE f.follower_id = ?1
ORDER BY p.created_at DESC, p.id DESC
LIMIT ?2";

/// Fan-out on write: the rows are already in order; read the first `LIMIT` of one range.
const STORED_TIMELINE: &str = "
SELECT post_id, author_id, created_at
FROM timeline
WHERE user_id = ?1
ORDER BY created_at DESC, post_id DESC
LIMIT ?2";
// ANCHOR_END: hot_queries

/// Hybrid, part two: which celebrities this reader follows (their posts are not fanned out).
const FOLLOWED_CELEBRITIES: &str = "
SELECT celebrity_id FROM celebrity_follows WHERE follower_id = ?1";

/// Hybrid, part three: one celebrity's newest posts, a range scan of `posts_by_author`.
const AUTHOR_NEWEST: &str = "
SELECT id, author_id, created_at
FROM posts
WHERE author_id = ?1
ORDER BY created_at DESC, id DESC
LIMIT ?2";

/// `n` NULL parameters: `EXPLAIN QUERY PLAN` needs every `?` bound, but not to real values.
pub fn unbound(n: usize) -> rusqlite::ParamsFromIter<Vec<rusqlite::types::Null>> {
    rusqlite::params_from_iter(vec![rusqlite::types::Null; n])
}

/// One model of the home timeline in its own in-memory SQLite database.
pub struct SqliteTimelines {
    conn: Connection,
    model: Model,
}

impl SqliteTimelines {
    /// A fresh, empty database holding `model`'s schema.
    pub fn open_in_memory(model: Model) -> Result<Self, Error> {
        let conn = Connection::open_in_memory().doing("open an in-memory database")?;
        conn.execute_batch(BASE_SCHEMA)
            .doing("create the normalized schema")?;
        if model != Model::Normalized {
            conn.execute_batch(TIMELINE_SCHEMA)
                .doing("create the timeline table")?;
        }
        // Every model has the table so that the reader's statements prepare; only the hybrid
        // model writes to it.
        conn.execute_batch(CELEBRITY_FOLLOWS_SCHEMA)
            .doing("create the celebrity follows table")?;
        Ok(Self { conn, model })
    }

    /// Which model this database holds.
    pub fn model(&self) -> Model {
        self.model
    }

    /// Register a user; `celebrity` matters only to the hybrid model.
    pub fn add_user(&self, id: UserId, celebrity: bool) -> Result<(), Error> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO users (id, celebrity) VALUES (?1, ?2)",
                params![id, celebrity],
            )
            .doing("add a user")?;
        Ok(())
    }

    /// Apply one write and return how many timeline rows it wrote or deleted.
    pub fn apply(&self, op: &Op) -> Result<usize, Error> {
        match *op {
            Op::Follow { follower, followee } => self.follow(follower, followee),
            Op::Unfollow { follower, followee } => self.unfollow(follower, followee),
            Op::Post(post) => self.post(&post),
        }
    }

    /// Load a whole workload in one transaction (users, then follows, then posts in order).
    pub fn load(&self, workload: &Workload) -> Result<(), Error> {
        self.conn.execute_batch("BEGIN").doing("begin the load")?;
        let loaded = (|| {
            for &(id, celebrity) in &workload.users {
                self.add_user(id, celebrity)?;
            }
            for &(follower, followee) in &workload.follows {
                self.follow(follower, followee)?;
            }
            for post in &workload.posts {
                self.post(post)?;
            }
            Ok(())
        })();
        match loaded {
            Ok(()) => self.conn.execute_batch("COMMIT").doing("commit the load"),
            Err(e) => {
                // The load already failed; a failed rollback adds nothing useful to report.
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Whether this model copies `author`'s posts into followers' timelines.
    fn fans_out(&self, author: UserId) -> Result<bool, Error> {
        match self.model {
            Model::Normalized => Ok(false),
            Model::FanOutOnWrite => Ok(true),
            Model::Hybrid => Ok(!self.is_celebrity(author)?),
        }
    }

    fn is_celebrity(&self, user: UserId) -> Result<bool, Error> {
        let celebrity: Option<bool> = self
            .conn
            .query_row("SELECT celebrity FROM users WHERE id = ?1", [user], |r| {
                r.get(0)
            })
            .optional()
            .doing("look up a user")?;
        Ok(celebrity.unwrap_or(false))
    }

    // ANCHOR: fan_out_on_write
    /// Store a post; in the query-driven models, also copy it into the timeline of every
    /// follower. Returns the number of timeline rows written: the write cost of fan-out.
    pub fn post(&self, post: &Post) -> Result<usize, Error> {
        self.conn
            .execute(
                "INSERT INTO posts (id, author_id, created_at) VALUES (?1, ?2, ?3)",
                params![post.id, post.author, post.created_at],
            )
            .doing("insert a post")?;
        if !self.fans_out(post.author)? {
            return Ok(0);
        }
        self.conn
            .execute(
                "INSERT INTO timeline (user_id, created_at, post_id, author_id)
                 SELECT follower_id, ?1, ?2, ?3 FROM follows WHERE followee_id = ?3",
                params![post.created_at, post.id, post.author],
            )
            .doing("fan out a post")
    }
    // ANCHOR_END: fan_out_on_write

    // ANCHOR: follow_backfill
    /// Follow `followee`. A new follower must also see the posts written *before* the follow,
    /// so the query-driven models backfill them; forgetting this is the classic fan-out bug.
    pub fn follow(&self, follower: UserId, followee: UserId) -> Result<usize, Error> {
        let added = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO follows (follower_id, followee_id) VALUES (?1, ?2)",
                params![follower, followee],
            )
            .doing("insert a follow")?;
        if added == 0 {
            return Ok(0);
        }
        if !self.fans_out(followee)? {
            if self.model == Model::Hybrid {
                self.conn
                    .execute(
                        "INSERT INTO celebrity_follows (follower_id, celebrity_id) VALUES (?1, ?2)",
                        params![follower, followee],
                    )
                    .doing("record a celebrity follow")?;
            }
            return Ok(0);
        }
        self.conn
            .execute(
                "INSERT INTO timeline (user_id, created_at, post_id, author_id)
                 SELECT ?1, created_at, id, author_id FROM posts WHERE author_id = ?2",
                params![follower, followee],
            )
            .doing("backfill a timeline")
    }

    // ANCHOR_END: follow_backfill

    /// Unfollow `followee`, and take their posts out of the reader's timeline.
    pub fn unfollow(&self, follower: UserId, followee: UserId) -> Result<usize, Error> {
        self.conn
            .execute(
                "DELETE FROM follows WHERE follower_id = ?1 AND followee_id = ?2",
                params![follower, followee],
            )
            .doing("delete a follow")?;
        if self.model == Model::Normalized {
            return Ok(0);
        }
        self.conn
            .execute(
                "DELETE FROM celebrity_follows WHERE follower_id = ?1 AND celebrity_id = ?2",
                params![follower, followee],
            )
            .doing("delete a celebrity follow")?;
        self.conn
            .execute(
                "DELETE FROM timeline WHERE user_id = ?1 AND author_id = ?2",
                params![follower, followee],
            )
            .doing("remove posts from a timeline")
    }

    /// The hot query: `user`'s newest `limit` posts from the accounts they follow.
    pub fn timeline(&self, user: UserId, limit: u32) -> Result<Vec<Post>, Error> {
        self.reader()?.read(user, limit)
    }

    /// A reader with the hot query's statements prepared once, for loops that read many
    /// timelines (the demo's latency measurement) without paying for SQL parsing each time.
    pub fn reader(&self) -> Result<TimelineReader<'_>, Error> {
        let prepare = |sql| self.conn.prepare(sql).doing("prepare the hot query");
        Ok(TimelineReader {
            model: self.model,
            main: prepare(match self.model {
                Model::Normalized => NORMALIZED_TIMELINE,
                Model::FanOutOnWrite | Model::Hybrid => STORED_TIMELINE,
            })?,
            celebrities: prepare(FOLLOWED_CELEBRITIES)?,
            author_newest: prepare(AUTHOR_NEWEST)?,
            celebrities_read: 0,
        })
    }

    // ANCHOR: measure
    /// The hot query's plan and cost for `user`. The plan is captured from
    /// `EXPLAIN QUERY PLAN`; the work and the sorts are SQLite's own statement counters
    /// (`SQLITE_STMTSTATUS_VM_STEP`, `SQLITE_STMTSTATUS_SORT`) for one real execution.
    pub fn hot_query_cost(&self, user: UserId, limit: u32) -> Result<QueryCost, Error> {
        let mut reader = self.reader()?;
        let posts = reader.read(user, limit)?;
        let (work_units, sorts) = reader.counters();
        let mut plan = self.plan(reader.main_sql())?;
        // Range searches, read off the plan: the normalized plan searches `follows` once, then
        // `posts_by_author` once per followee (a nested loop); the stored timeline is one search.
        let mut searches = match self.model {
            Model::Normalized => 1 + self.follow_count(user)?,
            Model::FanOutOnWrite | Model::Hybrid => 1,
        };
        if self.model == Model::Hybrid {
            plan.extend(self.plan(FOLLOWED_CELEBRITIES)?);
            plan.extend(
                std::iter::repeat_n(self.plan(AUTHOR_NEWEST)?, reader.celebrities_read).flatten(),
            );
            searches += 1 + reader.celebrities_read as u64;
        }
        Ok(QueryCost {
            plan,
            searches,
            rows_read: None,
            work_units,
            sorts,
            rows_returned: posts.len() as u64,
        })
    }
    // ANCHOR_END: measure

    fn follow_count(&self, user: UserId) -> Result<u64, Error> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM follows WHERE follower_id = ?1",
                [user],
                |r| r.get(0),
            )
            .doing("count follows")?;
        Ok(n as u64)
    }

    /// `EXPLAIN QUERY PLAN` for `sql`, one line per step, indented by depth.
    pub fn plan(&self, sql: &str) -> Result<Vec<String>, Error> {
        let mut stmt = self
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .doing("explain the hot query")?;
        let steps = stmt
            .query_map(unbound(stmt.parameter_count()), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .doing("read the query plan")?
            .collect::<Result<Vec<_>, _>>()
            .doing("read the query plan")?;
        let mut depth: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
        Ok(steps
            .into_iter()
            .map(|(id, parent, detail)| {
                let d = depth.get(&parent).map_or(0, |d| d + 1);
                depth.insert(id, d);
                format!("{}{detail}", "  ".repeat(d))
            })
            .collect())
    }

    /// The database's size: `page_count × page_size`, in bytes.
    pub fn storage_bytes(&self) -> Result<u64, Error> {
        let pages: i64 = self
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .doing("read the page count")?;
        let size: i64 = self
            .conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .doing("read the page size")?;
        Ok((pages * size) as u64)
    }

    /// Rows in the `timeline` table (0 for the normalized model, which has none).
    pub fn timeline_rows(&self) -> Result<u64, Error> {
        if self.model == Model::Normalized {
            return Ok(0);
        }
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM timeline", [], |r| r.get(0))
            .doing("count timeline rows")?;
        Ok(n as u64)
    }
}

/// The hot query's prepared statements for one model. Statement counters accumulate across
/// reads until [`TimelineReader::counters`] is called.
pub struct TimelineReader<'c> {
    model: Model,
    main: rusqlite::Statement<'c>,
    celebrities: rusqlite::Statement<'c>,
    author_newest: rusqlite::Statement<'c>,
    celebrities_read: usize,
}

impl TimelineReader<'_> {
    // ANCHOR: hybrid_read
    /// `user`'s newest `limit` posts, newest first.
    pub fn read(&mut self, user: UserId, limit: u32) -> Result<Vec<Post>, Error> {
        let mut posts = query_posts(&mut self.main, user, limit)?;
        if self.model != Model::Hybrid {
            return Ok(posts);
        }
        // Ordinary authors came from the stored range. Celebrities were not fanned out:
        // merge in each one's newest `limit` posts, a short range scan of `posts_by_author`.
        let celebrities = self
            .celebrities
            .query_map([user], |r| r.get::<_, UserId>(0))
            .doing("find followed celebrities")?
            .collect::<Result<Vec<_>, _>>()
            .doing("read followed celebrities")?;
        self.celebrities_read = celebrities.len();
        for celebrity in celebrities {
            posts.extend(query_posts(&mut self.author_newest, celebrity, limit)?);
        }
        posts.sort_by(newest_first);
        posts.truncate(limit as usize);
        Ok(posts)
    }
    // ANCHOR_END: hybrid_read

    /// VM steps and sorts since the last call, summed over the reader's statements.
    pub fn counters(&mut self) -> (u64, u64) {
        let mut steps = 0;
        let mut sorts = 0;
        for stmt in [&self.main, &self.celebrities, &self.author_newest] {
            steps += stmt.reset_status(StatementStatus::VmStep) as u64;
            sorts += stmt.reset_status(StatementStatus::Sort) as u64;
        }
        (steps, sorts)
    }

    fn main_sql(&self) -> &'static str {
        match self.model {
            Model::Normalized => NORMALIZED_TIMELINE,
            _ => STORED_TIMELINE,
        }
    }
}

fn query_posts(
    stmt: &mut rusqlite::Statement<'_>,
    key: i64,
    limit: u32,
) -> Result<Vec<Post>, Error> {
    stmt.query_map(params![key, limit], |r| {
        Ok(Post {
            id: r.get(0)?,
            author: r.get(1)?,
            created_at: r.get(2)?,
        })
    })
    .doing("run the hot query")?
    .collect::<Result<Vec<_>, _>>()
    .doing("read the hot query's rows")
}
