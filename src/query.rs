//! The table questions the CLI and the benchmarks ask.
//!
//! When the ledger's derived state answers (it reflects the whole log and
//! everything in it was known at `known_at`), a table as of any date is a
//! few range reads in the tables store; otherwise the log is streamed
//! through a pure fold (the `*_replay` functions), never loaded whole into
//! memory. Tests prove the two agree.

use std::collections::BTreeSet;
use std::path::Path;

use crate::alltime::{AllTimeFold, RevokedAward};
use crate::error::{Error, Result};
use crate::event::{GamesId, Kind, Noc};
use crate::log::{Ledger, Tables};
use crate::table::{rank, Bounds, RankBy, Row, TableFold};

/// Folds one games at `bounds`, refusing a games the ledger does not know.
///
/// # Errors
/// `Refused` for an unknown games; `Corrupt` when a record does not decode.
pub fn fold_games(ledger: &Ledger, games: &GamesId, bounds: Bounds) -> Result<TableFold> {
    let mut fold = TableFold::new(games.clone(), bounds);
    for r in ledger.iter() {
        let r = r?;
        if !bounds.known(&r) {
            // recorded never decreases along the log: nothing later is known either.
            break;
        }
        fold.apply(&r);
    }
    if fold.games().is_none() {
        return Err(unknown_games(games));
    }
    Ok(fold)
}

/// The refusal of a games the ledger does not know.
pub fn unknown_games(games: &GamesId) -> Error {
    Error::refused(format!("unknown games {games} (podium games lists them)"))
}

/// One games' medal table at `bounds`.
///
/// # Errors
/// As `fold_games`.
pub fn games_table(
    ledger: &Ledger,
    games: &GamesId,
    bounds: Bounds,
    by: RankBy,
) -> Result<Vec<Row>> {
    if !ledger.derived_answers(bounds.known_at)? {
        return games_table_replay(ledger, games, bounds, by);
    }
    games_table_derived(ledger.tables(), games, bounds, by)
}

/// One games' medal table at `bounds` from the tables store alone, which
/// the caller knows to reflect the log (`Tables::open_current`,
/// `Tables::answers`).
///
/// # Errors
/// `Refused` for an unknown games; storage or decoding failures.
pub fn games_table_derived(
    tables: &Tables,
    games: &GamesId,
    bounds: Bounds,
    by: RankBy,
) -> Result<Vec<Row>> {
    let (_, g) = tables
        .games_registration(games)?
        .ok_or_else(|| unknown_games(games))?;
    let snapshot = tables.games_snapshot(games, bounds.as_of)?;
    let counts = snapshot.iter().map(|(noc, t)| (*noc, t.counts()));
    let unranked: BTreeSet<Noc> = g.unranked.iter().copied().collect();
    Ok(rank(counts, &unranked, &g.delegations, by))
}

/// One games' medal table at `bounds`, by replaying the log.
///
/// # Errors
/// As `fold_games`.
pub fn games_table_replay(
    ledger: &Ledger,
    games: &GamesId,
    bounds: Bounds,
    by: RankBy,
) -> Result<Vec<Row>> {
    Ok(fold_games(ledger, games, bounds)?.table(by))
}

/// The all-time table over every games at `bounds`: a delegation is unranked
/// when it is unranked at every games where it holds a medal.
///
/// # Errors
/// `Corrupt` when a record does not decode.
pub fn all_time_table(ledger: &Ledger, bounds: Bounds, by: RankBy) -> Result<Vec<Row>> {
    if !ledger.derived_answers(bounds.known_at)? {
        return all_time_table_replay(ledger, bounds, by);
    }
    all_time_table_derived(ledger.tables(), bounds, by)
}

/// The all-time table at `bounds` from the tables store alone (see
/// `games_table_derived`).
///
/// # Errors
/// Storage or decoding failures.
pub fn all_time_table_derived(tables: &Tables, bounds: Bounds, by: RankBy) -> Result<Vec<Row>> {
    let snapshot = tables.all_snapshot(bounds.as_of)?;
    let unranked: BTreeSet<Noc> = snapshot
        .iter()
        .filter(|(_, t)| t.ranked <= 0)
        .map(|(noc, _)| *noc)
        .collect();
    let counts = snapshot.iter().map(|(noc, t)| (*noc, t.counts()));
    Ok(rank(counts, &unranked, &tables.delegation_names()?, by))
}

/// A medal table (one games', or the all-time table when `games` is `None`)
/// from the tables store alone, without opening the log: `None` when the
/// store may be behind the log or `bounds` asks for an earlier state of
/// knowledge. Then open the `Ledger` (which brings the store up to date).
///
/// # Errors
/// As `games_table_derived`; `Busy` when another process holds the store.
pub fn table_without_log(
    ledger: &Path,
    games: Option<&GamesId>,
    bounds: Bounds,
    by: RankBy,
) -> Result<Option<Vec<Row>>> {
    let Some(tables) = Tables::open_answering(ledger, bounds.known_at)? else {
        return Ok(None);
    };
    match games {
        Some(games) => games_table_derived(&tables, games, bounds, by).map(Some),
        None => all_time_table_derived(&tables, bounds, by).map(Some),
    }
}

/// Rebuilds the derived state from the log; returns the events replayed.
///
/// # Errors
/// Storage failures, or `Corrupt` when a record does not decode.
pub fn rebuild(ledger: &mut Ledger) -> Result<u64> {
    ledger.rebuild_derived()
}

/// The all-time table at `bounds`, by replaying the log.
///
/// # Errors
/// `Corrupt` when a record does not decode.
pub fn all_time_table_replay(ledger: &Ledger, bounds: Bounds, by: RankBy) -> Result<Vec<Row>> {
    let mut fold = AllTimeFold::new(bounds);
    for r in ledger.iter() {
        let r = r?;
        if !bounds.known(&r) {
            break;
        }
        let mut failure = None;
        fold.apply(&r, |id| match ledger.find(id) {
            Ok(Some(award)) => match award.event.kind {
                Kind::MedalAwarded(m) => Some(RevokedAward {
                    games: m.games,
                    noc: m.noc,
                    medal: m.medal,
                    date: award.event.date.first(),
                }),
                _ => None,
            },
            Ok(None) => None,
            Err(e) => {
                failure = Some(e);
                None
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
    }
    Ok(fold.table(by))
}
