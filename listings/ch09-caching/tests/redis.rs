//! The L2 on a real Redis (`REDIS_URL`). Skipped, loudly, when the variable is unset on a
//! developer machine; a failure under `CI=true`. Every key lives under a unique prefix that
//! the test deletes.

use ch09_caching::{Database, Pattern, RedisTier, SharedTier, Tier, TieredCache, WritePolicy};

#[test]
fn two_servers_share_one_redis_l2() {
    let Some(url) = testkit::service_url("REDIS_URL") else {
        return;
    };
    let prefix = testkit::unique_name("ch09");
    let db = Database::seeded(10);
    let tier = |p: &str| Box::new(RedisTier::connect(&url, p).unwrap());
    let mut a = TieredCache::new(4, tier(&prefix), db.clone(), WritePolicy::WriteThrough).unwrap();
    let mut b = TieredCache::new(4, tier(&prefix), db.clone(), WritePolicy::WriteThrough).unwrap();

    assert_eq!(a.read(1).unwrap().served_by, Tier::Database);
    assert_eq!(
        b.read(1).unwrap().served_by,
        Tier::L2,
        "B finds A's load in Redis"
    );
    a.write(2, "through").unwrap();
    assert_eq!(b.read(2).unwrap().value.as_deref(), Some("through"));
    assert_eq!(db.reads(), 1);

    let mut raw = RedisTier::connect(&url, &prefix).unwrap();
    assert_eq!(raw.get(2).unwrap().as_deref(), Some("through"));
    assert_eq!(
        raw.delete_all().unwrap(),
        2,
        "keys 1 and 2 were cached under our prefix"
    );
    assert_eq!(raw.get(1).unwrap(), None);
}

#[test]
fn a_bad_redis_url_is_an_error_not_a_panic() {
    assert!(RedisTier::connect("not a url", "ch09").is_err());
}
