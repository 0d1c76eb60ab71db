//! Bringing the read model up to the log. The model is never trusted over
//! the log: when the ledger is opened, a model left mid-write is cleared back
//! to its head; a model behind the log (a writer killed between the two
//! commits) replays the log from its head, once the log's own chain confirms
//! that head is a prefix of the log; anything else (no model, another layout,
//! a head the log does not have) is rebuilt from the whole log.

use super::Ledger;
use crate::error::{Error, ErrorKind, Result};
use crate::event::Kind;
use crate::log::RawBlock;
use crate::model::{Award, Counted, Fact, Fed, Model, Writer};
use crate::pipeline::read_ahead_in_batches;
use crate::record::codec::{self, PeekBody};
use crate::record::Head;

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
            Some(h) if h == self.head() => Ok(()),
            Some(h) if h.seq < self.head().seq && self.link_at(h.seq)? == Some(h.hash) => {
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

    /// Rebuilds the read model in a new file: for damage that emptying it
    /// does not mend (a damaged free list makes LMDB hand out pages still in
    /// use). Other processes reading the old file finish on it; the next
    /// ones open the new one. Returns the events replayed.
    ///
    /// # Errors
    /// Storage failures; `Corrupt` when the log does not read back.
    pub fn replace_model(self) -> Result<(Ledger, u64)> {
        let Ledger { log, model } = self;
        let path = log.path().to_path_buf();
        // The last handle of the old file in this process: closed here.
        drop(model);
        let dir = Model::path(&path);
        std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let mut ledger = Ledger {
            model: super::open_model(&path)?,
            log,
        };
        let events = ledger.rebuild_model()?;
        Ok((ledger, events))
    }

    /// Writes the log's blocks after `from` (the model's head) to the model,
    /// and moves the model's head to the log's. Returns the events written.
    ///
    /// A second thread reads the blocks and checks every record's hash
    /// link; this one peeks at each record for what the model needs (see
    /// `codec::peek_record`) and writes. A registration is decoded whole; a
    /// revocation's award is looked up by its id.
    fn feed_model(&self, from: Head) -> Result<u64> {
        let model = self.model.clone();
        let mut writer = model.writer(&from)?;
        let ledger = self;
        let blocks = ledger.blocks_from(from.seq + 1);
        let events = read_ahead_in_batches(blocks, BLOCKS_PER_BATCH, |blocks| {
            let mut events = 0u64;
            for block in blocks {
                let block = block?;
                ledger.feed_block(&block, &mut writer)?;
                events += block.len() as u64;
            }
            Ok(events)
        })?;
        writer.commit(&self.head())?;
        Ok(events)
    }

    /// Hands one block of the log to the model's writer.
    fn feed_block(&self, block: &RawBlock, writer: &mut Writer<'_>) -> Result<()> {
        let peeks = block
            .records()
            .map(|(seq, bytes)| {
                let peek = codec::peek_record(bytes).map_err(|e| e.at_seq(seq))?;
                if peek.seq != seq {
                    return Err(
                        Error::corrupt(format!("record holds seq {}", peek.seq)).at_seq(seq)
                    );
                }
                Ok(peek)
            })
            .collect::<Result<Vec<_>>>()?;
        // What the facts borrow beyond the block: registrations decoded
        // whole, and the records of revoked awards.
        let mut registrations = Vec::new();
        let mut awards = Vec::new();
        for (peek, (seq, bytes)) in peeks.iter().zip(block.records()) {
            match peek.body {
                PeekBody::Registered => registrations.push(codec::decode_record(bytes)?),
                PeekBody::Revoked { award } => awards.push(self.award_record(seq, &award)?),
                _ => {}
            }
        }
        let mut registrations = registrations.iter();
        let mut awards = awards.iter();
        let mut fed = Vec::with_capacity(block.len());
        for (peek, (seq, bytes)) in peeks.iter().zip(block.records()) {
            let fact = match peek.body {
                PeekBody::Registered => match registrations.next().map(|r| &r.event.kind) {
                    Some(Kind::GamesRegistered(g)) => Fact::Registered(g),
                    _ => {
                        return Err(
                            Error::corrupt("a registration decodes as another kind").at_seq(seq)
                        )
                    }
                },
                PeekBody::Awarded {
                    games, noc, medal, ..
                } => Fact::Awarded(Award {
                    games,
                    noc,
                    medal,
                    date: peek.date,
                }),
                PeekBody::Revoked { .. } => {
                    let (award_seq, award) = awards.next().expect("looked up above");
                    match codec::peek_record(award)?.body {
                        PeekBody::Awarded {
                            games, noc, medal, ..
                        } => Fact::Revoked {
                            date: peek.date,
                            award_seq: *award_seq,
                            award: Award {
                                games,
                                noc,
                                medal,
                                date: codec::peek_record(award)?.date,
                            },
                        },
                        _ => {
                            return Err(Error::corrupt("a revocation revokes no award").at_seq(seq))
                        }
                    }
                }
                PeekBody::Succeeded => Fact::Succeeded,
                PeekBody::Tally {
                    games,
                    sport,
                    noc,
                    gold,
                    silver,
                    bronze,
                } => Fact::Counted(Counted {
                    games,
                    noc,
                    sport,
                    counts: crate::table::Counts {
                        gold,
                        silver,
                        bronze,
                    },
                    date: peek.date,
                }),
                PeekBody::Entered { games, noc, .. } => Fact::Entered { games, noc },
                PeekBody::Other => Fact::Other,
            };
            fed.push(Fed {
                seq,
                recorded: peek.recorded,
                bytes,
                fact,
            });
        }
        writer.block(&fed)
    }

    /// The seq and record bytes of the award a logged revocation (at `seq`)
    /// revokes: an award before it.
    fn award_record(&self, seq: u64, award: &uuid::Uuid) -> Result<(u64, Vec<u8>)> {
        let found = match self.seq_of_id(award)? {
            Some(at) if at < seq => self.record_bytes(at)?.map(|bytes| (at, bytes)),
            _ => None,
        };
        found.ok_or_else(|| {
            Error::corrupt(format!("revocation of {award} has no award before it")).at_seq(seq)
        })
    }
}
