//! The read model's bytes: its keys, which sort the way queries read them,
//! and its compact values, written with the variable-length integers of
//! `wire` (small counts and seq differences take a byte) by hand, since
//! queries read thousands of them; the rare epoch descriptions in bincode. The only code
//! that knows how the model's keys and values look; it never touches LMDB.
//!
//! Days are numbered from 1800-01-01 (`day_number`), months from 1800-01
//! (`month_number`): the event vocabulary bounds years to 1800..=2199, so a
//! day fits in a u32 and a month in a u16, and big-endian keys sort by date.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::event::{Medal, Noc, YEAR_MIN};
use crate::table::Counts;
use crate::wire;

/// The most bytes one value may take when decoded, so a corrupt length
/// cannot ask for gigabytes: a snapshot of about 100,000 delegations.
const DECODE_LIMIT: usize = 1 << 22;

type Config = bincode::config::Configuration<
    bincode::config::LittleEndian,
    bincode::config::Varint,
    bincode::config::Limit<DECODE_LIMIT>,
>;

const fn config() -> Config {
    bincode::config::standard().with_limit::<DECODE_LIMIT>()
}

fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serde::encode_to_vec(value, config()).expect("model values always encode")
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    let (value, used): (T, usize) = bincode::serde::decode_from_slice(bytes, config())
        .map_err(|e| Error::damaged(format!("{what} does not decode: {e}")))?;
    if used != bytes.len() {
        return Err(Error::damaged(format!("{what} has bytes after its end")));
    }
    Ok(value)
}

fn first_day() -> Date {
    Date::new(YEAR_MIN, 1, 1).expect("a real day")
}

/// Days since 1800-01-01.
pub fn day_number(date: Date) -> u32 {
    let days = first_day()
        .until(date)
        .expect("dates are bounded to 1800..=2199")
        .get_days();
    u32::try_from(days).expect("dates are bounded to 1800..=2199")
}

/// The day `day_number` gave.
///
/// # Errors
/// `Corrupt` for a number no bounded date has.
pub fn date_of(number: u32) -> Result<Date> {
    first_day()
        .checked_add(jiff::Span::new().days(i64::from(number)))
        .ok()
        .filter(|d| d.year() <= crate::event::YEAR_MAX)
        .ok_or_else(|| Error::damaged(format!("day {number} is out of range")))
}

/// Months since 1800-01.
pub fn month_number(date: Date) -> u16 {
    let months = (i32::from(date.year()) - i32::from(YEAR_MIN)) * 12 + i32::from(date.month()) - 1;
    u16::try_from(months).expect("dates are bounded to 1800..=2199")
}

/// The first day of a month `month_number` gave.
pub fn month_first_day(month: u16) -> Date {
    let year = YEAR_MIN + (month / 12) as i16;
    Date::new(year, (month % 12) as i8 + 1, 1).unwrap_or_else(|_| first_day())
}

/// The key of one games' chunk: its index, then the seq of its first event.
pub fn games_key(games: u32, seq: u64) -> [u8; 12] {
    let mut key = [0u8; 12];
    key[..4].copy_from_slice(&games.to_be_bytes());
    key[4..].copy_from_slice(&seq.to_be_bytes());
    key
}

/// The games index and seq of a `games_key`.
///
/// # Errors
/// `Corrupt` when the key is not 12 bytes.
pub fn split_games_key(key: &[u8]) -> Result<(u32, u64)> {
    let bad = || Error::damaged("a games key is not 12 bytes");
    let games: [u8; 4] = key
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(bad)?;
    let seq: [u8; 8] = key
        .get(4..12)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(bad)?;
    if key.len() != 12 {
        return Err(bad());
    }
    Ok((u32::from_be_bytes(games), u64::from_be_bytes(seq)))
}

/// The key of a delegation's entries at a games: the games' index, the
/// code, the seq of the event.
pub fn entries_key(games: u32, noc: Noc, seq: u64) -> [u8; 15] {
    let mut key = [0u8; 15];
    key[..4].copy_from_slice(&games.to_be_bytes());
    key[4..7].copy_from_slice(&code(noc));
    key[7..].copy_from_slice(&seq.to_be_bytes());
    key
}

/// The key of a tally: the games' index, the code, the sport's label key and
/// a 0 byte (labels hold no control character), then the seq. Prefixes
/// without the seq find the tallies of one games, delegation and sport.
pub fn tally_key(games: u32, noc: Noc, sport: &str, seq: Option<u64>) -> Vec<u8> {
    let mut key = Vec::with_capacity(16 + sport.len());
    key.extend_from_slice(&games.to_be_bytes());
    key.extend_from_slice(&code(noc));
    key.extend_from_slice(sport.as_bytes());
    key.push(0);
    if let Some(seq) = seq {
        key.extend_from_slice(&seq.to_be_bytes());
    }
    key
}

/// The seq that ends an `entries_key` or a `tally_key`: its last 8 bytes.
///
/// # Errors
/// `Damaged` when the key is too short.
pub fn seq_ending_key(key: &[u8]) -> Result<u64> {
    let bytes: [u8; 8] = key
        .len()
        .checked_sub(8)
        .and_then(|at| key[at..].try_into().ok())
        .ok_or_else(|| Error::damaged("a key is too short to end with a seq"))?;
    Ok(u64::from_be_bytes(bytes))
}

/// A tally's day and counts, as the `tallies` database keeps them.
pub fn encode_tally(day: u32, counts: Counts) -> Vec<u8> {
    let mut out = Vec::with_capacity(8);
    wire::put_varint(&mut out, u64::from(day));
    put_counts(&mut out, counts);
    out
}

/// # Errors
/// `Damaged` when the bytes are not a tally.
pub fn decode_tally(bytes: &[u8]) -> Result<(u32, Counts)> {
    let mut r = wire::Reader::new(bytes);
    let day = u32::try_from(r.varint().map_err(short("a tally"))?)
        .map_err(|_| Error::damaged("a tally's day is out of range"))?;
    let counts = read_counts(&mut r, "a tally")?;
    if !r.is_empty() {
        return Err(Error::damaged("a tally has bytes after its end"));
    }
    Ok((day, counts))
}

/// A seq as a key.
pub fn seq_key(seq: u64) -> [u8; 8] {
    seq.to_be_bytes()
}

/// The seq of a `seq_key`.
///
/// # Errors
/// `Corrupt` when the key is not 8 bytes.
pub fn seq_of_key(key: &[u8]) -> Result<u64> {
    let bytes: [u8; 8] = key
        .try_into()
        .map_err(|_| Error::damaged("a seq key is not 8 bytes"))?;
    Ok(u64::from_be_bytes(bytes))
}

/// The key of a month's all-time snapshot at the end of an epoch.
pub fn month_key(series: u8, month: u16, epoch: u32) -> [u8; 7] {
    let mut key = [0u8; 7];
    key[0] = series;
    key[1..3].copy_from_slice(&month.to_be_bytes());
    key[3..].copy_from_slice(&epoch.to_be_bytes());
    key
}

/// The key of a day's all-time change within an epoch.
pub fn day_key(series: u8, day: u32, epoch: u32) -> [u8; 9] {
    let mut key = [0u8; 9];
    key[0] = series;
    key[1..5].copy_from_slice(&day.to_be_bytes());
    key[5..].copy_from_slice(&epoch.to_be_bytes());
    key
}

/// The epoch of a `month_key` or `day_key`: its last four bytes.
///
/// # Errors
/// `Corrupt` when the key is too short.
pub fn epoch_of_key(key: &[u8]) -> Result<u32> {
    let bytes: [u8; 4] = key
        .len()
        .checked_sub(4)
        .and_then(|at| key[at..].try_into().ok())
        .ok_or_else(|| Error::damaged("an epoch key is too short"))?;
    Ok(u32::from_be_bytes(bytes))
}

/// A delegation's medal counts plus its "ranked medals" (medals won where it
/// is ranked: a delegation unranked at every games it won at stays unranked
/// all-time), as signed numbers so that changes add up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub gold: i64,
    pub silver: i64,
    pub bronze: i64,
    pub ranked: i64,
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.gold += other.gold;
        self.silver += other.silver;
        self.bronze += other.bronze;
        self.ranked += other.ranked;
    }

    /// One medal, gained (`sign` 1) or lost (-1).
    pub fn medal(medal: Medal, ranked: bool, sign: i64) -> Tally {
        let mut t = Tally::default();
        match medal {
            Medal::Gold => t.gold = sign,
            Medal::Silver => t.silver = sign,
            Medal::Bronze => t.bronze = sign,
        }
        if ranked {
            t.ranked = sign;
        }
        t
    }

    /// Medals counted together (a tally's), gained (`sign` 1) or lost (-1).
    pub fn of_counts(counts: Counts, ranked: bool, sign: i64) -> Tally {
        let total = i64::from(counts.total()) * sign;
        Tally {
            gold: i64::from(counts.gold) * sign,
            silver: i64::from(counts.silver) * sign,
            bronze: i64::from(counts.bronze) * sign,
            ranked: if ranked { total } else { 0 },
        }
    }

    pub fn counts(&self) -> Counts {
        let n = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
        Counts {
            gold: n(self.gold),
            silver: n(self.silver),
            bronze: n(self.bronze),
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Tally::default()
    }
}

/// Every delegation's tally: a cumulative snapshot, or the change of a day.
pub type Snapshot = BTreeMap<Noc, Tally>;

/// Adds `change` to `sum`, dropping delegations left with nothing.
pub fn add_into(sum: &mut Snapshot, change: &Snapshot) {
    for (noc, t) in change {
        add_one(sum, *noc, t);
    }
}

/// Adds one delegation's tally to `sum`.
pub fn add_one(sum: &mut Snapshot, noc: Noc, t: &Tally) {
    let entry = sum.entry(noc).or_default();
    entry.add(t);
    if entry.is_zero() {
        sum.remove(&noc);
    }
}

fn code(noc: Noc) -> [u8; 3] {
    noc.as_str()
        .as_bytes()
        .try_into()
        .expect("codes are 3 bytes")
}

fn noc_of(code: [u8; 3]) -> Result<Noc> {
    std::str::from_utf8(&code)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Error::damaged("a delegation code is not a code"))
}

fn medal_of(index: u8) -> Result<Medal> {
    Medal::ALL
        .get(usize::from(index))
        .copied()
        .ok_or_else(|| Error::damaged(format!("unknown medal {index}")))
}

fn medal_index(medal: Medal) -> u8 {
    match medal {
        Medal::Gold => 0,
        Medal::Silver => 1,
        Medal::Bronze => 2,
    }
}

/// The fewest bytes a snapshot entry takes (a code and four one-byte
/// counts): bounds what a count read from disk may ask to allocate.
const SNAPSHOT_ENTRY_BYTES_MIN: usize = 7;

/// A snapshot on disk: how many entries, then its nonzero entries in code
/// order, each a code and gold, silver, bronze and ranked-medal counts
/// (zigzag varints: 7 bytes an entry for small counts).
pub fn encode_snapshot(snapshot: &Snapshot) -> Vec<u8> {
    let entries = snapshot.iter().filter(|(_, t)| !t.is_zero());
    let mut out = Vec::with_capacity(1 + snapshot.len() * SNAPSHOT_ENTRY_BYTES_MIN);
    wire::put_varint(&mut out, entries.clone().count() as u64);
    for (noc, t) in entries {
        out.extend_from_slice(&code(*noc));
        for v in [t.gold, t.silver, t.bronze, t.ranked] {
            wire::put_zigzag(&mut out, v);
        }
    }
    out
}

fn short(what: &str) -> impl Fn(wire::Short) -> Error + '_ {
    move |_| Error::damaged(format!("{what} is cut short"))
}

/// # Errors
/// `Damaged` when the bytes are not a snapshot.
pub fn decode_snapshot(bytes: &[u8]) -> Result<Snapshot> {
    let short = short("a snapshot");
    let mut r = wire::Reader::new(bytes);
    let count = r.varint().map_err(&short)?;
    if count > (bytes.len() / SNAPSHOT_ENTRY_BYTES_MIN) as u64 {
        return Err(Error::damaged(
            "a snapshot counts more entries than it holds",
        ));
    }
    let mut snapshot = Snapshot::new();
    for _ in 0..count {
        let noc = noc_of(r.array().map_err(&short)?)?;
        let mut v = [0i64; 4];
        for x in &mut v {
            *x = r.zigzag().map_err(&short)?;
        }
        snapshot.insert(
            noc,
            Tally {
                gold: v[0],
                silver: v[1],
                bronze: v[2],
                ranked: v[3],
            },
        );
    }
    if !r.is_empty() {
        return Err(Error::damaged("a snapshot has bytes after its end"));
    }
    Ok(snapshot)
}

/// What one event changes in the medal tables: one medal of one delegation
/// at one games, gained from `day` on, or lost from `day` on (a revocation,
/// from the later of its own date and the award's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub series: u8,
    pub games: u32,
    pub day: u32,
    pub noc: Noc,
    pub medal: Medal,
    /// Ranked at that games (counts toward being ranked all-time).
    pub ranked: bool,
    pub revoked: bool,
}

impl Change {
    pub fn tally(&self) -> Tally {
        Tally::medal(self.medal, self.ranked, if self.revoked { -1 } else { 1 })
    }
}

/// What a tally changes in the medal tables: its medals from `day` on, and
/// the medals of the tally it supersedes (of the same games, delegation and
/// sport) no longer from `previous`'s day on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TallyChange {
    pub series: u8,
    pub games: u32,
    pub noc: Noc,
    pub ranked: bool,
    pub day: u32,
    pub counts: Counts,
    /// The superseded tally's medals, and the day they stop counting (the
    /// later of the two tallies' days).
    pub previous: Option<(u32, Counts)>,
}

/// One delegation's change of one day in one series: what the all-time
/// table adds up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayChange {
    pub series: u8,
    pub day: u32,
    pub noc: Noc,
    pub tally: Tally,
}

/// What the summary keeps of one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Summary {
    /// A games registration: the games' index.
    Registered(u32),
    /// A medal awarded or revoked.
    Medal(Change),
    /// A tally, and the tally it supersedes.
    Tally(TallyChange),
    /// Entries of a delegation at a games: the games' index and the code
    /// (with the seq, the key of its record in `entries`).
    Entered(u32, Noc),
    /// Anything else.
    Other,
}

impl Summary {
    /// The games whose per-games data the event wrote, if any.
    pub fn games(&self) -> Option<u32> {
        match *self {
            Summary::Registered(g) | Summary::Entered(g, _) => Some(g),
            Summary::Medal(c) => Some(c.games),
            Summary::Tally(t) => Some(t.games),
            Summary::Other => None,
        }
    }

    /// What the event changes in the all-time table (none, one or two changes).
    pub fn changes(&self) -> impl Iterator<Item = DayChange> {
        let (first, second) = match *self {
            Summary::Medal(c) => (
                Some(DayChange {
                    series: c.series,
                    day: c.day,
                    noc: c.noc,
                    tally: c.tally(),
                }),
                None,
            ),
            Summary::Tally(t) => (
                Some(DayChange {
                    series: t.series,
                    day: t.day,
                    noc: t.noc,
                    tally: Tally::of_counts(t.counts, t.ranked, 1),
                }),
                t.previous.map(|(day, counts)| DayChange {
                    series: t.series,
                    day,
                    noc: t.noc,
                    tally: Tally::of_counts(counts, t.ranked, -1),
                }),
            ),
            _ => (None, None),
        };
        first
            .into_iter()
            .chain(second)
            .filter(|c| !c.tally.is_zero())
    }
}

/// One event in the summary: when it was recorded, and what it changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SummaryEntry {
    pub recorded: Timestamp,
    pub summary: Summary,
}

/// A summary's kinds of entry on disk.
const SUMMARY_REGISTERED: u8 = 0;
const SUMMARY_MEDAL: u8 = 1;
const SUMMARY_OTHER: u8 = 2;
const SUMMARY_TALLY: u8 = 3;
const SUMMARY_ENTERED: u8 = 4;

fn put_counts(out: &mut Vec<u8>, c: Counts) {
    for v in [c.gold, c.silver, c.bronze] {
        wire::put_varint(out, u64::from(v));
    }
}

fn read_counts(r: &mut wire::Reader<'_>, what: &str) -> Result<Counts> {
    let short = short(what);
    let mut v = [0u32; 3];
    for x in &mut v {
        *x = u32::try_from(r.varint().map_err(&short)?)
            .map_err(|_| Error::damaged(format!("{what}: a count is out of range")))?;
    }
    Ok(Counts {
        gold: v[0],
        silver: v[1],
        bronze: v[2],
    })
}

/// The summary of consecutive events (a block of the log) on disk: how
/// many, the first one's recorded second (zigzag); then per event the seconds
/// since the previous one's, its nanoseconds (zigzag: negative before 1970,
/// as jiff gives them), its kind, and for a registration the games' index,
/// for a medal event the series, games, day, code, and medal | 4 if ranked |
/// 8 if revoked; for a tally the series, games, code, 1 if ranked | 2 if it
/// supersedes one, its day and counts, then the superseded tally's day and
/// counts; for entries the games.
pub fn encode_summary(entries: &[SummaryEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + entries.len() * 12);
    let first = entries.first().map_or(0, |e| e.recorded.as_second());
    wire::put_varint(&mut out, entries.len() as u64);
    wire::put_zigzag(&mut out, first);
    let mut previous = first;
    for e in entries {
        let seconds = e.recorded.as_second();
        let delta = u64::try_from(seconds - previous).expect("recorded never decreases");
        previous = seconds;
        wire::put_varint(&mut out, delta);
        wire::put_zigzag(&mut out, i64::from(e.recorded.subsec_nanosecond()));
        match e.summary {
            Summary::Registered(games) => {
                out.push(SUMMARY_REGISTERED);
                wire::put_varint(&mut out, u64::from(games));
            }
            Summary::Other => out.push(SUMMARY_OTHER),
            Summary::Entered(games, noc) => {
                out.push(SUMMARY_ENTERED);
                wire::put_varint(&mut out, u64::from(games));
                out.extend_from_slice(&code(noc));
            }
            Summary::Tally(t) => {
                out.push(SUMMARY_TALLY);
                out.push(t.series);
                wire::put_varint(&mut out, u64::from(t.games));
                out.extend_from_slice(&code(t.noc));
                out.push(u8::from(t.ranked) | if t.previous.is_some() { 2 } else { 0 });
                wire::put_varint(&mut out, u64::from(t.day));
                put_counts(&mut out, t.counts);
                if let Some((day, counts)) = t.previous {
                    wire::put_varint(&mut out, u64::from(day));
                    put_counts(&mut out, counts);
                }
            }
            Summary::Medal(c) => {
                out.push(SUMMARY_MEDAL);
                out.push(c.series);
                wire::put_varint(&mut out, u64::from(c.games));
                wire::put_varint(&mut out, u64::from(c.day));
                out.extend_from_slice(&code(c.noc));
                out.push(
                    medal_index(c.medal)
                        | if c.ranked { 4 } else { 0 }
                        | if c.revoked { 8 } else { 0 },
                );
            }
        }
    }
    out
}

/// # Errors
/// `Damaged` when the bytes are not a summary.
pub fn decode_summary(bytes: &[u8]) -> Result<Vec<SummaryEntry>> {
    let short = short("a summary");
    let u32_of =
        |v: u64| u32::try_from(v).map_err(|_| Error::damaged("a summary's number is out of range"));
    let mut r = wire::Reader::new(bytes);
    let count = r.varint().map_err(&short)?;
    // An entry takes at least 3 bytes.
    if count > bytes.len() as u64 / 3 {
        return Err(Error::damaged(
            "a summary counts more entries than it holds",
        ));
    }
    let mut seconds = r.zigzag().map_err(&short)?;
    let mut entries = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let delta = i64::try_from(r.varint().map_err(&short)?)
            .map_err(|_| Error::damaged("a summary's time overflows"))?;
        seconds = seconds
            .checked_add(delta)
            .ok_or_else(|| Error::damaged("a summary's time overflows"))?;
        let nanos = i32::try_from(r.zigzag().map_err(&short)?)
            .map_err(|_| Error::damaged("a summary's nanoseconds are out of range"))?;
        let recorded = Timestamp::new(seconds, nanos)
            .map_err(|_| Error::damaged("a summary's time is out of range"))?;
        let summary = match r.byte().map_err(&short)? {
            SUMMARY_REGISTERED => Summary::Registered(u32_of(r.varint().map_err(&short)?)?),
            SUMMARY_OTHER => Summary::Other,
            SUMMARY_ENTERED => Summary::Entered(
                u32_of(r.varint().map_err(&short)?)?,
                noc_of(r.array().map_err(&short)?)?,
            ),
            SUMMARY_TALLY => {
                let series = r.byte().map_err(&short)?;
                let games = u32_of(r.varint().map_err(&short)?)?;
                let noc = noc_of(r.array().map_err(&short)?)?;
                let bits = r.byte().map_err(&short)?;
                if bits > 3 {
                    return Err(Error::damaged("unknown tally flags"));
                }
                let day = u32_of(r.varint().map_err(&short)?)?;
                let counts = read_counts(&mut r, "a summary's tally")?;
                let previous = if bits & 2 != 0 {
                    let day = u32_of(r.varint().map_err(&short)?)?;
                    Some((day, read_counts(&mut r, "a summary's tally")?))
                } else {
                    None
                };
                Summary::Tally(TallyChange {
                    series,
                    games,
                    noc,
                    ranked: bits & 1 != 0,
                    day,
                    counts,
                    previous,
                })
            }
            SUMMARY_MEDAL => {
                let series = r.byte().map_err(&short)?;
                let games = u32_of(r.varint().map_err(&short)?)?;
                let day = u32_of(r.varint().map_err(&short)?)?;
                let noc = noc_of(r.array().map_err(&short)?)?;
                let bits = r.byte().map_err(&short)?;
                if bits > 15 {
                    return Err(Error::damaged("unknown summary flags"));
                }
                Summary::Medal(Change {
                    series,
                    games,
                    day,
                    noc,
                    medal: medal_of(bits & 3)?,
                    ranked: bits & 4 != 0,
                    revoked: bits & 8 != 0,
                })
            }
            kind => return Err(Error::damaged(format!("unknown summary kind {kind}"))),
        };
        entries.push(SummaryEntry { recorded, summary });
    }
    if !r.is_empty() {
        return Err(Error::damaged("a summary has bytes after its end"));
    }
    Ok(entries)
}

/// One medal event of a games as its compact table keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GamesMedal {
    pub seq: u64,
    /// From this day on the award counts, or the revoked award stops counting.
    pub day: u32,
    pub noc: Noc,
    pub medal: Medal,
    /// For a revocation, the seq of the award it revokes.
    pub revokes: Option<u64>,
    /// One of a tally's medals (or of the tally it supersedes, for a
    /// revocation), whose medallists are not known; a tally is several of
    /// these with one seq.
    pub tally: bool,
}

/// One games' medal events of one block on disk (`first` is the chunk
/// key's seq): how many, then per event its seq after `first`, its day, code,
/// medal | 4 for a tally's, and 0, or 1 and the seq of the award it revokes.
pub fn encode_games_medals(first: u64, medals: &[GamesMedal]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + medals.len() * 10);
    wire::put_varint(&mut out, medals.len() as u64);
    for m in medals {
        wire::put_varint(&mut out, m.seq - first);
        wire::put_varint(&mut out, u64::from(m.day));
        out.extend_from_slice(&code(m.noc));
        out.push(medal_index(m.medal) | if m.tally { 4 } else { 0 });
        match m.revokes {
            Some(award) => {
                out.push(1);
                wire::put_varint(&mut out, award);
            }
            None => out.push(0),
        }
    }
    out
}

/// # Errors
/// `Damaged` when the bytes are not a games' medals.
pub fn decode_games_medals(first: u64, bytes: &[u8]) -> Result<Vec<GamesMedal>> {
    let short = short("a games' medals");
    let mut r = wire::Reader::new(bytes);
    let count = r.varint().map_err(&short)?;
    // An entry takes at least 7 bytes.
    if count > bytes.len() as u64 / 7 {
        return Err(Error::damaged("a games' medals count more than they hold"));
    }
    let mut medals = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let seq = first
            .checked_add(r.varint().map_err(&short)?)
            .ok_or_else(|| Error::damaged("a medal's seq overflows"))?;
        let day = u32::try_from(r.varint().map_err(&short)?)
            .map_err(|_| Error::damaged("a medal's day is out of range"))?;
        let noc = noc_of(r.array().map_err(&short)?)?;
        let bits = r.byte().map_err(&short)?;
        if bits > 7 {
            return Err(Error::damaged(format!("unknown medal flags {bits}")));
        }
        let medal = medal_of(bits & 3)?;
        let revokes = match r.byte().map_err(&short)? {
            0 => None,
            1 => Some(r.varint().map_err(&short)?),
            b => return Err(Error::damaged(format!("unknown revocation tag {b}"))),
        };
        medals.push(GamesMedal {
            seq,
            day,
            noc,
            medal,
            revokes,
            tally: bits & 4 != 0,
        });
    }
    if !r.is_empty() {
        return Err(Error::damaged("a games' medals have bytes after their end"));
    }
    Ok(medals)
}

/// Records (the log's own record bytes) one after another, each with its
/// length (u32 little-endian) first.
pub fn push_record(chunk: &mut Vec<u8>, record: &[u8]) {
    let len = u32::try_from(record.len()).expect("records are bounded to 1 MiB");
    chunk.extend_from_slice(&len.to_le_bytes());
    chunk.extend_from_slice(record);
}

/// The records of a chunk `push_record` built.
///
/// # Errors
/// `Corrupt` when a length runs past the end.
pub fn split_records(mut chunk: &[u8]) -> Result<Vec<&[u8]>> {
    let mut records = Vec::new();
    while !chunk.is_empty() {
        let bad = || Error::damaged("a record chunk is cut short");
        let len: [u8; 4] = chunk
            .get(..4)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(bad)?;
        let len = u32::from_le_bytes(len) as usize;
        let record = chunk.get(4..4 + len).ok_or_else(bad)?;
        records.push(record);
        chunk = &chunk[4 + len..];
    }
    Ok(records)
}

/// What an epoch wrote, per series: the months of its snapshots, the last
/// month with data after it (carried for series it did not change), and
/// the days of its changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochInfo {
    pub series: Vec<EpochSeries>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochSeries {
    pub series: u8,
    /// The first month with data as of this epoch: earlier months are empty.
    pub first_month: u16,
    /// Months written by this epoch (first, last), if any.
    pub months: Option<(u16, u16)>,
    /// The last month with data as of this epoch.
    pub last_month: u16,
    /// Days with a change in this epoch, ascending.
    pub days: Vec<u32>,
}

impl EpochInfo {
    pub fn series(&self, series: u8) -> Option<&EpochSeries> {
        self.series.iter().find(|s| s.series == series)
    }

    pub fn encode(&self) -> Vec<u8> {
        encode(self)
    }

    /// # Errors
    /// `Corrupt` when the bytes are not an epoch's description.
    pub fn decode(bytes: &[u8]) -> Result<EpochInfo> {
        decode(bytes, "an epoch's description")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noc(s: &str) -> Noc {
        s.parse().unwrap()
    }

    #[test]
    fn days_and_months_number_in_date_order() {
        let d = |y, m, d| jiff::civil::date(y, m, d);
        assert_eq!(day_number(d(1800, 1, 1)), 0);
        assert!(day_number(d(1991, 12, 31)) < day_number(d(1992, 1, 1)));
        for date in [
            d(1800, 1, 1),
            d(1896, 4, 6),
            d(2024, 2, 29),
            d(2199, 12, 31),
        ] {
            assert_eq!(date_of(day_number(date)).unwrap(), date);
            assert_eq!(month_first_day(month_number(date)), date.first_of_month());
        }
        assert!(date_of(day_number(d(2199, 12, 31)) + 1).is_err());
    }

    #[test]
    fn snapshots_round_trip_and_refuse_garbage() {
        let mut s = Snapshot::new();
        s.insert(noc("AZE"), Tally::medal(Medal::Gold, true, 1));
        s.insert(noc("AIN"), Tally::medal(Medal::Silver, false, 3));
        let bytes = encode_snapshot(&s);
        assert_eq!(decode_snapshot(&bytes).unwrap(), s);
        assert_eq!(bytes.len(), 1 + 2 * 7, "a byte per small count");
        assert!(decode_snapshot(&bytes[..bytes.len() - 1]).is_err());
        assert!(decode_snapshot(&[bytes.as_slice(), &[0]].concat()).is_err());
    }

    #[test]
    fn summaries_round_trip() {
        let t = |s, ns| Timestamp::new(s, ns).unwrap();
        let before_1970: Timestamp = "1926-11-29T20:00:00.000022999Z".parse().unwrap();
        let change = Change {
            series: 1,
            games: 7,
            day: 81_000,
            noc: noc("AZE"),
            medal: Medal::Bronze,
            ranked: true,
            revoked: true,
        };
        let entries = vec![
            SummaryEntry {
                recorded: t(-2_000_000_000, -5),
                summary: Summary::Registered(7),
            },
            SummaryEntry {
                recorded: before_1970,
                summary: Summary::Other,
            },
            SummaryEntry {
                recorded: t(1_722_880_000, 0),
                summary: Summary::Medal(change),
            },
            SummaryEntry {
                recorded: t(1_722_880_000, 999_999_999),
                summary: Summary::Other,
            },
            SummaryEntry {
                recorded: t(1_722_880_001, 0),
                summary: Summary::Entered(9, noc("NPA")),
            },
            SummaryEntry {
                recorded: t(1_722_880_001, 0),
                summary: Summary::Tally(TallyChange {
                    series: 5,
                    games: 9,
                    noc: noc("AZE"),
                    ranked: true,
                    day: 70_000,
                    counts: Counts {
                        gold: 2,
                        silver: 0,
                        bronze: 300,
                    },
                    previous: Some((
                        70_001,
                        Counts {
                            gold: 1,
                            silver: 1,
                            bronze: 1,
                        },
                    )),
                }),
            },
            SummaryEntry {
                recorded: t(1_722_880_002, 0),
                summary: Summary::Tally(TallyChange {
                    series: 5,
                    games: 9,
                    noc: noc("AZE"),
                    ranked: false,
                    day: 70_000,
                    counts: Counts::default(),
                    previous: None,
                }),
            },
        ];
        let bytes = encode_summary(&entries);
        assert_eq!(decode_summary(&bytes).unwrap(), entries);
        assert!(decode_summary(&bytes[..bytes.len() - 1]).is_err());
        // A tally that supersedes another: its medals gained, the other's lost.
        let changes: Vec<DayChange> = entries[5].summary.changes().collect();
        assert_eq!(changes.len(), 2);
        assert_eq!(
            (changes[0].tally.bronze, changes[0].tally.ranked),
            (300, 302)
        );
        assert_eq!((changes[1].day, changes[1].tally.ranked), (70_001, -3));
        assert_eq!(entries[6].summary.changes().count(), 0);
    }

    #[test]
    fn tallies_and_their_keys_round_trip() {
        let c = Counts {
            gold: 1,
            silver: 0,
            bronze: 200,
        };
        assert_eq!(decode_tally(&encode_tally(80_000, c)).unwrap(), (80_000, c));
        let key = tally_key(3, noc("AZE"), "judo para", Some(77));
        assert!(key.starts_with(&tally_key(3, noc("AZE"), "judo para", None)));
        assert!(!key.starts_with(&tally_key(3, noc("AZE"), "judo", None)));
        assert_eq!(seq_ending_key(&key).unwrap(), 77);
        assert_eq!(seq_ending_key(&entries_key(3, noc("AZE"), 78)).unwrap(), 78);
    }

    #[test]
    fn games_medals_and_records_round_trip() {
        let medals = vec![
            GamesMedal {
                seq: 100,
                day: 5,
                noc: noc("USA"),
                medal: Medal::Gold,
                revokes: None,
                tally: false,
            },
            GamesMedal {
                seq: 130,
                day: 9,
                noc: noc("USA"),
                medal: Medal::Gold,
                revokes: Some(100),
                tally: false,
            },
            GamesMedal {
                seq: 131,
                day: 9,
                noc: noc("AZE"),
                medal: Medal::Bronze,
                revokes: Some(120),
                tally: true,
            },
        ];
        let bytes = encode_games_medals(100, &medals);
        assert_eq!(decode_games_medals(100, &bytes).unwrap(), medals);
        let mut chunk = Vec::new();
        push_record(&mut chunk, b"abc");
        push_record(&mut chunk, b"");
        assert_eq!(split_records(&chunk).unwrap(), vec![&b"abc"[..], &b""[..]]);
        assert!(split_records(&chunk[..5]).is_err());
    }
}
