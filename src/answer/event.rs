//! `podium event GAMES SPORT EVENT`: one event's podium at any as-of date and
//! known-at time, and its history: who held each medal, as known from when
//! to when, and why a holder stopped (the revocation's reason), from the
//! games' records in the read model.

use std::io::Write;

use clap::Args;
use jiff::Timestamp;

use super::output::{self, out_err, text_table, Align, Format};
use super::BoundArgs;
use crate::drill::{Filter, Label, PeekFilter};
use crate::error::{Error, Result};
use crate::event::{GamesId, Kind};
use crate::event_history::{event_history, Spell};
use crate::model::View;
use crate::query::unknown_games;

#[derive(Args, Debug, Clone)]
pub struct EventArgs {
    /// The games id (see podium games).
    pub games: String,
    /// The sport (case, accents and word order ignored; podium sports GAMES lists them).
    pub sport: String,
    /// The event, matched like the sport ("women's floor exercise").
    pub event: String,
    #[command(flatten)]
    pub bounds: BoundArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `podium event GAMES SPORT EVENT`.
///
/// # Errors
/// `Unknown` for an unknown games or an event without an award known at the
/// bounds; storage failures.
pub(super) fn event(view: &View<'_>, args: &EventArgs, out: &mut impl Write) -> Result<()> {
    let games: GamesId = args.games.parse()?;
    let bounds = args.bounds.parse()?;
    let seq = view.known_at(bounds.known_at)?;
    let entry = view
        .games(&games, seq)?
        .ok_or_else(|| unknown_games(&games))?;
    let filter = Filter {
        sport: Some(Label::new(&args.sport)),
        event: Some(Label::new(&args.event)),
        ..Filter::default()
    };
    let mut peek = PeekFilter::new(&filter);
    let records = view.games_records_where(&entry, seq, |a| peek.keeps(a))?;
    let history = event_history(&games, &records, &filter, bounds).ok_or_else(|| {
        // A sport whose medals are only counted has no events to name.
        let sport = Filter::sport(&args.sport);
        let counted = records.iter().any(|r| {
            matches!(&r.event.kind, Kind::TallyPublished(t)
                if sport.sport.as_ref().is_some_and(|s| *s == Label::new(&t.sport)))
        });
        let why = if counted {
            format!(
                "the ledger knows the medals of {:?} at {games} only as counts per delegation \
                 (a tally): their events and medallists are not known",
                args.sport
            )
        } else {
            format!("podium medals {games} --sport SPORT lists its events")
        };
        Error::unknown(format!(
            "no award of {:?} in {:?} at {games} ({why})",
            args.event, args.sport
        ))
    })?;
    match args.format {
        Format::Json => output::json(out, &history),
        Format::Csv => {
            let rows: Vec<Vec<String>> = history.holders.iter().map(csv_row).collect();
            output::csv(
                out,
                &[
                    "medal",
                    "noc",
                    "athletes",
                    "date",
                    "known_from",
                    "known_until",
                    "revoked_on",
                    "reason",
                    "source",
                ],
                &rows,
            )
        }
        Format::Text => {
            let as_of = bounds
                .as_of
                .map_or_else(|| "final".to_owned(), |d| format!("as of {d}"));
            let known = match &args.bounds.known_at {
                Some(_) => format!("known at {}", stamp(bounds.known_at)),
                None => "as known now".to_owned(),
            };
            writeln!(
                out,
                "{games}: {}, {} ({as_of}, {known})",
                history.sport, history.event
            )
            .map_err(out_err)?;
            let podium: Vec<Vec<String>> = history
                .podium
                .iter()
                .map(|s| {
                    let mut row = who(s);
                    row.push(s.date.clone());
                    row
                })
                .collect();
            text_table(
                out,
                &["medal", "noc", "athletes", "date"],
                &[Align::Left; 4],
                &podium,
            )?;
            writeln!(out, "\nholders, as the ledger learnt of them").map_err(out_err)?;
            let holders: Vec<Vec<String>> = history
                .holders
                .iter()
                .map(|s| {
                    let mut row = who(s);
                    row.push(stamp(Some(s.known_from)));
                    row.push(
                        s.known_until
                            .map_or_else(|| "(holds it)".to_owned(), |t| stamp(Some(t))),
                    );
                    row
                })
                .collect();
            text_table(
                out,
                &["medal", "noc", "athletes", "known from", "known until"],
                &[Align::Left; 5],
                &holders,
            )?;
            for s in history.holders.iter().filter(|s| s.reason.is_some()) {
                writeln!(
                    out,
                    "{} {} {}: revoked on {} (recorded {}): {}",
                    s.medal,
                    s.noc,
                    s.athletes.join(", "),
                    s.revoked_on.as_deref().unwrap_or("-"),
                    stamp(s.known_until),
                    s.reason.as_deref().unwrap_or_default()
                )
                .map_err(out_err)?;
            }
            Ok(())
        }
    }
}

/// A holder's first cells in text: medal, code, athletes.
fn who(s: &Spell) -> Vec<String> {
    vec![
        s.medal.to_string(),
        s.noc.to_string(),
        s.athletes.join(", "),
    ]
}

/// A recorded instant to the second, `-` for none.
fn stamp(t: Option<Timestamp>) -> String {
    t.map_or_else(|| "-".to_owned(), |t| format!("{t:.0}"))
}

fn csv_row(s: &Spell) -> Vec<String> {
    vec![
        s.medal.to_string(),
        s.noc.to_string(),
        s.athletes.join(";"),
        s.date.clone(),
        stamp(Some(s.known_from)),
        s.known_until.map(|t| stamp(Some(t))).unwrap_or_default(),
        s.revoked_on.clone().unwrap_or_default(),
        s.reason.clone().unwrap_or_default(),
        s.source.clone().unwrap_or_default(),
    ]
}
