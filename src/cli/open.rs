//! Which ledger a command works on, and how it gets there: the log itself
//! (commands that write, or read the log), or the read model alone (queries),
//! which never waits for a writer. The default ledger is created and seeded
//! with the bundled events on first use.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::ledger::Ledger;
use crate::model::Model;

/// The default ledger: $PODIUM_LEDGER, else podium/ledger in the user's data directory.
fn default_ledger() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("PODIUM_LEDGER").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    dirs::data_dir()
        .map(|d| d.join("podium").join("ledger"))
        .ok_or_else(|| {
            Error::invalid(
                "no data directory for a default ledger: give --ledger DIR or set PODIUM_LEDGER",
            )
        })
}

/// The directory of the ledger the command names.
pub(super) fn ledger_path(explicit: Option<&Path>) -> Result<PathBuf> {
    match explicit {
        Some(path) => Ok(path.to_path_buf()),
        None => default_ledger(),
    }
}

/// Opens the ledger the command names. A missing default ledger is created
/// and seeded with the bundled events; a missing explicit one is created
/// (empty) only for commands that write.
pub fn open_ledger(explicit: Option<&Path>, writes: bool) -> Result<Ledger> {
    if let Some(path) = explicit {
        return Ledger::open(path, writes);
    }
    let path = default_ledger()?;
    let existed = path.exists();
    if existed {
        let ledger = Ledger::open(&path, writes)?;
        // An empty default ledger is one whose seeding was interrupted (a
        // default ledger is created only to be seeded): complete it.
        if !ledger.is_empty() {
            return Ok(ledger);
        }
        return seed(ledger, &path, false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let created = Ledger::open(&path, true)?;
    seed(created, &path, true).inspect_err(|_| {
        // Never leave a default ledger created with nothing in it.
        let _ = std::fs::remove_dir_all(&path);
    })
}

/// Seeds the default ledger at `path` with the bundled events, saying so on
/// stderr (whether it was `created` now, or found empty).
fn seed(mut ledger: Ledger, path: &Path, created: bool) -> Result<Ledger> {
    let appended = crate::ledger::import_seed(&mut ledger)?;
    if ledger.len() != crate::seed::EVENTS as u64 {
        return Err(Error::internal(format!(
            "the default ledger {} holds {} events after seeding; the bundled files hold {}",
            path.display(),
            ledger.len(),
            crate::seed::EVENTS
        )));
    }
    let how = if created {
        format!("created {} and seeded it", path.display())
    } else {
        format!("{} was empty: seeded it", path.display())
    };
    eprintln!("podium: {how} with {} bundled events", appended.new);
    Ok(ledger)
}

/// The read model of the ledger the command names, current with its log's
/// last commit: opened alone (no wait for a writer at work) when it is, else
/// through the `Ledger`, which brings it up to date first (and creates the
/// default ledger on first use).
///
/// # Errors
/// As `open_ledger` when the model is not current.
pub(super) fn model(explicit: Option<&Path>) -> Result<Model> {
    if let Some(model) = crate::query::current_model(&ledger_path(explicit)?)? {
        // An empty default ledger goes through `open_ledger`, which seeds it.
        let empty_default = explicit.is_none() && model.state()?.0.is_none_or(|h| h.seq == 0);
        if !empty_default {
            return Ok(model);
        }
    }
    match open_ledger(explicit, false) {
        Ok(ledger) => Ok(ledger.model().clone()),
        Err(e) if matches!(e.kind(), ErrorKind::DiskFull(_)) => committed_model(explicit, e),
        Err(e) => Err(e),
    }
}

/// On a full disk the log cannot be opened (sled writes when it opens), so
/// a model left with a writer's intent cannot be brought up to date. Its
/// head is still a commit of the log: answer from it, saying it may be
/// behind; without one, the disk-full error stands.
fn committed_model(explicit: Option<&Path>, full: Error) -> Result<Model> {
    let Some(model) = Model::open(&ledger_path(explicit)?)? else {
        return Err(full);
    };
    let Some(head) = model.state()?.0.filter(|h| h.seq > 0) else {
        return Err(full);
    };
    eprintln!(
        "podium: the disk is full, so the log cannot be opened: answering from the read model at \
         seq {}, which may be behind the log",
        head.seq
    );
    Ok(model)
}

/// Rebuilds the read model of the ledger the command names from its log,
/// after a query found it `damaged`; says so on stderr.
///
/// # Errors
/// As `open_ledger`; storage failures of the rebuild.
pub(super) fn rebuild_model(explicit: Option<&Path>, damaged: &Error) -> Result<()> {
    let mut ledger = open_ledger(explicit, false)?;
    let events = ledger.rebuild_model()?;
    eprintln!("podium: {damaged}; rebuilt it from the log ({events} events)");
    Ok(())
}

/// Rebuilds the read model in a new file, after a model rebuilt in place
/// was still found `damaged`; says so on stderr.
///
/// # Errors
/// As `rebuild_model`.
pub(super) fn replace_model(explicit: Option<&Path>, damaged: &Error) -> Result<()> {
    let ledger = open_ledger(explicit, false)?;
    let (_, events) = ledger.replace_model()?;
    eprintln!("podium: {damaged} again; rebuilt it in a new file from the log ({events} events)");
    Ok(())
}
