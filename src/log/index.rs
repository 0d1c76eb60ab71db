//! The id index: which seq holds an event id. It answers idempotency ("is
//! this id recorded, with what content?") and revocations ("is the award
//! there?"). Ids podium makes are time-ordered (UUID v7): a block whose ids
//! ascend above every indexed id is stored as one run (tree `id_runs`, one key
//! per block); other ids (UUID v5 from natural keys) keep one key each (`ids`).

use uuid::Uuid;

use super::{seq_of, storage, LogReader};
use crate::error::{Error, Result};
use crate::event::Recorded;

/// Bytes of one entry of an id run: the id and its seq.
pub(super) const RUN_ENTRY_BYTES: usize = 24;

impl LogReader {
    /// The seq of the event with this id, committed or written by this append:
    /// a single entry in `ids`, or an entry of the run in `id_runs` whose first
    /// id is the largest at or below it.
    pub fn seq_of_id(&self, id: &Uuid) -> Result<Option<u64>> {
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
    pub(super) fn largest_indexed(&self) -> Result<Option<[u8; 16]>> {
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
}

/// The largest of `largest` and `ids`.
pub(super) fn largest_id(
    largest: Option<[u8; 16]>,
    ids: impl Iterator<Item = [u8; 16]>,
) -> Option<[u8; 16]> {
    ids.chain(largest).max()
}
