//! `podium medals GAMES`: the medallists of one games, chosen by delegation,
//! sport, event, athlete and colour, with each award's event, athletes, date
//! and source, from the games' records in the read model at any as-of date
//! and known-at time; with `--revoked`, the awards revoked by then too.

use std::io::Write;

use clap::Args;
use serde::Serialize;
use uuid::Uuid;

use super::output::{self, out_err, text_table, Align, Format};
use super::{named_value, BoundArgs};
use crate::drill::{self, Filter, Label};
use crate::error::Result;
use crate::event::{GamesId, Medal, Noc};
use crate::model::View;
use crate::people::{NameKey, People};
use crate::query::fold_games_model_where;
use crate::table::Bounds;

#[derive(Args, Debug, Clone)]
pub struct MedalsArgs {
    /// The games id (see podium games).
    pub games: String,
    /// Only this delegation's medals.
    #[arg(long, value_name = "NOC")]
    pub noc: Option<String>,
    /// Only this sport's (case, accents and word order ignored; podium sports GAMES lists them).
    #[arg(long)]
    pub sport: Option<String>,
    /// Only this event's (matched like --sport).
    #[arg(long)]
    pub event: Option<String>,
    /// Only medals of an athlete: any spelling the ledger knows, or words of the name.
    #[arg(long, value_name = "NAME")]
    pub athlete: Option<String>,
    /// Only medals of this colour.
    #[arg(long, value_parser = named_value::<Medal>(&Medal::ALL.map(Medal::as_str)))]
    pub medal: Option<Medal>,
    /// Also list the awards revoked by the as-of date, with their revocation.
    #[arg(long)]
    pub revoked: bool,
    #[command(flatten)]
    pub bounds: BoundArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Serialize)]
struct Revoked {
    date: String,
    reason: String,
}

#[derive(Serialize)]
struct MedalOut {
    /// The award's id; for one of a tally's medals, an id made from the tally's.
    id: Uuid,
    date: String,
    sport: String,
    /// `None` for one of a tally's medals: its event is not known.
    event: Option<String>,
    medal: Medal,
    noc: Noc,
    athletes: Vec<String>,
    /// False for one of a tally's medals (`tally_published`): the source
    /// counted it for the delegation and sport without naming its medallists.
    medallists_known: bool,
    source: Option<String>,
    /// The revocation, for a revoked award (listed with `--revoked` only).
    revoked: Option<Revoked>,
}

/// The filter the arguments ask for; an athlete's name stands for every
/// spelling of the person the ledger knows by it.
fn filter(view: &View<'_>, seq: u64, args: &MedalsArgs) -> Result<Filter> {
    let athlete = match &args.athlete {
        Some(name) => {
            let mut people = People::new();
            for r in view.facts(seq)? {
                people.apply(&r);
            }
            Some(match people.get(name) {
                Some(person) => person.keys().into_iter().collect(),
                None => vec![NameKey::new(name)],
            })
        }
        None => None,
    };
    Ok(Filter {
        noc: args.noc.as_deref().map(str::parse).transpose()?,
        sport: args.sport.as_deref().map(Label::new),
        event: args.event.as_deref().map(Label::new),
        athlete,
        medal: args.medal,
    })
}

/// `podium medals GAMES [--noc --sport --event --athlete --medal --revoked]`.
///
/// # Errors
/// `Unknown` for an unknown games; a bad code; storage failures.
pub(super) fn medals(view: &View<'_>, args: &MedalsArgs, out: &mut impl Write) -> Result<()> {
    let games: GamesId = args.games.parse()?;
    let bounds: Bounds = args.bounds.parse()?;
    let seq = view.known_at(bounds.known_at)?;
    let filter = filter(view, seq, args)?;
    let fold = fold_games_model_where(view, &games, bounds, &filter)?;
    let listed: Vec<MedalOut> = drill::medals(&fold, &filter, bounds.as_of, args.revoked)
        .into_iter()
        .map(|l| {
            let (a, m) = (l.award, &l.award.medal);
            MedalOut {
                id: a.id,
                date: a.dated.to_string(),
                sport: m.sport.clone(),
                event: a.named().then(|| m.event.clone()),
                medal: m.medal,
                noc: m.noc,
                athletes: m.athletes.clone(),
                medallists_known: a.named(),
                source: a.source.clone(),
                revoked: l.revocation.map(|r| Revoked {
                    date: r.dated.to_string(),
                    reason: r.reason.clone(),
                }),
            }
        })
        .collect();
    print(&listed, args.format, out)
}

/// What a listing says instead of the athletes of one of a tally's medals.
const NOT_KNOWN: &str = "(medallists not known)";

fn print<'a>(listed: &'a [MedalOut], format: Format, out: &mut impl Write) -> Result<()> {
    if format == Format::Json {
        return output::json(out, &listed);
    }
    // In text the sources are notes below the table ([1], [2], ...): a source
    // is a whole citation, and most medals of a games share a few.
    let mut sources: Vec<&str> = Vec::new();
    let mut note = |source: Option<&'a String>| match source {
        Some(s) => {
            let i = sources.iter().position(|x| x == s).unwrap_or_else(|| {
                sources.push(s);
                sources.len() - 1
            });
            format!("[{}]", i + 1)
        }
        None => "-".to_owned(),
    };
    let text = format == Format::Text;
    let rows: Vec<Vec<String>> = listed
        .iter()
        .map(|m| {
            let status = match &m.revoked {
                Some(r) if text => format!("revoked {}", r.date),
                Some(r) => format!("revoked {}: {}", r.date, r.reason),
                None => String::new(),
            };
            let source = if text {
                note(m.source.as_ref())
            } else {
                m.source.clone().unwrap_or_default()
            };
            let athletes = if m.medallists_known {
                m.athletes.join(if text { ", " } else { ";" })
            } else {
                NOT_KNOWN.to_owned()
            };
            vec![
                m.date.clone(),
                m.noc.to_string(),
                m.medal.to_string(),
                m.sport.clone(),
                m.event.clone().unwrap_or_else(|| "-".to_owned()),
                athletes,
                status,
                source,
            ]
        })
        .collect();
    let headers = [
        "date", "noc", "medal", "sport", "event", "athletes", "status", "source",
    ];
    if !text {
        return output::csv(out, &headers, &rows);
    }
    // Without a revoked award among them, the text leaves the status out.
    let status = listed.iter().any(|m| m.revoked.is_some());
    let keep = |i: usize| status || i != 6;
    let headers: Vec<&str> = (0..8).filter(|&i| keep(i)).map(|i| headers[i]).collect();
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .enumerate()
                .filter(|(i, _)| keep(*i))
                .map(|(_, c)| c)
                .collect()
        })
        .collect();
    text_table(out, &headers, &vec![Align::Left; headers.len()], &rows)?;
    let counted = listed.iter().filter(|m| !m.medallists_known).count();
    if counted > 0 {
        writeln!(
            out,
            "{} medal(s), {counted} of them known only as counts per delegation and sport \
             (a tally): their events and medallists are not known",
            listed.len()
        )
        .map_err(out_err)?;
    } else {
        writeln!(out, "{} medal(s)", listed.len()).map_err(out_err)?;
    }
    for m in listed {
        if let Some(r) = &m.revoked {
            writeln!(
                out,
                "revoked: {} {} {} ({}), on {}: {}",
                m.noc,
                m.medal,
                m.event.as_deref().unwrap_or("(a tally)"),
                m.athletes.join(", "),
                r.date,
                r.reason
            )
            .map_err(out_err)?;
        }
    }
    for (i, s) in sources.iter().enumerate() {
        writeln!(out, "[{}] {s}", i + 1).map_err(out_err)?;
    }
    Ok(())
}
