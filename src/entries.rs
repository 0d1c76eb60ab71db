//! Who took part: each delegation's entries at each games, from
//! `athletes_entered` (the athletes by name, with their sports) and
//! `entrants_published` (men and women per sport, without names). A later
//! event of the same kind for the same games and delegation replaces the
//! earlier one; names are preferred where both exist.
//!
//! A pure fold: it never reads storage, and the caller decides which events
//! it sees (those known at a time). Sports compare as `Label`s.

use std::collections::{BTreeMap, BTreeSet};

use crate::event::{AthletesEntered, EntrantsPublished, GamesId, Kind, Noc, Recorded};
use crate::label::Label;

/// One delegation at one games, as the entries known say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Team {
    /// The last `athletes_entered`, and its source.
    pub named: Option<(AthletesEntered, Option<String>)>,
    /// The last `entrants_published`, and its source.
    pub counted: Option<(EntrantsPublished, Option<String>)>,
}

/// A team's size: its athletes (the least and the most there can be: names
/// give one number, counts per sport a range, since an athlete entered in two
/// sports is counted in each) and its sports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    pub least: u32,
    pub most: u32,
    pub sports: u32,
    /// Whether the athletes are known by name (`athletes_entered`).
    pub named: bool,
}

impl Team {
    /// The team's size, or that of its entrants in `sport`; alternates are
    /// not counted. `None` when the entries known say nothing.
    pub fn size(&self, sport: Option<&Label>) -> Option<Size> {
        let in_sport = |name: &str| sport.is_none_or(|s| *s == Label::new(name));
        if let Some((named, _)) = &self.named {
            let athletes = named
                .entrants
                .iter()
                .filter(|a| !a.alternate && a.sports.iter().any(|s| in_sport(s)));
            let mut sports = BTreeSet::new();
            let mut count = 0u32;
            for a in athletes {
                count += 1;
                sports.extend(
                    a.sports
                        .iter()
                        .filter(|s| in_sport(s))
                        .map(|s| Label::new(s)),
                );
            }
            return Some(Size {
                least: count,
                most: count,
                sports: u32::try_from(sports.len()).unwrap_or(u32::MAX),
                named: true,
            });
        }
        let (counted, _) = self.counted.as_ref()?;
        let sports: Vec<_> = counted
            .sports
            .iter()
            .filter(|s| in_sport(&s.sport) && s.men + s.women > 0)
            .collect();
        let most = sports.iter().map(|s| s.men + s.women).sum();
        // Men and women are different athletes; within each, the largest sport's.
        let least = sports.iter().map(|s| s.men).max().unwrap_or(0)
            + sports.iter().map(|s| s.women).max().unwrap_or(0);
        let distinct: BTreeSet<Label> = sports.iter().map(|s| Label::new(&s.sport)).collect();
        Some(Size {
            least,
            most,
            sports: u32::try_from(distinct.len()).unwrap_or(u32::MAX),
            named: false,
        })
    }
}

/// Folds entries events into teams, by games and delegation.
#[derive(Clone, Debug, Default)]
pub struct EntriesFold {
    teams: BTreeMap<(GamesId, Noc), Team>,
}

impl EntriesFold {
    pub fn new() -> EntriesFold {
        EntriesFold::default()
    }

    /// Takes the next event in log order (others are ignored).
    pub fn apply(&mut self, r: &Recorded) {
        let source = r.event.source.clone();
        match &r.event.kind {
            Kind::AthletesEntered(e) => {
                self.team(&e.games, e.noc).named = Some((e.clone(), source));
            }
            Kind::EntrantsPublished(e) => {
                self.team(&e.games, e.noc).counted = Some((e.clone(), source));
            }
            _ => {}
        }
    }

    fn team(&mut self, games: &GamesId, noc: Noc) -> &mut Team {
        self.teams.entry((games.clone(), noc)).or_default()
    }

    /// A delegation's team at a games.
    pub fn get(&self, games: &GamesId, noc: Noc) -> Option<&Team> {
        self.teams.get(&(games.clone(), noc))
    }

    /// Every team, by games and code.
    pub fn teams(&self) -> impl Iterator<Item = (&(GamesId, Noc), &Team)> {
        self.teams.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(line: &str) -> Recorded {
        Recorded {
            seq: 1,
            recorded: jiff::Timestamp::UNIX_EPOCH,
            recorded_by: None,
            event: crate::jsonl::parse_line(line).unwrap().unwrap().event,
        }
    }

    #[test]
    fn names_give_a_size_counts_a_range_and_the_last_event_wins() {
        let mut fold = EntriesFold::new();
        fold.apply(&recorded(
            r#"{"id":"00000000-0000-4000-8000-000000000001","type":"entrants_published","date":"2004-09-17","games":"athens-2004-paralympics","noc":"AZE","sports":[{"sport":"Para Judo","men":1,"women":0},{"sport":"Para Athletics","men":6,"women":0},{"sport":"Shooting Para Sport","men":0,"women":1}]}"#,
        ));
        let games = "athens-2004-paralympics".parse().unwrap();
        let aze = "AZE".parse().unwrap();
        let size = fold.get(&games, aze).unwrap().size(None).unwrap();
        assert_eq!((size.least, size.most, size.sports), (7, 8, 3));
        let judo = Label::new("para judo");
        assert_eq!(
            fold.get(&games, aze)
                .unwrap()
                .size(Some(&judo))
                .unwrap()
                .most,
            1
        );
        fold.apply(&recorded(
            r#"{"id":"00000000-0000-4000-8000-000000000002","type":"athletes_entered","date":"2004-09-17","games":"athens-2004-paralympics","noc":"AZE","entrants":[{"name":"A","sports":["Para Judo"]},{"name":"B","sports":["Para Judo","Para Athletics"]},{"name":"C","sports":["Goalball"],"alternate":true}]}"#,
        ));
        let size = fold.get(&games, aze).unwrap().size(None).unwrap();
        assert_eq!(
            (size.least, size.most, size.sports, size.named),
            (2, 2, 2, true)
        );
        let size = fold.get(&games, aze).unwrap().size(Some(&judo)).unwrap();
        assert_eq!((size.least, size.sports), (2, 1));
        assert_eq!(
            fold.get(&games, aze)
                .unwrap()
                .size(Some(&Label::new("Goalball")))
                .unwrap()
                .least,
            0
        );
    }
}
