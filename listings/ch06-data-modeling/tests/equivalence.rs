//! The three models are three layouts of the same facts: every reader's timeline must be the same
//! in all of them, after any sequence of follows, unfollows and posts.

use std::collections::BTreeSet;

use ch06_data_modeling::{Model, Op, Post, SqliteTimelines, UserId, newest_first};
use proptest::prelude::*;

/// The specification: a timeline is the followees' posts, newest first, cut at `limit`.
#[derive(Default)]
struct Reference {
    follows: BTreeSet<(UserId, UserId)>,
    posts: Vec<Post>,
}

impl Reference {
    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Follow { follower, followee } => {
                self.follows.insert((follower, followee));
            }
            Op::Unfollow { follower, followee } => {
                self.follows.remove(&(follower, followee));
            }
            Op::Post(p) => self.posts.push(p),
        }
    }

    fn followers(&self, author: UserId) -> usize {
        self.follows.iter().filter(|&&(_, f)| f == author).count()
    }

    fn timeline(&self, user: UserId, limit: usize) -> Vec<Post> {
        let mut t: Vec<Post> = self
            .posts
            .iter()
            .filter(|p| self.follows.contains(&(user, p.author)))
            .copied()
            .collect();
        t.sort_by(newest_first);
        t.truncate(limit);
        t
    }
}

/// A random little social network: up to 6 users, some celebrities, and up to 80 writes.
/// Timestamps are random and often equal, so ordering and tie-breaking are exercised.
fn scenario() -> impl Strategy<Value = (Vec<bool>, Vec<Op>)> {
    (2i64..=6).prop_flat_map(|n| {
        let op = (0u8..3, 0..n, 0..n, 0i64..30);
        (
            prop::collection::vec(any::<bool>(), n as usize),
            prop::collection::vec(op, 0..80),
        )
            .prop_map(|(celebrities, raw)| {
                let ops = raw
                    .into_iter()
                    .enumerate()
                    .map(|(i, (kind, a, b, t))| match kind {
                        0 => Op::Follow {
                            follower: a,
                            followee: b,
                        },
                        1 => Op::Unfollow {
                            follower: a,
                            followee: b,
                        },
                        _ => Op::Post(Post {
                            id: i as i64 + 1,
                            author: a,
                            created_at: t,
                        }),
                    })
                    .collect();
                (celebrities, ops)
            })
    })
}

// ANCHOR: same_answers
proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_model_returns_the_reference_timeline((celebrities, ops) in scenario()) {
        let stores: Vec<SqliteTimelines> = Model::ALL
            .iter()
            .map(|&m| SqliteTimelines::open_in_memory(m).unwrap())
            .collect();
        for store in &stores {
            for (id, &celebrity) in celebrities.iter().enumerate() {
                store.add_user(id as UserId, celebrity).unwrap();
            }
        }
        let mut reference = Reference::default();
        for op in &ops {
            reference.apply(op);
            for store in &stores {
                let written = store.apply(op).unwrap();
                // The write cost of fan-out on write is exactly one row per follower.
                if let (Op::Post(p), Model::FanOutOnWrite) = (op, store.model()) {
                    prop_assert_eq!(written, reference.followers(p.author));
                }
            }
        }
        for user in 0..celebrities.len() as UserId {
            for limit in [1, 3, 1_000] {
                let expected = reference.timeline(user, limit);
                for store in &stores {
                    prop_assert_eq!(
                        &store.timeline(user, limit as u32).unwrap(), &expected,
                        "{} disagrees for user {} (limit {})", store.model().name(), user, limit
                    );
                }
            }
        }
    }
}
// ANCHOR_END: same_answers
