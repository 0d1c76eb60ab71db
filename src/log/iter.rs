//! Reading the committed log in order. Every read checks what the append
//! asserted when it wrote (the paired assertion): seq contiguity, each
//! record's hash link, and that each record decodes and is valid.

use super::codec::{self, HASH_BYTES};
use super::{seq_of, storage, Ledger};
use crate::error::{Error, Result};
use crate::event::Recorded;

/// One block of the log as read: its records, with their bytes as stored
/// when asked for (empty otherwise).
pub(super) type Block = Vec<(Recorded, Vec<u8>)>;

/// Iterator over the committed log's blocks in seq order.
pub(super) struct Blocks<'a> {
    inner: sled::Iter,
    last: u64,
    /// The seq the next block must start at.
    expected: u64,
    /// The hash link of the last record read.
    previous: Option<[u8; HASH_BYTES]>,
    keep_bytes: bool,
    failed: bool,
    /// The tree `inner` reads, for `get`.
    log: sled::Tree,
    /// Borrows the ledger's trees (not the whole `Ledger`, which is not
    /// `Sync`), so the iterator can be sent to a reading thread.
    _ledger: std::marker::PhantomData<&'a sled::Tree>,
}

impl Blocks<'_> {
    fn read(&mut self, key: &[u8], value: &[u8]) -> Result<Option<Block>> {
        let first = seq_of(key)?;
        if first > self.last {
            return Ok(None);
        }
        if first != self.expected {
            return Err(
                Error::corrupt(format!("seq {} is missing", self.expected)).at_seq(self.expected)
            );
        }
        let entries = codec::split_block(value).map_err(|e| e.at_seq(first))?;
        self.expected = first + entries.len() as u64;
        let mut out = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let seq = first + i as u64;
            if let Some(previous) = self.previous {
                if codec::link(&previous, entry.record) != entry.hash {
                    return Err(Error::corrupt("hash chain is broken").at_seq(seq));
                }
            }
            self.previous = Some(entry.hash);
            let r = codec::decode_record(entry.record).map_err(|e| e.at_seq(seq))?;
            if r.seq != seq {
                return Err(Error::corrupt(format!("record holds seq {}", r.seq)).at_seq(seq));
            }
            let bytes = if self.keep_bytes {
                entry.record.to_vec()
            } else {
                Vec::new()
            };
            out.push((r, bytes));
        }
        Ok(Some(out))
    }
}

impl Iterator for Blocks<'_> {
    type Item = Result<Block>;

    fn next(&mut self) -> Option<Result<Block>> {
        if self.failed {
            return None;
        }
        let read = match self.inner.next()? {
            Ok((key, value)) => {
                // sled 0.34.7's iterators page blocks in without telling its
                // cache, which then never evicts them: a scan of 10 M events kept
                // 0.9 GB. Getting the key just read registers the page (it is in
                // memory, so this is cheap), and the cache bounds what stays.
                match self.log.get(&key) {
                    Ok(_) => self.read(&key, &value),
                    Err(e) => Err(storage(e)),
                }
            }
            Err(e) => Err(storage(e)),
        };
        match read {
            Ok(Some(block)) => Some(Ok(block)),
            Ok(None) => None,
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// Iterator over committed records in seq order.
pub struct LogIter<'a> {
    blocks: Blocks<'a>,
    buffered: std::vec::IntoIter<(Recorded, Vec<u8>)>,
    from: u64,
}

impl Iterator for LogIter<'_> {
    type Item = Result<Recorded>;

    fn next(&mut self) -> Option<Result<Recorded>> {
        loop {
            if let Some((r, _)) = self.buffered.next() {
                if r.seq < self.from {
                    continue;
                }
                return Some(Ok(r));
            }
            match self.blocks.next()? {
                Ok(block) => self.buffered = block.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl Ledger {
    /// The committed event at `seq`.
    ///
    /// # Errors
    /// `Corrupt` when the record does not decode.
    pub fn get(&self, seq: u64) -> Result<Option<Recorded>> {
        if seq == 0 || seq > self.head.seq {
            return Ok(None);
        }
        self.get_any(seq)
    }

    /// The event at `seq`, committed or written by the append under way.
    pub(super) fn get_any(&self, seq: u64) -> Result<Option<Recorded>> {
        let Some(item) = self.log.range(..=seq.to_be_bytes()).next_back() else {
            return Ok(None);
        };
        let (key, value) = item.map_err(storage)?;
        let first = seq_of(&key)?;
        let entries = codec::split_block(&value).map_err(|e| e.at_seq(seq))?;
        let Some(entry) = entries.get((seq - first) as usize) else {
            return Ok(None);
        };
        let r = codec::decode_record(entry.record).map_err(|e| e.at_seq(seq))?;
        if r.seq != seq {
            return Err(Error::corrupt(format!("record holds seq {}", r.seq)).at_seq(seq));
        }
        Ok(Some(r))
    }

    /// The hash link the log holds for `seq` (0: the chain's start).
    ///
    /// # Errors
    /// `Corrupt` when the block does not split.
    pub(super) fn link_at(&self, seq: u64) -> Result<Option<[u8; HASH_BYTES]>> {
        if seq == 0 {
            return Ok(Some([0; HASH_BYTES]));
        }
        let Some(item) = self.log.range(..=seq.to_be_bytes()).next_back() else {
            return Ok(None);
        };
        let (key, value) = item.map_err(storage)?;
        let first = seq_of(&key)?;
        let entries = codec::split_block(&value).map_err(|e| e.at_seq(seq))?;
        Ok(entries.get((seq - first) as usize).map(|e| e.hash))
    }

    /// The committed blocks in order, from the one holding `from` on.
    pub(super) fn blocks_from(&self, from: u64, keep_bytes: bool) -> Blocks<'_> {
        let start_key = match self.log.range(..=from.max(1).to_be_bytes()).next_back() {
            Some(Ok((k, _))) => seq_of(&k).unwrap_or(1),
            _ => 1,
        };
        // The link before the first block read, so every record read is
        // checked against the hash chain (the paired assertion of the append).
        let previous = if start_key <= 1 {
            Some([0; HASH_BYTES])
        } else {
            match self.log.range(..start_key.to_be_bytes()).next_back() {
                Some(Ok((_, value))) => codec::split_block(&value)
                    .ok()
                    .and_then(|entries| entries.last().map(|e| e.hash)),
                _ => None,
            }
        };
        Blocks {
            inner: self.log.range(start_key.to_be_bytes()..),
            log: self.log.clone(),
            last: self.head.seq,
            expected: start_key,
            previous,
            keep_bytes,
            failed: false,
            _ledger: std::marker::PhantomData,
        }
    }

    /// Iterates over the committed log in seq order, from `from` on.
    pub fn iter_from(&self, from: u64) -> LogIter<'_> {
        LogIter {
            blocks: self.blocks_from(from, false),
            buffered: Vec::new().into_iter(),
            from: from.max(1),
        }
    }

    /// Iterates over the whole committed log in seq order.
    pub fn iter(&self) -> LogIter<'_> {
        self.iter_from(1)
    }
}
