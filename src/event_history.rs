//! One event's podium and its history: who held each medal, as known from
//! when to when, and why a holder stopped holding it (a revocation's reason).
//!
//! Pure: the caller feeds the games' own records (registration, awards,
//! revocations) in log order; the podium is what a `TableFold` over the
//! event's records keeps in force, so it follows the table's rules on both
//! time axes. Nothing here reads storage or writes.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::drill::Filter;
use crate::event::{GamesId, Kind, Medal, Noc, Recorded};
use crate::table::{Bounds, TableFold};

/// One holder of one medal, over the time the ledger knew it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Spell {
    pub award: Uuid,
    pub medal: Medal,
    pub noc: Noc,
    pub athletes: Vec<String>,
    /// The award's date as recorded (the final's day).
    pub date: String,
    /// When the ledger recorded the award.
    pub known_from: Timestamp,
    /// When the ledger recorded its revocation; `None`: still held.
    pub known_until: Option<Timestamp>,
    /// The revocation's date (it may be earlier than `known_until`: retroactive).
    pub revoked_on: Option<String>,
    /// Why it was revoked.
    pub reason: Option<String>,
    pub source: Option<String>,
}

/// An event's podium and every holder of its medals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventHistory {
    /// The sport and event as the first award spells them.
    pub sport: String,
    pub event: String,
    /// The medals in force at the bounds, gold first.
    pub podium: Vec<Spell>,
    /// Every holder known at the bounds (revoked ones included), in the order
    /// the ledger learnt of them.
    pub holders: Vec<Spell>,
}

/// The history of the event `filter` names (its sport and event) at
/// `games`, from the games' records; `None` when no award of it is known
/// at the bounds. An award dated after `bounds.as_of` held nothing yet, and
/// a revocation dated after it had not taken the medal yet.
pub fn event_history(
    games: &GamesId,
    records: &[Recorded],
    filter: &Filter,
    bounds: Bounds,
) -> Option<EventHistory> {
    let mut fold = TableFold::new(games.clone(), bounds);
    let mut awards: HashSet<Uuid> = HashSet::new();
    let mut recorded: HashMap<Uuid, Timestamp> = HashMap::new();
    let mut revoked_at: HashMap<Uuid, Timestamp> = HashMap::new();
    for r in records.iter().filter(|r| bounds.known(r)) {
        match &r.event.kind {
            Kind::GamesRegistered(_) => fold.apply(r),
            Kind::MedalAwarded(m) if filter.matches(m) => {
                awards.insert(r.event.id);
                recorded.insert(r.event.id, r.recorded);
                fold.apply(r);
            }
            Kind::MedalRevoked(rev) if awards.contains(&rev.award) => {
                revoked_at.insert(rev.award, r.recorded);
                fold.apply(r);
            }
            _ => {}
        }
    }
    let as_of = bounds.as_of;
    let mut holders: Vec<Spell> = fold
        .awards()
        .filter(|a| as_of.is_none_or(|d| a.date <= d))
        .map(|a| {
            let revocation = fold
                .revocation(&a.id)
                .filter(|rev| as_of.is_none_or(|d| rev.date <= d));
            Spell {
                award: a.id,
                medal: a.medal.medal,
                noc: a.medal.noc,
                athletes: a.medal.athletes.clone(),
                date: a.dated.to_string(),
                known_from: recorded[&a.id],
                known_until: revocation.and_then(|_| revoked_at.get(&a.id).copied()),
                revoked_on: revocation.map(|rev| rev.dated.to_string()),
                reason: revocation.map(|rev| rev.reason.clone()),
                source: a.source.clone(),
            }
        })
        .collect();
    let first = fold.awards().min_by_key(|a| recorded[&a.id])?;
    let (sport, event) = (first.medal.sport.clone(), first.medal.event.clone());
    holders.sort_by_key(|a| (a.known_from, a.medal, a.noc));
    let mut podium: Vec<Spell> = holders
        .iter()
        .filter(|s| s.known_until.is_none())
        .cloned()
        .collect();
    podium.sort_by_key(|a| (a.medal, a.noc));
    Some(EventHistory {
        sport,
        event,
        podium,
        holders,
    })
}
