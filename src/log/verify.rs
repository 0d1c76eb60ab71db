//! `verify`: the whole log walked and every assertion of the append checked
//! again: seq contiguity, every record decoded and valid, the hash chain
//! recomputed, recorded times never decreasing, and the id index pointing at
//! every record.

use jiff::Timestamp;

use super::index::RUN_ENTRY_BYTES;
use super::{hex, seq_of, storage, LogReader, Verified};
use crate::error::{Error, Result};
use crate::record::codec::{self, HASH_BYTES};

impl LogReader {
    /// Walks the whole log: seq contiguity, every record decoded and valid,
    /// the hash chain recomputed, the id index checked. Returns the count and
    /// head digest. With `digest`, also confirms it is a link of the chain.
    ///
    /// # Errors
    /// `Corrupt`, naming the first bad seq.
    pub fn verify(&self, digest: Option<&str>) -> Result<Verified> {
        let mut found_digest = digest.is_none();
        let verified = self.verify_chain(|_, link| {
            if let Some(d) = digest {
                found_digest |= hex(link).eq_ignore_ascii_case(d);
            }
        })?;
        if !found_digest {
            return Err(not_a_link(digest.unwrap_or_default()));
        }
        Ok(verified)
    }

    /// `verify` without a digest, calling `each_link` with every seq and its
    /// link as the chain is recomputed (a server keeps them, so a digest
    /// asked later needs no second walk).
    ///
    /// # Errors
    /// `Corrupt`, naming the first bad seq.
    pub fn verify_chain(
        &self,
        mut each_link: impl FnMut(u64, &[u8; HASH_BYTES]),
    ) -> Result<Verified> {
        let mut expected = 1u64;
        let mut hash = [0u8; HASH_BYTES];
        let mut last_recorded: Option<Timestamp> = None;
        for item in self.log.iter() {
            let (key, value) = item.map_err(storage)?;
            let first = seq_of(&key)?;
            if first > self.head.seq {
                break;
            }
            if first != expected {
                return Err(Error::corrupt(format!("seq {expected} is missing")).at_seq(expected));
            }
            for (i, entry) in codec::split_block(&value)
                .map_err(|e| e.at_seq(first))?
                .iter()
                .enumerate()
            {
                let seq = first + i as u64;
                let r = codec::decode_record(entry.record).map_err(|e| e.at_seq(seq))?;
                if r.seq != seq {
                    return Err(Error::corrupt(format!("record holds seq {}", r.seq)).at_seq(seq));
                }
                hash = codec::link(&hash, entry.record);
                if hash != entry.hash {
                    return Err(Error::corrupt("hash chain is broken").at_seq(seq));
                }
                if last_recorded.is_some_and(|t| r.recorded < t) {
                    return Err(Error::corrupt("recorded time goes backwards").at_seq(seq));
                }
                last_recorded = Some(r.recorded);
                match self.seq_of_id(&r.event.id)? {
                    Some(s) if s == seq => {}
                    _ => {
                        return Err(Error::corrupt(format!(
                            "id index does not point at this record ({})",
                            r.event.id
                        ))
                        .at_seq(seq))
                    }
                }
                each_link(seq, &hash);
            }
            expected = first + codec::split_block(&value)?.len() as u64;
        }
        if expected != self.head.seq + 1 {
            return Err(Error::corrupt(format!(
                "log ends at seq {} but the head says {}",
                expected - 1,
                self.head.seq
            ))
            .at_seq(expected));
        }
        if hash != self.head.hash {
            return Err(
                Error::corrupt("head digest does not match the chain").at_seq(self.head.seq)
            );
        }
        let mut indexed = self.ids.len() as u64;
        for run in self.id_runs.iter() {
            indexed += (run.map_err(storage)?.1.len() / RUN_ENTRY_BYTES) as u64;
        }
        if indexed != self.head.seq {
            return Err(Error::corrupt(format!(
                "id index holds {indexed} entries for {} events",
                self.head.seq
            )));
        }
        Ok(Verified {
            events: self.head.seq,
            digest: hex(&hash),
        })
    }
}

/// The refusal of a digest that is no link of the chain.
pub fn not_a_link(digest: &str) -> Error {
    Error::refused(format!(
        "digest {digest} is not a link of this ledger's chain"
    ))
}
