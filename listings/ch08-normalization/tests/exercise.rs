//! Exercise 8: the tests your `normalize` makes pass.
//!
//! `cargo test -p ch08-normalization --features starter --test exercise` runs them against your
//! starter; without `--features starter`, against the reference solution.

// ANCHOR: exercise_tests
use ch08_normalization::Error;
use ch08_normalization::exercise::{WIDE_ENROLLMENTS, dependency_violations, normalize};
use rusqlite::Connection;

/// Six enrollments: Ada takes three courses, two of them Dr. Hopper's; Alan takes only one.
fn wide_db() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
    conn.execute_batch(WIDE_ENROLLMENTS).unwrap();
    conn.execute_batch(
        "INSERT INTO enrollments_wide VALUES
         (1, 'Ada',   'ada@uni.example',   'CS101', 'Programming', 'Dr. Hopper',  'A-101', 'A'),
         (1, 'Ada',   'ada@uni.example',   'CS202', 'Databases',   'Dr. Codd',    'B-12',  'A'),
         (1, 'Ada',   'ada@uni.example',   'CS303', 'Compilers',   'Dr. Hopper',  'A-101', NULL),
         (2, 'Grace', 'grace@uni.example', 'CS101', 'Programming', 'Dr. Hopper',  'A-101', 'B'),
         (2, 'Grace', 'grace@uni.example', 'MA101', 'Calculus',    'Dr. Noether', 'C-3',   'A'),
         (3, 'Alan',  'alan@uni.example',  'CS202', 'Databases',   'Dr. Codd',    'B-12',  'B');",
    )
    .unwrap();
    conn
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

const WIDE_COLUMNS: &str = "student_id, student_name, student_email, course_code, course_title, \
                            instructor, instructor_office, grade";

#[test]
fn the_view_reproduces_every_wide_row_exactly() {
    let mut conn = wide_db();
    normalize(&mut conn).unwrap();
    let (wide, view) = ("enrollments_wide", "enrollments_joined");
    let lost = format!(
        "SELECT count(*) FROM (SELECT {WIDE_COLUMNS} FROM {wide} EXCEPT SELECT {WIDE_COLUMNS} FROM {view})"
    );
    let invented = format!(
        "SELECT count(*) FROM (SELECT {WIDE_COLUMNS} FROM {view} EXCEPT SELECT {WIDE_COLUMNS} FROM {wide})"
    );
    assert_eq!(
        count(&conn, &lost),
        0,
        "rows of the wide table missing from the view"
    );
    assert_eq!(
        count(&conn, &invented),
        0,
        "rows in the view that were never in the wide table"
    );
    assert_eq!(count(&conn, "SELECT count(*) FROM enrollments_joined"), 6);
}

#[test]
fn each_fact_is_stored_once() {
    let mut conn = wide_db();
    normalize(&mut conn).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM students"), 3);
    assert_eq!(count(&conn, "SELECT count(*) FROM instructors"), 3);
    assert_eq!(count(&conn, "SELECT count(*) FROM courses"), 4);
    assert_eq!(count(&conn, "SELECT count(*) FROM enrollments"), 6);
    // The transitive dependency is gone: courses do not carry the office.
    let office_columns =
        "SELECT count(*) FROM pragma_table_info('courses') WHERE name LIKE '%office%'";
    assert_eq!(count(&conn, office_columns), 0);
}

#[test]
fn update_anomaly_is_gone_one_row_changes_every_enrollment() {
    let mut conn = wide_db();
    normalize(&mut conn).unwrap();
    let changed = conn
        .execute(
            "UPDATE instructors SET office = 'D-404' WHERE name = 'Dr. Hopper'",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1, "the office is one fact, stored in one row");
    let offices = "SELECT count(DISTINCT instructor_office) FROM enrollments_joined \
                   WHERE instructor = 'Dr. Hopper'";
    assert_eq!(count(&conn, offices), 1);
    let moved = "SELECT count(*) FROM enrollments_joined WHERE instructor_office = 'D-404'";
    assert_eq!(
        count(&conn, moved),
        3,
        "all three of Dr. Hopper's enrollments see the new office"
    );
}

#[test]
fn insertion_anomaly_is_gone_a_course_needs_no_students() {
    let mut conn = wide_db();
    normalize(&mut conn).unwrap();
    conn.execute_batch(
        "INSERT INTO instructors VALUES ('Dr. Liskov', 'E-5');
         INSERT INTO courses VALUES ('CS404', 'Distributed Systems', 'Dr. Liskov');",
    )
    .unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM enrollments_joined"), 6);
}

#[test]
fn deletion_anomaly_is_gone_the_last_enrollment_keeps_the_student() {
    let mut conn = wide_db();
    normalize(&mut conn).unwrap();
    conn.execute("DELETE FROM enrollments WHERE student_id = 3", [])
        .unwrap();
    let alan = "SELECT count(*) FROM students WHERE student_id = 3 AND email = 'alan@uni.example'";
    assert_eq!(count(&conn, alan), 1);
}

#[test]
fn keys_reject_contradictions() {
    let mut conn = wide_db();
    normalize(&mut conn).unwrap();
    let second_office = conn.execute("INSERT INTO instructors VALUES ('Dr. Codd', 'Z-9')", []);
    assert!(second_office.is_err(), "an instructor has one office");
    let ghost = conn.execute("INSERT INTO enrollments VALUES (99, 'CS101', NULL)", []);
    assert!(ghost.is_err(), "an enrollment needs a real student");
}

#[test]
fn a_clean_wide_table_has_no_violations() {
    assert_eq!(dependency_violations(&wide_db()).unwrap(), vec![]);
}

#[test]
fn every_broken_dependency_is_found() {
    let conn = wide_db();
    conn.execute_batch(
        "UPDATE enrollments_wide SET student_email = 'ada@home.example'
             WHERE student_id = 1 AND course_code = 'CS303';
         UPDATE enrollments_wide SET course_title = 'Data Bases'
             WHERE student_id = 3 AND course_code = 'CS202';
         UPDATE enrollments_wide SET instructor_office = 'A-102'
             WHERE student_id = 2 AND course_code = 'CS101';",
    )
    .unwrap();
    let found: Vec<(String, String)> = dependency_violations(&conn)
        .unwrap()
        .into_iter()
        .map(|v| (v.dependency, v.key))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "student_id -> student_name, student_email".into(),
                "1".into()
            ),
            (
                "course_code -> course_title, instructor".into(),
                "CS202".into()
            ),
            (
                "instructor -> instructor_office".into(),
                "Dr. Hopper".into()
            ),
        ]
    );
}

#[test]
fn a_dirty_wide_table_is_refused_and_nothing_is_created() {
    let mut conn = wide_db();
    conn.execute(
        "UPDATE enrollments_wide SET instructor_office = 'A-102' WHERE course_code = 'CS303'",
        [],
    )
    .unwrap();
    match normalize(&mut conn) {
        Err(Error::DependencyViolated {
            dependency, key, ..
        }) => {
            assert_eq!(dependency, "instructor -> instructor_office");
            assert_eq!(key, "Dr. Hopper");
        }
        other => panic!("expected DependencyViolated, got {other:?}"),
    }
    let tables = "SELECT count(*) FROM sqlite_schema WHERE name IN \
                  ('students', 'instructors', 'courses', 'enrollments', 'enrollments_joined')";
    assert_eq!(
        count(&conn, tables),
        0,
        "a refused migration leaves no half-built schema"
    );
}
// ANCHOR_END: exercise_tests
