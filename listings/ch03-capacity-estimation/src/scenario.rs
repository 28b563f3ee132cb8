//! A scenario file: the assumptions of one estimate, in TOML, with human units.
//!
//! Loading happens in two stages, and each stage reports errors with a location:
//!
//! 1. `toml` + serde read the file into [`RawScenario`], where every quantity is still text,
//!    wrapped in [`toml::Spanned`] so we know where it was written. `deny_unknown_fields` turns a
//!    typo (`daily_active_user`) into an error instead of a silently ignored line. The parser's
//!    error carries a byte span; we turn it into a line number.
//! 2. [`crate::units`] parses each text into a number. A bad unit, a zero rate or an overflow
//!    comes back as a [`UnitError`], which we wrap with the file, the line of the value (from its
//!    span) and the field's name.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::Spanned;

use crate::error::Error;
use crate::units::{self, ReadWriteRatio, UnitError};

// ANCHOR: raw_scenario
/// The file as written: every quantity is text (or a bare TOML number) with its position.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: String,
    daily_active_users: Spanned<Text>,
    actions_per_user_per_day: Spanned<Text>,
    read_write_ratio: Spanned<Text>,
    write_size: Spanned<Text>,
    read_size: Spanned<Text>,
    retention: Spanned<Text>,
    replication: Spanned<Text>,
    peak_factor: Spanned<Text>,
    cache_hot_fraction: Spanned<Text>,
    server_qps: Spanned<Text>,
}
// ANCHOR_END: raw_scenario

/// The text of one quantity. TOML numbers are accepted too (`daily_active_users = 1000000`)
/// and turned into text, so that both go through the same unit parser and the same checks.
#[derive(Debug)]
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a string with a unit, like \"500M\" or \"2 KiB\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// One assumption as the file wrote it, kept so the report can echo it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumption {
    /// The field's name.
    pub field: &'static str,
    /// The value's text, as written.
    pub text: String,
}

/// A validated scenario: every quantity in a base unit (counts, bytes, days, factors).
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// A display name, such as "URL shortener".
    pub name: String,
    /// Users active on an average day.
    pub daily_active_users: f64,
    /// Requests of every kind (reads and writes) one user makes per day.
    pub actions_per_user_per_day: f64,
    /// How those requests split into reads and writes.
    pub read_write_ratio: ReadWriteRatio,
    /// Bytes stored by one write.
    pub write_size_bytes: f64,
    /// Bytes sent back by one read.
    pub read_size_bytes: f64,
    /// How long written data is kept, in days.
    pub retention_days: f64,
    /// How many copies of each byte are stored.
    pub replication: f64,
    /// Peak traffic divided by average traffic.
    pub peak_factor: f64,
    /// The share of a day's read bytes worth keeping in cache.
    pub cache_hot_fraction: f64,
    /// Requests per second one server sustains (measure it: chapter 2's load test).
    pub server_qps: f64,
    /// The assumptions as written, in file order.
    pub assumptions: Vec<Assumption>,
}

impl Scenario {
    /// Reads and validates a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            file: path.to_path_buf(),
            source,
        })?;
        Scenario::parse(path, &text)
    }

    // ANCHOR: parse_scenario
    /// Validates `text`, reporting errors against `file` (which need not exist).
    pub fn parse(file: &Path, text: &str) -> Result<Scenario, Error> {
        let raw: RawScenario = toml::from_str(text).map_err(|e| structure_error(file, text, &e))?;
        let at = Locator { file, text };
        Ok(Scenario {
            daily_active_users: at.value(
                "daily_active_users",
                &raw.daily_active_users,
                units::parse_count,
            )?,
            actions_per_user_per_day: at.value(
                "actions_per_user_per_day",
                &raw.actions_per_user_per_day,
                units::parse_count,
            )?,
            read_write_ratio: at.value(
                "read_write_ratio",
                &raw.read_write_ratio,
                units::parse_ratio,
            )?,
            write_size_bytes: at.value("write_size", &raw.write_size, units::parse_size)?,
            read_size_bytes: at.value("read_size", &raw.read_size, units::parse_size)?,
            retention_days: at.value("retention", &raw.retention, units::parse_duration_days)?,
            replication: at.value("replication", &raw.replication, units::parse_factor)?,
            peak_factor: at.value("peak_factor", &raw.peak_factor, units::parse_factor)?,
            cache_hot_fraction: at.value(
                "cache_hot_fraction",
                &raw.cache_hot_fraction,
                units::parse_fraction,
            )?,
            server_qps: at.value("server_qps", &raw.server_qps, units::parse_count)?,
            assumptions: raw.assumptions(),
            name: raw.name,
        })
    }
    // ANCHOR_END: parse_scenario
}

// ANCHOR: locator
/// Puts a file and a line on a [`UnitError`].
struct Locator<'a> {
    file: &'a Path,
    text: &'a str,
}

impl Locator<'_> {
    /// Parses one field's text, or says where and what went wrong.
    fn value<T>(
        &self,
        field: &'static str,
        value: &Spanned<Text>,
        parse: fn(&str) -> Result<T, UnitError>,
    ) -> Result<T, Error> {
        parse(&value.get_ref().0).map_err(|source| Error::Value {
            file: self.file.to_path_buf(),
            line: line_of(self.text, value.span().start),
            field,
            source,
        })
    }
}
// ANCHOR_END: locator

impl RawScenario {
    fn assumptions(&self) -> Vec<Assumption> {
        [
            ("daily_active_users", &self.daily_active_users),
            ("actions_per_user_per_day", &self.actions_per_user_per_day),
            ("read_write_ratio", &self.read_write_ratio),
            ("write_size", &self.write_size),
            ("read_size", &self.read_size),
            ("retention", &self.retention),
            ("replication", &self.replication),
            ("peak_factor", &self.peak_factor),
            ("cache_hot_fraction", &self.cache_hot_fraction),
            ("server_qps", &self.server_qps),
        ]
        .into_iter()
        .map(|(field, value)| Assumption {
            field,
            text: value.get_ref().0.clone(),
        })
        .collect()
    }
}

// ANCHOR: locate
/// The 1-based line that byte `offset` of `text` is on.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Turns the TOML parser's error into one that names the file, the line and, when it can, the
/// field: from the message (serde says "unknown field `x`" and "missing field `x`"), or else from
/// the key written on the line the error points at.
fn structure_error(file: &Path, text: &str, error: &toml::de::Error) -> Error {
    let start = error.span().map(|span| span.start);
    let message = error.message().trim().replace('\n', " ");
    let field = field_in_message(&message).or_else(|| start.and_then(|s| key_on_line(text, s)));
    Error::Structure {
        file: PathBuf::from(file),
        line: start.map_or(1, |s| line_of(text, s)),
        field,
        message,
    }
}
// ANCHOR_END: locate

fn field_in_message(message: &str) -> Option<String> {
    let (_, rest) = message.split_once("field `")?;
    let (name, _) = rest.split_once('`')?;
    Some(name.to_string())
}

fn key_on_line(text: &str, offset: usize) -> Option<String> {
    let end = offset.min(text.len());
    let start = text.as_bytes()[..end]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = text.get(start..)?.lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    bare.then(|| key.to_string())
}
