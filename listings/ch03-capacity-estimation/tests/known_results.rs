//! The arithmetic, checked against results worked out by hand.

mod common;

use ch03_capacity_estimation::{Estimate, format};
use common::{VALID, scenario, with};

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() <= expected.abs() * 1e-9
}

#[test]
fn one_million_requests_a_day_is_11_6_per_second() {
    // 1,000,000 users x 1 request, all of them counted: 1,000,000 / 86,400 = 11.574...
    let e = Estimate::new(&scenario(VALID));
    assert!(close(e.requests_per_day, 1_000_000.0));
    assert!(close(e.total_qps.average, 1_000_000.0 / 86_400.0));
    assert_eq!(format::number(e.total_qps.average), "11.6");
}

#[test]
fn one_kib_a_million_times_a_day_is_348_gib_a_year() {
    // All writes: 1,000,000 writes/day x 1 KiB x 365 d = 365,000,000 KiB.
    let e = Estimate::new(&scenario(&with("read_write_ratio", "\"0:1\"")));
    assert!(close(e.storage_per_year, 365_000_000.0 * 1024.0));
    assert_eq!(format::bytes(e.storage_per_year), "348 GiB");
}

#[test]
fn the_read_write_ratio_splits_requests() {
    // 10:1 splits 1,100 requests into 1,000 reads and 100 writes.
    let text = with("read_write_ratio", "\"10:1\"").replace("\"1M\"", "\"1.1K\"");
    let e = Estimate::new(&scenario(&text));
    assert!(close(e.reads_per_day, 1_000.0));
    assert!(close(e.writes_per_day, 100.0));
}

#[test]
fn the_url_shortener_matches_the_textbook() {
    // Xu: 100M writes/day -> about 1,160 writes/s, and 11,600 reads/s at 10:1.
    let text = with("daily_active_users", "\"100M\"")
        .replace(
            "actions_per_user_per_day = \"1\"",
            "actions_per_user_per_day = \"11\"",
        )
        .replace("read_write_ratio = \"1:1\"", "read_write_ratio = \"10:1\"");
    let e = Estimate::new(&scenario(&text));
    assert_eq!(format::number(e.write_qps.average), "1,157");
    assert_eq!(format::number(e.read_qps.average), "11,574");
}

#[test]
fn the_peak_factor_multiplies_every_rate() {
    let e = Estimate::new(&scenario(&with("peak_factor", "\"3x\"")));
    assert!(close(e.total_qps.peak, 3.0 * e.total_qps.average));
    assert!(close(e.read_qps.peak, 3.0 * e.read_qps.average));
    assert!(close(e.write_qps.peak, 3.0 * e.write_qps.average));
    assert!(close(e.bandwidth_in.peak, 3.0 * e.bandwidth_in.average));
    assert!(close(e.bandwidth_out.peak, 3.0 * e.bandwidth_out.average));
    // The peak drives the server count; the average does not.
    let flat = Estimate::new(&scenario(VALID));
    assert!(e.servers >= flat.servers);
}

#[test]
fn replication_and_retention_multiply_storage() {
    let text = with("replication", "\"3x\"").replace("\"1y\"", "\"5y\"");
    let e = Estimate::new(&scenario(&text));
    assert!(close(
        e.storage_per_year_replicated,
        3.0 * e.storage_per_year
    ));
    // Held = a year's writes x 5 years x 3 copies.
    assert!(close(e.storage_held, 15.0 * e.storage_per_year));
}

#[test]
fn bandwidth_is_qps_times_size_in_each_direction() {
    let text =
        with("write_size", "\"2 KB\"").replace("read_size = \"1 KiB\"", "read_size = \"10 KB\"");
    let e = Estimate::new(&scenario(&text));
    assert!(close(e.bandwidth_in.average, e.write_qps.average * 2_000.0));
    assert!(close(
        e.bandwidth_out.average,
        e.read_qps.average * 10_000.0
    ));
    assert_eq!(format::bits_per_second(125_000.0), "1.00 Mbit/s");
}

#[test]
fn the_cache_holds_the_hot_share_of_a_days_reads() {
    // 500,000 reads/day x 1 KiB x 20% = 100,000 KiB.
    let e = Estimate::new(&scenario(&with("cache_hot_fraction", "\"20%\"")));
    assert!(close(e.cache_bytes, 100_000.0 * 1024.0));
}

#[test]
fn servers_round_up_to_carry_the_peak() {
    // 11.57 req/s at 1,000 req/s per server: 1 server; at 5 req/s per server: ceil(2.31) = 3.
    assert_eq!(Estimate::new(&scenario(VALID)).servers, 1);
    assert_eq!(
        Estimate::new(&scenario(&with("server_qps", "\"5\""))).servers,
        3
    );
}

#[test]
fn every_row_shows_its_arithmetic() {
    let s = scenario(VALID);
    let rows = Estimate::new(&s).rows(&s);
    let qps = rows
        .iter()
        .find(|r| r.metric == "read QPS, average")
        .expect("a read QPS row");
    assert_eq!(qps.arithmetic, "500,000 reads/day / 86,400 s = 5.8 req/s");
    for row in &rows {
        assert!(row.arithmetic.contains('='), "{row:?}");
        assert!(
            row.arithmetic.ends_with(&row.value) || row.metric == "storage held",
            "{row:?}"
        );
    }
}

#[test]
fn numbers_are_formatted_for_people() {
    assert_eq!(format::number(1_234_567.8), "1,234,568");
    assert_eq!(format::number(11.574), "11.6");
    assert_eq!(format::number(3.0), "3");
    assert_eq!(format::number(0.1234), "0.123");
    assert_eq!(format::bytes(1024.0), "1.00 KiB");
    assert_eq!(format::bytes(1e9), "954 MiB");
    assert_eq!(format::days(1825.0), "5 y");
}
