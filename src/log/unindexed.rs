//! The single entries of the id index (`ids`) an append has not written yet.
//!
//! Ids that do not ascend (UUID v5 from natural keys, as events/ has them)
//! take one key each in `ids`, and sled writes random keys slowly: as one
//! batch of 64 per block, the index was most of the time of seeding the
//! bundled history. So an append keeps them here, and writes them sorted, in
//! batches of up to `UNINDEXED_MAX` (after their blocks, which keeps "an
//! index entry beyond the head always has its block"), and before it moves
//! the head. Lookups see them here first. And an append that starts on an
//! empty index (a new ledger, the seed) need not ask sled at all until it
//! writes something there: every id it can find is its own.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::{storage, Log};
use crate::error::Result;
use crate::failpoint;

/// Most entries held before they are written: bounds the memory of an
/// append of any length (24 bytes an entry and the map's own).
pub(super) const UNINDEXED_MAX: usize = 65_536;

/// Index entries written to the log's blocks but not yet to `ids`.
pub(super) struct Unindexed {
    entries: BTreeMap<[u8; 16], u64>,
    /// Whether sled's index may hold an id this append could meet: it held
    /// one when the append began, or the append wrote some (a run, or a batch).
    sled_may_hold: bool,
}

impl Unindexed {
    /// For an append to an index that holds ids (`sled_holds`) or none.
    pub(super) fn new(sled_holds: bool) -> Unindexed {
        Unindexed {
            entries: BTreeMap::new(),
            sled_may_hold: sled_holds,
        }
    }

    /// The seq of an id this append wrote, or that sled's index holds when
    /// `indexed` says it may (its id is not above the largest indexed one).
    pub(super) fn seq_of(&self, log: &Log, id: &Uuid, indexed: bool) -> Result<Option<u64>> {
        if let Some(&seq) = self.entries.get(id.as_bytes()) {
            return Ok(Some(seq));
        }
        if !indexed || !self.sled_may_hold {
            return Ok(None);
        }
        log.seq_of_id(id)
    }

    /// Notes that the append wrote to sled's index directly (a run).
    pub(super) fn wrote_to_sled(&mut self) {
        self.sled_may_hold = true;
    }

    /// Holds one entry; writes them all when there are `UNINDEXED_MAX`.
    pub(super) fn push(&mut self, log: &Log, id: &Uuid, seq: u64) -> Result<()> {
        self.entries.insert(*id.as_bytes(), seq);
        if self.entries.len() >= UNINDEXED_MAX {
            self.flush(log)?;
        }
        Ok(())
    }

    /// Writes every entry held, in key order, as one batch.
    pub(super) fn flush(&mut self, log: &Log) -> Result<()> {
        if self.entries.is_empty() {
            return Ok(());
        }
        failpoint::hit("index")?;
        let mut batch = sled::Batch::default();
        for (id, seq) in std::mem::take(&mut self.entries) {
            batch.insert(&id, &seq.to_be_bytes());
        }
        log.ids.apply_batch(batch).map_err(storage)?;
        self.sled_may_hold = true;
        Ok(())
    }
}
