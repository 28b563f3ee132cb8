//! The HTTP server and `wrk`: the same queueing server over real sockets, and the parser for
//! wrk's report. These use the real clock, so they assert only what cannot be flaky.

use std::time::Duration;

use ch02_latency_throughput::{
    ClosedLoop, HttpTarget, QueueingServer, ServerConfig, Target, server, wrk,
};
use tokio::net::TcpListener;

async fn spawn(workers: u32, service_ms: u64) -> (QueueingServer, String) {
    let s = QueueingServer::new(ServerConfig {
        workers,
        service_time: Duration::from_millis(service_ms),
    })
    .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = server::spawn_http(listener, s.clone()).unwrap();
    (s, format!("http://{addr}/"))
}

#[tokio::test]
async fn http_requests_go_through_the_queueing_server() {
    let (s, url) = spawn(2, 1).await;
    let report = ClosedLoop {
        connections: 2,
        duration: Duration::from_millis(200),
        rate: None,
    }
    .run(HttpTarget::new(&url).unwrap())
    .await
    .unwrap();
    assert!(report.completed > 0);
    assert_eq!(report.errors, 0);
    assert_eq!(s.stats().served, report.completed);
    assert!(report.latency.percentile(0.0) >= Duration::from_millis(1));
}

#[tokio::test]
async fn wrong_path_and_dead_server_are_errors() {
    let (_s, url) = spawn(1, 1).await;
    let missing = HttpTarget::new(&format!("{url}nope")).unwrap();
    assert!(matches!(
        missing.call().await,
        Err(ch02_latency_throughput::Error::Status(404))
    ));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    assert!(HttpTarget::new(&dead).unwrap().call().await.is_err());
    assert!(HttpTarget::new("not a uri").is_err());
}

const WRK_OUTPUT: &str = "Running 2s test @ http://127.0.0.1:40000/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    26.46ms    3.09ms  34.10ms   72.29%
    Req/Sec   603.95     31.66   660.00     70.00%
  Latency Distribution
     50%   26.13ms
     75%   28.55ms
     90%   30.30ms
     99%  850.00us
  1208 requests in 2.00s, 101.45KB read
Requests/sec:    600.31
Transfer/sec:     50.42KB
";

#[test]
fn parses_wrk_latency_report() {
    let r = wrk::parse(WRK_OUTPUT).unwrap();
    assert_eq!(r.requests_per_sec, 600.31);
    assert_eq!(r.p50, Duration::from_micros(26_130));
    assert_eq!(r.p99, Duration::from_micros(850));
    assert_eq!(r.max, Duration::from_micros(34_100));
}

#[test]
fn wrk_output_without_latency_distribution_is_an_error() {
    let without: String = WRK_OUTPUT
        .lines()
        .filter(|l| !l.contains('%') || l.contains("Latency "))
        .collect::<Vec<_>>()
        .join("\n");
    let err = wrk::parse(&without).unwrap_err().to_string();
    assert!(err.contains("--latency"), "{err}");
    assert!(wrk::parse("").is_err());
    assert!(wrk::parse(&WRK_OUTPUT.replace("26.13ms", "26.13parsecs")).is_err());
}

/// Runs the real `wrk` against the server. Skipped loudly when wrk is missing; under CI=true a
/// missing wrk is a failure, because CI installs it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrk_measures_the_same_server() {
    let Some(path) = wrk::find_on_path() else {
        assert!(
            !testkit::running_in_ci(),
            "wrk is not on PATH, but CI=true: CI must install wrk"
        );
        eprintln!("SKIPPED: wrk is not on PATH (Debian: apt-get install wrk)");
        return;
    };
    let (s, url) = spawn(2, 2).await;
    let report = tokio::task::spawn_blocking(move || wrk::run(&path, &url, 4, 1))
        .await
        .unwrap()
        .unwrap();
    assert!(report.requests_per_sec > 0.0);
    assert!(report.p50 >= Duration::from_millis(2), "{:?}", report.p50);
    assert!(s.stats().served > 0);
}
