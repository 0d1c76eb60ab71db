//! The table questions the CLI and the benchmarks ask, at any as-of date and
//! any known-at time.
//!
//! They are answered from the read model (`model::View`): a known-at time is
//! a seq (a prefix of the log), and every question is a few reads bounded by
//! it. The `*_replay` functions answer the same questions by streaming the
//! log through the pure folds; they are the reference the tests hold the
//! model to.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use jiff::civil::Date;

use crate::alltime::{AllTimeFold, RevokedAward};
use crate::drill::{Filter, PeekFilter};
use crate::error::{Error, Result};
use crate::event::{Day, GamesId, Kind, Noc};
use crate::ledger::Ledger;
use crate::model::{GamesEntry, GamesMedal, Model, Series, View};
use crate::successions::Successions;
use crate::table::{counts_from, rank, Bounds, Counts, RankBy, Row, TableFold};

/// The refusal of a games the ledger does not know.
pub fn unknown_games(games: &GamesId) -> Error {
    Error::unknown(format!("unknown games {games} (podium games lists them)"))
}

/// The read model of the ledger at `ledger`, to answer a query, when it
/// reflects the log's last commit: `None` when there is none yet, or when a
/// writer died before bringing it up to the log (then open the `Ledger`,
/// which brings it up to date). A writer at work does not make it stale:
/// queries answer from its last commit.
///
/// # Errors
/// Storage failures.
pub fn current_model(ledger: &Path) -> Result<Option<Model>> {
    let Some(model) = Model::open(ledger)? else {
        return Ok(None);
    };
    let (head, intent) = model.state()?;
    if head.is_none() || (intent && !crate::log::is_held(ledger)?) {
        return Ok(None);
    }
    Ok(Some(model))
}

/// One games' medal events as known at a seq (from the model): its table as
/// of any day, without reading the model again.
pub struct GamesMedals {
    pub games: GamesEntry,
    /// The seq they are known at.
    seq: u64,
    medals: Vec<GamesMedal>,
    /// For each revoked award (by seq), the day from which it stops counting.
    revoked: HashMap<u64, u32>,
    /// The awards without a known day, by seq: their span (see `with_spans`).
    spans: HashMap<u64, Day>,
}

/// A games' medals without a known day (dated by a span of days), among the
/// medals of its final table: a table counts them from their span's last day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undated {
    /// How many of the final table's medals have no known day.
    pub undated: usize,
    /// How many medals the final table counts.
    pub medals: usize,
    /// The days they count from (their spans' last days), in order.
    pub counted_from: Vec<Date>,
}

impl GamesMedals {
    /// The games' medal events known at `bounds.known_at`.
    ///
    /// # Errors
    /// `Refused` for a games not registered then; storage failures.
    pub fn load(view: &View<'_>, games: &GamesId, bounds: Bounds) -> Result<GamesMedals> {
        let seq = view.known_at(bounds.known_at)?;
        let entry = view
            .games(games, seq)?
            .ok_or_else(|| unknown_games(games))?;
        GamesMedals::of(view, entry, seq)
    }

    /// The medal events of a registered games known at `seq`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn of(view: &View<'_>, games: GamesEntry, seq: u64) -> Result<GamesMedals> {
        let medals = view.games_medals(&games, seq)?;
        let revoked = medals
            .iter()
            .filter_map(|m| m.revokes.map(|award| (award, m.day)))
            .collect();
        Ok(GamesMedals {
            games,
            seq,
            medals,
            revoked,
            spans: HashMap::new(),
        })
    }

    /// Also knows which awards have no known day, from the games' records
    /// (the compact medals keep only the day an award counts from).
    ///
    /// # Errors
    /// Storage failures; `Damaged` when a record does not decode.
    pub fn with_spans(mut self, view: &View<'_>) -> Result<GamesMedals> {
        for r in view.games_records(&self.games, self.seq)? {
            let medals = matches!(
                r.event.kind,
                Kind::MedalAwarded(_) | Kind::TallyPublished(_)
            );
            if medals && r.event.date.is_span() {
                // A tally's medals share its seq, and so its span.
                self.spans.insert(r.seq, r.event.date);
            }
        }
        Ok(self)
    }

    /// The final table's medals without a known day (`None`: every one has
    /// a day, or `with_spans` was not asked).
    pub fn undated(&self) -> Option<Undated> {
        let in_force: Vec<&GamesMedal> = self.in_force(None).collect();
        let spans: Vec<&Day> = in_force
            .iter()
            .filter_map(|m| self.spans.get(&m.seq))
            .collect();
        if spans.is_empty() {
            return None;
        }
        let counted_from: BTreeSet<Date> = spans.iter().map(|d| counts_from(d)).collect();
        Some(Undated {
            undated: spans.len(),
            medals: in_force.len(),
            counted_from: counted_from.into_iter().collect(),
        })
    }

    /// How many medals of `noc` (of every delegation: `None`) the table as of
    /// `day` does not count yet although they may have been won by then:
    /// their span has begun by `day` and ends after it (and they are not
    /// revoked by the day they count from).
    pub fn pending_on(&self, noc: Option<Noc>, day: Date) -> u32 {
        let today = crate::model::day_number(day);
        let pending = self.medals.iter().filter(|m| {
            m.revokes.is_none()
                && noc.is_none_or(|n| n == m.noc)
                && self
                    .spans
                    .get(&m.seq)
                    .is_some_and(|span| span.first() <= day && today < m.day)
                && self.revoked.get(&m.seq).is_none_or(|d| *d > m.day)
        });
        u32::try_from(pending.count()).unwrap_or(u32::MAX)
    }

    /// The awards in force on `as_of` (none: every day).
    fn in_force(&self, as_of: Option<Date>) -> impl Iterator<Item = &GamesMedal> {
        let day = as_of.map(crate::model::day_number);
        self.medals.iter().filter(move |m| {
            let dated = |d: u32| day.is_none_or(|a| d <= a);
            m.revokes.is_none()
                && dated(m.day)
                && !self.revoked.get(&m.seq).is_some_and(|d| dated(*d))
        })
    }

    /// How many awards the games has, revoked ones included (not the medals
    /// of tallies, which name no medallist).
    pub fn awards(&self) -> usize {
        self.medals
            .iter()
            .filter(|m| m.revokes.is_none() && !m.tally)
            .count()
    }

    /// How many medals in force on `as_of` are known only as counts (their
    /// medallists are not known).
    pub fn counted(&self, as_of: Option<Date>) -> usize {
        self.in_force(as_of).filter(|m| m.tally).count()
    }

    /// Medal counts per delegation on `as_of`.
    pub fn counts_as_of(&self, as_of: Option<Date>) -> BTreeMap<Noc, Counts> {
        let mut counts: BTreeMap<Noc, Counts> = BTreeMap::new();
        for m in self.in_force(as_of) {
            counts.entry(m.noc).or_default().add(m.medal);
        }
        counts
    }

    /// The ranked table on `as_of`.
    pub fn table_as_of(&self, as_of: Option<Date>, by: RankBy) -> Vec<Row> {
        let g = self.games.registered();
        let unranked: BTreeSet<Noc> = g.unranked.iter().copied().collect();
        rank(self.counts_as_of(as_of), &unranked, &g.delegations, by)
    }

    /// The medals `noc` won on `day` that are still in force (never revoked),
    /// leaving out those known to have no day (`with_spans`).
    pub fn won_on(&self, noc: Noc, day: Date) -> Counts {
        let day = crate::model::day_number(day);
        let mut c = Counts::default();
        for m in self.in_force(None) {
            if m.noc == noc && m.day == day && !self.spans.contains_key(&m.seq) {
                c.add(m.medal);
            }
        }
        c
    }

    /// The days of the games, opening to closing.
    pub fn days(&self) -> Vec<Date> {
        let mut days = Vec::new();
        let mut d = self.games.opens.first();
        while d <= self.games.registered().closes.last() {
            days.push(d);
            d = d
                .tomorrow()
                .expect("dates are bounded well inside jiff's range");
        }
        days
    }
}

/// One games' medal table at `bounds`.
///
/// # Errors
/// `Refused` for an unknown games; storage failures.
pub fn games_table(
    view: &View<'_>,
    games: &GamesId,
    bounds: Bounds,
    by: RankBy,
) -> Result<Vec<Row>> {
    Ok(GamesMedals::load(view, games, bounds)?.table_as_of(bounds.as_of, by))
}

/// The all-time table over every games at `bounds`: a delegation is unranked
/// when it is unranked at every games where it holds a medal.
///
/// # Errors
/// Storage failures.
pub fn all_time_table(view: &View<'_>, bounds: Bounds, by: RankBy) -> Result<Vec<Row>> {
    all_time_table_of(view, bounds, by, Series::ALL)
}

/// The all-time table over the games of `series` at `bounds` (games whose
/// registration does not give a season or movement a series asks for are
/// left out); unranked as in `all_time_table`.
///
/// # Errors
/// Storage failures.
pub fn all_time_table_of(
    view: &View<'_>,
    bounds: Bounds,
    by: RankBy,
    series: Series,
) -> Result<Vec<Row>> {
    let seq = view.known_at(bounds.known_at)?;
    let snapshot = view.all_time(bounds.as_of, seq, series)?;
    let unranked: BTreeSet<Noc> = snapshot
        .iter()
        .filter(|(_, t)| t.ranked <= 0)
        .map(|(noc, _)| *noc)
        .collect();
    let counts = snapshot.iter().map(|(noc, t)| (*noc, t.counts()));
    Ok(rank(counts, &unranked, &view.names(seq)?, by))
}

/// The successions known at `bounds.known_at` and dated on or before
/// `bounds.as_of`.
///
/// # Errors
/// Storage failures; `Damaged` when a record does not decode.
pub fn successions(view: &View<'_>, bounds: Bounds) -> Result<Successions> {
    let seq = view.known_at(bounds.known_at)?;
    Ok(Successions::of(bounds.as_of, &view.successions(seq)?))
}

/// One games folded from its own events in the model (registration, awards,
/// revocations) at `bounds`: the same fold a replay makes, for the questions
/// that need the medals themselves (athletes, events, sources).
///
/// # Errors
/// `Refused` for an unknown games; storage failures.
pub fn fold_games_model(view: &View<'_>, games: &GamesId, bounds: Bounds) -> Result<TableFold> {
    fold_games_model_where(view, games, bounds, &Filter::default())
}

/// `fold_games_model` fed only the awards `filter` accepts (and every
/// revocation): the fold of the awards a question is about (one sport's,
/// one delegation's), whose records alone are decoded.
///
/// # Errors
/// As `fold_games_model`.
pub fn fold_games_model_where(
    view: &View<'_>,
    games: &GamesId,
    bounds: Bounds,
    filter: &Filter,
) -> Result<TableFold> {
    let seq = view.known_at(bounds.known_at)?;
    let entry = view
        .games(games, seq)?
        .ok_or_else(|| unknown_games(games))?;
    let mut fold = TableFold::new(games.clone(), bounds);
    let mut peek = PeekFilter::new(filter);
    for r in view.games_records_where(&entry, seq, |a| peek.keeps(a))? {
        match &r.event.kind {
            Kind::MedalAwarded(m) if !filter.matches(m) => {}
            _ => fold.apply(&r),
        }
    }
    Ok(fold)
}

/// Folds one games at `bounds` by replaying the log, refusing a games the
/// ledger does not know.
///
/// # Errors
/// `Refused` for an unknown games; `Corrupt` when a record does not decode.
pub fn fold_games(ledger: &Ledger, games: &GamesId, bounds: Bounds) -> Result<TableFold> {
    let mut fold = TableFold::new(games.clone(), bounds);
    for r in ledger.iter() {
        let r = r?;
        if !bounds.known(&r) {
            // recorded never decreases along the log: nothing later is known either.
            break;
        }
        fold.apply(&r);
    }
    if fold.games().is_none() {
        return Err(unknown_games(games));
    }
    Ok(fold)
}

/// One games' medal table at `bounds`, by replaying the log.
///
/// # Errors
/// As `fold_games`.
pub fn games_table_replay(
    ledger: &Ledger,
    games: &GamesId,
    bounds: Bounds,
    by: RankBy,
) -> Result<Vec<Row>> {
    Ok(fold_games(ledger, games, bounds)?.table(by))
}

/// The all-time table at `bounds`, by replaying the log.
///
/// # Errors
/// `Corrupt` when a record does not decode.
pub fn all_time_table_replay(ledger: &Ledger, bounds: Bounds, by: RankBy) -> Result<Vec<Row>> {
    let mut fold = AllTimeFold::new(bounds);
    for r in ledger.iter() {
        let r = r?;
        if !bounds.known(&r) {
            break;
        }
        let mut failure = None;
        fold.apply(&r, |id| match ledger.find(id) {
            Ok(Some(award)) => match award.event.kind {
                Kind::MedalAwarded(m) => Some(RevokedAward {
                    games: m.games,
                    noc: m.noc,
                    medal: m.medal,
                    date: counts_from(&award.event.date),
                }),
                _ => None,
            },
            Ok(None) => None,
            Err(e) => {
                failure = Some(e);
                None
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
    }
    Ok(fold.table(by))
}

/// Rebuilds the read model from the log; returns the events replayed.
///
/// # Errors
/// Storage failures, or `Corrupt` when a record does not decode.
pub fn rebuild(ledger: &mut Ledger) -> Result<u64> {
    ledger.rebuild_model()
}
