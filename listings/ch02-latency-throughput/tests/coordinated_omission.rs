//! The generators against the in-process queueing server, on tokio's paused clock: every
//! latency is exact and every run is the same. Time advances only when all tasks are waiting,
//! so a 1 s run takes milliseconds of real time.

use std::time::Duration;

use ch02_latency_throughput::queueing::littles_law;
use ch02_latency_throughput::{
    Arrivals, ClosedLoop, OpenLoop, QueueingServer, RunReport, ServerConfig,
};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Equal within the histogram's precision (0.1 %): it reports the top of a bucket.
fn about(measured: Duration, expected: Duration) -> bool {
    measured >= expected && measured <= expected + expected / 1_000
}

fn server(workers: u32, service_ms: u64) -> QueueingServer {
    QueueingServer::new(ServerConfig {
        workers,
        service_time: ms(service_ms),
    })
    .expect("valid")
}

/// Run `generator` while the server freezes for `pause`, starting at `at`.
async fn with_stall<F: Future<Output = RunReport>>(
    server: &QueueingServer,
    at: Duration,
    pause: Duration,
    generator: F,
) -> RunReport {
    let stall = async {
        tokio::time::sleep(at).await;
        server.stall(pause).await;
    };
    tokio::join!(generator, stall).0
}

#[tokio::test(start_paused = true)]
async fn open_loop_reports_the_stall_the_closed_loop_hides() {
    // 1 worker × 1 ms = 1,000 req/s capacity; offered 100 req/s for 2 s; a 100 ms stall at 0.5 s.
    let (rate, duration, stall) = (100.0, Duration::from_secs(2), ms(100));
    let s = server(1, 1);
    let closed = ClosedLoop {
        connections: 1,
        duration,
        rate: Some(rate),
    };
    let closed = with_stall(&s, ms(500), stall, async {
        closed.run(s.clone()).await.unwrap()
    })
    .await;
    let s = server(1, 1);
    let open = OpenLoop {
        rate,
        duration,
        arrivals: Arrivals::Uniform,
    };
    let open = with_stall(&s, ms(500), stall, async {
        open.run(s.clone()).await.unwrap()
    })
    .await;

    // ANCHOR: co_test
    // Open loop: the ~10 requests due during the stall waited up to 100 ms each: 10 of 200 is 5 %.
    let open_p99 = open.latency.percentile(99.0);
    assert!(
        open_p99 >= ms(80),
        "open-loop P99 {open_p99:?} should show the stall"
    );
    assert_eq!(
        open.sent, 200,
        "an open loop sends on schedule whatever happens"
    );
    // Closed loop: one request saw the stall, 1 sample in ~190: invisible at P99.
    let closed_p99 = closed.latency.percentile(99.0);
    assert!(
        closed_p99 <= ms(2),
        "closed-loop P99 {closed_p99:?} should hide the stall"
    );
    assert!(
        closed.latency.summary().max >= ms(99),
        "but its max still saw it"
    );
    assert!(
        closed.sent < open.sent - 5,
        "it omitted the requests it could not send"
    );
    // HdrHistogram's correction puts the omitted requests back.
    let corrected = closed
        .corrected
        .expect("paced run has a corrected histogram");
    assert!(
        corrected.percentile(99.0) >= ms(80),
        "{:?}",
        corrected.percentile(99.0)
    );
    // ANCHOR_END: co_test
}

#[tokio::test(start_paused = true)]
async fn closed_loop_throughput_is_connections_over_latency() {
    // 4 workers × 10 ms; 4 connections: no queue, each connection completes 100 per second.
    let report = ClosedLoop {
        connections: 4,
        duration: Duration::from_secs(1),
        rate: None,
    }
    .run(server(4, 10))
    .await
    .unwrap();
    assert_eq!(report.completed, 400);
    assert!(about(report.latency.percentile(99.0), ms(10)));
    // 8 connections on 4 workers: the same throughput, twice the latency (Little: L = λW).
    let report = ClosedLoop {
        connections: 8,
        duration: Duration::from_secs(1),
        rate: None,
    }
    .run(server(4, 10))
    .await
    .unwrap();
    assert!(
        (report.throughput() - 400.0).abs() < 10.0,
        "{}",
        report.throughput()
    );
    assert!(about(report.latency.percentile(50.0), ms(20)));
    let l = littles_law(report.throughput(), report.latency.summary().mean);
    assert!(
        (l - 8.0).abs() < 0.3,
        "L = λW should be the 8 connections, got {l}"
    );
}

#[tokio::test(start_paused = true)]
async fn open_loop_latency_explodes_past_capacity() {
    // 1 worker × 10 ms = 100 req/s. At 50 %: no queueing with uniform arrivals.
    let under = OpenLoop {
        rate: 50.0,
        duration: Duration::from_secs(1),
        arrivals: Arrivals::Uniform,
    }
    .run(server(1, 10))
    .await
    .unwrap();
    assert_eq!(under.completed, 50);
    assert!(about(under.latency.summary().max, ms(10)));
    // At 200 %: 200 requests arrive in 1 s, 100 can be served; the last waits about 1 s more.
    let over = OpenLoop {
        rate: 200.0,
        duration: Duration::from_secs(1),
        arrivals: Arrivals::Uniform,
    }
    .run(server(1, 10))
    .await
    .unwrap();
    assert_eq!(over.completed, 200);
    assert!(
        (over.throughput() - 100.0).abs() < 2.0,
        "{}",
        over.throughput()
    );
    assert!(
        over.latency.summary().max >= ms(990),
        "{:?}",
        over.latency.summary().max
    );
}

#[tokio::test(start_paused = true)]
async fn poisson_arrivals_queue_below_capacity() {
    // Same 50 % load, random arrivals: some requests now arrive while the worker is busy.
    let run = OpenLoop {
        rate: 50.0,
        duration: Duration::from_secs(4),
        arrivals: Arrivals::Poisson { seed: 7 },
    }
    .run(server(1, 10))
    .await
    .unwrap();
    assert!(
        run.latency.summary().max > ms(11),
        "{:?}",
        run.latency.summary().max
    );
    assert!(about(run.latency.percentile(0.0), ms(10)));
}

#[test]
fn poisson_schedule_has_the_right_rate_and_replays_from_its_seed() {
    let a = Arrivals::Poisson { seed: 1 }.schedule(1_000.0, Duration::from_secs(10));
    let b = Arrivals::Poisson { seed: 1 }.schedule(1_000.0, Duration::from_secs(10));
    assert_eq!(a, b);
    assert!((9_700..=10_300).contains(&a.len()), "{} arrivals", a.len());
    assert!(a.windows(2).all(|w| w[0] <= w[1]));
    let u = Arrivals::Uniform.schedule(100.0, Duration::from_secs(1));
    assert_eq!((u.len(), u[1]), (100, ms(10)));
}

#[tokio::test]
async fn bad_configurations_are_errors_not_panics() {
    assert!(
        QueueingServer::new(ServerConfig {
            workers: 0,
            service_time: ms(1)
        })
        .is_err()
    );
    assert!(
        QueueingServer::new(ServerConfig {
            workers: 1,
            service_time: Duration::ZERO
        })
        .is_err()
    );
    let s = server(1, 1);
    let d = ms(10);
    for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let open = OpenLoop {
            rate,
            duration: d,
            arrivals: Arrivals::Uniform,
        };
        assert!(open.run(s.clone()).await.is_err(), "open rate {rate}");
        let closed = ClosedLoop {
            connections: 1,
            duration: d,
            rate: Some(rate),
        };
        assert!(closed.run(s.clone()).await.is_err(), "closed rate {rate}");
    }
    let closed = ClosedLoop {
        connections: 0,
        duration: d,
        rate: None,
    };
    assert!(closed.run(s).await.is_err());
}
