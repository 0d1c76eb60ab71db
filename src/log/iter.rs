//! Reading the committed log in order. Every read checks what the append
//! asserted when it wrote (the paired assertion): seq contiguity, each
//! record's hash link, and that each record decodes and is valid.

use super::{seq_of, storage, LogReader};
use crate::error::{Error, Result};
use crate::event::Recorded;
use crate::record::codec::{self, HASH_BYTES};

/// One block of the log as read: its value as sled holds it (shared, not
/// copied) and where each record lies in it, every record's hash link and
/// seq contiguity checked; the records are not decoded.
pub struct RawBlock {
    pub first: u64,
    value: sled::IVec,
    records: Vec<std::ops::Range<usize>>,
    /// Each record's link in the hash chain.
    links: Vec<[u8; HASH_BYTES]>,
}

impl RawBlock {
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The bytes of the `i`-th record.
    pub fn record(&self, i: usize) -> &[u8] {
        &self.value[self.records[i].clone()]
    }

    /// Seqs and bytes of the records, in order.
    pub fn records(&self) -> impl Iterator<Item = (u64, &[u8])> {
        (0..self.len()).map(|i| (self.first + i as u64, self.record(i)))
    }
}

/// Iterator over the committed log's blocks in seq order.
pub struct Blocks<'a> {
    inner: sled::Iter,
    last: u64,
    /// The seq the next block must start at.
    expected: u64,
    /// The hash link of the last record read.
    previous: Option<[u8; HASH_BYTES]>,
    failed: bool,
    /// The tree `inner` reads, for `get`.
    log: sled::Tree,
    /// Borrows the ledger's trees (not the whole `Ledger`, which is not
    /// `Sync`), so the iterator can be sent to a reading thread.
    _ledger: std::marker::PhantomData<&'a sled::Tree>,
}

impl Blocks<'_> {
    fn read(&mut self, key: &[u8], value: sled::IVec) -> Result<Option<RawBlock>> {
        let first = seq_of(key)?;
        if first > self.last {
            return Ok(None);
        }
        if first != self.expected {
            return Err(
                Error::corrupt(format!("seq {} is missing", self.expected)).at_seq(self.expected)
            );
        }
        let entries = codec::split_block(&value).map_err(|e| e.at_seq(first))?;
        self.expected = first + entries.len() as u64;
        let base = value.as_ptr() as usize;
        let mut records = Vec::with_capacity(entries.len());
        let mut links = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let seq = first + i as u64;
            if let Some(previous) = self.previous {
                if codec::link(&previous, entry.record) != entry.hash {
                    return Err(Error::corrupt("hash chain is broken").at_seq(seq));
                }
            }
            self.previous = Some(entry.hash);
            links.push(entry.hash);
            let at = entry.record.as_ptr() as usize - base;
            records.push(at..at + entry.record.len());
        }
        drop(entries);
        Ok(Some(RawBlock {
            first,
            value,
            records,
            links,
        }))
    }
}

impl Iterator for Blocks<'_> {
    type Item = Result<RawBlock>;

    fn next(&mut self) -> Option<Result<RawBlock>> {
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
                    Ok(_) => self.read(&key, value),
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

/// Decodes the record at `seq`, checking that it says it is.
fn decode_checked(seq: u64, bytes: &[u8]) -> Result<Recorded> {
    let r = codec::decode_record(bytes).map_err(|e| e.at_seq(seq))?;
    if r.seq != seq {
        return Err(Error::corrupt(format!("record holds seq {}", r.seq)).at_seq(seq));
    }
    Ok(r)
}

/// Iterator over committed records in seq order: each block's records
/// decoded and re-validated.
pub struct LogIter<'a> {
    blocks: Blocks<'a>,
    buffered: std::vec::IntoIter<Recorded>,
    from: u64,
    failed: bool,
}

impl LogIter<'_> {
    fn decode(&self, block: &RawBlock) -> Result<Vec<Recorded>> {
        let mut out = Vec::with_capacity(block.len());
        for (seq, bytes) in block.records() {
            if seq < self.from {
                continue;
            }
            out.push(decode_checked(seq, bytes)?);
        }
        Ok(out)
    }
}

impl Iterator for LogIter<'_> {
    type Item = Result<Recorded>;

    fn next(&mut self) -> Option<Result<Recorded>> {
        loop {
            if self.failed {
                return None;
            }
            if let Some(r) = self.buffered.next() {
                return Some(Ok(r));
            }
            let decoded = match self.blocks.next()? {
                Ok(block) => self.decode(&block),
                Err(e) => Err(e),
            };
            match decoded {
                Ok(records) => self.buffered = records.into_iter(),
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

impl LogReader {
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

    /// The bytes of the record at `seq`, committed or written by the append
    /// under way (not checked against the hash chain).
    pub fn record_bytes(&self, seq: u64) -> Result<Option<Vec<u8>>> {
        let Some(item) = self.log.range(..=seq.to_be_bytes()).next_back() else {
            return Ok(None);
        };
        let (key, value) = item.map_err(storage)?;
        let first = seq_of(&key)?;
        let entries = codec::split_block(&value).map_err(|e| e.at_seq(seq))?;
        Ok(entries
            .get((seq - first) as usize)
            .map(|e| e.record.to_vec()))
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
    pub fn link_at(&self, seq: u64) -> Result<Option<[u8; HASH_BYTES]>> {
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
    pub fn blocks_from(&self, from: u64) -> Blocks<'_> {
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
            failed: false,
            _ledger: std::marker::PhantomData,
        }
    }

    /// Iterates over the committed log in seq order, from `from` on.
    pub fn iter_from(&self, from: u64) -> LogIter<'_> {
        LogIter {
            blocks: self.blocks_from(from),
            buffered: Vec::new().into_iter(),
            from: from.max(1),
            failed: false,
        }
    }

    /// Iterates over the committed log from `from` on, each record with its
    /// link in the hash chain (what a follower checks).
    pub fn links_from(
        &self,
        from: u64,
    ) -> impl Iterator<Item = Result<(Recorded, [u8; HASH_BYTES])>> + '_ {
        let from = from.max(1);
        let mut blocks = self.blocks_from(from);
        let mut buffered = Vec::new().into_iter();
        let mut failed = false;
        std::iter::from_fn(move || loop {
            if failed {
                return None;
            }
            if let Some(item) = buffered.next() {
                return Some(Ok(item));
            }
            let decoded = blocks.next()?.and_then(|block| {
                let mut out = Vec::with_capacity(block.len());
                for ((seq, bytes), link) in block.records().zip(&block.links) {
                    if seq >= from {
                        out.push((decode_checked(seq, bytes)?, *link));
                    }
                }
                Ok(out)
            });
            match decoded {
                Ok(records) => buffered = records.into_iter(),
                Err(e) => {
                    failed = true;
                    return Some(Err(e));
                }
            }
        })
    }

    /// Iterates over the whole committed log in seq order.
    pub fn iter(&self) -> LogIter<'_> {
        self.iter_from(1)
    }
}
