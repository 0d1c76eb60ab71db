//! Medal-table commands: `table`, `rank` and `games`, answered from the
//! read model.

use std::io::Write;

use super::output::{self, cell, out_err, text_table, Align, Format};
use crate::error::Result;
use crate::event::{GamesId, Noc};
use crate::model::View;
use crate::table::{standing, Bounds, RankBy, Row};

/// One games' medal table, or the all-time table when `games` is `None`.
///
/// # Errors
/// As `query::games_table` and `query::all_time_table`.
pub(super) fn medal_table(
    view: &View<'_>,
    games: Option<&GamesId>,
    bounds: Bounds,
    by: RankBy,
) -> Result<Vec<Row>> {
    match games {
        Some(games) => crate::query::games_table(view, games, bounds, by),
        None => crate::query::all_time_table(view, bounds, by),
    }
}

/// `podium rank GAMES NOC`.
pub(super) fn rank(
    view: &View<'_>,
    games: &GamesId,
    noc: Noc,
    bounds: Bounds,
    by: RankBy,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    let table = medal_table(view, Some(games), bounds, by)?;
    let s = standing(&table, noc);
    match format {
        Format::Json => output::json(out, &s),
        Format::Text | Format::Csv => {
            let rank = match s.rank {
                Some(r) if s.tied_with.is_empty() => format!("rank {r}"),
                Some(r) => {
                    let tied: Vec<String> = s.tied_with.iter().map(Noc::to_string).collect();
                    format!("rank {r} (tied with {})", tied.join(", "))
                }
                None if s.total > 0 => "unranked".to_owned(),
                None => "no medals".to_owned(),
            };
            writeln!(
                out,
                "{noc} in {games}: {rank}; {} gold, {} silver, {} bronze, {} total",
                s.gold, s.silver, s.bronze, s.total
            )
            .map_err(out_err)
        }
    }
}

pub(super) fn print_table(out: &mut impl Write, rows: &[Row], format: Format) -> Result<()> {
    let headers = ["rank", "noc", "name", "gold", "silver", "bronze", "total"];
    // The rank's cell: empty in CSV, "-" in text for an unranked delegation.
    let cells = |rank: fn(Option<u32>) -> String| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                vec![
                    rank(r.rank),
                    r.noc.to_string(),
                    r.name.clone().unwrap_or_default(),
                    r.gold.to_string(),
                    r.silver.to_string(),
                    r.bronze.to_string(),
                    r.total.to_string(),
                ]
            })
            .collect()
    };
    match format {
        Format::Json => output::json(out, &rows),
        Format::Csv => output::csv(
            out,
            &headers,
            &cells(|r| r.map(|r| r.to_string()).unwrap_or_default()),
        ),
        Format::Text => {
            use Align::{Left, Right};
            text_table(
                out,
                &headers,
                &[Right, Left, Left, Right, Right, Right, Right],
                &cells(cell),
            )
        }
    }
}

/// `podium games`: every registered games, with its days and its awards
/// (revoked ones included).
pub(super) fn games(view: &View<'_>, out: &mut impl Write) -> Result<()> {
    let seq = view.known_at(None)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for entry in view.all_games(seq)? {
        let awards = view
            .games_medals(&entry, seq)?
            .iter()
            .filter(|m| m.revokes.is_none())
            .count();
        let g = &entry.registered;
        let unranked: Vec<String> = g.unranked.iter().map(Noc::to_string).collect();
        rows.push(vec![
            g.games.to_string(),
            g.name.clone(),
            entry.opens.to_string(),
            g.closes.to_string(),
            awards.to_string(),
            unranked.join(" "),
        ]);
    }
    use Align::{Left, Right};
    text_table(
        out,
        &["games", "name", "opens", "closes", "awards", "unranked"],
        &[Left, Left, Left, Left, Right, Left],
        &rows,
    )
}
