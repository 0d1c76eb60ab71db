//! `POST /api/question`: any question, as the command line asks it. The body
//! is the JSON array of the command line's words after `podium` (say
//! `["table", "paris-2024", "--format", "text"]`); the answer is what
//! `podium` itself would print, in any of its formats. This is how the
//! command line asks a server (`podium --server URL ...`, or its own ledger's
//! server through the local socket): the same definitions parse the words and
//! the same code prints the answer, so the output is the local command's.
//!
//! Only questions are taken (`answer::parse`): nothing here can write, name
//! a ledger or a file. A chart (`history`/`race` with `--svg`) is answered
//! as the SVG itself, which the command line writes to its file. `log` and
//! `export` stream. Answers are kept per head like the other endpoints'.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

use super::api::{ask, error_response, head_headers, Ask, Served};
use super::cache::Scope;
use super::state::Shared;
use crate::answer::{self, parse, Chart, Question};
use crate::error::{Error, Result};

/// Largest body: a command line, however long, is a few hundred bytes.
const BODY_BYTES_MAX: usize = 16 << 10;
/// Most words in one command line.
const WORDS_MAX: usize = 64;
/// What separates the words in the key an answer is kept under.
const KEY_SEPARATOR: char = '\u{1f}';

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/api/question", post(question))
}

/// `POST /api/question`.
async fn question(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    let words = match words(body).await {
        Ok(words) => words,
        Err(e) => return error_response(&e),
    };
    let mut argv = Vec::with_capacity(words.len() + 1);
    argv.push("podium".to_owned());
    argv.extend(words);
    if let Ok(
        question @ (Question::History { svg: Some(_), .. } | Question::Race { svg: Some(_), .. }),
    ) = parse(&argv)
    {
        return chart(&shared, question).await;
    }
    let streamed = matches!(argv.get(1).map(String::as_str), Some("log" | "export"));
    let key = format!(
        "POST /api/question {}",
        argv[1..].join(&KEY_SEPARATOR.to_string())
    );
    let asked = Ask {
        key,
        argv: Ok(argv),
        // Which games a command line names is the parser's to say: kept
        // answers of questions asked this way are dropped by any commit.
        scope: Scope::All,
        immutable: false,
        streamed,
    };
    ask(&shared, asked, &headers).await
}

/// The command line's words, from the JSON body.
async fn words(body: Body) -> Result<Vec<String>> {
    let bytes = to_bytes(body, BODY_BYTES_MAX).await.map_err(|_| {
        Error::invalid(format!(
            "a question is a JSON array of at most {BODY_BYTES_MAX} bytes"
        ))
    })?;
    let words: Vec<String> = serde_json::from_slice(&bytes).map_err(|e| {
        Error::invalid(format!(
            "a question is a JSON array of the command line's words ({e})"
        ))
    })?;
    if words.len() > WORDS_MAX {
        return Err(Error::invalid(format!(
            "a question has at most {WORDS_MAX} words"
        )));
    }
    Ok(words)
}

/// The chart `history --svg` or `race --svg` would write, as SVG.
async fn chart(shared: &Arc<Shared>, question: Question) -> Response {
    let (which, known_at) = match question {
        Question::History {
            games,
            noc,
            known_at,
            ..
        } => (Chart::History { games, noc }, known_at),
        Question::Race {
            games,
            top,
            known_at,
            ..
        } => (
            Chart::Race {
                games,
                top: usize::from(top),
            },
            known_at,
        ),
        _ => return error_response(&Error::internal("not a chart")),
    };
    let source = Served::of(shared);
    let head = shared.head();
    let drawn = shared
        .pool
        .run(move || answer::chart(&source, which, known_at))
        .await;
    match drawn.and_then(|svg| svg) {
        Ok(svg) => {
            let mut response = (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("image/svg+xml"),
                )],
                svg,
            )
                .into_response();
            head_headers(response.headers_mut(), Some(head));
            response
        }
        Err(e) => error_response(&e),
    }
}
