// ANCHOR: exercise_tests
//! Exercise 6: unread notifications, newest first, with a count badge, each one index search.

use ch06_data_modeling::exercise::{BADGE_QUERY, Notification, Notifications, UNREAD_QUERY};

fn note(id: i64, created_at: i64) -> Notification {
    Notification {
        id,
        created_at,
        text: format!("notification {id}"),
    }
}

/// A plan is one index search when every step SEARCHes an index or key, none SCANs a whole
/// table or index, and no temporary B-tree sorts the result.
fn assert_one_index_search(plan: &[String]) {
    assert!(!plan.is_empty(), "no plan");
    for step in plan {
        assert!(
            step.starts_with("SEARCH"),
            "step is not an index search: {step:?} in {plan:?}"
        );
        assert!(
            !step.contains("TEMP B-TREE"),
            "the query sorts at read time: {plan:?}"
        );
    }
}

#[test]
fn list_is_newest_first_and_unread_only() {
    let mut n = Notifications::open_in_memory().unwrap();
    for (id, t) in [(1, 10), (2, 30), (3, 20), (4, 30), (5, 5)] {
        assert!(n.notify(7, &note(id, t)).unwrap());
    }
    n.notify(8, &note(6, 99)).unwrap(); // another user's
    assert!(n.mark_read(7, 3).unwrap());
    let ids: Vec<i64> = n.unread(7, 10).unwrap().iter().map(|x| x.id).collect();
    assert_eq!(
        ids,
        [4, 2, 1, 5],
        "newest first, ties by higher id, read ones gone"
    );
    let first_two: Vec<i64> = n.unread(7, 2).unwrap().iter().map(|x| x.id).collect();
    assert_eq!(first_two, [4, 2]);
    assert_eq!(n.unread(7, 1).unwrap()[0], note(4, 30));
}

#[test]
fn badge_counts_unread_and_survives_repeats() {
    let mut n = Notifications::open_in_memory().unwrap();
    assert_eq!(
        n.unread_count(1).unwrap(),
        0,
        "a user with no notifications"
    );
    for id in 1..=5 {
        n.notify(1, &note(id, id)).unwrap();
    }
    assert!(
        !n.notify(1, &note(3, 3)).unwrap(),
        "a duplicate id is ignored"
    );
    assert_eq!(n.unread_count(1).unwrap(), 5);
    assert!(n.mark_read(1, 2).unwrap());
    assert!(!n.mark_read(1, 2).unwrap(), "marking twice counts once");
    assert!(!n.mark_read(1, 99).unwrap(), "unknown id");
    assert!(!n.mark_read(2, 1).unwrap(), "someone else's notification");
    assert_eq!(n.unread_count(1).unwrap(), 4);
    assert_eq!(
        n.unread_count(1).unwrap() as usize,
        n.unread(1, 100).unwrap().len()
    );
}

#[test]
fn badge_matches_the_list_after_many_writes() {
    let mut n = Notifications::open_in_memory().unwrap();
    for id in 0..200 {
        n.notify(id % 3, &note(id, id / 4)).unwrap();
        if id % 5 == 0 {
            n.mark_read(id % 3, id / 2).unwrap();
        }
    }
    for user in 0..3 {
        let listed = n.unread(user, 1_000).unwrap();
        assert_eq!(
            n.unread_count(user).unwrap() as usize,
            listed.len(),
            "user {user}"
        );
        assert!(
            listed
                .windows(2)
                .all(|w| (w[0].created_at, w[0].id) > (w[1].created_at, w[1].id))
        );
    }
}

#[test]
fn both_hot_queries_are_one_index_search() {
    let mut n = Notifications::open_in_memory().unwrap();
    for id in 0..50 {
        n.notify(id % 5, &note(id, id)).unwrap();
    }
    assert_one_index_search(&n.plan(UNREAD_QUERY).unwrap());
    assert_one_index_search(&n.plan(BADGE_QUERY).unwrap());
}
// ANCHOR_END: exercise_tests
