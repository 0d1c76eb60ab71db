//! `podium follow URL`: a follower of a podium server's log. It streams the
//! events (`/api/events/stream`), recomputes the hash chain from each one
//! (`follow::Chain`), writes them as JSON Lines, and resumes with
//! `Last-Event-ID` when the connection drops.

use std::io::{BufRead, BufReader, Write};
use std::time::Duration;

use crate::answer::out_err;
use crate::error::{Error, Result};
use crate::follow::Chain;

/// Reconnections in a row without an event before giving up.
const RETRIES_MAX: u32 = 5;

fn http_error(url: &str, e: ureq::Error) -> Error {
    Error::invalid(format!("{url}: {e}"))
}

fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The chain just before `from`: from the log's start, or resumed from the
/// link the server gives for `from - 1`.
fn chain_before(base: &str, from: u64) -> Result<Chain> {
    if from <= 1 {
        return Ok(Chain::new());
    }
    let url = format!("{base}/api/events?from={}&limit=1", from - 1);
    let text = ureq::get(&url)
        .call()
        .map_err(|e| http_error(&url, e))?
        .into_body()
        .read_to_string()
        .map_err(|e| http_error(&url, e))?;
    let line: serde_json::Value = serde_json::from_str(text.lines().next().unwrap_or_default())
        .map_err(|_| Error::invalid(format!("{url}: seq {} is not served", from - 1)))?;
    Chain::resume(from - 1, line["link"].as_str().unwrap_or_default())
}

/// `podium follow URL [--from SEQ] [--once]`.
pub(super) fn follow(url: &str, from: u64, once: bool, out: &mut impl Write) -> Result<()> {
    let base = url.trim_end_matches('/');
    let mut chain = chain_before(base, from.max(1))?;
    let mut target: Option<(u64, String)> = None;
    let mut retries = 0;
    loop {
        let url = format!("{base}/api/events/stream?from={}", chain.seq() + 1);
        let mut request = ureq::get(&url);
        if chain.seq() > 0 {
            request = request.header("Last-Event-ID", chain.seq().to_string());
        }
        let response = match request.call() {
            Ok(r) => r,
            Err(e) if retries < RETRIES_MAX && target.is_some() => {
                eprintln!("podium: {url}: {e}; reconnecting");
                retries += 1;
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
            Err(e) => return Err(http_error(&url, e)),
        };
        if target.is_none() {
            let seq = header(&response, "x-podium-seq").and_then(|s| s.parse().ok());
            let digest = header(&response, "x-podium-digest");
            match (seq, digest) {
                (Some(seq), Some(digest)) => target = Some((seq, digest)),
                _ => return Err(Error::invalid(format!("{url}: not a podium event stream"))),
            }
        }
        let (target_seq, target_digest) = target.clone().expect("set above");
        if once && chain.seq() >= target_seq {
            return finish(&chain, target_seq, &target_digest);
        }
        let reader = BufReader::new(response.into_body().into_reader());
        let mut event_kind = String::new();
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if let Some(kind) = line.strip_prefix("event:") {
                event_kind = kind.trim().to_owned();
            } else if let Some(data) = line.strip_prefix("data:") {
                if event_kind == "error" {
                    return Err(Error::invalid(format!(
                        "{url}: the server failed: {}",
                        data.trim()
                    )));
                }
                let (_, export) = chain.accept(data.trim())?;
                writeln!(out, "{export}").map_err(out_err)?;
                retries = 0;
                if once && chain.seq() >= target_seq {
                    out.flush().map_err(out_err)?;
                    return finish(&chain, target_seq, &target_digest);
                }
            } else if line.is_empty() {
                event_kind.clear();
            }
        }
        out.flush().map_err(out_err)?;
        if retries >= RETRIES_MAX {
            return Err(Error::invalid(format!("{url}: the stream keeps closing")));
        }
        retries += 1;
        eprintln!(
            "podium: {url}: the stream closed after seq {}; reconnecting",
            chain.seq()
        );
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// `--once`: the chain recomputed up to the served head must end at its digest.
fn finish(chain: &Chain, seq: u64, digest: &str) -> Result<()> {
    if chain.seq() == seq && chain.digest() == digest {
        eprintln!("podium: followed to seq {seq}: the recomputed chain ends at the served digest {digest}");
        Ok(())
    } else {
        Err(Error::corrupt(format!(
            "the recomputed chain ends at seq {} with digest {}, but the server served seq {seq} with digest {digest}",
            chain.seq(),
            chain.digest()
        )))
    }
}
