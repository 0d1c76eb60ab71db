//! The table questions the CLI and the benchmarks ask, answered from the log.
//!
//! Each function streams the log through a pure fold; it never loads the
//! whole log into memory.

use crate::alltime::{AllTimeFold, RevokedAward};
use crate::error::{Error, Result};
use crate::event::{GamesId, Kind};
use crate::log::Ledger;
use crate::table::{Bounds, RankBy, Row, TableFold};

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
        return Err(Error::refused(format!(
            "unknown games {games} (podium games lists them)"
        )));
    }
    Ok(fold)
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
    Ok(fold_games(ledger, games, bounds)?.table(by))
}

/// The all-time table over every games at `bounds`.
///
/// # Errors
/// `Corrupt` when a record does not decode.
pub fn all_time_table(ledger: &Ledger, bounds: Bounds, by: RankBy) -> Result<Vec<Row>> {
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
