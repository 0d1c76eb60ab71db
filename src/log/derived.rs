//! Derived state: medal counts summed per day, for each games and for all
//! games together, kept in the tables store (`tables`) so a table as of any
//! date is a few range reads instead of a replay.
//!
//! Invariants: derived state is a cache of folds over the committed log and
//! is never trusted over it: the tables store records the head it reflects,
//! and when that is not the log's head (a crash between the commit and the
//! update, a ledger written by an older podium) it is rebuilt from the log.
//! Unlike the log, its keys are overwritten as counts change.
//!
//! - one games: its change on each day; its table as of D is the sum of its
//!   days up to D (a games lasts days).
//! - all games: the change of each day, and cumulative counts at the end of
//!   every month with a change. The all-time table as of D is the month
//!   before D's plus at most 31 days. A change dated a century back rewrites
//!   one day and the month snapshots after it, not one snapshot per later day.
//!
//! A day key is the year (u16 BE), month and day: 4 bytes that sort by date;
//! a month key is the same with day 0. A snapshot (or a day's change) is, per
//! delegation in code order, its code and gold, silver, bronze and "ranked
//! medals" counts (`encode`); "ranked medals"
//! counts medals won where the delegation is ranked, so a delegation unranked
//! at every games it won at stays unranked all-time.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use crate::error::{Error, Result};
use crate::event::{GamesId, Medal, Noc};
use crate::table::Counts;

/// Snapshots rewritten per sled batch when a change reaches far back.
const SNAPSHOTS_PER_BATCH: usize = 256;

/// Counts plus the ranked-medal tally, as signed numbers so deltas add up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub gold: i64,
    pub silver: i64,
    pub bronze: i64,
    pub ranked: i64,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.gold += other.gold;
        self.silver += other.silver;
        self.bronze += other.bronze;
        self.ranked += other.ranked;
    }

    pub fn counts(&self) -> Counts {
        let n = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
        Counts {
            gold: n(self.gold),
            silver: n(self.silver),
            bronze: n(self.bronze),
        }
    }

    fn is_zero(&self) -> bool {
        *self == Tally::default()
    }
}

/// A snapshot: every delegation's tally on a day.
pub type Snapshot = BTreeMap<Noc, Tally>;

pub fn day_key(date: Date) -> [u8; 4] {
    let year = u16::try_from(date.year()).expect("years are bounded to 1800..=2199");
    let y = year.to_be_bytes();
    [y[0], y[1], date.month() as u8, date.day() as u8]
}

/// The key of one games' day: its id, 0xFF, the day key.
pub fn games_key(games: &GamesId, day: [u8; 4]) -> Vec<u8> {
    let mut key = Vec::with_capacity(games.as_str().len() + 5);
    key.extend_from_slice(games.as_str().as_bytes());
    key.push(0xFF);
    key.extend_from_slice(&day);
    key
}

/// One delegation's entry on disk: its code and its four signed counts.
type Entry = ([u8; 3], i32, i32, i32, i32);

/// The most bytes a snapshot may take when decoded: about 10,000 delegations.
const DECODE_LIMIT: usize = 1 << 20;

/// A snapshot (or a day's change) on disk: its nonzero entries in code order,
/// in bincode's standard configuration, whose variable-length integers keep
/// small counts to a byte each (7 bytes an entry, where fixed-width ones took
/// 19: the tables store is that much smaller, and sled opens it faster).
pub fn encode(snapshot: &Snapshot) -> Vec<u8> {
    let clamp = |v: i64| i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX });
    let entries: Vec<Entry> = snapshot
        .iter()
        .filter(|(_, t)| !t.is_zero())
        .map(|(noc, t)| {
            let code: [u8; 3] = noc
                .as_str()
                .as_bytes()
                .try_into()
                .expect("codes are 3 bytes");
            (
                code,
                clamp(t.gold),
                clamp(t.silver),
                clamp(t.bronze),
                clamp(t.ranked),
            )
        })
        .collect();
    bincode::serde::encode_to_vec(&entries, bincode::config::standard())
        .expect("a list of tuples of integers encodes")
}

/// # Errors
/// `Corrupt` when the bytes are not a snapshot.
pub fn decode(bytes: &[u8]) -> Result<Snapshot> {
    let config = bincode::config::standard().with_limit::<DECODE_LIMIT>();
    let (entries, used): (Vec<Entry>, usize) = bincode::serde::decode_from_slice(bytes, config)
        .map_err(|e| Error::corrupt(format!("derived snapshot does not decode: {e}")))?;
    if used != bytes.len() {
        return Err(Error::corrupt(
            "derived snapshot has bytes after its entries",
        ));
    }
    let mut snapshot = Snapshot::new();
    for (code, gold, silver, bronze, ranked) in entries {
        let noc: Noc = std::str::from_utf8(&code)
            .map_err(|_| Error::corrupt("derived snapshot code is not ASCII"))?
            .parse()
            .map_err(|_| Error::corrupt("derived snapshot code is not a code"))?;
        snapshot.insert(
            noc,
            Tally {
                gold: gold.into(),
                silver: silver.into(),
                bronze: bronze.into(),
                ranked: ranked.into(),
            },
        );
    }
    Ok(snapshot)
}

/// The key of the month a day key falls in.
pub fn month_key(day: [u8; 4]) -> [u8; 4] {
    [day[0], day[1], day[2], 0]
}

/// Adds `change` to `sum`, dropping delegations left with nothing.
pub fn add_into(sum: &mut Snapshot, change: &Snapshot) {
    for (noc, t) in change {
        let entry = sum.entry(*noc).or_default();
        entry.add(t);
        if entry.is_zero() {
            sum.remove(noc);
        }
    }
}

/// Changes to the derived state made by an append, summed per day and
/// delegation: bounded by days times delegations, whatever the number of events.
#[derive(Debug, Default)]
pub struct Deltas {
    pub all: BTreeMap<[u8; 4], HashMap<Noc, Tally>>,
    pub games: HashMap<GamesId, BTreeMap<[u8; 4], HashMap<Noc, Tally>>>,
    pub names: Vec<(Noc, String)>,
    /// Games registrations, whole (the tables store keeps them by games).
    pub registrations: Vec<crate::event::Event>,
}

impl Deltas {
    /// Days with changes, over all games and the all-time series.
    pub fn days(&self) -> usize {
        self.all.len() + self.games.values().map(BTreeMap::len).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
            && self.games.is_empty()
            && self.names.is_empty()
            && self.registrations.is_empty()
    }

    /// The all-time changes summed per month (keys from `month_key`).
    pub fn months(&self) -> BTreeMap<[u8; 4], HashMap<Noc, Tally>> {
        let mut months: BTreeMap<[u8; 4], HashMap<Noc, Tally>> = BTreeMap::new();
        for (day, change) in &self.all {
            let month = months.entry(month_key(*day)).or_default();
            for (noc, t) in change {
                month.entry(*noc).or_default().add(t);
            }
        }
        months
    }

    /// One medal gained (`sign` 1) or lost (-1) from `date` on.
    pub fn medal(
        &mut self,
        games: &GamesId,
        date: Date,
        noc: Noc,
        medal: Medal,
        ranked: bool,
        sign: i64,
    ) {
        let mut t = Tally::default();
        match medal {
            Medal::Gold => t.gold = sign,
            Medal::Silver => t.silver = sign,
            Medal::Bronze => t.bronze = sign,
        }
        if ranked {
            t.ranked = sign;
        }
        let day = day_key(date);
        self.all
            .entry(day)
            .or_default()
            .entry(noc)
            .or_default()
            .add(&t);
        // One games' table has its own unranked rule; the ranked tally is for all-time only.
        t.ranked = 0;
        self.games
            .entry(games.clone())
            .or_default()
            .entry(day)
            .or_default()
            .entry(noc)
            .or_default()
            .add(&t);
    }
}

/// Applies per-day deltas to a series of snapshots in `tree` whose keys are
/// `key(day)`: every snapshot on or after a delta's day gains it, and days
/// without a snapshot get one (the previous snapshot plus the deltas so far).
///
/// # Errors
/// Storage or decoding failures.
pub fn apply_series(
    tree: &sled::Tree,
    key: impl Fn([u8; 4]) -> Vec<u8>,
    deltas: &BTreeMap<[u8; 4], HashMap<Noc, Tally>>,
) -> Result<()> {
    let storage = |e: sled::Error| Error::new(crate::error::ErrorKind::Storage(e.to_string()));
    let Some(first) = deltas.keys().next().copied() else {
        return Ok(());
    };
    // The days of the snapshots on or after the first delta's day: only their
    // keys are held, so memory does not grow with how far back a change reaches.
    let from = key(first);
    let to = key([0xFF; 4]);
    let mut positions: Vec<Vec<u8>> = Vec::new();
    for item in tree.range(from.clone()..=to) {
        positions.push(item.map_err(storage)?.0.to_vec());
    }
    let existing: std::collections::HashSet<Vec<u8>> = positions.iter().cloned().collect();
    let delta_keys: HashMap<Vec<u8>, &HashMap<Noc, Tally>> =
        deltas.iter().map(|(d, t)| (key(*d), t)).collect();
    positions.extend(delta_keys.keys().cloned());
    positions.sort();
    positions.dedup();
    // The snapshot before the first change, as it was; then each later one as it was.
    let mut previous: Snapshot = match tree.range(key([0; 4])..from).next_back() {
        Some(item) => decode(&item.map_err(storage)?.1)?,
        None => Snapshot::new(),
    };
    let mut cumulative: HashMap<Noc, Tally> = HashMap::new();
    let mut batch = sled::Batch::default();
    let mut batched = 0usize;
    for position in positions {
        if let Some(delta) = delta_keys.get(&position) {
            for (noc, t) in delta.iter() {
                cumulative.entry(*noc).or_default().add(t);
            }
        }
        if existing.contains(&position) {
            // Not yet rewritten: batches only hold positions already passed.
            let value = tree.get(&position).map_err(storage)?.unwrap_or_default();
            previous = decode(&value)?;
        }
        let mut updated = previous.clone();
        for (noc, t) in &cumulative {
            updated.entry(*noc).or_default().add(t);
        }
        batch.insert(position, encode(&updated));
        batched += 1;
        if batched == SNAPSHOTS_PER_BATCH {
            tree.apply_batch(std::mem::take(&mut batch))
                .map_err(storage)?;
            batched = 0;
        }
    }
    tree.apply_batch(batch).map_err(storage)
}

/// Adds per-day changes to the changes stored per day in `tree` under
/// `key(day)`; a day whose changes cancel out is removed.
///
/// # Errors
/// Storage or decoding failures.
pub fn apply_days(
    tree: &sled::Tree,
    key: impl Fn([u8; 4]) -> Vec<u8>,
    deltas: &BTreeMap<[u8; 4], HashMap<Noc, Tally>>,
) -> Result<()> {
    let storage = |e: sled::Error| Error::new(crate::error::ErrorKind::Storage(e.to_string()));
    let mut batch = sled::Batch::default();
    for (day, change) in deltas {
        let day = key(*day);
        let mut stored = match tree.get(&day).map_err(storage)? {
            Some(bytes) => decode(&bytes)?,
            None => Snapshot::new(),
        };
        let change: Snapshot = change.iter().map(|(noc, t)| (*noc, *t)).collect();
        add_into(&mut stored, &change);
        if stored.is_empty() {
            batch.remove(day.as_slice());
        } else {
            batch.insert(day.as_slice(), encode(&stored));
        }
    }
    tree.apply_batch(batch).map_err(storage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_round_trip() {
        let mut s = Snapshot::new();
        s.insert(
            "AZE".parse().unwrap(),
            Tally {
                gold: 2,
                silver: 2,
                bronze: 3,
                ranked: 7,
            },
        );
        s.insert(
            "AIN".parse().unwrap(),
            Tally {
                gold: 1,
                silver: 3,
                bronze: 1,
                ranked: 0,
            },
        );
        let bytes = encode(&s);
        assert_eq!(decode(&bytes).unwrap(), s);
        assert_eq!(bytes.len(), 1 + 2 * 7, "a byte per small count");
        assert!(decode(&bytes[1..]).is_err());
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        assert!(decode(&[bytes.as_slice(), &[0]].concat()).is_err());
    }

    #[test]
    fn day_keys_sort_by_date() {
        let a = day_key(jiff::civil::date(1991, 12, 31));
        let b = day_key(jiff::civil::date(2024, 1, 1));
        assert!(a < b);
    }

    #[test]
    fn deltas_reach_every_later_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::Config::new()
            .path(dir.path())
            .temporary(true)
            .open()
            .unwrap();
        let tree = db.open_tree("t").unwrap();
        let key = |d: [u8; 4]| d.to_vec();
        let noc: Noc = "AZE".parse().unwrap();
        let games: GamesId = "g".parse().unwrap();
        let day = |d: i8| jiff::civil::date(2024, 8, d);
        let mut first = Deltas::default();
        first.medal(&games, day(1), noc, Medal::Gold, true, 1);
        first.medal(&games, day(5), noc, Medal::Gold, true, 1);
        apply_series(&tree, key, &first.all).unwrap();
        // A retroactive change on day 3 reaches day 5's snapshot and creates day 3's.
        let mut second = Deltas::default();
        second.medal(&games, day(3), noc, Medal::Bronze, true, 1);
        apply_series(&tree, key, &second.all).unwrap();
        let at = |d: i8| decode(&tree.get(day_key(day(d))).unwrap().unwrap()).unwrap()[&noc];
        assert_eq!((at(1).gold, at(1).bronze), (1, 0));
        assert_eq!((at(3).gold, at(3).bronze), (1, 1));
        assert_eq!((at(5).gold, at(5).bronze), (2, 1));
    }
}
