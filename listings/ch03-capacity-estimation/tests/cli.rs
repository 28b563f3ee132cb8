//! The `capacity` binary end to end: tables on success, a located error and exit code 1 on a
//! malformed file, a usage error on bad arguments; never a panic.

use std::process::Command;

use ch03_capacity_estimation::catalog;

fn capacity(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_capacity"))
        .args(args)
        .output()
        .expect("the capacity binary runs")
}

#[test]
fn prints_the_table_with_its_arithmetic() {
    let file = catalog::scenarios_dir().join("url-shortener.toml");
    let out = capacity(&[file.to_str().expect("utf-8 path")]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("100,000,000 writes/day / 86,400 s = 1,157 req/s"),
        "{stdout}"
    );
    assert!(stdout.contains("Conclusion:"), "{stdout}");
}

#[test]
fn a_malformed_file_exits_1_naming_file_line_and_field() {
    let dir = std::env::temp_dir().join(format!("ch03-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("broken.toml");
    let good =
        std::fs::read_to_string(catalog::scenarios_dir().join("chat.toml")).expect("chat.toml");
    let broken = good.replace("peak_factor = \"3x\"", "peak_factor = \"three\"");
    let line = broken
        .lines()
        .position(|l| l.starts_with("peak_factor"))
        .expect("peak_factor")
        + 1;
    std::fs::write(&file, broken).expect("write");
    let out = capacity(&[file.to_str().expect("utf-8 path")]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("broken.toml:{line}: field `peak_factor`")),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_arguments_are_a_usage_error() {
    let out = capacity(&[]);
    assert_eq!(out.status.code(), Some(2));
    let out = capacity(&["--no-such-flag", "x.toml"]);
    assert_eq!(out.status.code(), Some(2));
}
