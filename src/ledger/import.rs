//! Imports of JSON Lines into a ledger: the bundled seed, a reader (a
//! server's request body), or any readers in turn, parsed on a second thread
//! while this one appends, all or nothing.

use std::path::Path;

use super::{Appended, Ledger, Origin};
use crate::error::Result;
use crate::jsonl::{self, Incoming};
use crate::pipeline::{read_ahead_in_batches, BATCH_ITEMS};

/// Imports the bundled events/ files.
///
/// # Errors
/// As `Ledger::append_all`.
pub fn import_seed(ledger: &mut Ledger) -> Result<Appended> {
    let readers = crate::seed::FILES.iter().map(|(name, text)| {
        Ok(jsonl::Reader::new(
            text.as_bytes(),
            Path::new("events").join(name),
        ))
    });
    append_jsonl(ledger, readers, BATCH_ITEMS, || {}, || {})
}

/// Imports JSON Lines from one reader (`podium serve`'s request bodies), as
/// `podium import` imports a file: all or nothing, errors naming `name` and
/// the line.
///
/// # Errors
/// As `Ledger::append_all`; a failing reader as an `Io` error of `name`.
pub fn import_reader<R: std::io::BufRead + Send>(
    ledger: &mut Ledger,
    input: R,
    name: &Path,
) -> Result<Appended> {
    let reader = jsonl::Reader::new(input, name.to_path_buf());
    append_jsonl(
        ledger,
        std::iter::once(Ok(reader)),
        BATCH_ITEMS,
        || {},
        || {},
    )
}

/// Appends the events of JSON Lines readers, parsed on a second thread
/// (`pipeline::read_ahead`) in batches of `batch_items` while this one
/// validates and writes, as one atomic append. `read` is called for each
/// event read; `finished` once the append has ended, before the reading
/// thread is joined (to stop a reader that could block it).
///
/// # Errors
/// As `Ledger::append_all`; a failing reader as an `Io` error of its file.
pub fn append_jsonl<R: std::io::BufRead + Send>(
    ledger: &mut Ledger,
    readers: impl Iterator<Item = Result<jsonl::Reader<R>>> + Send,
    batch_items: usize,
    mut read: impl FnMut(),
    finished: impl FnOnce(),
) -> Result<Appended> {
    read_ahead_in_batches(events_of(readers), batch_items, |events| {
        let result = ledger.append_all(events.inspect(|_| read()));
        finished();
        result
    })
}

/// The events of several JSON Lines readers in turn, each with its file and
/// line; stops at the first error (an import stops there anyway).
fn events_of<R: std::io::BufRead>(
    mut readers: impl Iterator<Item = Result<jsonl::Reader<R>>>,
) -> impl Iterator<Item = Result<(Origin, Incoming)>> {
    let mut current: Option<jsonl::Reader<R>> = None;
    let mut failed = false;
    std::iter::from_fn(move || loop {
        if failed {
            return None;
        }
        if current.is_none() {
            match readers.next()? {
                Ok(reader) => current = Some(reader),
                Err(e) => {
                    failed = true;
                    return Some(Err(e));
                }
            }
        }
        let reader = current.as_mut().expect("set above");
        match reader.next_event() {
            Ok(Some((line, incoming))) => {
                return Some(Ok((Origin::at(reader.shared_path(), line), incoming)))
            }
            Ok(None) => current = None,
            Err(e) => {
                failed = true;
                return Some(Err(e));
            }
        }
    })
}
