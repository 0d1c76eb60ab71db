//! The command line as a client of a podium server: a question asked on the
//! command line goes to the server as its words (`POST /api/question`) and
//! the server's answer, printed by the same code as a local one, is copied
//! out as it arrives; a write goes as JSON Lines (`POST /api/events`) to the
//! server's one writer. Errors come back as the server's one line, put
//! together again with the positions of the files sent (a line of the body
//! is a line of a file). Two ways to a server: a URL (`--server`, with a
//! token for writes), or the local socket a server publishes in the ledger
//! it holds (`<ledger>/podium.sock`, mode 0600: its owner's own, so writes
//! need no token and are recorded by the name the command line gives).
//!
//! Knows nothing of the ledger's files or of the questions themselves.

mod http;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Deserialize;
use uuid::Uuid;

use crate::error::{Error, ErrorKind, Result};

pub use http::{Body, Endpoint};

/// The local socket's name in a ledger's directory (as the server names it).
pub const SOCKET_NAME: &str = "podium.sock";
/// The header a local write names its recorder in (as the server reads it).
const RECORDED_BY_HEADER: &str = "x-podium-recorded-by";

/// A server, and how to present oneself to it.
pub struct Client {
    connection: http::Connection,
    /// The bearer token, for writes (and a private server's questions).
    token: Option<String>,
    /// Who records the writes, through the local socket.
    recorder: Option<String>,
}

/// What a write did, as the server reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub new: u64,
    pub already: u64,
    /// The id and seq of the body's last event.
    pub last: Option<(Uuid, u64)>,
    /// Events in the ledger after it.
    pub events: u64,
}

/// Where each line of a body came from: the files sent, one after the other.
#[derive(Clone, Debug, Default)]
pub struct Lines {
    /// Each file and how many lines of the body it gave.
    files: Vec<(PathBuf, u64)>,
}

impl Lines {
    /// One file of `lines` lines follows the earlier ones in the body.
    pub fn add(&mut self, file: PathBuf, lines: u64) {
        self.files.push((file, lines));
    }

    /// The file and line of line `line` of the body.
    fn of(&self, mut line: u64) -> Option<(&Path, u64)> {
        for (file, lines) in &self.files {
            if line <= *lines {
                return Some((file, line));
            }
            line -= lines;
        }
        None
    }
}

/// A server's error, as `serve` sends it.
#[derive(Deserialize)]
struct Failure {
    error: String,
    message: Option<String>,
    line: Option<u64>,
    seq: Option<u64>,
    id: Option<Uuid>,
}

#[derive(Deserialize)]
struct Written {
    new: u64,
    already: u64,
    last: Option<Last>,
    head: WrittenHead,
}

#[derive(Deserialize)]
struct Last {
    id: Uuid,
    seq: u64,
}

#[derive(Deserialize)]
struct WrittenHead {
    seq: u64,
}

/// Whether a server holds a ledger, as its local socket tells.
pub enum Local {
    /// A server answers on it.
    Served(PathBuf),
    /// A server's socket that answers no one: the server was killed, or is stopping.
    Silent(PathBuf),
    /// A server of another user holds it: its socket is not ours to open.
    NotOurs(PathBuf),
    /// No socket.
    None,
}

impl Local {
    /// What the socket of the ledger at `ledger` says.
    pub fn of(ledger: &Path) -> Local {
        let path = ledger.join(SOCKET_NAME);
        match std::os::unix::net::UnixStream::connect(&path) {
            Ok(_) => Local::Served(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Local::None,
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Local::NotOurs(path),
            Err(_) => Local::Silent(path),
        }
    }
}

impl Client {
    /// A server at `url`, with `token` for what needs one; `ca_cert` (PEM)
    /// instead of the system's roots for HTTPS.
    ///
    /// # Errors
    /// A bad URL or CA file.
    pub fn remote(url: &str, ca_cert: Option<&Path>, token: Option<String>) -> Result<Client> {
        Ok(Client {
            connection: http::Connection::new(Endpoint::url(url)?, ca_cert)?,
            token,
            recorder: None,
        })
    }

    /// The server on a ledger's local socket, its writes recorded by `recorder`.
    ///
    /// # Errors
    /// When the client cannot start.
    pub fn local(socket: PathBuf, recorder: String) -> Result<Client> {
        Ok(Client {
            connection: http::Connection::new(Endpoint::Local(socket), None)?,
            token: None,
            recorder: Some(recorder),
        })
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = Vec::new();
        if let Some(token) = &self.token {
            headers.push(("authorization", format!("Bearer {token}")));
        }
        if let Some(recorder) = &self.recorder {
            headers.push((RECORDED_BY_HEADER, recorder.clone()));
        }
        headers
    }

    /// Asks the question of the command line's `words` (after `podium`) and
    /// copies the answer to `out` as it arrives.
    ///
    /// # Errors
    /// The server's error as its one line; a server that cannot be reached.
    pub fn question(&self, words: &[String], out: &mut impl Write) -> Result<()> {
        let answer = self.ask(words)?;
        answer.each_chunk(|chunk| out.write_all(chunk).map_err(|e| Error::io("stdout", e)))
    }

    /// The chart of a `history` or `race` command line with `--svg`, written
    /// to `file` as the command line writes it.
    ///
    /// # Errors
    /// As `question`; a file that cannot be written.
    pub fn chart(&self, words: &[String], file: &Path) -> Result<()> {
        let svg = self.ask(words)?.bytes()?;
        std::fs::write(file, svg).map_err(|e| Error::io(file, e))
    }

    fn ask(&self, words: &[String]) -> Result<http::Answer<'_>> {
        let body = serde_json::to_vec(words).map_err(|e| Error::internal(e.to_string()))?;
        let mut headers = self.headers();
        headers.push(("content-type", "application/json".to_owned()));
        let answer = self
            .connection
            .send("POST", "/api/question", &headers, Body::Bytes(body))?;
        if answer.status == 200 {
            return Ok(answer);
        }
        Err(self.failure(answer, &Lines::default()))
    }

    /// Sends JSON Lines to the server's writer, as one all-or-nothing
    /// import; `lines` says which file each line of the body comes from (a
    /// reader of the body may fill it in as it reads).
    ///
    /// # Errors
    /// The server's refusal, its positions in the files sent.
    pub fn write(&self, body: Body, lines: &Mutex<Lines>) -> Result<Receipt> {
        let mut headers = self.headers();
        headers.push(("content-type", "application/x-ndjson".to_owned()));
        let answer = self
            .connection
            .send("POST", "/api/events", &headers, body)?;
        if answer.status != 200 {
            let lines = lines.lock().unwrap_or_else(|p| p.into_inner()).clone();
            return Err(self.failure(answer, &lines));
        }
        let written: Written = serde_json::from_slice(&answer.bytes()?).map_err(|e| {
            Error::new(ErrorKind::Served(format!(
                "the server's receipt does not read: {e}"
            )))
        })?;
        Ok(Receipt {
            new: written.new,
            already: written.already,
            last: written.last.map(|l| (l.id, l.seq)),
            events: written.head.seq,
        })
    }

    /// A refusal as the command line prints its own: the server's message,
    /// with the position in the files sent.
    fn failure(&self, answer: http::Answer<'_>, lines: &Lines) -> Error {
        let status = answer.status;
        let body = match answer.bytes() {
            Ok(body) => body,
            Err(e) => return e,
        };
        let Ok(failure) = serde_json::from_slice::<Failure>(&body) else {
            // Not a podium server's answer (a proxy's error page, say).
            let text = String::from_utf8_lossy(&body);
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            return Error::new(ErrorKind::Served(format!(
                "{} answered {status}: {}",
                self.connection.endpoint(),
                first.chars().take(200).collect::<String>()
            )));
        };
        if status == 401 && self.token.is_none() {
            return Error::new(ErrorKind::Forbidden(format!(
                "{} needs a token for this: give --token-file FILE or set $PODIUM_TOKEN ({})",
                self.connection.endpoint(),
                failure.error
            )));
        }
        let Some(message) = failure.message else {
            return Error::new(ErrorKind::Served(failure.error));
        };
        let mut e = Error::new(ErrorKind::Served(message));
        if let Some((file, line)) = failure.line.and_then(|l| lines.of(l)) {
            e = e.at_line(file, line);
        }
        if let Some(seq) = failure.seq {
            e = e.at_seq(seq);
        }
        if let Some(id) = failure.id {
            e = e.at_id(id);
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_of_the_body_is_a_line_of_a_file() {
        let mut lines = Lines::default();
        lines.add("a.jsonl".into(), 3);
        lines.add("b.jsonl".into(), 2);
        assert_eq!(lines.of(1), Some((Path::new("a.jsonl"), 1)));
        assert_eq!(lines.of(3), Some((Path::new("a.jsonl"), 3)));
        assert_eq!(lines.of(4), Some((Path::new("b.jsonl"), 1)));
        assert_eq!(lines.of(6), None);
    }
}
