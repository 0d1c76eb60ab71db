//! The library's one error type. Every message says what was wrong and where
//! (file:line, seq, id), so the CLI can print it as one line.

use std::fmt;
use std::path::PathBuf;

/// Where in the input or the log an error was found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Position {
    /// File and 1-based line of a JSON Lines or CSV input.
    pub file: Option<(PathBuf, u64)>,
    /// Position in the log.
    pub seq: Option<u64>,
    /// The event's id.
    pub id: Option<uuid::Uuid>,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some((path, line)) = &self.file {
            parts.push(format!("{}:{line}", path.display()));
        }
        if let Some(seq) = self.seq {
            parts.push(format!("seq {seq}"));
        }
        if let Some(id) = self.id {
            parts.push(format!("event {id}"));
        }
        f.write_str(&parts.join(", "))
    }
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A value in an event or an argument is not valid (a date, a code, a name...).
    #[error("{0}")]
    Invalid(String),
    /// A line of JSON Lines could not be read as an event.
    #[error("{0}")]
    Parse(String),
    /// The event contradicts the ledger (unknown games, revocation of a non-award...).
    #[error("{0}")]
    Refused(String),
    /// A games, delegation, athlete or other thing asked about that the ledger does not hold.
    #[error("{0}")]
    Unknown(String),
    /// The same id already names an event with other content.
    #[error("id {id} is already recorded with other content (seq {seq})")]
    Conflict { id: uuid::Uuid, seq: u64 },
    /// The log on disk does not decode or its hash chain is broken.
    #[error("log is corrupt: {0}")]
    Corrupt(String),
    /// The read model (derived state) does not decode: it is never trusted
    /// over the log, so podium rebuilds it from the log.
    #[error("read model is damaged: {0}")]
    Damaged(String),
    /// Another process holds the ledger (its log) beyond the busy timeout.
    #[error("ledger is in use by another process (waited {0} s); try again when it has finished")]
    Busy(u64),
    /// No ledger exists at the path given.
    #[error("no ledger at {0} (podium import or podium append creates one)")]
    NoLedger(PathBuf),
    /// The storage engine failed.
    #[error("storage: {0}")]
    Storage(String),
    /// A write found no room: the disk is full, a quota is reached, or a file
    /// reached the size this process may write (`is_disk_full`).
    #[error("the disk is full: no room to write {0}; free some space and run it again")]
    DiskFull(String),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A server has as much work as it takes; the request may be sent again.
    #[error("{0}")]
    Overloaded(String),
    /// The one asking has no right to it: no token, a wrong one, or one
    /// without the scope the request needs.
    #[error("{0}")]
    Forbidden(String),
    /// An error a podium server reported, as it printed it: the message
    /// without its position (which the error carries).
    #[error("{0}")]
    Served(String),
    /// A bug in podium: a thread it started panicked, or a broken assumption.
    #[error("internal error: {0}")]
    Internal(String),
}

/// An error with the position it applies to.
#[derive(Debug)]
pub struct Error {
    kind: Box<ErrorKind>,
    position: Position,
}

impl Error {
    pub fn new(kind: ErrorKind) -> Error {
        Error {
            kind: Box::new(kind),
            position: Position::default(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Invalid(message.into()))
    }

    pub fn refused(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Refused(message.into()))
    }

    pub fn unknown(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Unknown(message.into()))
    }

    pub fn damaged(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Damaged(message.into()))
    }

    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Internal(message.into()))
    }

    pub fn corrupt(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Corrupt(message.into()))
    }

    /// An I/O error on `path`; one that found no room is `DiskFull`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        let path = path.into();
        if is_disk_full(&source) {
            return Error::disk_full(path.display().to_string());
        }
        Error::new(ErrorKind::Io { path, source })
    }

    /// No room to write `what` (a file, or a store such as "the log").
    pub fn disk_full(what: impl Into<String>) -> Error {
        Error::new(ErrorKind::DiskFull(what.into()))
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub fn position(&self) -> &Position {
        &self.position
    }

    /// Attaches a file and line, unless one is already set.
    pub fn at_line(mut self, path: impl Into<PathBuf>, line: u64) -> Error {
        if self.position.file.is_none() {
            self.position.file = Some((path.into(), line));
        }
        self
    }

    /// Attaches a seq, unless one is already set.
    pub fn at_seq(mut self, seq: u64) -> Error {
        self.position.seq.get_or_insert(seq);
        self
    }

    /// Attaches an event id, unless one is already set.
    pub fn at_id(mut self, id: uuid::Uuid) -> Error {
        self.position.id.get_or_insert(id);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let position = self.position.to_string();
        if position.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{position}: {}", self.kind)
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.kind {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error::new(kind)
    }
}

/// Whether an I/O error means a write found no room: the disk is full
/// (ENOSPC), a quota is reached (EDQUOT), or the file reached the size limit
/// of the process (EFBIG, `RLIMIT_FSIZE` with SIGXFSZ ignored).
pub fn is_disk_full(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as Io;
    matches!(
        e.kind(),
        Io::StorageFull | Io::QuotaExceeded | Io::FileTooLarge
    ) || matches!(
        e.raw_os_error(),
        Some(libc::ENOSPC | libc::EDQUOT | libc::EFBIG)
    )
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
