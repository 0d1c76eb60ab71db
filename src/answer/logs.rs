//! Commands that read the log itself, not the read model: `log`, `export`
//! and `verify`. They open the log (sled admits one process at a time), so
//! they wait, within a bound, for a writer to finish.

use std::io::Write;

use jiff::civil::Date;

use super::output::out_err;
use super::output::{self, Format};
use super::LogFormat;
use crate::error::{Error, Result};
use crate::event::{Event, Kind, Membership, Recorded};
use crate::jsonl;
use crate::log::LogReader;

/// Which events `podium log` lists.
#[derive(Clone, Debug, Default)]
pub(super) struct LogFilter {
    /// Dated on or after this day.
    pub from: Option<Date>,
    /// Dated on or before this day.
    pub to: Option<Date>,
    /// Of this kind.
    pub kind: Option<String>,
    /// Recorded by this name.
    pub recorded_by: Option<String>,
    /// At most this many events (of those the filters keep).
    pub limit: Option<u64>,
}

impl LogFilter {
    fn keeps(&self, r: &Recorded) -> bool {
        self.from.is_none_or(|d| r.event.date.last() >= d)
            && self.to.is_none_or(|d| r.event.date.first() <= d)
            && self
                .kind
                .as_deref()
                .is_none_or(|k| r.event.kind.name() == k)
            && self
                .recorded_by
                .as_deref()
                .is_none_or(|by| r.recorded_by.as_deref() == Some(by))
    }
}

/// `podium log`: events in log order, filtered by date, kind and recorder,
/// at most `limit` of them.
/// The text form ends a line with who recorded the event, when the log
/// knows (every event recorded since podium kept it).
pub(super) fn log(
    ledger: &LogReader,
    filter: &LogFilter,
    format: LogFormat,
    out: &mut impl Write,
) -> Result<()> {
    if let Some(k) = &filter.kind {
        if !Kind::NAMES.contains(&k.as_str()) {
            return Err(Error::invalid(format!(
                "unknown kind {k:?} (one of {})",
                Kind::NAMES.join(", ")
            )));
        }
    }
    let mut left = filter.limit.unwrap_or(u64::MAX);
    for r in ledger.iter() {
        if left == 0 {
            break;
        }
        let r = r?;
        if !filter.keeps(&r) {
            continue;
        }
        left -= 1;
        match format {
            LogFormat::Jsonl => jsonl::write_recorded(out, &r).map_err(out_err)?,
            LogFormat::Text => {
                let by = r
                    .recorded_by
                    .as_deref()
                    .map(|by| format!("  (recorded by {by})"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{:>6}  {:<10}  {}  {:<16}  {}{by}",
                    r.seq,
                    r.event.date.to_string(),
                    r.recorded.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    r.event.kind.name(),
                    summary(&r.event)
                )
                .map_err(out_err)?
            }
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
    }
}

fn membership(verb: &str, m: &Membership) -> String {
    match &m.role {
        Some(role) => format!("{} {verb} {} as {role}", m.member, m.organisation),
        None => format!("{} {verb} {}", m.member, m.organisation),
    }
}
