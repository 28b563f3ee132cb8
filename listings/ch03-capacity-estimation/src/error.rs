//! The crate's [`Error`]: every failure names the file, and every failure inside a file names the
//! line and the field, so that "fix your scenario" is one jump in an editor.

use std::path::PathBuf;

use thiserror::Error;

use crate::units::UnitError;

/// Why a scenario could not be loaded.
#[derive(Debug, Error)]
pub enum Error {
    /// The file could not be read at all.
    #[error("{file}: cannot read the scenario: {source}")]
    Read {
        /// The file.
        file: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not a valid scenario: TOML syntax, an unknown or missing field, a wrong type.
    #[error("{file}:{line}: {}{message}", field_prefix(field.as_deref()))]
    Structure {
        /// The file.
        file: PathBuf,
        /// The 1-based line the problem is on (for a missing field: the line of its table).
        line: usize,
        /// The field involved, when one is.
        field: Option<String>,
        /// What the TOML parser said, in one line.
        message: String,
    },
    /// A field is present and well typed, but its value is not a valid quantity.
    #[error("{file}:{line}: field `{field}`: {source}")]
    Value {
        /// The file.
        file: PathBuf,
        /// The 1-based line of the value.
        line: usize,
        /// The field.
        field: &'static str,
        /// What is wrong with the value.
        source: UnitError,
    },
}

impl Error {
    /// The file and line the error points at, or `None` if the file could not be read.
    pub fn location(&self) -> Option<(&std::path::Path, usize)> {
        match self {
            Error::Read { .. } => None,
            Error::Structure { file, line, .. } | Error::Value { file, line, .. } => {
                Some((file, *line))
            }
        }
    }

    /// The field the error is about, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Read { .. } => None,
            Error::Structure { field, .. } => field.as_deref(),
            Error::Value { field, .. } => Some(field),
        }
    }
}

fn field_prefix(field: Option<&str>) -> String {
    field.map_or_else(String::new, |f| format!("field `{f}`: "))
}
