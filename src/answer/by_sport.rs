//! `podium delegation NOC --by sport`: a delegation's medals per sport at
//! each games and over all of them, at any as-of date and known-at time. Each
//! games' records are read from the read model (it keeps no per-sport
//! index; BENCHMARKS.md gives the cost over every games).

use std::collections::BTreeMap;
use std::io::Write;

use jiff::civil::Date;
use serde::Serialize;

use super::delegation::Asked;
use super::output::{self, out_err, text_table, Align, Format, COUNTED_NOTE};
use crate::drill::{self, Label, SportCounts};
use crate::error::{Error, Result};
use crate::event::{GamesId, Noc};
use crate::model::View;
use crate::table::TableFold;

#[derive(Serialize)]
struct SportRow {
    /// `None`: every games.
    #[serde(skip_serializing_if = "Option::is_none")]
    games: Option<GamesId>,
    sport: String,
    gold: u32,
    silver: u32,
    bronze: u32,
    total: u32,
    /// Of the medals, those known only as counts (tallies): medallists not known.
    counted: u32,
}

#[derive(Serialize)]
struct BySportOut {
    noc: Noc,
    /// The codes counted (with `--lineage`, every code of the lineage).
    codes: Vec<Noc>,
    /// Per games (by opening day) and sport.
    games: Vec<SportRow>,
    /// Per sport over every games listed.
    sports: Vec<SportRow>,
}

fn row(games: Option<GamesId>, s: SportCounts) -> SportRow {
    let c = s.counts;
    SportRow {
        games,
        sport: s.sport,
        gold: c.gold,
        silver: c.silver,
        bronze: c.bronze,
        total: c.total(),
        counted: s.counted,
    }
}

/// `podium delegation NOC --by sport [--lineage]`.
///
/// # Errors
/// `Unknown` for a delegation without a medal or a name; storage failures.
pub(super) fn by_sport(
    view: &View<'_>,
    asked: Asked,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    let seq = view.known_at(asked.bounds.known_at)?;
    let codes: Vec<Noc> = if asked.lineage {
        let successions = crate::query::successions(view, asked.bounds)?;
        successions.lineage(asked.noc).into_iter().collect()
    } else {
        vec![asked.noc]
    };
    let mut per_games: Vec<(Date, SportRow)> = Vec::new();
    let mut all: BTreeMap<Label, SportCounts> = BTreeMap::new();
    view.each_games(seq, |entry| {
        if !asked.series.contains(entry.series) {
            return Ok(());
        }
        let games = entry.registered().games.clone();
        let mut fold = TableFold::new(games.clone(), asked.bounds);
        // Only the delegation's own awards are decoded.
        for r in view.games_records_where(&entry, seq, |a| codes.contains(&a.noc))? {
            fold.apply(&r);
        }
        for (key, s) in drill::by_sport(&fold, &codes, asked.bounds.as_of) {
            let sum = all.entry(key).or_insert_with(|| SportCounts {
                sport: s.sport.clone(),
                ..SportCounts::default()
            });
            let c = &mut sum.counts;
            (c.gold, c.silver, c.bronze) = (
                c.gold + s.counts.gold,
                c.silver + s.counts.silver,
                c.bronze + s.counts.bronze,
            );
            sum.counted += s.counted;
            per_games.push((entry.opens.first(), row(Some(games.clone()), s)));
        }
        Ok(())
    })?;
    if per_games.is_empty() && !view.names(seq)?.contains_key(&asked.noc) {
        return Err(Error::unknown(format!(
            "unknown delegation {}: the ledger holds no name or medal of it",
            asked.noc
        )));
    }
    per_games.sort_by(|a, b| {
        (a.0, &a.1.games, a.1.sport.to_lowercase()).cmp(&(
            b.0,
            &b.1.games,
            b.1.sport.to_lowercase(),
        ))
    });
    let mut sports: Vec<SportRow> = all.into_values().map(|s| row(None, s)).collect();
    sports.sort_by_key(|a| a.sport.to_lowercase());
    let report = BySportOut {
        noc: asked.noc,
        codes,
        games: per_games.into_iter().map(|(_, r)| r).collect(),
        sports,
    };
    print(&report, format, out)
}

fn print(report: &BySportOut, format: Format, out: &mut impl Write) -> Result<()> {
    if format == Format::Json {
        return output::json(out, report);
    }
    let cells = |rows: &[SportRow], every: &str| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                vec![
                    r.games
                        .as_ref()
                        .map_or_else(|| every.to_owned(), GamesId::to_string),
                    r.sport.clone(),
                    r.gold.to_string(),
                    r.silver.to_string(),
                    r.bronze.to_string(),
                    r.total.to_string(),
                    r.counted.to_string(),
                ]
            })
            .collect()
    };
    let headers = [
        "games", "sport", "gold", "silver", "bronze", "total", "counted",
    ];
    if format == Format::Csv {
        let mut rows = cells(&report.games, "all");
        rows.extend(cells(&report.sports, "all"));
        return output::csv(out, &headers, &rows);
    }
    use Align::{Left, Right};
    let align = [Left, Left, Right, Right, Right, Right, Right];
    let codes: Vec<&str> = report.codes.iter().map(Noc::as_str).collect();
    writeln!(out, "{} medals by sport at each games", codes.join(", ")).map_err(out_err)?;
    text_table(out, &headers, &align, &cells(&report.games, "all"))?;
    writeln!(out, "\nin all").map_err(out_err)?;
    text_table(out, &headers, &align, &cells(&report.sports, "all"))?;
    if report.sports.iter().any(|r| r.counted > 0) {
        writeln!(out, "{COUNTED_NOTE}").map_err(out_err)?;
    }
    Ok(())
}
