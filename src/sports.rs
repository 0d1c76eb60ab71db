//! The sport questions from the read model: one sport's medal table at one
//! games or over every games (tests/sport_tables.rs holds them to a replay of the
//! log).
//!
//! A games' sport table is the games' own `TableFold` (from its records in
//! the model, `query::fold_games_model_where`) over that sport's awards
//! only, so it keeps the table's as-of and known-at rules and its ranking.
//! The read model keeps no per-sport index: over every games, each games'
//! records are read (the cost is in BENCHMARKS.md).

use std::collections::{BTreeMap, BTreeSet};

use crate::drill::{has_sport, Filter, Label, PeekFilter};
use crate::error::{Error, Result};
use crate::event::{GamesId, Noc};
use crate::model::{Series, View};
use crate::query::fold_games_model_where;
use crate::table::{rank, Bounds, Counts, RankBy, Row, TableFold};

/// The refusal of a sport no award names.
fn unknown_sport(sport: &str, at: &str) -> Error {
    Error::unknown(format!(
        "no medal of sport {sport:?} at {at} (podium sports GAMES lists a games' sports)"
    ))
}

/// The table of one sport from a games' fold, refusing a sport the games
/// has no award of.
fn table_of(
    fold: &TableFold,
    games: &GamesId,
    sport: &str,
    bounds: Bounds,
    by: RankBy,
) -> Result<Vec<Row>> {
    let filter = Filter::sport(sport);
    if !has_sport(fold, &Label::new(sport)) {
        return Err(unknown_sport(sport, games.as_str()));
    }
    Ok(fold.table_where(bounds.as_of, by, |a| filter.matches(&a.medal)))
}

/// One sport's medal table at one games at `bounds`.
///
/// # Errors
/// `Unknown` for an unknown games, or a sport without an award there;
/// storage failures.
pub fn sport_table(
    view: &View<'_>,
    games: &GamesId,
    sport: &str,
    bounds: Bounds,
    by: RankBy,
) -> Result<Vec<Row>> {
    let fold = fold_games_model_where(view, games, bounds, &Filter::sport(sport))?;
    table_of(&fold, games, sport, bounds, by)
}

/// One sport's table over every games of `series` at `bounds`: a delegation
/// is unranked when it is unranked at every games where it holds a medal of
/// the sport (as in the all-time table).
///
/// # Errors
/// `Unknown` when no games has an award of the sport; storage failures.
pub fn all_time_sport_table(
    view: &View<'_>,
    series: Series,
    sport: &str,
    bounds: Bounds,
    by: RankBy,
) -> Result<Vec<Row>> {
    let seq = view.known_at(bounds.known_at)?;
    let (key, filter) = (Label::new(sport), Filter::sport(sport));
    let mut counts: BTreeMap<Noc, Counts> = BTreeMap::new();
    let mut ranked: BTreeSet<Noc> = BTreeSet::new();
    let mut found = false;
    view.each_games(seq, |entry| {
        if !series.contains(entry.series) {
            return Ok(());
        }
        let games = entry.registered().games.clone();
        let unranked: BTreeSet<Noc> = entry.registered().unranked.iter().copied().collect();
        let mut fold = TableFold::new(games, bounds);
        let mut peek = PeekFilter::new(&filter);
        for r in view.games_records_where(&entry, seq, |a| peek.keeps(a))? {
            fold.apply(&r);
        }
        found |= has_sport(&fold, &key);
        for (noc, c) in fold.counts_where(bounds.as_of, |a| filter.matches(&a.medal)) {
            let sum = counts.entry(noc).or_default();
            (sum.gold, sum.silver, sum.bronze) = (
                sum.gold + c.gold,
                sum.silver + c.silver,
                sum.bronze + c.bronze,
            );
            if !unranked.contains(&noc) && c.total() > 0 {
                ranked.insert(noc);
            }
        }
        Ok(())
    })?;
    if !found {
        return Err(unknown_sport(sport, "any games"));
    }
    let unranked: BTreeSet<Noc> = counts
        .keys()
        .filter(|noc| !ranked.contains(noc))
        .copied()
        .collect();
    Ok(rank(counts, &unranked, &view.names(seq)?, by))
}
