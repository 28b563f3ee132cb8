//! Exercise 8, reference solution: normalize a wide enrollment table into 3NF.
//!
//! A university exported its enrollments as one wide table, one row per student and course. The
//! task: find the rows that break its functional dependencies (a migration must not silently pick
//! one of two emails), then, in one transaction, create four tables in 3NF, move the data, and
//! create a view that gives the original rows back exactly.

// ANCHOR: exercise_solution
use rusqlite::Connection;

use crate::{Error, Result};

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

/// Each non-key dependency: its name, the determinant, and the dependent columns as one value.
const DEPENDENCIES: [(&str, &str, &str); 3] = [
    (
        "student_id -> student_name, student_email",
        "CAST(student_id AS TEXT)",
        "student_name || ' <' || student_email || '>'",
    ),
    (
        "course_code -> course_title, instructor",
        "course_code",
        "course_title || ' / ' || instructor",
    ),
    (
        "instructor -> instructor_office",
        "instructor",
        "instructor_office",
    ),
];

/// Every determinant value in `enrollments_wide` with more than one dependent value.
pub fn dependency_violations(conn: &Connection) -> Result<Vec<Violation>> {
    let mut found = Vec::new();
    for (dependency, determinant, dependent) in DEPENDENCIES {
        let sql = format!(
            "SELECT {determinant}, group_concat(DISTINCT {dependent}) FROM enrollments_wide
             GROUP BY {determinant} HAVING count(DISTINCT {dependent}) > 1 ORDER BY 1"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(Violation {
                dependency: dependency.to_string(),
                key: r.get(0)?,
                values: r.get(1)?,
            })
        })?;
        for row in rows {
            found.push(row?);
        }
    }
    Ok(found)
}

/// The 3NF schema, the migration, and the view that reproduces the wide rows.
const NORMALIZE: &str = "
CREATE TABLE students (
    student_id INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL
);
CREATE TABLE instructors (
    name   TEXT PRIMARY KEY,
    office TEXT NOT NULL
);
CREATE TABLE courses (
    code       TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    instructor TEXT NOT NULL REFERENCES instructors (name)
);
CREATE TABLE enrollments (
    student_id  INTEGER NOT NULL REFERENCES students (student_id),
    course_code TEXT    NOT NULL REFERENCES courses (code),
    grade       TEXT,
    PRIMARY KEY (student_id, course_code)
);
INSERT INTO students SELECT DISTINCT student_id, student_name, student_email FROM enrollments_wide;
INSERT INTO instructors SELECT DISTINCT instructor, instructor_office FROM enrollments_wide;
INSERT INTO courses SELECT DISTINCT course_code, course_title, instructor FROM enrollments_wide;
INSERT INTO enrollments SELECT student_id, course_code, grade FROM enrollments_wide;
CREATE VIEW enrollments_joined AS
SELECT e.student_id, s.name AS student_name, s.email AS student_email,
       e.course_code, c.title AS course_title, c.instructor, i.office AS instructor_office,
       e.grade
FROM enrollments e
JOIN students s ON s.student_id = e.student_id
JOIN courses c ON c.code = e.course_code
JOIN instructors i ON i.name = c.instructor;";

/// Refuse a wide table that breaks a dependency; otherwise create the 3NF tables, copy the data
/// and create `enrollments_joined`, all in one transaction. The wide table stays, for checking.
pub fn normalize(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    if let Some(v) = dependency_violations(&tx)?.into_iter().next() {
        return Err(Error::DependencyViolated {
            dependency: v.dependency,
            key: v.key,
            values: v.values,
        });
    }
    tx.execute_batch(NORMALIZE)?;
    Ok(tx.commit()?)
}
// ANCHOR_END: exercise_solution
