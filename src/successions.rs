//! Delegations that continue one another (URS -> EUN -> RUS, GDR -> GER):
//! a pure fold of `delegation_succeeded` events, and the lineage of a code,
//! its predecessors and successors followed link by link.
//!
//! A lineage is followed forward in time only: a successor's own successors
//! count when their succession is dated on or after the one that led to it
//! (and a predecessor's predecessors when theirs is dated on or before), so a
//! code that changes hands twice (GER -> FRG in 1968, FRG -> GER in 1990)
//! gives a finite, dated chain, and a later re-use of a code does not make
//! an earlier delegation a descendant. Never writes, never reads storage.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;

use crate::event::{Kind, Noc, Recorded};
use crate::table::counts_from;

/// One succession as the ledger recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Succession {
    pub predecessor: Noc,
    pub successor: Noc,
    /// The date from which the successor continues the predecessor, as written (`1992`).
    pub date: String,
    pub note: Option<String>,
    #[serde(skip)]
    from: Date,
}

/// The successions known to a query: fed in log order, bounded by an as-of
/// day (a succession counts from the first day of its date, like any fact).
#[derive(Clone, Debug, Default)]
pub struct Successions {
    as_of: Option<Date>,
    links: Vec<Succession>,
}

/// Which way a lineage is followed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Back,
    Forward,
}

impl Successions {
    /// The successions dated on or before `as_of` (none: every one).
    pub fn new(as_of: Option<Date>) -> Successions {
        Successions {
            as_of,
            links: Vec::new(),
        }
    }

    /// The successions among `records` dated on or before `as_of`.
    pub fn of<'a>(
        as_of: Option<Date>,
        records: impl IntoIterator<Item = &'a Recorded>,
    ) -> Successions {
        let mut fold = Successions::new(as_of);
        for r in records {
            fold.apply(r);
        }
        fold
    }

    /// Takes the next event in log order; other kinds are ignored.
    pub fn apply(&mut self, r: &Recorded) {
        let Kind::DelegationSucceeded(s) = &r.event.kind else {
            return;
        };
        let from = counts_from(&r.event.date);
        if self.as_of.is_some_and(|d| from > d) {
            return;
        }
        self.links.push(Succession {
            predecessor: s.predecessor,
            successor: s.successor,
            date: r.event.date.to_string(),
            note: s.note.clone(),
            from,
        });
    }

    /// Whether `noc` is the predecessor or the successor of any succession.
    pub fn involves(&self, noc: Noc) -> bool {
        self.links
            .iter()
            .any(|l| l.predecessor == noc || l.successor == noc)
    }

    /// Every succession that leads to `noc`, directly or through other
    /// predecessors, in date order.
    pub fn predecessors(&self, noc: Noc) -> Vec<&Succession> {
        self.follow(noc, Direction::Back)
    }

    /// Every succession that leads on from `noc`, directly or through other
    /// successors, in date order.
    pub fn successors(&self, noc: Noc) -> Vec<&Succession> {
        self.follow(noc, Direction::Forward)
    }

    /// `noc` and every code of its predecessors and successors.
    pub fn lineage(&self, noc: Noc) -> BTreeSet<Noc> {
        let mut codes = BTreeSet::from([noc]);
        for l in self
            .predecessors(noc)
            .into_iter()
            .chain(self.successors(noc))
        {
            codes.insert(l.predecessor);
            codes.insert(l.successor);
        }
        codes
    }

    /// The links reachable from `noc` one way, each taken when its date keeps
    /// the chain in time order. A code's reach is the latest date (going
    /// back) or the earliest (going forward) at which a chain gets there; it
    /// only ever improves, among finitely many dates, so the loop ends.
    fn follow(&self, noc: Noc, direction: Direction) -> Vec<&Succession> {
        let ends = |l: &Succession| match direction {
            Direction::Back => (l.successor, l.predecessor),
            Direction::Forward => (l.predecessor, l.successor),
        };
        // Whether a link dated `link` may follow a chain that got there at `reached`.
        let in_order = |reached: Date, link: Date| match direction {
            Direction::Back => link <= reached,
            Direction::Forward => link >= reached,
        };
        let start = match direction {
            Direction::Back => Date::MAX,
            Direction::Forward => Date::MIN,
        };
        let mut reach: BTreeMap<Noc, Date> = BTreeMap::from([(noc, start)]);
        let mut changed = true;
        while changed {
            changed = false;
            for l in &self.links {
                let (near, far) = ends(l);
                let usable = reach.get(&near).is_some_and(|&r| in_order(r, l.from));
                let better = reach
                    .get(&far)
                    .is_none_or(|&old| old != l.from && in_order(l.from, old));
                if usable && better {
                    reach.insert(far, l.from);
                    changed = true;
                }
            }
        }
        let mut taken: Vec<&Succession> = self
            .links
            .iter()
            .filter(|l| reach.get(&ends(l).0).is_some_and(|&r| in_order(r, l.from)))
            .collect();
        taken.sort_by(|a, b| {
            (a.from, a.predecessor, a.successor).cmp(&(b.from, b.predecessor, b.successor))
        });
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{DelegationSucceeded, Event};

    fn noc(s: &str) -> Noc {
        s.parse().unwrap()
    }

    fn fold(as_of: Option<&str>, links: &[(&str, &str, &str)]) -> Successions {
        let mut fold = Successions::new(as_of.map(|d| d.parse().unwrap()));
        for (i, (date, predecessor, successor)) in links.iter().enumerate() {
            fold.apply(&Recorded {
                seq: i as u64 + 1,
                recorded: jiff::Timestamp::UNIX_EPOCH,
                recorded_by: None,
                event: Event {
                    id: uuid::Uuid::nil(),
                    date: date.parse().unwrap(),
                    source: None,
                    kind: Kind::DelegationSucceeded(DelegationSucceeded {
                        predecessor: noc(predecessor),
                        successor: noc(successor),
                        note: None,
                    }),
                },
            });
        }
        fold
    }

    fn pairs(links: &[&Succession]) -> Vec<String> {
        links
            .iter()
            .map(|l| format!("{} {}>{}", l.date, l.predecessor, l.successor))
            .collect()
    }

    const SOVIET: [(&str, &str, &str); 6] = [
        ("1992", "URS", "EUN"),
        ("1992", "URS", "EST"),
        ("1994", "EUN", "RUS"),
        ("1994", "EUN", "UKR"),
        ("2018", "RUS", "OAR"),
        ("2021", "OAR", "ROC"),
    ];

    #[test]
    fn a_lineage_follows_links_both_ways_but_not_to_siblings() {
        let f = fold(None, &SOVIET);
        assert_eq!(
            pairs(&f.predecessors(noc("RUS"))),
            ["1992 URS>EUN", "1994 EUN>RUS"]
        );
        assert_eq!(
            pairs(&f.successors(noc("RUS"))),
            ["2018 RUS>OAR", "2021 OAR>ROC"]
        );
        let lineage: Vec<String> = f.lineage(noc("RUS")).iter().map(Noc::to_string).collect();
        assert_eq!(lineage, ["EUN", "OAR", "ROC", "RUS", "URS"]);
        assert!(f.involves(noc("EST")) && !f.involves(noc("AZE")));
        assert_eq!(f.lineage(noc("AZE")), BTreeSet::from([noc("AZE")]));
    }

    #[test]
    fn a_chain_goes_forward_in_time_and_ends_on_cycles() {
        // GER -> FRG, GDR in 1968; both -> GER in 1990: a cycle through GER.
        let f = fold(
            None,
            &[
                ("1968", "GER", "FRG"),
                ("1968", "GER", "GDR"),
                ("1990", "FRG", "GER"),
                ("1990", "GDR", "GER"),
            ],
        );
        assert_eq!(
            f.lineage(noc("GER")),
            BTreeSet::from([noc("FRG"), noc("GDR"), noc("GER")])
        );
        assert_eq!(
            pairs(&f.successors(noc("GER"))),
            [
                "1968 GER>FRG",
                "1968 GER>GDR",
                "1990 FRG>GER",
                "1990 GDR>GER"
            ]
        );
        // FRG is GDR's sibling, not its predecessor or successor: GER's
        // split into FRG came before GDR's GER.
        assert_eq!(
            f.lineage(noc("GDR")),
            BTreeSet::from([noc("GDR"), noc("GER")])
        );
        assert_eq!(pairs(&f.successors(noc("GDR"))), ["1990 GDR>GER"]);
        // A code re-used later does not make the earlier delegation a successor.
        let later = fold(None, &[("2000", "AAA", "BBB"), ("1990", "BBB", "CCC")]);
        assert_eq!(pairs(&later.successors(noc("AAA"))), ["2000 AAA>BBB"]);
        assert_eq!(pairs(&later.predecessors(noc("CCC"))), ["1990 BBB>CCC"]);
    }

    #[test]
    fn successions_count_from_their_date() {
        let f = fold(Some("1993-12-31"), &SOVIET);
        assert_eq!(pairs(&f.predecessors(noc("RUS"))), Vec::<String>::new());
        assert_eq!(
            pairs(&f.successors(noc("URS"))),
            ["1992 URS>EST", "1992 URS>EUN"]
        );
    }
}
