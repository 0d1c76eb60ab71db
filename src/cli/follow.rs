//! `podium follow URL`: a follower of a podium server's log. It streams the
//! events (`/api/events/stream`), recomputes the hash chain from each one
//! (`follow::Chain`), writes them as JSON Lines, and resumes with
//! `Last-Event-ID` when the connection drops. Over http:// or https:// (the
//! client's rustls, `--ca-cert`), with the token of `--token-file` for a
//! private server.

use std::io::Write;
use std::ops::ControlFlow;
use std::time::Duration;

use crate::answer::out_err;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::follow::Chain;
use crate::jsonl::LINE_BYTES_MAX;

/// Reconnections in a row without an event before giving up.
const RETRIES_MAX: u32 = 5;
/// The longest line of a stream: an event's line, its link and the SSE field.
const STREAM_LINE_BYTES_MAX: usize = LINE_BYTES_MAX + 1024;

/// The chain just before `from`: from the log's start, or resumed from the
/// link the server gives for `from - 1`.
fn chain_before(client: &Client, from: u64) -> Result<Chain> {
    if from <= 1 {
        return Ok(Chain::new());
    }
    let path = format!("/api/events?from={}&limit=1", from - 1);
    let text = String::from_utf8(client.get(&path, &[])?.bytes()?)
        .map_err(|_| Error::invalid(format!("{}{path}: not UTF-8", client.endpoint())))?;
    let line: serde_json::Value = serde_json::from_str(text.lines().next().unwrap_or_default())
        .map_err(|_| {
            Error::invalid(format!(
                "{}: seq {} is not served",
                client.endpoint(),
                from - 1
            ))
        })?;
    Chain::resume(from - 1, line["link"].as_str().unwrap_or_default())
}

/// `podium follow URL [--from SEQ] [--once]`.
pub(super) fn follow(client: &Client, from: u64, once: bool, out: &mut impl Write) -> Result<()> {
    let mut chain = chain_before(client, from.max(1))?;
    let mut target: Option<(u64, String)> = None;
    let mut retries = 0;
    loop {
        let path = format!("/api/events/stream?from={}", chain.seq() + 1);
        let url = format!("{}{path}", client.endpoint());
        let mut headers = Vec::new();
        if chain.seq() > 0 {
            headers.push(("last-event-id", chain.seq().to_string()));
        }
        let answer = match client.get(&path, &headers) {
            Ok(answer) => answer,
            Err(e) if retries < RETRIES_MAX && target.is_some() => {
                eprintln!("podium: {url}: {e}; reconnecting");
                retries += 1;
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
            Err(e) => return Err(e),
        };
        if target.is_none() {
            let header = |name: &str| {
                answer
                    .headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            let seq = header("x-podium-seq").and_then(|s| s.parse().ok());
            match (seq, header("x-podium-digest")) {
                (Some(seq), Some(digest)) => target = Some((seq, digest)),
                _ => return Err(Error::invalid(format!("{url}: not a podium event stream"))),
            }
        }
        let (target_seq, target_digest) = target.clone().expect("set above");
        if once && chain.seq() >= target_seq {
            return finish(&chain, target_seq, &target_digest);
        }
        let mut event_kind = String::new();
        let mut done = false;
        // A chain that does not hold, a server's error or an output that
        // cannot be written ends the follower; a stream that breaks is resumed.
        let mut fatal: Option<Error> = None;
        let mut line_in = |line: &str| -> Result<bool> {
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
                    done = true;
                    return Ok(false);
                }
            } else if line.is_empty() {
                event_kind.clear();
            }
            Ok(true)
        };
        let _ = answer.each_line(STREAM_LINE_BYTES_MAX, |line| match line_in(line) {
            Ok(true) => Ok(ControlFlow::Continue(())),
            Ok(false) => Ok(ControlFlow::Break(())),
            Err(e) => {
                fatal = Some(e);
                Ok(ControlFlow::Break(()))
            }
        });
        out.flush().map_err(out_err)?;
        if let Some(e) = fatal {
            return Err(e);
        }
        if done {
            return finish(&chain, target_seq, &target_digest);
        }
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
