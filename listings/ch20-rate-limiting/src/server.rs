//! The demo's axum app: two small routes behind the rate-limit layer.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tokio::net::TcpListener;

use crate::{RateLimitLayer, SharedLimiter};

/// The app: `GET /` and `POST /orders` (a JSON body), every route rate-limited per client.
///
/// The layer wraps the whole router, so an unknown route also spends quota (and gets a 404):
/// otherwise probing for URLs would be a free, unlimited activity.
pub fn app(limiter: Arc<SharedLimiter>) -> Router {
    Router::new()
        .route("/", get(hello))
        .route("/orders", post(create_order))
        .layer(RateLimitLayer::new(limiter))
}

/// Serve `app` on `listener` until `shutdown` completes, giving handlers the peer address
/// (which the layer falls back to as the client key).
///
/// # Errors
///
/// The listener's I/O error, if accepting fails for good.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

async fn hello() -> &'static str {
    "hello\n"
}

/// An order as the client sends it. Axum's `Json` extractor answers a missing content type with
/// 415, malformed JSON with 400, and JSON of the wrong shape with 422, before we run.
#[derive(Debug, Deserialize)]
struct Order {
    item: String,
    quantity: u32,
}

async fn create_order(Json(order): Json<Order>) -> (StatusCode, String) {
    if order.quantity == 0 || order.item.trim().is_empty() {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "an order needs an item and a quantity of at least 1\n".to_owned(),
        );
    }
    (
        StatusCode::CREATED,
        format!("ordered {} x {}\n", order.quantity, order.item),
    )
}
