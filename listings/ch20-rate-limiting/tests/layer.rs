//! The tower layer in front of the demo app, driven without a socket (`oneshot`) and with a
//! manual clock, so every header value is exact.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use ch20_rate_limiting::layer::{
    CLIENT_ID_HEADER, RATELIMIT_LIMIT, RATELIMIT_REMAINING, RATELIMIT_RESET,
};
use ch20_rate_limiting::{Algorithm, ManualClock, Rate, SharedLimiter, server};
use tower::ServiceExt;

/// The demo app limited to 3 requests per 9 s per client (GCRA), on a clock we move by hand.
fn app() -> (Router, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new());
    let rate = Rate::new(3, Duration::from_secs(9)).expect("valid rate");
    let limiter = SharedLimiter::in_process(Algorithm::Gcra, rate, clock.clone());
    (server::app(Arc::new(limiter)), clock)
}

async fn send(app: &Router, request: Request<Body>) -> Response {
    app.clone()
        .oneshot(request)
        .await
        .expect("the router is infallible")
}

fn get_as(client: &str) -> Request<Body> {
    Request::get("/")
        .header(CLIENT_ID_HEADER, client)
        .body(Body::empty())
        .expect("valid request")
}

fn header(response: &Response, name: impl header::AsHeaderName) -> Option<&str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn allowed_responses_carry_ratelimit_headers() {
    let (app, _) = app();
    let response = send(&app, get_as("alice")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, RATELIMIT_LIMIT), Some("3"));
    assert_eq!(header(&response, RATELIMIT_REMAINING), Some("2"));
    // One request costs 9 s / 3 = 3 s of quota.
    assert_eq!(header(&response, RATELIMIT_RESET), Some("3"));
    assert_eq!(header(&response, header::RETRY_AFTER), None);
}

#[tokio::test]
async fn over_the_limit_gets_429_with_retry_after() {
    let (app, clock) = app();
    for remaining in ["2", "1", "0"] {
        let response = send(&app, get_as("alice")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, RATELIMIT_REMAINING), Some(remaining));
    }
    clock.advance(Duration::from_millis(1_500));
    let denied = send(&app, get_as("alice")).await;
    assert_eq!(denied.status(), StatusCode::TOO_MANY_REQUESTS);
    // The next slot opens 3 s after the burst, 1.5 s from now: rounded up, 2.
    assert_eq!(header(&denied, header::RETRY_AFTER), Some("2"));
    assert_eq!(header(&denied, RATELIMIT_LIMIT), Some("3"));
    assert_eq!(header(&denied, RATELIMIT_REMAINING), Some("0"));
    // Fully rested 9 s after the burst, 7.5 s from now: rounded up, 8.
    assert_eq!(header(&denied, RATELIMIT_RESET), Some("8"));

    // Honour Retry-After and you are let in.
    clock.advance(Duration::from_millis(1_500));
    assert_eq!(send(&app, get_as("alice")).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn keys_are_independent() {
    let (app, _) = app();
    for _ in 0..3 {
        assert_eq!(send(&app, get_as("alice")).await.status(), StatusCode::OK);
    }
    assert_eq!(
        send(&app, get_as("alice")).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(send(&app, get_as("bob")).await.status(), StatusCode::OK);

    // Without the header, the peer's IP address is the key (not its port).
    let from = |addr: &str| {
        let mut request = Request::get("/")
            .body(Body::empty())
            .expect("valid request");
        let peer: SocketAddr = addr.parse().expect("valid address");
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    };
    for port in 1..=3 {
        let response = send(&app, from(&format!("10.0.0.1:{port}"))).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let fourth = send(&app, from("10.0.0.1:4")).await;
    assert_eq!(fourth.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        send(&app, from("10.0.0.2:1")).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn malformed_requests_get_4xx() {
    let (app, _) = app();
    let with_id = |id: &[u8]| {
        Request::get("/")
            .header(CLIENT_ID_HEADER, id)
            .body(Body::empty())
            .expect("valid request")
    };
    for bad in [
        &b""[..],
        b"has space",
        b"semi;colon",
        "caf\u{e9}".as_bytes(),
        &[b'a'; 65],
    ] {
        let response = send(&app, with_id(bad)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "id {bad:?}");
    }

    let unknown = send(
        &app,
        Request::get("/nope")
            .header(CLIENT_ID_HEADER, "carol")
            .body(Body::empty())
            .expect("valid request"),
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    let order = |content_type: &str, body: &'static str| {
        Request::post("/orders")
            .header(CLIENT_ID_HEADER, "dave")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("valid request")
    };
    let cases = [
        (
            "text/plain",
            r#"{"item":"tea","quantity":1}"#,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        ("application/json", "{not json", StatusCode::BAD_REQUEST),
        (
            "application/json",
            r#"{"item":"tea","quantity":-1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (content_type, body, expected) in cases {
        assert_eq!(
            send(&app, order(content_type, body)).await.status(),
            expected,
            "{body}"
        );
    }
}

#[tokio::test]
async fn valid_orders_pass_through_the_layer() {
    let (app, _) = app();
    let request = Request::post("/orders")
        .header(CLIENT_ID_HEADER, "erin")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"item":"tea","quantity":2}"#))
        .expect("valid request");
    let response = send(&app, request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(header(&response, RATELIMIT_REMAINING), Some("2"));
}
