//! Local servers for the experiments: HTTP, HTTPS, and one that accepts but never answers.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use rustls::ServerConfig;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

use crate::{Error, Phase};

/// A server on `127.0.0.1` with a port the OS picked, running until dropped.
///
/// It counts the TCP connections it accepted: that is how the tests prove keep-alive without
/// looking at a clock. N requests over one kept-alive connection show 1; N fresh connections, N.
pub struct LocalServer {
    addr: SocketAddr,
    accepted: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

#[derive(Clone)]
enum Behavior {
    Http { body: Bytes },
    Https { body: Bytes, tls: TlsAcceptor },
    Silent,
}

impl LocalServer {
    /// An HTTP/1.1 server answering every request with `body_bytes` bytes.
    pub async fn http(body_bytes: usize) -> Result<Self, Error> {
        Self::start(Behavior::Http {
            body: body_of(body_bytes),
        })
        .await
    }

    /// The same over TLS, presenting the certificate in `tls`.
    pub async fn https(body_bytes: usize, tls: Arc<ServerConfig>) -> Result<Self, Error> {
        let tls = TlsAcceptor::from(tls);
        let body = body_of(body_bytes);
        Self::start(Behavior::Https { body, tls }).await
    }

    /// Accepts connections, reads whatever arrives, and never answers: a hung backend.
    pub async fn silent() -> Result<Self, Error> {
        Self::start(Behavior::Silent).await
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// TCP connections accepted so far.
    pub fn connections_accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }

    async fn start(behavior: Behavior) -> Result<Self, Error> {
        let io_error = |source| Error::Io {
            phase: Phase::Connect,
            source,
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.map_err(io_error)?;
        let addr = listener.local_addr().map_err(io_error)?;
        let accepted = Arc::new(AtomicU64::new(0));
        let counter = accepted.clone();
        let task = tokio::spawn(async move {
            // Dropping the set (when the server is dropped) aborts every connection task too.
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::Relaxed);
                // Disable Nagle on the server's side as well (as real servers do): otherwise its
                // small response can wait for the client's delayed ACK, about 40 ms on Linux.
                let _ = stream.set_nodelay(true);
                connections.spawn(serve_one(stream, behavior.clone()));
                while connections.try_join_next().is_some() {}
            }
        });
        Ok(Self {
            addr,
            accepted,
            task,
        })
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn body_of(bytes: usize) -> Bytes {
    Bytes::from(vec![b'x'; bytes])
}

/// Serve one connection; errors (a client that hung up, a failed handshake) end only it.
async fn serve_one(stream: tokio::net::TcpStream, behavior: Behavior) {
    match behavior {
        Behavior::Http { body } => serve_http(stream, body).await,
        Behavior::Https { body, tls } => {
            if let Ok(stream) = tls.accept(stream).await {
                serve_http(stream, body).await;
            }
        }
        Behavior::Silent => {
            let mut stream = stream;
            let mut sink = [0u8; 1024];
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        }
    }
}

async fn serve_http<S: AsyncRead + AsyncWrite + Unpin + Send + 'static>(stream: S, body: Bytes) {
    let service = service_fn(move |_request: Request<hyper::body::Incoming>| {
        let body = body.clone();
        async move { Ok::<_, Infallible>(Response::new(Full::new(body))) }
    });
    // hyper keeps the connection open between requests (HTTP/1.1 keep-alive) by default.
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
