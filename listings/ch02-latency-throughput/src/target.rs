//! What a load generator sends requests to.
//!
//! The generators are generic over [`Target`], so the same code drives the real HTTP server
//! ([`HttpTarget`]) in the demo and the in-process queueing model
//! ([`crate::server::QueueingServer`]) in the tests, where tokio's paused clock makes every
//! latency exact and every run identical.

use std::future::Future;

use http_body_util::Empty;
use hyper::body::Bytes;
use hyper::{Request, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::Error;

/// One kind of request a generator can send, again and again, from many tasks at once.
pub trait Target: Clone + Send + Sync + 'static {
    /// Send one request and wait for its complete response.
    fn call(&self) -> impl Future<Output = Result<(), Error>> + Send;
}

/// `GET uri` over HTTP/1.1, with a keep-alive connection pool.
///
/// A closed-loop generator with N workers keeps N connections busy; an open-loop one opens as
/// many as it has requests in flight, which during a stall can be hundreds.
#[derive(Clone)]
pub struct HttpTarget {
    client: Client<HttpConnector, Empty<Bytes>>,
    uri: Uri,
}

impl HttpTarget {
    /// A target for `uri`, such as `http://127.0.0.1:3000/`.
    pub fn new(uri: &str) -> Result<Self, Error> {
        let uri: Uri = uri
            .parse()
            .map_err(|e| Error::Config(format!("bad target URI {uri:?}: {e}")))?;
        let client = Client::builder(TokioExecutor::new()).build_http();
        Ok(Self { client, uri })
    }
}

impl Target for HttpTarget {
    async fn call(&self) -> Result<(), Error> {
        let request = Request::get(self.uri.clone())
            .body(Empty::new())
            .map_err(|e| Error::Request(e.to_string()))?;
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| Error::Request(e.to_string()))?;
        let status = response.status();
        // Read the whole body: the request is not done until the last byte has arrived.
        http_body_util::BodyExt::collect(response.into_body())
            .await
            .map_err(|e| Error::Request(e.to_string()))?;
        if status == StatusCode::OK {
            Ok(())
        } else {
            Err(Error::Status(status.as_u16()))
        }
    }
}
