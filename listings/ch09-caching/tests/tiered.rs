//! The multi-level cache and its write patterns, on the in-process L2.

use ch09_caching::{CacheAside, Database, InProcessTier, Pattern, Tier, TieredCache, WritePolicy};

fn server(l2: &InProcessTier, db: &Database, policy: WritePolicy) -> TieredCache {
    TieredCache::new(2, Box::new(l2.clone()), db.clone(), policy).unwrap()
}

#[test]
fn read_through_fills_l1_then_l2_serves_the_other_server() {
    let (l2, db) = (InProcessTier::default(), Database::seeded(10));
    let mut a = server(&l2, &db, WritePolicy::WriteThrough);
    let mut b = server(&l2, &db, WritePolicy::WriteThrough);
    assert_eq!(a.read(1).unwrap().served_by, Tier::Database);
    assert_eq!(a.read(1).unwrap().served_by, Tier::L1);
    let from_b = b.read(1).unwrap(); // L1 miss on B, L2 hit, promoted into B's L1
    assert_eq!(
        (from_b.served_by, from_b.value.as_deref()),
        (Tier::L2, Some("v0"))
    );
    assert_eq!(b.read(1).unwrap().served_by, Tier::L1);
    assert_eq!(db.reads(), 1, "one database read for four lookups");
}

#[test]
fn write_through_reaches_the_database_at_once() {
    let (l2, db) = (InProcessTier::default(), Database::seeded(10));
    let mut a = server(&l2, &db, WritePolicy::WriteThrough);
    a.write(3, "new").unwrap();
    assert_eq!(db.peek(3).as_deref(), Some("new"));
    assert_eq!(
        a.read(3).unwrap(),
        ch09_caching::Lookup {
            value: Some("new".into()),
            served_by: Tier::L1
        }
    );
    assert_eq!(db.writes(), 1);
}

// ANCHOR: write_back_crash
/// Fault injection: write-back acknowledges writes it has only in memory. A crash before the
/// flush loses them; the database still has the old values.
#[test]
fn write_back_loses_unflushed_writes_on_crash() {
    let (l2, db) = (InProcessTier::default(), Database::seeded(10));
    let mut a = server(&l2, &db, WritePolicy::WriteBack);
    a.write(1, "one").unwrap();
    a.write(2, "two").unwrap();
    assert_eq!(
        a.read(1).unwrap().value.as_deref(),
        Some("one"),
        "the writer sees its write"
    );
    assert_eq!(db.writes(), 0, "nothing reached the database yet");

    let lost = a.crash(); // the process dies before its flush interval
    assert_eq!(lost, 2);
    assert_eq!(db.peek(1).as_deref(), Some("v0"), "acknowledged write lost");
    assert_eq!(db.peek(2).as_deref(), Some("v0"), "acknowledged write lost");

    // A restarted server reads the old values: the writes are gone for good.
    let mut restarted = server(&l2, &db, WritePolicy::WriteBack);
    assert_eq!(restarted.read(1).unwrap().value.as_deref(), Some("v0"));
}

// ANCHOR_END: write_back_crash

#[test]
fn write_back_flushes_coalesced_writes_and_on_eviction() {
    let (l2, db) = (InProcessTier::default(), Database::seeded(10));
    let mut a = server(&l2, &db, WritePolicy::WriteBack); // L1 holds 2 entries
    for i in 0..5 {
        a.write(1, &format!("x{i}")).unwrap();
    }
    assert_eq!(a.flush().unwrap(), 1);
    assert_eq!(db.writes(), 1, "five writes to one key coalesce into one");
    assert_eq!(db.peek(1).as_deref(), Some("x4"));

    a.write(2, "dirty").unwrap();
    a.read(3).unwrap(); // L1 now holds 2 and 3 (1 was evicted clean)
    a.read(4).unwrap(); // evicts 2, which is dirty: written back on eviction
    assert_eq!(db.peek(2).as_deref(), Some("dirty"));
    assert_eq!(a.crash(), 0);
}

#[test]
fn write_around_invalidates_so_the_next_read_goes_to_the_database() {
    let (l2, db) = (InProcessTier::default(), Database::seeded(10));
    let mut a = server(&l2, &db, WritePolicy::WriteAround);
    a.read(5).unwrap();
    a.write(5, "fresh").unwrap();
    let after = a.read(5).unwrap();
    assert_eq!(
        (after.served_by, after.value.as_deref()),
        (Tier::Database, Some("fresh"))
    );
    assert_eq!(db.reads(), 2);
}

// ANCHOR: stale_l1
/// The consistency risk of any L1: a write on server A cannot reach server B's L1, so B keeps
/// serving the old value until its entry is evicted or expires.
#[test]
fn another_servers_l1_serves_stale_data_after_a_write() {
    let (l2, db) = (InProcessTier::default(), Database::seeded(10));
    let mut a = CacheAside::new(2, Box::new(l2.clone()), db.clone()).unwrap();
    let mut b = CacheAside::new(2, Box::new(l2.clone()), db.clone()).unwrap();
    b.read(7).unwrap(); // B caches v0
    a.write(7, "new").unwrap(); // A updates the database and deletes L2 and its own L1
    assert_eq!(a.read(7).unwrap().value.as_deref(), Some("new"));
    let stale = b.read(7).unwrap();
    assert_eq!(
        (stale.served_by, stale.value.as_deref()),
        (Tier::L1, Some("v0"))
    );
}
// ANCHOR_END: stale_l1
