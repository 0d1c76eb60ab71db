//! The medal table: a pure fold over logged events, and the IOC ranking.
//!
//! A projection never writes and never reads storage: the caller feeds it
//! events in log order (`TableFold::apply`), so it can be tested without sled
//! and streams over a log of any length.
//!
//! Bounds: an event counts when its date is on or before `as_of` and its
//! `recorded` time is at or before `known_at`. An award stops counting once
//! its revocation is itself inside both bounds.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::event::{
    Event, GamesId, GamesRegistered, Kind, Medal, MedalAwarded, Noc, Recorded, TallyPublished,
};
use crate::label::Label;

/// The two time axes of a query.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bounds {
    /// Valid time: count facts dated on or before this day. `None`: no bound.
    pub as_of: Option<Date>,
    /// Transaction time: count facts recorded at or before this instant. `None`: no bound.
    pub known_at: Option<Timestamp>,
}

impl Bounds {
    /// Whether the ledger knew this event at `known_at`.
    pub fn known(&self, r: &Recorded) -> bool {
        self.known_at.is_none_or(|k| r.recorded <= k)
    }

    /// Whether the event is inside both bounds.
    pub fn contains(&self, r: &Recorded) -> bool {
        self.known(r) && self.as_of.is_none_or(|d| counts_from(&r.event.date) <= d)
    }
}

/// The day from which a medal, or its revocation, counts in a table as of a
/// date. Every table (the folds here and the read model) takes it from this
/// one function.
///
/// A date of a day, month or year counts from its first day. A span (a medal
/// known only by its games, `1896-04-06/1896-04-15`) counts from its last
/// day: it had certainly been won by then, and a table must not show it won
/// on a day the sources do not give.
pub fn counts_from(date: &crate::event::Day) -> Date {
    if date.is_span() {
        date.last()
    } else {
        date.first()
    }
}

/// What a ranking orders by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum RankBy {
    /// Gold, then silver, then bronze (the IOC's order).
    #[default]
    Gold,
    /// Total, then gold, then silver.
    Total,
}

/// A delegation's medal counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Counts {
    pub gold: u32,
    pub silver: u32,
    pub bronze: u32,
}

impl Counts {
    pub fn total(&self) -> u32 {
        self.gold + self.silver + self.bronze
    }

    pub fn add(&mut self, medal: Medal) {
        match medal {
            Medal::Gold => self.gold += 1,
            Medal::Silver => self.silver += 1,
            Medal::Bronze => self.bronze += 1,
        }
    }

    /// The key a ranking sorts on, greatest first.
    pub fn key(&self, by: RankBy) -> (u32, u32, u32) {
        match by {
            RankBy::Gold => (self.gold, self.silver, self.bronze),
            RankBy::Total => (self.total(), self.gold, self.silver),
        }
    }
}

impl From<&TallyPublished> for Counts {
    fn from(t: &TallyPublished) -> Counts {
        Counts {
            gold: t.gold,
            silver: t.silver,
            bronze: t.bronze,
        }
    }
}

/// One line of a medal table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// `None` for an unranked delegation.
    pub rank: Option<u32>,
    pub noc: Noc,
    pub name: Option<String>,
    pub gold: u32,
    pub silver: u32,
    pub bronze: u32,
    pub total: u32,
}

impl Row {
    pub fn counts(&self) -> Counts {
        Counts {
            gold: self.gold,
            silver: self.silver,
            bronze: self.bronze,
        }
    }
}

/// Orders delegations and gives ranks: rows sorted by the key (descending),
/// then by code; a ranked row's rank is 1 plus the number of ranked rows
/// strictly ahead of it, so equal keys share a rank (1, 2, 2, 4). Unranked
/// delegations keep their place in the list but get no rank and push no one down.
pub fn rank(
    counts: impl IntoIterator<Item = (Noc, Counts)>,
    unranked: &BTreeSet<Noc>,
    names: &BTreeMap<Noc, String>,
    by: RankBy,
) -> Vec<Row> {
    let mut rows: Vec<(Noc, Counts)> = counts.into_iter().filter(|(_, c)| c.total() > 0).collect();
    rows.sort_by(|(a, ca), (b, cb)| cb.key(by).cmp(&ca.key(by)).then(a.cmp(b)));
    let mut out = Vec::with_capacity(rows.len());
    let mut ranked_ahead = 0u32;
    let mut previous: Option<((u32, u32, u32), u32)> = None;
    for (noc, c) in rows {
        let rank = if unranked.contains(&noc) {
            None
        } else {
            let key = c.key(by);
            let rank = match previous {
                Some((k, r)) if k == key => r,
                _ => ranked_ahead + 1,
            };
            previous = Some((key, rank));
            ranked_ahead += 1;
            Some(rank)
        };
        out.push(Row {
            rank,
            noc,
            name: names.get(&noc).cloned(),
            gold: c.gold,
            silver: c.silver,
            bronze: c.bronze,
            total: c.total(),
        });
    }
    out
}

/// A games as registered in the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Games {
    pub opens: crate::event::Day,
    pub registered: GamesRegistered,
}

impl Games {
    pub fn from_event(event: &Event) -> Option<Games> {
        match &event.kind {
            Kind::GamesRegistered(g) => Some(Games {
                opens: event.date,
                registered: g.clone(),
            }),
            _ => None,
        }
    }
}

/// An award as a table fold keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Award {
    pub id: Uuid,
    /// The day it counts from in a table (`counts_from`).
    pub date: Date,
    /// Its date as recorded: the day of the final, or a span of days when
    /// the day is not known.
    pub dated: crate::event::Day,
    pub medal: MedalAwarded,
    pub source: Option<String>,
    /// Who recorded it, and when (transaction time).
    pub recorded_by: Option<String>,
    pub recorded: jiff::Timestamp,
    /// For one of a tally's medals (`tally_published`), the tally's id: the
    /// medal has no event and no athletes, its medallists are not known.
    pub tally: Option<Uuid>,
}

impl Award {
    /// The medals a tally counts, as awards without event or athletes, each
    /// with an id of its own made from the tally's (UUID v5), in colour order.
    pub fn of_tally(r: &Recorded, t: &TallyPublished) -> Vec<Award> {
        let mut awards = Vec::new();
        for medal in Medal::ALL {
            for i in 0..t.count(medal) {
                let name = format!("{medal}/{i}");
                awards.push(Award {
                    id: Uuid::new_v5(&r.event.id, name.as_bytes()),
                    date: counts_from(&r.event.date),
                    dated: r.event.date,
                    medal: MedalAwarded {
                        games: t.games.clone(),
                        sport: t.sport.clone(),
                        event: String::new(),
                        medal,
                        noc: t.noc,
                        athletes: Vec::new(),
                    },
                    source: r.event.source.clone(),
                    recorded_by: r.recorded_by.clone(),
                    recorded: r.recorded,
                    tally: Some(r.event.id),
                });
            }
        }
        awards
    }

    /// Whether its medallists are known: false for a tally's medal.
    pub fn named(&self) -> bool {
        self.tally.is_none()
    }
}

/// A revocation as a table fold keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revocation {
    /// The day it counts from (`counts_from`).
    pub date: Date,
    /// Its date as recorded (a span of days for an award's known only by its games).
    pub dated: crate::event::Day,
    pub reason: String,
    /// Who recorded it, and when (transaction time).
    pub recorded_by: Option<String>,
    pub recorded: jiff::Timestamp,
}

/// Folds the log into one games' medal table.
///
/// It keeps every award of the games known at `bounds.known_at`, with its
/// date, so one fold answers for any as-of date (`table_as_of`): a day-by-day
/// history reads the log once.
#[derive(Clone, Debug)]
pub struct TableFold {
    games: GamesId,
    bounds: Bounds,
    registration: Option<Games>,
    awards: HashMap<Uuid, Award>,
    revoked: HashMap<Uuid, Revocation>,
    /// The last tally of each delegation and sport: its medals' ids and the
    /// day it counts from, for the next tally to supersede.
    tallies: HashMap<(Noc, Label), (Vec<Uuid>, Date)>,
}

impl TableFold {
    pub fn new(games: GamesId, bounds: Bounds) -> TableFold {
        TableFold {
            games,
            bounds,
            registration: None,
            awards: HashMap::new(),
            revoked: HashMap::new(),
            tallies: HashMap::new(),
        }
    }

    /// Takes the next event in log order.
    pub fn apply(&mut self, r: &Recorded) {
        if !self.bounds.known(r) {
            return;
        }
        match &r.event.kind {
            // The registration counts whatever the as-of date: it names the games.
            Kind::GamesRegistered(g) if g.games == self.games => {
                self.registration = Games::from_event(&r.event);
            }
            Kind::MedalAwarded(m) if m.games == self.games => {
                self.awards.insert(
                    r.event.id,
                    Award {
                        id: r.event.id,
                        date: counts_from(&r.event.date),
                        dated: r.event.date,
                        medal: m.clone(),
                        source: r.event.source.clone(),
                        recorded_by: r.recorded_by.clone(),
                        recorded: r.recorded,
                        tally: None,
                    },
                );
            }
            Kind::TallyPublished(t) if t.games == self.games => self.tally(r, t),
            Kind::MedalRevoked(rev) => {
                self.revoked.insert(
                    rev.award,
                    Revocation {
                        date: counts_from(&r.event.date),
                        dated: r.event.date,
                        reason: rev.reason.clone(),
                        recorded_by: r.recorded_by.clone(),
                        recorded: r.recorded,
                    },
                );
            }
            _ => {}
        }
    }

    /// A tally's medals, which supersede those of the last tally of the same
    /// delegation and sport from the later of the two days (as a revocation
    /// of each would: `model::Writer::tally` does the same).
    fn tally(&mut self, r: &Recorded, t: &TallyPublished) {
        let awards = Award::of_tally(r, t);
        let date = counts_from(&r.event.date);
        let ids = awards.iter().map(|a| a.id).collect();
        let key = (t.noc, Label::new(&t.sport));
        if let Some((ended, from)) = self.tallies.insert(key, (ids, date)) {
            let source = r.event.source.as_deref().unwrap_or("no source given");
            for id in ended {
                self.revoked.insert(
                    id,
                    Revocation {
                        date: date.max(from),
                        dated: r.event.date,
                        reason: format!("superseded by a later count ({source})"),
                        recorded_by: r.recorded_by.clone(),
                        recorded: r.recorded,
                    },
                );
            }
        }
        for award in awards {
            self.awards.insert(award.id, award);
        }
    }

    /// Whether the games was registered as known at the bound.
    pub fn games(&self) -> Option<&Games> {
        self.registration.as_ref()
    }

    /// Whether an award counts on `as_of`: dated on or before it and not revoked by then.
    pub fn in_force(&self, award: &Award, as_of: Option<Date>) -> bool {
        let dated = |d: Date| as_of.is_none_or(|a| d <= a);
        dated(award.date)
            && !self
                .revoked
                .get(&award.id)
                .is_some_and(|rev| dated(rev.date))
    }

    /// Every award of the games known at the bound, revoked or not.
    pub fn awards(&self) -> impl Iterator<Item = &Award> {
        self.awards.values()
    }

    /// The revocation of an award, if one is known at the bound.
    pub fn revocation(&self, award: &Uuid) -> Option<&Revocation> {
        self.revoked.get(award)
    }

    /// Medal counts per delegation on `as_of`, awards in force only.
    pub fn counts_as_of(&self, as_of: Option<Date>) -> BTreeMap<Noc, Counts> {
        self.counts_where(as_of, |_| true)
    }

    /// Medal counts per delegation on `as_of` of the awards in force that
    /// `keep` accepts (one sport's, say).
    pub fn counts_where(
        &self,
        as_of: Option<Date>,
        keep: impl Fn(&Award) -> bool,
    ) -> BTreeMap<Noc, Counts> {
        let mut counts: BTreeMap<Noc, Counts> = BTreeMap::new();
        for award in self.awards.values() {
            if self.in_force(award, as_of) && keep(award) {
                counts
                    .entry(award.medal.noc)
                    .or_default()
                    .add(award.medal.medal);
            }
        }
        counts
    }

    /// Medal counts per delegation at the fold's bounds.
    pub fn counts(&self) -> BTreeMap<Noc, Counts> {
        self.counts_as_of(self.bounds.as_of)
    }

    /// The ranked table on `as_of`.
    pub fn table_as_of(&self, as_of: Option<Date>, by: RankBy) -> Vec<Row> {
        self.table_where(as_of, by, |_| true)
    }

    /// The ranked table on `as_of` of the awards `keep` accepts: a sport's
    /// table is ranked like the games' own (unranked delegations included).
    pub fn table_where(
        &self,
        as_of: Option<Date>,
        by: RankBy,
        keep: impl Fn(&Award) -> bool,
    ) -> Vec<Row> {
        let (unranked, names) = match &self.registration {
            Some(g) => (
                g.registered.unranked.iter().copied().collect(),
                g.registered.delegations.clone(),
            ),
            None => (BTreeSet::new(), BTreeMap::new()),
        };
        rank(self.counts_where(as_of, keep), &unranked, &names, by)
    }

    /// The ranked table at the fold's bounds.
    pub fn table(&self, by: RankBy) -> Vec<Row> {
        self.table_as_of(self.bounds.as_of, by)
    }
}

/// A delegation's place in a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Standing {
    pub rank: Option<u32>,
    pub tied_with: Vec<Noc>,
    pub gold: u32,
    pub silver: u32,
    pub bronze: u32,
    pub total: u32,
}

/// Where `noc` stands in `table`: its rank, the codes sharing it, its counts.
/// A delegation without medals has no rank and zero counts.
pub fn standing(table: &[Row], noc: Noc) -> Standing {
    let Some(row) = table.iter().find(|r| r.noc == noc) else {
        return Standing {
            rank: None,
            tied_with: Vec::new(),
            gold: 0,
            silver: 0,
            bronze: 0,
            total: 0,
        };
    };
    let tied_with = match row.rank {
        Some(rank) => table
            .iter()
            .filter(|r| r.rank == Some(rank) && r.noc != noc)
            .map(|r| r.noc)
            .collect(),
        None => Vec::new(),
    };
    Standing {
        rank: row.rank,
        tied_with,
        gold: row.gold,
        silver: row.silver,
        bronze: row.bronze,
        total: row.total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noc(s: &str) -> Noc {
        s.parse().unwrap()
    }

    fn c(gold: u32, silver: u32, bronze: u32) -> Counts {
        Counts {
            gold,
            silver,
            bronze,
        }
    }

    #[test]
    fn equal_triples_share_a_rank_and_unranked_push_no_one_down() {
        let counts = [
            (noc("AAA"), c(3, 0, 0)),
            (noc("BBB"), c(2, 1, 0)),
            (noc("CCC"), c(2, 1, 0)),
            (noc("AIN"), c(2, 5, 0)),
            (noc("DDD"), c(1, 0, 0)),
        ];
        let unranked = [noc("AIN")].into_iter().collect();
        let rows = rank(counts, &unranked, &BTreeMap::new(), RankBy::Gold);
        let got: Vec<(&str, Option<u32>)> = rows.iter().map(|r| (r.noc.as_str(), r.rank)).collect();
        assert_eq!(
            got,
            [
                ("AAA", Some(1)),
                ("AIN", None),
                ("BBB", Some(2)),
                ("CCC", Some(2)),
                ("DDD", Some(4))
            ]
        );
        let s = standing(&rows, noc("BBB"));
        assert_eq!((s.rank, s.tied_with), (Some(2), vec![noc("CCC")]));
    }

    #[test]
    fn rank_by_total_orders_by_total_then_gold_then_silver() {
        let counts = [
            (noc("AAA"), c(3, 0, 0)),
            (noc("BBB"), c(0, 0, 4)),
            (noc("CCC"), c(1, 1, 1)),
        ];
        let rows = rank(counts, &BTreeSet::new(), &BTreeMap::new(), RankBy::Total);
        let got: Vec<(&str, Option<u32>)> = rows.iter().map(|r| (r.noc.as_str(), r.rank)).collect();
        assert_eq!(got, [("BBB", Some(1)), ("AAA", Some(2)), ("CCC", Some(3))]);
    }
}
