//! Invariants that hold for any input: timings, percentiles, URL parsing.

use std::time::Duration;

use ch04_networking::{Phase, Summary, Target, Timings};
use proptest::prelude::*;

fn micros() -> impl Strategy<Value = Duration> {
    (0u64..10_000_000).prop_map(Duration::from_micros)
}

fn timings() -> impl Strategy<Value = Timings> {
    (
        proptest::option::of(micros()),
        proptest::option::of(micros()),
        proptest::option::of(micros()),
        micros(),
        micros(),
    )
        .prop_map(|(dns, connect, tls, first_byte, transfer)| {
            let mut t = Timings {
                dns,
                connect,
                tls,
                first_byte,
                transfer,
                total: Duration::ZERO,
            };
            t.total = t.sum_of_phases();
            t
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn curl_style_figures_are_cumulative_and_end_at_the_total(t in timings()) {
        let curl = t.curl_style();
        for pair in curl.windows(2) {
            prop_assert!(pair[0].1 <= pair[1].1, "{curl:?}");
        }
        prop_assert_eq!(curl[4].1, t.total);
        // time_appconnect - time_connect is the TLS phase, as curl's docs compute it.
        prop_assert_eq!(curl[2].1 - curl[1].1, t.tls.unwrap_or_default());
        let missing = Phase::ALL.iter().filter(|&&p| t.get(p).is_none()).count();
        prop_assert!(missing <= 3);
    }

    #[test]
    fn summary_percentiles_are_samples_in_order(samples in proptest::collection::vec(micros(), 1..200)) {
        let s = Summary::of(&samples).unwrap();
        prop_assert!(samples.contains(&s.median) && samples.contains(&s.p99));
        let min = *samples.iter().min().unwrap();
        let max = *samples.iter().max().unwrap();
        prop_assert!(min <= s.median && s.median <= s.p99 && s.p99 <= max);
        prop_assert!(min <= s.mean && s.mean <= max);
        prop_assert_eq!(s.count, samples.len());
    }

    #[test]
    fn parsing_any_string_never_panics(text in ".{0,60}") {
        let _ = Target::parse(&text);
    }

    #[test]
    fn parsed_urls_round_trip(host in "[a-z]{1,12}(\\.[a-z]{2,5})?", port in 1u16.., tls in any::<bool>(), path in "(/[a-z0-9]{0,8}){0,3}") {
        let scheme = if tls { "https" } else { "http" };
        let target = Target::parse(&format!("{scheme}://{host}:{port}{path}")).unwrap();
        prop_assert_eq!(target.tls, tls);
        prop_assert_eq!(&target.host, &host);
        prop_assert_eq!(target.port, port);
        let expected_path = if path.is_empty() { "/".to_string() } else { path.clone() };
        prop_assert_eq!(target.path, expected_path);
    }
}

#[test]
fn default_ports_follow_the_scheme() {
    assert_eq!(Target::parse("http://example.test/").unwrap().port, 80);
    assert_eq!(Target::parse("https://example.test").unwrap().port, 443);
    assert_eq!(
        Target::parse("http://[::1]:8080/x").unwrap().authority(),
        "[::1]:8080"
    );
}

#[test]
fn an_empty_sample_has_no_summary() {
    assert_eq!(Summary::of(&[]), None);
}
