//! Fault injection: every failure names the phase it happened in.

use std::time::Duration;

use ch04_networking::{
    Client, Config, Error, LocalServer, Phase, SelfSigned, Timeouts, TlsVersion,
};

fn trusting(cert: &SelfSigned) -> Config {
    Config::default().with_tls(cert.client_config(TlsVersion::V1_3).unwrap())
}

fn short(phase: Phase) -> Timeouts {
    let limit = Duration::from_millis(100);
    let mut timeouts = Timeouts::default();
    match phase {
        Phase::Dns => timeouts.dns = limit,
        Phase::Connect => timeouts.connect = limit,
        Phase::Tls => timeouts.tls = limit,
        Phase::FirstByte => timeouts.first_byte = limit,
        Phase::Transfer => timeouts.transfer = limit,
    }
    timeouts
}

async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn connection_refused_fails_in_the_connect_phase() {
    let port = closed_port().await;
    let error = Client::default()
        .fetch(&format!("http://127.0.0.1:{port}/"))
        .await
        .unwrap_err();
    assert_eq!(error.phase(), Some(Phase::Connect), "{error}");
    assert!(matches!(error, Error::Io { .. }));
}

#[tokio::test]
async fn a_certificate_for_another_name_fails_in_the_tls_phase() {
    let cert = SelfSigned::generate(&["localhost"]).unwrap();
    let server = LocalServer::https(16, cert.server_config().unwrap())
        .await
        .unwrap();
    // The certificate names "localhost"; we ask for 127.0.0.1.
    let url = format!("https://127.0.0.1:{}/", server.addr().port());
    let error = Client::new(trusting(&cert)).fetch(&url).await.unwrap_err();
    assert_eq!(error.phase(), Some(Phase::Tls));
    assert!(error.to_string().contains("not valid for name"), "{error}");
}

#[tokio::test]
async fn an_untrusted_certificate_fails_in_the_tls_phase() {
    let served = SelfSigned::generate(&["localhost"]).unwrap();
    let trusted = SelfSigned::generate(&["localhost"]).unwrap();
    let server = LocalServer::https(16, served.server_config().unwrap())
        .await
        .unwrap();
    let url = format!("https://localhost:{}/", server.addr().port());
    let error = Client::new(trusting(&trusted))
        .fetch(&url)
        .await
        .unwrap_err();
    assert_eq!(error.phase(), Some(Phase::Tls), "{error}");
    assert!(
        error.to_string().contains("invalid peer certificate"),
        "{error}"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_waiting_for_the_first_byte() {
    let server = LocalServer::silent().await.unwrap();
    let config = Config::default().with_timeouts(short(Phase::FirstByte));
    let error = Client::new(config)
        .fetch(&format!("http://{}/", server.addr()))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { phase: Phase::FirstByte, limit } if limit == Duration::from_millis(100)),
        "{error}"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_the_client_hello_times_out_in_the_tls_phase() {
    let cert = SelfSigned::generate(&["localhost"]).unwrap();
    let server = LocalServer::silent().await.unwrap();
    let config = trusting(&cert).with_timeouts(short(Phase::Tls));
    let error = Client::new(config)
        .fetch(&format!("https://localhost:{}/", server.addr().port()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                phase: Phase::Tls,
                ..
            }
        ),
        "{error}"
    );
}

#[tokio::test]
async fn https_without_a_tls_config_is_a_clear_error() {
    let cert = SelfSigned::generate(&["localhost"]).unwrap();
    let server = LocalServer::https(16, cert.server_config().unwrap())
        .await
        .unwrap();
    let error = Client::default()
        .fetch(&format!("https://localhost:{}/", server.addr().port()))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::NoTlsConfig), "{error}");
}

#[tokio::test]
async fn bad_urls_are_rejected_before_any_network_phase() {
    for url in [
        "ftp://localhost/",
        "localhost:80",
        "http://",
        "not a url",
        "",
    ] {
        let error = Client::default().fetch(url).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidUrl { .. }),
            "{url:?}: {error}"
        );
        assert_eq!(error.phase(), None);
    }
}
