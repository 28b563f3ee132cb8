//! Exercise 8, starter: normalize a wide enrollment table into 3NF.
//!
//! A university exported its enrollments as one wide table, one row per student and course. Find
//! the rows that break its functional dependencies, then, in one transaction, create four tables
//! in 3NF (`students`, `instructors`, `courses`, `enrollments`), move the data, and create the
//! view `enrollments_joined` that gives the original rows back exactly.
//! `cargo test -p ch08-normalization --features starter --test exercise` runs the tests you make
//! pass.

// The bodies are yours to write; until then the parameters are unused.
#![allow(unused_variables)]

// ANCHOR: exercise_starter
use rusqlite::Connection;

use crate::Result;

/// The table you start from. Its key is `(student_id, course_code)`, and it holds these
/// functional dependencies:
///
/// - `student_id -> student_name, student_email` (a partial dependency: breaks 2NF);
/// - `course_code -> course_title, instructor` (partial: breaks 2NF);
/// - `instructor -> instructor_office` (transitive through `course_code`: breaks 3NF);
/// - `student_id, course_code -> grade` (the key: fine).
pub const WIDE_ENROLLMENTS: &str = "
CREATE TABLE enrollments_wide (
    student_id        INTEGER NOT NULL,
    student_name      TEXT    NOT NULL,
    student_email     TEXT    NOT NULL,
    course_code       TEXT    NOT NULL,
    course_title      TEXT    NOT NULL,
    instructor        TEXT    NOT NULL,
    instructor_office TEXT    NOT NULL,
    grade             TEXT,
    PRIMARY KEY (student_id, course_code)
);";

/// A determinant value that maps to more than one dependent value in the wide table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The dependency, written as in [`WIDE_ENROLLMENTS`]' doc, e.g. `instructor -> instructor_office`.
    pub dependency: String,
    /// The determinant's value, e.g. `Dr. Hopper`.
    pub key: String,
    /// The conflicting dependent values, comma-separated, in any order.
    pub values: String,
}

/// Every determinant value in `enrollments_wide` with more than one dependent value.
pub fn dependency_violations(conn: &Connection) -> Result<Vec<Violation>> {
    todo!("exercise 8: one GROUP BY ... HAVING count(DISTINCT ...) > 1 per dependency")
}

/// Refuse a wide table that breaks a dependency (with `Error::DependencyViolated`); otherwise
/// create the 3NF tables, copy the data and create `enrollments_joined`, all in one transaction.
/// The wide table stays, for checking.
pub fn normalize(conn: &mut Connection) -> Result<()> {
    todo!("exercise 8: check, then CREATE TABLE x4, INSERT ... SELECT DISTINCT x4, CREATE VIEW")
}
// ANCHOR_END: exercise_starter
