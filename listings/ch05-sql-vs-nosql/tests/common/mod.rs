//! The behavioral test suite every backend must pass, and the helpers that build each backend
//! (PostgreSQL and Redis only when their URL is set; each in a schema or key prefix of its own).
#![allow(dead_code)] // each test binary uses a different part of this module

use std::sync::Arc;

use ch05_sql_vs_nosql::{
    DocumentRepo, Error, MemoryKv, NewOrder, PostgresRepo, RedisKv, Repository, SqliteRepo, Status,
};

pub fn order(user_id: u64, sku: &str, quantity: u32, created_at: u64) -> NewOrder {
    NewOrder {
        user_id,
        sku: sku.to_owned(),
        quantity,
        created_at,
    }
}

/// The app's contract, checked the same way on every backend.
pub async fn behaves_like_the_app<R: Repository>(repo: &R) {
    let who = repo.name().to_owned();
    let ada = repo.create_user("Ada", "ada@old.example").await.unwrap();
    let bob = repo.create_user("Bob", "bob@example.com").await.unwrap();
    assert_ne!(ada.id, bob.id, "{who}: ids are unique");
    repo.add_product("kettle", 5).await.unwrap();
    repo.add_product("mug", 100).await.unwrap();

    // Placing an order takes its units from stock.
    let first = repo
        .place_order(&order(ada.id, "kettle", 2, 100))
        .await
        .unwrap();
    assert_eq!(first.status, Status::Pending);
    assert_eq!(repo.stock("kettle").await.unwrap(), Some(3), "{who}");
    let second = repo
        .place_order(&order(ada.id, "mug", 1, 200))
        .await
        .unwrap();
    let bobs = repo
        .place_order(&order(bob.id, "mug", 4, 150))
        .await
        .unwrap();

    // A failed order changes nothing: not the stock, not the user's orders.
    let too_many = repo.place_order(&order(ada.id, "kettle", 4, 300)).await;
    assert!(
        matches!(
            too_many,
            Err(Error::OutOfStock {
                available: 3,
                requested: 4,
                ..
            })
        ),
        "{who}: {too_many:?}"
    );
    let nobody = repo.place_order(&order(9_999, "kettle", 1, 300)).await;
    assert!(
        matches!(nobody, Err(Error::UnknownUser(9_999))),
        "{who}: {nobody:?}"
    );
    let no_such = repo.place_order(&order(ada.id, "teapot", 1, 300)).await;
    assert!(
        matches!(no_such, Err(Error::UnknownProduct(_))),
        "{who}: {no_such:?}"
    );
    let zero = repo.place_order(&order(ada.id, "kettle", 0, 300)).await;
    assert!(matches!(zero, Err(Error::ZeroQuantity)), "{who}: {zero:?}");
    assert_eq!(
        repo.stock("kettle").await.unwrap(),
        Some(3),
        "{who}: failed orders took stock"
    );

    // A user's orders, newest first, and only theirs.
    let adas = repo.orders_for_user(ada.id).await.unwrap();
    assert_eq!(adas, vec![second.clone(), first.clone()], "{who}");
    assert_eq!(
        repo.orders_for_user(bob.id).await.unwrap(),
        vec![bobs.clone()],
        "{who}"
    );

    // ANCHOR: suite_copies
    // Order with user details reflects the user's *current* email after a change.
    repo.update_email(ada.id, "ada@new.example").await.unwrap();
    for id in [first.id, second.id] {
        let found = repo.order_with_user(id).await.unwrap().unwrap();
        assert_eq!(
            found.user_email, "ada@new.example",
            "{who}: stale copy in order {id}"
        );
        assert_eq!(found.user_name, "Ada", "{who}");
    }
    let bobs_view = repo.order_with_user(bobs.id).await.unwrap().unwrap();
    assert_eq!(
        bobs_view.user_email, "bob@example.com",
        "{who}: wrong user's orders changed"
    );
    // ANCHOR_END: suite_copies
    assert!(
        repo.order_with_user(9_999).await.unwrap().is_none(),
        "{who}"
    );
    assert!(
        matches!(
            repo.update_email(9_999, "x@y").await,
            Err(Error::UnknownUser(_))
        ),
        "{who}"
    );

    // Orders by status in a half-open date range, oldest first; the index follows a change.
    let pending = repo
        .orders_by_status(Status::Pending, 100, 200)
        .await
        .unwrap();
    assert_eq!(
        pending,
        vec![first.clone(), bobs.clone()],
        "{who}: [100, 200) excludes 200"
    );
    repo.set_status(first.id, Status::Shipped).await.unwrap();
    let pending = repo
        .orders_by_status(Status::Pending, 0, 1_000)
        .await
        .unwrap();
    assert_eq!(
        pending.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![bobs.id, second.id],
        "{who}"
    );
    let shipped = repo
        .orders_by_status(Status::Shipped, 0, 1_000)
        .await
        .unwrap();
    assert_eq!(shipped.len(), 1, "{who}");
    assert_eq!(shipped[0].status, Status::Shipped, "{who}");
    assert!(
        repo.orders_by_status(Status::Paid, 0, 1_000)
            .await
            .unwrap()
            .is_empty(),
        "{who}"
    );
    assert!(
        repo.orders_by_status(Status::Pending, 500, 100)
            .await
            .unwrap()
            .is_empty(),
        "{who}"
    );
    assert!(
        matches!(
            repo.set_status(9_999, Status::Paid).await,
            Err(Error::UnknownOrder(_))
        ),
        "{who}"
    );

    // Orders placed in the same second come back in id order, numerically (9 before 10).
    let carol = repo
        .create_user("Carol", "carol@example.com")
        .await
        .unwrap();
    let mut ids = Vec::new();
    for _ in 0..12 {
        ids.push(
            repo.place_order(&order(carol.id, "mug", 1, 500))
                .await
                .unwrap()
                .id,
        );
    }
    let newest_first: Vec<u64> = repo
        .orders_for_user(carol.id)
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(
        newest_first,
        ids.iter().rev().copied().collect::<Vec<_>>(),
        "{who}"
    );
    let oldest_first: Vec<u64> = repo
        .orders_by_status(Status::Pending, 500, 501)
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(oldest_first, ids, "{who}");
}

/// After an interrupted order: whatever happened, stock + units ordered must still equal what
/// was there at the start. Returns (stock left, units in orders).
pub async fn stock_and_ordered<R: Repository>(repo: &R, user: u64, sku: &str) -> (u32, u32) {
    let stock = repo.stock(sku).await.unwrap().unwrap();
    let ordered = repo
        .orders_for_user(user)
        .await
        .unwrap()
        .iter()
        .filter(|o| o.sku == sku)
        .map(|o| o.quantity)
        .sum();
    (stock, ordered)
}

/// Runs a test on its own task, then `cleanup`, then re-raises the test's panic if it failed: a
/// failing assertion must not leave a schema or keys behind on the shared services.
pub async fn cleaning_up<R, F, Fut, C>(repo: R, test: F, cleanup: C)
where
    R: Send + Sync + 'static,
    F: FnOnce(Arc<R>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
    C: AsyncFnOnce(&R),
{
    let repo = Arc::new(repo);
    let outcome = tokio::spawn(test(repo.clone())).await;
    cleanup(&repo).await;
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

pub fn sqlite() -> SqliteRepo {
    SqliteRepo::in_memory().unwrap()
}

pub fn memory() -> DocumentRepo<MemoryKv> {
    DocumentRepo::new(MemoryKv::new(), "")
}

/// A PostgreSQL repository in a fresh schema, or `None` (skip) when `DATABASE_URL` is unset.
pub async fn postgres() -> Option<PostgresRepo> {
    let url = testkit::service_url("DATABASE_URL")?;
    let schema = testkit::unique_name("ch05");
    Some(PostgresRepo::connect(&url, &schema).await.unwrap())
}

/// A Redis-backed document repository under a fresh key prefix, or `None` when `REDIS_URL` is
/// unset. Returns the prefix, to delete afterwards with [`RedisKv::delete_prefix`].
pub async fn redis() -> Option<(DocumentRepo<RedisKv>, String)> {
    let url = testkit::service_url("REDIS_URL")?;
    let prefix = format!("{}:", testkit::unique_name("ch05"));
    let kv = RedisKv::connect(&url).await.unwrap();
    Some((DocumentRepo::new(kv, &prefix), prefix))
}
