//! The ten case-study scenarios: all present, all valid, every assumption commented, and the
//! outputs the case-study chapters include are up to date.

use ch03_capacity_estimation::{Estimate, catalog};

const CASE_STUDIES: [&str; 10] = [
    "chat",
    "distributed-cache",
    "e-commerce",
    "notification-system",
    "payment-system",
    "ride-sharing",
    "search-engine",
    "social-feed",
    "url-shortener",
    "video-streaming",
];

#[test]
fn every_case_study_has_a_valid_scenario() {
    let scenarios = catalog::load_all(&catalog::scenarios_dir()).unwrap_or_else(|e| panic!("{e}"));
    let stems: Vec<&str> = scenarios.iter().map(|(stem, _)| stem.as_str()).collect();
    assert_eq!(stems, CASE_STUDIES);
    for (stem, scenario) in &scenarios {
        let e = Estimate::new(scenario);
        assert!(
            e.total_qps.peak.is_finite() && e.total_qps.peak > 0.0,
            "{stem}"
        );
        assert!(e.servers >= 1, "{stem}");
    }
}

#[test]
fn every_assumption_says_where_it_comes_from() {
    for stem in CASE_STUDIES {
        let path = catalog::scenarios_dir().join(format!("{stem}.toml"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert!(
            text.starts_with('#'),
            "{stem}: start with a comment naming the sources"
        );
        let mut previous_is_comment = false;
        for (i, line) in text.lines().enumerate() {
            let is_value =
                line.contains(" = ") && !line.starts_with('#') && !line.starts_with("name");
            if is_value {
                assert!(
                    line.contains('#') || previous_is_comment,
                    "{stem}.toml:{}: say where this value comes from (or that it is an assumption)",
                    i + 1
                );
            }
            previous_is_comment = line.starts_with('#');
        }
        let lower = text.to_lowercase();
        assert!(
            lower.contains("assumption") || lower.contains("source"),
            "{stem}"
        );
    }
}

#[test]
fn the_outputs_are_up_to_date() {
    // If this fails, run: cargo run -p ch03-capacity-estimation -- --write-outputs
    for (stem, scenario) in
        catalog::load_all(&catalog::scenarios_dir()).unwrap_or_else(|e| panic!("{e}"))
    {
        let file = catalog::outputs_dir().join(format!("{stem}.txt"));
        let written = std::fs::read_to_string(&file).unwrap_or_default();
        assert_eq!(
            written,
            catalog::output_file_text(&stem, &scenario),
            "outputs/{stem}.txt is stale: run `cargo run -p ch03-capacity-estimation -- --write-outputs`"
        );
    }
}
