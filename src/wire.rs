//! Variable-length integers as bincode's standard configuration writes them,
//! read and written by hand where speed matters: peeking at log records
//! (`log::codec::peek_record`) and the read model's compact values
//! (`model::codec`). An unsigned integer is one byte below 251, or 251, 252,
//! 253 followed by 2, 4, 8 little-endian bytes; a signed one is zigzag-encoded
//! first; bytes and strings are their length, then themselves.
//!
//! Reading never panics and never reads past the end: every shortfall is an
//! error the caller names (`Short`).

/// The input ended, or held a tag no writer here produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Short;

/// Reads from a byte slice, front to back.
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { rest: bytes }
    }

    /// What is left to read.
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Short> {
        if self.rest.len() < n {
            return Err(Short);
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(taken)
    }

    pub fn byte(&mut self) -> Result<u8, Short> {
        Ok(self.take(1)?[0])
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], Short> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }

    pub fn varint(&mut self) -> Result<u64, Short> {
        let le = |b: &[u8]| {
            let mut v = [0u8; 8];
            v[..b.len()].copy_from_slice(b);
            u64::from_le_bytes(v)
        };
        Ok(match self.byte()? {
            b @ 0..=250 => u64::from(b),
            251 => le(self.take(2)?),
            252 => le(self.take(4)?),
            253 => le(self.take(8)?),
            _ => return Err(Short),
        })
    }

    pub fn zigzag(&mut self) -> Result<i64, Short> {
        let v = self.varint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    /// A length, then that many bytes.
    pub fn bytes(&mut self) -> Result<&'a [u8], Short> {
        let len = usize::try_from(self.varint()?).map_err(|_| Short)?;
        self.take(len)
    }
}

/// Appends `v` as a variable-length unsigned integer.
pub fn put_varint(out: &mut Vec<u8>, v: u64) {
    if v < 251 {
        out.push(v as u8);
    } else if v <= u64::from(u16::MAX) {
        out.push(251);
        out.extend_from_slice(&(v as u16).to_le_bytes());
    } else if v <= u64::from(u32::MAX) {
        out.push(252);
        out.extend_from_slice(&(v as u32).to_le_bytes());
    } else {
        out.push(253);
        out.extend_from_slice(&v.to_le_bytes());
    }
}

/// Appends `v` zigzag-encoded as a variable-length integer.
pub fn put_zigzag(out: &mut Vec<u8>, v: i64) {
    put_varint(out, ((v << 1) ^ (v >> 63)) as u64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip_as_bincode_writes_them() {
        let config = bincode::config::standard();
        for v in [
            0u64,
            1,
            250,
            251,
            255,
            65_535,
            65_536,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut ours = Vec::new();
            put_varint(&mut ours, v);
            assert_eq!(ours, bincode::encode_to_vec(v, config).unwrap(), "{v}");
            assert_eq!(Reader::new(&ours).varint(), Ok(v));
        }
        for v in [
            0i64,
            -1,
            1,
            -64,
            1_722_880_000,
            -2_000_000_000,
            i64::MIN,
            i64::MAX,
        ] {
            let mut ours = Vec::new();
            put_zigzag(&mut ours, v);
            assert_eq!(ours, bincode::encode_to_vec(v, config).unwrap(), "{v}");
            assert_eq!(Reader::new(&ours).zigzag(), Ok(v));
        }
    }

    #[test]
    fn a_short_input_is_an_error() {
        for bytes in [&[][..], &[251, 1], &[252, 1, 2, 3], &[254], &[3, b'a']] {
            let mut r = Reader::new(bytes);
            assert_eq!(r.varint().and_then(|_| r.bytes().map(|_| 0)), Err(Short));
        }
    }
}
