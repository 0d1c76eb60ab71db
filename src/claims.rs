//! Checking what sources claimed: every `claim` event is compared with the
//! ledger's own projection where the ledger holds the data (medal counts,
//! ranks and medallists of a registered games), and with the other claims on
//! the same subject where it does not (team sizes, games the ledger lacks).
//!
//! A claim is judged as known now, and also as the ledger knew it at the end
//! of the claim's publication day: a figure true when written and corrected
//! since (a medal stripped years later) says so.
//!
//! A pure fold: `CheckFold::apply` takes the log in order, `finish` judges.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::drill::{Filter, Label};
use crate::event::{Bound, Claim, Figure, GamesId, Kind, MedalAwarded, Noc, Recorded};
use crate::people::{NameKey, People};
use crate::table::{counts_from, rank, Counts, RankBy};

/// What the ledger concludes about a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The ledger's own figure satisfies the claim.
    Confirmed,
    /// The ledger's figure, or another source's claim, is incompatible with it.
    Contradicted,
    /// The ledger holds no such figure and no other source contradicts it.
    Unverifiable,
}

/// The ledger's own value for a claimed figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LedgerValue {
    /// `None` when the figure does not exist (a rank for a delegation without one).
    pub value: Option<u32>,
    /// Where the value comes from, in words.
    pub basis: String,
    /// The day of the table it was read from: the claim's day during the
    /// games, else the closing day.
    pub as_of: String,
}

/// Another claim on the same subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OtherClaim {
    pub id: Uuid,
    pub value: u32,
    pub bound: Bound,
    pub date: String,
    pub source: Option<String>,
}

/// One claim and its verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Checked {
    pub id: Uuid,
    pub date: String,
    pub source: Option<String>,
    pub games: GamesId,
    pub noc: Noc,
    pub figure: Figure,
    pub sport: Option<String>,
    pub athlete: Option<String>,
    pub value: u32,
    pub bound: Bound,
    pub verdict: Verdict,
    pub ledger: Option<LedgerValue>,
    /// The ledger's value as known at the end of the publication day, when
    /// it differs from `ledger`'s (a correction recorded since).
    pub written: Option<LedgerValue>,
    pub contradicted_by: Vec<OtherClaim>,
    pub agrees_with: Vec<OtherClaim>,
    pub note: Option<String>,
}

struct ClaimRecord {
    id: Uuid,
    date: crate::event::Day,
    source: Option<String>,
    claim: Claim,
}

/// What judging needs of a games: its days and who is unranked.
struct GamesDays {
    opens: crate::event::Day,
    closes: crate::event::Day,
    unranked: BTreeSet<Noc>,
}

/// Collects what `check` needs from the log, in two passes so memory holds
/// the claims and the medals of the games they speak of, never the whole log:
/// `apply` takes every event first, then `apply_medals` every event again.
#[derive(Default)]
pub struct CheckFold {
    claims: Vec<ClaimRecord>,
    games: HashMap<GamesId, GamesDays>,
    awards: HashMap<GamesId, Vec<Award>>,
    /// Revoked awards, and when each revocation was recorded.
    revoked: HashMap<Uuid, Timestamp>,
    people: People,
}

/// An award of a games claimed about, as judging needs it.
struct Award {
    id: Uuid,
    /// The day it counts from.
    counts_from: Date,
    recorded: Timestamp,
    medal: MedalAwarded,
}

/// A ledger value in words: the number, or "none" (no rank).
fn value_text(l: &LedgerValue) -> String {
    l.value.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

/// The end of a day in UTC: what the ledger knew "on" that day.
fn end_of(day: Date) -> Option<Timestamp> {
    day.at(23, 59, 59, 999_999_999)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// The interval of values a claim allows.
fn interval(value: u32, bound: Bound) -> (u32, u32) {
    match bound {
        Bound::Exact => (value, value),
        Bound::AtMost => (0, value),
        Bound::AtLeast => (value, u32::MAX),
    }
}

fn compatible(a: (u32, Bound), b: (u32, Bound)) -> bool {
    let (a0, a1) = interval(a.0, a.1);
    let (b0, b1) = interval(b.0, b.1);
    a0 <= b1 && b0 <= a1
}

impl CheckFold {
    pub fn new() -> CheckFold {
        CheckFold::default()
    }

    /// Takes the next event in log order (as known now).
    pub fn apply(&mut self, r: &Recorded) {
        self.people.apply(r);
        match &r.event.kind {
            Kind::Claim(c) => self.claims.push(ClaimRecord {
                id: r.event.id,
                date: r.event.date,
                source: r.event.source.clone(),
                claim: c.clone(),
            }),
            Kind::GamesRegistered(g) => {
                self.games.insert(
                    g.games.clone(),
                    GamesDays {
                        opens: r.event.date,
                        closes: g.closes,
                        unranked: g.unranked.iter().copied().collect(),
                    },
                );
            }
            _ => {}
        }
    }

    /// The games the claims taken so far speak of.
    pub fn games_claimed(&self) -> BTreeSet<GamesId> {
        self.claims.iter().map(|c| c.claim.games.clone()).collect()
    }

    /// Second pass: the medals (and their revocations) of the games claimed about.
    pub fn apply_medals(&mut self, r: &Recorded) {
        match &r.event.kind {
            Kind::MedalAwarded(m) if self.claims.iter().any(|c| c.claim.games == m.games) => {
                // A medal without a known day counts from its span's last day,
                // as in every table: a claim made during the games does not
                // get it before then.
                self.awards.entry(m.games.clone()).or_default().push(Award {
                    id: r.event.id,
                    counts_from: counts_from(&r.event.date),
                    recorded: r.recorded,
                    medal: m.clone(),
                });
            }
            Kind::MedalRevoked(rev) => {
                self.revoked.insert(rev.award, r.recorded);
            }
            _ => {}
        }
    }

    /// Whether an award had not been revoked as known at `known_at` (none: now).
    fn in_force_at(&self, award: Uuid, known_at: Option<Timestamp>) -> bool {
        match (self.revoked.get(&award), known_at) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(revoked), Some(t)) => *revoked > t,
        }
    }

    /// The subject of a claim: what two claims must share to be compared.
    fn subject(&self, c: &Claim) -> (GamesId, Noc, Figure, Option<Label>, Option<NameKey>) {
        (
            c.games.clone(),
            c.noc,
            c.figure,
            c.sport.as_deref().map(Label::new),
            c.athlete
                .as_deref()
                .map(|a| NameKey::new(&self.people.resolve(a).name)),
        )
    }

    /// The ledger's value for a claim, if it holds the data: as known now,
    /// or as known at `known_at`.
    fn ledger_value(
        &self,
        record: &ClaimRecord,
        known_at: Option<Timestamp>,
    ) -> Option<LedgerValue> {
        let c = &record.claim;
        let games = self.games.get(&c.games)?;
        if matches!(c.figure, Figure::Athletes | Figure::Sports) {
            return None;
        }
        // A claim made during the games speaks of the table on its day; one made
        // before the games opened (a forecast) or after they closed, of the final table.
        let closes = games.closes.last();
        let as_of = if record.date.first() < games.opens.first() {
            closes
        } else {
            record.date.last().min(closes)
        };
        let in_force = self
            .awards
            .get(&c.games)
            .into_iter()
            .flatten()
            .filter(|a| a.counts_from <= as_of && known_at.is_none_or(|t| a.recorded <= t))
            .filter(|a| self.in_force_at(a.id, known_at))
            .map(|a| &a.medal);
        // The medals the claim speaks of, chosen as `podium medals` chooses
        // them (a sport's name and an athlete's spellings matched alike).
        let filter = Filter {
            noc: Some(c.noc),
            sport: c.sport.as_deref().map(Label::new),
            athlete: c
                .athlete
                .as_deref()
                .map(|a| self.people.resolve(a).keys().into_iter().collect()),
            ..Filter::default()
        };
        let mine = |m: &MedalAwarded| filter.matches(m);
        let mut scope = format!("{}'s medals at {}", c.noc, c.games);
        if let Some(s) = &c.sport {
            scope = format!("{}'s medals in {s} at {}", c.noc, c.games);
        }
        if let Some(a) = &c.athlete {
            scope = format!("{}'s medals at {}", self.people.resolve(a).name, c.games);
        }
        let when = if as_of == closes {
            "final".to_owned()
        } else {
            format!("as of {as_of}")
        };
        let known = match known_at {
            None => "as known now".to_owned(),
            Some(_) => format!("as known on {}", record.date.last()),
        };
        let value = match c.figure {
            Figure::Rank => {
                if filter.sport.is_some() || filter.athlete.is_some() {
                    return None;
                }
                let mut counts: BTreeMap<Noc, Counts> = BTreeMap::new();
                for m in in_force {
                    counts.entry(m.noc).or_default().add(m.medal);
                }
                let unranked = games.unranked.clone();
                let rows = rank(counts, &unranked, &BTreeMap::new(), RankBy::Gold);
                let value = rows.iter().find(|r| r.noc == c.noc).and_then(|r| r.rank);
                return Some(LedgerValue {
                    value,
                    basis: format!("ledger: {} medal table, {when}, {known}", c.games),
                    as_of: as_of.to_string(),
                });
            }
            Figure::Medallists => {
                let people: BTreeSet<String> = in_force
                    .filter(|m| mine(m))
                    .flat_map(|m| m.athletes.iter())
                    .map(|a| self.people.resolve(a).name)
                    .collect();
                people.len() as u32
            }
            figure => {
                let mut counts = Counts::default();
                for m in in_force.filter(|m| mine(m)) {
                    counts.add(m.medal);
                }
                match figure {
                    Figure::Gold => counts.gold,
                    Figure::Silver => counts.silver,
                    Figure::Bronze => counts.bronze,
                    _ => counts.total(),
                }
            }
        };
        Some(LedgerValue {
            value: Some(value),
            basis: format!("ledger: {scope}, {when}, {known}"),
            as_of: as_of.to_string(),
        })
    }

    /// Whether a claim was published before its games opened.
    fn is_forecast(&self, r: &ClaimRecord) -> bool {
        self.games
            .get(&r.claim.games)
            .is_some_and(|g| r.date.last() < g.opens.first())
    }

    /// Judges every claim, in log order.
    pub fn finish(&self) -> Vec<Checked> {
        let subjects: Vec<_> = self.claims.iter().map(|r| self.subject(&r.claim)).collect();
        let forecasts: Vec<bool> = self.claims.iter().map(|r| self.is_forecast(r)).collect();
        let other = |r: &ClaimRecord| OtherClaim {
            id: r.id,
            value: r.claim.value,
            bound: r.claim.bound,
            date: r.date.to_string(),
            source: r.source.clone(),
        };
        self.claims
            .iter()
            .enumerate()
            .map(|(i, record)| {
                let c = &record.claim;
                let mut contradicted_by = Vec::new();
                let mut agrees_with = Vec::new();
                for (j, o) in self.claims.iter().enumerate() {
                    // A forecast that did not come true says nothing against a later report.
                    if i == j || subjects[i] != subjects[j] || (forecasts[j] && !forecasts[i]) {
                        continue;
                    }
                    if compatible((c.value, c.bound), (o.claim.value, o.claim.bound)) {
                        agrees_with.push(other(o));
                    } else {
                        contradicted_by.push(other(o));
                    }
                }
                let ledger = self.ledger_value(record, None);
                // What the ledger knew at the end of the publication day, when it differs.
                let written = ledger.as_ref().and_then(|now| {
                    let then = self.ledger_value(record, end_of(record.date.last()))?;
                    (then.value != now.value).then_some(then)
                });
                let verdict = match &ledger {
                    Some(l) => match l.value {
                        Some(v) if c.bound.holds(c.value, v) => Verdict::Confirmed,
                        _ => Verdict::Contradicted,
                    },
                    None if !contradicted_by.is_empty() => Verdict::Contradicted,
                    None => Verdict::Unverifiable,
                };
                let held = |l: &LedgerValue| l.value.is_some_and(|v| c.bound.holds(c.value, v));
                let corrected = match (&written, &ledger) {
                    (Some(then), Some(now)) => Some(match (held(then), held(now)) {
                        (true, false) => format!(
                            "true when written: the ledger said {} as known on {}; corrected since",
                            value_text(then),
                            record.date.last()
                        ),
                        (false, true) => format!(
                            "wrong when written (the ledger said {} as known on {}), right since a correction",
                            value_text(then),
                            record.date.last()
                        ),
                        _ => format!(
                            "the ledger said {} as known on {}; corrected since",
                            value_text(then),
                            record.date.last()
                        ),
                    }),
                    _ => None,
                };
                let forecast = forecasts[i]
                    .then(|| "published before the games opened: a forecast".to_owned());
                let notes: Vec<String> = forecast.into_iter().chain(corrected).collect();
                let note = (!notes.is_empty()).then(|| notes.join("; "));
                Checked {
                    id: record.id,
                    date: record.date.to_string(),
                    source: record.source.clone(),
                    games: c.games.clone(),
                    noc: c.noc,
                    figure: c.figure,
                    sport: c.sport.clone(),
                    athlete: c.athlete.clone(),
                    value: c.value,
                    bound: c.bound,
                    verdict,
                    ledger,
                    written,
                    contradicted_by,
                    agrees_with,
                    note,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(seq: u64, line: &str) -> Recorded {
        let incoming = crate::jsonl::parse_line(line).unwrap().unwrap();
        Recorded {
            seq,
            recorded: incoming.recorded.unwrap_or(jiff::Timestamp::UNIX_EPOCH),
            recorded_by: None,
            event: incoming.event,
        }
    }

    fn fold(lines: &[&str]) -> Vec<Checked> {
        let records: Vec<Recorded> = lines
            .iter()
            .enumerate()
            .map(|(i, line)| recorded(i as u64 + 1, line))
            .collect();
        let mut fold = CheckFold::new();
        for r in &records {
            fold.apply(r);
        }
        for r in &records {
            fold.apply_medals(r);
        }
        fold.finish()
    }

    #[test]
    fn a_claim_true_when_written_and_corrected_since_says_so() {
        let checked = fold(&[
            r#"{"id":"00000000-0000-4000-8000-000000000001","type":"games_registered","date":"1896-04-06","recorded":"1896-04-06T00:00:00Z","games":"athens-1896","name":"Athens 1896","closes":"1896-04-15","unranked":[]}"#,
            r#"{"id":"00000000-0000-4000-8000-000000000002","type":"medal_awarded","date":"1896-04-07","recorded":"1896-04-07T00:00:00Z","games":"athens-1896","sport":"S","event":"A","medal":"gold","noc":"GRE","athletes":["X"]}"#,
            r#"{"id":"00000000-0000-4000-8000-000000000003","type":"claim","date":"1896-04-20","recorded":"1896-04-20T00:00:00Z","games":"athens-1896","noc":"GRE","figure":"gold","value":1}"#,
            r#"{"id":"00000000-0000-4000-8000-000000000004","type":"medal_revoked","date":"1896-04-07","recorded":"1900-01-01T00:00:00Z","award":"00000000-0000-4000-8000-000000000002","reason":"R"}"#,
        ]);
        let c = &checked[0];
        assert_eq!(c.verdict, Verdict::Contradicted, "{c:?}");
        assert_eq!(c.ledger.as_ref().unwrap().value, Some(0));
        let written = c.written.as_ref().expect("what the ledger knew then");
        assert_eq!(written.value, Some(1));
        assert_eq!(written.as_of, "1896-04-15");
        assert!(
            c.note.as_deref().unwrap().starts_with("true when written"),
            "{c:?}"
        );
    }

    /// A games of 1896-04-06..15 with one medal of a known day and one known
    /// only by the games' span, and a claim on `date` that GRE has `value` medals.
    fn judged(date: &str, value: u32) -> Checked {
        let events = [
            r#"{"id":"00000000-0000-4000-8000-000000000001","type":"games_registered","date":"1896-04-06","games":"athens-1896","name":"Athens 1896","closes":"1896-04-15","unranked":[]}"#,
            r#"{"id":"00000000-0000-4000-8000-000000000002","type":"medal_awarded","date":"1896-04-07","games":"athens-1896","sport":"S","event":"A","medal":"gold","noc":"GRE","athletes":["X"]}"#,
            r#"{"id":"00000000-0000-4000-8000-000000000003","type":"medal_awarded","date":"1896-04-06/1896-04-15","games":"athens-1896","sport":"S","event":"B","medal":"gold","noc":"GRE","athletes":["Y"]}"#,
        ];
        let claim = format!(
            r#"{{"id":"00000000-0000-4000-8000-000000000004","type":"claim","date":"{date}","games":"athens-1896","noc":"GRE","figure":"total","value":{value}}}"#
        );
        let lines: Vec<&str> = events.iter().copied().chain([claim.as_str()]).collect();
        fold(&lines).remove(0)
    }

    #[test]
    fn a_medal_without_a_day_counts_for_a_claim_only_from_its_spans_end() {
        let during = judged("1896-04-10", 1);
        assert_eq!(during.verdict, Verdict::Confirmed, "{during:?}");
        assert_eq!(during.ledger.unwrap().value, Some(1));
        let after = judged("1896-04-20", 2);
        assert_eq!(after.verdict, Verdict::Confirmed, "{after:?}");
        assert_eq!(judged("1896-04-15", 1).verdict, Verdict::Contradicted);
    }
}
