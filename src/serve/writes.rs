//! `POST /api/events`: JSON Lines imported exactly as `podium import` imports
//! a file (all or nothing, idempotent by id, one-line errors with the line
//! number), by the one thread that owns the `Ledger`. The body streams to
//! that thread as it arrives, so an import's size is not bounded by memory;
//! a body that ends early (the client went away) fails the import, so
//! nothing of it is committed. Writes need the bearer token; without one
//! configured the server is read-only.

use std::io::{BufRead, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use std::net::SocketAddr;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Extension;
use axum::Router;
use futures_util::StreamExt;
use tokio::sync::{oneshot, watch};

use super::api::{error_response, head_headers};
use super::auth::refusal;
use super::cache::{Answers, Changed};
use super::state::{Reply, Shared};
use super::Peer;
use crate::error::{Error, ErrorKind};
use crate::event::{AthletesEntered, EntrantsPublished, Kind};
use crate::ledger::{Ledger, Recorder};
use crate::log::LogReader;

/// Chunks of a body in flight to the writer.
const CHUNKS_IN_FLIGHT: usize = 16;
/// What import errors call the body: `body:LINE: ...`.
const BODY_NAME: &str = "body";

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/api/events", post(import))
}

/// A piece of a request body, or its end: a body that stops without `End`
/// did not arrive whole.
pub(super) enum Chunk {
    Data(Bytes),
    End,
}

/// Work for the writer thread: an import, or a rebuild of the read model
/// that a query found damaged.
pub(super) enum Job {
    Import {
        body: tokio::sync::mpsc::Receiver<Chunk>,
        /// Who records its events (a token's name, or the owner's).
        recorder: Recorder,
        reply: Reply,
    },
    Rebuild {
        reply: oneshot::Sender<crate::error::Result<u64>>,
    },
}

/// The writer thread: runs each queued job on the ledger and publishes the
/// log as committed after an import. A rebuild is bracketed by
/// `rebuilds` (odd while it runs), so a query that read the model meanwhile
/// knows its answer may come from a half-built model. Ends when the queue
/// closes (the server stopped), closing the ledger.
/// Where the writer tells of a commit: the kept answers first, then readers.
pub(super) struct Outputs<'a> {
    pub published: &'a watch::Sender<LogReader>,
    pub answers: &'a Answers,
    /// Drop every kept answer at every commit (the benchmark's baseline).
    pub forget_on_commit: bool,
}

pub(super) fn write_loop(
    mut ledger: Ledger,
    queue: &mpsc::Receiver<Job>,
    outputs: &Outputs<'_>,
    rebuilds: &AtomicU64,
) {
    while let Ok(job) = queue.recv() {
        match job {
            Job::Import {
                body,
                recorder,
                reply,
            } => {
                ledger.set_recorder(recorder);
                let before = ledger.head().seq;
                let body = std::io::BufReader::with_capacity(1 << 16, BodyReader::new(body));
                let result = crate::ledger::import_reader(&mut ledger, body, Path::new(BODY_NAME));
                if result.as_ref().is_ok_and(|a| a.new > 0) {
                    let reader = ledger.reader();
                    let changed = if outputs.forget_on_commit {
                        Changed {
                            everything: true,
                            ..Changed::default()
                        }
                    } else {
                        changed_since(&reader, before)
                    };
                    // The kept answers learn of the commit before any reader.
                    outputs.answers.commit(reader.head(), &changed);
                    outputs.published.send_replace(reader);
                }
                let _ = reply.send(result.map(|a| (a, ledger.head())));
            }
            Job::Rebuild { reply } => {
                rebuilds.fetch_add(1, Ordering::SeqCst);
                let result = ledger.rebuild_model();
                rebuilds.fetch_add(1, Ordering::SeqCst);
                let _ = reply.send(result);
            }
        }
    }
}

/// Events a commit may hold for the cache to be told which games they
/// touch; a longer commit changes everything as far as it knows.
const CHANGED_EVENTS_MAX: u64 = 10_000;

/// What the events after seq `before` changed: the games of medals awarded,
/// counted or entries published, or everything when any other kind is among
/// them.
fn changed_since(log: &LogReader, before: u64) -> Changed {
    let everything = Changed {
        everything: true,
        ..Changed::default()
    };
    if log.head().seq.saturating_sub(before) > CHANGED_EVENTS_MAX {
        return everything;
    }
    let mut changed = Changed::default();
    for record in log.iter_from(before + 1) {
        match record {
            Ok(r) => match r.event.kind {
                Kind::MedalAwarded(m) => {
                    changed.games.insert(m.games);
                }
                // A games' counts and entries change that games' answers (and
                // those across games), as its medals do.
                Kind::TallyPublished(t) => {
                    changed.games.insert(t.games);
                }
                Kind::AthletesEntered(AthletesEntered { games, .. })
                | Kind::EntrantsPublished(EntrantsPublished { games, .. }) => {
                    changed.games.insert(games);
                }
                _ => return everything,
            },
            Err(_) => return everything,
        }
    }
    changed
}

/// The body as the importer reads it, from the chunks the handler forwards.
struct BodyReader {
    chunks: tokio::sync::mpsc::Receiver<Chunk>,
    current: Bytes,
    ended: bool,
}

impl BodyReader {
    fn new(chunks: tokio::sync::mpsc::Receiver<Chunk>) -> BodyReader {
        BodyReader {
            chunks,
            current: Bytes::new(),
            ended: false,
        }
    }
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for BodyReader {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        while self.current.is_empty() && !self.ended {
            match self.chunks.blocking_recv() {
                Some(Chunk::Data(bytes)) => self.current = bytes,
                Some(Chunk::End) => self.ended = true,
                None => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "the request body ended early",
                    ))
                }
            }
        }
        Ok(&self.current)
    }

    fn consume(&mut self, n: usize) {
        let _ = self.current.split_to(n);
    }
}

/// How a request body was read.
enum Received {
    /// Whole, and forwarded.
    Whole,
    /// Not forwarded whole: the import is rolled back and the client told why.
    Cut(StatusCode, String),
    /// The writer stopped reading it (the import failed): its answer says why.
    Refused,
}

/// The bounds on one request body, from the server's limits.
struct BodyLimits {
    idle: Duration,
    deadline: Instant,
    bytes_max: u64,
}

impl BodyLimits {
    fn of(shared: &Shared) -> BodyLimits {
        let limits = &shared.limits;
        BodyLimits {
            idle: limits.body_idle_timeout,
            deadline: Instant::now() + limits.body_timeout,
            bytes_max: limits.body_bytes_max,
        }
    }

    /// The next piece of `stream`, or why the body is cut: too slow (408),
    /// too long (413) or broken.
    async fn next(
        &self,
        stream: &mut (impl futures_util::Stream<Item = Result<Bytes, axum::Error>> + Unpin),
        read: &mut u64,
    ) -> Result<Option<Bytes>, (StatusCode, String)> {
        let wait = self
            .idle
            .min(self.deadline.saturating_duration_since(Instant::now()));
        match tokio::time::timeout(wait, stream.next()).await {
            Err(_) if Instant::now() >= self.deadline => Err((
                StatusCode::REQUEST_TIMEOUT,
                "the request body did not arrive whole in time (--body-timeout); nothing was recorded"
                    .to_owned(),
            )),
            Err(_) => Err((
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body sent nothing for {:.0} s (--body-idle-timeout); nothing was recorded",
                    self.idle.as_secs_f64()
                ),
            )),
            Ok(None) => Ok(None),
            Ok(Some(Err(_))) => Err((
                StatusCode::BAD_REQUEST,
                "the request body ended early; nothing was recorded".to_owned(),
            )),
            Ok(Some(Ok(bytes))) => {
                *read += bytes.len() as u64;
                if *read > self.bytes_max {
                    return Err(too_large(self.bytes_max));
                }
                Ok(Some(bytes))
            }
        }
    }
}

fn too_large(bytes_max: u64) -> (StatusCode, String) {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "the request body is longer than {bytes_max} bytes (--max-body-bytes); nothing was recorded: send it in parts"
        ),
    )
}

/// A body this short is read whole before it goes to the writer, so a
/// client that sends a small body slowly never holds the writer.
const BODY_BYTES_HELD: usize = 1 << 20;

/// `POST /api/events`.
async fn import(
    State(shared): State<Arc<Shared>>,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // Every connection tags its requests; one without a tag is nobody's.
    let peer = peer.map_or(Peer::Tcp(SocketAddr::from(([0, 0, 0, 0], 0))), |p| p.0);
    let recorder = match shared.auth.writer(peer, &headers) {
        Ok(recorder) => recorder,
        Err(refused) => return refused.into_response(),
    };
    let limits = BodyLimits::of(&shared);
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.bytes_max) {
        let (status, message) = too_large(limits.bytes_max);
        return close_after(refusal(status, message).into_response());
    }
    let mut stream = body.into_data_stream();
    let mut read = 0u64;
    // First what the writer need not wait for: a short body, whole.
    let mut held = Vec::new();
    let mut held_bytes = 0;
    let mut ended = false;
    while held_bytes < BODY_BYTES_HELD {
        match limits.next(&mut stream, &mut read).await {
            Ok(Some(bytes)) => {
                held_bytes += bytes.len();
                held.push(bytes);
            }
            Ok(None) => {
                ended = true;
                break;
            }
            Err((status, message)) => return close_after(refusal(status, message).into_response()),
        }
    }
    let (chunks, body_rx) = tokio::sync::mpsc::channel(CHUNKS_IN_FLIGHT.max(held.len() + 1));
    for bytes in held {
        let _ = chunks.try_send(Chunk::Data(bytes));
    }
    if ended {
        let _ = chunks.try_send(Chunk::End);
    }
    let (reply, answer) = oneshot::channel();
    if shared
        .submit(Job::Import {
            body: body_rx,
            recorder,
            reply,
        })
        .is_err()
    {
        return error_response(&Error::new(ErrorKind::Busy(0)));
    }
    let received = if ended {
        Received::Whole
    } else {
        forward(&limits, &mut stream, &mut read, &chunks).await
    };
    drop(chunks);
    if matches!(received, Received::Refused) {
        // The import failed before the body's end: read the rest (within
        // the same bounds) so the client, still sending, gets the answer.
        while let Ok(Some(_)) = limits.next(&mut stream, &mut read).await {}
    }
    let answered = answer.await;
    if let Received::Cut(status, message) = received {
        return close_after(refusal(status, message).into_response());
    }
    match answered {
        Ok(Ok((appended, head))) => {
            let last = appended
                .last
                .map(|(id, seq)| serde_json::json!({ "id": id.to_string(), "seq": seq }));
            let mut response = axum::Json(serde_json::json!({
                "new": appended.new,
                "already": appended.already,
                "last": last,
                "head": { "seq": head.seq, "digest": head.digest() },
            }))
            .into_response();
            head_headers(response.headers_mut(), Some(head));
            response
        }
        Ok(Err(e)) => error_response(&e),
        Err(_) => error_response(&Error::internal("the writer stopped")),
    }
}

/// Forwards the rest of the body to the writer, within the body's bounds.
async fn forward(
    limits: &BodyLimits,
    stream: &mut (impl futures_util::Stream<Item = Result<Bytes, axum::Error>> + Unpin),
    read: &mut u64,
    chunks: &tokio::sync::mpsc::Sender<Chunk>,
) -> Received {
    loop {
        match limits.next(stream, read).await {
            Ok(Some(bytes)) => {
                if chunks.send(Chunk::Data(bytes)).await.is_err() {
                    return Received::Refused;
                }
            }
            Ok(None) => {
                if chunks.send(Chunk::End).await.is_err() {
                    return Received::Refused;
                }
                return Received::Whole;
            }
            Err((status, message)) => return Received::Cut(status, message),
        }
    }
}

/// A refusal after which the connection closes: the rest of its body is
/// not read.
fn close_after(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    response
}
