//! Reading the committed log without holding the `Log`: a `LogReader` is
//! the log's trees and a committed head, cheap to clone and safe to share
//! between threads. It reads up to its head and never beyond, so a reader
//! taken before an append answers as the log stood then, whatever is being
//! written; the `Log` reads through its own (`Deref`), which moves with
//! each commit.

use std::ops::{Deref, DerefMut};

use super::{Head, Log};

/// The committed log up to `head`, for reading (`iter`, `get`, `find`,
/// `verify`).
#[derive(Clone)]
pub struct LogReader {
    pub(super) log: sled::Tree,
    pub(super) ids: sled::Tree,
    /// Ids of blocks whose ids ascend above every id indexed before them
    /// (time-ordered UUID v7): one key per block instead of one per event.
    pub(super) id_runs: sled::Tree,
    pub(super) head: Head,
}

impl LogReader {
    /// The committed head this reader reads up to.
    pub fn head(&self) -> Head {
        self.head
    }

    /// Number of committed events.
    pub fn len(&self) -> u64 {
        self.head.seq
    }

    pub fn is_empty(&self) -> bool {
        self.head.seq == 0
    }
}

/// A log reads as its own reader, whose head is the committed
/// head (moved by `append_all` after each commit).
impl Deref for Log {
    type Target = LogReader;

    fn deref(&self) -> &LogReader {
        &self.reader
    }
}

impl DerefMut for Log {
    fn deref_mut(&mut self) -> &mut LogReader {
        &mut self.reader
    }
}
