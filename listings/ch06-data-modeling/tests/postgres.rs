//! The same models on a real PostgreSQL (`DATABASE_URL`), each test in its own schema.
//! Without `DATABASE_URL` these tests skip loudly; under `CI=true` they fail instead.

use ch06_data_modeling::{Config, Model, PgTimelines, Post, SqliteTimelines, Workload};

fn workload() -> Workload {
    Workload::generate(&Config {
        users: 150,
        follows_per_user: 15,
        posts: 2_000,
        seed: 60,
        ..Config::default()
    })
    .unwrap()
}

async fn loaded(url: &str, model: Model, w: &Workload) -> PgTimelines {
    let store = PgTimelines::connect(url, &testkit::unique_name("ch06"), model)
        .await
        .unwrap();
    store.load(w).await.unwrap();
    store
}

#[tokio::test]
async fn both_models_agree_with_sqlite_on_postgres() {
    let Some(url) = testkit::service_url("DATABASE_URL") else {
        return;
    };
    let w = workload();
    let naive = loaded(&url, Model::Normalized, &w).await;
    let driven = loaded(&url, Model::FanOutOnWrite, &w).await;
    let sqlite = SqliteTimelines::open_in_memory(Model::Normalized).unwrap();
    sqlite.load(&w).unwrap();

    let result = async {
        // A live post fans out to exactly its author's followers.
        let post = Post {
            id: 50_000,
            author: 0,
            created_at: 50_000,
        };
        assert_eq!(naive.post(&post).await?, 0);
        assert_eq!(driven.post(&post).await?, w.follower_count(0) as u64);
        sqlite.post(&post).unwrap();
        for user in (0..150).step_by(7) {
            let expected = sqlite.timeline(user, 20).unwrap();
            assert_eq!(
                naive.timeline(user, 20).await?,
                expected,
                "normalized, user {user}"
            );
            assert_eq!(
                driven.timeline(user, 20).await?,
                expected,
                "query-driven, user {user}"
            );
        }
        Ok::<_, ch06_data_modeling::Error>(())
    }
    .await;
    naive.drop_schema().await.unwrap();
    driven.drop_schema().await.unwrap();
    result.unwrap();
}

// ANCHOR: pg_fewer_rows
#[tokio::test]
async fn explain_analyze_shows_the_query_driven_plan_reads_fewer_rows() {
    let Some(url) = testkit::service_url("DATABASE_URL") else {
        return;
    };
    let w = workload();
    let naive = loaded(&url, Model::Normalized, &w).await;
    let driven = loaded(&url, Model::FanOutOnWrite, &w).await;
    let costs = async {
        Ok::<_, ch06_data_modeling::Error>((
            naive.hot_query_cost(42, 20).await?,
            driven.hot_query_cost(42, 20).await?,
        ))
    }
    .await;
    naive.drop_schema().await.unwrap();
    driven.drop_schema().await.unwrap();
    let (n, d) = costs.unwrap();

    assert!(n.sorts_at_read_time(), "{}", n.plan.join("\n"));
    assert!(!d.sorts_at_read_time(), "{}", d.plan.join("\n"));
    assert_eq!(d.rows_returned, 20);
    let (n_rows, d_rows) = (n.rows_read.unwrap(), d.rows_read.unwrap());
    assert_eq!(d_rows, 20, "{}", d.plan.join("\n"));
    assert_eq!(d.searches, 1);
    assert!(n_rows > 5 * d_rows, "rows read {n_rows} vs {d_rows}");
    assert!(n.searches >= 2, "{}", n.plan.join("\n"));
    // Buffer counts are not asserted: they depend on what the shared buffer cache and the
    // visibility map hold at that moment (a fresh table's index-only scan still visits the heap
    // until autovacuum has run), so on a busy server they vary from run to run. Rows and
    // searches are properties of the plan itself.
}
// ANCHOR_END: pg_fewer_rows

#[tokio::test]
async fn the_hybrid_model_is_refused_on_postgres() {
    let Some(url) = testkit::service_url("DATABASE_URL") else {
        return;
    };
    let result = PgTimelines::connect(&url, &testkit::unique_name("ch06"), Model::Hybrid).await;
    assert!(matches!(
        result,
        Err(ch06_data_modeling::Error::Unsupported(_))
    ));
}
