//! Human units: `500M` users, `2 KiB` objects, `3x` replication, `5y` retention.
//!
//! Estimates are written and reviewed by people, so a scenario file says `500M`, not
//! `500000000`: nobody miscounts zeros in `500M`. Each parser here takes the text of one value and
//! returns a plain `f64` in a base unit (a count, bytes, days, a factor or a fraction). It knows
//! nothing about files or lines; [`crate::scenario`] adds those when it reports an error.
//!
//! Two rules keep the arithmetic downstream honest. Every value must be **positive** where a zero
//! or a negative would be meaningless (a zero request rate divides nothing into nothing). And every
//! value, in its base unit, must stay **below 2^64**: nothing real is that large, and with every
//! input bounded, every product the estimate computes stays finite.

use thiserror::Error;

/// The largest value any input may have in its base unit: 2^64 (as `f64`).
pub const MAX_VALUE: f64 = 18_446_744_073_709_551_616.0;

/// Why the text of one value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UnitError {
    /// There is no number where one was expected.
    #[error("{text:?} is not a number; write digits, optionally with a unit, like {example:?}")]
    NotANumber {
        /// The text as written.
        text: String,
        /// What a correct value looks like.
        example: &'static str,
    },
    /// The number is followed by a unit this kind of value does not know.
    #[error("{text:?} has unit {unit:?}; expected one of {expected}")]
    UnknownUnit {
        /// The text as written.
        text: String,
        /// The unit found.
        unit: String,
        /// The units accepted.
        expected: &'static str,
    },
    /// The value needs a unit and has none.
    #[error("{text:?} has no unit; add one of {expected}")]
    MissingUnit {
        /// The text as written.
        text: String,
        /// The units accepted.
        expected: &'static str,
    },
    /// Zero or negative where only a positive value makes sense.
    #[error("{text:?} must be greater than zero")]
    NotPositive {
        /// The text as written.
        text: String,
    },
    /// Larger than 2^64 in its base unit.
    #[error("{text:?} overflows: it is more than 2^64 {base}")]
    Overflow {
        /// The text as written.
        text: String,
        /// The base unit the limit applies to.
        base: &'static str,
    },
    /// A well-formed value outside the range that makes sense for it.
    #[error("{text:?} is out of range: {why}")]
    OutOfRange {
        /// The text as written.
        text: String,
        /// What the range is.
        why: &'static str,
    },
}

/// Splits `"1.5 KiB"` into the number 1.5 and the unit `"KiB"`.
///
/// Digits may be grouped with `_` or `,` (`1,000,000`). A leading `-` is read, so that a negative
/// value is reported as "must be greater than zero" rather than as "not a number".
fn split_number<'a>(text: &'a str, example: &'static str) -> Result<(f64, &'a str), UnitError> {
    let trimmed = text.trim();
    let (negative, body) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let end = body
        .find(|c: char| !(c.is_ascii_digit() || c == '_' || c == ',' || c == '.'))
        .unwrap_or(body.len());
    let (number, unit) = body.split_at(end);
    let digits: String = number.chars().filter(|&c| c != '_' && c != ',').collect();
    let not_a_number = || UnitError::NotANumber {
        text: text.to_string(),
        example,
    };
    if !digits.chars().any(|c| c.is_ascii_digit()) {
        return Err(not_a_number());
    }
    let value: f64 = digits.parse().map_err(|_| not_a_number())?;
    Ok((if negative { -value } else { value }, unit.trim()))
}

/// Checks that `value` (already in its base unit) is positive and below 2^64.
fn positive_and_bounded(text: &str, value: f64, base: &'static str) -> Result<f64, UnitError> {
    if value <= 0.0 {
        return Err(UnitError::NotPositive {
            text: text.to_string(),
        });
    }
    if value >= MAX_VALUE {
        return Err(UnitError::Overflow {
            text: text.to_string(),
            base,
        });
    }
    Ok(value)
}

// ANCHOR: parse_count
/// A count: `500M`, `1.5K`, `2B`, `1,000,000`, `0.1`. Suffixes are decimal: K = 10^3,
/// M = 10^6, B = 10^9 (billion, not bytes: counts have no bytes), T = 10^12.
pub fn parse_count(text: &str) -> Result<f64, UnitError> {
    const EXPECTED: &str = "no suffix, K, M, B (billion) or T";
    let (number, unit) = split_number(text, "500M")?;
    let multiplier = match unit {
        "" => 1.0,
        "K" | "k" => 1e3,
        "M" => 1e6,
        "B" | "G" => 1e9,
        "T" => 1e12,
        _ => {
            return Err(UnitError::UnknownUnit {
                text: text.to_string(),
                unit: unit.to_string(),
                expected: EXPECTED,
            });
        }
    };
    positive_and_bounded(text, number * multiplier, "items")
}
// ANCHOR_END: parse_count

// ANCHOR: parse_size
/// A size in bytes: `500 B`, `2 KiB`, `1 MB`, `3 GiB`. KB, MB, GB, TB, PB are powers of 1,000
/// (disk and network vendors' units); KiB, MiB, GiB, TiB, PiB are powers of 1,024 (memory's).
/// A size needs a unit: a bare `2` could be bytes or kilobytes, and guessing is how estimates
/// come out 1,000 times wrong.
pub fn parse_size(text: &str) -> Result<f64, UnitError> {
    const EXPECTED: &str = "B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB or PiB";
    let (number, unit) = split_number(text, "2 KiB")?;
    let multiplier = match unit.to_ascii_lowercase().as_str() {
        "" => {
            return Err(UnitError::MissingUnit {
                text: text.to_string(),
                expected: EXPECTED,
            });
        }
        "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "pb" => 1e15,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        "pib" => 1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => {
            return Err(UnitError::UnknownUnit {
                text: text.to_string(),
                unit: unit.to_string(),
                expected: EXPECTED,
            });
        }
    };
    positive_and_bounded(text, number * multiplier, "bytes")
}
// ANCHOR_END: parse_size

/// A duration, returned in days: `12h`, `30d`, `2w`, `5y` (a year is 365 days).
pub fn parse_duration_days(text: &str) -> Result<f64, UnitError> {
    const EXPECTED: &str = "h, d, w or y";
    let (number, unit) = split_number(text, "5y")?;
    let days = match unit {
        "" => {
            return Err(UnitError::MissingUnit {
                text: text.to_string(),
                expected: EXPECTED,
            });
        }
        "h" => 1.0 / 24.0,
        "d" => 1.0,
        "w" => 7.0,
        "y" => 365.0,
        _ => {
            return Err(UnitError::UnknownUnit {
                text: text.to_string(),
                unit: unit.to_string(),
                expected: EXPECTED,
            });
        }
    };
    // Bound the duration in seconds, so that days times anything stays finite.
    positive_and_bounded(text, number * days * 86_400.0, "seconds").map(|s| s / 86_400.0)
}

/// A multiplier such as a replication or peak factor: `3x` or `3`. It must be at least 1: a
/// "peak" below the average, or fewer than one copy of the data, is a mistake, not a scenario.
pub fn parse_factor(text: &str) -> Result<f64, UnitError> {
    let (number, unit) = split_number(text, "3x")?;
    if !matches!(unit, "" | "x" | "X" | "×") {
        return Err(UnitError::UnknownUnit {
            text: text.to_string(),
            unit: unit.to_string(),
            expected: "x (as in 3x) or nothing",
        });
    }
    let factor = positive_and_bounded(text, number, "times")?;
    if factor < 1.0 {
        return Err(UnitError::OutOfRange {
            text: text.to_string(),
            why: "a factor must be at least 1x",
        });
    }
    Ok(factor)
}

/// A fraction between 0 and 1: `20%` or `0.2`. Zero is allowed (no cache at all).
pub fn parse_fraction(text: &str) -> Result<f64, UnitError> {
    let (number, unit) = split_number(text, "20%")?;
    let fraction = match unit {
        "%" => number / 100.0,
        "" => number,
        _ => {
            return Err(UnitError::UnknownUnit {
                text: text.to_string(),
                unit: unit.to_string(),
                expected: "% (as in 20%) or a plain fraction like 0.2",
            });
        }
    };
    if !(0.0..=1.0).contains(&fraction) {
        return Err(UnitError::OutOfRange {
            text: text.to_string(),
            why: "a fraction must be between 0% and 100%",
        });
    }
    Ok(fraction)
}

/// How requests split between reads and writes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadWriteRatio {
    /// The reads side of `reads:writes`.
    pub reads: f64,
    /// The writes side of `reads:writes`.
    pub writes: f64,
}

impl ReadWriteRatio {
    /// The share of all requests that are reads: reads / (reads + writes).
    pub fn read_share(&self) -> f64 {
        self.reads / (self.reads + self.writes)
    }

    /// The share of all requests that are writes: writes / (reads + writes).
    pub fn write_share(&self) -> f64 {
        self.writes / (self.reads + self.writes)
    }
}

/// A read:write ratio: `100:1`, `1:1`, `0:1` (write-only), or `100` (meaning 100:1).
pub fn parse_ratio(text: &str) -> Result<ReadWriteRatio, UnitError> {
    let (reads_text, writes_text) = text.split_once(':').unwrap_or((text, "1"));
    let part = |part: &str| -> Result<f64, UnitError> {
        let (number, unit) = split_number(part, "100:1")?;
        if !unit.is_empty() {
            return Err(UnitError::UnknownUnit {
                text: text.to_string(),
                unit: unit.to_string(),
                expected: "reads:writes, as in 100:1",
            });
        }
        if number < 0.0 {
            return Err(UnitError::NotPositive {
                text: text.to_string(),
            });
        }
        if number >= MAX_VALUE {
            return Err(UnitError::Overflow {
                text: text.to_string(),
                base: "requests",
            });
        }
        Ok(number)
    };
    let ratio = ReadWriteRatio {
        reads: part(reads_text)?,
        writes: part(writes_text)?,
    };
    if ratio.reads + ratio.writes <= 0.0 {
        return Err(UnitError::NotPositive {
            text: text.to_string(),
        });
    }
    Ok(ratio)
}
