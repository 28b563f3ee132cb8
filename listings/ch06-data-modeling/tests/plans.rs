//! The query-driven model reads fewer rows for the same answer, and pays for it on write.
//! Every assertion reads what SQLite reports (the plan, its statement counters), not a timer.

use ch06_data_modeling::{Config, Model, Post, SqliteTimelines, Workload};

fn loaded(model: Model, workload: &Workload) -> SqliteTimelines {
    let store = SqliteTimelines::open_in_memory(model).unwrap();
    store.load(workload).unwrap();
    store
}

fn small() -> Workload {
    Workload::generate(&Config {
        users: 200,
        follows_per_user: 20,
        posts: 2_000,
        ..Config::default()
    })
    .unwrap()
}

// ANCHOR: fewer_rows
#[test]
fn query_driven_plan_is_one_range_scan_that_stops_at_the_limit() {
    let w = small();
    let naive = loaded(Model::Normalized, &w);
    let driven = loaded(Model::FanOutOnWrite, &w);
    for reader in [3, 50, 199] {
        let n = naive.hot_query_cost(reader, 20).unwrap();
        let d = driven.hot_query_cost(reader, 20).unwrap();
        assert_eq!(
            naive.timeline(reader, 20).unwrap(),
            driven.timeline(reader, 20).unwrap()
        );

        // The normalized plan searches once per followee, then sorts to find the newest 20.
        let followees = w.follows.iter().filter(|&&(f, _)| f == reader).count() as u64;
        assert!(n.sorts_at_read_time(), "normalized plan: {:?}", n.plan);
        assert_eq!(n.searches, 1 + followees);

        // The query-driven plan searches one key range, in key order, and sorts nothing.
        assert_eq!(d.plan, ["SEARCH timeline USING PRIMARY KEY (user_id=?)"]);
        assert!(
            !d.sorts_at_read_time(),
            "query-driven plan sorted: {:?}",
            d.plan
        );
        assert_eq!(d.searches, 1);
        assert!(
            d.work_units * 3 < n.work_units,
            "VM steps {} vs {}",
            d.work_units,
            n.work_units
        );
    }
}
// ANCHOR_END: fewer_rows

#[test]
fn hybrid_reads_ranges_only_and_never_sorts_in_sql() {
    let w = small();
    let hybrid = loaded(Model::Hybrid, &w);
    let naive = loaded(Model::Normalized, &w);
    let reader = 7;
    let cost = hybrid.hot_query_cost(reader, 20).unwrap();
    assert!(
        cost.plan
            .iter()
            .all(|step| step.trim_start().starts_with("SEARCH")),
        "{:?}",
        cost.plan
    );
    assert_eq!(cost.sorts, 0);
    let celebrities_followed = w
        .follows
        .iter()
        .filter(|&&(f, c)| f == reader && c < 3)
        .count() as u64;
    assert_eq!(
        cost.searches,
        2 + celebrities_followed,
        "timeline, celebrity list, one per celebrity"
    );
    assert_eq!(
        hybrid.timeline(reader, 20).unwrap(),
        naive.timeline(reader, 20).unwrap()
    );
}

// ANCHOR: write_cost
#[test]
fn fan_out_writes_one_row_per_follower_except_for_celebrities_in_the_hybrid() {
    let w = small();
    let celebrity = 0; // ids below `Config::celebrities` are celebrities
    let followers = w.follower_count(celebrity);
    assert!(
        followers > 50,
        "the generator should make user 0 popular, got {followers}"
    );
    let post = Post {
        id: 1_000_000,
        author: celebrity,
        created_at: 1_000_000,
    };

    assert_eq!(loaded(Model::Normalized, &w).post(&post).unwrap(), 0);
    assert_eq!(
        loaded(Model::FanOutOnWrite, &w).post(&post).unwrap(),
        followers
    );
    assert_eq!(loaded(Model::Hybrid, &w).post(&post).unwrap(), 0);

    let ordinary = 150;
    let post = Post {
        author: ordinary,
        ..post
    };
    assert_eq!(
        loaded(Model::Hybrid, &w).post(&post).unwrap(),
        w.follower_count(ordinary)
    );
}
// ANCHOR_END: write_cost

#[test]
fn the_timeline_table_costs_storage() {
    let w = small();
    let naive = loaded(Model::Normalized, &w);
    let driven = loaded(Model::FanOutOnWrite, &w);
    let rows = driven.timeline_rows().unwrap();
    let fan_out: usize = w.posts.iter().map(|p| w.follower_count(p.author)).sum();
    assert_eq!(
        rows, fan_out as u64,
        "one timeline row per (post, follower)"
    );
    assert!(driven.storage_bytes().unwrap() > 2 * naive.storage_bytes().unwrap());
}

#[test]
fn bad_workload_shapes_are_errors_not_panics() {
    for bad in [
        Config {
            users: 1,
            ..Config::default()
        },
        Config {
            celebrities: 10,
            users: 10,
            ..Config::default()
        },
        Config {
            users: 10,
            celebrities: 3,
            follows_per_user: 7,
            ..Config::default()
        },
        Config {
            celebrity_reach_percent: 101,
            ..Config::default()
        },
    ] {
        let err = Workload::generate(&bad).unwrap_err();
        assert!(
            err.to_string().starts_with("invalid configuration"),
            "{err}"
        );
    }
}
