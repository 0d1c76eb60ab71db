//! `/api/verify` walks the chain once per head. The first request at a head
//! has a query thread walk the whole log (every other request at that head
//! waits for the same walk, holding no thread); the walk keeps the first 8
//! bytes of every link (8 bytes an event), so a digest asked later, right or
//! wrong, is answered from them: a prefix that matches is confirmed against
//! the link the log holds at that seq. The answer is what
//! `podium verify --format json [--digest HEX]` prints.

use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::state::Shared;
use crate::answer::{print_verified, Format};
use crate::error::{Error, Result};
use crate::log::{not_a_link, LogReader, Verified};
use crate::record::codec::HASH_BYTES;
use crate::record::Head;

/// The chain as walked at one head.
struct Chain {
    verified: Verified,
    /// The first 8 bytes of the link of seq `i + 1`, at `i`.
    prefixes: Vec<u64>,
}

/// The walk at one head, done once by whoever asks first.
type Walk = Arc<OnceCell<Arc<Chain>>>;

/// The walk at the latest head asked about.
#[derive(Default)]
pub(super) struct Verifications {
    latest: Mutex<Option<(u64, Walk)>>,
}

impl Verifications {
    /// The walk at the head of `log`: shared with every request at that head.
    fn at(&self, seq: u64) -> Walk {
        let mut latest = self.latest.lock().unwrap_or_else(|p| p.into_inner());
        match &*latest {
            Some((at, cell)) if *at == seq => Arc::clone(cell),
            _ => {
                let cell = Arc::new(OnceCell::new());
                *latest = Some((seq, Arc::clone(&cell)));
                cell
            }
        }
    }
}

/// `verify --format FORMAT [--digest HEX]` at the last commit; `digest` is
/// 64 hex characters (the command line checks any other first).
///
/// # Errors
/// The walk's (`Corrupt`), `Refused` for a digest that is no link,
/// `Overloaded` when no query thread is free.
pub(super) async fn answer(
    shared: &Arc<Shared>,
    digest: Option<String>,
    format: Format,
) -> Result<(Vec<u8>, Head)> {
    let log = shared.log();
    let head = log.head();
    let cell = shared.verifications.at(log.head().seq);
    let chain = cell
        .get_or_try_init(|| {
            let log = log.clone();
            async move { shared.pool.run(move || walk(&log)).await?.map(Arc::new) }
        })
        .await?;
    let confirmed = match digest {
        Some(d) => {
            let chain = Arc::clone(chain);
            let d = d.to_ascii_lowercase();
            let found = shared
                .pool
                .run(move || is_link(&log, &chain, &d).map(|found| (found, d)))
                .await??;
            match found {
                (true, d) => Some(d),
                (false, d) => return Err(not_a_link(&d)),
            }
        }
        None => None,
    };
    let mut out = Vec::new();
    print_verified(&chain.verified, confirmed.as_deref(), format, &mut out)?;
    Ok((out, head))
}

fn walk(log: &LogReader) -> Result<Chain> {
    let mut prefixes = Vec::with_capacity(usize::try_from(log.len()).unwrap_or(0));
    let verified = log.verify_chain(|_, link| prefixes.push(prefix(link)))?;
    Ok(Chain { verified, prefixes })
}

fn prefix(link: &[u8; HASH_BYTES]) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&link[..8]);
    u64::from_be_bytes(first)
}

/// Whether `digest` (64 lowercase hex characters) is a link of the chain.
fn is_link(log: &LogReader, chain: &Chain, digest: &str) -> Result<bool> {
    let mut link = [0u8; HASH_BYTES];
    for (i, byte) in link.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&digest[2 * i..2 * i + 2], 16)
            .map_err(|_| Error::invalid(format!("digest {digest:?} is not hex")))?;
    }
    let wanted = prefix(&link);
    for (i, _) in chain
        .prefixes
        .iter()
        .enumerate()
        .filter(|(_, p)| **p == wanted)
    {
        if log.link_at(i as u64 + 1)? == Some(link) {
            return Ok(true);
        }
    }
    Ok(false)
}
