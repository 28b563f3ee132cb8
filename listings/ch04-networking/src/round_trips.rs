//! Counting round trips on a real stream, so that "TLS 1.3 costs one round trip" is observed, not
//! asserted.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

// ANCHOR: counting_stream
/// Wraps a byte stream and counts **round trips**: each time the client has sent something and
/// then receives bytes, it has waited for the other side once.
///
/// On loopback a round trip takes microseconds, so timings hide the protocol's shape. The count
/// does not: it is the number of times this connection would pay the network's RTT, and multiplied
/// by a real RTT it predicts the cost on a real network. Consecutive reads (a server's flight of
/// several TLS records) or consecutive writes count once.
pub struct CountingStream<S> {
    inner: S,
    counter: RoundTrips,
}

/// A shared handle on a [`CountingStream`]'s count, readable while hyper owns the stream.
#[derive(Clone, Debug, Default)]
pub struct RoundTrips {
    trips: Arc<AtomicU32>,
    wrote_since_last_read: Arc<AtomicBool>,
}

impl RoundTrips {
    /// Round trips completed so far on this connection.
    pub fn get(&self) -> u32 {
        self.trips.load(Ordering::Relaxed)
    }

    // ANCHOR_END: counting_stream
    // ANCHOR: count_rule
    /// Forget the bytes written since the last read: the client will not wait for an answer to
    /// them. TLS 1.3's client `Finished` is such a flight: the client sends it and its request
    /// back to back, and waits once, for the response (the server's session tickets arrive on
    /// the way and are not a round trip of their own).
    pub fn forget_unanswered_write(&self) {
        self.wrote_since_last_read.store(false, Ordering::Relaxed);
    }

    fn on_write(&self) {
        self.wrote_since_last_read.store(true, Ordering::Relaxed);
    }

    fn on_read(&self) {
        if self.wrote_since_last_read.swap(false, Ordering::Relaxed) {
            self.trips.fetch_add(1, Ordering::Relaxed);
        }
    }
    // ANCHOR_END: count_rule
}

impl<S> CountingStream<S> {
    /// Wrap `inner`; the returned [`RoundTrips`] reads the count.
    pub fn new(inner: S) -> (Self, RoundTrips) {
        let counter = RoundTrips::default();
        let stream = Self {
            inner,
            counter: counter.clone(),
        };
        (stream, counter)
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for CountingStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.counter.on_read();
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for CountingStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.counter.on_write();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.counter.on_write();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
