//! The tables store: the derived state, in a sled database of its own (the
//! ledger directory's `tables/`), so that a medal-table query opens a small
//! database instead of the whole log. sled's open reads its page table and
//! walks its segments, which grows with the database: at 10 M events opening
//! the log takes 50-90 ms, most of a `podium table` process.
//!
//! Trees (see `derived` for the encodings):
//! - `games_days`: games id, 0xFF, day key -> that games' change on that day.
//! - `all_days`: day key -> the all-time change on that day.
//! - `all_months`: month key -> all-time counts at the end of that month.
//! - `names`: code -> the first name a games registration gave it.
//! - `games`: games id -> its registration event, as a JSON line.
//! - default tree, key `state`: the log head the trees reflect, then
//!   `LAYOUT`. Absent while they may not reflect it.
//!
//! The protocol that lets a query trust the trees without opening the log:
//! every change to the log is preceded by removing `state` durably (flushed),
//! and `state` is written again, and flushed, only after the log's head moved
//! and the trees reflect it. So whenever `state` is present, it is the log's
//! committed head. When the log is open too, `state` is also compared with
//! its head; on any difference the trees are rebuilt from the log.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::Timestamp;

use super::derived::{self, Deltas, Snapshot};
use super::{open_sled, storage, Head};
use crate::error::{Error, Result};
use crate::event::{Event, GamesId, GamesRegistered, Kind, Noc};
use crate::jsonl::{self, Incoming};

/// The tables store's directory inside a ledger directory.
pub const DIR: &str = "tables";
/// The layout of the trees; a `state` of another layout reads as absent.
const LAYOUT: u8 = 5;
const STATE_KEY: &[u8] = b"state";

/// An open tables store. Holding one holds sled's lock on `tables/`.
pub struct Tables {
    db: sled::Db,
    games_days: sled::Tree,
    all_days: sled::Tree,
    all_months: sled::Tree,
    names: sled::Tree,
    games: sled::Tree,
}

impl Tables {
    pub fn path(ledger: &Path) -> PathBuf {
        ledger.join(DIR)
    }

    /// Opens (or creates) the tables store of the ledger at `ledger`.
    pub(super) fn open(ledger: &Path) -> Result<Tables> {
        let db = open_sled(&Tables::path(ledger))?;
        Ok(Tables {
            games_days: db.open_tree("games_days").map_err(storage)?,
            all_days: db.open_tree("all_days").map_err(storage)?,
            all_months: db.open_tree("all_months").map_err(storage)?,
            names: db.open_tree("names").map_err(storage)?,
            games: db.open_tree("games").map_err(storage)?,
            db,
        })
    }

    /// Opens the tables store alone, for a query, when it reflects the log:
    /// returns it with the log head it reflects, or `None` when there is no
    /// store or it may be behind the log (then open the `Ledger`, which
    /// brings it up to date).
    ///
    /// # Errors
    /// `Busy` when another process holds it; storage failures.
    pub fn open_current(ledger: &Path) -> Result<Option<(Tables, Head)>> {
        if !Tables::path(ledger).join("conf").is_file() {
            return Ok(None);
        }
        let tables = Tables::open(ledger)?;
        Ok(tables.state()?.map(|head| (tables, head)))
    }

    /// Opens the tables store alone when it can answer a query known at
    /// `known_at`: it reflects the log, and everything in the log was known
    /// then. `None` otherwise.
    ///
    /// # Errors
    /// As `open_current`.
    pub fn open_answering(ledger: &Path, known_at: Option<Timestamp>) -> Result<Option<Tables>> {
        Ok(Tables::open_current(ledger)?
            .filter(|(_, head)| Tables::answers(head, known_at))
            .map(|(tables, _)| tables))
    }

    /// The log head the trees reflect, when they are known to reflect one.
    pub(super) fn state(&self) -> Result<Option<Head>> {
        match self.db.get(STATE_KEY).map_err(storage)? {
            Some(v) if v.last() == Some(&LAYOUT) => Ok(Head::decode(&v[..v.len() - 1]).ok()),
            _ => Ok(None),
        }
    }

    /// Marks the trees as possibly behind the log, durably: before any
    /// change to the log or to the trees.
    pub(super) fn mark_behind(&self) -> Result<()> {
        if self.db.remove(STATE_KEY).map_err(storage)?.is_some() {
            self.db.flush().map_err(storage)?;
        }
        Ok(())
    }

    /// Marks the trees as reflecting the log up to `head`, durably.
    pub(super) fn mark_current(&self, head: &Head) -> Result<()> {
        let mut state = head.encode();
        state.push(LAYOUT);
        self.db.insert(STATE_KEY, state).map_err(storage)?;
        self.db.flush().map_err(storage)?;
        Ok(())
    }

    /// Empties every tree (the state first).
    pub(super) fn clear(&self) -> Result<()> {
        self.mark_behind()?;
        for tree in [
            &self.games_days,
            &self.all_days,
            &self.all_months,
            &self.names,
            &self.games,
        ] {
            tree.clear().map_err(storage)?;
        }
        Ok(())
    }

    /// Adds an append's changes to the trees.
    pub(super) fn apply(&self, deltas: &Deltas) -> Result<()> {
        for (noc, name) in &deltas.names {
            // The first name a registration gives a delegation stays.
            let _ = self
                .names
                .compare_and_swap(noc.as_str(), None as Option<&[u8]>, Some(name.as_bytes()))
                .map_err(storage)?;
        }
        for event in &deltas.registrations {
            if let Kind::GamesRegistered(g) = &event.kind {
                let mut line = Vec::new();
                jsonl::write_line(&mut line, event, None)
                    .map_err(|e| Error::corrupt(format!("registration of {}: {e}", g.games)))?;
                self.games.insert(g.games.as_str(), line).map_err(storage)?;
            }
        }
        derived::apply_days(&self.all_days, |d| d.to_vec(), &deltas.all)?;
        derived::apply_series(&self.all_months, |m| m.to_vec(), &deltas.months())?;
        for (games, days) in &deltas.games {
            derived::apply_days(&self.games_days, |d| derived::games_key(games, d), days)?;
        }
        Ok(())
    }

    /// Whether the trees answer a query known at `known_at` for a log whose
    /// head is `head`: only when everything in the log was known then.
    pub fn answers(head: &Head, known_at: Option<Timestamp>) -> bool {
        match (known_at, head.recorded) {
            (Some(k), Some(latest)) => k >= latest,
            _ => true,
        }
    }

    /// One games' counts as of `as_of` (the sum of its days up to it).
    ///
    /// # Errors
    /// Storage or decoding failures.
    pub fn games_snapshot(&self, games: &GamesId, as_of: Option<Date>) -> Result<Snapshot> {
        let day = as_of.map_or([0xFF; 4], derived::day_key);
        let mut snapshot = Snapshot::new();
        let from = derived::games_key(games, [0; 4]);
        for item in self.games_days.range(from..=derived::games_key(games, day)) {
            derived::add_into(&mut snapshot, &derived::decode(&item.map_err(storage)?.1)?);
        }
        Ok(snapshot)
    }

    /// The all-time counts as of `as_of`: the snapshot at the end of the last
    /// month before `as_of`'s, plus the changes of its month's days up to it.
    ///
    /// # Errors
    /// Storage or decoding failures.
    pub fn all_snapshot(&self, as_of: Option<Date>) -> Result<Snapshot> {
        let day = as_of.map_or([0xFF; 4], derived::day_key);
        let month = derived::month_key(day);
        let mut snapshot = match self.all_months.range(..month).next_back() {
            Some(item) => derived::decode(&item.map_err(storage)?.1)?,
            None => Snapshot::new(),
        };
        for item in self.all_days.range(month..=day) {
            derived::add_into(&mut snapshot, &derived::decode(&item.map_err(storage)?.1)?);
        }
        Ok(snapshot)
    }

    /// The names games registrations give delegations (the first one given).
    ///
    /// # Errors
    /// Storage failures.
    pub fn delegation_names(&self) -> Result<BTreeMap<Noc, String>> {
        let mut names = BTreeMap::new();
        for item in self.names.iter() {
            let (k, v) = item.map_err(storage)?;
            if let (Ok(code), Ok(name)) = (std::str::from_utf8(&k), String::from_utf8(v.to_vec())) {
                if let Ok(noc) = code.parse() {
                    names.insert(noc, name);
                }
            }
        }
        Ok(names)
    }

    /// A games' registration: its opening day and what it registered.
    ///
    /// # Errors
    /// Storage failures, or `Corrupt` when it does not decode.
    pub fn games_registration(&self, games: &GamesId) -> Result<Option<(Date, GamesRegistered)>> {
        let Some(line) = self.games.get(games.as_str()).map_err(storage)? else {
            return Ok(None);
        };
        let bad = |why: String| Error::corrupt(format!("tables entry of games {games}: {why}"));
        let text = std::str::from_utf8(&line).map_err(|e| bad(e.to_string()))?;
        match jsonl::parse_line(text).map_err(|e| bad(e.to_string()))? {
            Some(Incoming {
                event:
                    Event {
                        date,
                        kind: Kind::GamesRegistered(g),
                        ..
                    },
                ..
            }) => Ok(Some((date.first(), g))),
            _ => Err(bad("not a games registration".to_owned())),
        }
    }
}
