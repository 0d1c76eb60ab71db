//! Following a served log (`podium serve`'s `/api/events` and its stream):
//! every line a follower receives is an export line with the event's `link`
//! in the hash chain. `Chain` re-encodes each event exactly as the log stored
//! it, recomputes the link from the one before, and refuses a line whose seq
//! is out of order or whose link differs: a follower that reaches the served
//! digest holds the same events, byte for byte, as the ledger that served
//! them. Nothing here talks to the network.

use crate::error::{Error, Result};
use crate::event::Recorded;
use crate::record::codec::{self, HASH_BYTES};
use crate::record::hex;

/// The hash chain as a follower recomputes it.
#[derive(Clone, Debug)]
pub struct Chain {
    /// The last seq accepted (0: none yet).
    seq: u64,
    /// Its link (zeros before the first event).
    link: [u8; HASH_BYTES],
}

impl Default for Chain {
    fn default() -> Chain {
        Chain::new()
    }
}

impl Chain {
    /// A chain from the log's start.
    pub fn new() -> Chain {
        Chain {
            seq: 0,
            link: [0; HASH_BYTES],
        }
    }

    /// A chain resumed after `seq`, whose link is `link` (64 hex characters).
    ///
    /// # Errors
    /// `Invalid` when `link` is not 64 hex characters.
    pub fn resume(seq: u64, link: &str) -> Result<Chain> {
        Ok(Chain {
            seq,
            link: unhex(link)?,
        })
    }

    /// The last seq accepted.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The recomputed digest: the link of the last seq accepted.
    pub fn digest(&self) -> String {
        hex(&self.link)
    }

    /// Accepts the next line (an export line with `link`): its seq must follow
    /// the last one, and its link must be the one recomputed from the event.
    /// Returns the event and the line without its link (which `podium import`
    /// reads back).
    ///
    /// # Errors
    /// `Parse` or `Invalid` for a line that is not an event; `Corrupt` for a
    /// seq out of order or a link that differs, naming the seq.
    pub fn accept(&mut self, line: &str) -> Result<(Recorded, String)> {
        let mut value: serde_json::Value = serde_json::from_str(line.trim())
            .map_err(|e| Error::invalid(format!("a followed line is not JSON: {e}")))?;
        let object = value
            .as_object_mut()
            .ok_or_else(|| Error::invalid("a followed line is not a JSON object"))?;
        let link = match object.remove("link") {
            Some(serde_json::Value::String(link)) => unhex(&link)?,
            _ => return Err(Error::invalid("a followed line has no `link`")),
        };
        let seq = object
            .get("seq")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| Error::invalid("a followed line has no `seq`"))?;
        if seq != self.seq + 1 {
            return Err(Error::corrupt(format!(
                "seq {seq} follows seq {}; expected seq {}",
                self.seq,
                self.seq + 1
            ))
            .at_seq(seq));
        }
        let export = serde_json::to_string(&value).map_err(|e| Error::internal(e.to_string()))?;
        let incoming = crate::jsonl::parse_line(&export)
            .map_err(|e| e.at_seq(seq))?
            .ok_or_else(|| Error::invalid("a followed line is empty").at_seq(seq))?;
        let recorded = incoming
            .recorded
            .ok_or_else(|| Error::invalid("a followed line has no `recorded`").at_seq(seq))?;
        let r = Recorded {
            seq,
            recorded,
            recorded_by: incoming.recorded_by,
            event: incoming.event,
        };
        let computed = codec::link(&self.link, &codec::encode_record(&r));
        if computed != link {
            return Err(Error::corrupt(format!(
                "link {} differs from the one recomputed from the event, {}",
                hex(&link),
                hex(&computed)
            ))
            .at_seq(seq));
        }
        self.seq = seq;
        self.link = computed;
        Ok((r, export))
    }
}

fn unhex(text: &str) -> Result<[u8; HASH_BYTES]> {
    let bad = || Error::invalid(format!("link {text:?} is not 64 hex characters"));
    if text.len() != 2 * HASH_BYTES || !text.is_ascii() {
        return Err(bad());
    }
    let mut out = [0u8; HASH_BYTES];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(out)
}

/// An export line with its link: what `/api/events` serves for `r`.
///
/// # Errors
/// When the line cannot be written.
pub fn line_with_link(r: &Recorded, link: &[u8; HASH_BYTES]) -> std::io::Result<String> {
    let mut line = Vec::new();
    crate::jsonl::write_recorded(&mut line, r)?;
    let mut line = String::from_utf8(line).map_err(std::io::Error::other)?;
    // The export line is one JSON object and a newline: the link goes last.
    let end = line.trim_end().len() - 1;
    line.truncate(end);
    line.push_str(&format!(",\"link\":\"{}\"}}", hex(link)));
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(seq: u64) -> Recorded {
        let line = format!(
            r#"{{"id":"0b7e7f4e-5c1a-5d43-9a7e-1f0e2d3c4b{seq:02x}","type":"medal_awarded","date":"2024-07-29","recorded":"2024-07-30T10:00:00Z","games":"paris-2024","sport":"Judo","event":"Men -73 kg","medal":"gold","noc":"AZE","athletes":["Hidayat HEYDAROV"]}}"#
        );
        let incoming = crate::jsonl::parse_line(&line).unwrap().unwrap();
        Recorded {
            seq,
            recorded: incoming.recorded.unwrap(),
            recorded_by: None,
            event: incoming.event,
        }
    }

    fn served(n: u64) -> Vec<String> {
        let mut link = [0u8; HASH_BYTES];
        (1..=n)
            .map(|seq| {
                let r = recorded(seq);
                link = codec::link(&link, &codec::encode_record(&r));
                line_with_link(&r, &link).unwrap()
            })
            .collect()
    }

    #[test]
    fn a_follower_recomputes_the_served_chain() {
        let lines = served(3);
        let mut chain = Chain::new();
        for line in &lines {
            chain.accept(line).unwrap();
        }
        assert_eq!(chain.seq(), 3);
        let last: serde_json::Value = serde_json::from_str(&lines[2]).unwrap();
        assert_eq!(chain.digest(), last["link"].as_str().unwrap());
        // Resumed after seq 2 from its link, it accepts seq 3 alone.
        let second: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
        let mut resumed = Chain::resume(2, second["link"].as_str().unwrap()).unwrap();
        resumed.accept(&lines[2]).unwrap();
        assert_eq!(resumed.digest(), chain.digest());
    }

    #[test]
    fn a_changed_event_a_gap_or_a_repeat_is_refused() {
        let lines = served(3);
        let mut chain = Chain::new();
        chain.accept(&lines[0]).unwrap();
        let changed = lines[1].replace("AZE", "AZA");
        let e = chain.clone().accept(&changed).unwrap_err().to_string();
        assert!(e.contains("seq 2") && e.contains("differs"), "{e}");
        let e = chain.clone().accept(&lines[2]).unwrap_err().to_string();
        assert!(e.contains("expected seq 2"), "{e}");
        let e = chain.clone().accept(&lines[0]).unwrap_err().to_string();
        assert!(e.contains("expected seq 2"), "{e}");
    }
}
