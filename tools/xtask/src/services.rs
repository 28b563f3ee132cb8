//! The versions of the services a captured run used, asked of the servers themselves.
//!
//! A figure measured against PostgreSQL 15 may not hold on 17, so every captured file names the
//! server versions beside the machine. Each server announces its version in the first bytes of
//! its own protocol, so a few lines of std networking read it with no client library and no
//! command-line tool: PostgreSQL's `server_version` parameter after start-up, Redis' `INFO
//! server`, NATS' `INFO` greeting, RabbitMQ's `Connection.Start` properties.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

/// The service variables the book knows, the server each names, and the client crates through
/// which a listing talks to it.
pub const SERVICES: [(&str, &str, &[&str]); 4] = [
    (
        "DATABASE_URL",
        "PostgreSQL",
        &["tokio-postgres", "sqlx", "postgres"],
    ),
    ("REDIS_URL", "Redis", &["redis"]),
    ("AMQP_URL", "RabbitMQ", &["lapin"]),
    ("NATS_URL", "NATS", &["async-nats"]),
];

const TIMEOUT: Duration = Duration::from_secs(2);

/// "PostgreSQL 15.19 (DATABASE_URL), Redis 7.0.15 (REDIS_URL)" for the services the listing in
/// `crate_dir` has a client for and whose variable is set, or "none (embedded defaults)".
pub fn describe(crate_dir: &Path) -> String {
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap_or_default();
    let dependencies = dependency_names(&manifest);
    let mut described = Vec::new();
    for (variable, name, clients) in SERVICES {
        if !clients.iter().any(|c| dependencies.iter().any(|d| d == c)) {
            continue;
        }
        let Some(url) = std::env::var(variable).ok().filter(|v| !v.is_empty()) else {
            continue;
        };
        let version = version_of(variable, &url).unwrap_or_else(|| "version unknown".to_string());
        described.push(format!("{name} {version} ({variable})"));
    }
    if described.is_empty() {
        "none (embedded defaults)".to_string()
    } else {
        described.join(", ")
    }
}

/// The names in a manifest's `[dependencies]` and `[dev-dependencies]` tables.
fn dependency_names(manifest: &str) -> Vec<String> {
    let Ok(table) = manifest.parse::<toml::Table>() else {
        return Vec::new();
    };
    ["dependencies", "dev-dependencies"]
        .iter()
        .filter_map(|section| table.get(*section).and_then(toml::Value::as_table))
        .flat_map(|deps| deps.keys().cloned())
        .collect()
}

fn version_of(variable: &str, url: &str) -> Option<String> {
    let parts = UrlParts::parse(url)?;
    let default_port = match variable {
        "DATABASE_URL" => 5432,
        "REDIS_URL" => 6379,
        "AMQP_URL" => 5672,
        _ => 4222,
    };
    let address = (parts.host.as_str(), parts.port.unwrap_or(default_port))
        .to_socket_addrs()
        .ok()?
        .next()?;
    let mut stream = TcpStream::connect_timeout(&address, TIMEOUT).ok()?;
    stream.set_read_timeout(Some(TIMEOUT)).ok()?;
    stream.set_write_timeout(Some(TIMEOUT)).ok()?;
    match variable {
        "DATABASE_URL" => postgres_version(&mut stream, &parts),
        "REDIS_URL" => redis_version(&mut stream),
        "AMQP_URL" => amqp_version(&mut stream),
        _ => nats_version(&mut stream),
    }
}

/// The pieces of `scheme://user:password@host:port/path` these probes need.
#[derive(Debug, PartialEq)]
struct UrlParts {
    user: String,
    host: String,
    port: Option<u16>,
    path: String,
}

impl UrlParts {
    fn parse(url: &str) -> Option<Self> {
        let rest = url.split_once("://")?.1;
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (credentials, host_port) = match authority.rsplit_once('@') {
            Some((credentials, host_port)) => (credentials, host_port),
            None => ("", authority),
        };
        let user = credentials.split(':').next().unwrap_or("").to_string();
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || host_port.starts_with('[') => {
                (host, port.parse().ok())
            }
            _ => (host_port, None),
        };
        let path = path.split('?').next().unwrap_or("").to_string();
        Some(Self {
            user,
            host: host.trim_matches(['[', ']']).to_string(),
            port,
            path,
        })
    }
}

fn postgres_version(stream: &mut TcpStream, parts: &UrlParts) -> Option<String> {
    let user = if parts.user.is_empty() {
        "postgres"
    } else {
        &parts.user
    };
    let database = if parts.path.is_empty() {
        user
    } else {
        &parts.path
    };
    let mut body = 196_608_u32.to_be_bytes().to_vec(); // protocol 3.0
    for (key, value) in [("user", user), ("database", database)] {
        body.extend_from_slice(key.as_bytes());
        body.push(0);
        body.extend_from_slice(value.as_bytes());
        body.push(0);
    }
    body.push(0);
    let mut message = ((body.len() + 4) as u32).to_be_bytes().to_vec();
    message.extend_from_slice(&body);
    stream.write_all(&message).ok()?;
    // Messages until `server_version` arrives; any authentication but "trust" ends the probe.
    for _ in 0..64 {
        let mut head = [0_u8; 5];
        stream.read_exact(&mut head).ok()?;
        let length = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        let mut payload = vec![0_u8; length.checked_sub(4)?];
        stream.read_exact(&mut payload).ok()?;
        match head[0] {
            b'R' if payload.get(..4) != Some(&[0, 0, 0, 0]) => return None,
            b'E' => return None,
            b'S' => {
                let mut fields = payload.split(|b| *b == 0);
                if fields.next() == Some(b"server_version") {
                    let version = String::from_utf8_lossy(fields.next()?);
                    // "15.19 (Debian 15.19-0+deb12u1)" → "15.19"
                    return version.split_whitespace().next().map(str::to_string);
                }
            }
            _ => {}
        }
    }
    None
}

fn redis_version(stream: &mut TcpStream) -> Option<String> {
    stream.write_all(b"INFO server\r\n").ok()?;
    let text = read_some(stream)?;
    text.lines()
        .find_map(|l| l.strip_prefix("redis_version:"))
        .map(|v| v.trim().to_string())
}

fn nats_version(stream: &mut TcpStream) -> Option<String> {
    let text = read_some(stream)?;
    let start = text.find("\"version\":\"")? + "\"version\":\"".len();
    let end = text[start..].find('"')? + start;
    Some(text[start..end].to_string())
}

fn amqp_version(stream: &mut TcpStream) -> Option<String> {
    stream.write_all(b"AMQP\x00\x00\x09\x01").ok()?;
    let mut bytes = Vec::new();
    let mut buffer = [0_u8; 4096];
    while bytes.len() < 64 * 1024 {
        let n = stream.read(&mut buffer).ok()?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buffer[..n]);
        // In Connection.Start's server-properties: "\x07version" 'S' u32 length, then the text.
        if let Some(at) = find(&bytes, b"\x07versionS") {
            let start = at + 9;
            if bytes.len() >= start + 4 {
                let length = u32::from_be_bytes(bytes[start..start + 4].try_into().ok()?) as usize;
                if bytes.len() >= start + 4 + length {
                    return Some(
                        String::from_utf8_lossy(&bytes[start + 4..start + 4 + length]).to_string(),
                    );
                }
            }
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn read_some(stream: &mut TcpStream) -> Option<String> {
    let mut buffer = vec![0_u8; 16 * 1024];
    let n = stream.read(&mut buffer).ok()?;
    Some(String::from_utf8_lossy(&buffer[..n]).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_parts_of_service_urls() {
        assert_eq!(
            UrlParts::parse("postgres://postgres@127.0.0.1:5432/test"),
            Some(UrlParts {
                user: "postgres".into(),
                host: "127.0.0.1".into(),
                port: Some(5432),
                path: "test".into()
            })
        );
        let amqp = UrlParts::parse("amqp://guest:guest@127.0.0.1:5672/%2f").unwrap();
        assert_eq!((amqp.user.as_str(), amqp.port), ("guest", Some(5672)));
        let redis = UrlParts::parse("redis://localhost").unwrap();
        assert_eq!((redis.host.as_str(), redis.port), ("localhost", None));
    }
}
