//! Medal-table commands: `table`, `rank` and `games`, answered from the
//! read model.

use std::io::Write;

use serde::Serialize;

use super::output::{self, cell, out_err, text_table, Align, Format};
use crate::error::Result;
use crate::event::{GamesId, Movement, Noc, Season};
use crate::model::{Series, View};
use crate::query::GamesMedals;
use crate::table::{standing, Bounds, Counts, RankBy, Row};

/// `podium table --all`: the all-time table of the games in `series`. In
/// text, when it lists a delegation that has a predecessor or a successor, a
/// last line says that they are apart and how to join them.
///
/// # Errors
/// As `query::all_time_table_of`.
pub(super) fn all_time(
    view: &View<'_>,
    series: Series,
    bounds: Bounds,
    by: RankBy,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    let rows = crate::query::all_time_table_of(view, bounds, by, series)?;
    print_table(out, &rows, format)?;
    if format != Format::Text {
        return Ok(());
    }
    let successions = crate::query::successions(view, bounds)?;
    let joined: Vec<&str> = rows
        .iter()
        .filter(|r| successions.involves(r.noc))
        .map(|r| r.noc.as_str())
        .collect();
    if let Some(first) = joined.first() {
        writeln!(
            out,
            "note: as in the IOC's tables, predecessors and successors are rows of their own \
             ({} rows here have one, {first} first); `podium delegation CODE --lineage` joins a \
             lineage",
            joined.len()
        )
        .map_err(out_err)?;
    }
    Ok(())
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
    let table = crate::query::games_table(view, games, bounds, by)?;
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

#[derive(Serialize)]
struct GamesOut {
    games: GamesId,
    name: String,
    season: Option<Season>,
    movement: Option<Movement>,
    host: Option<String>,
    opens: String,
    closes: String,
    /// Every award recorded, revoked ones included.
    awards: usize,
    /// The medals in force: the sum of the final table's totals.
    medals: u32,
    /// Of those, the medals known only as counts (tallies): their medallists are not known.
    counted: usize,
    unranked: Vec<Noc>,
}

/// `podium games`: every games registered at `bounds.known_at` in `series`,
/// in registration order, with its days and its awards.
pub(super) fn games(
    view: &View<'_>,
    series: Series,
    bounds: Bounds,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    let seq = view.known_at(bounds.known_at)?;
    let mut list = Vec::new();
    view.each_games(seq, |entry| {
        if !series.contains(entry.series) {
            return Ok(());
        }
        let registered_at = entry.seq;
        let opens = entry.opens.to_string();
        let medals = GamesMedals::of(view, entry, seq)?;
        let awards = medals.awards();
        let in_force = medals.counts_as_of(None).values().map(Counts::total).sum();
        let counted = medals.counted(None);
        let g = medals.games.into_registered();
        list.push((
            registered_at,
            GamesOut {
                games: g.games,
                name: g.name,
                season: g.season,
                movement: g.movement,
                host: g.host,
                opens,
                closes: g.closes.to_string(),
                awards,
                medals: in_force,
                counted,
                unranked: g.unranked,
            },
        ));
        Ok(())
    })?;
    // In registration order.
    list.sort_by_key(|(seq, _)| *seq);
    let list: Vec<GamesOut> = list.into_iter().map(|(_, g)| g).collect();
    let headers = [
        "games", "name", "season", "movement", "opens", "closes", "awards", "medals", "counted",
        "unranked",
    ];
    let cells = |none: &str, separator: &str| -> Vec<Vec<String>> {
        let named = |v: Option<&str>| v.unwrap_or(none).to_owned();
        list.iter()
            .map(|g| {
                let unranked: Vec<&str> = g.unranked.iter().map(Noc::as_str).collect();
                vec![
                    g.games.to_string(),
                    g.name.clone(),
                    named(g.season.map(Season::as_str)),
                    named(g.movement.map(Movement::as_str)),
                    g.opens.clone(),
                    g.closes.clone(),
                    g.awards.to_string(),
                    g.medals.to_string(),
                    g.counted.to_string(),
                    unranked.join(separator),
                ]
            })
            .collect()
    };
    match format {
        Format::Json => output::json(out, &list),
        Format::Csv => output::csv(out, &headers, &cells("", ";")),
        Format::Text => {
            use Align::{Left, Right};
            text_table(
                out,
                &headers,
                &[
                    Left, Left, Left, Left, Left, Left, Right, Right, Right, Left,
                ],
                &cells("-", " "),
            )
        }
    }
}
