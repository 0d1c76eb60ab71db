//! Answers as long as the log (`/api/log`): written by `answer::answer` on a
//! thread of their own into a channel of small chunks that the response
//! body sends as the client reads, so memory stays bounded whatever the
//! log's size. Each holds one of the `--max-streams` permits, and a client
//! that stops reading is dropped by the accept loop's write timeout, which
//! ends the thread's writes.

use std::io::Write;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::api::{error_response, head_headers, Served};
use super::state::Shared;
use crate::answer::{answer as answer_question, Question, Source};
use crate::error::{Error, ErrorKind};

/// Bytes per chunk, and chunks waiting for the client: what one answer holds.
const CHUNK_BYTES: usize = 64 << 10;
const CHUNKS_WAITING: usize = 4;

/// Answers `question` as a stream; an error before the first byte is an
/// error status, one after it cuts the body short (the client sees it end
/// without its last chunk).
pub(super) async fn answer(
    shared: &Arc<Shared>,
    question: Question,
    content_type: &'static str,
) -> Response {
    let Ok(permit) = Arc::clone(&shared.streams).try_acquire_owned() else {
        return error_response(&Error::new(ErrorKind::Overloaded(format!(
            "the server is sending {} long answers (--max-streams); try again later",
            shared.limits.streams_max
        ))));
    };
    let source = Served::of(shared);
    let head = source.log().ok().map(|l| l.head());
    let (chunks, mut received) = mpsc::channel::<Result<Bytes, Error>>(CHUNKS_WAITING);
    let spawned = std::thread::Builder::new()
        .name("podium-stream".into())
        .spawn(move || {
            let _permit = permit;
            let mut out = Chunks {
                buffer: Vec::with_capacity(CHUNK_BYTES),
                chunks: &chunks,
            };
            let result = answer_question(question, &source, &mut out).and_then(|_| {
                out.flush()
                    .map_err(|e| Error::internal(format!("sending the answer: {e}")))
            });
            if let Err(e) = result {
                let _ = chunks.blocking_send(Err(e));
            }
        });
    if spawned.is_err() {
        return error_response(&Error::new(ErrorKind::Overloaded(
            "the server cannot start another answer; try again later".into(),
        )));
    }
    let first = match received.recv().await {
        Some(Err(e)) => return error_response(&e),
        first => first,
    };
    let rest = futures_util::stream::unfold(received, |mut r| async move {
        r.recv().await.map(|item| (item, r))
    });
    let body = futures_util::stream::iter(first).chain(rest);
    let mut response = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        Body::from_stream(body),
    )
        .into_response();
    head_headers(response.headers_mut(), head);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A writer that sends what it is given in chunks, waiting while the
/// client has not taken the chunks before; fails once the client is gone.
struct Chunks<'a> {
    buffer: Vec<u8>,
    chunks: &'a mpsc::Sender<Result<Bytes, Error>>,
}

impl Chunks<'_> {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        self.chunks.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}

impl Write for Chunks<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}
