//! Stampede protection: 1,000 truly concurrent misses cause exactly one backend load, with our
//! single-flight and with moka; a failed load is shared by its waiters and not cached.
//!
//! The backend is *gated*: every load waits until the test opens the gate, and the test opens
//! it only once all 1,000 callers are attached to the flight. So the misses provably overlap,
//! on a multi-threaded runtime, without a single sleep.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ch10_cache_invalidation::{Backend, CacheAside, Coalescing, Error, MokaCacheAside};
use tokio::sync::Barrier;
use tokio::task::JoinHandle;

const CALLERS: usize = 1_000;
const KEY: &str = "product:7";

fn gated_backend() -> Arc<Backend> {
    let backend = Arc::new(Backend::gated());
    backend.write(KEY, "espresso machine");
    backend
}

/// Spawn `CALLERS` reads of `KEY`, released together by a barrier.
fn spawn_burst(cache: &Arc<CacheAside>) -> Vec<JoinHandle<Result<String, Error>>> {
    let barrier = Arc::new(Barrier::new(CALLERS));
    (0..CALLERS)
        .map(|_| {
            let (cache, barrier) = (Arc::clone(cache), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                cache.get(KEY).await.map(|v| v.value)
            })
        })
        .collect()
}

async fn wait_until(condition: impl Fn() -> bool) {
    while !condition() {
        tokio::task::yield_now().await;
    }
}

// ANCHOR: one_load
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_misses_cause_exactly_one_load() {
    let backend = gated_backend();
    let cache = Arc::new(CacheAside::new(Arc::clone(&backend), Coalescing::On));
    let tasks = spawn_burst(&cache);
    // All 1,000 are inside `get` and attached to one flight before the load may finish.
    wait_until(|| cache.waiters(KEY) == CALLERS).await;
    backend.open_gate();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), "espresso machine");
    }
    assert_eq!(backend.loads(), 1, "single-flight must load once per burst");
    // And the result was cached: the next read loads nothing.
    cache.get(KEY).await.unwrap();
    assert_eq!(backend.loads(), 1);
}
// ANCHOR_END: one_load

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_coalescing_every_concurrent_miss_loads() {
    let backend = gated_backend();
    let cache = Arc::new(CacheAside::new(Arc::clone(&backend), Coalescing::Off));
    let tasks = spawn_burst(&cache);
    wait_until(|| backend.loads() == CALLERS as u64).await;
    backend.open_gate();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        backend.loads(),
        CALLERS as u64,
        "the stampede: one load per miss"
    );
}

// ANCHOR: failed_load
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_load_reaches_every_waiter_and_is_not_cached() {
    let backend = gated_backend();
    backend.fail_next_loads(1);
    let cache = Arc::new(CacheAside::new(Arc::clone(&backend), Coalescing::On));
    let tasks = spawn_burst(&cache);
    wait_until(|| cache.waiters(KEY) == CALLERS).await;
    backend.open_gate();
    for task in tasks {
        let error = task.await.unwrap().unwrap_err();
        assert!(matches!(error, Error::Backend { .. }), "{error}");
    }
    assert_eq!(
        backend.loads(),
        1,
        "waiters share the failure, they do not retry"
    );
    // The failure was not cached: the next request loads again and succeeds.
    assert_eq!(cache.get(KEY).await.unwrap().value, "espresso machine");
    assert_eq!(backend.loads(), 2);
}
// ANCHOR_END: failed_load

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn moka_try_get_with_also_loads_once() {
    let backend = gated_backend();
    let cache = MokaCacheAside::new(
        Arc::clone(&backend),
        1_000,
        std::time::Duration::from_secs(60),
    );
    let barrier = Arc::new(Barrier::new(CALLERS));
    let arrived = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..CALLERS)
        .map(|_| {
            let (cache, barrier, arrived) =
                (cache.clone(), Arc::clone(&barrier), Arc::clone(&arrived));
            tokio::spawn(async move {
                barrier.wait().await;
                arrived.fetch_add(1, Ordering::SeqCst);
                cache.get(KEY).await.map(|v| v.value)
            })
        })
        .collect();
    // Every caller is past the barrier and the one load has started before the gate opens.
    wait_until(|| arrived.load(Ordering::SeqCst) == CALLERS as u64 && backend.loads() == 1).await;
    backend.open_gate();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), "espresso machine");
    }
    assert_eq!(backend.loads(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn moka_get_with_coalesces_an_infallible_init() {
    let cache: moka::future::Cache<String, u64> = moka::future::Cache::new(100);
    let inits = Arc::new(AtomicU64::new(0));
    let barrier = Arc::new(Barrier::new(CALLERS));
    let tasks: Vec<_> = (0..CALLERS)
        .map(|_| {
            let (cache, inits, barrier) = (cache.clone(), Arc::clone(&inits), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                cache
                    .get_with(KEY.to_owned(), async move {
                        inits.fetch_add(1, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                        42
                    })
                    .await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 42);
    }
    assert_eq!(inits.load(Ordering::SeqCst), 1);
}
