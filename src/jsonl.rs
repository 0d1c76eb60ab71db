//! podium's interchange format, JSON Lines: one event per line, the format of
//! events/ and of `podium import` / `podium export`.
//!
//! This module turns bytes into validated events and events into lines. It
//! never touches the ledger. Every input is bounded: a line longer than
//! `LINE_BYTES_MAX` is refused without being held in memory.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, ErrorKind, Result};
use std::collections::BTreeMap;

use crate::event::{
    AthletesEntered, Bound, Claim, Day, DelegationSucceeded, Entrant, EntrantsPublished, Event,
    Figure, GamesId, GamesRegistered, Kind, Medal, MedalAwarded, MedalRevoked, MeetingHeld,
    Membership, Movement, Noc, Participant, PersonIdentified, Recorded, Season, SportEntrants,
    TallyPublished,
};

/// Longest line accepted, in bytes. The longest real event (a team medal with
/// its squad) is under 2 KiB.
pub const LINE_BYTES_MAX: usize = 64 * 1024;

/// An event read from a file, before the ledger gives it a seq.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Incoming {
    pub event: Event,
    /// The transaction time the file carries, if any (a replayed journal).
    pub recorded: Option<Timestamp>,
    /// Who recorded it, if the file says (an export of a ledger).
    pub recorded_by: Option<String>,
}

impl Incoming {
    /// A new event, with no recorded time or recorder of its own: the
    /// ledger stamps both when it appends it.
    pub fn new(event: Event) -> Incoming {
        Incoming {
            event,
            recorded: None,
            recorded_by: None,
        }
    }
}

/// Every field any kind has: one flat struct parses fast (serde's flatten
/// buffers every field), then `kind` checks which fields the type allows.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineIn {
    id: Option<Uuid>,
    #[serde(rename = "type")]
    kind: String,
    date: Day,
    recorded: Option<Timestamp>,
    recorded_by: Option<String>,
    source: Option<String>,
    /// Written by export; the ledger assigns seqs, so it is read and ignored.
    #[allow(dead_code)]
    seq: Option<u64>,
    games: Option<GamesId>,
    name: Option<String>,
    closes: Option<Day>,
    unranked: Option<Vec<Noc>>,
    delegations: Option<BTreeMap<Noc, String>>,
    host: Option<String>,
    season: Option<Season>,
    movement: Option<Movement>,
    sport: Option<String>,
    event: Option<String>,
    medal: Option<Medal>,
    noc: Option<Noc>,
    athletes: Option<Vec<String>>,
    award: Option<Uuid>,
    reason: Option<String>,
    participants: Option<Vec<Participant>>,
    place: Option<String>,
    subject: Option<String>,
    member: Option<String>,
    organisation: Option<String>,
    role: Option<String>,
    aliases: Option<Vec<String>>,
    figure: Option<Figure>,
    value: Option<u32>,
    bound: Option<Bound>,
    athlete: Option<String>,
    quote: Option<String>,
    predecessor: Option<Noc>,
    successor: Option<Noc>,
    note: Option<String>,
    gold: Option<u32>,
    silver: Option<u32>,
    bronze: Option<u32>,
    entrants: Option<Vec<Entrant>>,
    sports: Option<Vec<SportEntrants>>,
}

fn required<T>(value: Option<T>, field: &str) -> Result<T> {
    value.ok_or_else(|| Error::new(ErrorKind::Parse(format!("missing field `{field}`"))))
}

impl LineIn {
    /// The kind's own fields present in the line, by name.
    fn present(&self) -> Vec<&'static str> {
        let fields: [(&'static str, bool); 36] = [
            ("games", self.games.is_some()),
            ("name", self.name.is_some()),
            ("closes", self.closes.is_some()),
            ("unranked", self.unranked.is_some()),
            ("delegations", self.delegations.is_some()),
            ("host", self.host.is_some()),
            ("season", self.season.is_some()),
            ("movement", self.movement.is_some()),
            ("sport", self.sport.is_some()),
            ("event", self.event.is_some()),
            ("medal", self.medal.is_some()),
            ("noc", self.noc.is_some()),
            ("athletes", self.athletes.is_some()),
            ("award", self.award.is_some()),
            ("reason", self.reason.is_some()),
            ("participants", self.participants.is_some()),
            ("place", self.place.is_some()),
            ("subject", self.subject.is_some()),
            ("member", self.member.is_some()),
            ("organisation", self.organisation.is_some()),
            ("role", self.role.is_some()),
            ("aliases", self.aliases.is_some()),
            ("figure", self.figure.is_some()),
            ("value", self.value.is_some()),
            ("bound", self.bound.is_some()),
            ("athlete", self.athlete.is_some()),
            ("quote", self.quote.is_some()),
            ("predecessor", self.predecessor.is_some()),
            ("successor", self.successor.is_some()),
            ("note", self.note.is_some()),
            ("gold", self.gold.is_some()),
            ("silver", self.silver.is_some()),
            ("bronze", self.bronze.is_some()),
            ("entrants", self.entrants.is_some()),
            ("sports", self.sports.is_some()),
            ("seq", false),
        ];
        fields.iter().filter(|(_, p)| *p).map(|(f, _)| *f).collect()
    }

    /// The kind the line describes, refusing fields that belong to other kinds.
    fn kind(self) -> Result<Kind> {
        let allowed: &[&str] = match self.kind.as_str() {
            "games_registered" => &[
                "games",
                "name",
                "closes",
                "unranked",
                "delegations",
                "host",
                "season",
                "movement",
            ],
            "medal_awarded" => &["games", "sport", "event", "medal", "noc", "athletes"],
            "medal_revoked" => &["award", "reason"],
            "meeting_held" => &["participants", "place", "subject"],
            "membership_began" | "membership_ended" => &["member", "organisation", "role"],
            "person_identified" => &["name", "aliases", "noc"],
            "claim" => &[
                "games", "noc", "figure", "value", "bound", "sport", "athlete", "quote",
            ],
            "delegation_succeeded" => &["predecessor", "successor", "note"],
            "tally_published" => &["games", "noc", "sport", "gold", "silver", "bronze"],
            "athletes_entered" => &["games", "noc", "entrants"],
            "entrants_published" => &["games", "noc", "sports"],
            other => {
                return Err(Error::new(ErrorKind::Parse(format!(
                    "unknown variant `{other}`, expected one of {}",
                    Kind::NAMES.map(|n| format!("`{n}`")).join(", ")
                ))))
            }
        };
        if let Some(field) = self.present().into_iter().find(|f| !allowed.contains(f)) {
            return Err(Error::new(ErrorKind::Parse(format!(
                "unknown field `{field}` for {}, expected one of {}",
                self.kind,
                allowed.join(", ")
            ))));
        }
        let membership = |s: LineIn| -> Result<Membership> {
            Ok(Membership {
                member: required(s.member, "member")?,
                organisation: required(s.organisation, "organisation")?,
                role: s.role,
            })
        };
        Ok(match self.kind.as_str() {
            "games_registered" => Kind::GamesRegistered(GamesRegistered {
                games: required(self.games, "games")?,
                name: required(self.name, "name")?,
                closes: required(self.closes, "closes")?,
                unranked: self.unranked.unwrap_or_default(),
                delegations: self.delegations.unwrap_or_default(),
                host: self.host,
                season: self.season,
                movement: self.movement,
            }),
            "medal_awarded" => Kind::MedalAwarded(MedalAwarded {
                games: required(self.games, "games")?,
                sport: required(self.sport, "sport")?,
                event: required(self.event, "event")?,
                medal: required(self.medal, "medal")?,
                noc: required(self.noc, "noc")?,
                athletes: self.athletes.unwrap_or_default(),
            }),
            "medal_revoked" => Kind::MedalRevoked(MedalRevoked {
                award: required(self.award, "award")?,
                reason: required(self.reason, "reason")?,
            }),
            "meeting_held" => Kind::MeetingHeld(MeetingHeld {
                participants: required(self.participants, "participants")?,
                place: required(self.place, "place")?,
                subject: required(self.subject, "subject")?,
            }),
            "membership_began" => Kind::MembershipBegan(membership(self)?),
            "membership_ended" => Kind::MembershipEnded(membership(self)?),
            "person_identified" => Kind::PersonIdentified(PersonIdentified {
                name: required(self.name, "name")?,
                aliases: self.aliases.unwrap_or_default(),
                noc: self.noc,
            }),
            "delegation_succeeded" => Kind::DelegationSucceeded(DelegationSucceeded {
                predecessor: required(self.predecessor, "predecessor")?,
                successor: required(self.successor, "successor")?,
                note: self.note,
            }),
            "tally_published" => Kind::TallyPublished(TallyPublished {
                games: required(self.games, "games")?,
                noc: required(self.noc, "noc")?,
                sport: required(self.sport, "sport")?,
                gold: required(self.gold, "gold")?,
                silver: required(self.silver, "silver")?,
                bronze: required(self.bronze, "bronze")?,
            }),
            "athletes_entered" => Kind::AthletesEntered(AthletesEntered {
                games: required(self.games, "games")?,
                noc: required(self.noc, "noc")?,
                entrants: required(self.entrants, "entrants")?,
            }),
            "entrants_published" => Kind::EntrantsPublished(EntrantsPublished {
                games: required(self.games, "games")?,
                noc: required(self.noc, "noc")?,
                sports: required(self.sports, "sports")?,
            }),
            _ => Kind::Claim(Claim {
                games: required(self.games, "games")?,
                noc: required(self.noc, "noc")?,
                figure: required(self.figure, "figure")?,
                value: required(self.value, "value")?,
                bound: self.bound.unwrap_or_default(),
                sport: self.sport,
                athlete: self.athlete,
                quote: self.quote,
            }),
        })
    }
}

/// Parses one line. `Ok(None)` for a blank line or a `#` comment.
///
/// # Errors
/// When the line is not a valid event; the message names the field.
pub fn parse_line(line: &str) -> Result<Option<Incoming>> {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(None);
    }
    let mut parsed: LineIn = serde_json::from_str(trimmed).map_err(|e| {
        // serde_json appends " at line L column C": the column helps, the line is always 1.
        let text = e.to_string().replace(" at line 1 column", " at column");
        Error::new(ErrorKind::Parse(text))
    })?;
    let id = parsed
        .id
        .ok_or_else(|| Error::new(ErrorKind::Parse("missing field `id`".into())))?;
    if id.is_nil() {
        return Err(Error::invalid("id is the nil UUID").at_id(id));
    }
    let date = parsed.date;
    let recorded = parsed.recorded;
    let recorded_by = parsed.recorded_by.take();
    if let Some(by) = &recorded_by {
        crate::event::check_recorder(by).map_err(|e| e.at_id(id))?;
    }
    let source = parsed.source.take();
    let kind = parsed.kind().map_err(|e| e.at_id(id))?;
    let event = Event {
        id,
        date,
        source,
        kind,
    };
    event.validate().map_err(|e| e.at_id(id))?;
    Ok(Some(Incoming {
        event,
        recorded,
        recorded_by,
    }))
}

/// Reads events from a buffered reader, line by line, with bounded memory.
pub struct Reader<R> {
    input: R,
    path: Arc<Path>,
    line_no: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R, path: impl Into<PathBuf>) -> Reader<R> {
        Reader {
            input,
            path: Arc::from(path.into()),
            line_no: 0,
            buf: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path, shared, for errors that outlive the reader.
    pub fn shared_path(&self) -> &Arc<Path> {
        &self.path
    }

    /// The next event and its line number, or `None` at the end of the input.
    ///
    /// # Errors
    /// An unreadable, over-long, non-UTF-8 or invalid line, with file:line.
    pub fn next_event(&mut self) -> Result<Option<(u64, Incoming)>> {
        loop {
            self.buf.clear();
            self.line_no += 1;
            let input: &mut R = &mut self.input;
            let n = std::io::Read::take(input, LINE_BYTES_MAX as u64 + 1)
                .read_until(b'\n', &mut self.buf)
                .map_err(|e| Error::io(self.path.as_ref(), e))?;
            if n == 0 {
                return Ok(None);
            }
            let at = |e: Error| e.at_line(self.path.as_ref(), self.line_no);
            let newline = usize::from(self.buf.last() == Some(&b'\n'));
            if self.buf.len() - newline > LINE_BYTES_MAX {
                return Err(at(Error::new(ErrorKind::Parse(format!(
                    "line is longer than {LINE_BYTES_MAX} bytes"
                )))));
            }
            // A UTF-8 byte-order mark (spreadsheets write one) opens the file, not the event.
            let start = if self.line_no == 1 && self.buf.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            let text = std::str::from_utf8(&self.buf[start..]).map_err(|e| {
                at(Error::new(ErrorKind::Parse(format!(
                    "not UTF-8 (byte {})",
                    start + e.valid_up_to() + 1
                ))))
            })?;
            if let Some(incoming) = parse_line(text).map_err(at)? {
                return Ok(Some((self.line_no, incoming)));
            }
        }
    }
}

#[derive(Serialize)]
struct Head<'a> {
    id: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    date: Day,
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seq: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

/// Writes an event as one line: id, type, date, recorded, seq, recorded_by,
/// source, then the kind's own fields. `recorded` is `None` for a file meant
/// to be stamped on import; with `Some((seq, recorded))` both are written.
///
/// # Errors
/// When the writer fails.
pub fn write_line(
    out: &mut impl Write,
    event: &Event,
    recorded: Option<(u64, Timestamp)>,
) -> std::io::Result<()> {
    write_fields(
        out,
        event,
        recorded.map(|r| r.1),
        recorded.map(|r| r.0),
        None,
    )
}

/// Writes an event with its recorded time but no seq: a journal to replay.
///
/// # Errors
/// When the writer fails.
pub fn write_stamped(
    out: &mut impl Write,
    event: &Event,
    recorded: Timestamp,
) -> std::io::Result<()> {
    write_fields(out, event, Some(recorded), None, None)
}

fn write_fields(
    out: &mut impl Write,
    event: &Event,
    recorded: Option<Timestamp>,
    seq: Option<u64>,
    recorded_by: Option<&str>,
) -> std::io::Result<()> {
    let head = Head {
        id: event.id,
        kind: event.kind.name(),
        date: event.date,
        recorded,
        seq,
        recorded_by,
        source: event.source.as_deref(),
    };
    let head = serde_json::to_string(&head)?;
    let body = serde_json::to_string(&event.kind)?;
    // The kind serializes as {"type":"…",fields…}; keep the fields only.
    let prefix = format!("{{\"type\":\"{}\"", event.kind.name());
    let fields = body
        .strip_prefix(&prefix)
        .expect("a kind serializes with its tag first");
    out.write_all(&head.as_bytes()[..head.len() - 1])?;
    out.write_all(fields.as_bytes())?;
    out.write_all(b"\n")
}

/// Writes a logged event with its seq, recorded time and recorder (the
/// export form, which `parse_line` reads back to the same record).
///
/// # Errors
/// When the writer fails.
pub fn write_recorded(out: &mut impl Write, r: &Recorded) -> std::io::Result<()> {
    write_fields(
        out,
        &r.event,
        Some(r.recorded),
        Some(r.seq),
        r.recorded_by.as_deref(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const AWARD: &str = r#"{"id":"0b7e7f4e-5c1a-5d43-9a7e-1f0e2d3c4b5a","type":"medal_awarded","date":"2024-07-29","games":"paris-2024","sport":"Judo","event":"Men -73 kg","medal":"gold","noc":"AZE","athletes":["Hidayat HEYDAROV"]}"#;

    #[test]
    fn a_line_round_trips() {
        let incoming = parse_line(AWARD).unwrap().unwrap();
        let mut out = Vec::new();
        write_line(&mut out, &incoming.event, None).unwrap();
        assert_eq!(String::from_utf8(out).unwrap().trim_end(), AWARD);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let line = AWARD.replace("\"noc\"", "\"colour\":1,\"noc\"");
        let e = parse_line(&line).unwrap_err().to_string();
        assert!(e.contains("unknown field `colour`"), "{e}");
        let line = AWARD.replace("\"type\"", "\"extra\":true,\"type\"");
        assert!(parse_line(&line).is_err());
    }

    #[test]
    fn bad_values_name_the_problem() {
        let cases = [
            (AWARD.replace("2024-07-29", "2024-02-30"), "does not exist"),
            (AWARD.replace("\"AZE\"", "\"aze\""), "three capital letters"),
            (
                AWARD.replace("\"gold\"", "\"golden\""),
                "is not gold, silver or bronze",
            ),
            (
                AWARD.replace("Hidayat HEYDAROV", " "),
                "athlete name is empty",
            ),
            (
                AWARD.replace("\"id\":\"0b7e7f4e-5c1a-5d43-9a7e-1f0e2d3c4b5a\",", ""),
                "missing field `id`",
            ),
        ];
        for (line, expected) in cases {
            let e = parse_line(&line).unwrap_err().to_string();
            assert!(e.contains(expected), "{line}: {e}");
        }
    }

    #[test]
    fn a_byte_order_mark_opening_a_file_is_skipped() {
        let input = format!("\u{feff}{AWARD}\n\u{feff}{AWARD}\n");
        let mut reader = Reader::new(input.as_bytes(), "bom.jsonl");
        assert!(reader.next_event().unwrap().is_some());
        // Only at the start of the file: inside it, the mark is an error.
        assert!(reader.next_event().is_err());
    }

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        assert!(parse_line("# a note").unwrap().is_none());
        assert!(parse_line("   ").unwrap().is_none());
    }

    #[test]
    fn over_long_lines_are_refused_with_their_line_number() {
        let input = format!("{AWARD}\n{}\n", "x".repeat(LINE_BYTES_MAX + 10));
        let mut reader = Reader::new(input.as_bytes(), "f.jsonl");
        assert!(reader.next_event().unwrap().is_some());
        let e = reader.next_event().unwrap_err().to_string();
        assert!(e.starts_with("f.jsonl:2: line is longer"), "{e}");
    }
}
