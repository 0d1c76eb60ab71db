//! `podium import-csv`: medals from a CSV file with the header
//! date,games,sport,event,medal,noc,athletes, one award per row, with ids
//! derived from the row so that a second import is a no-op.

use std::path::Path;

use uuid::Uuid;

use crate::error::{Error, Result};
use crate::event::{Day, Event, Kind, MedalAwarded};
use crate::jsonl::Incoming;
use crate::ledger::{Appended, Ledger, Origin};
use crate::pipeline::read_ahead;

/// podium's namespace for UUID v5 ids over natural keys (the one events/ uses).
pub const ID_NAMESPACE: Uuid = uuid::uuid!("2f9c4d1e-7a53-5b8e-9c61-0d4e8a7b3f12");

/// The columns `podium import-csv` reads, in any order.
pub const CSV_COLUMNS: [&str; 7] = [
    "date", "games", "sport", "event", "medal", "noc", "athletes",
];

/// `podium import-csv FILE`: one medal per row, atomically. Ids are UUID v5
/// over `medal|games|sport|event|medal|noc|athletes sorted, joined by ;`, and
/// athletes are stored sorted, so a second import of the same rows is a no-op.
pub fn import_csv(ledger: &mut Ledger, path: &Path, source: Option<&str>) -> Result<Appended> {
    let rows = rows(path, source)?;
    // Parsed on a second thread while this one appends, as `podium import` does.
    read_ahead(rows, |rows| ledger.append_all(rows))
}

/// The medals of the CSV file at `path`, one a row, each with its line.
///
/// # Errors
/// An unreadable file, a header without the columns; each row's error
/// comes in its turn, naming its line.
pub fn rows<'p>(
    path: &'p Path,
    source: Option<&str>,
) -> Result<impl Iterator<Item = Result<(Origin, Incoming)>> + Send + 'p> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(file);
    let headers = reader
        .headers()
        .map_err(|e| Error::invalid(format!("header: {e}")).at_line(path, 1))?
        .clone();
    let mut column = [0usize; 7];
    for (i, name) in CSV_COLUMNS.iter().enumerate() {
        column[i] = headers
            .iter()
            .position(|h| h.trim() == *name)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "missing column {name:?} (the header must name {})",
                    CSV_COLUMNS.join(",")
                ))
                .at_line(path, 1)
            })?;
    }
    let source = source.map(str::to_owned);
    let rows = reader.into_records().map(move |row| {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::invalid(e.to_string()).at_line(path, line)
        })?;
        let line = row.position().map_or(0, |p| p.line());
        let field = |i: usize| row.get(column[i]).unwrap_or_default().trim();
        let at = |e: Error| e.at_line(path, line);
        // Sorted, so the same team listed in another order is the same event.
        let mut athletes: Vec<String> = field(6)
            .split(';')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        athletes.sort();
        let award = MedalAwarded {
            games: field(1).parse().map_err(at)?,
            sport: field(2).to_owned(),
            event: field(3).to_owned(),
            medal: field(4).parse().map_err(at)?,
            noc: field(5).parse().map_err(at)?,
            athletes: athletes.clone(),
        };
        let key = format!(
            "medal|{}|{}|{}|{}|{}|{}",
            award.games,
            award.sport,
            award.event,
            award.medal,
            award.noc,
            athletes.join(";")
        );
        let event = Event {
            id: Uuid::new_v5(&ID_NAMESPACE, key.as_bytes()),
            date: field(0).parse::<Day>().map_err(at)?,
            source: source.clone(),
            kind: Kind::MedalAwarded(award),
        };
        event.validate().map_err(at)?;
        Ok((Origin::line(path, line), Incoming::new(event)))
    });
    // Parsed on a second thread while this one appends, as `podium import` does.
    Ok(rows)
}
