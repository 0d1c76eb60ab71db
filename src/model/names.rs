//! The name index: who won what, found without reading every award.
//!
//! - `name_blooms`: (games index, seq) -> a Bloom filter of the words of the
//!   athletes' names in that chunk of the games' medal records (the chunk of
//!   `records` under the same key). A question about a name reads the
//!   filters (a few bytes per chunk), and peeks only at the chunks whose
//!   filter holds every word asked for. A filter never misses a word it was
//!   given; it may hold one it was not (about 1 in 100), which costs a peek.
//! - `revocations`: award seq -> the seq of its revocation and the games
//!   index, so an athlete's revoked medals are found without a scan.
//!
//! Why filters rather than a word -> awards index: a word index holds an
//! entry per word of every athlete of every award (about four per award);
//! with names that rarely repeat (the synthetic worlds of the benchmarks) it
//! would grow the model by a third and slow every import. A filter per chunk
//! costs about 1.5 bytes per name.
//!
//! The hashes are CRC-32 (two seeds), fixed forever: the filters are on
//! disk, and a different hash would make them miss. Entries beyond the head
//! (an append that failed) are never trusted: a revocation is checked
//! against the record it points at, and a filter only chooses what to peek.

use super::codec;
use super::read::View;
use super::storage;
use crate::error::{Error, Result};
use crate::event::{Kind, Recorded};
use crate::people::name_words;
use crate::record::codec::{self as record_codec, PeekBody};

/// Bits of a filter per word it holds, and its hashes per word: about 1%
/// of words not in a chunk seem to be.
const BITS_PER_WORD: usize = 10;
const HASHES: u32 = 4;
/// The second hash's seed.
const SEED: u32 = 0x9e37_79b9;

/// A Bloom filter of words, as stored: 64-bit little-endian words of bits.
pub(super) struct Bloom {
    bits: Vec<u64>,
}

impl Bloom {
    /// A filter for `words` words.
    pub(super) fn for_words(words: usize) -> Bloom {
        let bits = (words.max(1) * BITS_PER_WORD).div_ceil(64);
        Bloom {
            bits: vec![0; bits],
        }
    }

    pub(super) fn insert(&mut self, word: &str) {
        let m = self.bits.len() as u64 * 64;
        for bit in positions(word, m) {
            self.bits[(bit / 64) as usize] |= 1 << (bit % 64);
        }
    }

    pub(super) fn to_bytes(&self) -> Vec<u8> {
        self.bits.iter().flat_map(|w| w.to_le_bytes()).collect()
    }
}

/// Whether the stored filter `bytes` may hold `word`.
fn holds(bytes: &[u8], word: &str) -> Result<bool> {
    if bytes.is_empty() || !bytes.len().is_multiple_of(8) {
        return Err(Error::damaged("a name filter is not whole 64-bit words"));
    }
    let m = bytes.len() as u64 * 8;
    Ok(positions(word, m).all(|bit| bytes[(bit / 8) as usize] & (1 << (bit % 8)) != 0))
}

/// The bits of `word` in a filter of `m` bits (double hashing).
fn positions(word: &str, m: u64) -> impl Iterator<Item = u64> {
    let h1 = u64::from(crc32fast::hash(word.as_bytes()));
    let mut second = crc32fast::Hasher::new_with_initial(SEED);
    second.update(word.as_bytes());
    let h2 = u64::from(second.finalize()) | 1;
    (0..u64::from(HASHES)).map(move |i| h1.wrapping_add(i.wrapping_mul(h2)) % m)
}

/// The folded words of an award's athletes, peeked from its record.
pub(super) fn award_words(record: &[u8]) -> Result<Vec<String>> {
    let peek = record_codec::peek_record(record)?;
    let mut words = Vec::new();
    if let PeekBody::Awarded { athletes, .. } = peek.body {
        for name in athletes.iter() {
            words.extend(name_words(name?));
        }
    }
    Ok(words)
}

/// A revocation as the `revocations` database stores it.
pub(super) fn revocation_value(seq: u64, games: u32) -> [u8; 12] {
    let mut value = [0u8; 12];
    value[..8].copy_from_slice(&seq.to_be_bytes());
    value[8..].copy_from_slice(&games.to_be_bytes());
    value
}

impl View<'_> {
    /// The awards known at the head one of whose athletes may bear every
    /// word of one of `wanted` (each a list of folded words: `name_words`),
    /// and whose athletes `keep` accepts, decoded, in no particular order.
    ///
    /// # Errors
    /// Storage failures; `Damaged` when a filter or record does not decode.
    pub fn awards_naming(
        &self,
        wanted: &[Vec<String>],
        mut keep: impl FnMut(&[&str]) -> bool,
    ) -> Result<Vec<Recorded>> {
        let dbs = self.model().dbs();
        let txn = self.txn();
        let head = self.head_seq();
        let mut found = Vec::new();
        let damaged = |e: Error| Error::damaged(format!("a record: {e}"));
        for item in dbs.name_blooms.iter(txn).map_err(storage)? {
            let (key, bloom) = item.map_err(storage)?;
            self.touch(bloom);
            let mut any = false;
            for words in wanted {
                let mut all = true;
                for w in words {
                    all &= holds(bloom, w)?;
                }
                any |= all && !words.is_empty();
            }
            if !any || codec::split_games_key(key)?.1 > head {
                continue;
            }
            let Some(chunk) = dbs.records.get(txn, key).map_err(storage)? else {
                continue;
            };
            for record in codec::split_records(chunk)? {
                let peek = record_codec::peek_record(record).map_err(damaged)?;
                let PeekBody::Awarded { athletes, .. } = peek.body else {
                    continue;
                };
                if peek.seq > head {
                    continue;
                }
                let names = athletes
                    .iter()
                    .collect::<Result<Vec<&str>>>()
                    .map_err(damaged)?;
                if keep(&names) {
                    found.push(record_codec::decode_record(record).map_err(damaged)?);
                }
            }
        }
        self.release_pages();
        Ok(found)
    }

    /// The revocation of `award` known at the head, if any.
    ///
    /// # Errors
    /// Storage failures; `Damaged` when a record does not decode.
    pub fn revocation_of(&self, award: &Recorded) -> Result<Option<Recorded>> {
        let dbs = self.model().dbs();
        let txn = self.txn();
        let Some(value) = dbs
            .revocations
            .get(txn, &award.seq.to_be_bytes())
            .map_err(storage)?
        else {
            return Ok(None);
        };
        let (seq, games) = match value {
            [s @ .., g0, g1, g2, g3] if s.len() == 8 => (
                u64::from_be_bytes(s.try_into().expect("8 bytes")),
                u32::from_be_bytes([*g0, *g1, *g2, *g3]),
            ),
            _ => return Err(Error::damaged("a revocation entry is not 12 bytes")),
        };
        if seq > self.head_seq() {
            return Ok(None);
        }
        let key = codec::games_key(games, seq);
        let Some((_, chunk)) = dbs
            .records
            .get_lower_than_or_equal_to(txn, &key)
            .map_err(storage)?
        else {
            return Ok(None);
        };
        for record in codec::split_records(chunk)? {
            let r = record_codec::decode_record(record)
                .map_err(|e| Error::damaged(format!("a record: {e}")))?;
            // An entry a failed append left is never trusted: the record it
            // points at must revoke this award.
            match &r.event.kind {
                Kind::MedalRevoked(rev) if r.seq == seq && rev.award == award.event.id => {
                    return Ok(Some(r))
                }
                _ => {}
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_holds_every_word_it_was_given_and_few_others() {
        let words: Vec<String> = (0..60).map(|i| format!("word{i}")).collect();
        let mut bloom = Bloom::for_words(words.len());
        for w in &words {
            bloom.insert(w);
        }
        let bytes = bloom.to_bytes();
        for w in &words {
            assert!(holds(&bytes, w).unwrap());
        }
        let others = (0..10_000)
            .filter(|i| holds(&bytes, &format!("other{i}")).unwrap())
            .count();
        assert!(others < 400, "{others} of 10,000 words not given seem held");
    }

    #[test]
    fn the_hashes_are_fixed() {
        // Filters are on disk: these positions must never change.
        assert_eq!(crc32fast::hash(b"heydarov"), 0x70d1_0598);
        let bits: Vec<u64> = positions("heydarov", 640).collect();
        assert_eq!(bits, [408, 545, 42, 179]);
    }
}
