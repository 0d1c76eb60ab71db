//! Bringing the read model up to the log. The model is never trusted over
//! the log: when the ledger is opened, a model left mid-write is cleared back
//! to its head; a model behind the log (a writer killed between the two
//! commits) replays the log from its head, once the log's own chain confirms
//! that head is a prefix of the log; anything else (no model, another layout,
//! a head the log does not have) is rebuilt from the whole log.

use super::{Head, Ledger};
use crate::error::{Error, ErrorKind, Result};
use crate::event::{Kind, Recorded};
use crate::model::{Fed, Revoked};
use crate::pipeline::read_ahead_in_batches;

/// Blocks the reading thread sends at once during a rebuild (of up to 64
/// events each), which bounds the events in flight.
const BLOCKS_PER_BATCH: usize = 8;

impl Ledger {
    /// Brings the read model up to the log's committed head.
    ///
    /// # Errors
    /// Storage failures; `Corrupt` when the log does not read back.
    pub(super) fn sync_model(&mut self) -> Result<()> {
        match self.catch_up_model() {
            // Never trusted over the log: a model that does not read back is rebuilt.
            Err(e) if matches!(e.kind(), ErrorKind::Damaged(_)) => self.rebuild_model().map(|_| ()),
            result => result,
        }
    }

    fn catch_up_model(&mut self) -> Result<()> {
        let (_, intent) = self.model.state()?;
        if intent {
            self.model.discard()?;
        }
        match self.model.state()?.0 {
            Some(h) if h == self.head => Ok(()),
            Some(h) if h.seq < self.head.seq && self.link_at(h.seq)? == Some(h.hash) => {
                self.feed_model(h).map(|_| ())
            }
            _ => self.rebuild_model().map(|_| ()),
        }
    }

    /// Rebuilds the read model from the whole log. Returns the events replayed.
    ///
    /// # Errors
    /// Storage failures; `Corrupt` when the log does not read back.
    pub fn rebuild_model(&mut self) -> Result<u64> {
        self.model.clear()?;
        self.feed_model(Head::EMPTY)
    }

    /// The award a logged revocation revokes.
    fn revoked_award(&self, r: &Recorded) -> Result<Option<Revoked>> {
        let Kind::MedalRevoked(rev) = &r.event.kind else {
            return Ok(None);
        };
        match self.find(&rev.award)? {
            Some(award) if award.seq < r.seq => Ok(Some(Revoked {
                seq: award.seq,
                award: award.event,
            })),
            _ => Err(Error::corrupt(format!(
                "revocation of {} has no award before it",
                rev.award
            ))
            .at_seq(r.seq)),
        }
    }

    /// Writes the log's blocks after `from` (the model's head) to the model,
    /// reading and checking them on a second thread, and moves the model's
    /// head to the log's. Returns the events written.
    fn feed_model(&self, from: Head) -> Result<u64> {
        let model = self.model.clone();
        let mut writer = model.writer(&from)?;
        let ledger = self;
        let blocks = ledger.blocks_from(from.seq + 1, true);
        let events = read_ahead_in_batches(blocks, BLOCKS_PER_BATCH, |blocks| {
            let mut events = 0u64;
            for block in blocks {
                let block = block?;
                let revokes = block
                    .iter()
                    .map(|(r, _)| ledger.revoked_award(r))
                    .collect::<Result<Vec<_>>>()?;
                let fed: Vec<Fed<'_>> = block
                    .iter()
                    .zip(&revokes)
                    .map(|((record, bytes), revokes)| Fed {
                        record,
                        bytes,
                        revokes: revokes.as_ref(),
                    })
                    .collect();
                writer.block(&fed)?;
                events += block.len() as u64;
            }
            Ok(events)
        })?;
        writer.commit(&self.head)?;
        Ok(events)
    }
}
