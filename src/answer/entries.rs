//! `podium entries GAMES [NOC] [--sport S]`: who took part, from the entries
//! in the read model known at any time: the athletes by name with their
//! sports (`athletes_entered`), or the men and women each delegation entered
//! per sport (`entrants_published`), and each team's size.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::known_only;
use super::output::{self, out_err, text_table, Align, Format};
use crate::entries::{EntriesFold, Size, Team};
use crate::error::{Error, Result};
use crate::event::{GamesId, Noc};
use crate::label::Label;
use crate::model::View;
use crate::query::unknown_games;

#[derive(Args, Debug, Clone)]
pub struct EntriesArgs {
    /// The games id (see podium games).
    pub games: String,
    /// Only this delegation's entries.
    pub noc: Option<String>,
    /// Only the entrants of this sport (case, accents and word order ignored).
    #[arg(long)]
    pub sport: Option<String>,
    /// What the ledger had recorded by this time (RFC 3339, or a date: the end of that day, UTC). Default: everything recorded.
    #[arg(long, value_name = "TIME")]
    pub known_at: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// One athlete entered.
#[derive(Serialize)]
struct AthleteOut {
    name: String,
    sports: Vec<String>,
    alternate: bool,
}

/// The men and women entered in one sport.
#[derive(Serialize)]
struct SportOut {
    sport: String,
    men: u32,
    women: u32,
}

/// One delegation's entries.
#[derive(Serialize)]
struct TeamOut {
    noc: Noc,
    /// Its athletes (alternates not counted); when the entries only count
    /// entrants per sport, their sum, in which an athlete entered in two
    /// sports counts twice.
    athletes: u32,
    /// Whether the athletes are entered by name (else counted per sport).
    named: bool,
    sports: u32,
    /// The athletes by name, when the entries name them.
    #[serde(skip_serializing_if = "Option::is_none")]
    entrants: Option<Vec<AthleteOut>>,
    /// The men and women per sport, when the entries only count them.
    #[serde(skip_serializing_if = "Option::is_none")]
    counts: Option<Vec<SportOut>>,
    source: Option<String>,
}

fn team_out(noc: Noc, team: &Team, size: Size, sport: Option<&Label>) -> TeamOut {
    let in_sport = |name: &str| sport.is_none_or(|s| *s == Label::new(name));
    let (entrants, counts, source) = match (&team.named, &team.counted) {
        (Some((named, source)), _) => {
            let athletes = named
                .entrants
                .iter()
                .filter(|a| a.sports.iter().any(|s| in_sport(s)))
                .map(|a| AthleteOut {
                    name: a.name.clone(),
                    sports: a.sports.clone(),
                    alternate: a.alternate,
                })
                .collect();
            (Some(athletes), None, source.clone())
        }
        (None, Some((counted, source))) => {
            let sports = counted
                .sports
                .iter()
                .filter(|s| in_sport(&s.sport))
                .map(|s| SportOut {
                    sport: s.sport.clone(),
                    men: s.men,
                    women: s.women,
                })
                .collect();
            (None, Some(sports), source.clone())
        }
        (None, None) => (None, None, None),
    };
    TeamOut {
        noc,
        athletes: size.most,
        named: size.named,
        sports: size.sports,
        entrants,
        counts,
        source,
    }
}

/// `podium entries GAMES [NOC] [--sport S] [--known-at T]`.
///
/// # Errors
/// `Unknown` for an unknown games, or a delegation or sport the games' entries
/// do not hold; a bad code or time; storage failures.
pub(super) fn entries(view: &View<'_>, args: &EntriesArgs, out: &mut impl Write) -> Result<()> {
    let games: GamesId = args.games.parse()?;
    let noc: Option<Noc> = args.noc.as_deref().map(str::parse).transpose()?;
    let bounds = known_only(args.known_at.clone())?;
    let seq = view.known_at(bounds.known_at)?;
    let entry = view
        .games(&games, seq)?
        .ok_or_else(|| unknown_games(&games))?;
    let mut fold = EntriesFold::new();
    for r in view.entries(&entry, noc, seq)? {
        fold.apply(&r);
    }
    let sport = args.sport.as_deref().map(Label::new);
    let teams: Vec<TeamOut> = fold
        .teams()
        .filter_map(|((_, code), team)| {
            let size = team.size(sport.as_ref())?;
            (size.most > 0).then(|| team_out(*code, team, size, sport.as_ref()))
        })
        .collect();
    if teams.is_empty() {
        let whose = noc.map_or_else(String::new, |n| format!(" of {n}"));
        let what = args
            .sport
            .as_ref()
            .map_or_else(String::new, |s| format!(" in {s:?}"));
        return Err(Error::unknown(format!(
            "no entries{whose}{what} at {games} (podium games lists the games; the ledger holds \
             entries for Paris 2024 by name, and counts per sport for the Games before)"
        )));
    }
    print(&games, &teams, args.format, out)
}

fn print(games: &GamesId, teams: &[TeamOut], format: Format, out: &mut impl Write) -> Result<()> {
    if format == Format::Json {
        return output::json(out, &teams);
    }
    let named: Vec<Vec<String>> = teams
        .iter()
        .flat_map(|t| {
            t.entrants.iter().flatten().map(|a| {
                vec![
                    t.noc.to_string(),
                    a.name.clone(),
                    a.sports.join("; "),
                    if a.alternate { "alternate" } else { "" }.to_owned(),
                ]
            })
        })
        .collect();
    let counted: Vec<Vec<String>> = teams
        .iter()
        .flat_map(|t| {
            t.counts.iter().flatten().map(|s| {
                vec![
                    t.noc.to_string(),
                    s.sport.clone(),
                    s.men.to_string(),
                    s.women.to_string(),
                    (s.men + s.women).to_string(),
                ]
            })
        })
        .collect();
    if format == Format::Csv {
        let mut rows: Vec<Vec<String>> = named
            .into_iter()
            .map(|r| {
                let mut r = r;
                r.extend([String::new(), String::new()]);
                r
            })
            .collect();
        rows.extend(counted.into_iter().map(|r| {
            vec![
                r[0].clone(),
                String::new(),
                r[1].clone(),
                String::new(),
                r[2].clone(),
                r[3].clone(),
            ]
        }));
        return output::csv(
            out,
            &["noc", "athlete", "sports", "alternate", "men", "women"],
            &rows,
        );
    }
    use Align::{Left, Right};
    if !named.is_empty() {
        text_table(
            out,
            &["noc", "athlete", "sports", "note"],
            &[Left, Left, Left, Left],
            &named,
        )?;
    }
    if !counted.is_empty() {
        if !named.is_empty() {
            writeln!(out).map_err(out_err)?;
        }
        text_table(
            out,
            &["noc", "sport", "men", "women", "total"],
            &[Left, Left, Right, Right, Right],
            &counted,
        )?;
    }
    let athletes: u32 = teams.iter().map(|t| t.athletes).sum();
    let how = if teams.iter().all(|t| t.named) {
        "entered by name, alternates not counted"
    } else {
        "counted per sport and added up: an athlete entered in two sports counts in each"
    };
    match teams {
        [t] => writeln!(
            out,
            "{} at {games}: {athletes} athlete(s) in {} sport(s) ({how})",
            t.noc, t.sports
        ),
        _ => writeln!(
            out,
            "{} delegations at {games}: {athletes} athletes ({how})",
            teams.len()
        ),
    }
    .map_err(out_err)?;
    for source in teams
        .iter()
        .filter_map(|t| t.source.as_deref())
        .collect::<std::collections::BTreeSet<_>>()
    {
        writeln!(out, "source: {source}").map_err(out_err)?;
    }
    Ok(())
}
