//! The stored record: the versioned envelope each event is written in
//! (`codec`, the only code that knows bincode), the hash link that chains
//! records, and the head of a chain. The log writes records and the read
//! model keeps copies of them; both read them through here, and neither
//! knows the other.

pub mod codec;

use jiff::Timestamp;

use crate::error::{Error, Result};
use codec::HASH_BYTES;

/// The committed end of the log.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Head {
    pub seq: u64,
    pub hash: [u8; HASH_BYTES],
    pub recorded: Option<Timestamp>,
}

impl Head {
    pub const EMPTY: Head = Head {
        seq: 0,
        hash: [0; HASH_BYTES],
        recorded: None,
    };

    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(8 + HASH_BYTES + 12);
        v.extend_from_slice(&self.seq.to_be_bytes());
        v.extend_from_slice(&self.hash);
        if let Some(t) = self.recorded {
            v.extend_from_slice(&t.as_second().to_be_bytes());
            v.extend_from_slice(&t.subsec_nanosecond().to_be_bytes());
        }
        v
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<Head> {
        let bad = || Error::corrupt("ledger head does not decode");
        if bytes.len() != 8 + HASH_BYTES && bytes.len() != 8 + HASH_BYTES + 12 {
            return Err(bad());
        }
        let seq = u64::from_be_bytes(bytes[..8].try_into().map_err(|_| bad())?);
        let hash = bytes[8..8 + HASH_BYTES].try_into().map_err(|_| bad())?;
        let recorded = if bytes.len() > 8 + HASH_BYTES {
            let t = &bytes[8 + HASH_BYTES..];
            let s = i64::from_be_bytes(t[..8].try_into().map_err(|_| bad())?);
            let ns = i32::from_be_bytes(t[8..].try_into().map_err(|_| bad())?);
            Some(Timestamp::new(s, ns).map_err(|_| bad())?)
        } else {
            None
        };
        Ok(Head {
            seq,
            hash,
            recorded,
        })
    }

    /// The head digest as 64 hex characters.
    pub fn digest(&self) -> String {
        hex(&self.hash)
    }
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
