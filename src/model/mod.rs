//! The read model: derived state that answers any table question at any
//! as-of date and any known-at time, in an LMDB environment of its own (the
//! ledger directory's `model/`). The only module that knows LMDB (through
//! the `heed` crate).
//!
//! Why LMDB: a query process must not wait for a writer, and must open its
//! store in microseconds. sled admits one process at a time and takes about
//! 8.5 ms to open even a small database (BENCHMARKS.md); LMDB's readers work
//! on a snapshot of the last committed transaction (MVCC), never take a
//! lock that a writer holds, and open by mapping the file.
//!
//! What it holds (see `codec` for the bytes and ARCHITECTURE.md for why):
//! - `games`: games id -> its index, the seq of its registration, and the
//!   registration's record; `games_index`: index -> games id.
//! - `medals`: (games index, seq) -> that games' medal events of one block
//!   of the log, compact (day, code, medal, the award a revocation revokes).
//! - `records`: (games index, seq) -> the same events' records, as the log
//!   holds them, for the questions that need athletes, events and sources.
//! - `summary`: seq -> each block's events, compact, in log order: when each
//!   was recorded, and what it changed in the medal tables.
//! - `facts`: seq -> the records of every other kind (people, memberships,
//!   meetings, claims); `successions`: seq -> the records of
//!   `delegation_succeeded`, which every all-time table consults.
//! - `tallies`: (games index, code, sport's label, seq) -> a tally's day and
//!   counts, so that a tally finds the one it supersedes.
//! - `entries`: (games index, code, seq) -> the records of a delegation's
//!   entries at a games (`athletes_entered`, `entrants_published`).
//! - `names`: code -> the first name a registration gave it, with its seq.
//! - `months`, `days`, `epochs`: the all-time table in epochs of the log
//!   (`epochs`).
//! - `name_blooms`, `revocations`: the name index (`names`): which chunks of
//!   `records` may hold an athlete's name, and each award's revocation.
//! - `meta`: `layout`; `head`, the log head the model reflects; `intent`,
//!   present while a writer may have moved the log past `head`.
//!
//! Invariants: every value is tagged with the seq of the event it comes
//! from, and readers ignore everything beyond `head`, so a writer may write
//! ahead of the log's commit in as many transactions as it likes: readers see
//! each append entirely or not at all. `head` is never beyond the log's head
//! (it moves after the log's commit), and is always a prefix of the log. The
//! model is never trusted over the log: missing, damaged or behind, it is
//! brought up to date from the log by the only process that may write it, the
//! one holding the log (`log::Ledger`).

mod codec;
mod epochs;
mod in_order;
mod map_check;
mod names;
mod read;
mod series;
mod write;

use std::borrow::Cow;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use heed::types::Bytes;
use heed::{Database, Env, EnvFlags, EnvOpenOptions, RoTxn, RwTxn};

use crate::error::{Error, ErrorKind, Result};
use crate::record::Head;

pub use codec::{day_number, GamesMedal, Snapshot, Tally};
pub use read::{Awarded, GamesEntry, Series, View};
pub use write::{Award, Counted, Fact, Fed, Writer};

/// The model's directory inside a ledger directory.
pub const DIR: &str = "model";
/// The layout of the model; another one is rebuilt.
/// Layout 4 added a checksum to every value (`Checked`); layout 5 the name
/// index (`names`); layout 6 tallies (medals of a chunk flagged as a tally's,
/// `tallies`, the summaries' tally and entries kinds) and `entries`.
const LAYOUT: &[u8] = b"podium-model-6";
/// Address space reserved for the map. Only what is written takes disk or
/// memory; a 10 M-event ledger's model is under 2 GB.
const MAP_BYTES: usize = 1 << 40;
/// Reader slots: processes and threads reading at once.
const READERS_MAX: u32 = 1_024;

const LAYOUT_KEY: &[u8] = b"layout";
const HEAD_KEY: &[u8] = b"head";
const INTENT_KEY: &[u8] = b"intent";

type Db = Database<Bytes, Checked>;

/// A value stored with the CRC-32 of its bytes after it. LMDB keeps no
/// checksums of its own, and a value damaged on disk must never become an
/// answer: one that does not match fails to decode, which `storage` reports
/// as `Damaged`, and the model is rebuilt from the log.
pub(crate) enum Checked {}

/// Bytes of the checksum after each value.
const CHECKSUM_BYTES: usize = 4;

impl<'a> heed::BytesEncode<'a> for Checked {
    type EItem = [u8];

    fn bytes_encode(value: &'a [u8]) -> Result<Cow<'a, [u8]>, heed::BoxedError> {
        let mut bytes = Vec::with_capacity(value.len() + CHECKSUM_BYTES);
        bytes.extend_from_slice(value);
        bytes.extend_from_slice(&crc32fast::hash(value).to_le_bytes());
        Ok(Cow::Owned(bytes))
    }
}

impl<'a> heed::BytesDecode<'a> for Checked {
    type DItem = &'a [u8];

    fn bytes_decode(bytes: &'a [u8]) -> Result<&'a [u8], heed::BoxedError> {
        let end = bytes
            .len()
            .checked_sub(CHECKSUM_BYTES)
            .ok_or("a value is shorter than its checksum")?;
        let (value, sum) = bytes.split_at(end);
        if crc32fast::hash(value).to_le_bytes() != sum {
            return Err("a value does not match its checksum".into());
        }
        Ok(value)
    }
}

/// The model's databases.
#[derive(Clone, Copy)]
struct Dbs {
    meta: Db,
    games: Db,
    games_index: Db,
    medals: Db,
    records: Db,
    summary: Db,
    facts: Db,
    successions: Db,
    names: Db,
    months: Db,
    days: Db,
    epochs: Db,
    name_blooms: Db,
    revocations: Db,
    tallies: Db,
    entries: Db,
}

const DB_NAMES: [&str; 16] = [
    "meta",
    "games",
    "games_index",
    "medals",
    "records",
    "summary",
    "facts",
    "successions",
    "names",
    "months",
    "days",
    "epochs",
    "name_blooms",
    "revocations",
    "tallies",
    "entries",
];

impl Dbs {
    fn from(list: Vec<Db>) -> Dbs {
        Dbs {
            meta: list[0],
            games: list[1],
            games_index: list[2],
            medals: list[3],
            records: list[4],
            summary: list[5],
            facts: list[6],
            successions: list[7],
            names: list[8],
            months: list[9],
            days: list[10],
            epochs: list[11],
            name_blooms: list[12],
            revocations: list[13],
            tallies: list[14],
            entries: list[15],
        }
    }

    fn all(&self) -> [Db; 16] {
        [
            self.meta,
            self.games,
            self.games_index,
            self.medals,
            self.records,
            self.summary,
            self.facts,
            self.successions,
            self.names,
            self.months,
            self.days,
            self.epochs,
            self.name_blooms,
            self.revocations,
            self.tallies,
            self.entries,
        ]
    }
}

struct Inner {
    env: Env,
    dbs: Dbs,
}

/// An open read model. Cloning shares it; LMDB allows one environment per
/// file and process, so every `Model` of one directory in a process is the
/// same one.
#[derive(Clone)]
pub struct Model {
    inner: Arc<Inner>,
}

/// The models open in this process, by directory.
static OPEN: Mutex<Vec<(PathBuf, Weak<Inner>)>> = Mutex::new(Vec::new());

pub(crate) fn storage(e: heed::Error) -> Error {
    match e {
        heed::Error::Mdb(
            heed::MdbError::Corrupted
            | heed::MdbError::PageNotFound
            | heed::MdbError::Invalid
            | heed::MdbError::VersionMismatch
            | heed::MdbError::BadTxn,
        )
        | heed::Error::Decoding(_) => Error::damaged(e.to_string()),
        heed::Error::Io(io) if crate::error::is_disk_full(&io) => {
            Error::disk_full("the read model")
        }
        e => Error::new(ErrorKind::Storage(format!("read model: {e}"))),
    }
}

/// A range of keys from `from` to `to`, both included.
fn between<'a>(from: &'a [u8], to: &'a [u8]) -> (Bound<&'a [u8]>, Bound<&'a [u8]>) {
    (Bound::Included(from), Bound::Included(to))
}

/// Keys from `from` on.
fn from(from: &[u8]) -> (Bound<&[u8]>, Bound<&[u8]>) {
    (Bound::Included(from), Bound::Unbounded)
}

impl Model {
    /// The model's directory inside the ledger at `ledger`.
    pub fn path(ledger: &Path) -> PathBuf {
        ledger.join(DIR)
    }

    /// Opens the model of the ledger at `ledger` to write it, creating it if
    /// needed. A model of another layout is emptied (its head removed), so
    /// the caller rebuilds it.
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn create(ledger: &Path) -> Result<Model> {
        let dir = Model::path(ledger);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let model = Model::open_env(&dir, true)?.expect("created");
        let layout = {
            let txn = model.read_txn()?;
            model
                .inner
                .dbs
                .meta
                .get(&txn, LAYOUT_KEY)
                .map_err(storage)?
                .map(<[u8]>::to_vec)
        };
        if layout.as_deref() != Some(LAYOUT) {
            model.clear()?;
        }
        Ok(model)
    }

    /// Opens the model of the ledger at `ledger` to read it: `None` when
    /// there is none, or one of another layout (the `Ledger` rebuilds it).
    ///
    /// # Errors
    /// Storage failures.
    pub fn open(ledger: &Path) -> Result<Option<Model>> {
        let dir = Model::path(ledger);
        if !dir.join("data.mdb").is_file() {
            return Ok(None);
        }
        let Some(model) = Model::open_env(&dir, false)? else {
            return Ok(None);
        };
        let txn = model.read_txn()?;
        let layout = model.inner.dbs.meta.get(&txn, LAYOUT_KEY);
        // A layout written before values had checksums does not decode.
        let ok = match layout {
            Ok(layout) => layout == Some(LAYOUT),
            Err(heed::Error::Decoding(_)) => false,
            Err(e) => return Err(storage(e)),
        };
        drop(txn);
        Ok(ok.then_some(model))
    }

    /// The environment of `dir`, shared within the process; its databases
    /// created when `create`, else `None` when one is missing.
    fn open_env(dir: &Path, create: bool) -> Result<Option<Model>> {
        let dir = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
        let mut open = OPEN.lock().unwrap_or_else(|p| p.into_inner());
        open.retain(|(_, weak)| weak.strong_count() > 0);
        if let Some(inner) = open
            .iter()
            .find(|(path, _)| *path == dir)
            .and_then(|(_, weak)| weak.upgrade())
        {
            return Ok(Some(Model { inner }));
        }
        map_check::check_map(&dir.join("data.mdb"))?;
        let mut options = EnvOpenOptions::new();
        options
            .map_size(MAP_BYTES)
            .max_dbs(DB_NAMES.len() as u32)
            .max_readers(READERS_MAX);
        // SAFETY (heed's contract): the map is used by LMDB alone, and no
        // other handle of this file is open in this process (the registry
        // above). NO_META_SYNC: a commit syncs its data; the meta page is
        // synced by `sync`, which `Writer::commit` calls after moving the head.
        let env = unsafe {
            options.flags(EnvFlags::NO_META_SYNC);
            options.open(&dir)
        }
        .map_err(storage)?;
        let dbs = if create {
            let mut txn = env.write_txn().map_err(storage)?;
            let list = DB_NAMES
                .iter()
                .map(|name| env.create_database(&mut txn, Some(name)))
                .collect::<heed::Result<Vec<Db>>>()
                .map_err(storage)?;
            txn.commit().map_err(storage)?;
            Dbs::from(list)
        } else {
            let txn = env.read_txn().map_err(storage)?;
            let mut list = Vec::new();
            for name in DB_NAMES {
                match env.open_database(&txn, Some(name)).map_err(storage)? {
                    Some(db) => list.push(db),
                    None => return Ok(None),
                }
            }
            // Database handles opened in a transaction that is aborted are closed.
            txn.commit().map_err(storage)?;
            Dbs::from(list)
        };
        let inner = Arc::new(Inner { env, dbs });
        open.push((dir, Arc::downgrade(&inner)));
        Ok(Some(Model { inner }))
    }

    fn dbs(&self) -> &Dbs {
        &self.inner.dbs
    }

    fn read_txn(&self) -> Result<RoTxn<'_, heed::WithTls>> {
        self.inner.env.read_txn().map_err(storage)
    }

    fn write_txn(&self) -> Result<RwTxn<'_>> {
        self.inner.env.write_txn().map_err(storage)
    }

    /// Makes every committed transaction durable, the last one's meta page included.
    fn sync(&self) -> Result<()> {
        self.inner.env.force_sync().map_err(storage)
    }

    /// A consistent snapshot to answer queries from: everything the model
    /// reflected when it was taken, whatever writers do meanwhile.
    ///
    /// # Errors
    /// Storage failures; `Damaged` when the head does not decode.
    pub fn view(&self) -> Result<View<'_>> {
        View::new(self, self.read_txn()?)
    }

    /// The log head the model reflects, and whether a writer may have moved
    /// the log beyond it (see `View::intent`).
    ///
    /// # Errors
    /// As `view`.
    pub fn state(&self) -> Result<(Option<Head>, bool)> {
        let view = self.view()?;
        Ok((view.head(), view.intent()))
    }

    /// Empties the model: no head, no data (before a rebuild).
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn clear(&self) -> Result<()> {
        let mut txn = self.write_txn()?;
        for db in self.dbs().all() {
            db.clear(&mut txn).map_err(storage)?;
        }
        self.dbs()
            .meta
            .put(&mut txn, LAYOUT_KEY, LAYOUT)
            .map_err(storage)?;
        epochs::put_epoch_events(self, &mut txn, epochs::epoch_events_for_new_model())?;
        txn.commit().map_err(storage)?;
        self.sync()
    }

    /// Removes stale reader slots left by killed processes, which would
    /// otherwise keep LMDB from reusing the pages they saw.
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn clear_stale_readers(&self) -> Result<()> {
        self.inner
            .env
            .clear_stale_readers()
            .map(|_| ())
            .map_err(storage)
    }
}

/// Removes the records of the model that lie beyond `head` (the remains of
/// an append that failed or was interrupted), in one transaction.
fn discard_after(model: &Model, txn: &mut RwTxn<'_>, head: u64) -> Result<()> {
    let dbs = model.dbs();
    let after = codec::seq_key(head + 1);
    // Which games the events beyond the head touched, from their summaries.
    let mut games: Vec<u32> = Vec::new();
    let start = match dbs
        .summary
        .get_lower_than_or_equal_to(txn, &after)
        .map_err(storage)?
    {
        Some((key, _)) => key.to_vec(),
        None => after.to_vec(),
    };
    for item in dbs.summary.range(txn, &from(&start)).map_err(storage)? {
        let (key, value) = item.map_err(storage)?;
        let first = codec::seq_of_key(key)?;
        for (i, entry) in codec::decode_summary(value)?.into_iter().enumerate() {
            if first + i as u64 <= head {
                continue;
            }
            games.extend(entry.summary.games());
        }
    }
    games.sort_unstable();
    games.dedup();
    for g in &games {
        let (low, high) = (
            codec::games_key(*g, head + 1),
            codec::games_key(*g, u64::MAX),
        );
        dbs.medals
            .delete_range(txn, &between(&low, &high))
            .map_err(storage)?;
        dbs.records
            .delete_range(txn, &between(&low, &high))
            .map_err(storage)?;
        dbs.name_blooms
            .delete_range(txn, &between(&low, &high))
            .map_err(storage)?;
        // Keyed by games, then code (and sport): the seq ends the key.
        for db in [dbs.tallies, dbs.entries] {
            let beyond: Vec<Vec<u8>> = {
                let prefix = g.to_be_bytes();
                let mut beyond = Vec::new();
                for item in db.prefix_iter(txn, &prefix).map_err(storage)? {
                    let (key, _) = item.map_err(storage)?;
                    if codec::seq_ending_key(key)? > head {
                        beyond.push(key.to_vec());
                    }
                }
                beyond
            };
            for key in beyond {
                db.delete(txn, &key).map_err(storage)?;
            }
        }
        let index = g.to_be_bytes();
        let id = dbs
            .games_index
            .get(txn, &index)
            .map_err(storage)?
            .map(<[u8]>::to_vec);
        if let Some(id) = id {
            let registered = match dbs.games.get(txn, &id).map_err(storage)? {
                Some(value) => read::games_seq(value)? > head,
                None => false,
            };
            if registered {
                dbs.games.delete(txn, &id).map_err(storage)?;
                dbs.games_index.delete(txn, &index).map_err(storage)?;
            }
        }
    }
    for db in [dbs.summary, dbs.facts, dbs.successions] {
        db.delete_range(txn, &from(&after)).map_err(storage)?;
    }
    let late_names: Vec<Vec<u8>> = {
        let mut late = Vec::new();
        for item in dbs.names.iter(txn).map_err(storage)? {
            let (key, value) = item.map_err(storage)?;
            if read::name_seq(value)? > head {
                late.push(key.to_vec());
            }
        }
        late
    };
    for key in late_names {
        dbs.names.delete(txn, &key).map_err(storage)?;
    }
    epochs::discard_after(model, txn, head)
}
