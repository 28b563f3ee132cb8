//! The unit parsers: what they accept, what they refuse, and that they never panic.

use ch03_capacity_estimation::units::{
    UnitError, parse_count, parse_duration_days, parse_factor, parse_fraction, parse_ratio,
    parse_size,
};
use proptest::prelude::*;

#[test]
fn counts_take_decimal_suffixes() {
    assert_eq!(parse_count("500M"), Ok(500e6));
    assert_eq!(parse_count("1.5K"), Ok(1_500.0));
    assert_eq!(parse_count("2B"), Ok(2e9));
    assert_eq!(parse_count("1,000,000"), Ok(1e6));
    assert_eq!(parse_count("1_000"), Ok(1e3));
    assert_eq!(parse_count(" 0.1 "), Ok(0.1));
}

#[test]
fn sizes_distinguish_decimal_and_binary_units() {
    assert_eq!(parse_size("1 KB"), Ok(1_000.0));
    assert_eq!(parse_size("1 KiB"), Ok(1_024.0));
    assert_eq!(parse_size("2 KiB"), Ok(2_048.0));
    assert_eq!(parse_size("1 MB"), Ok(1e6));
    assert_eq!(parse_size("3 GiB"), Ok(3.0 * 1024.0 * 1024.0 * 1024.0));
    assert_eq!(parse_size("500B"), Ok(500.0));
}

#[test]
fn durations_are_days() {
    assert_eq!(parse_duration_days("5y"), Ok(1_825.0));
    assert_eq!(parse_duration_days("30d"), Ok(30.0));
    assert_eq!(parse_duration_days("2w"), Ok(14.0));
    assert_eq!(parse_duration_days("12h"), Ok(0.5));
}

#[test]
fn factors_fractions_and_ratios() {
    assert_eq!(parse_factor("3x"), Ok(3.0));
    assert_eq!(parse_factor("1.5"), Ok(1.5));
    assert_eq!(parse_fraction("20%"), Ok(0.2));
    assert_eq!(parse_fraction("0.2"), Ok(0.2));
    let ratio = parse_ratio("100:1").expect("valid");
    assert_eq!((ratio.reads, ratio.writes), (100.0, 1.0));
    assert_eq!(parse_ratio("100").map(|r| r.writes), Ok(1.0));
    assert_eq!(parse_ratio("0:1").map(|r| r.write_share()), Ok(1.0));
}

#[test]
fn each_kind_of_mistake_has_its_own_error() {
    assert!(matches!(
        parse_count("lots"),
        Err(UnitError::NotANumber { .. })
    ));
    assert!(matches!(
        parse_count("5Q"),
        Err(UnitError::UnknownUnit { .. })
    ));
    assert!(matches!(
        parse_size("512"),
        Err(UnitError::MissingUnit { .. })
    ));
    assert!(matches!(
        parse_size("2 KiBs"),
        Err(UnitError::UnknownUnit { .. })
    ));
    assert!(matches!(
        parse_duration_days("5"),
        Err(UnitError::MissingUnit { .. })
    ));
    assert!(matches!(
        parse_count("0"),
        Err(UnitError::NotPositive { .. })
    ));
    assert!(matches!(
        parse_count("-3K"),
        Err(UnitError::NotPositive { .. })
    ));
    assert!(matches!(
        parse_count("20000000000T"),
        Err(UnitError::Overflow { .. })
    ));
    assert!(matches!(
        parse_size("99999 EB"),
        Err(UnitError::UnknownUnit { .. })
    ));
    assert!(matches!(
        parse_size("20000 PiB"),
        Err(UnitError::Overflow { .. })
    ));
    assert!(matches!(
        parse_factor("0.5x"),
        Err(UnitError::OutOfRange { .. })
    ));
    assert!(matches!(
        parse_fraction("150%"),
        Err(UnitError::OutOfRange { .. })
    ));
    assert!(matches!(
        parse_ratio("0:0"),
        Err(UnitError::NotPositive { .. })
    ));
    assert!(matches!(
        parse_ratio("1:-1"),
        Err(UnitError::NotPositive { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever the text, every parser returns Ok or Err; none panics, and every Ok is finite.
    #[test]
    fn parsers_never_panic(text in ".{0,24}") {
        for value in [
            parse_count(&text),
            parse_size(&text),
            parse_duration_days(&text),
            parse_factor(&text),
            parse_fraction(&text),
        ]
        .into_iter()
        .flatten()
        {
            prop_assert!(value.is_finite() && value >= 0.0);
        }
        let _ = parse_ratio(&text);
    }

    /// A count written with a suffix reads back as the number times the suffix.
    #[test]
    fn counts_round_trip(n in 1u64..1_000_000, suffix in prop::sample::select(vec![("", 1.0), ("K", 1e3), ("M", 1e6), ("B", 1e9)])) {
        prop_assert_eq!(parse_count(&format!("{n}{}", suffix.0)), Ok(n as f64 * suffix.1));
    }

    /// Binary sizes are exact powers of 1,024.
    #[test]
    fn binary_sizes_round_trip(n in 1u64..100_000, power in 0usize..5) {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"];
        let expected = n as f64 * 1024f64.powi(power as i32);
        prop_assert_eq!(parse_size(&format!("{n} {}", units[power])), Ok(expected));
    }
}
