//! Event-driven invalidation between two app instances: once B has received and applied A's
//! invalidation, B's next read is fresh. In process by default; over Redis pub/sub when
//! `REDIS_URL` is set (required under `CI=true`), on a channel no other test uses.

use std::sync::Arc;
use std::time::Duration;

use ch10_cache_invalidation::{
    AppInstance, Backend, Error, InstanceConfig, Invalidation, InvalidationBus, ManualClock,
};

const KEY: &str = "price:7";

struct Pair {
    clock: Arc<ManualClock>,
    a: AppInstance,
    b: AppInstance,
}

fn pair(bus: &InvalidationBus) -> Pair {
    let clock = Arc::new(ManualClock::new());
    let backend = Arc::new(Backend::new());
    backend.write(KEY, "price=10");
    let config = InstanceConfig::default();
    let make = |name| {
        AppInstance::new(
            name,
            Arc::clone(&backend),
            bus.clone(),
            clock.clone(),
            config,
        )
        .unwrap()
    };
    let (a, b) = (make("A"), make("B"));
    Pair { clock, a, b }
}

// ANCHOR: no_stale_read
/// A writes, publishes; B receives the event, applies it, and reads: fresh, every time.
async fn no_stale_read_after_the_event_is_delivered(bus: InvalidationBus) {
    let Pair { clock, a, b } = pair(&bus);
    let mut b_events = bus.subscribe().await.unwrap();
    for round in 2..=20 {
        b.read(KEY).await.unwrap(); // B holds the current version
        clock.advance(Duration::from_secs(1));
        let version = a.write(KEY, &format!("price={round}")).await.unwrap();
        let event = tokio::time::timeout(Duration::from_secs(5), b_events.recv())
            .await
            .expect("the event is delivered")
            .unwrap();
        assert_eq!(
            event,
            Invalidation {
                key: KEY.into(),
                version
            }
        );
        b.apply(&event);
        assert_eq!(
            b.read(KEY).await.unwrap().version,
            version,
            "stale read in round {round}"
        );
    }
}
// ANCHOR_END: no_stale_read

#[tokio::test]
async fn in_process_no_stale_read_after_invalidation() {
    no_stale_read_after_the_event_is_delivered(InvalidationBus::in_process(16)).await;
}

#[tokio::test]
async fn redis_no_stale_read_after_invalidation() {
    let Some(url) = testkit::service_url("REDIS_URL") else {
        return;
    };
    let channel = testkit::unique_name("ch10_invalidation");
    let bus = InvalidationBus::redis(&url, &channel).await.unwrap();
    no_stale_read_after_the_event_is_delivered(bus).await;
    // Pub/sub channels hold no data: nothing to clean up once the subscriber is dropped.
}

#[tokio::test]
async fn without_the_event_b_serves_stale_data_until_the_ttl() {
    let bus = InvalidationBus::in_process(16);
    let Pair { clock, a, b } = pair(&bus);
    b.read(KEY).await.unwrap();
    let version = a.write(KEY, "price=12").await.unwrap();
    clock.advance(Duration::from_secs(29));
    assert!(
        b.read(KEY).await.unwrap().version < version,
        "stale before the TTL"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        b.read(KEY).await.unwrap().version,
        version,
        "the TTL is the backstop"
    );
}

// ANCHOR: raced_fill
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fill_that_raced_the_event_is_refused() {
    // B's load reads v1, then its answer is held up; meanwhile A writes v2 and B applies the
    // event. When B's slow load finally returns, its fill of v1 must be refused.
    let bus = InvalidationBus::in_process(16);
    let clock = Arc::new(ManualClock::new());
    let backend = Arc::new(Backend::gated());
    backend.write(KEY, "price=10");
    let config = InstanceConfig::default();
    let instance = |name| {
        AppInstance::new(
            name,
            Arc::clone(&backend),
            bus.clone(),
            clock.clone(),
            config,
        )
        .unwrap()
    };
    let (a, b) = (instance("A"), Arc::new(instance("B")));
    let mut b_events = bus.subscribe().await.unwrap();
    let slow_read = tokio::spawn({
        let b = Arc::clone(&b);
        async move { b.read(KEY).await }
    });
    while backend.loads() == 0 {
        tokio::task::yield_now().await; // until B's load has read v1
    }
    let version = a.write(KEY, "price=12").await.unwrap();
    b.apply(&b_events.recv().await.unwrap());
    backend.open_gate();
    assert_eq!(
        slow_read.await.unwrap().unwrap().version,
        1,
        "B's read began before the write"
    );
    assert!(!b.is_cached(KEY), "the stale fill was refused");
    assert_eq!(b.read(KEY).await.unwrap().version, version);
}
// ANCHOR_END: raced_fill

#[tokio::test]
async fn a_lagging_listener_flushes_its_whole_cache() {
    // Capacity 1: two events overflow B's receiver, so B knows it missed one.
    let bus = InvalidationBus::in_process(1);
    let Pair { a, b, .. } = pair(&bus);
    let b_events = bus.subscribe().await.unwrap();
    b.read(KEY).await.unwrap();
    a.write("other:1", "x").await.unwrap();
    a.write("other:2", "y").await.unwrap();
    assert!(b.is_cached(KEY));
    let b = Arc::new(b);
    let listener = tokio::spawn({
        let b = Arc::clone(&b);
        async move { b.listen(b_events).await }
    });
    tokio::time::timeout(Duration::from_secs(5), async {
        while b.is_cached(KEY) {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("after a lag, the listener flushes everything local");
    listener.abort();
}

#[test]
fn malformed_messages_are_errors_not_panics() {
    for bad in ["", "7", "x price:7", "7 ", "-1 k"] {
        assert!(
            matches!(Invalidation::decode(bad), Err(Error::BadMessage(_))),
            "{bad:?}"
        );
    }
    let event = Invalidation {
        key: "a key with spaces".into(),
        version: 9,
    };
    assert_eq!(Invalidation::decode(&event.encode()).unwrap(), event);
}
