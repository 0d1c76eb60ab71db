//! Reading the read model: a `View` is one LMDB read transaction, a
//! consistent snapshot that writers never change, and every question is
//! bounded by a seq no later than the model's head (a known-at time is a
//! prefix of the log, because recorded times never decrease along it).

use std::collections::BTreeMap;

use heed::{RoTxn, RwTxn};
use jiff::civil::Date;
use jiff::Timestamp;

use super::codec::{self, GamesMedal, Snapshot, SummaryEntry};
use super::epochs;
use super::{between, storage, Model, HEAD_KEY, INTENT_KEY};
use crate::error::{Error, Result};
use crate::event::{Day, GamesId, GamesRegistered, Kind, Medal, Noc, Recorded};
use crate::record::{codec as log_codec, Head};

pub use super::series::{series_of, Series};

/// What `View::games_records_where` shows of an award before decoding it.
#[derive(Clone, Copy, Debug)]
pub struct Awarded<'a> {
    pub sport: &'a str,
    pub event: &'a str,
    pub noc: Noc,
    pub medal: Medal,
}

/// A registered games as the model holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GamesEntry {
    pub index: u32,
    /// The seq of its registration.
    pub seq: u64,
    pub opens: Day,
    pub series: u8,
    /// The registration as logged.
    pub record: Recorded,
}

impl GamesEntry {
    /// What the registration says.
    pub fn registered(&self) -> &GamesRegistered {
        match &self.record.event.kind {
            Kind::GamesRegistered(g) => g,
            _ => unreachable!("decode_games keeps registrations only"),
        }
    }

    /// The registration, taken out of the entry.
    pub fn into_registered(self) -> GamesRegistered {
        match self.record.event.kind {
            Kind::GamesRegistered(g) => g,
            _ => unreachable!("decode_games keeps registrations only"),
        }
    }
}

fn decode_record(bytes: &[u8]) -> Result<Recorded> {
    log_codec::decode_record(bytes).map_err(|e| Error::damaged(format!("a record: {e}")))
}

pub(super) fn games_index_of(key: &[u8]) -> Result<u32> {
    let bytes: [u8; 4] = key
        .try_into()
        .map_err(|_| Error::damaged("a games index is not 4 bytes"))?;
    Ok(u32::from_be_bytes(bytes))
}

/// The seq of a `games` value: its registration's.
pub(super) fn games_seq(value: &[u8]) -> Result<u64> {
    value
        .get(4..12)
        .map(|b| u64::from_be_bytes(b.try_into().expect("8 bytes")))
        .ok_or_else(|| Error::damaged("a games entry is cut short"))
}

fn decode_games(value: &[u8]) -> Result<GamesEntry> {
    let index = games_index_of(value.get(..4).unwrap_or_default())?;
    let seq = games_seq(value)?;
    let r = decode_record(&value[12..])?;
    match &r.event.kind {
        Kind::GamesRegistered(registered) if r.seq == seq => Ok(GamesEntry {
            index,
            seq,
            opens: r.event.date,
            series: series_of(registered),
            record: r,
        }),
        _ => Err(Error::damaged(format!(
            "games entry at seq {seq} is not a registration"
        ))),
    }
}

pub(super) fn put_games(
    model: &Model,
    txn: &mut RwTxn<'_>,
    games: &GamesId,
    index: u32,
    seq: u64,
    record: &[u8],
) -> Result<()> {
    let mut value = Vec::with_capacity(12 + record.len());
    value.extend_from_slice(&index.to_be_bytes());
    value.extend_from_slice(&seq.to_be_bytes());
    value.extend_from_slice(record);
    let dbs = model.dbs();
    dbs.games
        .put(txn, games.as_str().as_bytes(), &value)
        .map_err(storage)?;
    dbs.games_index
        .put(txn, &index.to_be_bytes(), games.as_str().as_bytes())
        .map_err(storage)
}

pub(super) fn games_entry(
    model: &Model,
    txn: &RoTxn<'_>,
    games: &GamesId,
) -> Result<Option<GamesEntry>> {
    match model
        .dbs()
        .games
        .get(txn, games.as_str().as_bytes())
        .map_err(storage)?
    {
        Some(value) => decode_games(value).map(Some),
        None => Ok(None),
    }
}

/// The seq of a `names` value: the registration that gave the name.
pub(super) fn name_seq(value: &[u8]) -> Result<u64> {
    value
        .get(..8)
        .map(|b| u64::from_be_bytes(b.try_into().expect("8 bytes")))
        .ok_or_else(|| Error::damaged("a name entry is cut short"))
}

/// Keeps the first name a registration gives a delegation.
pub(super) fn put_name(
    model: &Model,
    txn: &mut RwTxn<'_>,
    noc: Noc,
    seq: u64,
    name: &str,
) -> Result<()> {
    let names = model.dbs().names;
    if names
        .get(txn, noc.as_str().as_bytes())
        .map_err(storage)?
        .is_some()
    {
        return Ok(());
    }
    let mut value = seq.to_be_bytes().to_vec();
    value.extend_from_slice(name.as_bytes());
    names
        .put(txn, noc.as_str().as_bytes(), &value)
        .map_err(storage)
}

pub(super) fn head_in(model: &Model, txn: &RoTxn<'_>) -> Result<Option<Head>> {
    match model.dbs().meta.get(txn, HEAD_KEY).map_err(storage)? {
        Some(bytes) => Head::decode(bytes)
            .map(Some)
            .map_err(|_| Error::damaged("the head does not decode")),
        None => Ok(None),
    }
}

/// The summaries of the events `from..=to`, with their seqs.
pub(super) fn summaries(
    model: &Model,
    txn: &RoTxn<'_>,
    from: u64,
    to: u64,
) -> Result<Vec<(u64, SummaryEntry)>> {
    let mut out = Vec::new();
    if from > to {
        return Ok(out);
    }
    let dbs = model.dbs();
    let start = match dbs
        .summary
        .get_lower_than_or_equal_to(txn, &codec::seq_key(from))
        .map_err(storage)?
    {
        Some((key, _)) => codec::seq_of_key(key)?,
        None => from,
    };
    let (low, high) = (codec::seq_key(start), codec::seq_key(to));
    for item in dbs
        .summary
        .range(txn, &between(&low, &high))
        .map_err(storage)?
    {
        let (key, value) = item.map_err(storage)?;
        let first = codec::seq_of_key(key)?;
        for (i, entry) in codec::decode_summary(value)?.into_iter().enumerate() {
            let seq = first + i as u64;
            if (from..=to).contains(&seq) {
                out.push((seq, entry));
            }
        }
    }
    Ok(out)
}

/// A consistent snapshot of the model (an LMDB read transaction).
pub struct View<'m> {
    model: &'m Model,
    txn: RoTxn<'m, heed::WithTls>,
    head: Option<Head>,
    intent: bool,
    epoch_events: u64,
    /// The lowest and highest addresses of the map that values were read
    /// from since the last `release_pages` (see there), and how many values.
    touched: std::cell::Cell<Option<(usize, usize)>>,
    touches: std::cell::Cell<usize>,
}

/// Values a scan reads between two releases of the pages it touched.
const VALUES_PER_RELEASE: usize = 256;

impl<'m> View<'m> {
    pub(super) fn new(model: &'m Model, txn: RoTxn<'m, heed::WithTls>) -> Result<View<'m>> {
        let head = head_in(model, &txn)?;
        let intent = model
            .dbs()
            .meta
            .get(&txn, INTENT_KEY)
            .map_err(storage)?
            .is_some();
        let epoch_events = epochs::epoch_events(model, &txn)?;
        Ok(View {
            model,
            txn,
            head,
            intent,
            epoch_events,
            touched: std::cell::Cell::new(None),
            touches: std::cell::Cell::new(0),
        })
    }

    /// The log head this snapshot reflects; `None` before the first build.
    pub fn head(&self) -> Option<Head> {
        self.head
    }

    /// Whether a writer had started when the snapshot was taken, so that the
    /// log may be ahead of `head`: it is, if that writer died before its end.
    pub fn intent(&self) -> bool {
        self.intent
    }

    pub(super) fn head_seq(&self) -> u64 {
        self.head.map_or(0, |h| h.seq)
    }

    pub(super) fn model(&self) -> &'m Model {
        self.model
    }

    pub(super) fn txn(&self) -> &RoTxn<'m, heed::WithTls> {
        &self.txn
    }

    /// The last seq known at `known_at` (none: the head): the log's prefix
    /// of events recorded at or before it, as far as the model reflects it.
    ///
    /// # Errors
    /// Storage failures; `Damaged` when a summary does not decode.
    pub fn known_at(&self, known_at: Option<Timestamp>) -> Result<u64> {
        let Some(head) = self.head else {
            return Ok(0);
        };
        let Some(t) = known_at else {
            return Ok(head.seq);
        };
        if head.recorded.is_none_or(|latest| latest <= t) {
            return Ok(head.seq);
        }
        // recorded never decreases along the log: the events known at t are
        // a prefix. `low` is known (0 stands for none), `high` is not.
        let (mut low, mut high) = (0u64, head.seq);
        while high - low > 1 {
            let mid = low + (high - low) / 2;
            let recorded = summaries(self.model, &self.txn, mid, mid)?
                .first()
                .map(|(_, e)| e.recorded)
                .ok_or_else(|| Error::damaged(format!("no summary of seq {mid}")))?;
            if recorded <= t {
                low = mid;
            } else {
                high = mid;
            }
        }
        Ok(low)
    }

    /// A games registered at or before seq `seq`.
    ///
    /// # Errors
    /// Storage failures; `Damaged` when it does not decode.
    pub fn games(&self, games: &GamesId, seq: u64) -> Result<Option<GamesEntry>> {
        Ok(
            games_entry(self.model, &self.txn, games)?
                .filter(|g| g.seq <= seq.min(self.head_seq())),
        )
    }

    /// Notes that `bytes`, read from the map, were touched; every few
    /// hundred values, releases the pages touched so far.
    pub(super) fn touch(&self, bytes: &[u8]) {
        let (lo, hi) = (
            bytes.as_ptr() as usize,
            bytes.as_ptr() as usize + bytes.len(),
        );
        let range = match self.touched.get() {
            Some((a, b)) => (a.min(lo), b.max(hi)),
            None => (lo, hi),
        };
        self.touched.set(Some(range));
        let touches = self.touches.get() + 1;
        if touches == VALUES_PER_RELEASE {
            self.release_pages();
        } else {
            self.touches.set(touches);
        }
    }

    /// Drops from this process the pages of the map that reads touched since
    /// the last call. The map is read-only and shared: the pages stay in the
    /// page cache and come back on the next read, but they stop counting in
    /// the process's resident memory, which a scan of every games (a
    /// delegation's record, the list of games) would otherwise fill with most
    /// of the model: the kernel maps a file's pages in runs of 16 around each
    /// one read, and one games' chunks lie among others'.
    pub fn release_pages(&self) {
        const PAGE: usize = 4096;
        self.touches.set(0);
        if let Some((lo, hi)) = self.touched.take() {
            let start = lo & !(PAGE - 1);
            // SAFETY: [start, hi) lies within the environment's map, a
            // read-only shared mapping of a file: MADV_DONTNEED only unmaps
            // its pages from this process; later reads fault them back from the
            // page cache with the same contents. Failure only costs memory.
            unsafe {
                libc::madvise(start as *mut libc::c_void, hi - start, libc::MADV_DONTNEED);
            }
        }
    }

    /// Every games registered at or before seq `seq`, one at a time (in the
    /// order of their ids): for scans of every games, in memory bounded
    /// whatever their number.
    ///
    /// # Errors
    /// Storage failures; `Damaged` when an entry does not decode; `f`'s errors.
    pub fn each_games(&self, seq: u64, mut f: impl FnMut(GamesEntry) -> Result<()>) -> Result<()> {
        let bound = seq.min(self.head_seq());
        for item in self.model.dbs().games.iter(&self.txn).map_err(storage)? {
            let (_, value) = item.map_err(storage)?;
            self.touch(value);
            let entry = decode_games(value)?;
            if entry.seq <= bound {
                f(entry)?;
            }
        }
        self.release_pages();
        Ok(())
    }

    /// The chunks of one games in a database of per-games chunks, up to `seq`.
    fn games_chunks(
        &self,
        db: super::Db,
        games: &GamesEntry,
        seq: u64,
    ) -> Result<Vec<(u64, &[u8])>> {
        let (low, high) = (
            codec::games_key(games.index, 0),
            codec::games_key(games.index, seq.min(self.head_seq())),
        );
        let mut chunks = Vec::new();
        for item in db
            .range(&self.txn, &between(&low, &high))
            .map_err(storage)?
        {
            let (key, value) = item.map_err(storage)?;
            self.touch(value);
            chunks.push((codec::split_games_key(key)?.1, value));
        }
        Ok(chunks)
    }

    /// A games' medal events known at seq `seq`, compact, in log order.
    ///
    /// # Errors
    /// Storage failures; `Damaged` when a chunk does not decode.
    pub fn games_medals(&self, games: &GamesEntry, seq: u64) -> Result<Vec<GamesMedal>> {
        let bound = seq.min(self.head_seq());
        let mut medals = Vec::new();
        for (first, bytes) in self.games_chunks(self.model.dbs().medals, games, bound)? {
            medals.extend(
                codec::decode_games_medals(first, bytes)?
                    .into_iter()
                    .filter(|m| m.seq <= bound),
            );
        }
        Ok(medals)
    }

    /// A games' own events known at seq `seq`, whole, in log order: its
    /// registration, its awards and their revocations.
    ///
    /// # Errors
    /// Storage failures; `Damaged` when a record does not decode.
    pub fn games_records(&self, games: &GamesEntry, seq: u64) -> Result<Vec<Recorded>> {
        self.games_records_where(games, seq, |_| true)
    }

    /// `games_records` without the awards `keep` refuses: each award is
    /// peeked at (`log::codec::peek_record`: its sport, event, code and
    /// medal, without allocating) and decoded only when kept, so a question
    /// about one sport or delegation decodes its own awards, not the games'.
    ///
    /// # Errors
    /// As `games_records`.
    pub fn games_records_where(
        &self,
        games: &GamesEntry,
        seq: u64,
        mut keep: impl FnMut(&Awarded<'_>) -> bool,
    ) -> Result<Vec<Recorded>> {
        let bound = seq.min(self.head_seq());
        let mut records = vec![games.record.clone()];
        for (_, bytes) in self.games_chunks(self.model.dbs().records, games, bound)? {
            for record in codec::split_records(bytes)? {
                let peek = log_codec::peek_record(record)
                    .map_err(|e| Error::damaged(format!("a record: {e}")))?;
                if peek.seq > bound {
                    continue;
                }
                if let log_codec::PeekBody::Awarded {
                    sport,
                    event,
                    noc,
                    medal,
                    ..
                } = peek.body
                {
                    if !keep(&Awarded {
                        sport,
                        event,
                        noc,
                        medal,
                    }) {
                        continue;
                    }
                }
                records.push(decode_record(record)?);
            }
        }
        Ok(records)
    }

    /// The entries (`athletes_entered`, `entrants_published`) of a games
    /// known at seq `seq`, of one delegation or of all, whole, by code and
    /// then in log order.
    ///
    /// # Errors
    /// Storage failures; `Damaged` when a record does not decode.
    pub fn entries(&self, games: &GamesEntry, noc: Option<Noc>, seq: u64) -> Result<Vec<Recorded>> {
        let bound = seq.min(self.head_seq());
        let mut prefix = games.index.to_be_bytes().to_vec();
        if let Some(noc) = noc {
            prefix.extend_from_slice(noc.as_str().as_bytes());
        }
        let mut records = Vec::new();
        for item in self
            .model
            .dbs()
            .entries
            .prefix_iter(&self.txn, &prefix)
            .map_err(storage)?
        {
            let (key, value) = item.map_err(storage)?;
            if codec::seq_ending_key(key)? > bound {
                continue;
            }
            self.touch(value);
            records.push(decode_record(value)?);
        }
        Ok(records)
    }

    /// Every `athletes_entered` known at seq `seq`, of every games, whole
    /// (the entries counted per sport, which name no one, are not decoded).
    ///
    /// # Errors
    /// Storage failures; `Damaged` when a record does not decode.
    pub fn athletes_entered(&self, seq: u64) -> Result<Vec<Recorded>> {
        let bound = seq.min(self.head_seq());
        let mut records = Vec::new();
        for item in self.model.dbs().entries.iter(&self.txn).map_err(storage)? {
            let (key, value) = item.map_err(storage)?;
            if codec::seq_ending_key(key)? > bound {
                continue;
            }
            let peek = log_codec::peek_record(value)
                .map_err(|e| Error::damaged(format!("a record: {e}")))?;
            if let log_codec::PeekBody::Entered { named: true, .. } = peek.body {
                self.touch(value);
                records.push(decode_record(value)?);
            }
        }
        self.release_pages();
        Ok(records)
    }

    /// The all-time table of the series in `series` as of `as_of` (none:
    /// every day) as known at seq `seq`.
    ///
    /// # Errors
    /// Storage failures; `Damaged` when the epochs are inconsistent.
    pub fn all_time(&self, as_of: Option<Date>, seq: u64, series: Series) -> Result<Snapshot> {
        let bound = seq.min(self.head_seq());
        let epoch = u32::try_from(bound / self.epoch_events).unwrap_or(u32::MAX);
        let day = as_of.map(codec::day_number);
        let mut table = Snapshot::new();
        if epoch > 0 {
            let info = epochs::info(self.model, &self.txn, epoch)?
                .ok_or_else(|| Error::damaged(format!("epoch {epoch} is missing")))?;
            for s in info.series.iter().filter(|s| series.contains(s.series)) {
                let part = epochs::table_at(self.model, &self.txn, s.series, day, epoch)?;
                codec::add_into(&mut table, &part);
            }
        }
        let after = u64::from(epoch) * self.epoch_events + 1;
        for (_, entry) in summaries(self.model, &self.txn, after, bound)? {
            for c in entry.summary.changes() {
                if series.contains(c.series) && day.is_none_or(|d| c.day <= d) {
                    codec::add_one(&mut table, c.noc, &c.tally);
                }
            }
        }
        Ok(table)
    }

    /// The first name a registration known at seq `seq` gave each delegation.
    ///
    /// # Errors
    /// Storage failures.
    pub fn names(&self, seq: u64) -> Result<BTreeMap<Noc, String>> {
        let bound = seq.min(self.head_seq());
        let mut names = BTreeMap::new();
        for item in self.model.dbs().names.iter(&self.txn).map_err(storage)? {
            let (key, value) = item.map_err(storage)?;
            if name_seq(value)? > bound {
                continue;
            }
            let noc = std::str::from_utf8(key).ok().and_then(|k| k.parse().ok());
            let name = std::str::from_utf8(&value[8..]).ok();
            if let (Some(noc), Some(name)) = (noc, name) {
                names.insert(noc, name.to_owned());
            }
        }
        Ok(names)
    }

    /// The records of a database keyed by seq, known at seq `seq`, in log order.
    fn records_by_seq(&self, db: super::Db, seq: u64) -> Result<Vec<Recorded>> {
        let bound = seq.min(self.head_seq());
        let (low, high) = (codec::seq_key(0), codec::seq_key(bound));
        let mut records = Vec::new();
        for item in db
            .range(&self.txn, &between(&low, &high))
            .map_err(storage)?
        {
            let value = item.map_err(storage)?.1;
            self.touch(value);
            records.push(decode_record(value)?);
        }
        self.release_pages();
        Ok(records)
    }

    /// Every event that is neither a registration, a medal event nor a
    /// succession (people, memberships, meetings, claims) known at seq `seq`,
    /// in log order.
    ///
    /// # Errors
    /// Storage failures; `Damaged` when a record does not decode.
    pub fn facts(&self, seq: u64) -> Result<Vec<Recorded>> {
        self.records_by_seq(self.model.dbs().facts, seq)
    }

    /// Every `delegation_succeeded` known at seq `seq`, in log order.
    ///
    /// # Errors
    /// As `facts`.
    pub fn successions(&self, seq: u64) -> Result<Vec<Recorded>> {
        self.records_by_seq(self.model.dbs().successions, seq)
    }
}
