//! History: a delegation's rank day by day, the leaders' race, and what
//! changed between two dates or two states of knowledge, all from the read
//! model at any known-at time.

use std::collections::BTreeSet;
use std::io::Write;

use jiff::civil::Date;
use serde::Serialize;

use super::output::{self, cell, out_err, text_table, Align, Format};
use crate::error::Result;
use crate::event::{GamesId, Noc};
use crate::model::View;
use crate::query::{GamesMedals, Undated};
use crate::table::{standing, Award, Bounds, Counts, RankBy, Row, TableFold};

#[derive(Serialize)]
struct Day {
    date: String,
    rank: Option<u32>,
    gold: u32,
    silver: u32,
    bronze: u32,
    total: u32,
    /// Only for a games with medals without a known day: how many of the
    /// delegation's such medals the row does not count yet although they
    /// may have been won by then.
    #[serde(skip_serializing_if = "Option::is_none")]
    undated: Option<u32>,
}

/// The last line of `history` and `race` for a games with medals without a
/// known day; `whose`: whose medals the `undated` column counts.
fn undated_note(source: &GamesMedals, u: &Undated, whose: &str) -> String {
    let close = source.games.registered().closes.last();
    let from = match u.counted_from.as_slice() {
        [only] if *only == close => format!("its close, {close}"),
        days => {
            let days: Vec<String> = days.iter().map(Date::to_string).collect();
            format!("the last day of their span ({})", days.join(", "))
        }
    };
    format!(
        "note: {} of this games' {} medals have no known day: they count from {from}; \
         `undated` is how many of {whose} may already have been won by each day",
        u.undated, u.medals
    )
}

/// `podium history GAMES NOC`: the table after each day of the games.
/// `source` should know its spans (`with_spans`).
pub fn history(source: &GamesMedals, noc: Noc, format: Format, out: &mut impl Write) -> Result<()> {
    let days = source.days();
    let undated = source.undated();
    let rows = history_rows(source, noc, &days, undated.is_some());
    let mut headers = vec!["date", "rank", "gold", "silver", "bronze", "total"];
    if undated.is_some() {
        headers.push("undated");
    }
    let cells = |no_rank: &str| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                let mut row = vec![
                    r.date.clone(),
                    r.rank.map_or_else(|| no_rank.to_owned(), |r| r.to_string()),
                    r.gold.to_string(),
                    r.silver.to_string(),
                    r.bronze.to_string(),
                    r.total.to_string(),
                ];
                row.extend(r.undated.map(|u| u.to_string()));
                row
            })
            .collect()
    };
    match format {
        Format::Json => output::json(out, &rows),
        Format::Csv => output::csv(out, &headers, &cells("")),
        Format::Text => {
            use Align::{Left, Right};
            let align = [Left, Right, Right, Right, Right, Right, Right];
            text_table(out, &headers, &align[..headers.len()], &cells("-"))?;
            if let Some(u) = &undated {
                writeln!(out, "{}", undated_note(source, u, &format!("{noc}'s")))
                    .map_err(out_err)?;
            }
            Ok(())
        }
    }
}

/// A delegation's standing after each of `days`.
fn history_rows(source: &GamesMedals, noc: Noc, days: &[Date], undated: bool) -> Vec<Day> {
    days.iter()
        .map(|d| {
            let s = standing(&source.table_as_of(Some(*d), RankBy::Gold), noc);
            Day {
                date: d.to_string(),
                rank: s.rank,
                gold: s.gold,
                silver: s.silver,
                bronze: s.bronze,
                total: s.total,
                undated: undated.then(|| source.pending_on(Some(noc), *d)),
            }
        })
        .collect()
}

/// The SVG chart of `history`: the rank by day, rank 1 at the top, with the
/// medals won each day marked (those still in force and with a known day).
pub fn history_chart(source: &GamesMedals, noc: Noc) -> String {
    let games = &source.games.registered().games;
    let days = source.days();
    let undated = source.undated();
    let ranks: Vec<Option<u32>> = history_rows(source, noc, &days, false)
        .iter()
        .map(|r| r.rank)
        .collect();
    let won: Vec<Counts> = days.iter().map(|d| source.won_on(noc, *d)).collect();
    let mut title = format!("{noc} at {games}: rank by day");
    if let Some(u) = &undated {
        title.push_str(&format!(
            " ({} medals without a day count from the close)",
            u.undated
        ));
    }
    crate::chart::rank_chart(&title, &days, &ranks, &won)
}

#[derive(Serialize)]
struct RaceDay {
    date: String,
    /// The leaders after the day, at most `top`, in table order.
    leaders: Vec<Row>,
    /// Only for a games with medals without a known day: how many such
    /// medals the day's table does not count yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    undated: Option<u32>,
}

/// `podium race GAMES --top N`: the leaders after each day.
pub fn race(source: &GamesMedals, top: usize, format: Format, out: &mut impl Write) -> Result<()> {
    let undated = source.undated();
    let days: Vec<RaceDay> = source
        .days()
        .iter()
        .map(|d| {
            let mut leaders = source.table_as_of(Some(*d), RankBy::Gold);
            leaders.truncate(top);
            RaceDay {
                date: d.to_string(),
                leaders,
                undated: undated.as_ref().map(|_| source.pending_on(None, *d)),
            }
        })
        .collect();
    let mut headers: Vec<String> = vec!["date".to_owned()];
    headers.extend((1..=top).map(|i| format!("#{i}")));
    if undated.is_some() {
        headers.push("undated".to_owned());
    }
    let cells = |leader: fn(&Row) -> String| -> Vec<Vec<String>> {
        days.iter()
            .map(|d| {
                let mut row = vec![d.date.clone()];
                row.extend((0..top).map(|i| d.leaders.get(i).map_or_else(String::new, leader)));
                row.extend(d.undated.map(|u| u.to_string()));
                row
            })
            .collect()
    };
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    match format {
        Format::Json => output::json(out, &days),
        Format::Csv => output::csv(
            out,
            &headers,
            &cells(|r| format!("{} {}-{}-{}", r.noc, r.gold, r.silver, r.bronze)),
        ),
        Format::Text => {
            let rows = cells(|r| format!("{} {}-{}-{}", r.noc, r.gold, r.silver, r.bronze));
            text_table(out, &headers, &vec![Align::Left; headers.len()], &rows)?;
            if let Some(u) = &undated {
                writeln!(out, "{}", undated_note(source, u, "them")).map_err(out_err)?;
            }
            Ok(())
        }
    }
}

/// The SVG chart of `race`: the final top `top`'s medal totals by day.
pub fn race_chart(source: &GamesMedals, top: usize) -> String {
    let games = &source.games.registered().games;
    let days = source.days();
    let tables: Vec<Vec<Row>> = days
        .iter()
        .map(|d| source.table_as_of(Some(*d), RankBy::Gold))
        .collect();
    let final_top: Vec<Noc> = tables
        .last()
        .map(|t| t.iter().take(top).map(|r| r.noc).collect())
        .unwrap_or_default();
    let series: Vec<(String, Vec<u32>)> = final_top
        .iter()
        .map(|noc| {
            let values = tables.iter().map(|t| standing(t, *noc).total).collect();
            (noc.to_string(), values)
        })
        .collect();
    crate::chart::race_chart(
        &format!("{games}: medals by day, final top {top}"),
        &days,
        &series,
    )
}

#[derive(Serialize)]
struct Change {
    change: &'static str,
    /// The award's date as recorded: a span of days when its day is not known.
    date: String,
    /// The day it counts from, to order changes.
    #[serde(skip)]
    counts_from: Date,
    noc: Noc,
    medal: String,
    sport: String,
    event: String,
    athletes: Vec<String>,
    source: Option<String>,
    reason: Option<String>,
    /// When the change was recorded, and by whom: the award's recording for
    /// a medal that entered, its revocation's for one that left.
    recorded: String,
    recorded_by: Option<String>,
}

#[derive(Serialize)]
struct RankMove {
    noc: Noc,
    from: Option<u32>,
    to: Option<u32>,
}

#[derive(Serialize)]
struct Diff {
    medals: Vec<Change>,
    rank_moves: Vec<RankMove>,
}

fn change(kind: &'static str, fold: &TableFold, a: &Award) -> Change {
    let revocation = fold.revocation(&a.id).filter(|_| kind == "left");
    let (recorded, recorded_by) = match revocation {
        Some(r) => (r.recorded, r.recorded_by.clone()),
        None => (a.recorded, a.recorded_by.clone()),
    };
    Change {
        change: kind,
        date: a.dated.to_string(),
        counts_from: a.date,
        noc: a.medal.noc,
        medal: a.medal.medal.to_string(),
        sport: a.medal.sport.clone(),
        event: a.medal.event.clone(),
        athletes: a.medal.athletes.clone(),
        source: a.source.clone(),
        reason: fold
            .revocation(&a.id)
            .map(|r| format!("{}: {}", r.dated, r.reason)),
        recorded: a_time(recorded),
        recorded_by,
    }
}

/// A recorded time as `log` prints it.
fn a_time(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The two sides of a diff: a fold and an as-of date each.
struct Side<'a> {
    fold: &'a TableFold,
    as_of: Option<Date>,
}

/// What a diff compares: what was known (`Bounds::known_at`) and as of which
/// day, on each side.
pub type Sides = ((Bounds, Option<Date>), (Bounds, Option<Date>));

/// `podium diff`: medals that entered or left a games' table between two
/// sides, and rank moves.
pub fn diff(
    view: &View<'_>,
    games: &GamesId,
    ((known_before, as_of_before), (known_after, as_of_after)): Sides,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    let fold_before = crate::query::fold_games_model(view, games, known_before)?;
    let fold_after = if known_after == known_before {
        None
    } else {
        Some(crate::query::fold_games_model(view, games, known_after)?)
    };
    let before = Side {
        fold: &fold_before,
        as_of: as_of_before,
    };
    let after = Side {
        fold: fold_after.as_ref().unwrap_or(&fold_before),
        as_of: as_of_after,
    };
    let mut medals = Vec::new();
    for a in after.fold.awards() {
        let was = before
            .fold
            .awards()
            .any(|b| b.id == a.id && before.fold.in_force(b, before.as_of));
        if after.fold.in_force(a, after.as_of) && !was {
            medals.push(change("entered", after.fold, a));
        }
    }
    for b in before.fold.awards() {
        if !before.fold.in_force(b, before.as_of) {
            continue;
        }
        let still = after
            .fold
            .awards()
            .any(|a| a.id == b.id && after.fold.in_force(a, after.as_of));
        if !still {
            medals.push(change("left", after.fold, b));
        }
    }
    // A total order, so the same question always prints the same lines
    // (awards come from a hash map, whose order differs between processes).
    fn key(c: &Change) -> (Date, &str, Noc, &str, &str, &str, &[String]) {
        (
            c.counts_from,
            c.change,
            c.noc,
            &c.sport,
            &c.event,
            &c.medal,
            &c.athletes,
        )
    }
    medals.sort_by(|a, b| key(a).cmp(&key(b)));
    let t0 = before.fold.table_as_of(before.as_of, RankBy::Gold);
    let t1 = after.fold.table_as_of(after.as_of, RankBy::Gold);
    let nocs: BTreeSet<Noc> = t0.iter().chain(&t1).map(|r| r.noc).collect();
    let mut rank_moves: Vec<RankMove> = nocs
        .into_iter()
        .map(|noc| RankMove {
            noc,
            from: standing(&t0, noc).rank,
            to: standing(&t1, noc).rank,
        })
        .filter(|m| m.from != m.to)
        .collect();
    rank_moves.sort_by_key(|m| (m.to.unwrap_or(u32::MAX), m.noc));
    let diff = Diff { medals, rank_moves };
    if format == Format::Json {
        return output::json(out, &diff);
    }
    writeln!(out, "{} medal(s) changed", diff.medals.len()).map_err(out_err)?;
    let rows: Vec<Vec<String>> = diff
        .medals
        .iter()
        .map(|c| {
            vec![
                c.change.to_owned(),
                c.date.clone(),
                c.noc.to_string(),
                c.medal.clone(),
                format!("{}, {}", c.sport, c.event),
                c.athletes.join(", "),
            ]
        })
        .collect();
    if !rows.is_empty() {
        text_table(
            out,
            &["change", "date", "noc", "medal", "event", "athletes"],
            &[Align::Left; 6],
            &rows,
        )?;
    }
    for c in diff.medals.iter().filter(|c| c.change == "left") {
        if let Some(reason) = &c.reason {
            let by = c
                .recorded_by
                .as_deref()
                .map(|by| format!(" by {by}"))
                .unwrap_or_default();
            writeln!(
                out,
                "left {} {} {}: revoked {reason} (recorded {}{by})",
                c.noc, c.medal, c.event, c.recorded
            )
            .map_err(out_err)?;
        }
    }
    writeln!(out, "\n{} rank move(s)", diff.rank_moves.len()).map_err(out_err)?;
    let rows: Vec<Vec<String>> = diff
        .rank_moves
        .iter()
        .map(|m| vec![m.noc.to_string(), cell(m.from), cell(m.to)])
        .collect();
    if !rows.is_empty() {
        use Align::{Left, Right};
        text_table(out, &["noc", "from", "to"], &[Left, Right, Right], &rows)?;
    }
    Ok(())
}
