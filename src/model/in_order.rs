//! The log as the model holds it: every record, in seq order. The model
//! keeps each record once, where its questions find it (a registration in
//! `games`, a medal event or a tally in its games' `records`, entries in
//! `entries`, anything else in `facts` or `successions`); the summaries say,
//! seq by seq, which. Walking them
//! gives back the log's records in order, so `log`, `export` and `verify`
//! read a snapshot of the model and never wait for, or hold up, a writer.
//!
//! Each record found is checked to hold the seq its summary gives it, and
//! the walk to end at the head: a model that does not give back every
//! record up to its head is `Damaged` (rebuilt from the log), never a short
//! export.

use std::ops::ControlFlow;

use rustc_hash::FxHashMap;

use heed::types::Bytes;

use super::codec::{self, Summary};
use super::read::{games_index_of, View};
use super::{storage, Checked};
use crate::error::{Error, Result};
use crate::record::codec as record_codec;

type Range<'t> = heed::RoRange<'t, Bytes, Checked>;

/// One games' medal records, read chunk by chunk in seq order.
struct GamesRecords<'t> {
    chunks: Range<'t>,
    records: std::vec::IntoIter<&'t [u8]>,
}

impl<'t> GamesRecords<'t> {
    fn next(&mut self, view: &View<'_>) -> Result<Option<&'t [u8]>> {
        loop {
            if let Some(record) = self.records.next() {
                return Ok(Some(record));
            }
            let Some(item) = self.chunks.next() else {
                return Ok(None);
            };
            let (_, value) = item.map_err(storage)?;
            view.touch(value);
            self.records = codec::split_records(value)?.into_iter();
        }
    }
}

impl View<'_> {
    /// Calls `f` with the seq and bytes of every record the model holds up to
    /// seq `to` (at most the head), in log order, until it says to stop.
    ///
    /// # Errors
    /// Storage failures; `Damaged` when a record is missing, out of place or
    /// does not begin like a record; `f`'s errors.
    pub fn each_record(
        &self,
        to: u64,
        mut f: impl FnMut(u64, &[u8]) -> Result<ControlFlow<()>>,
    ) -> Result<()> {
        let bound = to.min(self.head_seq());
        let dbs = self.model().dbs();
        let txn = self.txn();
        let mut games: FxHashMap<u32, GamesRecords<'_>> = FxHashMap::default();
        let mut facts = dbs.facts.iter(txn).map_err(storage)?.peekable();
        let mut successions = dbs.successions.iter(txn).map_err(storage)?.peekable();
        let missing = |seq: u64| Error::damaged(format!("the record of seq {seq} is missing"));
        let mut next = 1u64;
        'summaries: for item in dbs.summary.iter(txn).map_err(storage)? {
            let (key, value) = item.map_err(storage)?;
            let first = codec::seq_of_key(key)?;
            if first != next {
                return Err(Error::damaged(format!(
                    "a summary begins at seq {first}; expected seq {next}"
                )));
            }
            for entry in codec::decode_summary(value)? {
                if next > bound {
                    break 'summaries;
                }
                let seq = next;
                let bytes: &[u8] = match entry.summary {
                    Summary::Registered(index) => {
                        let id = dbs
                            .games_index
                            .get(txn, &index.to_be_bytes())
                            .map_err(storage)?
                            .ok_or_else(|| missing(seq))?;
                        let value = dbs
                            .games
                            .get(txn, id)
                            .map_err(storage)?
                            .ok_or_else(|| missing(seq))?;
                        if games_index_of(value.get(..4).unwrap_or_default())? != index {
                            return Err(missing(seq));
                        }
                        value.get(12..).ok_or_else(|| missing(seq))?
                    }
                    Summary::Entered(index, noc) => dbs
                        .entries
                        .get(txn, &codec::entries_key(index, noc, seq))
                        .map_err(storage)?
                        .ok_or_else(|| missing(seq))?,
                    Summary::Medal(codec::Change { games: index, .. })
                    | Summary::Tally(codec::TallyChange { games: index, .. }) => {
                        let cursor = match games.entry(index) {
                            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                            std::collections::hash_map::Entry::Vacant(v) => {
                                let (low, high) = (
                                    codec::games_key(index, 0),
                                    codec::games_key(index, u64::MAX),
                                );
                                let range = (
                                    std::ops::Bound::Included(&low[..]),
                                    std::ops::Bound::Included(&high[..]),
                                );
                                v.insert(GamesRecords {
                                    chunks: dbs.records.range(txn, &range).map_err(storage)?,
                                    records: Vec::new().into_iter(),
                                })
                            }
                        };
                        cursor.next(self)?.ok_or_else(|| missing(seq))?
                    }
                    Summary::Other => {
                        let key = codec::seq_key(seq);
                        let holds = |next: Option<&heed::Result<(&[u8], &[u8])>>| matches!(next, Some(Ok((k, _))) if *k == key);
                        let found = if holds(facts.peek()) {
                            facts.next()
                        } else if holds(successions.peek()) {
                            successions.next()
                        } else {
                            None
                        };
                        found.ok_or_else(|| missing(seq))?.map_err(storage)?.1
                    }
                };
                self.touch(bytes);
                let peeked = record_codec::peek_record(bytes)
                    .map_err(|e| Error::damaged(format!("the record of seq {seq}: {e}")))?;
                if peeked.seq != seq {
                    return Err(Error::damaged(format!(
                        "the record found for seq {seq} holds seq {}",
                        peeked.seq
                    )));
                }
                if f(seq, bytes)?.is_break() {
                    self.release_pages();
                    return Ok(());
                }
                next += 1;
            }
        }
        self.release_pages();
        if next != bound + 1 {
            return Err(Error::damaged(format!(
                "the model holds records up to seq {} of {bound}",
                next - 1
            )));
        }
        Ok(())
    }
}
