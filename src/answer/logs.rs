//! Commands that read the log itself, not the read model: `log`, `export`
//! and `verify`. They open the log (sled admits one process at a time), so
//! they wait, within a bound, for a writer to finish.

use std::io::Write;

use jiff::civil::Date;

use super::output::out_err;
use super::output::{self, Format};
use super::LogFormat;
use crate::error::{Error, Result};
use crate::event::{Event, Kind, Membership};
use crate::jsonl;
use crate::log::LogReader;

/// `podium log`: events in log order, filtered by date and kind.
pub(super) fn log(
    ledger: &LogReader,
    from: Option<Date>,
    to: Option<Date>,
    kind: Option<&str>,
    format: LogFormat,
    out: &mut impl Write,
) -> Result<()> {
    if let Some(k) = kind {
        if !Kind::NAMES.contains(&k) {
            return Err(Error::invalid(format!(
                "unknown kind {k:?} (one of {})",
                Kind::NAMES.join(", ")
            )));
        }
    }
    for r in ledger.iter() {
        let r = r?;
        if from.is_some_and(|d| r.event.date.last() < d)
            || to.is_some_and(|d| r.event.date.first() > d)
            || kind.is_some_and(|k| r.event.kind.name() != k)
        {
            continue;
        }
        match format {
            LogFormat::Jsonl => jsonl::write_recorded(out, &r).map_err(out_err)?,
            LogFormat::Text => writeln!(
                out,
                "{:>6}  {:<10}  {}  {:<16}  {}",
                r.seq,
                r.event.date.to_string(),
                r.recorded.strftime("%Y-%m-%dT%H:%M:%SZ"),
                r.event.kind.name(),
                summary(&r.event)
            )
            .map_err(out_err)?,
        }
    }
    Ok(())
}

/// `podium export`: the whole log as JSON Lines, with seq and recorded.
pub(super) fn export(ledger: &LogReader, out: &mut impl Write) -> Result<()> {
    for r in ledger.iter() {
        jsonl::write_recorded(out, &r?).map_err(out_err)?;
    }
    Ok(())
}

/// `podium verify [--digest HEX]`.
pub(super) fn verify(
    ledger: &LogReader,
    digest: Option<&str>,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    if let Some(d) = digest {
        if d.len() != 64 || !d.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::invalid(format!(
                "digest {d:?} is not 64 hex characters"
            )));
        }
    }
    let v = ledger.verify(digest)?;
    if format == Format::Json {
        let confirmed = digest.map(str::to_ascii_lowercase);
        return output::json(
            out,
            &serde_json::json!({"events": v.events, "digest": v.digest, "confirmed": confirmed}),
        );
    }
    writeln!(out, "ok: {} events, head digest {}", v.events, v.digest).map_err(out_err)?;
    if let Some(d) = digest {
        writeln!(
            out,
            "digest {} is a link of the chain",
            d.to_ascii_lowercase()
        )
        .map_err(out_err)?;
    }
    Ok(())
}

/// One line describing an event, for `podium log`.
pub fn summary(event: &Event) -> String {
    match &event.kind {
        Kind::GamesRegistered(g) => format!("{} \"{}\" until {}", g.games, g.name, g.closes),
        Kind::MedalAwarded(m) => {
            let athletes = if m.athletes.is_empty() {
                String::new()
            } else if m.athletes.len() > 3 {
                format!(" ({} and {} others)", m.athletes[0], m.athletes.len() - 1)
            } else {
                format!(" ({})", m.athletes.join(", "))
            };
            format!(
                "{} {}, {}: {} {}{athletes}",
                m.games, m.sport, m.event, m.medal, m.noc
            )
        }
        Kind::MedalRevoked(r) => format!("revokes {}: {}", r.award, r.reason),
        Kind::MeetingHeld(m) => {
            let names: Vec<&str> = m.participants.iter().map(|p| p.name.as_str()).collect();
            format!("{} at {}: {}", names.join(", "), m.place, m.subject)
        }
        Kind::MembershipBegan(m) => membership("joins", m),
        Kind::MembershipEnded(m) => membership("leaves", m),
        Kind::PersonIdentified(p) => format!("{} also written {}", p.name, p.aliases.join(", ")),
        Kind::Claim(c) => {
            let mut scope = String::new();
            if let Some(s) = &c.sport {
                scope.push_str(&format!(" in {s}"));
            }
            if let Some(a) = &c.athlete {
                scope.push_str(&format!(" for {a}"));
            }
            let bound = match c.bound {
                crate::event::Bound::Exact => "",
                crate::event::Bound::AtMost => "at most ",
                crate::event::Bound::AtLeast => "at least ",
            };
            format!(
                "{} {} {}{scope} = {bound}{}",
                c.games,
                c.noc,
                c.figure.as_str(),
                c.value
            )
        }
        Kind::DelegationSucceeded(d) => match &d.note {
            Some(note) => format!("{} continues {}: {note}", d.successor, d.predecessor),
            None => format!("{} continues {}", d.successor, d.predecessor),
        },
        Kind::TallyPublished(t) => format!(
            "{} {}: {} {}-{}-{} (medallists not known)",
            t.games, t.sport, t.noc, t.gold, t.silver, t.bronze
        ),
        Kind::AthletesEntered(e) => {
            let athletes = e.entrants.iter().filter(|a| !a.alternate).count();
            let alternates = e.entrants.len() - athletes;
            let mut line = format!("{} {}: {athletes} athlete(s) entered", e.games, e.noc);
            if alternates > 0 {
                line.push_str(&format!(" and {alternates} alternate(s)"));
            }
            line
        }
        Kind::EntrantsPublished(e) => {
            let (men, women) = e
                .sports
                .iter()
                .fold((0, 0), |(m, w), s| (m + s.men, w + s.women));
            format!(
                "{} {}: {men} men and {women} women entered in {} sport(s)",
                e.games,
                e.noc,
                e.sports.len()
            )
        }
    }
}

fn membership(verb: &str, m: &Membership) -> String {
    match &m.role {
        Some(role) => format!("{} {verb} {} as {role}", m.member, m.organisation),
        None => format!("{} {verb} {}", m.member, m.organisation),
    }
}
