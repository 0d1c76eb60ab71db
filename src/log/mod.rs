//! The log: podium's append-only event store on sled. The only module that
//! knows sled; records are encoded by `crate::record`. Nothing else can write
//! a record, and nothing here knows the read model.
//!
//! Layout (see ARCHITECTURE.md):
//! - tree `log`: key = big-endian seq of a block's first event, value = a block
//!   of one or more consecutive records (`codec`). Keys are written with
//!   compare-and-swap on an absent key: no log key is ever overwritten.
//! - tree `ids`: event id (16 bytes) -> seq (8 bytes BE), for ids that do not
//!   ascend; tree `id_runs`: first id of a block of ascending ids -> its
//!   (id, seq) pairs (`index`).
//! - tree `revoked`: award id -> seq of its revocation.
//! - tree `games`: games id -> seq of its registration, its days, its unranked.
//! - default tree, key `head`: the committed head (seq, hash, recorded time).
//!   Everything beyond the head is the remains of an interrupted write: it is
//!   invisible to readers and removed when the ledger is next opened.
//!
//! The log knows nothing of the read model: an append hands each block it
//! writes to a `BlockSink` (the `ledger` layer, which keeps the model), and
//! the ledger layer decides when the head moves (`commit_head`).
//!
//! An append (one event or a whole import) writes each block, then the
//! block's index entries, and moves the head last, then flushes; sled
//! recovers a prefix of writes after a crash, so an append is all there or
//! not at all, and an index entry beyond the head always has its block.

mod append;
mod index;
mod iter;
mod reader;
mod recorder;
mod store;
mod unindexed;
mod verify;
pub use verify::not_a_link;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::error::{Error, ErrorKind, Result};
use crate::event::{GamesId, Recorded};
use crate::jsonl::Incoming;
use crate::record::{hex, Head};

pub use append::{BlockSink, Written};
pub use iter::{Blocks, LogIter, RawBlock};
pub use reader::LogReader;
pub use recorder::Recorder;
pub use store::is_held;

/// Events per block written by an import. Single appends write blocks of one.
pub const BLOCK_EVENTS_MAX: usize = 64;
/// sled's page cache. Its default (1 GB) exhausted memory in a 10 M-key load.
pub const CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// How far ahead of this machine's clock an imported `recorded` time may be:
/// clocks of machines differ a little, but a time in the future would become
/// the ledger's latest, stamp every later event with it and make "known at
/// now" miss what is already recorded.
pub const RECORDED_AHEAD_MAX_S: i64 = 300;
/// How long to wait for another process to release the ledger.
pub const BUSY_TIMEOUT_MS: u64 = 5_000;

const HEAD_KEY: &[u8] = b"head";
const LAYOUT_KEY: &[u8] = b"layout";
/// Layout 3 keeps the derived state in the read model (`model/`). Podium
/// before it would not keep that model current, so it must refuse a layout-3
/// ledger.
const LAYOUT_VERSION: &[u8] = b"podium-ledger-3";
/// Layout 2 kept derived state in a sled database of its own, `tables/`;
/// layout 1 kept derived trees (and their marker) in this database. Both are
/// upgraded when opened: the old derived state is dropped and the read model
/// built from the log.
const LAYOUT_2: &[u8] = b"podium-ledger-2";
const LAYOUT_2_TABLES_DIR: &str = "tables";
const LAYOUT_1: &[u8] = b"podium-ledger-1";
const LAYOUT_1_DERIVED_TREES: [&str; 5] =
    ["snap_all", "snap_games", "all_days", "all_months", "names"];
const LAYOUT_1_DERIVED_KEY: &[u8] = b"derived";

/// What an append did.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Appended {
    /// Events written.
    pub new: u64,
    /// Events whose id was already recorded with the same content.
    pub already: u64,
    /// The id and seq of the input's last event, new or already recorded.
    pub last: Option<(uuid::Uuid, u64)>,
}

/// Where an incoming event came from, for error messages.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    /// The file (shared by all its lines, so an import allocates no path per line) and line.
    pub file: Option<(Arc<Path>, u64)>,
}

impl Origin {
    pub fn line(path: &Path, line: u64) -> Origin {
        Origin {
            file: Some((Arc::from(path), line)),
        }
    }

    /// A line of a file whose path is already shared.
    pub fn at(path: &Arc<Path>, line: u64) -> Origin {
        Origin {
            file: Some((Arc::clone(path), line)),
        }
    }

    fn attach(&self, e: Error) -> Error {
        match &self.file {
            Some((path, line)) => e.at_line(path.as_ref(), *line),
            None => e,
        }
    }
}

/// The outcome of `verify`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub events: u64,
    pub digest: String,
}

/// Set once sled has returned an error in this process (`store::Db`).
static STORE_FAILED: AtomicBool = AtomicBool::new(false);

/// Marks sled as failed in this process: a panic on the way out, so that
/// unwinding does not flush it (`store::Db`).
pub fn note_store_failure() {
    STORE_FAILED.store(true, Ordering::SeqCst);
}

fn storage(e: sled::Error) -> Error {
    STORE_FAILED.store(true, Ordering::SeqCst);
    match e {
        sled::Error::Io(io) if crate::error::is_disk_full(&io) => Error::disk_full("the log"),
        e => Error::new(ErrorKind::Storage(e.to_string())),
    }
}

/// The open log of a ledger. Holding one holds sled's lock on the
/// directory, which makes this process the only one that may write it.
pub struct Log {
    path: PathBuf,
    db: store::Db,
    /// The log's trees and the committed head: what reads use (`Deref`).
    reader: LogReader,
    revoked: sled::Tree,
    games: sled::Tree,
    /// Days and unranked delegations of the games seen by this process (from the `games` tree).
    games_days: RefCell<FxHashMap<GamesId, append::GamesInfo>>,
    /// Whether the directory entries of the log may not be on disk yet: set
    /// when this process created the ledger, cleared by the first commit's sync.
    unsynced_dir: bool,
    /// Who records the events appended from now on.
    recorder: Recorder,
}

impl Log {
    /// Opens the log at `path`, creating an empty one if `create` is set,
    /// and removes what an interrupted append left beyond its head.
    ///
    /// # Errors
    /// `NoLedger` when it does not exist and `create` is false; `Busy` when
    /// another process holds it after `BUSY_TIMEOUT_MS`; `Storage` or `Io`
    /// when the directory cannot be used.
    pub fn open(path: &Path, create: bool) -> Result<Log> {
        let mut created = false;
        match std::fs::metadata(path) {
            Ok(m) if !m.is_dir() => {
                return Err(Error::new(ErrorKind::Storage(format!(
                    "ledger path {} is not a directory",
                    path.display()
                ))))
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !create {
                    return Err(Error::new(ErrorKind::NoLedger(path.to_path_buf())));
                }
                created = true;
            }
            Err(e) => return Err(Error::io(path, e)),
        }
        let db = store::open_sled(path)?;
        upgrade_layout(&db, path)?;
        let head = match db.get(HEAD_KEY).map_err(storage)? {
            Some(bytes) => Head::decode(&bytes)?,
            None => Head::EMPTY,
        };
        let mut log = Log {
            path: path.to_path_buf(),
            reader: LogReader {
                log: db.open_tree("log").map_err(storage)?,
                ids: db.open_tree("ids").map_err(storage)?,
                id_runs: db.open_tree("id_runs").map_err(storage)?,
                head,
            },
            revoked: db.open_tree("revoked").map_err(storage)?,
            games: db.open_tree("games").map_err(storage)?,
            db,
            games_days: RefCell::new(FxHashMap::default()),
            unsynced_dir: created,
            recorder: Recorder::default(),
        };
        log.discard_uncommitted()?;
        Ok(log)
    }

    /// The ledger directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A reader of the log as committed now, for another thread: it never
    /// sees what this log appends later.
    pub fn reader(&self) -> LogReader {
        self.reader.clone()
    }

    /// Who records the events appended from now on (`Recorder::AsGiven`
    /// until set).
    pub fn set_recorder(&mut self, recorder: Recorder) {
        self.recorder = recorder;
    }
}

/// Checks the ledger's layout marker, upgrading an older layout: the derived
/// state it kept is dropped (the read model is built from the log instead).
fn upgrade_layout(db: &sled::Db, path: &Path) -> Result<()> {
    match db.get(LAYOUT_KEY).map_err(storage)? {
        Some(v) if v.as_ref() == LAYOUT_VERSION => {}
        Some(v) if v.as_ref() == LAYOUT_1 || v.as_ref() == LAYOUT_2 => {
            for tree in LAYOUT_1_DERIVED_TREES {
                db.drop_tree(tree).map_err(storage)?;
            }
            db.remove(LAYOUT_1_DERIVED_KEY).map_err(storage)?;
            let tables = path.join(LAYOUT_2_TABLES_DIR);
            if tables.is_dir() {
                std::fs::remove_dir_all(&tables).map_err(|e| Error::io(&tables, e))?;
            }
            db.insert(LAYOUT_KEY, LAYOUT_VERSION).map_err(storage)?;
            db.flush().map_err(storage)?;
        }
        Some(v) => {
            return Err(Error::corrupt(format!(
                "unknown ledger layout {:?}",
                String::from_utf8_lossy(&v)
            )))
        }
        None => {
            if db
                .open_tree("log")
                .map_err(storage)?
                .last()
                .map_err(storage)?
                .is_some()
            {
                return Err(Error::corrupt("ledger has records but no layout marker"));
            }
            db.insert(LAYOUT_KEY, LAYOUT_VERSION).map_err(storage)?;
        }
    }
    Ok(())
}

fn seq_of(bytes: &[u8]) -> Result<u64> {
    let array: [u8; 8] = bytes
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Error::corrupt("a seq key is not 8 bytes"))?;
    Ok(u64::from_be_bytes(array))
}

/// Same fact: the same date, source and content, and the same recorded time
/// and recorder if the input gives them.
fn same_content(existing: &Recorded, incoming: &Incoming) -> bool {
    existing.event == incoming.event
        && incoming.recorded.is_none_or(|t| t == existing.recorded)
        && incoming
            .recorded_by
            .as_ref()
            .is_none_or(|by| existing.recorded_by.as_ref() == Some(by))
}
