//! A WebDriver client for the browser tests (tests/serve_page.rs):
//! chromedriver started on a free port, one headless Chromium session,
//! commands as JSON over plain HTTP (ureq), screenshots decoded from base64.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long chromedriver may take to start, and the page to show what it is asked.
pub const WAIT_MAX: Duration = Duration::from_secs(20);

/// A child process killed when dropped (the server, chromedriver).
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// chromedriver and Chromium, when the machine has both.
pub fn chromedriver() -> Option<PathBuf> {
    let both = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    both.then(|| PathBuf::from(CHROMEDRIVER))
}

/// One WebDriver session in headless Chromium.
pub struct Browser {
    _driver: Running,
    session: String,
}

impl Browser {
    pub fn start(driver: &Path, dir: &Path) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let running = Running(child);
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while agent().get(&format!("{base}/status")).call().is_err() {
            assert!(started.elapsed() < WAIT_MAX, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = dir.join("chromium-profile");
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1100,1200",
            &format!("--user-data-dir={}", profile.display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }}});
        let answer = send("POST", &format!("{base}/session"), Some(capabilities));
        let session = answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("a session: {answer}"))
            .to_owned();
        Browser {
            _driver: running,
            session: format!("{base}/session/{session}"),
        }
    }

    pub fn go(&self, url: &str) {
        send(
            "POST",
            &format!("{}/url", self.session),
            Some(json!({ "url": url })),
        );
    }

    pub fn script(&self, script: &str, args: Value) -> Value {
        let body = json!({ "script": script, "args": args });
        send(
            "POST",
            &format!("{}/execute/sync", self.session),
            Some(body),
        )
    }

    pub fn resize(&self, width: u32, height: u32) {
        let rect = json!({ "width": width, "height": height });
        send("POST", &format!("{}/window/rect", self.session), Some(rect));
    }

    /// Saves a screenshot to `path` (and where `$var` says, with `suffix`
    /// before its extension), checks it is a real PNG, returns its size.
    pub fn screenshot(&self, path: &Path, var: &str, suffix: &str) -> (u32, u32) {
        let data = send("GET", &format!("{}/screenshot", self.session), None);
        let png = base64(data.as_str().expect("base64"));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
        assert!(
            png.len() > 10_000,
            "a screenshot of something: {} bytes",
            png.len()
        );
        let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().expect("4 bytes"));
        std::fs::write(path, &png).expect("save the screenshot");
        if let Some(wanted) = std::env::var_os(var) {
            let wanted = PathBuf::from(wanted);
            let stem = wanted.file_stem().expect("a file name").to_string_lossy();
            let named = wanted.with_file_name(format!("{stem}{suffix}.png"));
            std::fs::write(&named, &png).expect("save the screenshot where asked");
        }
        (size(16), size(20))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = agent().delete(&self.session).call();
    }
}

/// A WebDriver command; its answer's `value`, which must not be an error.
fn send(method: &str, url: &str, body: Option<Value>) -> Value {
    let response = match (method, body) {
        ("GET", _) => agent().get(url).call(),
        (_, Some(body)) => agent()
            .post(url)
            .header("Content-Type", "application/json")
            .send(body.to_string()),
        (_, None) => unreachable!("every POST has a body"),
    }
    .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = response.status().as_u16();
    let text = response.into_body().read_to_string().expect("an answer");
    let answer: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON: {text}"));
    assert_eq!(status, 200, "{method} {url}: {answer}");
    answer["value"].clone()
}

/// Standard base64, as WebDriver sends screenshots.
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|c| *c != b'=').map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut n: u32 = 0;
        for (i, d) in chunk.iter().enumerate() {
            n |= u32::from(*d) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}
