//! `podium delegation CODE`: one delegation across games (its rank, medals
//! and team size at each, or with `--lineage` under every code of its
//! lineage), the
//! successions that lead to it and on from it, its memberships and the
//! meetings it took part in, from the read model at any as-of date and
//! known-at time.

use std::io::Write;

use jiff::civil::Date;
use serde::Serialize;

use super::output::{self, cell, out_err, text_table, Align, Format};
use crate::entries::EntriesFold;
use crate::error::{Error, Result};
use crate::event::{GamesId, Movement, Noc, Season};
use crate::model::{Series, View};
use crate::query::GamesMedals;
use crate::successions::{Succession, Successions};
use crate::table::{standing, Bounds, Counts, RankBy};

#[derive(Serialize)]
struct GamesLine {
    games: GamesId,
    name: String,
    season: Option<Season>,
    movement: Option<Movement>,
    /// The code the medals were won under.
    noc: Noc,
    rank: Option<u32>,
    gold: u32,
    silver: u32,
    bronze: u32,
    total: u32,
    /// Its team, from the entries: its athletes (alternates not counted; when
    /// the entries only count entrants per sport, their sum, in which an
    /// athlete entered in two sports counts twice) and its sports. Absent when
    /// the ledger holds no entries of it there.
    #[serde(skip_serializing_if = "Option::is_none")]
    athletes: Option<u32>,
    /// Whether the athletes are entered by name (else counted per sport).
    #[serde(skip_serializing_if = "Option::is_none")]
    athletes_named: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sports: Option<u32>,
}

#[derive(Serialize)]
struct Totals {
    gold: u32,
    silver: u32,
    bronze: u32,
    total: u32,
}

#[derive(Serialize)]
struct DelegationOut<'a> {
    noc: Noc,
    names: Vec<String>,
    predecessors: Vec<&'a Succession>,
    successors: Vec<&'a Succession>,
    /// With `--lineage`: the codes whose games are listed, and their sum.
    #[serde(skip_serializing_if = "Option::is_none")]
    lineage: Option<Vec<Noc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lineage_totals: Option<Totals>,
    games: Vec<GamesLine>,
    memberships: Vec<String>,
    meetings: Vec<String>,
}

/// What `podium delegation` is asked.
pub(super) struct Asked {
    pub noc: Noc,
    /// Every code of its lineage, not only its own.
    pub lineage: bool,
    /// The games listed.
    pub series: Series,
    pub bounds: Bounds,
}

/// The lines of `codes` at every games of `series` registered at `seq`, their
/// medals and teams as of `as_of`, ordered by the games' opening, then games,
/// then code.
fn games_lines(
    view: &View<'_>,
    seq: u64,
    codes: &[Noc],
    series: Series,
    as_of: Option<Date>,
) -> Result<Vec<GamesLine>> {
    let mut lines: Vec<(Date, GamesLine)> = Vec::new();
    view.each_games(seq, |entry| {
        if !series.contains(entry.series) {
            return Ok(());
        }
        let opens = entry.opens.first();
        // A team entered after the as-of day had not taken part yet, as a
        // medal won after it is not counted yet.
        let mut teams = EntriesFold::new();
        for &noc in codes {
            for r in view.entries(&entry, Some(noc), seq)? {
                if as_of.is_none_or(|d| r.event.date.first() <= d) {
                    teams.apply(&r);
                }
            }
        }
        let medals = GamesMedals::of(view, entry, seq)?;
        let table = medals.table_as_of(as_of, RankBy::Gold);
        let g = medals.games.registered();
        for &noc in codes {
            let s = standing(&table, noc);
            let size = teams.get(&g.games, noc).and_then(|t| t.size(None));
            if s.total > 0 || size.is_some_and(|z| z.most > 0) {
                lines.push((
                    opens,
                    GamesLine {
                        games: g.games.clone(),
                        name: g.name.clone(),
                        season: g.season,
                        movement: g.movement,
                        noc,
                        rank: s.rank,
                        gold: s.gold,
                        silver: s.silver,
                        bronze: s.bronze,
                        total: s.total,
                        athletes: size.map(|z| z.most),
                        athletes_named: size.map(|z| z.named),
                        sports: size.map(|z| z.sports),
                    },
                ));
            }
        }
        Ok(())
    })?;
    lines.sort_by(|a, b| (a.0, &a.1.games, a.1.noc).cmp(&(b.0, &b.1.games, b.1.noc)));
    Ok(lines.into_iter().map(|(_, line)| line).collect())
}

/// `podium delegation NOC [--lineage]`: medals per games, successions,
/// memberships and meetings.
pub(super) fn delegation(
    view: &View<'_>,
    asked: Asked,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    let Asked {
        noc,
        lineage,
        series,
        bounds,
    } = asked;
    let seq = view.known_at(bounds.known_at)?;
    let facts = view.facts(seq)?;
    let successions = Successions::of(bounds.as_of, &view.successions(seq)?);
    let codes: Vec<Noc> = if lineage {
        successions.lineage(noc).into_iter().collect()
    } else {
        vec![noc]
    };
    let games = games_lines(view, seq, &codes, series, bounds.as_of)?;
    let affiliations = super::facts::affiliations(view, seq, &facts)?;
    let today = bounds.as_of.unwrap_or_else(|| jiff::Zoned::now().date());
    let names = affiliations.delegation_names(noc);
    let memberships: Vec<String> = affiliations
        .held(noc.as_str(), today)
        .into_iter()
        .map(|h| match h.membership.role {
            Some(role) => format!("{} ({role}) since {}", h.membership.organisation, h.since),
            None => format!("{} since {}", h.membership.organisation, h.since),
        })
        .collect();
    let mut meetings: Vec<String> = Vec::new();
    for who in std::iter::once(noc.to_string()).chain(names.iter().cloned()) {
        for m in affiliations.meetings(None, bounds.as_of, Some(&who)) {
            let line = format!("{} {}: {}", m.date, m.meeting.place, m.meeting.subject);
            if !meetings.contains(&line) {
                meetings.push(line);
            }
        }
    }
    let lineage_totals = lineage.then(|| {
        let mut sum = Counts::default();
        for g in &games {
            sum.gold += g.gold;
            sum.silver += g.silver;
            sum.bronze += g.bronze;
        }
        Totals {
            gold: sum.gold,
            silver: sum.silver,
            bronze: sum.bronze,
            total: sum.total(),
        }
    });
    let unknown = names.is_empty()
        && games.is_empty()
        && memberships.is_empty()
        && meetings.is_empty()
        && successions.lineage(noc).len() <= 1;
    if unknown {
        return Err(Error::unknown(format!(
            "unknown delegation {noc}: the ledger holds no name, medal, succession, membership or meeting of it"
        )));
    }
    let report = DelegationOut {
        noc,
        names,
        predecessors: successions.predecessors(noc),
        successors: successions.successors(noc),
        lineage: lineage.then(|| codes.clone()),
        lineage_totals,
        games,
        memberships,
        meetings,
    };
    if format == Format::Json {
        return output::json(out, &report);
    }
    print_text(&report, today, out)
}

fn print_text(report: &DelegationOut<'_>, today: Date, out: &mut impl Write) -> Result<()> {
    writeln!(out, "{} ({})", report.noc, report.names.join(", ")).map_err(out_err)?;
    // A lineage that comes back to the code (GER -> FRG -> GER) has the same
    // links both ways: they are printed once.
    let sections = if report.predecessors == report.successors {
        vec![("predecessors and successors", &report.predecessors)]
    } else {
        vec![
            ("predecessors", &report.predecessors),
            ("successors", &report.successors),
        ]
    };
    for (title, links) in sections {
        if links.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}").map_err(out_err)?;
        let rows: Vec<Vec<String>> = links
            .iter()
            .map(|l| {
                vec![
                    l.date.clone(),
                    format!("{} -> {}", l.predecessor, l.successor),
                    l.note.clone().unwrap_or_default(),
                ]
            })
            .collect();
        text_table(
            out,
            &["since", "succession", "note"],
            &[Align::Left; 3],
            &rows,
        )?;
    }
    let with_code = report.lineage.is_some();
    let rows: Vec<Vec<String>> = report
        .games
        .iter()
        .map(|g| {
            let mut row = vec![g.games.to_string()];
            if with_code {
                row.push(g.noc.to_string());
            }
            let athletes = cell(g.athletes);
            row.extend([
                cell(g.rank),
                g.gold.to_string(),
                g.silver.to_string(),
                g.bronze.to_string(),
                g.total.to_string(),
                athletes,
                cell(g.sports),
            ]);
            row
        })
        .collect();
    use Align::{Left, Right};
    match &report.lineage {
        Some(codes) => {
            let codes: Vec<&str> = codes.iter().map(Noc::as_str).collect();
            writeln!(
                out,
                "\nmedals under every code of the lineage: {}",
                codes.join(", ")
            )
            .map_err(out_err)?;
            text_table(
                out,
                &[
                    "games", "noc", "rank", "gold", "silver", "bronze", "total", "athletes",
                    "sports",
                ],
                &[Left, Left, Right, Right, Right, Right, Right, Right, Right],
                &rows,
            )?;
        }
        None => {
            writeln!(out, "\nmedals and teams").map_err(out_err)?;
            text_table(
                out,
                &[
                    "games", "rank", "gold", "silver", "bronze", "total", "athletes", "sports",
                ],
                &[Left, Right, Right, Right, Right, Right, Right, Right],
                &rows,
            )?;
        }
    }
    if report.games.iter().any(|g| g.athletes_named == Some(false)) {
        writeln!(
            out,
            "athletes: where the ledger has no names, its entrants counted per sport and added \
             up (an athlete entered in two sports counts in each)"
        )
        .map_err(out_err)?;
    }
    if let Some(t) = &report.lineage_totals {
        writeln!(
            out,
            "lineage total: {} gold, {} silver, {} bronze, {} medals at {} games line(s)",
            t.gold,
            t.silver,
            t.bronze,
            t.total,
            report.games.len()
        )
        .map_err(out_err)?;
    }
    writeln!(out, "\nmemberships as of {today}").map_err(out_err)?;
    for m in &report.memberships {
        writeln!(out, "  {m}").map_err(out_err)?;
    }
    writeln!(out, "\nmeetings").map_err(out_err)?;
    for m in &report.meetings {
        writeln!(out, "  {m}").map_err(out_err)?;
    }
    Ok(())
}
