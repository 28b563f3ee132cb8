//! The timing client against local HTTP and HTTPS servers: phases add up, keep-alive skips the
//! handshakes, and the round trips have the protocol's shape.

use ch04_networking::{Client, Config, LocalServer, Phase, SelfSigned, TlsVersion};

struct Fixture {
    http: LocalServer,
    https: LocalServer,
    cert: SelfSigned,
}

async fn fixture() -> Fixture {
    let cert = SelfSigned::generate(&["localhost"]).unwrap();
    let https = LocalServer::https(4096, cert.server_config().unwrap())
        .await
        .unwrap();
    Fixture {
        http: LocalServer::http(4096).await.unwrap(),
        https,
        cert,
    }
}

fn client(cert: &SelfSigned, version: TlsVersion) -> Client {
    Client::new(Config::default().with_tls(cert.client_config(version).unwrap()))
}

#[tokio::test]
async fn phases_add_up_to_the_total_exactly() {
    let f = fixture().await;
    let client = client(&f.cert, TlsVersion::V1_3);
    let urls = [
        format!("http://localhost:{}/", f.http.addr().port()),
        format!("https://localhost:{}/", f.https.addr().port()),
        format!("http://{}/", f.http.addr()),
    ];
    for url in &urls {
        for _ in 0..5 {
            let fetched = client.fetch(url).await.unwrap();
            let t = fetched.timings;
            assert_eq!(t.sum_of_phases(), t.total, "{url}: {t:?}");
            assert_eq!(t.curl_style()[4].1, t.total, "time_total is the total");
            assert_eq!(fetched.status, 200);
            assert_eq!(fetched.body_bytes, 4096);
        }
    }
}

#[tokio::test]
async fn each_phase_happens_only_when_it_should() {
    let f = fixture().await;
    let client = client(&f.cert, TlsVersion::V1_3);
    let by_name = format!("https://localhost:{}/", f.https.addr().port());
    let t = client.fetch(&by_name).await.unwrap().timings;
    assert!(t.dns.is_some() && t.connect.is_some() && t.tls.is_some());

    // An IP literal needs no DNS; plain HTTP has no TLS phase.
    let literal = format!("http://{}/", f.http.addr());
    let t = client.fetch(&literal).await.unwrap().timings;
    assert_eq!((t.dns, t.tls), (None, None));
    assert!(t.connect.is_some());
    assert_eq!(t.get(Phase::Tls), None);
}

#[tokio::test]
async fn keep_alive_reuses_the_connection_and_skips_connect_and_tls() {
    let f = fixture().await;
    let client = client(&f.cert, TlsVersion::V1_3);
    let url = format!("https://localhost:{}/", f.https.addr().port());
    let mut connection = client.open(&url).await.unwrap();
    for i in 0..5 {
        let fetched = connection.get("/").await.unwrap();
        let t = fetched.timings;
        assert_eq!(fetched.reused, i > 0);
        assert_eq!((t.dns, t.connect, t.tls), (None, None, None), "request {i}");
        assert_eq!(fetched.round_trips.connect + fetched.round_trips.tls, 0);
        assert_eq!(
            fetched.round_trips.request, 1,
            "request {i}: one round trip"
        );
        assert_eq!(t.sum_of_phases(), t.total);
    }
    assert_eq!(connection.requests(), 5);
    assert_eq!(
        f.https.connections_accepted(),
        1,
        "five requests, one TCP connection"
    );
}

#[tokio::test]
async fn a_new_connection_per_request_pays_every_handshake() {
    let f = fixture().await;
    let client = client(&f.cert, TlsVersion::V1_3);
    let url = format!("https://localhost:{}/", f.https.addr().port());
    for _ in 0..5 {
        let fetched = client.fetch(&url).await.unwrap();
        assert!(!fetched.reused);
        assert!(fetched.timings.connect.is_some() && fetched.timings.tls.is_some());
    }
    assert_eq!(f.https.connections_accepted(), 5);
}

// Two worker threads, as in the demo: hyper's connection task may then read the server's session
// tickets before the request is written, which a naive count would take for a round trip.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_1_3_handshake_takes_one_round_trip_and_tls_1_2_two() {
    let f = fixture().await;
    let url = format!("https://localhost:{}/", f.https.addr().port());
    // Repeated, because the server's TLS 1.3 session tickets may arrive before or with the
    // response; either way they must not count as a round trip of their own.
    for _ in 0..20 {
        let v13 = client(&f.cert, TlsVersion::V1_3).fetch(&url).await.unwrap();
        let v12 = client(&f.cert, TlsVersion::V1_2).fetch(&url).await.unwrap();
        assert_eq!(v13.round_trips.tls, 1);
        assert_eq!(v12.round_trips.tls, 2);
        // Connect (1) + TLS + the request itself (1).
        assert_eq!(v13.round_trips.total(), 3, "{:?}", v13.round_trips);
        assert_eq!(v12.round_trips.total(), 4, "{:?}", v12.round_trips);
    }
    let http = format!("http://localhost:{}/", f.http.addr().port());
    let plain = client(&f.cert, TlsVersion::V1_3)
        .fetch(&http)
        .await
        .unwrap();
    assert_eq!(plain.round_trips.total(), 2);
}

#[tokio::test]
async fn echo_round_trips_over_tcp_and_udp() {
    let echo = ch04_networking::EchoServers::start().await.unwrap();
    let tcp = echo.tcp_round_trips(50, 64).await.unwrap();
    assert_eq!(tcp.round_trips.len(), 50);
    let udp = echo
        .udp_round_trips(50, 64, std::time::Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(udp.len(), 50);
}
