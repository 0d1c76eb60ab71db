//! Writing commands: imports of JSON Lines files, folders and stdin (through
//! `ledger::append_jsonl`), with a progress line on a terminal; single
//! appends.

use std::io::{BufReader, Write};
use std::path::PathBuf;

use crate::answer::out_err;
use crate::error::{Error, Result};
use crate::jsonl::{self, Incoming};
use crate::ledger::{append_jsonl, Appended, Ledger};
use crate::pipeline::BATCH_ITEMS;

/// What `podium import PATH...` does: the files (folders as their *.jsonl in
/// name order, `-` for stdin) read as one atomic append. `read` is called for
/// each event read.
///
/// # Errors
/// An unreadable file, with its path; otherwise as `Ledger::append_all`.
pub fn import_jsonl(
    ledger: &mut Ledger,
    paths: &[PathBuf],
    read: impl FnMut(),
) -> Result<Appended> {
    let files = import_files(paths)?;
    // Lines from stdin go to the ledger one by one: a pipe may stall, and a
    // line the ledger refuses must be refused at once, not once a batch fills.
    let batch_items = if files.iter().any(|p| p.as_os_str() == "-") {
        1
    } else {
        BATCH_ITEMS
    };
    let readers = files.into_iter().map(|path| {
        let input: Box<dyn std::io::BufRead + Send> = if path.as_os_str() == "-" {
            Box::new(super::stdin::Stdin::new())
        } else {
            let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
            Box::new(BufReader::with_capacity(1 << 16, file))
        };
        Ok(jsonl::Reader::new(input, path))
    });
    // Stopped early or not, stdin is read no further: its reader ends, and
    // the reading thread is joined at once.
    append_jsonl(ledger, readers, batch_items, read, super::stdin::stop)
}

/// What an import reports: new events, events already there, the total.
pub(super) fn print_appended(
    out: &mut impl Write,
    new: u64,
    already: u64,
    events: u64,
) -> Result<()> {
    writeln!(
        out,
        "{new} new, {already} already recorded; {events} events in the ledger"
    )
    .map_err(out_err)
}

/// Expands the paths of an import: files as given, folders as their *.jsonl in name order.
pub(super) fn import_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            files.push(path.clone());
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| Error::io(path, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl") && p.is_file())
                .collect();
            inner.sort();
            files.extend(inner);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Imports files atomically, as one append, with a progress line.
pub(super) fn import(ledger: &mut Ledger, paths: &[PathBuf]) -> Result<Appended> {
    let mut progress = Progress::new();
    let result = import_jsonl(ledger, paths, || progress.tick());
    progress.finish();
    result
}

/// A one-line progress report with a rate on stderr, only when stderr is a terminal.
struct Progress {
    shown: bool,
    started: std::time::Instant,
    events: u64,
}

impl Progress {
    /// Events between two reports.
    const EVERY: u64 = 50_000;

    fn new() -> Progress {
        use std::io::IsTerminal;
        Progress {
            shown: std::io::stderr().is_terminal(),
            started: std::time::Instant::now(),
            events: 0,
        }
    }

    fn tick(&mut self) {
        self.events += 1;
        if self.shown && self.events.is_multiple_of(Self::EVERY) {
            let seconds = self.started.elapsed().as_secs_f64().max(1e-9);
            eprint!(
                "\rpodium: read {} events, {:.0} events/s",
                self.events,
                self.events as f64 / seconds
            );
        }
    }

    fn finish(&self) {
        if self.shown && self.events >= Self::EVERY {
            // Clear the progress line before the summary.
            eprint!("\r\x1b[2K");
        }
    }
}

pub(super) fn append_one(
    ledger: &mut Ledger,
    incoming: Incoming,
    out: &mut impl Write,
) -> Result<()> {
    let id = incoming.event.id;
    let (seq, new) = ledger.append(incoming)?;
    print_one(out, id, seq, new)
}

/// What an append of one event reports: its id, and on stderr whether it
/// was there already.
pub(super) fn print_one(out: &mut impl Write, id: uuid::Uuid, seq: u64, new: bool) -> Result<()> {
    if !new {
        eprintln!("podium: {id} is already recorded (seq {seq}); nothing written");
    }
    writeln!(out, "{id}").map_err(out_err)
}
