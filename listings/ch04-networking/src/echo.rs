//! TCP and UDP echo on loopback: the same round trip over a connection and over datagrams.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::task::JoinHandle;

use crate::{Error, Phase};

/// A TCP echo server and a UDP echo server on `127.0.0.1`, running until dropped.
pub struct EchoServers {
    tcp: SocketAddr,
    udp: SocketAddr,
    tasks: Vec<JoinHandle<()>>,
}

/// The round trips of one TCP echo run, and what opening its connection cost.
#[derive(Clone, Debug)]
pub struct TcpEcho {
    /// The handshake, paid once before the first byte can be sent.
    pub connect: Duration,
    pub round_trips: Vec<Duration>,
}

fn io(phase: Phase) -> impl Fn(std::io::Error) -> Error {
    move |source| Error::Io { phase, source }
}

impl EchoServers {
    /// Start both servers on ports the OS picks.
    pub async fn start() -> Result<Self, Error> {
        let tcp = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(io(Phase::Connect))?;
        let udp = UdpSocket::bind("127.0.0.1:0")
            .await
            .map_err(io(Phase::Connect))?;
        let (tcp_addr, udp_addr) = (
            tcp.local_addr().map_err(io(Phase::Connect))?,
            udp.local_addr().map_err(io(Phase::Connect))?,
        );
        let tcp_task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = tcp.accept().await {
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move {
                    let (mut reader, mut writer) = stream.split();
                    let _ = tokio::io::copy(&mut reader, &mut writer).await;
                });
            }
        });
        let udp_task = tokio::spawn(async move {
            let mut buf = vec![0u8; 65_536];
            while let Ok((n, from)) = udp.recv_from(&mut buf).await {
                let _ = udp.send_to(&buf[..n], from).await;
            }
        });
        Ok(Self {
            tcp: tcp_addr,
            udp: udp_addr,
            tasks: vec![tcp_task, udp_task],
        })
    }

    // ANCHOR: tcp_echo
    /// Connect once, then send `payload` bytes and wait for them to come back, `count` times.
    pub async fn tcp_round_trips(&self, count: u32, payload: usize) -> Result<TcpEcho, Error> {
        let started = Instant::now();
        let mut stream = TcpStream::connect(self.tcp)
            .await
            .map_err(io(Phase::Connect))?;
        stream.set_nodelay(true).map_err(io(Phase::Connect))?;
        let connect = started.elapsed();
        let (message, mut echo) = (vec![7u8; payload], vec![0u8; payload]);
        let mut round_trips = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let sent = Instant::now();
            stream
                .write_all(&message)
                .await
                .map_err(io(Phase::FirstByte))?;
            // TCP is a byte stream: the echo may arrive in pieces, so read until we have it all.
            stream
                .read_exact(&mut echo)
                .await
                .map_err(io(Phase::Transfer))?;
            round_trips.push(sent.elapsed());
        }
        Ok(TcpEcho {
            connect,
            round_trips,
        })
    }
    // ANCHOR_END: tcp_echo

    // ANCHOR: udp_echo
    /// Send `count` datagrams of `payload` bytes (at least 4), one at a time, each numbered, and
    /// wait up to `wait` for each echo. No handshake: the first datagram leaves at once.
    pub async fn udp_round_trips(
        &self,
        count: u32,
        payload: usize,
        wait: Duration,
    ) -> Result<Vec<Duration>, Error> {
        let socket = UdpSocket::bind("127.0.0.1:0")
            .await
            .map_err(io(Phase::Connect))?;
        socket.connect(self.udp).await.map_err(io(Phase::Connect))?;
        let mut message = vec![7u8; payload.max(4)];
        let mut echo = vec![0u8; message.len()];
        let mut round_trips = Vec::with_capacity(count as usize);
        for seq in 0..count {
            message[..4].copy_from_slice(&seq.to_be_bytes());
            let sent = Instant::now();
            socket.send(&message).await.map_err(io(Phase::FirstByte))?;
            // A datagram arrives whole or not at all; a late echo of an earlier one is skipped.
            let deadline = sent + wait;
            loop {
                let received = tokio::time::timeout_at(deadline.into(), socket.recv(&mut echo))
                    .await
                    .map_err(|_| Error::DatagramLost { seq, limit: wait })?
                    .map_err(io(Phase::Transfer))?;
                if received >= 4 && echo[..4] == seq.to_be_bytes() {
                    break;
                }
            }
            round_trips.push(sent.elapsed());
        }
        Ok(round_trips)
    }
    // ANCHOR_END: udp_echo
}

impl Drop for EchoServers {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
