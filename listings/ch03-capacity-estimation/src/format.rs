//! Numbers for people: thousands separators, three significant digits, and the right unit.
//!
//! Storage and memory are shown in binary units (KiB = 1,024 B, GiB = 2^30 B), because that is
//! how operating systems and memory are sized; bandwidth in decimal bits per second (Mbit/s =
//! 10^6 bit/s), because that is how network links are sold. Mixing the two is a classic source of
//! a 7% (GB vs GiB) to 8x (bytes vs bits) error.

/// `1234567.8` → `"1,234,568"`; `11.574` → `"11.6"`; `0.1234` → `"0.123"`.
///
/// Whole numbers at and above 1,000, one decimal between 1 and 1,000 (dropped when it is `.0`),
/// three significant digits below 1.
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let magnitude = value.abs();
    let text = if magnitude >= 1_000.0 {
        format!("{value:.0}")
    } else if magnitude >= 1.0 {
        let one_decimal = format!("{value:.1}");
        one_decimal
            .strip_suffix(".0")
            .map_or(one_decimal.clone(), str::to_string)
    } else if magnitude == 0.0 {
        "0".to_string()
    } else {
        format!("{:.*}", significant_decimals(magnitude), value)
    };
    group_thousands(&text)
}

/// Decimals needed to show three significant digits of a value below 1.
fn significant_decimals(magnitude: f64) -> usize {
    let mut decimals = 3;
    let mut scaled = magnitude;
    while scaled < 0.1 && decimals < 12 {
        scaled *= 10.0;
        decimals += 1;
    }
    decimals
}

/// Inserts `,` every three digits into the integer part of a plain decimal number.
fn group_thousands(text: &str) -> String {
    let (sign, unsigned) = text
        .strip_prefix('-')
        .map_or(("", text), |rest| ("-", rest));
    let (integer, fraction) = unsigned
        .split_once('.')
        .map_or((unsigned, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, digit) in integer.chars().enumerate() {
        if i > 0 && (integer.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Three significant digits: `348.09` → `"348"`, `16.599` → `"16.6"`, `1.5` → `"1.50"`.
fn three_significant(value: f64) -> String {
    if value >= 100.0 {
        group_thousands(&format!("{value:.0}"))
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// Scales `value` by `step` until it is below `step`, and names the unit it landed on.
fn scaled(value: f64, step: f64, units: &[&str]) -> String {
    let mut value = value;
    let mut unit = 0;
    while value >= step && unit + 1 < units.len() {
        value /= step;
        unit += 1;
    }
    format!("{} {}", three_significant(value), units[unit])
}

/// Bytes in binary units: `373_760_000_000.0` → `"348 GiB"`.
pub fn bytes(value: f64) -> String {
    scaled(
        value,
        1024.0,
        &["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"],
    )
}

/// Bytes per second as decimal bits per second: `125_000.0` → `"1.00 Mbit/s"`.
pub fn bits_per_second(bytes_per_second: f64) -> String {
    scaled(
        bytes_per_second * 8.0,
        1000.0,
        &[
            "bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s", "Pbit/s", "Ebit/s",
        ],
    )
}

/// Days as the largest whole-ish unit: `1825.0` → `"5 y"`, `30.0` → `"30 d"`, `0.5` → `"12 h"`.
pub fn days(value: f64) -> String {
    if value >= 365.0 {
        format!("{} y", number(value / 365.0))
    } else if value >= 1.0 {
        format!("{} d", number(value))
    } else {
        format!("{} h", number(value * 24.0))
    }
}
