//! The all-time medal table over every games, as a pure fold.
//!
//! Unlike one games' table, the all-time table spans the whole log, so the
//! fold keeps counts only, never the awards: a revocation asks the caller for
//! the award it revokes (`Revoked`), so memory stays bounded by the number of
//! delegations and games, whatever the length of the log.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;

use crate::event::{GamesId, Kind, Medal, Noc, Recorded};
use crate::label::Label;
use crate::table::{counts_from, rank, Bounds, Counts, RankBy, Row};

/// What the fold needs to know of a revoked award.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokedAward {
    pub games: GamesId,
    pub noc: Noc,
    pub medal: Medal,
    pub date: Date,
}

/// Folds the log into the all-time table at `bounds`.
#[derive(Clone, Debug, Default)]
pub struct AllTimeFold {
    bounds: Bounds,
    unranked: HashMap<GamesId, BTreeSet<Noc>>,
    counts: BTreeMap<Noc, Counts>,
    /// Medals in force won where the delegation is ranked: a delegation
    /// unranked at every games it won at stays unranked all-time.
    ranked_medals: HashMap<Noc, i64>,
    names: BTreeMap<Noc, String>,
    /// The last tally of each games, delegation and sport (its counts and
    /// the day it counts from), which the next one supersedes.
    tallies: HashMap<(GamesId, Noc, Label), (Counts, Date)>,
}

impl AllTimeFold {
    pub fn new(bounds: Bounds) -> AllTimeFold {
        AllTimeFold {
            bounds,
            ..AllTimeFold::default()
        }
    }

    fn count(&mut self, games: &GamesId, noc: Noc, medal: Medal, sign: i64) {
        let c = self.counts.entry(noc).or_default();
        let slot = match medal {
            Medal::Gold => &mut c.gold,
            Medal::Silver => &mut c.silver,
            Medal::Bronze => &mut c.bronze,
        };
        *slot = slot.saturating_add_signed(sign as i32);
        let ranked = !self.unranked.get(games).is_some_and(|u| u.contains(&noc));
        if ranked {
            *self.ranked_medals.entry(noc).or_default() += sign;
        }
    }

    /// Every medal of `counts`, gained (`sign` 1) or lost (-1).
    fn count_all(&mut self, games: &GamesId, noc: Noc, counts: Counts, sign: i64) {
        for medal in Medal::ALL {
            let n = match medal {
                Medal::Gold => counts.gold,
                Medal::Silver => counts.silver,
                Medal::Bronze => counts.bronze,
            };
            for _ in 0..n {
                self.count(games, noc, medal, sign);
            }
        }
    }

    /// Takes the next event in log order; `revoked` finds the award a revocation revokes.
    pub fn apply(
        &mut self,
        r: &Recorded,
        revoked: impl FnOnce(&uuid::Uuid) -> Option<RevokedAward>,
    ) {
        if !self.bounds.known(r) {
            return;
        }
        match &r.event.kind {
            Kind::GamesRegistered(g) => {
                self.unranked
                    .insert(g.games.clone(), g.unranked.iter().copied().collect());
                for (noc, name) in &g.delegations {
                    self.names.entry(*noc).or_insert_with(|| name.clone());
                }
            }
            Kind::MedalAwarded(m) if self.bounds.contains(r) => {
                self.count(&m.games, m.noc, m.medal, 1);
            }
            Kind::TallyPublished(t) => {
                // Known, whatever its date: a later tally supersedes it.
                let day = counts_from(&r.event.date);
                let counts = Counts::from(t);
                let key = (t.games.clone(), t.noc, Label::new(&t.sport));
                let previous = self.tallies.insert(key, (counts, day));
                let as_of = self.bounds.as_of;
                let dated = |d: Date| as_of.is_none_or(|a| d <= a);
                if dated(day) {
                    self.count_all(&t.games, t.noc, counts, 1);
                }
                if let Some((counts, from)) = previous {
                    if dated(day.max(from)) {
                        self.count_all(&t.games, t.noc, counts, -1);
                    }
                }
            }
            Kind::MedalRevoked(rev) if self.bounds.contains(r) => {
                if let Some(a) = revoked(&rev.award) {
                    // An award dated after the as-of day was never counted.
                    if self.bounds.as_of.is_none_or(|d| a.date <= d) {
                        self.count(&a.games, a.noc, a.medal, -1);
                    }
                }
            }
            _ => {}
        }
    }

    /// The ranked all-time table.
    pub fn table(&self, by: RankBy) -> Vec<Row> {
        let unranked: BTreeSet<Noc> = self
            .counts
            .keys()
            .filter(|noc| self.ranked_medals.get(noc).copied().unwrap_or(0) <= 0)
            .copied()
            .collect();
        rank(self.counts.clone(), &unranked, &self.names, by)
    }
}
