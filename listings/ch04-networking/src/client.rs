//! The timing client: one request, split into DNS, connect, TLS, first byte and transfer.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::round_trips::{CountingStream, RoundTrips};
use crate::{Error, Phase, Target, Timings};

/// A limit per phase, so a hung peer fails fast *and* names the phase it hung in.
///
/// One overall deadline cannot tell "the server is down" (connect) from "the server is slow"
/// (first byte) from "the response is huge" (transfer); separate limits can, and each can be sized
/// to its phase: a connect on a healthy network takes about one RTT, a transfer can take minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    pub dns: Duration,
    pub connect: Duration,
    pub tls: Duration,
    pub first_byte: Duration,
    pub transfer: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        let s = Duration::from_secs;
        Self {
            dns: s(5),
            connect: s(5),
            tls: s(5),
            first_byte: s(10),
            transfer: s(30),
        }
    }
}

impl Timeouts {
    fn limit(&self, phase: Phase) -> Duration {
        match phase {
            Phase::Dns => self.dns,
            Phase::Connect => self.connect,
            Phase::Tls => self.tls,
            Phase::FirstByte => self.first_byte,
            Phase::Transfer => self.transfer,
        }
    }
}

/// The client's configuration: per-phase timeouts and, for `https://`, a rustls configuration.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub timeouts: Timeouts,
    pub tls: Option<Arc<ClientConfig>>,
}

impl Config {
    /// Use `tls` (its root store decides which certificates we trust) for `https://` URLs.
    pub fn with_tls(mut self, tls: Arc<ClientConfig>) -> Self {
        self.tls = Some(tls);
        self
    }

    /// Replace the per-phase timeouts.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }
}

/// Round trips per phase: the protocol's shape, independent of how fast the network is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoundTripCount {
    /// TCP's handshake: 1 for a new connection (SYN, SYN-ACK; the kernel does it, so this one is
    /// counted by definition, RFC 9293), 0 on a reused one.
    pub connect: u32,
    /// Observed on the wire during the TLS handshake.
    pub tls: u32,
    /// Observed on the wire from sending the request to the end of the body.
    pub request: u32,
}

impl RoundTripCount {
    /// All round trips this request waited for.
    pub fn total(&self) -> u32 {
        self.connect + self.tls + self.request
    }
}

/// One response and how it was obtained.
#[derive(Clone, Debug)]
pub struct Fetched {
    pub status: u16,
    pub body_bytes: usize,
    pub timings: Timings,
    pub round_trips: RoundTripCount,
    /// `true` when the request went over a connection that had already served a request.
    pub reused: bool,
}

/// A client that times every phase of every request it makes.
#[derive(Clone, Debug, Default)]
pub struct Client {
    config: Config,
}

/// What opening a connection cost, phase by phase.
#[derive(Clone, Copy, Debug)]
struct Setup {
    started: Instant,
    dns: Option<Duration>,
    connect: Duration,
    tls: Option<Duration>,
    tls_round_trips: u32,
    finished: Instant,
}

/// Any stream hyper can speak HTTP over: plain TCP or TLS over TCP.
trait Stream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Stream for T {}

/// Run `future` as `phase`, failing with [`Error::Timeout`] after the phase's limit.
async fn phase<T>(
    timeouts: &Timeouts,
    phase: Phase,
    future: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let limit = timeouts.limit(phase);
    tokio::time::timeout(limit, future)
        .await
        .map_err(|_| Error::Timeout { phase, limit })?
}

impl Client {
    /// A client with `config`.
    pub fn new(config: Config) -> Self {
        Self { config }
    }

    // ANCHOR: fetch
    /// GET `url` over a brand-new connection, timing all five phases, then close it.
    ///
    /// One clock reading `start` is threaded through: each phase ends where the next begins, so
    /// the phases add up to `total` exactly, the way `curl -w` reports them.
    pub async fn fetch(&self, url: &str) -> Result<Fetched, Error> {
        let target = Target::parse(url)?;
        let start = Instant::now();
        let (mut connection, setup) = self.connect_from(&target, start).await?;
        connection.request_from(&target.path, Some(setup)).await
    }

    /// Open a connection to `url`'s host for several requests ([`Connection::get`]).
    pub async fn open(&self, url: &str) -> Result<Connection, Error> {
        let target = Target::parse(url)?;
        let (connection, _setup) = self.connect_from(&target, Instant::now()).await?;
        Ok(connection)
    }
    // ANCHOR_END: fetch

    // ANCHOR: connect_from
    async fn connect_from(
        &self,
        target: &Target,
        start: Instant,
    ) -> Result<(Connection, Setup), Error> {
        let t = &self.config.timeouts;
        // DNS: an IP literal needs no lookup; a name goes through the system resolver.
        // Each phase ends at one clock reading, which is also where the next phase begins.
        let by_name = target.host.parse::<IpAddr>().is_err();
        let (addrs, dns_done) = match target.host.parse::<IpAddr>() {
            Ok(ip) => (vec![SocketAddr::new(ip, target.port)], start),
            Err(_) => {
                let addrs = phase(t, Phase::Dns, resolve(&target.host, target.port)).await?;
                (addrs, Instant::now())
            }
        };

        // Connect: try the addresses in the resolver's order (e.g. ::1, then 127.0.0.1).
        let tcp = phase(t, Phase::Connect, connect_any(&addrs)).await?;
        let connect_done = Instant::now();

        // TLS, over a stream that counts round trips.
        let (counted, trips) = CountingStream::new(tcp);
        let (stream, finished): (Box<dyn Stream>, _) = if target.tls {
            let config = self.config.tls.clone().ok_or(Error::NoTlsConfig)?;
            let tls = phase(t, Phase::Tls, handshake(config, &target.host, counted)).await?;
            trips.forget_unanswered_write();
            (Box::new(tls), Instant::now())
        } else {
            (Box::new(counted), connect_done)
        };
        // ANCHOR_END: connect_from

        // HTTP/1.1 over our stream: hyper does the protocol, we own the socket and the clock.
        let (sender, driver) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|source| Error::Http {
                phase: Phase::FirstByte,
                source,
            })?;
        tokio::spawn(driver); // drives the connection; ends when the `sender` is dropped
        let setup = Setup {
            started: start,
            dns: by_name.then(|| dns_done - start),
            connect: connect_done - dns_done,
            tls: target.tls.then(|| finished - connect_done),
            tls_round_trips: trips.get(),
            finished,
        };
        let connection = Connection {
            sender,
            authority: target.authority(),
            trips,
            timeouts: *t,
            requests: 0,
        };
        Ok((connection, setup))
    }
}

/// The system resolver (getaddrinfo, /etc/hosts, then DNS), through tokio's blocking pool.
async fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, Error> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|source| Error::Io {
            phase: Phase::Dns,
            source,
        })?
        .collect();
    if addrs.is_empty() {
        return Err(Error::NoAddress {
            host: host.to_string(),
        });
    }
    Ok(addrs)
}

/// Connect to the first address that accepts; report the last failure if none does.
async fn connect_any(addrs: &[SocketAddr]) -> Result<TcpStream, Error> {
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                // Send small requests at once rather than wait to coalesce them (Nagle).
                stream.set_nodelay(true).map_err(|source| Error::Io {
                    phase: Phase::Connect,
                    source,
                })?;
                return Ok(stream);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(Error::Io {
        phase: Phase::Connect,
        source: last.unwrap_or_else(|| std::io::Error::other("no address to connect to")),
    })
}

/// The TLS handshake: verifies the certificate chain and that it names `host`.
async fn handshake<S: AsyncRead + AsyncWrite + Unpin>(
    config: Arc<ClientConfig>,
    host: &str,
    stream: S,
) -> Result<tokio_rustls::client::TlsStream<S>, Error> {
    let name = ServerName::try_from(host.to_string())
        .map_err(|_| Error::InvalidServerName(host.to_string()))?;
    TlsConnector::from(config)
        .connect(name, stream)
        .await
        .map_err(|source| Error::Io {
            phase: Phase::Tls,
            source,
        })
}

/// An open HTTP/1.1 connection that can carry several requests, one after another (keep-alive).
pub struct Connection {
    sender: SendRequest<Empty<Bytes>>,
    authority: String,
    trips: RoundTrips,
    timeouts: Timeouts,
    requests: u64,
}

impl Connection {
    /// GET `path` on this connection. From the second call on, there is no DNS, connect or TLS
    /// phase: that is what keep-alive saves.
    pub async fn get(&mut self, path: &str) -> Result<Fetched, Error> {
        self.request_from(path, None).await
    }

    /// How many requests this connection has carried.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    // ANCHOR: request_from
    async fn request_from(&mut self, path: &str, setup: Option<Setup>) -> Result<Fetched, Error> {
        let start = setup.map_or_else(Instant::now, |s| s.finished);
        let trips_before = self.trips.get();
        let request = http::Request::get(path)
            .header(http::header::HOST, &self.authority)
            .body(Empty::<Bytes>::new())
            .map_err(|_| Error::InvalidUrl {
                url: path.to_string(),
                reason: "not a valid request path",
            })?;
        let http_error = |phase| move |source| Error::Http { phase, source };

        // First byte: wait until the connection is free, send, and read the response head.
        let sender = &mut self.sender;
        let response = phase(&self.timeouts, Phase::FirstByte, async move {
            sender.ready().await.map_err(http_error(Phase::FirstByte))?;
            let response = sender.send_request(request).await;
            response.map_err(http_error(Phase::FirstByte))
        })
        .await?;
        let head_done = Instant::now();
        let status = response.status().as_u16();

        // Transfer: read the body to its end.
        let body = phase(&self.timeouts, Phase::Transfer, async move {
            let collected = response.into_body().collect().await;
            collected.map_err(http_error(Phase::Transfer))
        })
        .await?;
        let end = Instant::now();
        // ANCHOR_END: request_from

        let reused = self.requests > 0;
        self.requests += 1;
        let (first_byte, transfer) = (head_done - start, end - head_done);
        let (timings, round_trips) = match setup {
            Some(s) => {
                let timings = Timings {
                    dns: s.dns,
                    connect: Some(s.connect),
                    tls: s.tls,
                    first_byte,
                    transfer,
                    total: end - s.started,
                };
                let trips = RoundTripCount {
                    connect: 1,
                    tls: s.tls_round_trips,
                    request: self.trips.get() - trips_before,
                };
                (timings, trips)
            }
            None => {
                let timings = Timings {
                    first_byte,
                    transfer,
                    total: end - start,
                    ..Timings::default()
                };
                let trips = RoundTripCount {
                    request: self.trips.get() - trips_before,
                    ..RoundTripCount::default()
                };
                (timings, trips)
            }
        };
        Ok(Fetched {
            status,
            body_bytes: body.to_bytes().len(),
            timings,
            round_trips,
            reused,
        })
    }
}
