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

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use futures_util::StreamExt;
use tokio::sync::{oneshot, watch};

use super::api::{error_response, head_headers};
use super::state::{Reply, Shared};
use crate::error::{Error, ErrorKind};
use crate::ledger::Ledger;
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
pub(super) fn write_loop(
    mut ledger: Ledger,
    queue: &mpsc::Receiver<Job>,
    published: &watch::Sender<LogReader>,
    rebuilds: &AtomicU64,
) {
    while let Ok(job) = queue.recv() {
        match job {
            Job::Import { body, reply } => {
                let body = std::io::BufReader::with_capacity(1 << 16, BodyReader::new(body));
                let result = crate::ledger::import_reader(&mut ledger, body, Path::new(BODY_NAME));
                if result.as_ref().is_ok_and(|a| a.new > 0) {
                    published.send_replace(ledger.reader());
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

/// Whether the request carries the configured token.
fn authorised(shared: &Shared, headers: &HeaderMap) -> Result<(), (StatusCode, &'static str)> {
    let Some(token) = &shared.token else {
        return Err((
            StatusCode::FORBIDDEN,
            "this server is read-only: start it with --token-file FILE or $PODIUM_TOKEN to take writes",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(given) if same_secret(given.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err((StatusCode::UNAUTHORIZED, "the bearer token is wrong")),
        None => Err((
            StatusCode::UNAUTHORIZED,
            "writes need the header Authorization: Bearer TOKEN",
        )),
    }
}

/// Compares two secrets in time that depends on their lengths only.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn refusal(status: StatusCode, message: &str) -> Response {
    let mut response = (
        status,
        axum::Json(serde_json::json!({ "error": message, "status": status.as_u16() })),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
    }
    response
}

/// `POST /api/events`.
async fn import(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    if let Err((status, message)) = authorised(&shared, &headers) {
        return refusal(status, message);
    }
    let (chunks, body_rx) = tokio::sync::mpsc::channel(CHUNKS_IN_FLIGHT);
    let (reply, answer) = oneshot::channel();
    if shared
        .submit(Job::Import {
            body: body_rx,
            reply,
        })
        .is_err()
    {
        return error_response(&Error::new(ErrorKind::Busy(0)));
    }
    // Forward the body; stop early if the writer has already refused it.
    let mut stream = body.into_data_stream();
    let mut whole = true;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(bytes) => {
                if chunks.send(Chunk::Data(bytes)).await.is_err() {
                    break;
                }
            }
            Err(_) => {
                whole = false;
                break;
            }
        }
    }
    if whole {
        let _ = chunks.send(Chunk::End).await;
    }
    drop(chunks);
    match answer.await {
        Ok(Ok((appended, head))) => {
            let mut response = axum::Json(serde_json::json!({
                "new": appended.new,
                "already": appended.already,
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

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"s3cret", b"s3cret"));
        assert!(!same_secret(b"s3cret", b"s3creT"));
        assert!(!same_secret(b"s3cret", b"s3cret2"));
        assert!(!same_secret(b"", b"x"));
    }
}
