//! Telling a full disk from other storage failures. ENOSPC, EDQUOT and
//! EFBIG are `DiskFull` wherever they are converted (`crate::error`), but
//! LMDB reports a write that the disk or the size limit cut short as EIO
//! ("Input/output error"): a failed write of the ledger is read as a full
//! disk when the disk has no room left, or when one of the ledger's files has
//! reached the size this process may write (`RLIMIT_FSIZE`).

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::Ledger;
use crate::error::{Error, ErrorKind};
use crate::model::Model;

/// Below this many free bytes, a failed write is taken for a full disk.
const ROOM_MIN_BYTES: u64 = 1 << 20;

/// The files of a ledger directory that grow: sled's log, LMDB's map.
const GROWING_FILES: [&str; 2] = ["db", "data.mdb"];

impl Ledger {
    /// `e` as `DiskFull` when it is a storage failure of a write that found
    /// no room; otherwise `e` as it is.
    pub(super) fn out_of_room(&self, e: Error) -> Error {
        if !matches!(e.kind(), ErrorKind::Storage(_) | ErrorKind::Io { .. }) {
            return e;
        }
        let files = [
            self.path().join(GROWING_FILES[0]),
            Model::path(self.path()).join(GROWING_FILES[1]),
        ];
        if has_no_room(self.path()) || files.iter().any(|f| at_size_limit(f)) {
            return Error::disk_full(format!("the ledger at {}", self.path().display()));
        }
        e
    }
}

/// Whether the file system of `path` has (almost) no room left for this process.
fn has_no_room(path: &Path) -> bool {
    let Ok(c_path) = CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: a valid C string, and a buffer statvfs fills when it returns 0.
    if unsafe { libc::statvfs(c_path.as_ptr(), stat.as_mut_ptr()) } != 0 {
        return false;
    }
    // SAFETY: statvfs returned 0, so it filled `stat`.
    let stat = unsafe { stat.assume_init() };
    stat.f_bavail.saturating_mul(stat.f_frsize) < ROOM_MIN_BYTES
}

/// Whether `file` has reached the size this process may write (`RLIMIT_FSIZE`).
fn at_size_limit(file: &Path) -> bool {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit fills the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit) } != 0
        || limit.rlim_cur == libc::RLIM_INFINITY
    {
        return false;
    }
    std::fs::metadata(file).is_ok_and(|m| m.len() >= limit.rlim_cur)
}
