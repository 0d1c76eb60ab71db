//! Appending: validating incoming events against the ledger's rules and
//! writing them as blocks beyond the committed head.
//!
//! `write_uncommitted` writes each block, then its index entries, then hands
//! the block to a `BlockSink` (the ledger layer, which writes the read model
//! beyond its own head); `commit_head` then moves the head and flushes. The
//! caller (`crate::ledger`) decides between the two, and on any error calls
//! `discard_uncommitted`. A crash leaves a prefix of the writes (sled): the
//! next open discards what lies beyond the head.

use rustc_hash::FxHashMap;

use jiff::civil::Date;
use jiff::Timestamp;
use uuid::Uuid;

use super::index::{largest_id, RUN_ENTRY_BYTES};
use super::unindexed::Unindexed;
use super::{
    same_content, seq_of, storage, Appended, Head, Log, Origin, BLOCK_EVENTS_MAX, HEAD_KEY,
    RECORDED_AHEAD_MAX_S,
};
use crate::error::{Error, ErrorKind, Result};
use crate::event::{Event, GamesId, Kind, Recorded};
use crate::failpoint;
use crate::jsonl::Incoming;
use crate::record::codec::{self, BlockWriter, HASH_BYTES};

/// What appends need to know of a games: its days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct GamesInfo {
    opens: Date,
    closes: Date,
}

/// The award a revocation revokes, which `check` looked up to validate it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Revoked {
    seq: u64,
    award: Event,
}

/// An event being appended, not yet committed, and the award it revokes.
struct Pending {
    record: Recorded,
    revokes: Option<Revoked>,
}

/// One event of a block just written beyond the head: its record, the bytes
/// the log stores for it, and, for a revocation, the seq and event of the
/// award it revokes. What a `BlockSink` is handed.
pub struct Written<'a> {
    pub record: &'a Recorded,
    pub bytes: &'a [u8],
    pub revokes: Option<(u64, &'a Event)>,
}

/// Where `write_uncommitted` hands each block once it is in the log (not yet
/// committed): the ledger layer, which follows it in the read model.
pub trait BlockSink {
    /// # Errors
    /// Any; the append then fails and the caller discards what was written.
    fn block(&mut self, block: &[Written<'_>]) -> Result<()>;
}

impl Log {
    /// Moves the log's head to `head`, flushes and syncs. When the flush or
    /// the sync fails, the head goes back to where it was before the error
    /// is returned, so that a later flush (sled's own, when the database is
    /// dropped) cannot commit what was reported as failed.
    ///
    /// # Errors
    /// Storage failures (the head is then where it was).
    pub fn commit_head(&mut self, head: Head) -> Result<()> {
        failpoint::hit("head")?;
        self.db.insert(HEAD_KEY, head.encode()).map_err(storage)?;
        let durable = failpoint::hit("flush")
            .and_then(|()| self.db.flush().map_err(storage))
            .and_then(|_| failpoint::hit("sync"))
            .and_then(|()| super::store::sync_durably(&self.path, self.unsynced_dir));
        if let Err(e) = durable {
            let _ = self.db.insert(HEAD_KEY, self.head.encode());
            return Err(e);
        }
        self.unsynced_dir = false;
        self.head = head;
        Ok(())
    }

    /// Validates and writes `input` beyond the committed head, in blocks,
    /// handing each block to `sink`. Returns what was appended and the head
    /// to commit (`commit_head`); nothing is visible to readers before that.
    /// Events already recorded with the same content are skipped. Reads its
    /// input as it goes, with bounded memory.
    ///
    /// # Errors
    /// The first invalid input (with its origin), or a refusal: unknown games,
    /// a medal, tally or entry outside its games' days, a revocation of an unknown id, of a
    /// non-award or of a revoked award, an id recorded with other content, a
    /// recorded time going backwards; a storage failure; the sink's error.
    /// The caller then calls `discard_uncommitted`.
    pub fn write_uncommitted<I>(
        &self,
        input: I,
        sink: &mut impl BlockSink,
    ) -> Result<(Appended, Head)>
    where
        I: IntoIterator<Item = Result<(Origin, Incoming)>>,
    {
        let mut head = self.head;
        let mut appended = Appended::default();
        let mut block: Vec<Pending> = Vec::with_capacity(BLOCK_EVENTS_MAX);
        // Index entries of the block not yet written, so later events see earlier ones.
        let mut pending_ids: FxHashMap<Uuid, usize> = FxHashMap::default();
        let mut largest_indexed = self.largest_indexed()?;
        let mut unindexed = Unindexed::new(largest_indexed.is_some());
        let now = Timestamp::now();
        for item in input {
            let (origin, incoming) = item?;
            let id = incoming.event.id;
            let at = |e: Error| origin.attach(e.at_id(id));
            // The ids tree is sorted: an id above its largest key is not in it,
            // which spares time-ordered ids (UUID v7) a lookup.
            let indexed = largest_indexed.is_some_and(|m| id.as_bytes() <= &m);
            if let Some(existing) = self.existing(&id, &block, &pending_ids, &unindexed, indexed)? {
                if same_content(&existing, &incoming) {
                    appended.already += 1;
                    appended.last = Some((id, existing.seq));
                    continue;
                }
                return Err(at(Error::new(ErrorKind::Conflict {
                    id,
                    seq: existing.seq,
                })));
            }
            let recorded = match incoming.recorded {
                Some(t) => {
                    let latest_allowed =
                        now + jiff::SignedDuration::from_secs(RECORDED_AHEAD_MAX_S);
                    if t > latest_allowed {
                        return Err(at(Error::refused(format!(
                            "recorded time {t} is in the future (now is {}; at most \
                             {RECORDED_AHEAD_MAX_S} s ahead is accepted)",
                            now.round(jiff::Unit::Second).unwrap_or(now)
                        ))));
                    }
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
            let recorded_by = self.recorder.stamp(&incoming).map_err(at)?;
            let revokes = self
                .check(&incoming.event, &block, &pending_ids, &unindexed)
                .map_err(at)?;
            head.seq += 1;
            head.recorded = Some(recorded);
            pending_ids.insert(id, block.len());
            block.push(Pending {
                record: Recorded {
                    seq: head.seq,
                    recorded,
                    recorded_by,
                    event: incoming.event,
                },
                revokes,
            });
            appended.new += 1;
            appended.last = Some((id, head.seq));
            if block.len() == BLOCK_EVENTS_MAX {
                head.hash =
                    self.write_block(&block, head.hash, largest_indexed, &mut unindexed, sink)?;
                largest_indexed = largest_id(
                    largest_indexed,
                    block.iter().map(|p| *p.record.event.id.as_bytes()),
                );
                block.clear();
                pending_ids.clear();
            }
        }
        if !block.is_empty() {
            head.hash =
                self.write_block(&block, head.hash, largest_indexed, &mut unindexed, sink)?;
        }
        unindexed.flush(self)?;
        Ok((appended, head))
    }

    /// Removes blocks beyond the committed head and their index entries:
    /// the remains of an append that failed or was interrupted.
    ///
    /// # Errors
    /// Storage failures.
    pub fn discard_uncommitted(&mut self) -> Result<()> {
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

    /// An event with this id, in the log (committed or written by this append) or in the block.
    fn existing(
        &self,
        id: &Uuid,
        block: &[Pending],
        pending_ids: &FxHashMap<Uuid, usize>,
        unindexed: &Unindexed,
        indexed: bool,
    ) -> Result<Option<Recorded>> {
        if let Some(&i) = pending_ids.get(id) {
            return Ok(Some(block[i].record.clone()));
        }
        match unindexed.seq_of(self, id, indexed)? {
            Some(seq) => self.get_any(seq),
            None => Ok(None),
        }
    }

    /// The ledger's own rules for a new event. For a revocation, returns
    /// the award it revokes (the read model counts it out).
    fn check(
        &self,
        event: &Event,
        block: &[Pending],
        pending_ids: &FxHashMap<Uuid, usize>,
        unindexed: &Unindexed,
    ) -> Result<Option<Revoked>> {
        match &event.kind {
            Kind::GamesRegistered(g) => {
                let in_block = block.iter().any(
                    |p| matches!(&p.record.event.kind, Kind::GamesRegistered(o) if o.games == g.games),
                );
                if in_block || self.games.contains_key(g.games.as_str()).map_err(storage)? {
                    return Err(Error::refused(format!(
                        "games {} is already registered",
                        g.games
                    )));
                }
            }
            Kind::MedalAwarded(_)
            | Kind::TallyPublished(_)
            | Kind::AthletesEntered(_)
            | Kind::EntrantsPublished(_) => {
                let games = event.kind.games().expect("these kinds belong to a games");
                let GamesInfo { opens, closes, .. } =
                    self.games_info(games, block)?.ok_or_else(|| {
                        Error::refused(format!("unknown games {games} (register it first)"))
                    })?;
                if event.date.first() < opens || event.date.last() > closes {
                    let what = match &event.kind {
                        Kind::MedalAwarded(_) => "medal",
                        Kind::TallyPublished(_) => "tally",
                        _ => "entry",
                    };
                    return Err(Error::refused(format!(
                        "{what} dated {} is outside {games} ({opens} to {closes})",
                        event.date
                    )));
                }
            }
            Kind::MedalRevoked(r) => {
                let award = self.existing(&r.award, block, pending_ids, unindexed, true)?;
                let Recorded {
                    seq: award_seq,
                    event: award,
                    ..
                } = award
                    .ok_or_else(|| Error::refused(format!("revokes unknown event {}", r.award)))?;
                if !matches!(award.kind, Kind::MedalAwarded(_)) {
                    return Err(Error::refused(format!(
                        "revokes {} which is a {}, not a medal_awarded",
                        r.award,
                        award.kind.name()
                    )));
                }
                let revoked_in_block = block.iter().any(
                    |p| matches!(&p.record.event.kind, Kind::MedalRevoked(o) if o.award == r.award),
                );
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
                return Ok(Some(Revoked {
                    seq: award_seq,
                    award,
                }));
            }
            _ => {}
        }
        Ok(None)
    }

    /// A games' days and unranked delegations: registered in this block, or
    /// in the log (committed or written by this append).
    fn games_info(&self, games: &GamesId, block: &[Pending]) -> Result<Option<GamesInfo>> {
        if let Some(info) = self.games_days.borrow().get(games) {
            return Ok(Some(*info));
        }
        let in_block = block.iter().find_map(|p| match &p.record.event.kind {
            Kind::GamesRegistered(g) if &g.games == games => Some(GamesInfo {
                opens: p.record.event.date.first(),
                closes: g.closes.last(),
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
        self.games_days.borrow_mut().insert(games.clone(), info);
        Ok(Some(info))
    }

    /// Writes one block and its index entries (uncommitted until the head moves).
    /// `largest_indexed` is the largest id indexed before this block: a block
    /// whose ids ascend above it is indexed as one run.
    /// Then hands the block to `sink`.
    fn write_block(
        &self,
        block: &[Pending],
        mut hash: [u8; HASH_BYTES],
        largest_indexed: Option<[u8; 16]>,
        unindexed: &mut Unindexed,
        sink: &mut impl BlockSink,
    ) -> Result<[u8; HASH_BYTES]> {
        let mut writer = BlockWriter::new();
        let mut records = Vec::with_capacity(block.len());
        for p in block {
            let bytes = codec::encode_record(&p.record);
            hash = codec::link(&hash, &bytes);
            writer.push(&bytes, &hash);
            records.push(bytes);
        }
        // The block first, its index entries after: sled recovers a prefix of
        // writes, so an index entry beyond the head always has its block, and
        // the cleanup on open (which walks blocks beyond the head) finds it.
        let key = block[0].record.seq.to_be_bytes();
        failpoint::hit("block")?;
        self.log
            .compare_and_swap(key, None as Option<&[u8]>, Some(writer.finish()))
            .map_err(storage)?
            .map_err(|_| {
                Error::corrupt(format!(
                    "log key for seq {} already exists",
                    block[0].record.seq
                ))
            })?;
        let ascending = block
            .windows(2)
            .all(|w| w[0].record.event.id.as_bytes() < w[1].record.event.id.as_bytes());
        let as_run =
            ascending && largest_indexed.is_none_or(|m| block[0].record.event.id.as_bytes() > &m);
        if as_run {
            failpoint::hit("index")?;
            let mut run = Vec::with_capacity(block.len() * RUN_ENTRY_BYTES);
            for p in block {
                run.extend_from_slice(p.record.event.id.as_bytes());
                run.extend_from_slice(&p.record.seq.to_be_bytes());
            }
            self.id_runs
                .insert(block[0].record.event.id.as_bytes(), run)
                .map_err(storage)?;
            unindexed.wrote_to_sled();
        } else {
            for p in block {
                unindexed.push(self, &p.record.event.id, p.record.seq)?;
            }
        }
        for p in block {
            let seq = p.record.seq.to_be_bytes();
            match &p.record.event.kind {
                Kind::MedalRevoked(r) => {
                    self.revoked
                        .insert(r.award.as_bytes(), &seq)
                        .map_err(storage)?;
                }
                Kind::GamesRegistered(g) => {
                    let mut value = seq.to_vec();
                    value.extend_from_slice(&encode_days(
                        p.record.event.date.first(),
                        g.closes.last(),
                    ));
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
        let written: Vec<Written<'_>> = block
            .iter()
            .zip(&records)
            .map(|(p, bytes)| Written {
                record: &p.record,
                bytes,
                revokes: p.revokes.as_ref().map(|r| (r.seq, &r.award)),
            })
            .collect();
        sink.block(&written)?;
        Ok(hash)
    }
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
    for c in codes.chunks_exact(3) {
        std::str::from_utf8(c)
            .map_err(|_| bad())?
            .parse::<crate::event::Noc>()
            .map_err(|_| bad())?;
    }
    Ok(GamesInfo {
        opens: date(&b[..4])?,
        closes: date(&b[4..])?,
    })
}
