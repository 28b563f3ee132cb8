//! What every listing's tests share when they talk to a real service.
//!
//! A listing runs on an embedded default (in-process, bundled SQLite) and against the real
//! PostgreSQL, Redis, RabbitMQ or NATS when the matching URL variable is set. Tests ask this crate
//! for the URL:
//!
//! - set: the test runs against the service;
//! - unset on a reader's machine: the test says loudly that it skipped, and passes;
//! - unset under `CI=true`: the test fails, because a CI run that silently skipped the real service
//!   would report a green build for code it never exercised.
//!
//! The services outlive a test run and are shared by every test, so each test names what it creates
//! with [`unique_name`] and removes it when done.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The service URL in `var` (for example `"REDIS_URL"`), or `None` when the test should skip.
///
/// # Panics
///
/// Under `CI=true` when `var` is unset or empty: a missing service is a failure in CI, never a skip.
pub fn service_url(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if running_in_ci() => {
            panic!("{var} is not set, but CI=true: CI must run this test against the real service")
        }
        _ => {
            eprintln!(
                "SKIPPED: {var} is not set, so this test did not run against the real service"
            );
            None
        }
    }
}

/// Whether we run under CI (`CI=true`, as GitHub Actions and `.ci/run` set it).
pub fn running_in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// A name no other test run will use: `prefix`, this process's id, the time, and a counter.
///
/// Use it for Redis key prefixes, PostgreSQL schemas, queue and stream names. It contains only
/// ASCII lowercase letters, digits and `_`, so it is valid in all of those.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let clean: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{clean}_{}_{millis}_{n}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_differ_and_are_identifier_safe() {
        let a = unique_name("ch20 Rate-limit");
        let b = unique_name("ch20 Rate-limit");
        assert_ne!(a, b);
        assert!(a.starts_with("ch20_rate_limit_"));
        assert!(
            a.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        );
    }
}
