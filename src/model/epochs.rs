//! The all-time table in epochs of the log, so that a table as of any date
//! and known at any time is a few reads and a short scan, not a replay.
//!
//! Epoch `e` is the log's seqs `(e-1)·K, e·K]` (K, `epoch_events`, is fixed
//! when the model is built, and kept in its `meta`). When
//! the log reaches seq `e·K`, the epoch's changes (from the summary of its
//! events) are written once, per series:
//! - `days`: (series, day, e) -> the change of that day made by epoch e's
//!   events;
//! - `months`: (series, month, e) -> the cumulative table at the end of that
//!   month as known at seq e·K, for every month from the first one epoch e
//!   changed (or the first after the last month with data) to the last month
//!   with data; earlier months are as an earlier epoch left them;
//! - `epochs`: e -> what it wrote (`codec::EpochInfo`), and the last month
//!   with data of every series.
//!
//! So every month up to the last with data is stored at some epoch ≤ e, and
//! the latest version ≤ e is the month as known at e·K. The all-time table
//! as of day D known at seq S (epoch e = S / K complete) is: the month
//! before D's at e, plus D's month's days up to D from epochs ≤ e, plus the
//! changes of the events e·K+1..=S dated up to D (at most K of them, read
//! from the summary). Nothing is ever rewritten: an epoch's data is final.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use heed::{RoTxn, RwTxn};

use super::codec::{self, EpochInfo, EpochSeries, Snapshot, Tally};
use super::{between, from, storage, Model};
use crate::error::{Error, Result};
use crate::event::Noc;

/// Events per epoch: the most summary entries a query scans after its epoch.
/// At 10 M events, 610 epochs, of which each wrote a few dozen month snapshots.
pub const EPOCH_EVENTS_DEFAULT: u64 = 16_384;
/// Bounds of `PODIUM_EPOCH_EVENTS`, which sets the epoch of a model when it
/// is built (tests use small epochs, so that small logs cross many).
const EPOCH_EVENTS_RANGE: std::ops::RangeInclusive<u64> = 16..=(1 << 24);
const EPOCH_KEY: &[u8] = b"epoch";

/// The epoch size for a model being built: `PODIUM_EPOCH_EVENTS` when set
/// (within bounds), else the default.
pub fn epoch_events_for_new_model() -> u64 {
    std::env::var("PODIUM_EPOCH_EVENTS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(|v| v.clamp(*EPOCH_EVENTS_RANGE.start(), *EPOCH_EVENTS_RANGE.end()))
        .unwrap_or(EPOCH_EVENTS_DEFAULT)
}

/// Records the epoch size of a model being built.
pub fn put_epoch_events(model: &Model, txn: &mut RwTxn<'_>, epoch_events: u64) -> Result<()> {
    model
        .dbs()
        .meta
        .put(txn, EPOCH_KEY, &epoch_events.to_be_bytes())
        .map_err(storage)
}

/// The epoch size of the model.
pub fn epoch_events(model: &Model, txn: &RoTxn<'_>) -> Result<u64> {
    match model.dbs().meta.get(txn, EPOCH_KEY).map_err(storage)? {
        Some(bytes) => bytes
            .try_into()
            .map(u64::from_be_bytes)
            .ok()
            .filter(|k| EPOCH_EVENTS_RANGE.contains(k))
            .ok_or_else(|| Error::damaged("the epoch size is not a size")),
        None => Err(Error::damaged("the epoch size is missing")),
    }
}

/// The changes of the epoch being filled, per series, day and delegation.
#[derive(Debug, Default)]
pub struct Accumulator {
    changes: FxHashMap<(u8, u32, Noc), Tally>,
}

impl Accumulator {
    pub fn add(&mut self, change: &codec::DayChange) {
        self.changes
            .entry((change.series, change.day, change.noc))
            .or_default()
            .add(&change.tally);
    }

    fn by_series(&self) -> BTreeMap<u8, BTreeMap<u32, Snapshot>> {
        let mut out: BTreeMap<u8, BTreeMap<u32, Snapshot>> = BTreeMap::new();
        for ((series, day, noc), t) in &self.changes {
            let snapshot = out.entry(*series).or_default().entry(*day).or_default();
            codec::add_one(snapshot, *noc, t);
        }
        // A day whose changes cancel out changes nothing.
        for days in out.values_mut() {
            days.retain(|_, snapshot| !snapshot.is_empty());
        }
        out.retain(|_, days| !days.is_empty());
        out
    }
}

/// What epoch `epoch` wrote, if it was written.
pub fn info(model: &Model, txn: &RoTxn<'_>, epoch: u32) -> Result<Option<EpochInfo>> {
    match model
        .dbs()
        .epochs
        .get(txn, &epoch.to_be_bytes())
        .map_err(storage)?
    {
        Some(bytes) => EpochInfo::decode(bytes).map(Some),
        None => Ok(None),
    }
}

/// The cumulative table of `series` at the end of `month` as known at the
/// end of epoch `epoch`: the latest version stored at or before it, or
/// nothing before the first month with data (`first`).
fn month_at(
    model: &Model,
    txn: &RoTxn<'_>,
    (series, first): (u8, u16),
    month: u16,
    epoch: u32,
) -> Result<Snapshot> {
    if month < first {
        return Ok(Snapshot::new());
    }
    let key = codec::month_key(series, month, epoch);
    match model
        .dbs()
        .months
        .get_lower_than_or_equal_to(txn, &key)
        .map_err(storage)?
    {
        Some((found, value)) if found[..3] == key[..3] => codec::decode_snapshot(value),
        _ => Err(Error::damaged(format!(
            "no snapshot of month {month} of series {series} at epoch {epoch}"
        ))),
    }
}

/// The all-time table of `series` as of day `as_of` (none: every day) as
/// known at the end of epoch `epoch` (0: nothing).
pub fn table_at(
    model: &Model,
    txn: &RoTxn<'_>,
    series: u8,
    as_of: Option<u32>,
    epoch: u32,
) -> Result<Snapshot> {
    if epoch == 0 {
        return Ok(Snapshot::new());
    }
    let Some(info) = info(model, txn, epoch)? else {
        return Err(Error::damaged(format!("epoch {epoch} is missing")));
    };
    let Some(s) = info.series(series) else {
        return Ok(Snapshot::new());
    };
    let (first, last) = (s.first_month, s.last_month);
    let Some(day) = as_of else {
        return month_at(model, txn, (series, first), last, epoch);
    };
    let month = codec::month_number(codec::date_of(day)?);
    if month > last {
        return month_at(model, txn, (series, first), last, epoch);
    }
    let mut table = match month.checked_sub(1) {
        Some(before) => month_at(model, txn, (series, first), before, epoch)?,
        None => Snapshot::new(),
    };
    let first = codec::day_number(codec::month_first_day(month));
    let (low, high) = (
        codec::day_key(series, first, 0),
        codec::day_key(series, day, u32::MAX),
    );
    for item in model
        .dbs()
        .days
        .range(txn, &between(&low, &high))
        .map_err(storage)?
    {
        let (key, value) = item.map_err(storage)?;
        if codec::epoch_of_key(key)? <= epoch {
            codec::add_into(&mut table, &codec::decode_snapshot(value)?);
        }
    }
    Ok(table)
}

/// Writes epoch `epoch` from its changes (see the module's comment).
pub fn write(model: &Model, txn: &mut RwTxn<'_>, epoch: u32, acc: &Accumulator) -> Result<()> {
    let dbs = model.dbs();
    let previous = match epoch.checked_sub(1).filter(|e| *e > 0) {
        Some(e) => {
            info(model, txn, e)?.ok_or_else(|| Error::damaged(format!("epoch {e} is missing")))?
        }
        None => EpochInfo::default(),
    };
    let changes = acc.by_series();
    let mut series: Vec<u8> = previous.series.iter().map(|s| s.series).collect();
    series.extend(changes.keys().copied());
    series.sort_unstable();
    series.dedup();
    let mut written = EpochInfo::default();
    for s in series {
        let before = previous.series(s);
        let last_before = before.map(|p| p.last_month);
        let Some(days) = changes.get(&s) else {
            if let Some(p) = before {
                written.series.push(EpochSeries {
                    months: None,
                    days: Vec::new(),
                    ..p.clone()
                });
            }
            continue;
        };
        let mut by_month: BTreeMap<u16, Snapshot> = BTreeMap::new();
        for (day, change) in days {
            let month = codec::month_number(codec::date_of(*day)?);
            codec::add_into(by_month.entry(month).or_default(), change);
            let key = codec::day_key(s, *day, epoch);
            dbs.days
                .put(txn, &key, &codec::encode_snapshot(change))
                .map_err(storage)?;
        }
        let first_changed = *by_month.keys().next().expect("a series with changes");
        let last_changed = *by_month.keys().next_back().expect("a series with changes");
        let (start, last) = match last_before {
            Some(l) => (first_changed.min(l + 1), l.max(last_changed)),
            None => (first_changed, last_changed),
        };
        let first_before = before.map_or(first_changed, |p| p.first_month);
        let first = first_before.min(first_changed);
        // The table at the last month with data before this epoch, for the
        // months after it.
        let tail = match last_before {
            Some(l) => month_at(model, txn, (s, first_before), l, epoch - 1)?,
            None => Snapshot::new(),
        };
        let mut running = Snapshot::new();
        for month in start..=last {
            if let Some(change) = by_month.get(&month) {
                codec::add_into(&mut running, change);
            }
            let mut table = match last_before {
                Some(l) if month <= l => month_at(model, txn, (s, first_before), month, epoch - 1)?,
                _ => tail.clone(),
            };
            codec::add_into(&mut table, &running);
            let key = codec::month_key(s, month, epoch);
            dbs.months
                .put(txn, &key, &codec::encode_snapshot(&table))
                .map_err(storage)?;
        }
        written.series.push(EpochSeries {
            series: s,
            first_month: first,
            months: Some((start, last)),
            last_month: last,
            days: days.keys().copied().collect(),
        });
    }
    dbs.epochs
        .put(txn, &epoch.to_be_bytes(), &written.encode())
        .map_err(storage)
}

/// Removes the epochs that end beyond `head`.
pub fn discard_after(model: &Model, txn: &mut RwTxn<'_>, head: u64) -> Result<()> {
    let dbs = model.dbs();
    let first = u32::try_from(head / epoch_events(model, txn)? + 1).unwrap_or(u32::MAX);
    let mut late = Vec::new();
    for item in dbs
        .epochs
        .range(txn, &from(&first.to_be_bytes()))
        .map_err(storage)?
    {
        let (key, value) = item.map_err(storage)?;
        let epoch = codec::epoch_of_key(key)?;
        late.push((epoch, EpochInfo::decode(value)?));
    }
    for (epoch, info) in late {
        for s in &info.series {
            if let Some((start, last)) = s.months {
                for month in start..=last {
                    dbs.months
                        .delete(txn, &codec::month_key(s.series, month, epoch))
                        .map_err(storage)?;
                }
            }
            for day in &s.days {
                dbs.days
                    .delete(txn, &codec::day_key(s.series, *day, epoch))
                    .map_err(storage)?;
            }
        }
        dbs.epochs
            .delete(txn, &epoch.to_be_bytes())
            .map_err(storage)?;
    }
    Ok(())
}
