//! A valid scenario to start from, and a way to change one field of it.
#![allow(dead_code)]

use std::path::Path;

use ch03_capacity_estimation::{Error, Scenario};

/// A small, valid scenario. Line numbers matter to the tests: `name` is line 1,
/// `daily_active_users` line 2, and so on in this order.
pub const VALID: &str = r#"name = "test"
daily_active_users = "1M"
actions_per_user_per_day = "1"
read_write_ratio = "1:1"
write_size = "1 KiB"
read_size = "1 KiB"
retention = "1y"
replication = "1x"
peak_factor = "1x"
cache_hot_fraction = "0%"
server_qps = "1K"
"#;

/// The 1-based line of `field` in [`VALID`].
pub fn line_of_field(field: &str) -> usize {
    VALID
        .lines()
        .position(|l| l.starts_with(&format!("{field} =")))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("no field {field} in VALID"))
}

/// [`VALID`] with `field`'s whole value (after `=`) replaced by `value`, written as TOML.
pub fn with(field: &str, value: &str) -> String {
    VALID
        .lines()
        .map(|line| {
            if line.starts_with(&format!("{field} =")) {
                format!("{field} = {value}\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect()
}

/// Parses `text` as the file `test.toml`.
pub fn parse(text: &str) -> Result<Scenario, Error> {
    Scenario::parse(Path::new("test.toml"), text)
}

/// Parses `text`, which must be valid.
pub fn scenario(text: &str) -> Scenario {
    parse(text).unwrap_or_else(|e| panic!("valid scenario rejected: {e}"))
}
