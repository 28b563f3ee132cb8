//! The normalized and query-driven models on PostgreSQL, each run in its own schema.

use tokio_postgres::{Client, NoTls};

use crate::error::{Context, Error};
use crate::model::{Model, QueryCost};
use crate::workload::{Post, UserId, Workload};

// ANCHOR: pg_schema
/// The same tables as on SQLite. PostgreSQL has no `WITHOUT ROWID` (its tables are heaps), so
/// the timeline's primary key `INCLUDE`s `author_id`: the index alone answers the hot query
/// (an index-only scan, once `VACUUM` has marked the pages all-visible).
const SCHEMA: &str = "
CREATE TABLE users (id bigint PRIMARY KEY, celebrity boolean NOT NULL DEFAULT false);
CREATE TABLE follows (
    follower_id bigint NOT NULL, followee_id bigint NOT NULL,
    PRIMARY KEY (follower_id, followee_id));
CREATE INDEX follows_by_followee ON follows (followee_id, follower_id);
CREATE TABLE posts (id bigint PRIMARY KEY, author_id bigint NOT NULL, created_at bigint NOT NULL);
CREATE INDEX posts_by_author ON posts (author_id, created_at DESC, id DESC);
CREATE TABLE timeline (
    user_id bigint NOT NULL, created_at bigint NOT NULL, post_id bigint NOT NULL,
    author_id bigint NOT NULL,
    PRIMARY KEY (user_id, created_at, post_id) INCLUDE (author_id));
";
// ANCHOR_END: pg_schema

const NORMALIZED_TIMELINE: &str = "
SELECT p.id, p.author_id, p.created_at
FROM follows AS f JOIN posts AS p ON p.author_id = f.followee_id
WHERE f.follower_id = $1
ORDER BY p.created_at DESC, p.id DESC
LIMIT $2";

const STORED_TIMELINE: &str = "
SELECT post_id, author_id, created_at
FROM timeline
WHERE user_id = $1
ORDER BY created_at DESC, post_id DESC
LIMIT $2";

/// One model of the home timeline in its own PostgreSQL schema.
pub struct PgTimelines {
    client: Client,
    schema: String,
    model: Model,
}

impl PgTimelines {
    /// Connect to `url`, create `schema` (a fresh name, e.g. from `testkit::unique_name`) and
    /// the tables in it. The hybrid model is built on SQLite only.
    pub async fn connect(url: &str, schema: &str, model: Model) -> Result<Self, Error> {
        if model == Model::Hybrid {
            return Err(Error::Unsupported(
                "the hybrid model is built on SQLite only; use Normalized or FanOutOnWrite",
            ));
        }
        if !schema
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(Error::Config(format!(
                "schema name {schema:?} must be lowercase letters, digits and _"
            )));
        }
        let (client, connection) = tokio_postgres::connect(url, NoTls).await.doing("connect")?;
        tokio::spawn(async move {
            // The connection ends when the client is dropped; an error here surfaces on the
            // client's next query, so there is nothing more to do with it.
            let _ = connection.await;
        });
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {schema}; SET search_path TO {schema}; {SCHEMA}"
            ))
            .await
            .doing("create the schema")?;
        Ok(Self {
            client,
            schema: schema.to_owned(),
            model,
        })
    }

    /// Drop the schema and everything in it.
    pub async fn drop_schema(self) -> Result<(), Error> {
        self.client
            .batch_execute(&format!("DROP SCHEMA {} CASCADE", self.schema))
            .await
            .doing("drop the schema")
    }

    /// Load a workload in bulk: arrays in, `unnest` out, then fan-out as one `INSERT … SELECT`
    /// (the same rows the per-post fan-out writes), then `ANALYZE` so the planner has statistics.
    pub async fn load(&self, w: &Workload) -> Result<(), Error> {
        let (ids, celebs): (Vec<i64>, Vec<bool>) = w.users.iter().copied().unzip();
        let (followers, followees): (Vec<i64>, Vec<i64>) = w.follows.iter().copied().unzip();
        let post_ids: Vec<i64> = w.posts.iter().map(|p| p.id).collect();
        let authors: Vec<i64> = w.posts.iter().map(|p| p.author).collect();
        let times: Vec<i64> = w.posts.iter().map(|p| p.created_at).collect();
        let c = &self.client;
        c.execute(
            "INSERT INTO users SELECT * FROM unnest($1::bigint[], $2::boolean[])",
            &[&ids, &celebs],
        )
        .await
        .doing("load users")?;
        c.execute(
            "INSERT INTO follows SELECT * FROM unnest($1::bigint[], $2::bigint[])",
            &[&followers, &followees],
        )
        .await
        .doing("load follows")?;
        c.execute(
            "INSERT INTO posts SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])",
            &[&post_ids, &authors, &times],
        )
        .await
        .doing("load posts")?;
        if self.model == Model::FanOutOnWrite {
            c.execute(
                "INSERT INTO timeline (user_id, created_at, post_id, author_id)
                 SELECT f.follower_id, p.created_at, p.id, p.author_id
                 FROM posts AS p JOIN follows AS f ON f.followee_id = p.author_id",
                &[],
            )
            .await
            .doing("fan out the posts")?;
        }
        c.batch_execute("VACUUM ANALYZE")
            .await
            .doing("analyze the tables")
    }

    /// One post, written the way a live service writes it: the post, then its fan-out.
    /// Returns the number of timeline rows written.
    pub async fn post(&self, post: &Post) -> Result<u64, Error> {
        self.client
            .execute(
                "INSERT INTO posts (id, author_id, created_at) VALUES ($1, $2, $3)",
                &[&post.id, &post.author, &post.created_at],
            )
            .await
            .doing("insert a post")?;
        if self.model != Model::FanOutOnWrite {
            return Ok(0);
        }
        self.client
            .execute(
                "INSERT INTO timeline (user_id, created_at, post_id, author_id)
                 SELECT follower_id, $1, $2, $3 FROM follows WHERE followee_id = $3",
                &[&post.created_at, &post.id, &post.author],
            )
            .await
            .doing("fan out a post")
    }

    fn hot_query(&self) -> &'static str {
        match self.model {
            Model::FanOutOnWrite => STORED_TIMELINE,
            _ => NORMALIZED_TIMELINE,
        }
    }

    /// The hot query: `user`'s newest `limit` posts.
    pub async fn timeline(&self, user: UserId, limit: i64) -> Result<Vec<Post>, Error> {
        let rows = self
            .client
            .query(self.hot_query(), &[&user, &limit])
            .await
            .doing("run the hot query")?;
        rows.iter()
            .map(|r| {
                Ok(Post {
                    id: r.try_get(0).doing("read a post id")?,
                    author: r.try_get(1).doing("read an author")?,
                    created_at: r.try_get(2).doing("read a timestamp")?,
                })
            })
            .collect()
    }

    // ANCHOR: pg_explain
    /// Run the hot query under `EXPLAIN (ANALYZE, BUFFERS)` and read its cost from the plan:
    /// rows every scan node produced (times its loops, plus rows its filter threw away), the
    /// shared buffers the whole query touched, and whether it had to sort.
    pub async fn hot_query_cost(&self, user: UserId, limit: i64) -> Result<QueryCost, Error> {
        let sql = format!(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT TEXT) {}",
            self.hot_query()
        );
        let rows = self
            .client
            .query(&sql, &[&user, &limit])
            .await
            .doing("explain the hot query")?;
        let plan = rows
            .iter()
            .map(|r| r.try_get::<_, String>(0).doing("read the plan"))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(cost_from_plan(plan))
    }
    // ANCHOR_END: pg_explain
}

/// Parse PostgreSQL's text plan into a [`QueryCost`].
pub fn cost_from_plan(plan: Vec<String>) -> QueryCost {
    let mut cost = QueryCost::default();
    let mut loops_of_current_node = 1;
    let mut first_buffers = true;
    for line in &plan {
        let text = line.trim_start().trim_start_matches("->").trim_start();
        if let Some((rows, loops)) = actual_rows_and_loops(text) {
            loops_of_current_node = loops;
            if text.contains("Scan") {
                *cost.rows_read.get_or_insert(0) += rows * loops;
                cost.searches += loops;
            }
            if cost.rows_returned == 0 && cost.plan.is_empty() {
                cost.rows_returned = rows;
            }
            if text.starts_with("Sort") || text.starts_with("Incremental Sort") {
                cost.sorts += 1;
            }
        } else if let Some(removed) = text.strip_prefix("Rows Removed by Filter: ") {
            let removed = removed.trim().parse::<u64>().unwrap_or(0);
            *cost.rows_read.get_or_insert(0) += removed * loops_of_current_node;
        } else if let Some(buffers) = text.strip_prefix("Buffers: shared ") {
            // The first Buffers line belongs to the top node, which includes all its children.
            if first_buffers {
                cost.work_units = buffers
                    .split_whitespace()
                    .filter_map(|kv| kv.split_once('='))
                    .filter(|(k, _)| *k == "hit" || *k == "read")
                    .filter_map(|(_, v)| v.parse::<u64>().ok())
                    .sum();
                first_buffers = false;
            }
        }
        cost.plan.push(line.clone());
    }
    cost
}

/// `(rows, loops)` from "... (actual rows=20 loops=1)".
fn actual_rows_and_loops(text: &str) -> Option<(u64, u64)> {
    let after = text.split("actual ").nth(1)?;
    let number = |key: &str| -> Option<u64> {
        let v = after.split(key).nth(1)?;
        let digits: String = v
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        digits.parse::<f64>().ok().map(|f| f.round() as u64)
    };
    Some((number("rows=")?, number("loops=")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan PostgreSQL 15 printed for the normalized model (captured by the demo).
    const NORMALIZED_PLAN: &str = "Limit (actual rows=20 loops=1)
  Buffers: shared hit=70
  ->  Sort (actual rows=20 loops=1)
        Sort Key: p.created_at DESC, p.id DESC
        Sort Method: top-N heapsort  Memory: 27kB
        Buffers: shared hit=70
        ->  Nested Loop (actual rows=384 loops=1)
              Buffers: shared hit=70
              ->  Index Only Scan using follows_pkey on follows f (actual rows=33 loops=1)
                    Index Cond: (follower_id = '35'::bigint)
                    Buffers: shared hit=3
              ->  Index Only Scan using posts_by_author on posts p (actual rows=12 loops=33)
                    Index Cond: (author_id = f.followee_id)
                    Buffers: shared hit=60 read=7
Planning:
  Buffers: shared hit=81";

    #[test]
    fn plan_parser_counts_scanned_rows_buffers_and_sorts() {
        let cost = cost_from_plan(NORMALIZED_PLAN.lines().map(String::from).collect());
        assert_eq!(cost.rows_read, Some(33 + 12 * 33));
        assert_eq!(cost.searches, 1 + 33);
        assert_eq!(
            cost.work_units, 70,
            "the top node's buffers, not planning's"
        );
        assert_eq!(cost.sorts, 1);
        assert_eq!(cost.rows_returned, 20);
        assert!(cost.sorts_at_read_time());
    }

    #[test]
    fn filtered_rows_count_as_read() {
        let plan = "Seq Scan on posts (actual rows=5 loops=2)\n  Rows Removed by Filter: 100";
        let cost = cost_from_plan(plan.lines().map(String::from).collect());
        assert_eq!(cost.rows_read, Some(5 * 2 + 100 * 2));
    }
}
