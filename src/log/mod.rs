//! The log: podium's append-only event store on sled. The only module that
//! knows sled (and, through `codec`, bincode); nothing else can write a record.
//!
//! Layout (see ARCHITECTURE.md):
//! - tree `log`: key = big-endian seq of a block's first event, value = a block
//!   of one or more consecutive records (`codec`). Keys are written with
//!   compare-and-swap on an absent key: no log key is ever overwritten.
//! - tree `ids`: event id (16 bytes) -> seq (8 bytes BE), for ids that do not
//!   ascend; tree `id_runs`: first id of a block of ascending ids -> its
//!   (id, seq) pairs.
//! - tree `revoked`: award id -> seq of its revocation.
//! - tree `games`: games id -> seq of its registration, its days, its unranked.
//! - the derived state (`derived`) lives in a second sled database, the
//!   tables store in the `tables/` directory (`tables`), so that medal-table
//!   queries need not open this one.
//! - default tree, key `head`: the committed head (seq, hash, recorded time).
//!   Everything beyond the head is the remains of an interrupted write: it is
//!   invisible to readers and removed when the ledger is next opened.
//!
//! An append (one event or a whole import) writes each block, then the
//! block's index entries, and moves the head last, then flushes; sled
//! recovers a prefix of writes after a crash, so an append is all there or
//! not at all, and an index entry beyond the head always has its block.

pub mod codec;
pub mod derived;
pub mod tables;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use jiff::Timestamp;
use uuid::Uuid;

use crate::error::{Error, ErrorKind, Result};
use crate::event::{Event, GamesId, Kind, Recorded};
use crate::jsonl::Incoming;
use codec::{BlockWriter, HASH_BYTES};
pub use tables::Tables;

/// Days of derived changes an append gathers before applying them, which
/// bounds its memory (each day holds up to one entry per delegation).
pub const DELTA_DAYS_MAX: usize = 2_048;
/// Events per block written by an import. Single appends write blocks of one.
pub const BLOCK_EVENTS_MAX: usize = 64;
/// sled's page cache. Its default (1 GB) exhausted memory in a 10 M-key load.
pub const CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// How long to wait for another process to release the ledger.
pub const BUSY_TIMEOUT_MS: u64 = 5_000;

const HEAD_KEY: &[u8] = b"head";
const LAYOUT_KEY: &[u8] = b"layout";
/// Layout 2 keeps the derived state in the tables store. Podium before it
/// would not keep that store current, so it must refuse a layout-2 ledger.
const LAYOUT_VERSION: &[u8] = b"podium-ledger-2";
/// Layout 1 kept the derived trees (and their marker) in this database; a
/// layout-1 ledger is upgraded when it is opened: they are dropped and the
/// tables store is built from the log.
const LAYOUT_1: &[u8] = b"podium-ledger-1";
const LAYOUT_1_DERIVED_TREES: [&str; 5] =
    ["snap_all", "snap_games", "all_days", "all_months", "names"];
const LAYOUT_1_DERIVED_KEY: &[u8] = b"derived";

/// The committed end of the log.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Head {
    pub seq: u64,
    pub hash: [u8; HASH_BYTES],
    pub recorded: Option<Timestamp>,
}

impl Head {
    const EMPTY: Head = Head {
        seq: 0,
        hash: [0; HASH_BYTES],
        recorded: None,
    };

    fn encode(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(8 + HASH_BYTES + 12);
        v.extend_from_slice(&self.seq.to_be_bytes());
        v.extend_from_slice(&self.hash);
        if let Some(t) = self.recorded {
            v.extend_from_slice(&t.as_second().to_be_bytes());
            v.extend_from_slice(&t.subsec_nanosecond().to_be_bytes());
        }
        v
    }

    fn decode(bytes: &[u8]) -> Result<Head> {
        let bad = || Error::corrupt("ledger head does not decode");
        if bytes.len() != 8 + HASH_BYTES && bytes.len() != 8 + HASH_BYTES + 12 {
            return Err(bad());
        }
        let seq = u64::from_be_bytes(bytes[..8].try_into().map_err(|_| bad())?);
        let hash = bytes[8..8 + HASH_BYTES].try_into().map_err(|_| bad())?;
        let recorded = if bytes.len() > 8 + HASH_BYTES {
            let t = &bytes[8 + HASH_BYTES..];
            let s = i64::from_be_bytes(t[..8].try_into().map_err(|_| bad())?);
            let ns = i32::from_be_bytes(t[8..].try_into().map_err(|_| bad())?);
            Some(Timestamp::new(s, ns).map_err(|_| bad())?)
        } else {
            None
        };
        Ok(Head {
            seq,
            hash,
            recorded,
        })
    }

    /// The head digest as 64 hex characters.
    pub fn digest(&self) -> String {
        hex(&self.hash)
    }
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What an append did.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Appended {
    /// Events written.
    pub new: u64,
    /// Events whose id was already recorded with the same content.
    pub already: u64,
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

/// Bytes of one entry of an id run: the id and its seq.
const RUN_ENTRY_BYTES: usize = 24;

fn storage(e: sled::Error) -> Error {
    Error::new(ErrorKind::Storage(e.to_string()))
}

/// An open ledger. Holding one holds sled's lock on the directory.
pub struct Ledger {
    path: PathBuf,
    db: sled::Db,
    log: sled::Tree,
    ids: sled::Tree,
    /// Ids of blocks whose ids ascend above every id indexed before them
    /// (time-ordered UUID v7): one key per block instead of one per event.
    id_runs: sled::Tree,
    revoked: sled::Tree,
    games: sled::Tree,
    head: Head,
    /// The derived state, in its own database.
    tables: Tables,
    /// Whether the append under way has applied derived changes before its commit.
    spilled: bool,
    /// Days and unranked delegations of the games seen by this process (from the `games` tree).
    games_days: RefCell<HashMap<GamesId, GamesInfo>>,
}

/// What appends need to know of a games: its days and who is unranked.
#[derive(Clone, Debug, PartialEq, Eq)]
struct GamesInfo {
    opens: Date,
    closes: Date,
    unranked: Vec<crate::event::Noc>,
}

/// An event being appended, not yet committed.
struct Pending {
    seq: u64,
    recorded: Timestamp,
    event: Event,
}

impl Ledger {
    /// Opens the ledger at `path`, creating an empty one if `create` is set.
    ///
    /// # Errors
    /// `NoLedger` when it does not exist and `create` is false; `Busy` when
    /// another process holds it after `BUSY_TIMEOUT_MS`; `Storage` or `Io`
    /// when the directory cannot be used.
    pub fn open(path: &Path, create: bool) -> Result<Ledger> {
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
            }
            Err(e) => return Err(Error::io(path, e)),
        }
        let db = open_sled(path)?;
        match db.get(LAYOUT_KEY).map_err(storage)? {
            Some(v) if v.as_ref() == LAYOUT_VERSION => {}
            Some(v) if v.as_ref() == LAYOUT_1 => {
                for tree in LAYOUT_1_DERIVED_TREES {
                    db.drop_tree(tree).map_err(storage)?;
                }
                db.remove(LAYOUT_1_DERIVED_KEY).map_err(storage)?;
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
        let head = match db.get(HEAD_KEY).map_err(storage)? {
            Some(bytes) => Head::decode(&bytes)?,
            None => Head::EMPTY,
        };
        let mut ledger = Ledger {
            path: path.to_path_buf(),
            log: db.open_tree("log").map_err(storage)?,
            ids: db.open_tree("ids").map_err(storage)?,
            id_runs: db.open_tree("id_runs").map_err(storage)?,
            revoked: db.open_tree("revoked").map_err(storage)?,
            games: db.open_tree("games").map_err(storage)?,
            tables: Tables::open(path)?,
            spilled: false,
            db,
            head,
            games_days: RefCell::new(HashMap::new()),
        };
        ledger.discard_uncommitted()?;
        if ledger.tables.state()? != Some(ledger.head) {
            ledger.rebuild_derived()?;
        }
        Ok(ledger)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The committed head.
    pub fn head(&self) -> Head {
        self.head
    }

    /// Number of committed events.
    pub fn len(&self) -> u64 {
        self.head.seq
    }

    pub fn is_empty(&self) -> bool {
        self.head.seq == 0
    }

    /// Removes blocks beyond the committed head and their index entries:
    /// the remains of an append that failed or was interrupted.
    fn discard_uncommitted(&mut self) -> Result<()> {
        self.games_days.borrow_mut().clear();
        let from = (self.head.seq + 1).to_be_bytes();
        let mut dirty = false;
        for item in self.log.range(from..) {
            let (key, value) = item.map_err(storage)?;
            dirty = true;
            if let Ok(entries) = codec::split_block(&value) {
                for entry in entries {
                    let Ok(r) = codec::decode_record(entry.record) else {
                        continue;
                    };
                    self.remove_if_beyond_head(&self.ids, r.event.id.as_bytes())?;
                    if let Some(run) = self.id_runs.get(r.event.id.as_bytes()).map_err(storage)? {
                        if seq_of(run.get(16..).unwrap_or_default())? > self.head.seq {
                            self.id_runs
                                .remove(r.event.id.as_bytes())
                                .map_err(storage)?;
                        }
                    }
                    match &r.event.kind {
                        Kind::MedalRevoked(rev) => {
                            self.remove_if_beyond_head(&self.revoked, rev.award.as_bytes())?
                        }
                        Kind::GamesRegistered(g) => {
                            self.remove_if_beyond_head(&self.games, g.games.as_str().as_bytes())?
                        }
                        _ => {}
                    }
                }
            }
            self.log.remove(key).map_err(storage)?;
        }
        if dirty {
            self.db.flush().map_err(storage)?;
        }
        Ok(())
    }

    fn remove_if_beyond_head(&self, tree: &sled::Tree, key: &[u8]) -> Result<()> {
        if let Some(v) = tree.get(key).map_err(storage)? {
            if seq_of(&v)? > self.head.seq {
                tree.remove(key).map_err(storage)?;
            }
        }
        Ok(())
    }

    /// The committed event at `seq`.
    ///
    /// # Errors
    /// `Corrupt` when the record does not decode.
    pub fn get(&self, seq: u64) -> Result<Option<Recorded>> {
        if seq == 0 || seq > self.head.seq {
            return Ok(None);
        }
        self.get_any(seq)
    }

    fn get_any(&self, seq: u64) -> Result<Option<Recorded>> {
        let Some(item) = self.log.range(..=seq.to_be_bytes()).next_back() else {
            return Ok(None);
        };
        let (key, value) = item.map_err(storage)?;
        let first = seq_of(&key)?;
        let entries = codec::split_block(&value).map_err(|e| e.at_seq(seq))?;
        let Some(entry) = entries.get((seq - first) as usize) else {
            return Ok(None);
        };
        let r = codec::decode_record(entry.record).map_err(|e| e.at_seq(seq))?;
        if r.seq != seq {
            return Err(Error::corrupt(format!("record holds seq {}", r.seq)).at_seq(seq));
        }
        Ok(Some(r))
    }

    /// The seq of the event with this id, committed or written by this append:
    /// a single entry in `ids`, or an entry of the run in `id_runs` whose first
    /// id is the largest at or below it.
    fn seq_of_id(&self, id: &Uuid) -> Result<Option<u64>> {
        let bad = || Error::corrupt(format!("id index entry for {id} does not decode"));
        if let Some(v) = self.ids.get(id.as_bytes()).map_err(storage)? {
            return if v.len() == 8 {
                Ok(Some(seq_of(&v)?))
            } else {
                Err(bad())
            };
        }
        let Some(item) = self.id_runs.range(..=id.as_bytes().to_vec()).next_back() else {
            return Ok(None);
        };
        let (_, run) = item.map_err(storage)?;
        if run.len() % RUN_ENTRY_BYTES != 0 {
            return Err(bad());
        }
        let entries: Vec<&[u8]> = run.chunks_exact(RUN_ENTRY_BYTES).collect();
        match entries.binary_search_by(|e| e[..16].cmp(id.as_bytes())) {
            Ok(i) => Ok(Some(seq_of(&entries[i][16..])?)),
            Err(_) => Ok(None),
        }
    }

    /// The largest id in the index.
    fn largest_indexed(&self) -> Result<Option<[u8; 16]>> {
        let bad = || Error::corrupt("an id index entry does not decode");
        let single = match self.ids.last().map_err(storage)? {
            Some((k, _)) => Some(<[u8; 16]>::try_from(k.as_ref()).map_err(|_| bad())?),
            None => None,
        };
        let run = match self.id_runs.last().map_err(storage)? {
            Some((_, v)) => {
                let last = v.len().checked_sub(RUN_ENTRY_BYTES).ok_or_else(bad)?;
                Some(<[u8; 16]>::try_from(&v[last..last + 16]).map_err(|_| bad())?)
            }
            None => None,
        };
        Ok(single.max(run))
    }

    /// The committed event with this id.
    ///
    /// # Errors
    /// `Corrupt` when the index or the record does not decode.
    pub fn find(&self, id: &Uuid) -> Result<Option<Recorded>> {
        match self.seq_of_id(id)? {
            Some(seq) if seq <= self.head.seq => self.get(seq),
            _ => Ok(None),
        }
    }

    /// Iterates over the committed log in seq order, from `from` on.
    pub fn iter_from(&self, from: u64) -> LogIter<'_> {
        let start_key = match self.log.range(..=from.max(1).to_be_bytes()).next_back() {
            Some(Ok((k, _))) => seq_of(&k).unwrap_or(1),
            _ => 1,
        };
        // The link before the first block read, so every record read is
        // checked against the hash chain (the paired assertion of the append).
        let previous = if start_key <= 1 {
            Some([0; HASH_BYTES])
        } else {
            match self.log.range(..start_key.to_be_bytes()).next_back() {
                Some(Ok((_, value))) => codec::split_block(&value)
                    .ok()
                    .and_then(|entries| entries.last().map(|e| e.hash)),
                _ => None,
            }
        };
        LogIter {
            inner: self.log.range(start_key.to_be_bytes()..),
            log: self.log.clone(),
            buffered: Vec::new().into_iter(),
            from: from.max(1),
            last: self.head.seq,
            expected: start_key,
            previous,
            failed: false,
            _ledger: std::marker::PhantomData,
        }
    }

    /// Iterates over the whole committed log in seq order.
    pub fn iter(&self) -> LogIter<'_> {
        self.iter_from(1)
    }

    /// Appends one event. Returns its seq, and whether it was new.
    ///
    /// # Errors
    /// As `append_all`.
    pub fn append(&mut self, incoming: Incoming) -> Result<(u64, bool)> {
        let id = incoming.event.id;
        let done = self.append_all(std::iter::once(Ok((Origin::default(), incoming))))?;
        let seq = self.seq_of_id(&id)?.expect("an appended id is indexed");
        Ok((seq, done.new == 1))
    }

    /// Appends events atomically: either every new event is committed, or none
    /// is and the ledger is unchanged. Events already recorded with the same
    /// content are skipped. Reads its input as it goes, with bounded memory.
    ///
    /// # Errors
    /// The first invalid input (with its origin), or a refusal: unknown games,
    /// a medal outside its games' days, a revocation of an unknown id, of a
    /// non-award or of a revoked award, an id recorded with other content, a
    /// recorded time going backwards; or a storage failure.
    pub fn append_all<I>(&mut self, input: I) -> Result<Appended>
    where
        I: IntoIterator<Item = Result<(Origin, Incoming)>>,
    {
        // Before the log changes, the tables store stops vouching for it.
        self.tables.mark_behind()?;
        self.spilled = false;
        let result = self.write_uncommitted(input);
        match result {
            Ok((appended, head, deltas)) => {
                if appended.new > 0 {
                    self.db.insert(HEAD_KEY, head.encode()).map_err(storage)?;
                    self.db.flush().map_err(storage)?;
                    self.head = head;
                    // Derived state follows the commit; if this is interrupted, the
                    // tables store lags the head and the next open rebuilds it.
                    self.tables.apply(&deltas)?;
                }
                self.tables.mark_current(&self.head)?;
                Ok(appended)
            }
            Err(e) => {
                self.discard_uncommitted()?;
                if self.spilled {
                    // Derived changes spilled during the failed append: start again from the log.
                    self.rebuild_derived()?;
                } else {
                    self.tables.mark_current(&self.head)?;
                }
                Err(e)
            }
        }
    }

    fn write_uncommitted<I>(&mut self, input: I) -> Result<(Appended, Head, derived::Deltas)>
    where
        I: IntoIterator<Item = Result<(Origin, Incoming)>>,
    {
        let mut head = self.head;
        let mut appended = Appended::default();
        let mut block: Vec<Pending> = Vec::with_capacity(BLOCK_EVENTS_MAX);
        // Index entries of the block not yet written, so later events see earlier ones.
        let mut pending_ids: HashMap<Uuid, usize> = HashMap::new();
        let mut deltas = derived::Deltas::default();
        let mut largest_indexed = self.largest_indexed()?;
        for item in input {
            let (origin, incoming) = item?;
            let id = incoming.event.id;
            let at = |e: Error| origin.attach(e.at_id(id));
            // The ids tree is sorted: an id above its largest key is not in it,
            // which spares time-ordered ids (UUID v7) a lookup.
            let indexed = largest_indexed.is_some_and(|m| id.as_bytes() <= &m);
            if let Some(existing) = self.existing(&id, &block, &pending_ids, indexed)? {
                if same_content(&existing, &incoming) {
                    appended.already += 1;
                    continue;
                }
                return Err(at(Error::new(ErrorKind::Conflict {
                    id,
                    seq: existing.seq,
                })));
            }
            let recorded = match incoming.recorded {
                Some(t) => {
                    if let Some(last) = head.recorded {
                        if t < last {
                            return Err(at(Error::refused(format!(
                                "recorded time {t} is earlier than the ledger's latest ({last})"
                            ))));
                        }
                    }
                    t
                }
                None => match head.recorded {
                    Some(last) => Timestamp::now().max(last),
                    None => Timestamp::now(),
                },
            };
            self.check(&incoming.event, &block, &pending_ids)
                .map_err(at)?;
            self.derive(&incoming.event, &block, &pending_ids, &mut deltas)
                .map_err(at)?;
            head.seq += 1;
            head.recorded = Some(recorded);
            pending_ids.insert(id, block.len());
            block.push(Pending {
                seq: head.seq,
                recorded,
                event: incoming.event,
            });
            appended.new += 1;
            if block.len() == BLOCK_EVENTS_MAX {
                head.hash = self.write_block(&block, head.hash, largest_indexed)?;
                largest_indexed = largest_id(largest_indexed, &block);
                if deltas.days() > DELTA_DAYS_MAX {
                    self.tables.apply(&deltas)?;
                    deltas = derived::Deltas::default();
                    self.spilled = true;
                }
                block.clear();
                pending_ids.clear();
            }
        }
        if !block.is_empty() {
            head.hash = self.write_block(&block, head.hash, largest_indexed)?;
        }
        Ok((appended, head, deltas))
    }

    /// Adds what a new event changes in the derived state to `deltas`.
    fn derive(
        &self,
        event: &Event,
        block: &[Pending],
        pending_ids: &HashMap<Uuid, usize>,
        deltas: &mut derived::Deltas,
    ) -> Result<()> {
        match &event.kind {
            Kind::GamesRegistered(g) => {
                deltas
                    .names
                    .extend(g.delegations.iter().map(|(k, v)| (*k, v.clone())));
                deltas.registrations.push(event.clone());
            }
            Kind::MedalAwarded(m) => {
                let ranked = self
                    .games_info(&m.games, block)?
                    .is_none_or(|info| !info.unranked.contains(&m.noc));
                deltas.medal(&m.games, event.date.first(), m.noc, m.medal, ranked, 1);
            }
            Kind::MedalRevoked(r) => {
                let award = match pending_ids.get(&r.award) {
                    Some(&i) => Some(block[i].event.clone()),
                    None => self.existing_event(&r.award)?,
                };
                if let Some(Event {
                    date,
                    kind: Kind::MedalAwarded(m),
                    ..
                }) = award
                {
                    let ranked = self
                        .games_info(&m.games, block)?
                        .is_none_or(|info| !info.unranked.contains(&m.noc));
                    let from = event.date.first().max(date.first());
                    deltas.medal(&m.games, from, m.noc, m.medal, ranked, -1);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// An event in the log (committed or written by this append) by id.
    fn existing_event(&self, id: &Uuid) -> Result<Option<Event>> {
        match self.seq_of_id(id)? {
            Some(seq) => Ok(self.get_any(seq)?.map(|r| r.event)),
            None => Ok(None),
        }
    }

    /// Rebuilds the derived state from the log: every committed event replayed
    /// through the same derivation appends use. Returns the events replayed.
    ///
    /// # Errors
    /// Storage failures, or `Corrupt` when a record does not decode.
    pub fn rebuild_derived(&mut self) -> Result<u64> {
        self.tables.clear()?;
        // Reading, checking and decoding the log on a second thread (about
        // half the work) while this one derives.
        let ledger = &*self;
        let events = crate::pipeline::read_ahead(ledger.iter(), |records| {
            let mut deltas = derived::Deltas::default();
            let mut events = 0u64;
            for r in records {
                let r = r?;
                ledger.derive(&r.event, &[], &HashMap::new(), &mut deltas)?;
                events += 1;
                if deltas.days() > DELTA_DAYS_MAX {
                    ledger.tables.apply(&deltas)?;
                    deltas = derived::Deltas::default();
                }
            }
            ledger.tables.apply(&deltas)?;
            Ok(events)
        })?;
        self.tables.mark_current(&self.head)?;
        Ok(events)
    }

    /// Whether derived state answers a query known at `known_at`: it reflects
    /// the whole committed log, so only when everything in it was known then.
    ///
    /// # Errors
    /// Storage failures.
    pub fn derived_answers(&self, known_at: Option<Timestamp>) -> Result<bool> {
        Ok(Tables::answers(&self.head, known_at) && self.tables.state()? == Some(self.head))
    }

    /// The tables store: the derived state.
    pub fn tables(&self) -> &Tables {
        &self.tables
    }

    /// An event with this id, in the log (committed or written by this append) or in the block.
    fn existing(
        &self,
        id: &Uuid,
        block: &[Pending],
        pending_ids: &HashMap<Uuid, usize>,
        indexed: bool,
    ) -> Result<Option<Recorded>> {
        if let Some(&i) = pending_ids.get(id) {
            let p = &block[i];
            return Ok(Some(Recorded {
                seq: p.seq,
                recorded: p.recorded,
                event: p.event.clone(),
            }));
        }
        if !indexed {
            return Ok(None);
        }
        match self.seq_of_id(id)? {
            Some(seq) => self.get_any(seq),
            None => Ok(None),
        }
    }

    /// The ledger's own rules for a new event.
    fn check(
        &self,
        event: &Event,
        block: &[Pending],
        pending_ids: &HashMap<Uuid, usize>,
    ) -> Result<()> {
        match &event.kind {
            Kind::GamesRegistered(g) => {
                let in_block = block.iter().any(
                    |p| matches!(&p.event.kind, Kind::GamesRegistered(o) if o.games == g.games),
                );
                if in_block || self.games.contains_key(g.games.as_str()).map_err(storage)? {
                    return Err(Error::refused(format!(
                        "games {} is already registered",
                        g.games
                    )));
                }
            }
            Kind::MedalAwarded(m) => {
                let GamesInfo { opens, closes, .. } =
                    self.games_info(&m.games, block)?.ok_or_else(|| {
                        Error::refused(format!("unknown games {} (register it first)", m.games))
                    })?;
                if event.date.first() < opens || event.date.last() > closes {
                    return Err(Error::refused(format!(
                        "medal dated {} is outside {} ({opens} to {closes})",
                        event.date, m.games
                    )));
                }
            }
            Kind::MedalRevoked(r) => {
                let award = match pending_ids.get(&r.award) {
                    Some(&i) => Some(block[i].event.clone()),
                    None => match self.seq_of_id(&r.award)? {
                        Some(seq) => self.get_any(seq)?.map(|r| r.event),
                        None => None,
                    },
                };
                let award = award
                    .ok_or_else(|| Error::refused(format!("revokes unknown event {}", r.award)))?;
                if !matches!(award.kind, Kind::MedalAwarded(_)) {
                    return Err(Error::refused(format!(
                        "revokes {} which is a {}, not a medal_awarded",
                        r.award,
                        award.kind.name()
                    )));
                }
                let revoked_in_block = block
                    .iter()
                    .any(|p| matches!(&p.event.kind, Kind::MedalRevoked(o) if o.award == r.award));
                if revoked_in_block
                    || self
                        .revoked
                        .contains_key(r.award.as_bytes())
                        .map_err(storage)?
                {
                    return Err(Error::refused(format!(
                        "award {} is already revoked",
                        r.award
                    )));
                }
                if event.date.last() < award.date.first() {
                    return Err(Error::refused(format!(
                        "revocation dated {} is before the award it revokes ({})",
                        event.date, award.date
                    )));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A games' days and unranked delegations: registered in this block, or
    /// in the log (committed or written by this append).
    fn games_info(&self, games: &GamesId, block: &[Pending]) -> Result<Option<GamesInfo>> {
        if let Some(info) = self.games_days.borrow().get(games) {
            return Ok(Some(info.clone()));
        }
        let in_block = block.iter().find_map(|p| match &p.event.kind {
            Kind::GamesRegistered(g) if &g.games == games => Some(GamesInfo {
                opens: p.event.date.first(),
                closes: g.closes.last(),
                unranked: g.unranked.clone(),
            }),
            _ => None,
        });
        if in_block.is_some() {
            return Ok(in_block);
        }
        let Some(v) = self.games.get(games.as_str()).map_err(storage)? else {
            return Ok(None);
        };
        let info = decode_games_info(&v)?;
        self.games_days
            .borrow_mut()
            .insert(games.clone(), info.clone());
        Ok(Some(info))
    }

    /// Writes one block and its index entries (uncommitted until the head moves).
    /// `largest_indexed` is the largest id indexed before this block: a block
    /// whose ids ascend above it is indexed as one run.
    fn write_block(
        &self,
        block: &[Pending],
        mut hash: [u8; HASH_BYTES],
        largest_indexed: Option<[u8; 16]>,
    ) -> Result<[u8; HASH_BYTES]> {
        let mut writer = BlockWriter::new();
        for p in block {
            let recorded = Recorded {
                seq: p.seq,
                recorded: p.recorded,
                event: p.event.clone(),
            };
            let bytes = codec::encode_record(&recorded);
            hash = codec::link(&hash, &bytes);
            writer.push(&bytes, &hash);
        }
        // The block first, its index entries after: sled recovers a prefix of
        // writes, so an index entry beyond the head always has its block, and
        // the cleanup on open (which walks blocks beyond the head) finds it.
        let key = block[0].seq.to_be_bytes();
        self.log
            .compare_and_swap(key, None as Option<&[u8]>, Some(writer.finish()))
            .map_err(storage)?
            .map_err(|_| {
                Error::corrupt(format!("log key for seq {} already exists", block[0].seq))
            })?;
        let ascending = block
            .windows(2)
            .all(|w| w[0].event.id.as_bytes() < w[1].event.id.as_bytes());
        let as_run = ascending && largest_indexed.is_none_or(|m| block[0].event.id.as_bytes() > &m);
        if as_run {
            let mut run = Vec::with_capacity(block.len() * RUN_ENTRY_BYTES);
            for p in block {
                run.extend_from_slice(p.event.id.as_bytes());
                run.extend_from_slice(&p.seq.to_be_bytes());
            }
            self.id_runs
                .insert(block[0].event.id.as_bytes(), run)
                .map_err(storage)?;
        } else {
            let mut ids = sled::Batch::default();
            for p in block {
                ids.insert(p.event.id.as_bytes(), &p.seq.to_be_bytes());
            }
            self.ids.apply_batch(ids).map_err(storage)?;
        }
        for p in block {
            let seq = p.seq.to_be_bytes();
            match &p.event.kind {
                Kind::MedalRevoked(r) => {
                    self.revoked
                        .insert(r.award.as_bytes(), &seq)
                        .map_err(storage)?;
                }
                Kind::GamesRegistered(g) => {
                    let mut value = seq.to_vec();
                    value.extend_from_slice(&encode_days(p.event.date.first(), g.closes.last()));
                    for noc in &g.unranked {
                        value.extend_from_slice(noc.as_str().as_bytes());
                    }
                    self.games
                        .insert(g.games.as_str(), value)
                        .map_err(storage)?;
                }
                _ => {}
            }
        }
        Ok(hash)
    }

    /// Walks the whole log: seq contiguity, every record decoded and valid,
    /// the hash chain recomputed, the id index checked. Returns the count and
    /// head digest. With `digest`, also confirms it is a link of the chain.
    ///
    /// # Errors
    /// `Corrupt`, naming the first bad seq.
    pub fn verify(&self, digest: Option<&str>) -> Result<Verified> {
        let mut expected = 1u64;
        let mut hash = [0u8; HASH_BYTES];
        let mut found_digest = digest.is_none();
        let mut last_recorded: Option<Timestamp> = None;
        for item in self.log.iter() {
            let (key, value) = item.map_err(storage)?;
            let first = seq_of(&key)?;
            if first > self.head.seq {
                break;
            }
            if first != expected {
                return Err(Error::corrupt(format!("seq {expected} is missing")).at_seq(expected));
            }
            for (i, entry) in codec::split_block(&value)
                .map_err(|e| e.at_seq(first))?
                .iter()
                .enumerate()
            {
                let seq = first + i as u64;
                let r = codec::decode_record(entry.record).map_err(|e| e.at_seq(seq))?;
                if r.seq != seq {
                    return Err(Error::corrupt(format!("record holds seq {}", r.seq)).at_seq(seq));
                }
                hash = codec::link(&hash, entry.record);
                if hash != entry.hash {
                    return Err(Error::corrupt("hash chain is broken").at_seq(seq));
                }
                if last_recorded.is_some_and(|t| r.recorded < t) {
                    return Err(Error::corrupt("recorded time goes backwards").at_seq(seq));
                }
                last_recorded = Some(r.recorded);
                match self.seq_of_id(&r.event.id)? {
                    Some(s) if s == seq => {}
                    _ => {
                        return Err(Error::corrupt(format!(
                            "id index does not point at this record ({})",
                            r.event.id
                        ))
                        .at_seq(seq))
                    }
                }
                if let Some(d) = digest {
                    found_digest |= hex(&hash).eq_ignore_ascii_case(d);
                }
            }
            expected = first + codec::split_block(&value)?.len() as u64;
        }
        if expected != self.head.seq + 1 {
            return Err(Error::corrupt(format!(
                "log ends at seq {} but the head says {}",
                expected - 1,
                self.head.seq
            ))
            .at_seq(expected));
        }
        if hash != self.head.hash {
            return Err(
                Error::corrupt("head digest does not match the chain").at_seq(self.head.seq)
            );
        }
        let mut indexed = self.ids.len() as u64;
        for run in self.id_runs.iter() {
            indexed += (run.map_err(storage)?.1.len() / RUN_ENTRY_BYTES) as u64;
        }
        if indexed != self.head.seq {
            return Err(Error::corrupt(format!(
                "id index holds {indexed} entries for {} events",
                self.head.seq
            )));
        }
        if !found_digest {
            return Err(Error::refused(format!(
                "digest {} is not a link of this ledger's chain",
                digest.unwrap_or_default()
            )));
        }
        Ok(Verified {
            events: self.head.seq,
            digest: hex(&hash),
        })
    }
}

/// Opens the sled database at `path` (creating it), waiting up to
/// `BUSY_TIMEOUT_MS` for another process to release it.
fn open_sled(path: &Path) -> Result<sled::Db> {
    let started = Instant::now();
    loop {
        discard_torn_snapshots(path)?;
        let config = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_BYTES)
            .mode(sled::Mode::HighThroughput);
        match config.open() {
            Ok(db) => return Ok(db),
            Err(sled::Error::Io(e)) if is_lock_error(&e) => {
                if started.elapsed() > Duration::from_millis(BUSY_TIMEOUT_MS) {
                    return Err(Error::new(ErrorKind::Busy));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(sled::Error::Io(e)) => return Err(Error::io(path, e)),
            Err(e) => {
                return Err(Error::new(ErrorKind::Storage(format!(
                    "cannot open ledger at {}: {e}",
                    path.display()
                ))))
            }
        }
    }
}

/// Removes the snapshot files sled was writing when its process died.
///
/// sled 0.34.7 writes a snapshot of its page table to `snap.<lsn>.generating`,
/// syncs it and renames it to `snap.<lsn>`; it does that while opening, after
/// replaying its log. But when it looks for the newest snapshot it does not
/// skip the `.generating` files, which sort after the finished ones: a process
/// killed mid-write leaves a torn file that makes every later open fail with
/// "Read corrupted data" (sled issue #1527). Deleting it puts the directory
/// back in the state of a process killed just before it began that file,
/// which sled recovers from: the previous snapshot plus its log.
///
/// Only done while holding the lock sled itself takes on its `db` file, so a
/// snapshot that a live process is writing is never touched.
fn discard_torn_snapshots(path: &Path) -> Result<()> {
    let torn = |name: &str| {
        name.strip_prefix("snap.")
            .and_then(|rest| rest.strip_suffix(".generating"))
            .is_some_and(|lsn| lsn.len() == 16 && lsn.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(path, e))?;
        if entry.file_name().to_str().is_some_and(torn) {
            found.push(entry.path());
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    let db = path.join("db");
    let lock = match std::fs::OpenOptions::new().read(true).write(true).open(&db) {
        Ok(f) => f,
        // No data file yet: nothing to recover, and sled starts afresh.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(&db, e)),
    };
    match lock.try_lock() {
        Ok(()) => {}
        // A live process holds the ledger; its open will report it busy.
        Err(std::fs::TryLockError::WouldBlock) => return Ok(()),
        Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&db, e)),
    }
    for file in found {
        std::fs::remove_file(&file).map_err(|e| Error::io(&file, e))?;
    }
    std::fs::File::open(path)
        .and_then(|dir| dir.sync_all())
        .map_err(|e| Error::io(path, e))?;
    // The lock goes with `lock`, before sled takes it again.
    Ok(())
}

fn is_lock_error(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::WouldBlock
        || e.to_string().contains("lock")
        || e.raw_os_error() == Some(11)
}

/// The `games` tree's value after the seq: opening and closing days, 4 bytes
/// each, then the unranked codes, 3 bytes each.
fn encode_days(opens: Date, closes: Date) -> [u8; 8] {
    let mut b = [0u8; 8];
    b[..2].copy_from_slice(&opens.year().to_be_bytes());
    b[2] = opens.month() as u8;
    b[3] = opens.day() as u8;
    b[4..6].copy_from_slice(&closes.year().to_be_bytes());
    b[6] = closes.month() as u8;
    b[7] = closes.day() as u8;
    b
}

fn decode_games_info(value: &[u8]) -> Result<GamesInfo> {
    let bad = || Error::corrupt("games index entry does not decode");
    let b: [u8; 8] = value
        .get(8..16)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(bad)?;
    let date = |b: &[u8]| {
        Date::new(i16::from_be_bytes([b[0], b[1]]), b[2] as i8, b[3] as i8).map_err(|_| bad())
    };
    let codes = &value[16..];
    if !codes.len().is_multiple_of(3) {
        return Err(bad());
    }
    let unranked = codes
        .chunks_exact(3)
        .map(|c| {
            std::str::from_utf8(c)
                .map_err(|_| bad())?
                .parse()
                .map_err(|_| bad())
        })
        .collect::<Result<_>>()?;
    Ok(GamesInfo {
        opens: date(&b[..4])?,
        closes: date(&b[4..])?,
        unranked,
    })
}

/// The largest of `largest` and the ids of `block`.
fn largest_id(largest: Option<[u8; 16]>, block: &[Pending]) -> Option<[u8; 16]> {
    block
        .iter()
        .map(|p| *p.event.id.as_bytes())
        .chain(largest)
        .max()
}

fn seq_of(bytes: &[u8]) -> Result<u64> {
    let array: [u8; 8] = bytes
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Error::corrupt("a seq key is not 8 bytes"))?;
    Ok(u64::from_be_bytes(array))
}

/// Same fact: the same date, source and content, and the same recorded time
/// if the input gives one.
fn same_content(existing: &Recorded, incoming: &Incoming) -> bool {
    existing.event == incoming.event && incoming.recorded.is_none_or(|t| t == existing.recorded)
}

/// Iterator over committed records in seq order.
pub struct LogIter<'a> {
    inner: sled::Iter,
    buffered: std::vec::IntoIter<Recorded>,
    from: u64,
    last: u64,
    /// The seq the next block must start at.
    expected: u64,
    /// The hash link of the last record read.
    previous: Option<[u8; HASH_BYTES]>,
    failed: bool,
    /// The tree `inner` reads, for `get`.
    log: sled::Tree,
    /// Borrows the ledger's trees (not the whole `Ledger`, which is not
    /// `Sync`), so the iterator can be sent to a reading thread.
    _ledger: std::marker::PhantomData<&'a sled::Tree>,
}

impl Iterator for LogIter<'_> {
    type Item = Result<Recorded>;

    fn next(&mut self) -> Option<Result<Recorded>> {
        loop {
            if self.failed {
                return None;
            }
            if let Some(r) = self.buffered.next() {
                if r.seq > self.last {
                    return None;
                }
                if r.seq < self.from {
                    continue;
                }
                return Some(Ok(r));
            }
            let (key, value) = match self.inner.next()? {
                Ok(kv) => kv,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(storage(e)));
                }
            };
            // sled 0.34.7's iterators page blocks in without telling its cache,
            // which then never evicts them: a scan of 10 M events kept 0.9 GB.
            // Getting the key just read registers the page (it is in memory,
            // so this is cheap), and the cache bounds what stays.
            if let Err(e) = self.log.get(&key) {
                self.failed = true;
                return Some(Err(storage(e)));
            }
            let decoded = (|| {
                let first = seq_of(&key)?;
                if first > self.last {
                    return Ok(None);
                }
                if first != self.expected {
                    return Err(Error::corrupt(format!("seq {} is missing", self.expected))
                        .at_seq(self.expected));
                }
                let entries = codec::split_block(&value).map_err(|e| e.at_seq(first))?;
                self.expected = first + entries.len() as u64;
                let mut out = Vec::with_capacity(entries.len());
                for (i, entry) in entries.iter().enumerate() {
                    let seq = first + i as u64;
                    if let Some(previous) = self.previous {
                        if codec::link(&previous, entry.record) != entry.hash {
                            return Err(Error::corrupt("hash chain is broken").at_seq(seq));
                        }
                    }
                    self.previous = Some(entry.hash);
                    let r = codec::decode_record(entry.record).map_err(|e| e.at_seq(seq))?;
                    if r.seq != seq {
                        return Err(
                            Error::corrupt(format!("record holds seq {}", r.seq)).at_seq(seq)
                        );
                    }
                    out.push(r);
                }
                Ok(Some(out))
            })();
            match decoded {
                Ok(Some(records)) => self.buffered = records.into_iter(),
                Ok(None) => return None,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}
