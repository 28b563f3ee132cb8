//! Malformed scenarios: one test per kind of mistake, each asserting that the error names the
//! file, the line and the field; then property tests that no input at all makes parsing panic.

mod common;

use ch03_capacity_estimation::Error;
use ch03_capacity_estimation::units::UnitError;
use common::{VALID, line_of_field, parse, with};
use proptest::prelude::*;

/// Parses `text`, expects an error, and checks that its message says `test.toml:LINE` and names
/// `field`.
fn error_at(text: &str, line: usize, field: &str) -> Error {
    let error = match parse(text) {
        Ok(s) => panic!("accepted a malformed scenario: {s:?}"),
        Err(e) => e,
    };
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("test.toml:{line}: ")),
        "wrong file or line in: {message}"
    );
    assert!(
        message.contains(&format!("`{field}`")),
        "no field in: {message}"
    );
    assert_eq!(error.field(), Some(field), "{message}");
    error
}

#[test]
fn the_valid_scenario_is_valid() {
    assert!(parse(VALID).is_ok());
}

#[test]
fn unknown_field() {
    let text = VALID.replace("retention =", "retension =");
    let error = error_at(&text, line_of_field("retention"), "retension");
    assert!(error.to_string().contains("unknown field"), "{error}");
}

#[test]
fn missing_field() {
    // A missing field has no line of its own; the error points at the table that lacks it,
    // here the top of the file.
    let text: String = VALID
        .lines()
        .filter(|l| !l.starts_with("replication"))
        .map(|l| format!("{l}\n"))
        .collect();
    let error = error_at(&text, 1, "replication");
    assert!(error.to_string().contains("missing field"), "{error}");
}

#[test]
fn wrong_type() {
    let error = error_at(
        &with("peak_factor", "true"),
        line_of_field("peak_factor"),
        "peak_factor",
    );
    assert!(matches!(error, Error::Structure { .. }));
}

#[test]
fn toml_syntax_error_on_a_field_line() {
    let error = error_at(
        &with("server_qps", "\"1K"),
        line_of_field("server_qps"),
        "server_qps",
    );
    assert!(matches!(error, Error::Structure { .. }));
}

#[test]
fn zero_rate() {
    let field = "daily_active_users";
    let error = error_at(&with(field, "\"0\""), line_of_field(field), field);
    assert!(matches!(
        error,
        Error::Value {
            source: UnitError::NotPositive { .. },
            ..
        }
    ));
}

#[test]
fn negative_rate() {
    let field = "actions_per_user_per_day";
    let error = error_at(&with(field, "-3"), line_of_field(field), field);
    assert!(matches!(
        error,
        Error::Value {
            source: UnitError::NotPositive { .. },
            ..
        }
    ));
}

#[test]
fn overflow() {
    let field = "write_size";
    let error = error_at(&with(field, "\"20000 PiB\""), line_of_field(field), field);
    assert!(matches!(
        error,
        Error::Value {
            source: UnitError::Overflow { .. },
            ..
        }
    ));
}

#[test]
fn bad_unit() {
    let field = "read_size";
    let error = error_at(&with(field, "\"2 KiBs\""), line_of_field(field), field);
    assert!(matches!(
        error,
        Error::Value {
            source: UnitError::UnknownUnit { .. },
            ..
        }
    ));
}

#[test]
fn missing_unit() {
    let field = "retention";
    let error = error_at(&with(field, "5"), line_of_field(field), field);
    assert!(matches!(
        error,
        Error::Value {
            source: UnitError::MissingUnit { .. },
            ..
        }
    ));
}

#[test]
fn not_a_number() {
    let field = "server_qps";
    let error = error_at(&with(field, "\"lots\""), line_of_field(field), field);
    assert!(matches!(
        error,
        Error::Value {
            source: UnitError::NotANumber { .. },
            ..
        }
    ));
}

#[test]
fn out_of_range() {
    let field = "cache_hot_fraction";
    let error = error_at(&with(field, "\"150%\""), line_of_field(field), field);
    assert!(matches!(
        error,
        Error::Value {
            source: UnitError::OutOfRange { .. },
            ..
        }
    ));
    let field = "replication";
    error_at(&with(field, "\"0.5x\""), line_of_field(field), field);
}

#[test]
fn a_file_that_cannot_be_read_is_named() {
    let path = std::path::Path::new("/nonexistent/ch03/none.toml");
    let error = ch03_capacity_estimation::Scenario::load(path).expect_err("no such file");
    assert!(
        error
            .to_string()
            .starts_with("/nonexistent/ch03/none.toml: "),
        "{error}"
    );
}

/// The fields of [`VALID`], in order.
const FIELDS: [&str; 11] = [
    "name",
    "daily_active_users",
    "actions_per_user_per_day",
    "read_write_ratio",
    "write_size",
    "read_size",
    "retention",
    "replication",
    "peak_factor",
    "cache_hot_fraction",
    "server_qps",
];

/// Every error from parsing `text` must be located: the file, and a line inside the text.
fn assert_located(text: &str) -> Result<(), TestCaseError> {
    if let Err(error) = parse(text) {
        let (file, line) = error
            .location()
            .ok_or_else(|| TestCaseError::fail(format!("unlocated: {error}")))?;
        prop_assert_eq!(file, std::path::Path::new("test.toml"));
        prop_assert!(
            line >= 1 && line <= text.lines().count().max(1) + 1,
            "line {} in {:?}: {}",
            line,
            text,
            error
        );
        let prefix = format!("test.toml:{line}: ");
        prop_assert!(error.to_string().starts_with(&prefix), "{}", error);
    }
    Ok(())
}

/// Text a value could plausibly be replaced with: numbers, units, signs, junk.
fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?[0-9]{0,25}(\\.[0-9]{0,4})? ?(K|M|B|T|x|%|KiB|PiB|GB|y|d|h|:|Q|)(:-?[0-9]{1,3})?"
            .prop_map(|v| format!("\"{v}\"")),
        "-?[0-9]{1,20}(\\.[0-9]{1,3})?(e[0-9]{1,3})?",
        "true|false|\\[\\]|\\{\\}|\"\"|nan|inf|-inf",
        ".{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary text: always Ok or a located error, never a panic.
    #[test]
    fn arbitrary_text_never_panics(text in "(?s).{0,200}") {
        assert_located(&text)?;
    }

    /// Arbitrary TOML-ish lines: closer to a scenario, so they get further into the parser.
    #[test]
    fn arbitrary_key_values_never_panic(lines in prop::collection::vec(("[a-z_]{1,26}", value_text()), 0..14)) {
        let text: String = lines.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
        assert_located(&text)?;
    }

    /// A valid scenario with one field's value replaced: Ok, or an error at that field's line
    /// naming that field.
    #[test]
    fn a_mutated_value_is_reported_at_its_line(index in 0usize..FIELDS.len(), value in value_text()) {
        let field = FIELDS[index];
        let text = with(field, &value);
        assert_located(&text)?;
        if let Err(Error::Value { line, field: reported, .. }) = parse(&text) {
            prop_assert_eq!(reported, field);
            prop_assert_eq!(line, line_of_field(field));
        }
    }

    /// A valid scenario with lines deleted, duplicated or swapped: Ok or located, never a panic.
    #[test]
    fn a_mutated_structure_never_panics(
        delete in prop::option::of(0usize..FIELDS.len()),
        duplicate in prop::option::of(0usize..FIELDS.len()),
        insert in prop::option::of(("[a-z_\\[\\]]{1,12}", value_text())),
    ) {
        let mut lines: Vec<String> = VALID.lines().map(str::to_string).collect();
        if let Some(i) = duplicate {
            let copy = lines[i].clone();
            lines.push(copy);
        }
        if let Some(i) = delete {
            lines.remove(i);
        }
        if let Some((key, value)) = insert {
            lines.insert(lines.len() / 2, format!("{key} = {value}"));
        }
        assert_located(&lines.join("\n"))?;
    }
}
