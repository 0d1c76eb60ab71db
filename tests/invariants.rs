//! The laws of the ledger and its projections, as properties over generated
//! histories: several games (some with unranked delegations), many
//! delegations, awards with ties and shared medals, revocations (some dated
//! back to the award's day and recorded later), meetings, memberships, people,
//! claims, re-appends of recorded ids, and recorded times that never decrease.
//!
//! Each law is one property named after it. Pure laws fold generated logs in
//! memory; the laws about the store run the real sled `Ledger` in a temporary
//! directory (one or two per case: opening sled costs milliseconds).
//!
//! Case counts: a property runs `PROPTEST_CASES` cases when that variable is
//! set, else the fallback given to `cases`. (`ProptestConfig::with_cases`
//! alone would override the variable; `ProptestConfig::default()` reads it.)

use std::collections::{BTreeMap, BTreeSet, HashSet};

use jiff::civil::{date, Date};
use jiff::{SignedDuration, Timestamp, ToSpan};
use podium::event::{
    Bound, Claim, Day, DelegationSucceeded, Event, Figure, GamesId, GamesRegistered, Kind, Medal,
    MedalAwarded, MedalRevoked, MeetingHeld, Membership, Movement, Noc, Participant,
    PersonIdentified, Precision, Recorded, Season, SPAN_DAYS_MAX,
};
use podium::jsonl::{parse_line, write_line, write_recorded, Incoming, Reader};
use podium::ledger::{Appended, Ledger, Origin};
use podium::query;
use podium::record::codec::{decode_record, encode_record, link, HASH_BYTES};
use podium::record::hex;
use podium::table::{rank, Bounds, Counts, RankBy, Row, TableFold};
use podium::ErrorKind;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use uuid::Uuid;

/// The proptest configuration of one property: `PROPTEST_CASES` if set, else `fallback`.
///
/// Also gives every ledger the tests open the smallest epochs of the read
/// model (`PODIUM_EPOCH_EVENTS`), so that their small logs cross many epoch
/// boundaries. Every property sets the same value: harmless if they race.
fn cases(fallback: u32) -> ProptestConfig {
    std::env::set_var("PODIUM_EPOCH_EVENTS", "16");
    if std::env::var_os("PROPTEST_CASES").is_some() {
        ProptestConfig::default()
    } else {
        ProptestConfig::with_cases(fallback)
    }
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

/// The first day games may open, and the first recorded time.
const DAY_BASE: Date = date(2024, 7, 1);
/// 2024-06-01T00:00:00Z in nanoseconds.
const RECORDED_BASE_NS: i128 = 1_717_200_000 * 1_000_000_000;
/// Most delegations in a generated history's pool.
const DELEGATIONS_MAX: usize = 40;
/// Sports and events awards are drawn from; few, so that shared medals occur.
const EVENTS: [(&str, &str); 6] = [
    ("Judo", "Men -73 kg"),
    ("Judo", "Women -57 kg"),
    ("Athletics", "Women's high jump"),
    ("Swimming", "Men's 100 m freestyle"),
    ("Boxing", "Women's 54 kg"),
    ("Gymnastics", "Artistic men's all-around"),
];

/// The `i`-th delegation code: AAA, AAB, ...
fn noc(i: usize) -> Noc {
    let i = i % (26 * 26 * 26);
    let b = [
        b'A' + (i / 676) as u8,
        b'A' + (i / 26 % 26) as u8,
        b'A' + (i % 26) as u8,
    ];
    std::str::from_utf8(&b).unwrap().parse().unwrap()
}

fn day(d: Date) -> Day {
    Day::new(d).unwrap()
}

fn plus_days(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap()
}

fn at_ns(ns: i128) -> Timestamp {
    Timestamp::from_nanosecond(ns).unwrap()
}

/// A name or a text that passes validation: not blank, no control character.
/// Quotes, backslashes and non-ASCII letters test the escaping of both formats.
fn text() -> impl Strategy<Value = String> {
    "[^\\s\\p{C}][^\\p{C}]{0,12}"
}

fn medal() -> impl Strategy<Value = Medal> {
    prop::sample::select(Medal::ALL.to_vec())
}

/// A date of any precision, spans of days included, for the kinds that allow one.
fn any_day() -> impl Strategy<Value = Day> {
    let span_days = 1..i64::from(SPAN_DAYS_MAX);
    (1990i16..2030, 1i8..=12, 1i8..=28, 0u8..4, span_days).prop_map(|(y, m, d, p, n)| match p {
        0 => Day::new(date(y, m, d)).unwrap(),
        1 => Day::with_precision(date(y, m, 1), Precision::Month).unwrap(),
        2 => Day::with_precision(date(y, 1, 1), Precision::Year).unwrap(),
        _ => Day::span(date(y, m, d), plus_days(date(y, m, d), n)).unwrap(),
    })
}

fn games_slug() -> impl Strategy<Value = GamesId> {
    "[a-z0-9]{1,8}(-[a-z0-9]{1,6}){0,2}".prop_map(|s| s.parse().unwrap())
}

/// Time between two steps, in nanoseconds: often zero (equal recorded times).
fn dt_ns() -> impl Strategy<Value = i128> {
    prop_oneof![
        1 => Just(0i128),
        3 => 1i128..6 * 3_600 * 1_000_000_000,
    ]
}

/// A kind that no rule of the ledger looks at.
fn other_kind() -> impl Strategy<Value = Kind> {
    let participant = (
        text(),
        proptest::option::of(text()),
        proptest::option::of(text()),
    )
        .prop_map(|(name, role, body)| Participant { name, role, body });
    let meeting =
        (vec(participant, 1..4), text(), text()).prop_map(|(participants, place, subject)| {
            Kind::MeetingHeld(MeetingHeld {
                participants,
                place,
                subject,
            })
        });
    let membership = (any::<bool>(), text(), text(), proptest::option::of(text())).prop_map(
        |(began, member, organisation, role)| {
            let m = Membership {
                member,
                organisation,
                role,
            };
            if began {
                Kind::MembershipBegan(m)
            } else {
                Kind::MembershipEnded(m)
            }
        },
    );
    let person = (
        text(),
        vec(text(), 0..3),
        proptest::option::of(0..DELEGATIONS_MAX),
    )
        .prop_map(|(name, aliases, n)| {
            Kind::PersonIdentified(PersonIdentified {
                name,
                aliases,
                noc: n.map(noc),
            })
        });
    let figures = Figure::ALL.to_vec();
    let bounds = vec![Bound::Exact, Bound::AtMost, Bound::AtLeast];
    let claim = (
        games_slug(),
        0..DELEGATIONS_MAX,
        prop::sample::select(figures),
        any::<u32>(),
        prop::sample::select(bounds),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
    )
        .prop_map(|(games, n, figure, value, bound, sport, athlete, quote)| {
            Kind::Claim(Claim {
                games,
                noc: noc(n),
                figure,
                value,
                bound,
                sport,
                athlete,
                quote,
            })
        });
    let succession = (
        0..DELEGATIONS_MAX,
        1..DELEGATIONS_MAX,
        proptest::option::of(text()),
    )
        .prop_map(|(n, k, note)| {
            Kind::DelegationSucceeded(DelegationSucceeded {
                predecessor: noc(n),
                successor: noc(n + k),
                note,
            })
        });
    prop_oneof![meeting, membership, person, claim, succession]
}

#[derive(Clone, Debug)]
struct GamesSpec {
    /// Days after `DAY_BASE`.
    start: u16,
    days: u8,
    unranked: Vec<usize>,
    named: Vec<(usize, String)>,
    host: Option<String>,
    season: Option<Season>,
    movement: Option<Movement>,
}

#[derive(Clone, Debug)]
enum Step {
    Award {
        games: usize,
        day: u8,
        medal: Medal,
        noc: usize,
        event: usize,
        /// A second delegation sharing the same medal of the same event.
        shared_with: Option<usize>,
        athletes: Vec<String>,
        source: Option<String>,
    },
    /// Revokes one of the awards in force; `retro` dates it on the award's own day.
    Revoke {
        target: Index,
        retro: bool,
        days_after: u8,
    },
    /// Appends a recorded event again, with or without its recorded time.
    Reappend {
        target: Index,
        stamped: bool,
    },
    Other {
        kind: Kind,
        date: Day,
    },
}

#[derive(Clone, Debug)]
struct Spec {
    delegations: usize,
    games: Vec<GamesSpec>,
    steps: Vec<(i128, Step)>,
}

fn games_spec(delegations: usize) -> impl Strategy<Value = GamesSpec> {
    (
        0u16..60,
        3u8..17,
        vec(0..delegations, 0..3),
        vec((0..delegations, text()), 0..3),
        proptest::option::of(text()),
        proptest::option::of(prop::sample::select(Season::ALL.to_vec())),
        proptest::option::of(prop::sample::select(Movement::ALL.to_vec())),
    )
        .prop_map(
            |(start, days, unranked, named, host, season, movement)| GamesSpec {
                start,
                days,
                unranked,
                named,
                host,
                season,
                movement,
            },
        )
}

fn step(delegations: usize, revocations: bool) -> BoxedStrategy<Step> {
    let award = (
        (0usize..4, 0u8..20, medal(), 0..delegations, 0..EVENTS.len()),
        proptest::option::weighted(0.2, 0..delegations),
        vec(text(), 0..3),
        proptest::option::of(text()),
    )
        .prop_map(
            |((games, day, medal, noc, event), shared_with, athletes, source)| Step::Award {
                games,
                day,
                medal,
                noc,
                event,
                shared_with,
                athletes,
                source,
            },
        );
    let revoke =
        (any::<Index>(), any::<bool>(), 0u8..20).prop_map(|(target, retro, days_after)| {
            Step::Revoke {
                target,
                retro,
                days_after,
            }
        });
    let reappend = (any::<Index>(), any::<bool>())
        .prop_map(|(target, stamped)| Step::Reappend { target, stamped });
    let other = (other_kind(), any_day()).prop_map(|(kind, date)| Step::Other { kind, date });
    if revocations {
        prop_oneof![10 => award, 3 => revoke, 2 => reappend, 2 => other].boxed()
    } else {
        prop_oneof![10 => award, 2 => reappend, 2 => other].boxed()
    }
}

/// A history of up to `steps_max` steps after the games registrations.
fn spec(steps_max: usize, revocations: bool) -> impl Strategy<Value = Spec> {
    prop_oneof![2usize..6, 6..=DELEGATIONS_MAX]
        .prop_flat_map(move |delegations| {
            (
                Just(delegations),
                vec(games_spec(delegations), 1..4),
                vec((dt_ns(), step(delegations, revocations)), 0..steps_max),
            )
        })
        .prop_map(|(delegations, games, steps)| Spec {
            delegations,
            games,
            steps,
        })
}

/// A generated history: what is appended, in order, and the log it must give.
#[derive(Clone, Debug, Default)]
struct History {
    games: Vec<GamesId>,
    appends: Vec<Incoming>,
    log: Vec<Recorded>,
}

impl History {
    fn push(&mut self, event: Event, recorded: Timestamp) {
        self.appends.push(Incoming {
            event: event.clone(),
            recorded: Some(recorded),
            recorded_by: None,
        });
        self.log.push(Recorded {
            seq: self.log.len() as u64 + 1,
            recorded,
            recorded_by: None,
            event,
        });
    }
}

fn games_id(k: usize) -> GamesId {
    format!("games-{k}").parse().unwrap()
}

/// Turns a spec into valid events: every award inside its games' days, every
/// revocation of an award in force and dated on or after it.
fn build(spec: &Spec) -> History {
    let mut h = History::default();
    let mut clock = RECORDED_BASE_NS;
    let mut next_id = 0u128;
    let mut fresh_id = move || {
        next_id += 1;
        Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0000 | next_id)
    };
    let mut opens = Vec::new();
    for (k, g) in spec.games.iter().enumerate() {
        let first = plus_days(DAY_BASE, g.start.into());
        let registered = GamesRegistered {
            games: games_id(k),
            name: format!("Games {k}"),
            closes: day(plus_days(first, i64::from(g.days) - 1)),
            unranked: g.unranked.iter().copied().map(noc).collect(),
            delegations: g.named.iter().map(|(i, n)| (noc(*i), n.clone())).collect(),
            host: g.host.clone(),
            season: g.season,
            movement: g.movement,
        };
        let event = Event {
            id: fresh_id(),
            date: day(first),
            source: None,
            kind: Kind::GamesRegistered(registered),
        };
        h.push(event, at_ns(clock));
        h.games.push(games_id(k));
        opens.push((first, g.days));
    }
    // Log indices of the awards not yet revoked.
    let mut in_force: Vec<usize> = Vec::new();
    for (dt, step) in &spec.steps {
        clock += dt;
        let now = at_ns(clock);
        match step {
            Step::Award {
                games,
                day: d,
                medal,
                noc: n,
                event,
                shared_with,
                athletes,
                source,
            } => {
                let g = games % spec.games.len();
                let (first, days) = opens[g];
                let (sport, name) = EVENTS[*event];
                let mut award = |n: usize, h: &mut History| {
                    let e = Event {
                        id: fresh_id(),
                        date: day(plus_days(first, i64::from(d % days))),
                        source: source.clone(),
                        kind: Kind::MedalAwarded(MedalAwarded {
                            games: games_id(g),
                            sport: sport.to_owned(),
                            event: name.to_owned(),
                            medal: *medal,
                            noc: noc(n),
                            athletes: athletes.clone(),
                        }),
                    };
                    in_force.push(h.log.len());
                    h.push(e, now);
                };
                award(*n, &mut h);
                if let Some(other) = shared_with.filter(|o| o % spec.delegations != *n) {
                    award(other, &mut h);
                }
            }
            Step::Revoke {
                target,
                retro,
                days_after,
            } => {
                if in_force.is_empty() {
                    continue;
                }
                let i = in_force.swap_remove(target.index(in_force.len()));
                let award = &h.log[i].event;
                let date = if *retro {
                    award.date
                } else {
                    day(plus_days(award.date.first(), (*days_after).into()))
                };
                let e = Event {
                    id: fresh_id(),
                    date,
                    source: Some("Court of Arbitration for Sport".into()),
                    kind: Kind::MedalRevoked(MedalRevoked {
                        award: award.id,
                        reason: "doping".into(),
                    }),
                };
                h.push(e, now);
            }
            Step::Reappend { target, stamped } => {
                let r = &h.log[target.index(h.log.len())];
                h.appends.push(Incoming {
                    event: r.event.clone(),
                    recorded: stamped.then_some(r.recorded),
                    recorded_by: None,
                });
            }
            Step::Other { kind, date } => {
                let e = Event {
                    id: fresh_id(),
                    date: *date,
                    source: None,
                    kind: kind.clone(),
                };
                h.push(e, now);
            }
        }
    }
    h
}

fn input(incoming: &[Incoming]) -> impl Iterator<Item = podium::Result<(Origin, Incoming)>> + '_ {
    incoming.iter().map(|i| Ok((Origin::default(), i.clone())))
}

fn stamped(records: &[Recorded], keep_time: bool) -> Vec<Incoming> {
    records
        .iter()
        .map(|r| Incoming {
            event: r.event.clone(),
            recorded: keep_time.then_some(r.recorded),
            recorded_by: None,
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Queries and the independent model of a table
// ---------------------------------------------------------------------------

fn fold<'a>(
    records: impl IntoIterator<Item = &'a Recorded>,
    games: &GamesId,
    bounds: Bounds,
) -> TableFold {
    let mut fold = TableFold::new(games.clone(), bounds);
    for r in records {
        fold.apply(r);
    }
    fold
}

/// What a table query answers: both rankings.
fn answer(fold: &TableFold) -> (Vec<Row>, Vec<Row>) {
    (fold.table(RankBy::Gold), fold.table(RankBy::Total))
}

/// A table from a real ledger, read the way the CLI reads it (from the read
/// model), which must equal a replay of its log stopped at the first event
/// recorded after `known_at`.
fn ledger_answer(ledger: &Ledger, games: &GamesId, bounds: Bounds) -> (Vec<Row>, Vec<Row>) {
    let mut fold = TableFold::new(games.clone(), bounds);
    for r in ledger.iter() {
        let r = r.unwrap();
        if !bounds.known(&r) {
            break;
        }
        fold.apply(&r);
    }
    let view = ledger.model().view().unwrap();
    let from_model = match query::GamesMedals::load(&view, games, bounds) {
        Ok(m) => (
            m.table_as_of(bounds.as_of, RankBy::Gold),
            m.table_as_of(bounds.as_of, RankBy::Total),
        ),
        Err(e) => {
            assert!(fold.games().is_none(), "the model refused {games}: {e}");
            (Vec::new(), Vec::new())
        }
    };
    assert_eq!(from_model, answer(&fold), "{games} at {bounds:?}");
    from_model
}

/// Gold, silver, bronze of one delegation, counted by the test itself.
type Triple = [u32; 3];

fn medal_index(m: Medal) -> usize {
    match m {
        Medal::Gold => 0,
        Medal::Silver => 1,
        Medal::Bronze => 2,
    }
}

fn inside(r: &Recorded, b: Bounds) -> bool {
    b.known_at.is_none_or(|k| r.recorded <= k) && b.as_of.is_none_or(|d| r.event.date.first() <= d)
}

/// The awards of `games` in force within `b`: awarded inside both bounds and
/// not revoked by a revocation inside both bounds.
fn in_force(log: &[Recorded], games: &GamesId, b: Bounds) -> BTreeMap<Noc, Triple> {
    let revoked: HashSet<Uuid> = log
        .iter()
        .filter(|r| inside(r, b))
        .filter_map(|r| match &r.event.kind {
            Kind::MedalRevoked(rev) => Some(rev.award),
            _ => None,
        })
        .collect();
    let mut counts: BTreeMap<Noc, Triple> = BTreeMap::new();
    for r in log {
        if let Kind::MedalAwarded(m) = &r.event.kind {
            if &m.games == games && inside(r, b) && !revoked.contains(&r.event.id) {
                counts.entry(m.noc).or_default()[medal_index(m.medal)] += 1;
            }
        }
    }
    counts
}

fn triple(row: &Row) -> Triple {
    [row.gold, row.silver, row.bronze]
}

fn key(t: Triple, by: RankBy) -> (u32, u32, u32) {
    match by {
        RankBy::Gold => (t[0], t[1], t[2]),
        RankBy::Total => (t[0] + t[1] + t[2], t[0], t[1]),
    }
}

/// The unranked delegations of `games` as registered within the known-at bound.
fn unranked_of(log: &[Recorded], games: &GamesId, b: Bounds) -> Option<BTreeSet<Noc>> {
    log.iter()
        .filter(|r| b.known_at.is_none_or(|k| r.recorded <= k))
        .find_map(|r| match &r.event.kind {
            Kind::GamesRegistered(g) if &g.games == games => {
                Some(g.unranked.iter().copied().collect())
            }
            _ => None,
        })
}

/// The model's table: (noc, rank, counts) in order, ranked the plain way.
fn model_table(
    log: &[Recorded],
    games: &GamesId,
    b: Bounds,
    by: RankBy,
) -> Vec<(Noc, Option<u32>, Triple)> {
    let unranked = unranked_of(log, games, b).unwrap_or_default();
    let mut rows: Vec<(Noc, Triple)> = in_force(log, games, b)
        .into_iter()
        .filter(|(_, t)| t.iter().sum::<u32>() > 0)
        .collect();
    rows.sort_by_key(|(n, t)| (std::cmp::Reverse(key(*t, by)), *n));
    rows.iter()
        .map(|(n, t)| {
            let rank = (!unranked.contains(n)).then(|| {
                1 + rows
                    .iter()
                    .filter(|(o, u)| !unranked.contains(o) && key(*u, by) > key(*t, by))
                    .count() as u32
            });
            (*n, rank, *t)
        })
        .collect()
}

fn plain(rows: &[Row]) -> Vec<(Noc, Option<u32>, Triple)> {
    rows.iter().map(|r| (r.noc, r.rank, triple(r))).collect()
}

/// Every as-of date worth asking about: each event's first day, the days
/// either side, and no bound.
fn as_of_candidates(log: &[Recorded]) -> Vec<Option<Date>> {
    let mut days = BTreeSet::new();
    for r in log {
        if matches!(
            r.event.kind,
            Kind::MedalAwarded(_) | Kind::MedalRevoked(_) | Kind::GamesRegistered(_)
        ) {
            let d = r.event.date.first();
            days.extend([plus_days(d, -1), d, plus_days(d, 1)]);
        }
    }
    days.into_iter()
        .map(Some)
        .chain(std::iter::once(None))
        .collect()
}

/// Every known-at time worth asking about: each recorded time, the instant
/// before it, and no bound.
fn known_at_candidates(log: &[Recorded]) -> Vec<Option<Timestamp>> {
    let mut times = BTreeSet::new();
    for r in log {
        times.insert(r.recorded);
        times.insert(
            r.recorded
                .checked_sub(SignedDuration::from_nanos(1))
                .unwrap(),
        );
    }
    times
        .into_iter()
        .map(Some)
        .chain(std::iter::once(None))
        .collect()
}

fn pick<T: Clone>(all: &[T], picks: &[Index]) -> Vec<T> {
    picks
        .iter()
        .map(|i| all[i.index(all.len())].clone())
        .collect()
}

/// Sampled bounds: pairs of a picked as-of and a picked known-at.
fn sample_bounds(log: &[Recorded], as_of: &[Index], known_at: &[Index]) -> Vec<Bounds> {
    let dates = pick(&as_of_candidates(log), as_of);
    let times = pick(&known_at_candidates(log), known_at);
    let mut out = Vec::new();
    for &a in &dates {
        for &k in &times {
            out.push(Bounds {
                as_of: a,
                known_at: k,
            });
        }
    }
    out
}

fn picks(n: usize) -> impl Strategy<Value = Vec<Index>> {
    vec(any::<Index>(), n)
}

// ---------------------------------------------------------------------------
// Ranking laws
// ---------------------------------------------------------------------------

/// Rows in order of key (descending) then code; rank = 1 + ranked rows
/// strictly ahead; equal keys share a rank; unranked rows have none.
fn check_ranking_laws(
    rows: &[Row],
    unranked: &BTreeSet<Noc>,
    by: RankBy,
) -> Result<(), TestCaseError> {
    for r in rows {
        prop_assert_eq!(r.total, r.gold + r.silver + r.bronze, "total of {:?}", r);
        prop_assert!(r.total > 0, "a row without medals: {:?}", r);
        prop_assert_eq!(
            r.rank.is_none(),
            unranked.contains(&r.noc),
            "rank of {:?}",
            r
        );
    }
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (ka, kb) = (key(triple(a), by), key(triple(b), by));
        prop_assert!(
            ka > kb || (ka == kb && a.noc < b.noc),
            "{:?} is before {:?} by {:?}",
            a,
            b,
            by
        );
    }
    for r in rows {
        let Some(rank) = r.rank else { continue };
        let ahead = rows
            .iter()
            .filter(|o| o.rank.is_some() && key(triple(o), by) > key(triple(r), by))
            .count() as u32;
        prop_assert_eq!(rank, 1 + ahead, "rank of {:?} by {:?}", r, by);
        for o in rows.iter().filter(|o| o.rank.is_some()) {
            if key(triple(o), by) == key(triple(r), by) {
                prop_assert_eq!(o.rank, r.rank, "{:?} and {:?} tie", o, r);
            }
        }
    }
    Ok(())
}

/// Counts for up to 30 delegations, small so that ties are common, and a set
/// of unranked codes.
fn counts_and_unranked() -> impl Strategy<Value = (BTreeMap<Noc, Counts>, BTreeSet<Noc>)> {
    (
        vec((0usize..30, 0u32..4, 0u32..4, 0u32..4), 0..30),
        vec(0usize..30, 0..5),
    )
        .prop_map(|(counts, unranked)| {
            let counts = counts
                .into_iter()
                .map(|(n, gold, silver, bronze)| {
                    (
                        noc(n),
                        Counts {
                            gold,
                            silver,
                            bronze,
                        },
                    )
                })
                .collect();
            (counts, unranked.into_iter().map(noc).collect())
        })
}

fn ranks(rows: &[Row]) -> BTreeMap<Noc, Option<u32>> {
    rows.iter().map(|r| (r.noc, r.rank)).collect()
}

// ---------------------------------------------------------------------------
// The model of the whole ledger
// ---------------------------------------------------------------------------

/// Why the model expects an append to be refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    /// A rule of the ledger (unknown games, revocation of a non-award...).
    Refused,
    /// The id is recorded with other content.
    Conflict,
}

/// The ledger as a plain list of records.
#[derive(Clone, Debug, Default)]
struct Model {
    log: Vec<Recorded>,
}

impl Model {
    fn find(&self, id: &Uuid) -> Option<&Recorded> {
        self.log.iter().find(|r| &r.event.id == id)
    }

    fn registration(&self, games: &GamesId) -> Option<(&Event, &GamesRegistered)> {
        self.log.iter().find_map(|r| match &r.event.kind {
            Kind::GamesRegistered(g) if &g.games == games => Some((&r.event, g)),
            _ => None,
        })
    }

    fn rules(&self, event: &Event) -> Result<(), Refusal> {
        match &event.kind {
            Kind::GamesRegistered(g) if self.registration(&g.games).is_some() => {
                Err(Refusal::Refused)
            }
            Kind::MedalAwarded(m) => {
                let (opens, g) = self.registration(&m.games).ok_or(Refusal::Refused)?;
                if event.date.first() < opens.date.first() || event.date.last() > g.closes.last() {
                    return Err(Refusal::Refused);
                }
                Ok(())
            }
            Kind::MedalRevoked(rev) => {
                let award = self.find(&rev.award).ok_or(Refusal::Refused)?;
                let revoked = self.log.iter().any(
                    |r| matches!(&r.event.kind, Kind::MedalRevoked(o) if o.award == rev.award),
                );
                if !matches!(award.event.kind, Kind::MedalAwarded(_))
                    || revoked
                    || event.date.last() < award.event.date.first()
                {
                    return Err(Refusal::Refused);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Appends a batch all or nothing, as the ledger must.
    fn append_all(&mut self, batch: &[Incoming]) -> Result<Appended, Refusal> {
        let mut next = self.clone();
        let mut appended = Appended::default();
        for incoming in batch {
            if let Some(existing) = next.find(&incoming.event.id) {
                if existing.event == incoming.event
                    && incoming.recorded.is_none_or(|t| t == existing.recorded)
                {
                    appended.already += 1;
                    appended.last = Some((existing.event.id, existing.seq));
                    continue;
                }
                return Err(Refusal::Conflict);
            }
            let t = incoming.recorded.expect("the model stamps every new event");
            if next.log.last().is_some_and(|last| t < last.recorded) {
                return Err(Refusal::Refused);
            }
            next.rules(&incoming.event)?;
            next.log.push(Recorded {
                seq: next.log.len() as u64 + 1,
                recorded: t,
                recorded_by: None,
                event: incoming.event.clone(),
            });
            appended.new += 1;
            appended.last = Some((incoming.event.id, next.log.len() as u64));
        }
        *self = next;
        Ok(appended)
    }

    fn digest(&self) -> String {
        let mut hash = [0u8; HASH_BYTES];
        for r in &self.log {
            hash = link(&hash, &encode_record(r));
        }
        hex(&hash)
    }
}

/// Games slots of the model check; a slot may be registered, or not yet.
const SLOTS: usize = 3;

#[derive(Clone, Debug)]
enum Item {
    Register {
        slot: usize,
        start: u8,
        days: u8,
        unranked: Vec<usize>,
    },
    /// `outside`: dated before the games opens or after it closes.
    Award {
        slot: usize,
        day: u8,
        outside: bool,
        medal: Medal,
        noc: usize,
    },
    /// `target` indexes the awards recorded or pending, or with `any_id`
    /// every id ever proposed (accepted or not); `before`: dated before the award.
    Revoke {
        target: Index,
        any_id: bool,
        days_after: u8,
        before: bool,
    },
    Other {
        kind: Kind,
        date: Day,
    },
    /// A recorded event again: the same (no-op) or changed (conflict).
    Again {
        target: Index,
        mutate: bool,
        stamped: bool,
    },
}

#[derive(Clone, Debug)]
enum Op {
    Append(Item),
    /// One atomic batch; `bad_at_end` adds an award for games never registered.
    Import {
        items: Vec<Item>,
        bad_at_end: bool,
    },
    /// A batch longer than a block (BLOCK_EVENTS_MAX events) of valid awards.
    BigImport {
        slot: usize,
        awards: usize,
        bad_at_end: bool,
    },
    /// A new event stamped before the ledger's latest recorded time.
    Backwards {
        slot: usize,
        secs: u32,
    },
    Reopen,
    Query {
        slot: usize,
        as_of: Option<u8>,
        known_at: Option<Index>,
        split: Index,
    },
    Lookup {
        target: Index,
        seq: u64,
    },
}

fn item() -> impl Strategy<Value = Item> {
    let register = (0..SLOTS, 0u8..40, 3u8..12, vec(0usize..8, 0..3)).prop_map(
        |(slot, start, days, unranked)| Item::Register {
            slot,
            start,
            days,
            unranked,
        },
    );
    let award = (
        0..SLOTS,
        0u8..20,
        proptest::bool::weighted(0.05),
        medal(),
        0usize..8,
    )
        .prop_map(|(slot, day, outside, medal, noc)| Item::Award {
            slot,
            day,
            outside,
            medal,
            noc,
        });
    let revoke = (
        any::<Index>(),
        proptest::bool::weighted(0.2),
        0u8..10,
        proptest::bool::weighted(0.05),
    )
        .prop_map(|(target, any_id, days_after, before)| Item::Revoke {
            target,
            any_id,
            days_after,
            before,
        });
    let other = (other_kind(), any_day()).prop_map(|(kind, date)| Item::Other { kind, date });
    let again = (any::<Index>(), proptest::bool::weighted(0.3), any::<bool>()).prop_map(
        |(target, mutate, stamped)| Item::Again {
            target,
            mutate,
            stamped,
        },
    );
    prop_oneof![2 => register, 8 => award, 3 => revoke, 1 => other, 2 => again]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        10 => item().prop_map(Op::Append),
        3 => (vec(item(), 1..12), proptest::bool::weighted(0.3))
            .prop_map(|(items, bad_at_end)| Op::Import { items, bad_at_end }),
        1 => (0..SLOTS, 250usize..300, any::<bool>())
            .prop_map(|(slot, awards, bad_at_end)| Op::BigImport { slot, awards, bad_at_end }),
        1 => (0..SLOTS, 1u32..3600).prop_map(|(slot, secs)| Op::Backwards { slot, secs }),
        1 => Just(Op::Reopen),
        4 => (
            0..SLOTS,
            proptest::option::of(0u8..60),
            proptest::option::of(any::<Index>()),
            any::<Index>(),
        )
            .prop_map(|(slot, as_of, known_at, split)| Op::Query { slot, as_of, known_at, split }),
        1 => (any::<Index>(), 0u64..80).prop_map(|(target, seq)| Op::Lookup { target, seq }),
    ]
}

fn slot_games(slot: usize) -> GamesId {
    format!("slot-{slot}").parse().unwrap()
}

/// Turns ops' items into events, given what the model holds so far.
struct Maker {
    next_id: u128,
    /// Every id ever proposed, accepted or not.
    proposed: Vec<Uuid>,
}

impl Maker {
    fn fresh(&mut self) -> Uuid {
        self.next_id += 1;
        let id = Uuid::from_u128(0x0de1_0000_0000_4000_8000_0000_0000_0000 | self.next_id);
        self.proposed.push(id);
        id
    }

    /// The event an item describes; `pending` are the events before it in the same batch.
    fn make(
        &mut self,
        item: &Item,
        model: &Model,
        pending: &[Incoming],
        now: Timestamp,
    ) -> Option<Incoming> {
        let new = |event: Event| {
            Some(Incoming {
                event,
                recorded: Some(now),
                recorded_by: None,
            })
        };
        let known = |id: &Uuid| {
            pending
                .iter()
                .map(|i| &i.event)
                .find(|e| &e.id == id)
                .or_else(|| model.find(id).map(|r| &r.event))
                .cloned()
        };
        match item {
            Item::Register {
                slot,
                start,
                days,
                unranked,
            } => {
                let first = plus_days(DAY_BASE, (*start).into());
                new(Event {
                    id: self.fresh(),
                    date: day(first),
                    source: None,
                    kind: Kind::GamesRegistered(GamesRegistered {
                        games: slot_games(*slot),
                        name: format!("Slot {slot}"),
                        closes: day(plus_days(first, i64::from(*days) - 1)),
                        unranked: unranked.iter().copied().map(noc).collect(),
                        delegations: BTreeMap::new(),
                        host: None,
                        season: None,
                        movement: None,
                    }),
                })
            }
            Item::Award {
                slot,
                day: d,
                outside,
                medal,
                noc: n,
            } => {
                let games = slot_games(*slot);
                // The games as registered before this event, if it is.
                let registered = pending
                    .iter()
                    .map(|i| &i.event)
                    .chain(model.log.iter().map(|r| &r.event))
                    .find_map(|e| match &e.kind {
                        Kind::GamesRegistered(g) if g.games == games => {
                            Some((e.date.first(), g.closes.first()))
                        }
                        _ => None,
                    });
                let date = match registered {
                    None => plus_days(DAY_BASE, (*d).into()),
                    Some((_, closes)) if *outside && d % 2 == 0 => {
                        plus_days(closes, 1 + i64::from(d % 3))
                    }
                    Some((opens, _)) if *outside => plus_days(opens, -1 - i64::from(d % 3)),
                    Some((opens, closes)) => {
                        let days = (closes - opens).get_days() + 1;
                        plus_days(opens, i64::from(*d) % i64::from(days))
                    }
                };
                new(Event {
                    id: self.fresh(),
                    date: day(date),
                    source: None,
                    kind: Kind::MedalAwarded(MedalAwarded {
                        games,
                        sport: "Judo".into(),
                        event: "Mixed team".into(),
                        medal: *medal,
                        noc: noc(*n),
                        athletes: Vec::new(),
                    }),
                })
            }
            Item::Revoke {
                target,
                any_id,
                days_after,
                before,
            } => {
                let awards: Vec<Uuid> = if *any_id {
                    self.proposed.clone()
                } else {
                    model
                        .log
                        .iter()
                        .map(|r| &r.event)
                        .chain(pending.iter().map(|i| &i.event))
                        .filter(|e| matches!(e.kind, Kind::MedalAwarded(_)))
                        .map(|e| e.id)
                        .collect()
                };
                if awards.is_empty() {
                    return None;
                }
                let award = awards[target.index(awards.len())];
                let award_day = known(&award).map_or(DAY_BASE, |e| e.date.first());
                let date = if *before {
                    plus_days(award_day, -1 - i64::from(*days_after))
                } else {
                    plus_days(award_day, (*days_after).into())
                };
                new(Event {
                    id: self.fresh(),
                    date: day(date),
                    source: None,
                    kind: Kind::MedalRevoked(MedalRevoked {
                        award,
                        reason: "disqualified".into(),
                    }),
                })
            }
            Item::Other { kind, date } => new(Event {
                id: self.fresh(),
                date: *date,
                source: None,
                kind: kind.clone(),
            }),
            Item::Again {
                target,
                mutate,
                stamped,
            } => {
                let all: Vec<Incoming> = stamped_log(model)
                    .into_iter()
                    .chain(pending.iter().cloned())
                    .collect();
                if all.is_empty() {
                    return None;
                }
                let mut again = all[target.index(all.len())].clone();
                if *mutate {
                    again.event.source = Some("a different source".into());
                }
                if !stamped {
                    again.recorded = None;
                }
                Some(again)
            }
        }
    }
}

fn stamped_log(model: &Model) -> Vec<Incoming> {
    stamped(&model.log, true)
}

/// Runs a batch against both, and checks they agree on the outcome.
fn append_both(
    ledger: &mut Ledger,
    model: &mut Model,
    batch: &[Incoming],
) -> Result<(), TestCaseError> {
    let before = (ledger.len(), ledger.head());
    let expected = model.append_all(batch);
    let got = ledger.append_all(input(batch));
    match (&expected, &got) {
        (Ok(e), Ok(g)) => prop_assert_eq!(e, g),
        (Err(Refusal::Conflict), Err(e)) => prop_assert!(
            matches!(e.kind(), ErrorKind::Conflict { .. }),
            "expected a conflict, got {}",
            e
        ),
        (Err(Refusal::Refused), Err(e)) => prop_assert!(
            matches!(e.kind(), ErrorKind::Refused(_)),
            "expected a refusal, got {}",
            e
        ),
        _ => prop_assert!(
            false,
            "model says {:?}, ledger says {:?}, for {:?}",
            expected,
            got.as_ref().map_err(|e| e.to_string()),
            batch
        ),
    }
    if got.is_err() {
        prop_assert_eq!(
            (ledger.len(), ledger.head()),
            before,
            "a refused batch changed the head"
        );
        for incoming in batch {
            if model.find(&incoming.event.id).is_none() {
                prop_assert!(ledger.find(&incoming.event.id).unwrap().is_none());
            }
        }
    }
    prop_assert_eq!(ledger.len(), model.log.len() as u64);
    prop_assert_eq!(ledger.head().recorded, model.log.last().map(|r| r.recorded));
    Ok(())
}

fn check_whole(ledger: &Ledger, model: &Model) -> Result<(), TestCaseError> {
    let records: Vec<Recorded> = ledger.iter().map(Result::unwrap).collect();
    prop_assert_eq!(&records, &model.log);
    let verified = ledger.verify(None).unwrap();
    prop_assert_eq!(verified.events, model.log.len() as u64);
    prop_assert_eq!(verified.digest, model.digest());
    Ok(())
}

// ---------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(cases(96))]

    /// Replay determinism: the same log gives the same projections, and a fold
    /// kept after k events and continued with the tail equals a full replay.
    #[test]
    fn replay_is_deterministic(
        spec in spec(60, true),
        k in any::<Index>(),
        as_of in picks(4),
        known_at in picks(4),
    ) {
        let h = build(&spec);
        let k = k.index(h.log.len() + 1);
        for games in &h.games {
            for b in sample_bounds(&h.log, &as_of, &known_at) {
                let full = fold(&h.log, games, b);
                let again = fold(&h.log, games, b);
                prop_assert_eq!(answer(&full), answer(&again));
                prop_assert_eq!(full.counts(), again.counts());

                // A state cached after k events, then continued with the tail.
                let mut kept = fold(&h.log[..k], games, b);
                let snapshot = kept.clone();
                let prefix = fold(&h.log[..k], games, b);
                prop_assert_eq!(answer(&snapshot), answer(&prefix));
                let mut resumed = snapshot.clone();
                for r in &h.log[k..] {
                    resumed.apply(r);
                    kept.apply(r);
                }
                prop_assert_eq!(answer(&snapshot), answer(&prefix), "continuing a clone changed it");
                for state in [&resumed, &kept] {
                    prop_assert_eq!(answer(state), answer(&full), "cached at {}", k);
                    prop_assert_eq!(state.counts(), full.counts());
                    prop_assert_eq!(state.games(), full.games());
                }
            }
        }
    }

    /// Replay determinism across as-of dates: one fold without an as-of bound
    /// answers for any date (`table_as_of`) as a fold bounded at that date does.
    #[test]
    fn one_fold_answers_for_every_as_of_date(
        spec in spec(60, true),
        as_of in picks(6),
        known_at in picks(3),
    ) {
        let h = build(&spec);
        for games in &h.games {
            for k in pick(&known_at_candidates(&h.log), &known_at) {
                let unbounded = fold(&h.log, games, Bounds { as_of: None, known_at: k });
                for a in pick(&as_of_candidates(&h.log), &as_of) {
                    let bounded = fold(&h.log, games, Bounds { as_of: a, known_at: k });
                    for by in [RankBy::Gold, RankBy::Total] {
                        prop_assert_eq!(unbounded.table_as_of(a, by), bounded.table(by), "as of {:?}", a);
                    }
                    prop_assert_eq!(unbounded.counts_as_of(a), bounded.counts());
                }
            }
        }
    }

    /// Conservation: a table's medals are exactly the awards in force (awarded,
    /// not revoked, both inside the as-of and known-at bounds), counted here.
    #[test]
    fn medals_are_conserved(
        spec in spec(60, true),
        as_of in picks(5),
        known_at in picks(5),
    ) {
        let h = build(&spec);
        for games in &h.games {
            for b in sample_bounds(&h.log, &as_of, &known_at) {
                let expected = in_force(&h.log, games, b);
                let awards: u32 = expected.values().flatten().sum();
                let (by_gold, by_total) = answer(&fold(&h.log, games, b));
                for rows in [&by_gold, &by_total] {
                    let total: u32 = rows.iter().map(|r| r.total).sum();
                    prop_assert_eq!(total, awards, "{:?} at {:?}", games, b);
                    let counted: BTreeMap<Noc, Triple> =
                        rows.iter().map(|r| (r.noc, triple(r))).collect();
                    let expected: BTreeMap<Noc, Triple> = expected
                        .iter()
                        .filter(|(_, t)| t.iter().sum::<u32>() > 0)
                        .map(|(n, t)| (*n, *t))
                        .collect();
                    prop_assert_eq!(counted, expected);
                }
            }
        }
    }

    /// Ranking laws, on any counts: order by key then code, rank = 1 + ranked
    /// rows strictly ahead, ties share, unranked rows have no rank.
    #[test]
    fn ranking_laws_hold_for_any_counts((counts, unranked) in counts_and_unranked()) {
        for by in [RankBy::Gold, RankBy::Total] {
            let rows = rank(counts.clone(), &unranked, &BTreeMap::new(), by);
            check_ranking_laws(&rows, &unranked, by)?;
            let listed: usize = counts.values().filter(|c| c.total() > 0).count();
            prop_assert_eq!(rows.len(), listed);
        }
    }

    /// Ranking laws, on every table a generated history gives.
    #[test]
    fn ranking_laws_hold_for_every_table(
        spec in spec(60, true),
        as_of in picks(3),
        known_at in picks(3),
    ) {
        let h = build(&spec);
        for games in &h.games {
            for b in sample_bounds(&h.log, &as_of, &known_at) {
                let unranked = unranked_of(&h.log, games, b).unwrap_or_default();
                let (by_gold, by_total) = answer(&fold(&h.log, games, b));
                check_ranking_laws(&by_gold, &unranked, RankBy::Gold)?;
                check_ranking_laws(&by_total, &unranked, RankBy::Total)?;
            }
        }
    }

    /// Adding or removing an unranked delegation changes no other rank.
    #[test]
    fn unranked_delegations_change_no_rank(
        (counts, unranked) in counts_and_unranked(),
        extra in (0u32..4, 0u32..4, 1u32..4),
        which in any::<Index>(),
    ) {
        let outsider = noc(26 * 26 * 26 - 1); // ZZZ, outside the pool
        for by in [RankBy::Gold, RankBy::Total] {
            let before = ranks(&rank(counts.clone(), &unranked, &BTreeMap::new(), by));

            let mut added = counts.clone();
            added.insert(outsider, Counts { gold: extra.0, silver: extra.1, bronze: extra.2 });
            let mut unranked_added = unranked.clone();
            unranked_added.insert(outsider);
            let mut after = ranks(&rank(added, &unranked_added, &BTreeMap::new(), by));
            prop_assert_eq!(after.remove(&outsider), Some(None));
            prop_assert_eq!(&after, &before, "adding {} by {:?}", outsider, by);

            let present: Vec<Noc> = unranked
                .iter()
                .copied()
                .filter(|n| counts.get(n).is_some_and(|c| c.total() > 0))
                .collect();
            if !present.is_empty() {
                let gone = present[which.index(present.len())];
                let mut removed = counts.clone();
                removed.remove(&gone);
                let after = ranks(&rank(removed, &unranked, &BTreeMap::new(), by));
                let mut expected = before.clone();
                expected.remove(&gone);
                prop_assert_eq!(after, expected, "removing {} by {:?}", gone, by);
            }
        }
    }

    /// Monotonicity: without revocations, no delegation's counts decrease as
    /// the as-of date advances (nor as the known-at time advances).
    #[test]
    fn counts_never_decrease_without_revocations(
        spec in spec(60, false),
        as_of in picks(8),
        known_at in picks(4),
    ) {
        let h = build(&spec);
        let mut dates = pick(&as_of_candidates(&h.log), &as_of);
        // None (no bound) sorts first for Option; it means the end of time.
        dates.sort_by_key(|d| (d.is_none(), *d));
        let mut times = pick(&known_at_candidates(&h.log), &known_at);
        times.sort_by_key(|t| (t.is_none(), *t));
        let at_most = |a: &BTreeMap<Noc, Counts>, b: &BTreeMap<Noc, Counts>| {
            a.iter().all(|(n, c)| {
                let d = b.get(n).copied().unwrap_or_default();
                c.gold <= d.gold && c.silver <= d.silver && c.bronze <= d.bronze
            })
        };
        for games in &h.games {
            let grid: Vec<Vec<BTreeMap<Noc, Counts>>> = times
                .iter()
                .map(|&k| {
                    dates
                        .iter()
                        .map(|&a| fold(&h.log, games, Bounds { as_of: a, known_at: k }).counts())
                        .collect()
                })
                .collect();
            for (i, row) in grid.iter().enumerate() {
                for j in 1..row.len() {
                    prop_assert!(at_most(&row[j - 1], &row[j]), "as of {:?} then {:?}", dates[j - 1], dates[j]);
                }
                if i > 0 {
                    for (j, counts) in row.iter().enumerate() {
                        prop_assert!(at_most(&grid[i - 1][j], counts), "known at {:?} then {:?}", times[i - 1], times[i]);
                    }
                }
            }
        }
    }

    /// Order independence: the table as of any date does not depend on the
    /// order in which independent awards were appended.
    #[test]
    fn tables_do_not_depend_on_the_order_of_awards(
        spec in spec(50, true),
        keys in vec(any::<u64>(), 120),
        as_of in picks(6),
    ) {
        let h = build(&spec);
        let (mut awards, rest): (Vec<&Recorded>, Vec<&Recorded>) = h
            .log
            .iter()
            .skip(h.games.len())
            .partition(|r| matches!(r.event.kind, Kind::MedalAwarded(_)));
        let mut i = 0;
        awards.sort_by_cached_key(|_| {
            i += 1;
            (keys[(i - 1) % keys.len()], i)
        });
        let (revocations, others): (Vec<&Recorded>, Vec<&Recorded>) = rest
            .into_iter()
            .partition(|r| matches!(r.event.kind, Kind::MedalRevoked(_)));
        // Registrations, shuffled awards, then revocations after every award,
        // each stamped a second after the one before.
        let shuffled: Vec<Recorded> = h.log[..h.games.len()]
            .iter()
            .chain(awards)
            .chain(others)
            .chain(revocations)
            .enumerate()
            .map(|(i, r)| Recorded {
                seq: i as u64 + 1,
                recorded: at_ns(RECORDED_BASE_NS + i as i128 * 1_000_000_000),
                recorded_by: None,
                event: r.event.clone(),
            })
            .collect();
        let end = at_ns(RECORDED_BASE_NS + 1_000_000 * 1_000_000_000);
        for games in &h.games {
            for a in pick(&as_of_candidates(&h.log), &as_of) {
                for known_at in [None, Some(end)] {
                    let b = Bounds { as_of: a, known_at };
                    prop_assert_eq!(
                        answer(&fold(&shuffled, games, b)),
                        answer(&fold(&h.log, games, Bounds { as_of: a, known_at: None })),
                        "{:?} as of {:?}", games, a
                    );
                }
            }
        }
    }

    /// Round trip: decode(encode(r)) == r for every generated record, and
    /// encoding is canonical.
    #[test]
    fn records_round_trip_through_the_codec(spec in spec(60, true)) {
        let h = build(&spec);
        for r in &h.log {
            let bytes = encode_record(r);
            let back = decode_record(&bytes).unwrap();
            prop_assert_eq!(&back, r);
            prop_assert_eq!(encode_record(&back), bytes);
        }
    }

    /// Round trip: write_line then parse_line gives the same event, with and
    /// without its seq and recorded time; a Reader over the lines gives them all.
    #[test]
    fn events_round_trip_through_json_lines(spec in spec(60, true)) {
        let h = build(&spec);
        let mut file = Vec::new();
        for r in &h.log {
            let mut line = Vec::new();
            write_line(&mut line, &r.event, None).unwrap();
            let parsed = parse_line(std::str::from_utf8(&line).unwrap()).unwrap();
            prop_assert_eq!(parsed, Some(Incoming::new(r.event.clone())));

            let mut line = Vec::new();
            write_recorded(&mut line, r).unwrap();
            prop_assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
            let parsed = parse_line(std::str::from_utf8(&line).unwrap()).unwrap();
            prop_assert_eq!(parsed, Some(Incoming { event: r.event.clone(), recorded: Some(r.recorded), recorded_by: r.recorded_by.clone() }));
            file.extend_from_slice(&line);
        }
        let mut reader = Reader::new(file.as_slice(), "export.jsonl");
        for (i, r) in h.log.iter().enumerate() {
            let (line, incoming) = reader.next_event().unwrap().unwrap();
            prop_assert_eq!(line, i as u64 + 1);
            prop_assert_eq!(&incoming.event, &r.event);
        }
        prop_assert!(reader.next_event().unwrap().is_none());
    }
}

proptest! {
    #![proptest_config(cases(40))]

    /// The past is immutable: appending events never changes an answer given
    /// for a known-at time before the append.
    #[test]
    fn appending_never_changes_a_past_answer(
        spec in spec(50, true),
        split in any::<Index>(),
        as_of in picks(3),
        known_at in picks(4),
    ) {
        let h = build(&spec);
        let k = split.index(h.appends.len() + 1);
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(dir.path(), true).unwrap();
        ledger.append_all(input(&h.appends[..k])).unwrap();
        let known: Vec<Recorded> = ledger.iter().map(Result::unwrap).collect();
        let bounds = sample_bounds(&known, &as_of, &known_at);
        let before: Vec<_> = h
            .games
            .iter()
            .flat_map(|g| bounds.iter().map(move |b| (g, *b)))
            .map(|(g, b)| ledger_answer(&ledger, g, b))
            .collect();

        let len = ledger.len();
        ledger.append_all(input(&h.appends[k..])).unwrap();
        prop_assert_eq!(ledger.len(), h.log.len() as u64);
        let appended_at = ledger.get(len + 1).unwrap().map(|r| r.recorded);
        let after = h
            .games
            .iter()
            .flat_map(|g| bounds.iter().map(move |b| (g, *b)))
            .map(|(g, b)| (b, ledger_answer(&ledger, g, b)));
        for ((b, now), then) in after.zip(before) {
            let past = match (b.known_at, appended_at) {
                (Some(t), Some(first)) => t < first,
                (_, None) => true,
                (None, Some(_)) => false,
            };
            if past {
                prop_assert_eq!(now, then, "known at {:?}, as of {:?}", b.known_at, b.as_of);
            }
        }
    }

    /// Idempotency: appending any prefix of the log again, stamped or not,
    /// changes nothing, digest included; and every earlier digest is a link.
    #[test]
    fn appending_a_prefix_again_changes_nothing(
        spec in spec(50, true),
        prefix in any::<Index>(),
        keep_time in any::<bool>(),
    ) {
        let h = build(&spec);
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(dir.path(), true).unwrap();
        let first = ledger.append_all(input(&h.appends)).unwrap();
        prop_assert_eq!(first.new, h.log.len() as u64);
        prop_assert_eq!(first.new + first.already, h.appends.len() as u64);
        let verified = ledger.verify(None).unwrap();
        let head = ledger.head();
        let records: Vec<Recorded> = ledger.iter().map(Result::unwrap).collect();
        prop_assert_eq!(&records, &h.log);

        let k = prefix.index(h.log.len() + 1);
        let again = stamped(&h.log[..k], keep_time);
        let appended = ledger.append_all(input(&again)).unwrap();
        let last = |log: &[Recorded]| log.last().map(|r| (r.event.id, r.seq));
        prop_assert_eq!(appended, Appended { new: 0, already: k as u64, last: last(&h.log[..k]) });
        let appended = ledger.append_all(input(&h.appends)).unwrap();
        let last_input = h.appends.last().map(|i| {
            let seq = h.log.iter().find(|r| r.event.id == i.event.id).unwrap().seq;
            (i.event.id, seq)
        });
        prop_assert_eq!(appended, Appended { new: 0, already: h.appends.len() as u64, last: last_input });
        for (r, incoming) in h.log[..k].iter().zip(again) {
            prop_assert_eq!(ledger.append(incoming).unwrap(), (r.seq, false));
        }
        prop_assert_eq!(ledger.head(), head);
        prop_assert_eq!(ledger.verify(None).unwrap(), verified.clone());
        let records: Vec<Recorded> = ledger.iter().map(Result::unwrap).collect();
        prop_assert_eq!(&records, &h.log);

        let mut hash = [0u8; HASH_BYTES];
        for r in &h.log[..k] {
            hash = link(&hash, &encode_record(r));
        }
        if k > 0 {
            prop_assert_eq!(ledger.verify(Some(&hex(&hash))).unwrap(), verified);
        }
    }

    /// Round trip: exporting every record and importing the file into an empty
    /// ledger gives the same ids, dates, recorded times, seqs and digest.
    #[test]
    fn export_then_import_gives_the_same_ledger(spec in spec(50, true)) {
        let h = build(&spec);
        let from = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(from.path(), true).unwrap();
        ledger.append_all(input(&h.appends)).unwrap();
        let mut export = Vec::new();
        for r in ledger.iter() {
            write_recorded(&mut export, &r.unwrap()).unwrap();
        }

        let to = tempfile::tempdir().unwrap();
        let mut imported = Ledger::open(to.path(), true).unwrap();
        let mut reader = Reader::new(export.as_slice(), "export.jsonl");
        let lines = std::iter::from_fn(|| {
            reader.next_event().transpose().map(|r| r.map(|(_, i)| (Origin::default(), i)))
        });
        let appended = imported.append_all(lines).unwrap();
        prop_assert_eq!(appended.new, h.log.len() as u64);

        let a: Vec<Recorded> = ledger.iter().map(Result::unwrap).collect();
        let b: Vec<Recorded> = imported.iter().map(Result::unwrap).collect();
        let shape = |rs: &[Recorded]| -> Vec<(u64, Uuid, Day, Timestamp)> {
            rs.iter().map(|r| (r.seq, r.event.id, r.event.date, r.recorded)).collect()
        };
        prop_assert_eq!(shape(&a), shape(&b));
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(ledger.verify(None).unwrap(), imported.verify(None).unwrap());
        let mut again = Vec::new();
        for r in imported.iter() {
            write_recorded(&mut again, &r.unwrap()).unwrap();
        }
        prop_assert_eq!(export, again);
    }

    /// Model check: random appends, revocations, imports (some with a bad last
    /// event: all refused, nothing changed), reopenings and queries against
    /// the real ledger give the answers of a plain list of records.
    #[test]
    fn the_ledger_agrees_with_a_model(ops in vec((dt_ns(), op()), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Some(Ledger::open(dir.path(), true).unwrap());
        let mut model = Model::default();
        let mut maker = Maker { next_id: 0, proposed: Vec::new() };
        let mut clock = RECORDED_BASE_NS;
        // Two of the slots are registered from the start; the third may be later.
        let mut opening = Vec::new();
        for (slot, start, days) in [(0, 5, 16), (1, 30, 10)] {
            let item = Item::Register { slot, start, days, unranked: vec![slot] };
            opening.push(maker.make(&item, &model, &opening, at_ns(clock)).unwrap());
        }
        append_both(ledger.as_mut().unwrap(), &mut model, &opening)?;
        for (dt, op) in ops {
            clock += dt;
            let now = at_ns(clock);
            let l = ledger.as_mut().unwrap();
            match op {
                Op::Append(item) => {
                    if let Some(incoming) = maker.make(&item, &model, &[], now) {
                        append_both(l, &mut model, &[incoming])?;
                    }
                }
                Op::Import { items, bad_at_end } => {
                    let mut batch = Vec::new();
                    for item in &items {
                        if let Some(incoming) = maker.make(item, &model, &batch, now) {
                            batch.push(incoming);
                        }
                    }
                    if bad_at_end {
                        let bad = Item::Award { slot: SLOTS, day: 0, outside: false, medal: Medal::Gold, noc: 0 };
                        batch.push(maker.make(&bad, &model, &batch, now).unwrap());
                    }
                    append_both(l, &mut model, &batch)?;
                }
                Op::BigImport { slot, awards, bad_at_end } => {
                    let mut batch = Vec::new();
                    for i in 0..awards {
                        let award = Item::Award {
                            slot,
                            day: (i % 20) as u8,
                            outside: false,
                            medal: Medal::ALL[i % 3],
                            noc: i % 8,
                        };
                        batch.push(maker.make(&award, &model, &batch, now).unwrap());
                        if i % 50 == 7 {
                            let award = batch[batch.len() - 1].event.clone();
                            batch.push(Incoming {
                                event: Event {
                                    id: maker.fresh(),
                                    date: award.date,
                                    source: None,
                                    kind: Kind::MedalRevoked(MedalRevoked {
                                        award: award.id,
                                        reason: "retested".into(),
                                    }),
                                },
                                recorded: Some(now),
                                recorded_by: None,
                            });
                        }
                    }
                    if bad_at_end {
                        let bad = Item::Award { slot: SLOTS, day: 0, outside: false, medal: Medal::Gold, noc: 0 };
                        batch.push(maker.make(&bad, &model, &batch, now).unwrap());
                    }
                    append_both(l, &mut model, &batch)?;
                }
                Op::Backwards { slot, secs } => {
                    let before = at_ns(clock - i128::from(secs) * 1_000_000_000);
                    let item = Item::Award { slot, day: 0, outside: false, medal: Medal::Bronze, noc: 1 };
                    if let Some(mut incoming) = maker.make(&item, &model, &[], before) {
                        incoming.recorded = Some(before);
                        append_both(l, &mut model, &[incoming])?;
                    }
                }
                Op::Reopen => {
                    let head = l.head();
                    drop(ledger.take());
                    let reopened = Ledger::open(dir.path(), false).unwrap();
                    prop_assert_eq!(reopened.head(), head);
                    check_whole(&reopened, &model)?;
                    ledger = Some(reopened);
                }
                Op::Query { slot, as_of, known_at, split } => {
                    let games = slot_games(slot);
                    let times = known_at_candidates(&model.log);
                    let b = Bounds {
                        as_of: as_of.map(|d| plus_days(DAY_BASE, d.into())),
                        known_at: known_at.and_then(|i| times[i.index(times.len())]),
                    };
                    let split = split.index(model.log.len() + 1) as u64;
                    let mut fold = TableFold::new(games.clone(), b);
                    for r in l.iter().take(split as usize) {
                        fold.apply(&r.unwrap());
                    }
                    for r in l.iter_from(split + 1) {
                        fold.apply(&r.unwrap());
                    }
                    prop_assert_eq!(fold.games().is_some(), unranked_of(&model.log, &games, b).is_some());
                    let view = l.model().view().unwrap();
                    let medals = query::GamesMedals::load(&view, &games, b).ok();
                    prop_assert_eq!(medals.is_some(), fold.games().is_some());
                    for by in [RankBy::Gold, RankBy::Total] {
                        let expected = model_table(&model.log, &games, b, by);
                        prop_assert_eq!(plain(&fold.table(by)), expected.clone(), "{} at {:?} by {:?}", games, b, by);
                        if let Some(m) = &medals {
                            prop_assert_eq!(plain(&m.table_as_of(b.as_of, by)), expected, "read model: {} at {:?} by {:?}", games, b, by);
                        }
                        prop_assert_eq!(
                            query::all_time_table(&view, b, by).unwrap(),
                            query::all_time_table_replay(l, b, by).unwrap(),
                            "read model: all-time at {:?} by {:?}", b, by
                        );
                    }
                }
                Op::Lookup { target, seq } => {
                    if !maker.proposed.is_empty() {
                        let id = maker.proposed[target.index(maker.proposed.len())];
                        let found = l.find(&id).unwrap();
                        prop_assert_eq!(found.as_ref(), model.find(&id));
                    }
                    let expected = model.log.get((seq as usize).wrapping_sub(1));
                    let got = l.get(seq).unwrap();
                    prop_assert_eq!(got.as_ref(), expected);
                }
            }
        }
        check_whole(ledger.as_ref().unwrap(), &model)?;
    }
}
