//! Checking LMDB's data file before it is mapped. LMDB reads its map
//! directly: a file shorter than its meta page says (a truncated model)
//! faults with SIGBUS on the first read past its end, before any check can
//! run. The two meta pages are read with ordinary reads and the file's
//! length compared with the last page the newer one names; a file that
//! fails is `Damaged`, and the model is rebuilt from the log.
//!
//! The meta page (lmdb.h, `MDB_meta`, 64-bit): a 16-byte page header, then
//! the magic (u32) at 16, the version (u32), the map's address and size
//! (8 bytes each), two `MDB_db` of 48 bytes from 40 (the first one's first
//! u32 is the page size), the last page number at 136 and the transaction
//! id at 144. The second meta page begins one page in.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

const MAGIC: u32 = 0xBEEF_C0DE;
const MAGIC_AT: usize = 16;
const PAGE_SIZE_AT: usize = 40;
const LAST_PAGE_AT: usize = 136;
const TXN_AT: usize = 144;
const META_BYTES: usize = 152;
/// Page sizes LMDB may use.
const PAGE_MIN: u64 = 512;
const PAGE_MAX: u64 = 65_536;

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

/// Checks that `file` (a model's `data.mdb`) holds every page its newer
/// meta page names. A missing or empty file passes: LMDB creates it.
///
/// # Errors
/// `Damaged` when it does not; `Io` when it cannot be read.
pub(super) fn check_map(file: &Path) -> Result<()> {
    let damaged = |what: &str| Error::damaged(format!("{}: {what}", file.display()));
    let mut f = match std::fs::File::open(file) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(file, e)),
    };
    let len = f.metadata().map_err(|e| Error::io(file, e))?.len();
    if len == 0 {
        return Ok(());
    }
    let mut first = vec![0u8; META_BYTES];
    f.read_exact(&mut first)
        .map_err(|_| damaged("shorter than its meta page"))?;
    if u32_at(&first, MAGIC_AT) != MAGIC {
        return Err(damaged("the first meta page is not LMDB's"));
    }
    let page = u64::from(u32_at(&first, PAGE_SIZE_AT));
    if !(PAGE_MIN..=PAGE_MAX).contains(&page) || !page.is_power_of_two() {
        return Err(damaged("the page size is not one LMDB uses"));
    }
    let mut metas = vec![first];
    let mut second = vec![0u8; META_BYTES];
    std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(page))
        .and_then(|_| f.read_exact(&mut second))
        .map_err(|_| damaged("shorter than its two meta pages"))?;
    if u32_at(&second, MAGIC_AT) == MAGIC {
        metas.push(second);
    }
    let newest = metas
        .iter()
        .max_by_key(|m| u64_at(m, TXN_AT))
        .expect("one meta at least");
    let last = u64_at(newest, LAST_PAGE_AT);
    let needed = last
        .checked_add(1)
        .and_then(|pages| pages.checked_mul(page))
        .ok_or_else(|| damaged("the last page is out of range"))?;
    if len < needed {
        return Err(damaged(&format!(
            "{len} bytes, but its pages run to {needed}"
        )));
    }
    Ok(())
}
