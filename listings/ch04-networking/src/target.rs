//! What a URL tells the client: scheme, host, port and path.

use http::Uri;

use crate::Error;

/// A parsed `http://` or `https://` URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// `true` for `https://`.
    pub tls: bool,
    /// A DNS name (`localhost`) or an IP literal (`127.0.0.1`, `[::1]`).
    pub host: String,
    pub port: u16,
    /// Path and query, `/` when the URL has none.
    pub path: String,
}

impl Target {
    /// Parse `url`. Only `http` and `https` are accepted; the port defaults to 80 or 443.
    pub fn parse(url: &str) -> Result<Self, Error> {
        let invalid = |reason| Error::InvalidUrl {
            url: url.to_string(),
            reason,
        };
        let uri: Uri = url.parse().map_err(|_| invalid("not a URL"))?;
        let tls = match uri.scheme_str() {
            Some("http") => false,
            Some("https") => true,
            Some(_) => return Err(invalid("scheme must be http or https")),
            None => return Err(invalid("missing scheme, e.g. http://localhost:8080/")),
        };
        let host = uri.host().ok_or_else(|| invalid("missing host"))?;
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
        let path = uri
            .path_and_query()
            .map_or("/".to_string(), |p| p.as_str().to_string());
        Ok(Self {
            tls,
            host,
            port,
            path,
        })
    }

    /// The `Host` header value.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}
