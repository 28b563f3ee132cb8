//! A minimal WebDriver client for chromedriver: sessions, navigation, scripts, keys, and
//! Chromium's performance log (where every network request the page made is recorded).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

/// The largest WebDriver reply read, for the base64 of a printed book.
const MAX_REPLY_BYTES: u64 = 1 << 30;

/// The WebDriver key of an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running chromedriver, stopped when dropped.
pub struct ChromeDriver {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

impl ChromeDriver {
    /// Starts chromedriver on a free loopback port and waits until it is ready.
    pub fn start(binary: &Path) -> Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let driver = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(status) = driver.call("GET", "/status", None)
                && status["ready"] == Value::Bool(true)
            {
                return Ok(driver);
            }
            sleep(Duration::from_millis(100));
        }
        bail!("chromedriver did not become ready within 20 s")
    }

    /// A new headless Chromium session that records its network requests.
    pub fn new_session(&self, chromium: &Path) -> Result<Session<'_>> {
        let profile = std::env::temp_dir().join(format!("sdm-browser-test-{}", std::process::id()));
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:loggingPrefs": { "performance": "ALL" },
                "goog:chromeOptions": {
                    "binary": chromium.to_string_lossy(),
                    "args": [
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--window-size=1280,900",
                        format!("--user-data-dir={}", profile.display()),
                    ]
                }
            }}
        });
        let value = self.call("POST", "/session", Some(capabilities))?;
        let id = value["sessionId"]
            .as_str()
            .context("chromedriver returned no session id")?;
        Ok(Session {
            driver: self,
            id: id.to_string(),
        })
    }

    /// One WebDriver command; returns its `value`, or fails with the driver's error message.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call()?,
            ("DELETE", _) => self.agent.delete(&url).call()?,
            (_, body) => self
                .agent
                .post(&url)
                .send_json(body.unwrap_or_else(|| json!({})))?,
        };
        Self::value(method, path, response)
    }

    /// A POST command allowed to take up to `timeout` instead of the agent's two minutes.
    fn post_slow(&self, path: &str, body: Value, timeout: Duration) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let response = self
            .agent
            .post(&url)
            .config()
            .timeout_global(Some(timeout))
            .build()
            .send_json(body)?;
        Self::value("POST", path, response)
    }

    /// The `value` of a WebDriver reply, or the driver's error as ours.
    fn value(
        method: &str,
        path: &str,
        mut response: ureq::http::Response<ureq::Body>,
    ) -> Result<Value> {
        let status = response.status();
        // ureq stops reading at 10 MB by default; a printed book is larger (18 MB of PDF, as
        // base64, at 1,200 pages).
        let reply: Value = response
            .body_mut()
            .with_config()
            .limit(MAX_REPLY_BYTES)
            .read_json()
            .context("chromedriver sent invalid JSON")?;
        let value = reply.get("value").cloned().unwrap_or(Value::Null);
        if status.is_success() {
            Ok(value)
        } else {
            bail!(
                "WebDriver {method} {path}: {} {}",
                value["error"],
                value["message"]
            )
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session, closed when dropped.
pub struct Session<'a> {
    driver: &'a ChromeDriver,
    id: String,
}

/// A reference to an element of the page.
pub struct Element(String);

impl Session<'_> {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        self.driver
            .call(method, &format!("/session/{}{path}", self.id), body)
    }

    /// Navigates and waits for the page to load.
    pub fn goto(&self, url: &str) -> Result<()> {
        self.call("POST", "/url", Some(json!({ "url": url })))
            .map(drop)
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns what it returns.
    pub fn execute(&self, script: &str, args: &[Value]) -> Result<Value> {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// The first element matching a CSS selector.
    pub fn find(&self, css: &str) -> Result<Element> {
        let value = self
            .call(
                "POST",
                "/element",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .with_context(|| format!("finding {css}"))?;
        let id = value[ELEMENT_KEY]
            .as_str()
            .with_context(|| format!("no element for {css}"))?;
        Ok(Element(id.to_string()))
    }

    /// Types `text` into an element as a user would, key by key.
    pub fn send_keys(&self, element: &Element, text: &str) -> Result<()> {
        self.call(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": text })),
        )
        .map(drop)
    }

    /// The current page as a PDF, printed by Chromium itself: A4, backgrounds on (code blocks and
    /// tables keep their shading), page numbers in the footer.
    ///
    /// This sends DevTools' `Page.printToPDF` through chromedriver (`goog/cdp/execute`) rather than
    /// WebDriver's standard "Print Page" (`/print`): on the whole book (400 pages here) chromedriver
    /// 156's `/print` failed with "Timed out receiving message from renderer: 10.000" on one run
    /// in two, and on every run at 1,200 pages, where `Page.printToPDF` printed them in 36 s.
    pub fn print_pdf(&self) -> Result<Vec<u8>> {
        const INCH_A4_WIDTH: f64 = 8.27;
        const INCH_A4_HEIGHT: f64 = 11.69;
        const INCH_MARGIN: f64 = 0.6;
        let footer = "<div style=\"font-size: 8px; width: 100%; text-align: center;\">\
                      <span class=\"pageNumber\"></span> / <span class=\"totalPages\"></span></div>";
        let command = json!({
            "cmd": "Page.printToPDF",
            "params": {
                "printBackground": true,
                "paperWidth": INCH_A4_WIDTH,
                "paperHeight": INCH_A4_HEIGHT,
                "marginTop": INCH_MARGIN,
                "marginBottom": INCH_MARGIN,
                "marginLeft": INCH_MARGIN,
                "marginRight": INCH_MARGIN,
                "displayHeaderFooter": true,
                "headerTemplate": "<span></span>",
                "footerTemplate": footer,
            }
        });
        let path = format!("/session/{}/goog/cdp/execute", self.id);
        let value = self
            .driver
            .post_slow(&path, command, Duration::from_secs(600))?;
        let encoded = value["data"]
            .as_str()
            .context("Page.printToPDF returned no data")?;
        base64_decode(encoded).context("Page.printToPDF returned invalid base64")
    }

    /// Every URL the browser requested since the last call (from the performance log).
    pub fn requested_urls(&self) -> Result<Vec<String>> {
        let entries = self.call("POST", "/se/log", Some(json!({ "type": "performance" })))?;
        let mut urls = Vec::new();
        for entry in entries.as_array().into_iter().flatten() {
            let Some(message) = entry["message"].as_str() else {
                continue;
            };
            let Ok(message) = serde_json::from_str::<Value>(message) else {
                continue;
            };
            let message = &message["message"];
            if message["method"] == "Network.requestWillBeSent"
                && let Some(url) = message["params"]["request"]["url"].as_str()
            {
                urls.push(url.to_string());
            }
        }
        Ok(urls)
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self.call("DELETE", "", None);
    }
}

/// Decodes standard base64 (RFC 4648, with `=` padding), the encoding of WebDriver's printed PDF.
/// Written here because no base64 crate is among the workspace's dependencies, and twenty lines
/// do not justify one.
fn base64_decode(text: &str) -> Result<Vec<u8>> {
    fn value(byte: u8) -> Option<u32> {
        let v = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        Some(u32::from(v))
    }
    let symbols: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let data = symbols
        .strip_suffix(b"==")
        .or_else(|| symbols.strip_suffix(b"="))
        .unwrap_or(&symbols);
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    for chunk in data.chunks(4) {
        let mut bits = 0u32;
        for (i, &byte) in chunk.iter().enumerate() {
            let Some(v) = value(byte) else {
                bail!("`{}` is not a base64 character", byte.escape_ascii());
            };
            bits |= v << (18 - 6 * i);
        }
        let bytes = bits.to_be_bytes();
        match chunk.len() {
            4 => out.extend_from_slice(&bytes[1..4]),
            3 => out.extend_from_slice(&bytes[1..3]),
            2 => out.push(bytes[1]),
            _ => bail!("base64 text has a dangling character"),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::base64_decode;

    #[test]
    fn decodes_base64_with_and_without_padding() {
        assert_eq!(base64_decode("").unwrap(), b"");
        assert_eq!(base64_decode("Zg==").unwrap(), b"f");
        assert_eq!(base64_decode("Zm8=").unwrap(), b"fo");
        assert_eq!(base64_decode("Zm9v").unwrap(), b"foo");
        assert_eq!(base64_decode("JVBERi0x\nLjQK").unwrap(), b"%PDF-1.4\n");
        assert_eq!(base64_decode("+/+/").unwrap(), [0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn rejects_what_is_not_base64() {
        assert!(base64_decode("Zm9v!").is_err());
        assert!(base64_decode("Z").is_err());
    }
}
