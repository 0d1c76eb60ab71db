//! Who belongs to what, and who met whom: folds over membership and meeting
//! events. A member is matched by any of its names: a country by its code or
//! its delegation name ("AZE", "Azerbaijan"), a person by any spelling.
//!
//! A pure projection: it never writes and knows nothing of storage.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::Date;

use crate::event::{Day, Kind, MeetingHeld, Membership, Noc, Recorded};
use crate::people::{NameKey, People};

/// A membership in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    pub since: Day,
    pub membership: Membership,
    pub source: Option<String>,
    pub seq: u64,
}

/// A meeting as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meeting {
    pub date: Day,
    pub meeting: MeetingHeld,
    pub source: Option<String>,
    pub seq: u64,
}

/// Collects memberships, meetings and the names that identify members.
#[derive(Default)]
pub struct AffiliationFold {
    began: Vec<(Recorded, Membership)>,
    ended: Vec<(Day, Membership)>,
    meetings: Vec<Meeting>,
    delegation_names: HashMap<Noc, BTreeSet<String>>,
    people: People,
}

fn same(a: &Membership, b: &Membership) -> bool {
    NameKey::new(&a.member) == NameKey::new(&b.member)
        && NameKey::new(&a.organisation) == NameKey::new(&b.organisation)
        && a.role.as_deref().map(NameKey::new) == b.role.as_deref().map(NameKey::new)
}

impl AffiliationFold {
    pub fn new() -> AffiliationFold {
        AffiliationFold::default()
    }

    /// Takes the next event in log order.
    pub fn apply(&mut self, r: &Recorded) {
        self.people.apply(r);
        match &r.event.kind {
            Kind::MembershipBegan(m) => self.began.push((r.clone(), m.clone())),
            Kind::MembershipEnded(m) => self.ended.push((r.event.date, m.clone())),
            Kind::MeetingHeld(m) => self.meetings.push(Meeting {
                date: r.event.date,
                meeting: m.clone(),
                source: r.event.source.clone(),
                seq: r.seq,
            }),
            Kind::GamesRegistered(g) => {
                for (noc, name) in &g.delegations {
                    self.delegation_names
                        .entry(*noc)
                        .or_default()
                        .insert(name.clone());
                }
            }
            _ => {}
        }
    }

    /// Every name the query may go by: a code and its delegation names, or a
    /// name and the codes of delegations so named, and a person's spellings.
    pub fn names_of(&self, query: &str) -> BTreeSet<NameKey> {
        let mut keys: BTreeSet<NameKey> = self.people.resolve(query).keys();
        let query_key = NameKey::new(query);
        for (noc, names) in &self.delegation_names {
            let is_code = query == noc.as_str();
            if is_code || names.iter().any(|n| NameKey::new(n) == query_key) {
                keys.insert(NameKey::new(noc.as_str()));
                keys.extend(names.iter().map(|n| NameKey::new(n)));
            }
        }
        keys
    }

    /// The names games registrations give a delegation.
    pub fn delegation_names(&self, noc: Noc) -> Vec<String> {
        self.delegation_names
            .get(&noc)
            .map(|names| names.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// What the member belongs to on `as_of`: memberships begun on or before
    /// that day and not ended by then. A date known only to the year or month
    /// counts from the first day of its period.
    pub fn held(&self, member: &str, as_of: Date) -> Vec<Held> {
        let names = self.names_of(member);
        self.began
            .iter()
            .filter(|(_, m)| names.contains(&NameKey::new(&m.member)))
            .filter(|(r, _)| r.event.date.first() <= as_of)
            .filter(|(r, m)| {
                !self.ended.iter().any(|(d, e)| {
                    same(m, e) && d.first() <= as_of && d.first() >= r.event.date.first()
                })
            })
            .map(|(r, m)| Held {
                since: r.event.date,
                membership: m.clone(),
                source: r.event.source.clone(),
                seq: r.seq,
            })
            .collect()
    }

    /// Meetings between `from` and `to` (inclusive), with a participant or a
    /// body matching `with` when given.
    pub fn meetings(
        &self,
        from: Option<Date>,
        to: Option<Date>,
        with: Option<&str>,
    ) -> Vec<&Meeting> {
        let names = with.map(|w| (NameKey::new(w), self.names_of(w)));
        self.meetings
            .iter()
            .filter(|m| {
                from.is_none_or(|d| m.date.last() >= d) && to.is_none_or(|d| m.date.first() <= d)
            })
            .filter(|m| {
                let Some((query, names)) = &names else {
                    return true;
                };
                m.meeting.participants.iter().any(|p| {
                    let name = NameKey::new(&p.name);
                    names.contains(&name)
                        || query.within(&name)
                        || p.body
                            .as_deref()
                            .is_some_and(|b| query.within(&NameKey::new(b)))
                })
            })
            .collect()
    }
}
