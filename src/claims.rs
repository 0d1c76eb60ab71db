//! Checking what sources claimed: every `claim` event is compared with the
//! ledger's own projection where the ledger holds the data (medal counts,
//! ranks and medallists of a registered games, from awards and tallies alike;
//! team sizes and numbers of sports from its entries; medals over the earlier
//! games of a series), and with the other claims on the same subject where it
//! does not (games the ledger lacks, teams it has no entries of).
//!
//! Where the ledger knows a figure only within bounds (the medals of a tally
//! may be an athlete's or not; entrants counted per sport may count an
//! athlete twice), a claim is confirmed only if every value within them
//! satisfies it, contradicted if none does, and otherwise stays unverifiable
//! with the bounds and why.
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
use crate::entries::EntriesFold;
use crate::event::{Bound, Claim, Figure, GamesId, Kind, Movement, Noc, Recorded, Season};
use crate::people::{NameKey, People};
use crate::table::{rank, Award, Bounds, Counts, RankBy, TableFold};

/// What the ledger concludes about a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The ledger's own figure satisfies the claim.
    Confirmed,
    /// The ledger's figure, or another source's claim, is incompatible with it.
    Contradicted,
    /// The ledger holds no such figure (or only bounds that allow and refuse
    /// it) and no other source contradicts it.
    Unverifiable,
}

/// The ledger's own value for a claimed figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LedgerValue {
    /// `None` when the figure does not exist (a rank for a delegation without
    /// one); the least it can be when `at_most` is given.
    pub value: Option<u32>,
    /// When the ledger knows the figure only within bounds: the most it can
    /// be (`u32::MAX`: no bound). Absent when `value` is exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_most: Option<u32>,
    /// Where the value comes from, in words.
    pub basis: String,
    /// The day of the table it was read from: the claim's day during the
    /// games, else the closing day.
    pub as_of: String,
}

impl LedgerValue {
    fn exact(value: u32, basis: String) -> LedgerValue {
        LedgerValue {
            value: Some(value),
            at_most: None,
            basis,
            as_of: String::new(),
        }
    }

    /// The value in words: a number, a range ("2 to 3", "2 or more"), or
    /// "none" (no rank).
    pub fn text(&self) -> String {
        match (self.value, self.at_most) {
            (None, _) => "none".to_owned(),
            (Some(v), None) => v.to_string(),
            (Some(v), Some(u32::MAX)) => format!("{v} or more"),
            (Some(v), Some(most)) => format!("{v} to {most}"),
        }
    }

    /// The values the figure may have.
    fn range(&self) -> Option<(u32, u32)> {
        let least = self.value?;
        Some((least, self.at_most.unwrap_or(least)))
    }
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

/// What judging needs of a games: its days, its series and who is unranked.
struct GamesDays {
    opens: crate::event::Day,
    closes: crate::event::Day,
    season: Option<Season>,
    movement: Option<Movement>,
    unranked: BTreeSet<Noc>,
}

/// Collects what `check` needs from the log, in two passes so memory holds
/// the claims and the medals and entries of the games they speak of, never
/// the whole log: `apply` takes every event first, then `apply_medals` the
/// events of the games `games_claimed` names.
#[derive(Default)]
pub struct CheckFold {
    claims: Vec<ClaimRecord>,
    games: HashMap<GamesId, GamesDays>,
    /// Each claimed games' medals, awards and tallies, as known now.
    folds: HashMap<GamesId, TableFold>,
    entries: EntriesFold,
    people: People,
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

/// A count the ledger knows exactly (`known`) plus medals that may or may not
/// belong to it (`maybe`: a tally's, when the claim names an athlete).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Count {
    known: u32,
    maybe: u32,
}

impl Count {
    fn add(&mut self, other: Count) {
        self.known += other.known;
        self.maybe += other.maybe;
    }

    /// The value, and when it is a range, why.
    fn value(self, basis: String) -> LedgerValue {
        let why = if self.maybe > 0 {
            format!(
                "; {} of the delegation's medals here are counted without medallists \
                 (a tally): the ledger confirms those medals, not who won them",
                self.maybe
            )
        } else {
            String::new()
        };
        LedgerValue {
            value: Some(self.known),
            at_most: (self.maybe > 0).then(|| self.known.saturating_add(self.maybe)),
            basis: basis + &why,
            as_of: String::new(),
        }
    }
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
                        season: g.season,
                        movement: g.movement,
                        unranked: g.unranked.iter().copied().collect(),
                    },
                );
            }
            _ => {}
        }
    }

    /// The registered games of `games`' series (the same season and
    /// movement, both given) that opened before it, in opening order.
    fn earlier(&self, games: &GamesId) -> Vec<&GamesId> {
        let Some(g) = self.games.get(games) else {
            return Vec::new();
        };
        if g.season.is_none() || g.movement.is_none() {
            return Vec::new();
        }
        let mut earlier: Vec<(&GamesId, &GamesDays)> = self
            .games
            .iter()
            .filter(|(_, o)| {
                (o.season, o.movement) == (g.season, g.movement)
                    && o.opens.first() < g.opens.first()
            })
            .collect();
        earlier.sort_by_key(|(_, o)| o.opens.first());
        earlier.into_iter().map(|(id, _)| id).collect()
    }

    /// The games the claims taken so far speak of (and, for a figure over
    /// earlier games, those games).
    pub fn games_claimed(&self) -> BTreeSet<GamesId> {
        let mut games = BTreeSet::new();
        for c in &self.claims {
            games.insert(c.claim.games.clone());
            if c.claim.figure == Figure::TotalBefore {
                games.extend(self.earlier(&c.claim.games).into_iter().cloned());
            }
        }
        games
    }

    /// Second pass: the events of the games claimed about (registration,
    /// awards, tallies, revocations, entries).
    pub fn apply_medals(&mut self, r: &Recorded) {
        match &r.event.kind {
            Kind::AthletesEntered(_) | Kind::EntrantsPublished(_) => self.entries.apply(r),
            Kind::MedalRevoked(_) => {
                // Each fold keeps only the revocations of its own awards that count.
                for fold in self.folds.values_mut() {
                    fold.apply(r);
                }
            }
            kind => {
                if let Some(games) = kind.games() {
                    self.folds
                        .entry(games.clone())
                        .or_insert_with(|| TableFold::new(games.clone(), Bounds::default()))
                        .apply(r);
                }
            }
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

    /// The medals of a games in force on `as_of`, as known at `known_at`
    /// (none: now): every revocation known by then applied, whatever its
    /// date, since a claim speaks of the record as corrected.
    fn in_force(
        &self,
        games: &GamesId,
        as_of: Date,
        known_at: Option<Timestamp>,
    ) -> impl Iterator<Item = &Award> {
        let known = move |recorded: Timestamp| known_at.is_none_or(|t| recorded <= t);
        let fold = self.folds.get(games);
        fold.into_iter().flat_map(move |f| {
            f.awards().filter(move |a| {
                a.date <= as_of
                    && known(a.recorded)
                    && f.revocation(&a.id).is_none_or(|r| !known(r.recorded))
            })
        })
    }

    /// The medals of a claim's subject at `games` on `as_of` (of its colour
    /// for a colour figure): those named for it, and, when it names an
    /// athlete, those of its delegation and sport counted without medallists.
    fn medal_count(
        &self,
        c: &Claim,
        games: &GamesId,
        as_of: Date,
        known_at: Option<Timestamp>,
        filter: &Filter,
    ) -> Count {
        let colour = match c.figure {
            Figure::Gold => Some(crate::event::Medal::Gold),
            Figure::Silver => Some(crate::event::Medal::Silver),
            Figure::Bronze => Some(crate::event::Medal::Bronze),
            _ => None,
        };
        let anyone = Filter {
            athlete: None,
            ..filter.clone()
        };
        let mut count = Count::default();
        for a in self.in_force(games, as_of, known_at) {
            if colour.is_some_and(|m| m != a.medal.medal) {
                continue;
            }
            if filter.matches(&a.medal) {
                count.known += 1;
            } else if filter.athlete.is_some() && !a.named() && anyone.matches(&a.medal) {
                count.maybe += 1;
            }
        }
        count
    }

    /// The medals a claim speaks of, chosen as `podium medals` chooses them
    /// (a sport's name and an athlete's spellings matched alike).
    fn filter(&self, c: &Claim) -> Filter {
        Filter {
            noc: Some(c.noc),
            sport: c.sport.as_deref().map(Label::new),
            athlete: c
                .athlete
                .as_deref()
                .map(|a| self.people.resolve(a).keys().into_iter().collect()),
            ..Filter::default()
        }
    }

    /// Whose medals a claim counts, in words.
    fn scope(&self, c: &Claim, games: &str) -> String {
        let whose = match &c.athlete {
            Some(a) => self.people.resolve(a).name,
            None => c.noc.to_string(),
        };
        match &c.sport {
            Some(s) => format!("{whose}'s medals in {s} at {games}"),
            None => format!("{whose}'s medals at {games}"),
        }
    }

    /// The ledger's value for a claim, if it holds the data: as known now,
    /// or as known at `known_at`. Entries keep no times: a team's size is
    /// as known now on either axis.
    fn ledger_value(
        &self,
        record: &ClaimRecord,
        known_at: Option<Timestamp>,
    ) -> Option<LedgerValue> {
        let c = &record.claim;
        let games = self.games.get(&c.games)?;
        // A claim made during the games speaks of the table on its day; one made
        // before the games opened (a forecast) or after they closed, of the final table.
        let closes = games.closes.last();
        let as_of = if record.date.first() < games.opens.first() {
            closes
        } else {
            record.date.last().min(closes)
        };
        let when = if as_of == closes {
            "final".to_owned()
        } else {
            format!("as of {as_of}")
        };
        let known = match known_at {
            None => "as known now".to_owned(),
            Some(_) => format!("as known on {}", record.date.last()),
        };
        let filter = self.filter(c);
        let mut value = match c.figure {
            Figure::Athletes | Figure::Sports => self.entries_value(c)?,
            Figure::TotalBefore => self.before_value(c, &filter, known_at, &known)?,
            Figure::Rank => {
                if filter.sport.is_some() || filter.athlete.is_some() {
                    return None;
                }
                let mut counts: BTreeMap<Noc, Counts> = BTreeMap::new();
                for a in self.in_force(&c.games, as_of, known_at) {
                    counts.entry(a.medal.noc).or_default().add(a.medal.medal);
                }
                let rows = rank(counts, &games.unranked, &BTreeMap::new(), RankBy::Gold);
                LedgerValue {
                    value: rows.iter().find(|r| r.noc == c.noc).and_then(|r| r.rank),
                    at_most: None,
                    basis: format!("ledger: {} medal table, {when}, {known}", c.games),
                    as_of: String::new(),
                }
            }
            Figure::Medallists => {
                let mut people = BTreeSet::new();
                let mut unnamed = false;
                let anyone = Filter {
                    athlete: None,
                    ..filter.clone()
                };
                for a in self.in_force(&c.games, as_of, known_at) {
                    if filter.matches(&a.medal) {
                        people.extend(a.medal.athletes.iter().map(|n| self.people.resolve(n).name));
                    }
                    unnamed |= !a.named() && anyone.matches(&a.medal);
                }
                let named = u32::try_from(people.len()).unwrap_or(u32::MAX);
                LedgerValue {
                    value: Some(named),
                    at_most: unnamed.then_some(u32::MAX),
                    basis: format!(
                        "ledger: {}, {when}, {known}{}",
                        self.scope(c, c.games.as_str()),
                        if unnamed {
                            " (some counted without medallists)"
                        } else {
                            ""
                        }
                    ),
                    as_of: String::new(),
                }
            }
            _ => {
                let count = self.medal_count(c, &c.games, as_of, known_at, &filter);
                let basis = format!(
                    "ledger: {}, {when}, {known}",
                    self.scope(c, c.games.as_str())
                );
                count.value(basis)
            }
        };
        value.as_of = as_of.to_string();
        Some(value)
    }

    /// A team's size or its number of sports, from the entries known.
    fn entries_value(&self, c: &Claim) -> Option<LedgerValue> {
        let sport = c.sport.as_deref().map(Label::new);
        let size = self.entries.get(&c.games, c.noc)?.size(sport.as_ref())?;
        let what = match (&c.sport, c.figure) {
            (Some(s), Figure::Athletes) => format!("{}'s athletes in {s}", c.noc),
            (None, Figure::Athletes) => format!("{}'s athletes", c.noc),
            (_, _) => format!("{}'s sports", c.noc),
        };
        let how = if size.named {
            "entered by name, alternates left out"
        } else {
            "entrants counted per sport: an athlete entered in two sports may be counted twice"
        };
        let basis = format!("ledger: {what} at {} ({how}), as known now", c.games);
        Some(match c.figure {
            Figure::Athletes => LedgerValue {
                value: Some(size.least),
                at_most: (size.most != size.least).then_some(size.most),
                basis,
                as_of: String::new(),
            },
            _ => LedgerValue::exact(size.sports, basis),
        })
    }

    /// The medals of a claim's subject over the earlier games of its games'
    /// series, as known at `known_at` (`known` in words); `None` when the
    /// ledger holds none of them.
    fn before_value(
        &self,
        c: &Claim,
        filter: &Filter,
        known_at: Option<Timestamp>,
        known: &str,
    ) -> Option<LedgerValue> {
        let earlier = self.earlier(&c.games);
        if earlier.is_empty() {
            return None;
        }
        let mut count = Count::default();
        for games in &earlier {
            let closes = self.games.get(*games)?.closes.last();
            count.add(self.medal_count(c, games, closes, known_at, filter));
        }
        let series = self.games.get(&c.games).map_or(String::new(), |g| {
            let name = |v: Option<&str>| v.unwrap_or("").to_owned();
            format!(
                "{} {} ",
                name(g.season.map(Season::as_str)),
                name(g.movement.map(Movement::as_str))
            )
        });
        let basis = format!(
            "ledger: {}, over the {} {series}games before it, {known}",
            self.scope(c, c.games.as_str()),
            earlier.len()
        );
        Some(count.value(basis))
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
                    (then.range() != now.range()).then_some(then)
                });
                let claimed = interval(c.value, c.bound);
                let held = |l: &LedgerValue| {
                    l.range()
                        .is_some_and(|(least, most)| claimed.0 <= least && most <= claimed.1)
                };
                let mut notes = Vec::new();
                if forecasts[i] {
                    notes.push("published before the games opened: a forecast".to_owned());
                }
                if let (Some(then), Some(now)) = (&written, &ledger) {
                    let said = format!(
                        "the ledger said {} as known on {}",
                        then.text(),
                        record.date.last()
                    );
                    notes.push(match (held(then), held(now)) {
                        (true, false) => format!("true when written: {said}; corrected since"),
                        (false, true) => {
                            format!("wrong when written ({said}), right since a correction")
                        }
                        _ => format!("{said}; corrected since"),
                    });
                }
                let verdict = match ledger.as_ref().map(LedgerValue::range) {
                    Some(Some((least, most))) if claimed.0 <= least && most <= claimed.1 => {
                        Verdict::Confirmed
                    }
                    Some(Some((least, most))) if least <= claimed.1 && claimed.0 <= most => {
                        notes.push(
                            "the ledger's bounds allow this figure and others: no source here \
                             settles it"
                                .to_owned(),
                        );
                        if contradicted_by.is_empty() {
                            Verdict::Unverifiable
                        } else {
                            Verdict::Contradicted
                        }
                    }
                    Some(_) => Verdict::Contradicted,
                    None if !contradicted_by.is_empty() => Verdict::Contradicted,
                    None => Verdict::Unverifiable,
                };
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
                    note: (!notes.is_empty()).then(|| notes.join("; ")),
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
