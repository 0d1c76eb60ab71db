//! The ledger: the log (sled) and the read model (LMDB) kept together. The
//! one layer that knows both, and the only code that writes either: it keeps
//! the write protocol between them, so that neither store knows the other.
//!
//! The protocol of an append (ARCHITECTURE.md, "Writes"):
//! 1. `Model::writer` records the model's intent and syncs, before the log
//!    changes;
//! 2. the log writes each block beyond its head and hands it to the model's
//!    writer (`Follow`), which writes it beyond the model's head;
//! 3. the log commits its head (flush and sync); then the model moves its
//!    head and removes its intent;
//! 4. on any error both are cut back to their heads.
//!
//! Opening brings the model up to the log (`sync`): the model is never
//! trusted over the log.

mod import;
mod room;
mod sync;

use std::ops::{Deref, DerefMut};
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
use crate::event::{AthletesEntered, EntrantsPublished, Event, Kind};
use crate::failpoint;
use crate::jsonl::Incoming;
use crate::log::{BlockSink, Log, LogReader, Written};
use crate::model::{self, Award, Counted, Fact, Model};

pub use crate::log::{Appended, Origin, Recorder};
pub use import::{append_jsonl, import_reader, import_seed};

/// An open ledger: its log, whose lock makes this process the only writer,
/// and its read model, kept up to date with the log.
pub struct Ledger {
    log: Log,
    model: Model,
}

impl Ledger {
    /// Opens the ledger at `path`, creating an empty one if `create` is set,
    /// and brings its read model up to date.
    ///
    /// # Errors
    /// `NoLedger` when it does not exist and `create` is false; `Busy` when
    /// another process holds it after `log::BUSY_TIMEOUT_MS`; `Storage` or
    /// `Io` when the directory cannot be used; `DiskFull` when the model
    /// cannot be brought up to date for want of room.
    pub fn open(path: &Path, create: bool) -> Result<Ledger> {
        let log = Log::open(path, create)?;
        let model = open_model(path)?;
        let mut ledger = Ledger { log, model };
        ledger.model.clear_stale_readers()?;
        ledger.sync_model().map_err(|e| ledger.out_of_room(e))?;
        Ok(ledger)
    }

    pub fn path(&self) -> &Path {
        self.log.path()
    }

    /// A reader of the log as committed now, for another thread: it never
    /// sees what this ledger appends later.
    pub fn reader(&self) -> LogReader {
        self.log.reader()
    }

    /// Who records the events appended from now on (`Recorder::AsGiven`
    /// until set): the command line's user, or a server's token holder.
    pub fn set_recorder(&mut self, recorder: Recorder) {
        self.log.set_recorder(recorder);
    }

    /// The read model, which reflects the committed log.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Appends one event. Returns its seq, and whether it was new.
    ///
    /// # Errors
    /// As `append_all`.
    pub fn append(&mut self, incoming: Incoming) -> Result<(u64, bool)> {
        let done = self.append_all(std::iter::once(Ok((Origin::default(), incoming))))?;
        let (_, seq) = done.last.expect("one event was appended or found");
        Ok((seq, done.new == 1))
    }

    /// Appends events atomically to the log and the model: either every new
    /// event is committed, or none is and the ledger is unchanged. Events
    /// already recorded with the same content are skipped. Reads its input
    /// as it goes, with bounded memory.
    ///
    /// # Errors
    /// As `Log::write_uncommitted` (invalid input, refusals, storage), and
    /// `DiskFull` when a write found no room.
    pub fn append_all<I>(&mut self, input: I) -> Result<Appended>
    where
        I: IntoIterator<Item = Result<(Origin, Incoming)>>,
    {
        let model = self.model.clone();
        let mut follow = Follow(model.writer(&self.log.head())?);
        let written =
            self.log
                .write_uncommitted(input, &mut follow)
                .and_then(|(appended, head)| {
                    if appended.new > 0 {
                        self.log.commit_head(head)?;
                    }
                    Ok(appended)
                });
        match written {
            Ok(appended) => {
                // The log has committed: a failure from here on leaves the
                // model behind it, with its intent, and the next open catches up.
                let head = self.log.head();
                failpoint::hit("model-head")
                    .and_then(|()| follow.0.commit(&head))
                    .map_err(|e| {
                        Error::new(ErrorKind::Storage(format!(
                        "the events are recorded (the log's head is seq {}), but the read model \
                         could not follow them ({e}); the next podium command brings it up to date",
                        head.seq
                    )))
                    })?;
                Ok(appended)
            }
            Err(e) => {
                drop(follow);
                let e = self.out_of_room(e);
                // The first error is the one to report. A discard that fails
                // too (the disk is still full) leaves the remains beyond both
                // heads, where no reader looks; the next open removes them.
                let discarded = self
                    .log
                    .discard_uncommitted()
                    .and_then(|()| self.model.discard());
                if let Err(later) = discarded {
                    if !matches!(later.kind(), ErrorKind::DiskFull(_)) {
                        return Err(later);
                    }
                }
                Err(e)
            }
        }
    }
}

/// The model's writer, following each block the log writes.
struct Follow<'a>(model::Writer<'a>);

impl BlockSink for Follow<'_> {
    fn block(&mut self, block: &[Written<'_>]) -> Result<()> {
        let fed = block
            .iter()
            .map(|w| {
                Ok(model::Fed {
                    seq: w.record.seq,
                    recorded: w.record.recorded,
                    bytes: w.bytes,
                    fact: fact(w)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        failpoint::hit("model")?;
        self.0.block(&fed)
    }
}

/// What the read model needs of an event just written.
fn fact<'a>(w: &Written<'a>) -> Result<Fact<'a>> {
    fn award(event: &Event) -> Option<Award<'_>> {
        match &event.kind {
            Kind::MedalAwarded(m) => Some(Award {
                games: m.games.as_str(),
                noc: m.noc,
                medal: m.medal,
                date: event.date,
            }),
            _ => None,
        }
    }
    let event = &w.record.event;
    Ok(match &event.kind {
        Kind::GamesRegistered(g) => Fact::Registered(g),
        Kind::MedalAwarded(_) => Fact::Awarded(award(event).expect("an award")),
        Kind::MedalRevoked(_) => {
            let revoked = w.revokes.and_then(|(seq, e)| Some((seq, award(e)?)));
            let (award_seq, award) = revoked.ok_or_else(|| {
                Error::internal(format!(
                    "revocation at seq {} without the award it revokes",
                    w.record.seq
                ))
            })?;
            Fact::Revoked {
                date: event.date,
                award_seq,
                award,
            }
        }
        Kind::DelegationSucceeded(_) => Fact::Succeeded,
        Kind::TallyPublished(t) => Fact::Counted(Counted {
            games: t.games.as_str(),
            noc: t.noc,
            sport: &t.sport,
            counts: t.into(),
            date: event.date,
        }),
        Kind::AthletesEntered(AthletesEntered { games, noc, .. })
        | Kind::EntrantsPublished(EntrantsPublished { games, noc, .. }) => Fact::Entered {
            games: games.as_str(),
            noc: *noc,
        },
        _ => Fact::Other,
    })
}

/// The read model beside the log, created if missing; one LMDB refuses to
/// open (a damaged file) is removed and created again, to be rebuilt.
fn open_model(path: &Path) -> Result<Model> {
    match Model::create(path) {
        Err(e) if matches!(e.kind(), ErrorKind::Damaged(_)) => {
            let dir = Model::path(path);
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
            Model::create(path)
        }
        result => result,
    }
}

/// A ledger reads as its log's committed reader.
impl Deref for Ledger {
    type Target = LogReader;

    fn deref(&self) -> &LogReader {
        &self.log
    }
}

impl DerefMut for Ledger {
    fn deref_mut(&mut self) -> &mut LogReader {
        &mut self.log
    }
}
