//! A `podium serve` process on a test ledger, and an HTTP client for it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Ledger, BIN};

/// The server's write token in these tests.
pub const TOKEN: &str = "test-token-3f9a-2c71";

/// A running `podium serve`; killed when dropped (`stop` ends it cleanly).
pub struct Server {
    child: Option<Child>,
    pub base: String,
    /// Request log lines, read from its stderr.
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// An HTTP client that returns error statuses as answers.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

/// An answer: status, headers we look at, body.
pub struct Answer {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// The head seq the answer says it reflects.
    pub fn seq(&self) -> u64 {
        self.header("x-podium-seq").parse().expect("x-podium-seq")
    }
}

fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = response.expect("the server answers");
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .expect("a body"),
    }
}

impl Server {
    /// Serves `ledger` on a free loopback port, with the test token or read-only.
    pub fn start(ledger: &Ledger, token: bool) -> Server {
        Server::start_limited(ledger, token, None)
    }

    /// The same, and once it serves, no file of the server allowed to grow
    /// past `file_bytes`: the disk fills while it runs (opening a ledger
    /// writes, so a server cannot start on a full disk).
    pub fn start_limited(ledger: &Ledger, token: bool, file_bytes: Option<u64>) -> Server {
        let mut cmd = Server::command(ledger, &[]);
        let Some(bytes) = file_bytes else {
            return Server::spawn(cmd, token);
        };
        super::limit_file_size(&mut cmd, libc::RLIM_INFINITY);
        let server = Server::spawn(cmd, token);
        let limit = libc::rlimit {
            rlim_cur: bytes,
            rlim_max: bytes,
        };
        // SAFETY: prlimit(2) on our own child, with a limit that lives across the call.
        let set = unsafe {
            libc::prlimit(
                server.pid() as libc::pid_t,
                libc::RLIMIT_FSIZE,
                &limit,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(set, 0, "prlimit: {}", std::io::Error::last_os_error());
        server
    }

    /// Serves `ledger` with these flags of `podium serve` added.
    pub fn start_with(ledger: &Ledger, token: bool, args: &[&str]) -> Server {
        Server::spawn(Server::command(ledger, args), token)
    }

    /// `podium serve` on `ledger` on a free loopback port, with `args`.
    pub fn command(ledger: &Ledger, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.arg("--ledger")
            .arg(&ledger.path)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("PODIUM_LEDGER", ledger.default_ledger())
            .env_remove("PODIUM_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        cmd
    }

    /// Starts `cmd` (from `command`), with the test token or read-only, and
    /// waits until it says where it listens. `base` is `http://ADDR` even
    /// when it speaks HTTPS.
    pub fn spawn(mut cmd: Command, token: bool) -> Server {
        if token {
            cmd.env("PODIUM_TOKEN", TOKEN);
        }
        let mut child = cmd.spawn().expect("podium serve starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let lines = std::sync::Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let at = line
                    .split(" at http")
                    .nth(1)
                    .and_then(|a| a.split("://").nth(1));
                let addr = at.map(|a| format!("http://{}", a.split('/').next().unwrap_or("")));
                // The line is in the log before anyone is told the address.
                lines.lock().unwrap().push(line);
                if let Some(addr) = addr {
                    let _ = tx.send(addr);
                }
            }
        });
        let base = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("podium serve says where it listens");
        Server {
            child: Some(child),
            base,
            log,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// The address it listens on, `HOST:PORT`.
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn get(&self, path: &str) -> Answer {
        answer(agent().get(&self.url(path)).call())
    }

    pub fn get_with(&self, path: &str, header: (&str, &str)) -> Answer {
        answer(
            agent()
                .get(&self.url(path))
                .header(header.0, header.1)
                .call(),
        )
    }

    /// POST `body` to `path` as `content_type`, without a token.
    pub fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Answer {
        answer(
            agent()
                .post(&self.url(path))
                .header("Content-Type", content_type)
                .send(body),
        )
    }

    /// POST /api/events with the test token.
    pub fn import(&self, body: &str) -> Answer {
        answer(
            agent()
                .post(&self.url("/api/events"))
                .header("Authorization", &format!("Bearer {TOKEN}"))
                .send(body),
        )
    }

    /// POST /api/events with these headers only.
    pub fn import_as(&self, body: &str, authorization: Option<&str>) -> Answer {
        let mut request = agent().post(&self.url("/api/events"));
        if let Some(a) = authorization {
            request = request.header("Authorization", a);
        }
        answer(request.send(body))
    }

    /// The request log so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// SIGTERM, then waits (bounded) for a clean exit; returns its status code.
    pub fn stop(self) -> Option<i32> {
        self.stop_timed().0
    }

    /// SIGTERM, then waits (bounded) for the exit; its status code, and how
    /// long it took from the signal.
    pub fn stop_timed(mut self) -> (Option<i32>, Duration) {
        let mut child = self.child.take().expect("running");
        // SAFETY: kill(2) on our own child's pid.
        unsafe {
            libc::kill(child.id() as i32, libc::SIGTERM);
        }
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait().expect("wait") {
                return (status.code(), started.elapsed());
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "podium serve did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
