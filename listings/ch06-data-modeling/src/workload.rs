//! The social graph and the posts every model is loaded with, generated from a seed.
//!
//! A data model is only "good" for a workload, so the workload is explicit: how many users, how
//! many accounts each follows, how many **celebrities** (accounts that a large share of users
//! follow) and how many posts. The same seed always yields the same graph and posts, so two
//! models (or two runs) see identical data.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::error::Error;

/// A user's id. Users `0..celebrities` are the celebrities.
pub type UserId = i64;

/// One post. `id` grows with time; `created_at` may repeat (two posts in the same millisecond),
/// so every ordering in the book breaks ties on `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Post {
    /// Unique post id, assigned by the writer.
    pub id: i64,
    /// Who wrote it.
    pub author: UserId,
    /// When, in milliseconds since the start of the workload.
    pub created_at: i64,
}

/// The newest-first order of a home timeline: `created_at` descending, then `id` descending.
pub fn newest_first(a: &Post, b: &Post) -> std::cmp::Ordering {
    (b.created_at, b.id).cmp(&(a.created_at, a.id))
}

/// One change to the data: the three writes a timeline service receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `follower` starts following `followee`.
    Follow {
        /// Who follows.
        follower: UserId,
        /// Whom.
        followee: UserId,
    },
    /// `follower` stops following `followee`.
    Unfollow {
        /// Who unfollows.
        follower: UserId,
        /// Whom.
        followee: UserId,
    },
    /// A new post.
    Post(Post),
}

/// The shape of the generated workload. `Config::default()` is the demo's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Number of users, celebrities included.
    pub users: u32,
    /// How many of them are celebrities (ids `0..celebrities`).
    pub celebrities: u32,
    /// Percentage of users that follow each celebrity.
    pub celebrity_reach_percent: u32,
    /// Ordinary accounts each user follows, chosen uniformly.
    pub follows_per_user: u32,
    /// Number of posts, authors chosen uniformly.
    pub posts: u32,
    /// The seed for every random choice.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            users: 1_000,
            celebrities: 3,
            celebrity_reach_percent: 50,
            follows_per_user: 30,
            posts: 10_000,
            seed: 6,
        }
    }
}

impl Config {
    /// Reject shapes that cannot be generated (or that would make the demo meaningless).
    pub fn validate(&self) -> Result<(), Error> {
        if self.users < 2 {
            return Err(Error::Config(format!(
                "users must be at least 2, got {}",
                self.users
            )));
        }
        if self.celebrities >= self.users {
            return Err(Error::Config(format!(
                "celebrities ({}) must be fewer than users ({})",
                self.celebrities, self.users
            )));
        }
        let ordinary_others = self.users - self.celebrities - 1;
        if self.follows_per_user > ordinary_others {
            return Err(Error::Config(format!(
                "follows per user ({}) must be at most the {ordinary_others} ordinary users a user can follow",
                self.follows_per_user
            )));
        }
        if self.celebrity_reach_percent > 100 {
            return Err(Error::Config(format!(
                "celebrity reach is a percentage, got {}",
                self.celebrity_reach_percent
            )));
        }
        Ok(())
    }
}

/// A generated workload: users, who follows whom, and the posts in time order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// Every user id and whether it is a celebrity.
    pub users: Vec<(UserId, bool)>,
    /// Follow edges `(follower, followee)`, no duplicates, no self-follows.
    pub follows: Vec<(UserId, UserId)>,
    /// Posts in the order they were written.
    pub posts: Vec<Post>,
}

impl Workload {
    /// Generate the workload `config` describes.
    pub fn generate(config: &Config) -> Result<Self, Error> {
        config.validate()?;
        let mut rng = StdRng::seed_from_u64(config.seed);
        let n = i64::from(config.users);
        let celebrities = i64::from(config.celebrities);
        let users = (0..n).map(|id| (id, id < celebrities)).collect();

        let mut follows = Vec::new();
        let mut chosen = std::collections::BTreeSet::new();
        for follower in 0..n {
            chosen.clear();
            for celebrity in 0..celebrities {
                if celebrity != follower
                    && rng.random_range(0..100) < config.celebrity_reach_percent
                {
                    chosen.insert(celebrity);
                }
            }
            let mut ordinary = 0;
            while ordinary < config.follows_per_user {
                let followee = rng.random_range(celebrities..n);
                if followee != follower && chosen.insert(followee) {
                    ordinary += 1;
                }
            }
            follows.extend(chosen.iter().map(|&followee| (follower, followee)));
        }

        // Posts arrive about every 2 ms; the division makes some share a millisecond.
        let posts = (0..i64::from(config.posts))
            .map(|i| Post {
                id: i + 1,
                author: rng.random_range(0..n),
                created_at: i * 2 / 3,
            })
            .collect();
        Ok(Self {
            users,
            follows,
            posts,
        })
    }

    /// How many users follow `author`: the number of timeline rows one of its posts costs.
    pub fn follower_count(&self, author: UserId) -> usize {
        self.follows.iter().filter(|&&(_, f)| f == author).count()
    }
}
