//! Opening the log's sled database: waiting, within a bound, for another
//! process that holds it, and repairing the one state of a killed process
//! that sled 0.34.7 cannot recover from by itself. Also tells readers,
//! without opening anything, whether a process holds the log.

use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::{BUSY_TIMEOUT_MS, CACHE_BYTES, STORE_FAILED};
use crate::error::{Error, ErrorKind, Result};

/// After this long waiting for the ledger, say so on stderr.
const BUSY_NOTICE_MS: u64 = 500;

/// The file sled locks in a database directory.
const LOCK_FILE: &str = "db";

/// The log's sled database, closed (and flushed) when dropped unless a sled
/// call has failed in this process (`STORE_FAILED`). sled 0.34.7 flushes
/// when its last handle goes, and after a failed write (a full disk) that
/// flush can wait forever for a write that will never finish: seen as an
/// import that never exited. Such a database is left to the process's exit.
/// Nothing is lost: every commit flushes before it is acknowledged. The trees
/// live on in the database's own table, so dropping a tree alone never
/// flushes.
pub(super) struct Db(ManuallyDrop<sled::Db>);

impl Deref for Db {
    type Target = sled::Db;

    fn deref(&self) -> &sled::Db {
        &self.0
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if !STORE_FAILED.load(Ordering::SeqCst) {
            // SAFETY: dropped once, here, and never used again.
            unsafe { ManuallyDrop::drop(&mut self.0) }
        }
    }
}

/// Opens the sled database at `path` (creating it), waiting up to
/// `BUSY_TIMEOUT_MS` for another process to release it.
pub(super) fn open_sled(path: &Path) -> Result<Db> {
    let started = Instant::now();
    // A person waiting is told; a script gets the one line of the error.
    let stderr_is_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut told = false;
    loop {
        discard_torn_snapshots(path)?;
        let config = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_BYTES)
            .mode(sled::Mode::HighThroughput);
        match config.open() {
            Ok(db) => return Ok(Db(ManuallyDrop::new(db))),
            Err(sled::Error::Io(e)) if is_lock_error(&e) => {
                let waited = started.elapsed();
                if waited > Duration::from_millis(BUSY_TIMEOUT_MS) {
                    return Err(Error::new(ErrorKind::Busy(BUSY_TIMEOUT_MS / 1000)));
                }
                if !told && waited > Duration::from_millis(BUSY_NOTICE_MS) && stderr_is_terminal {
                    eprintln!(
                        "podium: waiting for another process using {} (up to {} s)",
                        path.display(),
                        BUSY_TIMEOUT_MS / 1000
                    );
                    told = true;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(sled::Error::Io(e)) => return Err(Error::io(path, e)),
            Err(e) => {
                return Err(Error::new(ErrorKind::Storage(format!(
                    "cannot open ledger at {}: {e}",
                    path.display()
                ))))
            }
        }
    }
}

/// Removes the snapshot files sled was writing when its process died.
///
/// sled 0.34.7 writes a snapshot of its page table to `snap.<lsn>.generating`,
/// syncs it and renames it to `snap.<lsn>`; it does that while opening, after
/// replaying its log. But when it looks for the newest snapshot it does not
/// skip the `.generating` files, which sort after the finished ones: a process
/// killed mid-write leaves a torn file that makes every later open fail with
/// "Read corrupted data" (sled issue #1527). Deleting it puts the directory
/// back in the state of a process killed just before it began that file,
/// which sled recovers from: the previous snapshot plus its log.
///
/// Only done while holding the lock sled itself takes on its `db` file, so a
/// snapshot that a live process is writing is never touched.
fn discard_torn_snapshots(path: &Path) -> Result<()> {
    let torn = |name: &str| {
        name.strip_prefix("snap.")
            .and_then(|rest| rest.strip_suffix(".generating"))
            .is_some_and(|lsn| lsn.len() == 16 && lsn.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(path, e))?;
        if entry.file_name().to_str().is_some_and(torn) {
            found.push(entry.path());
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    let db = path.join(LOCK_FILE);
    let lock = match std::fs::OpenOptions::new().read(true).write(true).open(&db) {
        Ok(f) => f,
        // No data file yet: nothing to recover, and sled starts afresh.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(&db, e)),
    };
    match lock.try_lock() {
        Ok(()) => {}
        // A live process holds the ledger; its open will report it busy.
        Err(std::fs::TryLockError::WouldBlock) => return Ok(()),
        Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&db, e)),
    }
    for file in found {
        std::fs::remove_file(&file).map_err(|e| Error::io(&file, e))?;
    }
    std::fs::File::open(path)
        .and_then(|dir| dir.sync_all())
        .map_err(|e| Error::io(path, e))?;
    // The lock goes with `lock`, before sled takes it again.
    Ok(())
}

fn is_lock_error(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::WouldBlock
        || e.to_string().contains("lock")
        || e.raw_os_error() == Some(11)
}

/// Whether a process holds the log at `ledger` (has it open): a writer, or a
/// command reading the log itself. Asks the lock sled takes, without waiting
/// and without opening the database.
///
/// # Errors
/// When the lock file exists but cannot be opened or asked.
pub fn is_held(ledger: &Path) -> Result<bool> {
    let path = ledger.join(LOCK_FILE);
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(&path, e)),
    };
    match file.try_lock() {
        // Released when `file` is dropped, at once.
        Ok(()) => Ok(false),
        Err(std::fs::TryLockError::WouldBlock) => Ok(true),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

/// Makes what sled has written durable: `fdatasync` of its log file, then,
/// for a ledger this process created, `fsync` of the ledger directory and
/// of its parent, which name the new files (an existing ledger's entries
/// are on disk already; sled never renames its log). sled 0.34.7's `flush` writes with `pwrite` and
/// waits with `sync_file_range` on the written range (Linux, sled issue
/// #1452): the pages reach the device, but neither the file's metadata nor
/// the device's volatile cache are flushed, so a power loss could still
/// lose an acknowledged append. A commit calls this after its flush.
///
/// # Errors
/// `Io` (or `DiskFull`) naming the file that could not be synced.
pub(super) fn sync_durably(ledger: &Path, created: bool) -> Result<()> {
    let db = ledger.join(LOCK_FILE);
    std::fs::File::open(&db)
        .and_then(|f| f.sync_data())
        .map_err(|e| Error::io(&db, e))?;
    if !created {
        return Ok(());
    }
    let parent = ledger.parent().filter(|p| !p.as_os_str().is_empty());
    for dir in std::iter::once(ledger).chain(parent) {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io(dir, e))?;
    }
    Ok(())
}
