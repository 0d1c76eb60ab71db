//! Following the log: `GET /api/events?from=SEQ` pages through it in order,
//! and `GET /api/events/stream?from=SEQ` is a Server-Sent Events stream that
//! catches up, then sends every event as it commits. Each line is the event's
//! export line with its `link` in the hash chain (`follow::Chain` checks
//! them); each stream event's id is its seq, so a client resumes with
//! `Last-Event-ID` and loses and repeats nothing.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use tokio::sync::OwnedSemaphorePermit;

use super::api::{error_response, head_headers};
use super::state::Shared;
use crate::error::{Error, ErrorKind, Result};
use crate::follow::line_with_link;
use crate::log::LogReader;

/// Lines a page holds unless asked, and at most.
const PAGE_EVENTS: usize = 1_000;
const PAGE_EVENTS_MAX: usize = 10_000;
/// Events a stream reads from the log at a time: what one stream holds
/// while its client reads (about 30 KB).
const STREAM_BATCH_EVENTS: usize = 64;
/// A stream whose read finds every query thread busy tries again after this.
const STREAM_RETRY: std::time::Duration = std::time::Duration::from_millis(100);

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/events", get(page))
        .route("/api/events/stream", get(stream))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageParams {
    from: Option<u64>,
    limit: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StreamParams {
    from: Option<u64>,
}

/// The lines of the committed events from `from` on, at most `limit`.
fn lines(log: &LogReader, from: u64, limit: usize) -> Result<Vec<(u64, String)>> {
    let mut out = Vec::new();
    for item in log.links_from(from.max(1)).take(limit) {
        let (r, link) = item?;
        let line = line_with_link(&r, &link).map_err(|e| Error::internal(e.to_string()))?;
        out.push((r.seq, line));
    }
    Ok(out)
}

fn bad_params(e: &impl std::fmt::Display) -> Response {
    error_response(&Error::invalid(e.to_string()))
}

/// `GET /api/events?from=SEQ&limit=N`: JSON Lines; `Link: ...; rel="next"`
/// names the next page while there is one.
async fn page(
    State(shared): State<Arc<Shared>>,
    params: std::result::Result<Query<PageParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Query(params) = match params {
        Ok(p) => p,
        Err(e) => return bad_params(&e.body_text()),
    };
    let from = params.from.unwrap_or(1).max(1);
    let limit = params.limit.unwrap_or(PAGE_EVENTS);
    if limit == 0 || limit > PAGE_EVENTS_MAX {
        return bad_params(&format!("limit is 1 to {PAGE_EVENTS_MAX}, not {limit}"));
    }
    let log = shared.log();
    let head = log.head();
    let lines = match shared.pool.run(move || lines(&log, from, limit)).await {
        Ok(Ok(lines)) => lines,
        Ok(Err(e)) | Err(e) => return error_response(&e),
    };
    let next = lines.last().map_or(from, |(seq, _)| seq + 1);
    let mut body = String::new();
    for (_, line) in &lines {
        body.push_str(line);
        body.push('\n');
    }
    let mut response = ([(header::CONTENT_TYPE, "application/x-ndjson")], body).into_response();
    head_headers(response.headers_mut(), Some(head));
    if next <= head.seq {
        let link = format!("</api/events?from={next}&limit={limit}>; rel=\"next\"");
        if let Ok(v) = HeaderValue::from_str(&link) {
            response.headers_mut().insert(header::LINK, v);
        }
    }
    response
}

/// Where a stream starts: after `Last-Event-ID` when the client resumes,
/// else at `from` (default 1).
fn stream_start(headers: &HeaderMap, from: Option<u64>) -> Result<u64> {
    match headers.get("last-event-id") {
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .ok_or_else(|| Error::invalid("Last-Event-ID is not a seq"))?
            .checked_add(1)
            .ok_or_else(|| Error::invalid("Last-Event-ID is past any seq a log can hold")),
        None => Ok(from.unwrap_or(1).max(1)),
    }
}

/// `GET /api/events/stream?from=SEQ`.
async fn stream(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    params: std::result::Result<Query<StreamParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Query(params) = match params {
        Ok(p) => p,
        Err(e) => return bad_params(&e.body_text()),
    };
    let next = match stream_start(&headers, params.from) {
        Ok(next) => next,
        Err(e) => return error_response(&e),
    };
    let Ok(permit) = Arc::clone(&shared.streams).try_acquire_owned() else {
        return error_response(&Error::new(ErrorKind::Overloaded(format!(
            "the server has {} streams open (--max-streams); try again later",
            shared.limits.streams_max
        ))));
    };
    let head = shared.head();
    let mut response = Sse::new(events(shared, next, permit))
        .keep_alive(KeepAlive::default())
        .into_response();
    head_headers(response.headers_mut(), Some(head));
    response
}

/// The stream's events: batches read from the log as last committed, then,
/// once caught up, a wait for the next commit (or for the server to stop,
/// which ends the stream). The stream holds its `permit` until it ends.
fn events(
    shared: Arc<Shared>,
    next: u64,
    permit: OwnedSemaphorePermit,
) -> impl Stream<Item = std::result::Result<Event, Infallible>> {
    let committed = shared.committed.clone();
    let stopping = shared.stopping();
    let state = Following {
        shared,
        next,
        committed,
        stopping,
        failed: false,
        _permit: permit,
    };
    stream::unfold(state, |mut s| async move {
        if s.failed || *s.stopping.borrow() {
            return None;
        }
        loop {
            let log = s.committed.borrow_and_update().clone();
            if s.next <= log.head().seq {
                let next = s.next;
                let read = s
                    .shared
                    .pool
                    .run(move || lines(&log, next, STREAM_BATCH_EVENTS))
                    .await;
                let batch = match read {
                    Ok(Ok(lines)) => {
                        s.next = lines.last().map_or(next, |(seq, _)| seq + 1);
                        lines
                            .into_iter()
                            .map(|(seq, line)| Event::default().id(seq.to_string()).data(line))
                            .collect()
                    }
                    Err(e) if matches!(e.kind(), ErrorKind::Overloaded(_)) => {
                        tokio::select! {
                            () = tokio::time::sleep(STREAM_RETRY) => continue,
                            _ = s.stopping.changed() => return None,
                        }
                    }
                    Ok(Err(e)) | Err(e) => {
                        s.failed = true;
                        vec![Event::default()
                            .event("error")
                            .data(serde_json::json!({ "error": e.to_string() }).to_string())]
                    }
                };
                return Some((batch, s));
            }
            tokio::select! {
                changed = s.committed.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                }
                _ = s.stopping.changed() => return None,
            }
        }
    })
    .flat_map(|batch: Vec<Event>| stream::iter(batch.into_iter().map(Ok)))
}

/// Where a stream is.
struct Following {
    shared: Arc<Shared>,
    next: u64,
    committed: tokio::sync::watch::Receiver<LogReader>,
    stopping: tokio::sync::watch::Receiver<bool>,
    failed: bool,
    _permit: OwnedSemaphorePermit,
}
