//! Drilling down into a games: its medals chosen by delegation, sport, event,
//! athlete and colour, its sports, and a delegation's medals per sport.
//!
//! Pure: every answer is taken from a `TableFold` of the games (the fold a
//! table is ranked from, so a sport's counts follow the same as-of and
//! known-at rules as the games' table). Nothing here reads storage or writes.
//! Names of sports and events compare as `Label`s, athletes' as `NameKey`s:
//! ignoring case, accents and word order.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::Serialize;

pub use crate::label::Label;

use crate::event::{Medal, MedalAwarded, Noc};
use crate::model::Awarded;
use crate::people::NameKey;
use crate::table::{Award, Counts, Revocation, TableFold};

/// Which awards a question is about; `None` takes any.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub noc: Option<Noc>,
    pub sport: Option<Label>,
    pub event: Option<Label>,
    /// The spellings of one person (or the words typed): an award matches
    /// when every word of one of them is in the name of one of its athletes.
    pub athlete: Option<Vec<NameKey>>,
    pub medal: Option<Medal>,
}

impl Filter {
    /// The awards of one sport.
    pub fn sport(sport: &str) -> Filter {
        Filter {
            sport: Some(Label::new(sport)),
            ..Filter::default()
        }
    }

    /// Whether the award is one the question is about.
    pub fn matches(&self, m: &MedalAwarded) -> bool {
        let athlete = |keys: &Vec<NameKey>| {
            m.athletes.iter().any(|a| {
                let name = NameKey::new(a);
                keys.iter().any(|k| !k.is_empty() && k.within(&name))
            })
        };
        self.noc.is_none_or(|n| n == m.noc)
            && self.medal.is_none_or(|c| c == m.medal)
            && self
                .sport
                .as_ref()
                .is_none_or(|s| *s == Label::new(&m.sport))
            && self
                .event
                .as_ref()
                .is_none_or(|e| *e == Label::new(&m.event))
            && self.athlete.as_ref().is_none_or(athlete)
    }
}

/// A `Filter` on what the model shows of an award before decoding it
/// (`model::Awarded`: delegation, sport, event, medal; an athlete needs the
/// whole record, so it keeps every award for that), remembering each name
/// it compared, as a games repeats a sport's name hundreds of times.
pub struct PeekFilter<'f> {
    filter: &'f Filter,
    sports: HashMap<String, bool>,
    events: HashMap<String, bool>,
}

impl<'f> PeekFilter<'f> {
    pub fn new(filter: &'f Filter) -> PeekFilter<'f> {
        PeekFilter {
            filter,
            sports: HashMap::new(),
            events: HashMap::new(),
        }
    }

    /// Whether the award may be one the filter accepts.
    pub fn keeps(&mut self, a: &Awarded<'_>) -> bool {
        fn same(seen: &mut HashMap<String, bool>, wanted: Option<&Label>, name: &str) -> bool {
            let Some(wanted) = wanted else {
                return true;
            };
            if let Some(&same) = seen.get(name) {
                return same;
            }
            let same = *wanted == Label::new(name);
            seen.insert(name.to_owned(), same);
            same
        }
        let f = self.filter;
        f.noc.is_none_or(|n| n == a.noc)
            && f.medal.is_none_or(|m| m == a.medal)
            && same(&mut self.sports, f.sport.as_ref(), a.sport)
            && same(&mut self.events, f.event.as_ref(), a.event)
    }
}

/// An award as a listing shows it, with its revocation when it is revoked
/// by the as-of date.
#[derive(Clone, Debug)]
pub struct Listed<'f> {
    pub award: &'f Award,
    pub revocation: Option<&'f Revocation>,
}

/// The awards of `fold` that `filter` accepts, in force on `as_of` (none:
/// every day) and, with `revoked`, also those revoked by then; ordered by
/// the day they count from, sport, event, medal and delegation.
pub fn medals<'f>(
    fold: &'f TableFold,
    filter: &Filter,
    as_of: Option<Date>,
    revoked: bool,
) -> Vec<Listed<'f>> {
    let mut listed: Vec<Listed<'f>> = fold
        .awards()
        .filter(|a| filter.matches(&a.medal) && as_of.is_none_or(|d| a.date <= d))
        .filter_map(|award| {
            if fold.in_force(award, as_of) {
                Some(Listed {
                    award,
                    revocation: None,
                })
            } else {
                revoked.then(|| Listed {
                    award,
                    revocation: fold.revocation(&award.id),
                })
            }
        })
        .collect();
    listed.sort_by(|a, b| {
        let key = |l: &Listed<'_>| {
            let m = &l.award.medal;
            (
                l.award.date,
                m.sport.clone(),
                m.event.clone(),
                m.medal,
                m.noc,
            )
        };
        key(a).cmp(&key(b)).then(a.award.id.cmp(&b.award.id))
    });
    listed
}

/// One sport of a games: how many events gave medals, and the medals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SportLine {
    /// The first spelling met (in the order of the day, then the name).
    pub sport: String,
    /// The events of its awards (a tally names no event).
    pub events: u32,
    pub gold: u32,
    pub silver: u32,
    pub bronze: u32,
    pub total: u32,
    /// Of the medals, those known only as counts (tallies): their events and
    /// medallists are not known.
    pub counted: u32,
}

/// A sport's medals, and how many of them are a tally's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SportCounts {
    /// The first spelling met.
    pub sport: String,
    pub counts: Counts,
    pub counted: u32,
}

impl SportCounts {
    fn add(&mut self, award: &Award) {
        self.counts.add(award.medal.medal);
        if !award.named() {
            self.counted += 1;
        }
    }
}

/// The sports of a games with medals in force on `as_of`, by name.
pub fn sports(fold: &TableFold, as_of: Option<Date>) -> Vec<SportLine> {
    let mut by_key: BTreeMap<Label, (SportCounts, BTreeMap<Label, ()>)> = BTreeMap::new();
    for l in medals(fold, &Filter::default(), as_of, false) {
        let m = &l.award.medal;
        let line = by_key.entry(Label::new(&m.sport)).or_insert_with(|| {
            let sport = SportCounts {
                sport: m.sport.clone(),
                ..SportCounts::default()
            };
            (sport, BTreeMap::new())
        });
        line.0.add(l.award);
        if l.award.named() {
            line.1.insert(Label::new(&m.event), ());
        }
    }
    let mut lines: Vec<SportLine> = by_key
        .into_values()
        .map(|(s, events)| SportLine {
            sport: s.sport,
            events: u32::try_from(events.len()).unwrap_or(u32::MAX),
            gold: s.counts.gold,
            silver: s.counts.silver,
            bronze: s.counts.bronze,
            total: s.counts.total(),
            counted: s.counted,
        })
        .collect();
    lines.sort_by_key(|a| a.sport.to_lowercase());
    lines
}

/// Whether the games (as the fold knows it, revoked awards included) holds
/// a medal of `sport` on any day.
pub fn has_sport(fold: &TableFold, sport: &Label) -> bool {
    fold.awards().any(|a| Label::new(&a.medal.sport) == *sport)
}

/// The medals of `codes` in force on `as_of`, per sport (by its key).
pub fn by_sport(
    fold: &TableFold,
    codes: &[Noc],
    as_of: Option<Date>,
) -> BTreeMap<Label, SportCounts> {
    let mut out: BTreeMap<Label, SportCounts> = BTreeMap::new();
    for l in medals(fold, &Filter::default(), as_of, false) {
        let m = &l.award.medal;
        if codes.contains(&m.noc) {
            out.entry(Label::new(&m.sport))
                .or_insert_with(|| SportCounts {
                    sport: m.sport.clone(),
                    ..SportCounts::default()
                })
                .add(l.award);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn award(sport: &str, event: &str, athletes: &[&str]) -> MedalAwarded {
        MedalAwarded {
            games: "paris-2024".parse().unwrap(),
            sport: sport.into(),
            event: event.into(),
            medal: Medal::Bronze,
            noc: "AZE".parse().unwrap(),
            athletes: athletes.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    #[test]
    fn names_match_ignoring_case_accents_and_word_order() {
        let m = award(
            "Artistic Gymnastics",
            "Women's Floor Exercise",
            &["Ana BĂRBOSU"],
        );
        let f = Filter {
            sport: Some(Label::new("gymnastics artistic")),
            event: Some(Label::new("WOMENS floor exercise")),
            athlete: Some(vec![NameKey::new("barbosu")]),
            ..Filter::default()
        };
        assert!(f.matches(&m));
        assert!(!Filter::sport("Gymnastics").matches(&m));
        assert_eq!(Label::new("Men -58kg"), Label::new("men − 58 KG"));
        assert_ne!(Label::new("Men -100 kg"), Label::new("Men +100 kg"));
        assert_ne!(Label::new("Men -100 kg"), Label::new("Men 100 kg"));
        let other = Filter {
            athlete: Some(vec![NameKey::new("Chiles")]),
            ..Filter::default()
        };
        assert!(!other.matches(&m));
    }
}
