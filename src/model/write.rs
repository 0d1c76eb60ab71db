//! Writing the read model: the log's blocks, as they are appended (or
//! replayed, in a rebuild), become the model's summaries, per-games chunks,
//! facts and epochs. Only the process that holds the log writes (see `log`).
//!
//! Protocol (see the module `model`): `Model::writer` records the intent
//! durably before anything else; blocks are then written in as many
//! transactions as they need, all beyond the model's head and so invisible
//! to readers; `Writer::commit` moves the head, removes the intent and syncs,
//! after the log's own commit. A writer dropped without `commit` leaves data
//! beyond the head, which `Model::discard` (or the next `Ledger::open`) removes.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use heed::RwTxn;

use super::codec::{self, Change, GamesMedal, Summary, SummaryEntry, TallyChange};
use super::epochs::{self, Accumulator};
use super::names;
use super::read::{self, series_of};
use super::{discard_after, storage, Model, HEAD_KEY, INTENT_KEY};
use crate::error::{Error, Result};
use crate::event::{Day, GamesId, GamesRegistered, Medal, Noc};
use crate::label::Label;
use crate::record::Head;
use crate::table::{counts_from, Counts};
use jiff::Timestamp;

/// Events written between two commits of a long append: bounds the memory
/// of LMDB's dirty pages. Readers see none of them before the head moves.
const COMMIT_EVENTS: usize = 65_536;

/// A medal award as the model needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Award<'a> {
    pub games: &'a str,
    pub noc: Noc,
    pub medal: Medal,
    /// The award's date (its day, or the span of its games).
    pub date: Day,
}

/// A tally (`tally_published`) as the model needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counted<'a> {
    pub games: &'a str,
    pub noc: Noc,
    pub sport: &'a str,
    pub counts: Counts,
    /// The tally's date (the span of its games, when no day is known).
    pub date: Day,
}

/// What the model needs of one event.
#[derive(Clone, Copy, Debug)]
pub enum Fact<'a> {
    /// A games registration, whole (the model keeps it).
    Registered(&'a GamesRegistered),
    Awarded(Award<'a>),
    /// A revocation dated `date` of the award at seq `award_seq`.
    Revoked {
        date: Day,
        award_seq: u64,
        award: Award<'a>,
    },
    /// A delegation succeeding another.
    Succeeded,
    /// Medals counted without medallists; it supersedes the last tally of
    /// the same games, delegation and sport, which the writer finds.
    Counted(Counted<'a>),
    /// A delegation's entries at a games.
    Entered {
        games: &'a str,
        noc: Noc,
    },
    /// Anything else (people, memberships, meetings, claims).
    Other,
}

/// One event of a block being written: its seq and recorded time, the bytes
/// the log stores for it, and what the model needs of it. The log builds it
/// from the events it appends, or, in a rebuild, from a peek at each record.
pub struct Fed<'a> {
    pub seq: u64,
    pub recorded: Timestamp,
    pub bytes: &'a [u8],
    pub fact: Fact<'a>,
}

/// What the writer needs to know of a games.
#[derive(Clone, Debug)]
struct GamesInfo {
    index: u32,
    series: u8,
    unranked: Vec<Noc>,
}

impl GamesInfo {
    /// What a medal event of this games changes in the all-time table.
    fn change(&self, medal: &GamesMedal) -> Change {
        Change {
            series: self.series,
            games: self.index,
            day: medal.day,
            noc: medal.noc,
            medal: medal.medal,
            ranked: !self.unranked.contains(&medal.noc),
            revoked: medal.revokes.is_some(),
        }
    }
}

/// One games' medal events of one block, their records, in seq order, and
/// the words of their athletes' names (for the name index).
#[derive(Default)]
struct GamesChunk {
    medals: Vec<GamesMedal>,
    records: Vec<u8>,
    words: Vec<String>,
}

impl GamesChunk {
    /// One event's medal events (one, or a tally's several) and its record.
    fn push(&mut self, medals: impl IntoIterator<Item = GamesMedal>, record: &[u8]) {
        self.medals.extend(medals);
        codec::push_record(&mut self.records, record);
    }
}

/// One `GamesMedal` per medal of `counts`, each made by `medal`.
fn each_medal(
    counts: Counts,
    medal: impl Fn(Medal) -> GamesMedal,
) -> impl Iterator<Item = GamesMedal> {
    Medal::ALL
        .into_iter()
        .flat_map(move |m| std::iter::repeat_n(m, counts_of(counts, m) as usize))
        .map(medal)
}

fn counts_of(counts: Counts, medal: Medal) -> u32 {
    match medal {
        Medal::Gold => counts.gold,
        Medal::Silver => counts.silver,
        Medal::Bronze => counts.bronze,
    }
}

/// A writer of the model; see the module's comment for the protocol.
pub struct Writer<'m> {
    model: &'m Model,
    txn: Option<RwTxn<'m>>,
    /// The next seq expected: events arrive in log order, without gaps.
    next: u64,
    epoch: Accumulator,
    epoch_events: u64,
    games: FxHashMap<String, GamesInfo>,
    next_games: u32,
    uncommitted: usize,
}

impl Model {
    /// Starts writing the events after `head`, which must be the model's
    /// head: records the intent (durably), and reads what the epoch under
    /// way has changed so far.
    ///
    /// # Errors
    /// Storage failures; `Internal` when `head` is not the model's head.
    pub(crate) fn writer(&self, head: &Head) -> Result<Writer<'_>> {
        let mut txn = self.write_txn()?;
        let current = read::head_in(self, &txn)?;
        if current.map_or(0, |h| h.seq) != head.seq {
            return Err(Error::internal(format!(
                "the read model reflects seq {} but the writer starts at {}",
                current.map_or(0, |h| h.seq),
                head.seq
            )));
        }
        self.dbs()
            .meta
            .put(&mut txn, INTENT_KEY, &[])
            .map_err(storage)?;
        txn.commit().map_err(storage)?;
        self.sync()?;
        let txn = self.read_txn()?;
        let epoch_events = epochs::epoch_events(self, &txn)?;
        let mut epoch = Accumulator::default();
        let epoch_start = head.seq / epoch_events * epoch_events + 1;
        for (seq, entry) in read::summaries(self, &txn, epoch_start, head.seq)? {
            if seq <= head.seq {
                for change in entry.summary.changes() {
                    epoch.add(&change);
                }
            }
        }
        let next_games = match self.dbs().games_index.last(&txn).map_err(storage)? {
            Some((key, _)) => read::games_index_of(key)? + 1,
            None => 0,
        };
        drop(txn);
        Ok(Writer {
            model: self,
            txn: None,
            next: head.seq + 1,
            epoch,
            epoch_events,
            games: FxHashMap::default(),
            next_games,
            uncommitted: 0,
        })
    }

    /// Removes what a failed or interrupted writer left beyond the head,
    /// and the intent.
    ///
    /// # Errors
    /// Storage failures.
    pub(crate) fn discard(&self) -> Result<()> {
        let mut txn = self.write_txn()?;
        let head = read::head_in(self, &txn)?.map_or(0, |h| h.seq);
        discard_after(self, &mut txn, head)?;
        self.dbs()
            .meta
            .delete(&mut txn, INTENT_KEY)
            .map_err(storage)?;
        txn.commit().map_err(storage)?;
        self.sync()
    }
}

impl<'m> Writer<'m> {
    fn txn(&mut self) -> Result<&mut RwTxn<'m>> {
        if self.txn.is_none() {
            self.txn = Some(self.model.write_txn()?);
        }
        Ok(self.txn.as_mut().expect("opened above"))
    }

    /// A games' index, series and unranked delegations: registered earlier
    /// in this writer, or in the model.
    fn games_info(&mut self, games: &str) -> Result<&GamesInfo> {
        if !self.games.contains_key(games) {
            self.load_games(games)?;
        }
        Ok(&self.games[games])
    }

    fn load_games(&mut self, games: &str) -> Result<()> {
        let unknown = || Error::internal(format!("the read model does not know games {games}"));
        let id: GamesId = games.parse().map_err(|_| unknown())?;
        let model = self.model;
        let txn = self.txn()?;
        let entry = read::games_entry(model, txn, &id)?.ok_or_else(unknown)?;
        let info = GamesInfo {
            index: entry.index,
            series: entry.series,
            unranked: entry.registered().unranked.clone(),
        };
        self.games.insert(games.to_owned(), info);
        Ok(())
    }

    /// What a tally at `seq` changes: its medals, and those of the last
    /// tally of the same games, delegation and sport, which it supersedes
    /// (from the later of the two days, as a revocation would), with that
    /// tally's seq. Records the tally for the next one to find.
    fn tally(&mut self, seq: u64, t: &Counted<'_>) -> Result<(TallyChange, Option<u64>)> {
        let info = self.games_info(t.games)?.clone();
        let sport = Label::new(t.sport).key();
        let model = self.model;
        let tallies = model.dbs().tallies;
        let txn = self.txn()?;
        let prefix = codec::tally_key(info.index, t.noc, &sport, None);
        let last = match tallies
            .rev_prefix_iter(txn, &prefix)
            .map_err(storage)?
            .next()
        {
            Some(item) => {
                let (key, value) = item.map_err(storage)?;
                Some((codec::seq_ending_key(key)?, codec::decode_tally(value)?))
            }
            None => None,
        };
        let day = codec::day_number(counts_from(&t.date));
        tallies
            .put(
                txn,
                &codec::tally_key(info.index, t.noc, &sport, Some(seq)),
                &codec::encode_tally(day, t.counts),
            )
            .map_err(storage)?;
        let change = TallyChange {
            series: info.series,
            games: info.index,
            noc: t.noc,
            ranked: !info.unranked.contains(&t.noc),
            day,
            counts: t.counts,
            previous: last.map(|(_, (previous_day, counts))| (day.max(previous_day), counts)),
        };
        Ok((change, last.map(|(seq, _)| seq)))
    }

    /// Writes one block of the log (consecutive events, in order).
    ///
    /// # Errors
    /// Storage failures; `Internal` when the events do not follow the last.
    pub fn block(&mut self, block: &[Fed<'_>]) -> Result<()> {
        let Some(first) = block.first().map(|f| f.seq) else {
            return Ok(());
        };
        let mut summaries = Vec::with_capacity(block.len());
        let mut games: BTreeMap<u32, GamesChunk> = BTreeMap::new();
        for fed in block {
            if fed.seq != self.next {
                return Err(Error::internal(format!(
                    "the read model expected seq {} and was given {}",
                    self.next, fed.seq
                )));
            }
            self.next += 1;
            let summary = match fed.fact {
                Fact::Registered(g) => {
                    let info = GamesInfo {
                        index: self.next_games,
                        series: series_of(g),
                        unranked: g.unranked.clone(),
                    };
                    self.next_games += 1;
                    let model = self.model;
                    let txn = self.txn()?;
                    read::put_games(model, txn, &g.games, info.index, fed.seq, fed.bytes)?;
                    for (noc, name) in &g.delegations {
                        read::put_name(model, txn, *noc, fed.seq, name)?;
                    }
                    let index = info.index;
                    self.games.insert(g.games.to_string(), info);
                    Summary::Registered(index)
                }
                Fact::Awarded(a) => {
                    let medal = GamesMedal {
                        seq: fed.seq,
                        day: codec::day_number(counts_from(&a.date)),
                        noc: a.noc,
                        medal: a.medal,
                        revokes: None,
                        tally: false,
                    };
                    let change = self.games_info(a.games)?.change(&medal);
                    let chunk = games.entry(change.games).or_default();
                    chunk.push([medal], fed.bytes);
                    chunk.words.extend(names::award_words(fed.bytes)?);
                    Summary::Medal(change)
                }
                Fact::Counted(t) => {
                    let (change, superseded) = self.tally(fed.seq, &t)?;
                    let gained = each_medal(change.counts, |medal| GamesMedal {
                        seq: fed.seq,
                        day: change.day,
                        noc: t.noc,
                        medal,
                        revokes: None,
                        tally: true,
                    });
                    // The superseded tally's medals stop counting as its
                    // revocation's would: one revoking entry per medal.
                    let lost = change.previous.into_iter().flat_map(|(ends, counts)| {
                        each_medal(counts, move |medal| GamesMedal {
                            seq: fed.seq,
                            day: ends,
                            noc: t.noc,
                            medal,
                            revokes: superseded,
                            tally: true,
                        })
                    });
                    games
                        .entry(change.games)
                        .or_default()
                        .push(lost.chain(gained), fed.bytes);
                    Summary::Tally(change)
                }
                Fact::Entered { games, noc } => {
                    let index = self.games_info(games)?.index;
                    let dbs = self.model.dbs();
                    dbs.entries
                        .put(
                            self.txn()?,
                            &codec::entries_key(index, noc, fed.seq),
                            fed.bytes,
                        )
                        .map_err(storage)?;
                    Summary::Entered(index, noc)
                }
                Fact::Revoked {
                    date,
                    award_seq,
                    award,
                } => {
                    // Not before the award itself counts (a revocation dated by
                    // its month may begin before the award's day).
                    let day = counts_from(&date).max(counts_from(&award.date));
                    let medal = GamesMedal {
                        seq: fed.seq,
                        day: codec::day_number(day),
                        noc: award.noc,
                        medal: award.medal,
                        revokes: Some(award_seq),
                        tally: false,
                    };
                    let change = self.games_info(award.games)?.change(&medal);
                    let model = self.model;
                    model
                        .dbs()
                        .revocations
                        .put(
                            self.txn()?,
                            &award_seq.to_be_bytes(),
                            &names::revocation_value(fed.seq, change.games),
                        )
                        .map_err(storage)?;
                    games
                        .entry(change.games)
                        .or_default()
                        .push([medal], fed.bytes);
                    Summary::Medal(change)
                }
                Fact::Other | Fact::Succeeded => {
                    let model = self.model;
                    let dbs = model.dbs();
                    let db = match fed.fact {
                        Fact::Succeeded => dbs.successions,
                        _ => dbs.facts,
                    };
                    db.put(self.txn()?, &codec::seq_key(fed.seq), fed.bytes)
                        .map_err(storage)?;
                    Summary::Other
                }
            };
            for change in summary.changes() {
                self.epoch.add(&change);
            }
            summaries.push(SummaryEntry {
                recorded: fed.recorded,
                summary,
            });
            if fed.seq % self.epoch_events == 0 {
                let epoch = u32::try_from(fed.seq / self.epoch_events)
                    .map_err(|_| Error::internal("the log has more epochs than fit in u32"))?;
                let acc = std::mem::take(&mut self.epoch);
                let model = self.model;
                epochs::write(model, self.txn()?, epoch, &acc)?;
            }
        }
        let model = self.model;
        let txn = self.txn()?;
        let dbs = model.dbs();
        dbs.summary
            .put(
                txn,
                &codec::seq_key(first),
                &codec::encode_summary(&summaries),
            )
            .map_err(storage)?;
        for (index, chunk) in games {
            let first = chunk.medals.first().map_or(first, |m| m.seq);
            let key = codec::games_key(index, first);
            dbs.medals
                .put(txn, &key, &codec::encode_games_medals(first, &chunk.medals))
                .map_err(storage)?;
            dbs.records
                .put(txn, &key, &chunk.records)
                .map_err(storage)?;
            if !chunk.words.is_empty() {
                let mut bloom = names::Bloom::for_words(chunk.words.len());
                for word in &chunk.words {
                    bloom.insert(word);
                }
                dbs.name_blooms
                    .put(txn, &key, &bloom.to_bytes())
                    .map_err(storage)?;
            }
        }
        self.uncommitted += block.len();
        if self.uncommitted >= COMMIT_EVENTS {
            if let Some(txn) = self.txn.take() {
                txn.commit().map_err(storage)?;
            }
            self.uncommitted = 0;
        }
        Ok(())
    }

    /// Makes the model reflect the log up to `head`, which must end the
    /// events written: moves the head, removes the intent, and syncs.
    ///
    /// # Errors
    /// Storage failures; `Internal` when `head` is not where the events end.
    pub fn commit(mut self, head: &Head) -> Result<()> {
        if head.seq + 1 != self.next {
            return Err(Error::internal(format!(
                "the read model was given events up to seq {} but the head is {}",
                self.next - 1,
                head.seq
            )));
        }
        let model = self.model;
        let txn = self.txn()?;
        model
            .dbs()
            .meta
            .put(txn, HEAD_KEY, &head.encode())
            .map_err(storage)?;
        model.dbs().meta.delete(txn, INTENT_KEY).map_err(storage)?;
        self.txn
            .take()
            .expect("opened above")
            .commit()
            .map_err(storage)?;
        model.sync()
    }
}
