//! The commands about the log as a whole: `log`, `export` and `verify`. They
//! read the log's records as the read model holds them (`View::each_record`),
//! a consistent snapshot that never waits for a writer, needs no lock and no
//! room on the disk; `verify --log` also walks the log itself.

use std::io::Write;
use std::ops::ControlFlow;

use jiff::civil::Date;

use super::output::out_err;
use super::output::{self, Format};
use super::LogFormat;
use crate::error::{Error, Result};
use crate::event::{Event, Kind, Membership, Recorded};
use crate::jsonl;
use jiff::Timestamp;

use crate::log::{LogReader, Verified};
use crate::model::View;
use crate::record::codec::{self, HASH_BYTES};
use crate::record::{hex, Head};

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
    /// At most this many events (of those the others keep).
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
/// from the model's snapshot. The text form ends a line with who recorded
/// the event, when the log knows (every event recorded since podium kept it).
pub(super) fn log(
    view: &View<'_>,
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
    each_recorded(view, |r| {
        if left == 0 {
            return Ok(ControlFlow::Break(()));
        }
        if !filter.keeps(&r) {
            return Ok(ControlFlow::Continue(()));
        }
        left -= 1;
        match format {
            LogFormat::Jsonl => jsonl::write_recorded(out, &r).map_err(out_err),
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
                .map_err(out_err)
            }
        }
        .map(ControlFlow::Continue)
    })
}

/// Every event of the model's snapshot, decoded, in log order. A record
/// that does not decode is the model's damage (the log's copy is checked
/// whenever it is read): the model is rebuilt.
fn each_recorded(
    view: &View<'_>,
    mut f: impl FnMut(Recorded) -> Result<ControlFlow<()>>,
) -> Result<()> {
    view.each_record(u64::MAX, |seq, bytes| {
        let r = codec::decode_record(bytes)
            .map_err(|e| Error::damaged(format!("the record of seq {seq}: {e}")))?;
        f(r)
    })
}

/// `podium export`: the whole log as JSON Lines, with seq, recorded time and
/// recorder, from the model's snapshot.
pub(super) fn export(view: &View<'_>, out: &mut impl Write) -> Result<()> {
    each_recorded(view, |r| {
        jsonl::write_recorded(out, &r)
            .map(ControlFlow::Continue)
            .map_err(out_err)
    })
}

/// What `verify` checks: the model's copy of the log, or the log itself too.
pub(super) enum Checked<'a> {
    /// The records the model holds (a snapshot: never waits for a writer).
    Copy(&'a View<'a>),
    /// The log itself (its blocks, stored links and id index), then the copy.
    Log(&'a LogReader, &'a View<'a>),
}

/// `podium verify [--digest HEX] [--log]`: the hash chain recomputed from
/// every record, each decoded and valid, seqs contiguous and recorded times
/// never decreasing, ending at the head's digest.
pub(super) fn verify(
    checked: Checked<'_>,
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
    let v = match checked {
        Checked::Copy(view) => verify_copy(view, view.head().unwrap_or(Head::EMPTY), digest)?,
        // The copy up to the log's head: the model may be a commit ahead.
        Checked::Log(log, view) => {
            let v = log.verify(digest)?;
            verify_copy(view, log.head(), None)?;
            v
        }
    };
    print_verified(&v, digest, format, out)
}

/// What `verify` prints once the chain is checked: the events and the head
/// digest, and the digest asked about (a link of the chain). The server's
/// own walk of its log (kept per head) prints through here too.
///
/// # Errors
/// When `out` cannot be written.
pub fn print_verified(
    v: &Verified,
    confirmed: Option<&str>,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    let confirmed = confirmed.map(str::to_ascii_lowercase);
    if format == Format::Json {
        return output::json(
            out,
            &serde_json::json!({"events": v.events, "digest": v.digest, "confirmed": confirmed}),
        );
    }
    writeln!(out, "ok: {} events, head digest {}", v.events, v.digest).map_err(out_err)?;
    if let Some(d) = confirmed {
        writeln!(out, "digest {d} is a link of the chain").map_err(out_err)?;
    }
    Ok(())
}

/// The chain recomputed over the model's records up to `head`. A copy that
/// does not reach the head's digest is damaged (rebuilt from the log, whose
/// own chain every rebuild checks).
fn verify_copy(view: &View<'_>, head: Head, digest: Option<&str>) -> Result<Verified> {
    let mut hash = [0u8; HASH_BYTES];
    let mut found = digest.is_none();
    let mut last: Option<Timestamp> = None;
    view.each_record(head.seq, |seq, bytes| {
        let r = codec::decode_record(bytes)
            .map_err(|e| Error::damaged(format!("the record of seq {seq}: {e}")))?;
        if last.is_some_and(|t| r.recorded < t) {
            return Err(Error::corrupt("recorded time goes backwards").at_seq(seq));
        }
        last = Some(r.recorded);
        hash = codec::link(&hash, bytes);
        if let Some(d) = digest {
            found |= hex(&hash).eq_ignore_ascii_case(d);
        }
        Ok(ControlFlow::Continue(()))
    })?;
    if hash != head.hash {
        return Err(Error::damaged(format!(
            "the read model's records up to seq {} do not chain to the log's digest {}",
            head.seq,
            head.digest()
        )));
    }
    if !found {
        return Err(Error::refused(format!(
            "digest {} is not a link of this ledger's chain",
            digest.unwrap_or_default()
        )));
    }
    Ok(Verified {
        events: head.seq,
        digest: hex(&hash),
    })
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
