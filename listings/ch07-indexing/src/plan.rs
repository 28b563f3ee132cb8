//! A query plan as the database printed it: never typed by hand, always captured.

use std::fmt;

/// The lines of an `EXPLAIN QUERY PLAN` (SQLite) or `EXPLAIN ANALYZE` (PostgreSQL) output, in
/// order, with each line indented by its depth in the plan tree.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// One entry per plan line.
    pub lines: Vec<String>,
}

impl Plan {
    /// Whether any line contains `needle` (for example `"USING COVERING INDEX"`).
    pub fn contains(&self, needle: &str) -> bool {
        self.lines.iter().any(|line| line.contains(needle))
    }

    /// The plan on one line, its steps separated by `"; "`: short enough for a table cell.
    pub fn one_line(&self) -> String {
        self.lines
            .iter()
            .map(|line| line.trim())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl Plan {
    /// The plan's nodes only, outermost first, joined by `" > "`: for PostgreSQL output, the
    /// first line and every `->` line, without their `(actual ...)` figures.
    pub fn nodes(&self) -> String {
        self.lines
            .iter()
            .enumerate()
            .filter(|(i, line)| *i == 0 || line.contains("->"))
            .map(|(_, line)| {
                let node = line.trim().trim_start_matches("->").trim();
                node.split("  (")
                    .next()
                    .unwrap_or(node)
                    .split(" (actual")
                    .next()
                    .unwrap_or(node)
            })
            .collect::<Vec<_>>()
            .join(" > ")
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.lines {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}
