//! The five phases of one HTTP request, and the timings we record for each.

use std::fmt;
use std::time::Duration;

// ANCHOR: phase
/// One step on the way from "I have a URL" to "I have the whole response".
///
/// The order is the order on the wire: nothing of a later phase can start before the earlier one
/// has finished, which is why a slow phase delays everything after it, and why an error can always
/// be blamed on exactly one phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    /// Turning the host name into IP addresses (RFC 1035), here through the system resolver.
    Dns,
    /// TCP's three-way handshake (RFC 9293): one round trip before the client may send data.
    Connect,
    /// The TLS handshake (RFC 8446 for 1.3): keys agreed, the server's certificate checked.
    Tls,
    /// From sending the request until the response head has arrived: the server's think time
    /// plus one round trip.
    FirstByte,
    /// Reading the response body, whose length and the path's bandwidth decide the time.
    Transfer,
}

impl Phase {
    /// All phases, in wire order.
    pub const ALL: [Phase; 5] = [
        Phase::Dns,
        Phase::Connect,
        Phase::Tls,
        Phase::FirstByte,
        Phase::Transfer,
    ];
}
// ANCHOR_END: phase

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Dns => "dns",
            Phase::Connect => "connect",
            Phase::Tls => "tls",
            Phase::FirstByte => "first-byte",
            Phase::Transfer => "transfer",
        })
    }
}

// ANCHOR: timings
/// How long each phase of one request took.
///
/// `dns`, `connect` and `tls` are `None` when the phase did not happen: no DNS for an IP literal,
/// no TLS for `http://`, and none of the three on a reused (keep-alive) connection. Each phase is
/// the difference between two readings of one monotonic clock taken back to back, so the phases
/// telescope: their sum is exactly `total`, with no gap and no overlap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timings {
    pub dns: Option<Duration>,
    pub connect: Option<Duration>,
    pub tls: Option<Duration>,
    pub first_byte: Duration,
    pub transfer: Duration,
    /// Measured on its own, from the first clock reading to the last.
    pub total: Duration,
}

impl Timings {
    /// The duration of `phase`, or `None` if it did not happen.
    pub fn get(&self, phase: Phase) -> Option<Duration> {
        match phase {
            Phase::Dns => self.dns,
            Phase::Connect => self.connect,
            Phase::Tls => self.tls,
            Phase::FirstByte => Some(self.first_byte),
            Phase::Transfer => Some(self.transfer),
        }
    }

    /// The sum of the phases that happened; equals `total` when the clock was read correctly.
    pub fn sum_of_phases(&self) -> Duration {
        Phase::ALL.iter().filter_map(|&p| self.get(p)).sum()
    }

    // ANCHOR_END: timings
    // ANCHOR: curl_style
    /// The same figures the way `curl -w` reports them: each one cumulative from the start
    /// (`time_namelookup`, `time_connect`, `time_appconnect`, `time_starttransfer`, `time_total`).
    pub fn curl_style(&self) -> [(&'static str, Duration); 5] {
        let namelookup = self.dns.unwrap_or_default();
        let connect = namelookup + self.connect.unwrap_or_default();
        let appconnect = connect + self.tls.unwrap_or_default();
        let starttransfer = appconnect + self.first_byte;
        [
            ("time_namelookup", namelookup),
            ("time_connect", connect),
            ("time_appconnect", appconnect),
            ("time_starttransfer", starttransfer),
            ("time_total", starttransfer + self.transfer),
        ]
    }
    // ANCHOR_END: curl_style
}
