//! The read API: each endpoint is a query command, its path segments the
//! command's arguments and its query parameters the command's options
//! (`as_of` for `--as-of`). A request becomes the command line it stands
//! for, parsed by the same `clap` definitions and answered by the same
//! `answer::answer`, so the API prints exactly what `podium ... --format json`
//! prints. Only the parameters an endpoint lists are taken: nothing from a
//! request can name a file (`--svg`) or a ledger.
//!
//! Every answer carries the head it reflects (`X-Podium-Seq`,
//! `X-Podium-Digest`, an `ETag`); one bounded by a known-at time before the
//! last commit can never change, and says so to caches.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::cache::{Cached, Scope};
use super::state::Shared;
use super::{streamed, verified};
use crate::answer::{answer, parse, Question, Source};
use crate::error::{Error, ErrorKind, Result};
use crate::event::GamesId;
use crate::log::LogReader;
use crate::model::Model;
use crate::record::Head;

/// One endpoint: the command it runs, its path segments (in order, the
/// command's positional arguments), the options and flags it takes, and the
/// format it answers in unless asked (`format=csv`).
struct Endpoint {
    path: &'static str,
    command: &'static [&'static str],
    options: &'static [&'static str],
    flags: &'static [&'static str],
    format: &'static str,
}

const BOUNDS: [&str; 3] = ["as_of", "known_at", "rank_by"];

/// The endpoints whose answers can be as long as the log: sent as they are
/// written, never held whole, and never kept.
const STREAMED: &[&str] = &["/api/log"];

/// Every query endpoint.
const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        path: "/api/table",
        command: &["table", "--all"],
        options: &[
            "as_of", "known_at", "rank_by", "season", "movement", "sport", "format",
        ],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/table/{games}",
        command: &["table"],
        options: &["as_of", "known_at", "rank_by", "sport", "format"],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/sports/{games}",
        command: &["sports"],
        options: &["as_of", "known_at", "format"],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/medals/{games}",
        command: &["medals"],
        options: &[
            "noc", "sport", "event", "athlete", "medal", "as_of", "known_at", "format",
        ],
        flags: &["revoked"],
        format: "json",
    },
    Endpoint {
        path: "/api/entries/{games}",
        command: &["entries"],
        options: &["sport", "known_at", "format"],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/entries/{games}/{noc}",
        command: &["entries"],
        options: &["sport", "known_at", "format"],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/event/{games}/{sport}/{event}",
        command: &["event"],
        options: &["as_of", "known_at", "format"],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/rank/{games}/{noc}",
        command: &["rank"],
        options: &BOUNDS,
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/history/{games}/{noc}",
        command: &["history"],
        options: &["known_at", "format"],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/race/{games}",
        command: &["race"],
        options: &["known_at", "top", "format"],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/diff/{games}",
        command: &["diff"],
        options: &["from", "to", "as_of", "known_at", "vs_known_at"],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/athlete/{name}",
        command: &["athlete"],
        options: &[],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/memberships/{member}",
        command: &["memberships"],
        options: &["as_of", "format"],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/meetings",
        command: &["meetings"],
        options: &["from", "to", "with", "format"],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/delegation/{noc}",
        command: &["delegation"],
        options: &["as_of", "known_at", "season", "movement", "by", "format"],
        flags: &["lineage"],
        format: "json",
    },
    Endpoint {
        path: "/api/check",
        command: &["check"],
        options: &["format"],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/games",
        command: &["games"],
        options: &["known_at", "season", "movement", "format"],
        flags: &[],
        format: "json",
    },
    Endpoint {
        path: "/api/log",
        command: &["log"],
        options: &["from", "to", "kind", "limit"],
        flags: &[],
        format: "jsonl",
    },
    Endpoint {
        path: "/api/verify",
        command: &["verify"],
        options: &["digest"],
        flags: &[],
        format: "json",
    },
];

pub(super) fn routes() -> Router<Arc<Shared>> {
    let mut router = Router::new().route("/api/head", get(head));
    for endpoint in ENDPOINTS {
        router = router.route(
            endpoint.path,
            get(
                move |State(shared): State<Arc<Shared>>,
                      uri: Uri,
                      Path(segments): Path<Vec<(String, String)>>,
                      Query(params): Query<Vec<(String, String)>>,
                      headers: HeaderMap| async move {
                    let asked = Asked {
                        endpoint,
                        segments: segments.into_iter().map(|(_, v)| v).collect(),
                        params,
                    };
                    query(shared, &uri, asked, &headers).await
                },
            ),
        );
    }
    router
}

/// The model and the log as last committed, for `answer::answer`.
pub(super) struct Served {
    model: Model,
    log: LogReader,
}

impl Served {
    pub(super) fn of(shared: &Shared) -> Served {
        Served {
            model: shared.model.clone(),
            log: shared.log(),
        }
    }
}

impl Source for Served {
    fn model(&self) -> Result<Model> {
        Ok(self.model.clone())
    }

    fn log(&self) -> Result<LogReader> {
        Ok(self.log.clone())
    }

    fn writes_files(&self) -> bool {
        false
    }
}

/// The command line a request stands for: options first, then `--` and the
/// path segments, so a segment can never be read as an option.
fn command_line(
    endpoint: &Endpoint,
    segments: Vec<String>,
    params: &[(String, String)],
) -> Result<Vec<String>> {
    let mut argv: Vec<String> = vec!["podium".to_owned()];
    argv.extend(endpoint.command.iter().map(|s| (*s).to_owned()));
    let mut format_given = false;
    for (name, value) in params {
        let option = format!("--{}", name.replace('_', "-"));
        if endpoint.options.contains(&name.as_str()) {
            format_given |= name == "format";
            argv.push(option);
            argv.push(value.clone());
        } else if endpoint.flags.contains(&name.as_str()) {
            match value.as_str() {
                "" | "true" | "1" => argv.push(option),
                "false" | "0" => {}
                _ => {
                    return Err(Error::invalid(format!(
                        "parameter {name} is true or false, not {value:?}"
                    )))
                }
            }
        } else {
            let mut taken: Vec<&str> = endpoint.options.to_vec();
            taken.extend(endpoint.flags);
            return Err(Error::invalid(if taken.is_empty() {
                format!("unknown parameter {name:?}: this endpoint takes none")
            } else {
                format!(
                    "unknown parameter {name:?}: this endpoint takes {}",
                    taken.join(", ")
                )
            }));
        }
    }
    if !format_given {
        argv.push("--format".to_owned());
        argv.push(endpoint.format.to_owned());
    }
    argv.push("--".to_owned());
    argv.extend(segments);
    Ok(argv)
}

/// The first line of a clap error, without its "error: " prefix, with
/// options named as the API names them.
pub(super) fn usage_error(e: &clap::Error) -> Error {
    let text = e.to_string();
    let line = text.lines().next().unwrap_or("bad request");
    let line = line.strip_prefix("error: ").unwrap_or(line);
    Error::invalid(line.replace("'--", "'").replace("--", ""))
}

/// A request to an endpoint: its path segments and query parameters.
struct Asked {
    endpoint: &'static Endpoint,
    segments: Vec<String>,
    params: Vec<(String, String)>,
}

async fn query(shared: Arc<Shared>, uri: &Uri, asked: Asked, headers: &HeaderMap) -> Response {
    let request = uri.path_and_query().map_or("", |p| p.as_str()).to_owned();
    let scope = scope_of(asked.endpoint, &asked.segments);
    let immutable = known_before_head(&asked.params, shared.head());
    let streamed = STREAMED.contains(&asked.endpoint.path);
    let argv = command_line(asked.endpoint, asked.segments, &asked.params);
    ask(
        &shared,
        Ask {
            key: request,
            argv,
            scope,
            immutable,
            streamed,
        },
        headers,
    )
    .await
}

/// A question to answer: its command line (or why there is none), the key
/// its answer is kept under, what a commit must touch to change it, whether
/// it can never change, and whether it is answered as a stream.
pub(super) struct Ask {
    pub key: String,
    pub argv: Result<Vec<String>>,
    pub scope: Scope,
    pub immutable: bool,
    pub streamed: bool,
}

/// Answers a question's command line: from the kept answers when it was
/// answered at this head, else parsed by `answer::parse` and answered on
/// the pool (a long answer as a stream, `verify` from the walk kept per
/// head), and kept.
pub(super) async fn ask(shared: &Arc<Shared>, asked: Ask, headers: &HeaderMap) -> Response {
    // An unchanged ledger gives an unchanged answer: a client holding the
    // answer at this head need not be sent it again, and one asked before
    // at this head is not computed again.
    let head = shared.head();
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag(head).as_bytes())
    {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        head_headers(response.headers_mut(), Some(head));
        return response;
    }
    if let Some(cached) = shared.answers.get(&asked.key) {
        return respond(cached);
    }
    let argv = match asked.argv {
        Ok(argv) => argv,
        Err(e) => return error_response(&e),
    };
    let question = match parse(&argv) {
        Ok(question) => question,
        Err(e) => return error_response(&usage_error(&e)),
    };
    let content_type = content_type(format_of(&argv));
    if asked.streamed {
        return streamed::answer(shared, question, content_type).await;
    }
    let answered = match question {
        Question::Verify { digest, format, .. } if digest.as_deref().is_none_or(is_digest) => {
            verified::answer(shared, digest, format)
                .await
                .map(|(body, head)| (body, Some(head)))
        }
        question => answer_served(shared, question).await,
    };
    match answered {
        Ok((body, head)) => {
            let cached = Cached {
                body: body.into(),
                content_type,
                head,
                immutable: asked.immutable,
            };
            if let Some(head) = head {
                shared
                    .answers
                    .put(&asked.key, head.seq, asked.scope, cached.clone());
            }
            respond(cached)
        }
        Err(e) => error_response(&e),
    }
}

/// What an answer depends on: the games its path names (in the form the
/// ledger writes it), or anything.
fn scope_of(endpoint: &Endpoint, segments: &[String]) -> Scope {
    let games = endpoint.path.contains("{games}").then(|| segments.first());
    match games.flatten().map(|g| (g, g.parse::<GamesId>())) {
        Some((g, Ok(id))) if id.to_string() == *g => Scope::Games(id),
        _ => Scope::All,
    }
}

/// Answers a query command from the server's read model and log, on a
/// blocking thread. Never from a model being rebuilt (a 503 instead); a
/// model the query finds damaged is rebuilt from the log by the writer
/// thread, and the command answered again.
///
/// # Errors
/// The command's; `Storage` while the model is being rebuilt.
pub(super) async fn answer_served(
    shared: &Shared,
    question: Question,
) -> Result<(Vec<u8>, Option<Head>)> {
    let rebuilding = || {
        Error::new(ErrorKind::Storage(
            "the read model is being rebuilt from the log; try again in a moment".into(),
        ))
    };
    let mut rebuilt = false;
    loop {
        let rebuilds = shared.rebuilds();
        if rebuilds % 2 == 1 {
            return Err(rebuilding());
        }
        let source = Served::of(shared);
        let asked = question.clone();
        let answered = shared
            .pool
            .run(move || {
                let mut out = Vec::new();
                answer(asked, &source, &mut out).map(|head| (out, head))
            })
            .await?;
        if shared.rebuilds() != rebuilds {
            return Err(rebuilding());
        }
        match answered {
            Err(e) if matches!(e.kind(), ErrorKind::Damaged(_)) && !rebuilt => {
                tracing::warn!("{e}; rebuilding the read model from the log");
                let events = shared.rebuild_model().await?;
                tracing::info!("rebuilt the read model from the log ({events} events)");
                rebuilt = true;
            }
            answered => return answered,
        }
    }
}

/// An answer with its head and what caches may do with it.
fn respond(answer: Cached) -> Response {
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(answer.content_type),
        )],
        answer.body,
    )
        .into_response();
    let headers = response.headers_mut();
    head_headers(headers, answer.head);
    let cache = if answer.immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// The format the command line asks for.
fn format_of(argv: &[String]) -> &'static str {
    let given = argv
        .iter()
        .position(|a| a == "--format")
        .and_then(|i| argv.get(i + 1));
    match given.map(String::as_str) {
        Some("csv") => "csv",
        Some("text") => "text",
        Some("jsonl") => "jsonl",
        _ => "json",
    }
}

fn content_type(format: &str) -> &'static str {
    match format {
        "csv" => "text/csv; charset=utf-8",
        "text" => "text/plain; charset=utf-8",
        "jsonl" => "application/x-ndjson",
        _ => "application/json",
    }
}

/// Whether every known-at bound of the request lies before the last
/// commit's recorded time: events recorded later are never earlier than
/// it, so such an answer cannot change.
fn known_before_head(params: &[(String, String)], head: Head) -> bool {
    let Some(latest) = head.recorded else {
        return false;
    };
    let mut bounds = params
        .iter()
        .filter(|(name, _)| name == "known_at" || name == "vs_known_at")
        .peekable();
    bounds.peek().is_some()
        && bounds.all(|(_, t)| crate::event::parse_time(t).is_ok_and(|t| t < latest))
}

/// 64 hex characters: a digest `verify` looks for (any other is refused
/// by the command itself, before it reads the log).
fn is_digest(d: &str) -> bool {
    d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit())
}

fn etag(head: Head) -> String {
    format!("\"{}-{}\"", head.seq, &head.digest()[..16])
}

/// The head an answer reflects, as headers.
pub(super) fn head_headers(headers: &mut HeaderMap, head: Option<Head>) {
    let head = head.unwrap_or(Head::EMPTY);
    let value = |s: String| HeaderValue::from_str(&s).expect("ascii");
    headers.insert("x-podium-seq", value(head.seq.to_string()));
    headers.insert("x-podium-digest", value(head.digest()));
    headers.insert(header::ETAG, value(etag(head)));
}

/// The HTTP status of an error: 400 bad input, 404 unknown, 409 conflict,
/// 507 no room to write, 503 the ledger cannot serve now.
pub(super) fn status_of(e: &Error) -> StatusCode {
    match e.kind() {
        ErrorKind::Invalid(_) | ErrorKind::Parse(_) | ErrorKind::Refused(_) => {
            StatusCode::BAD_REQUEST
        }
        ErrorKind::Unknown(_) => StatusCode::NOT_FOUND,
        ErrorKind::Forbidden(_) => StatusCode::FORBIDDEN,
        ErrorKind::Conflict { .. } => StatusCode::CONFLICT,
        ErrorKind::DiskFull(_) => StatusCode::INSUFFICIENT_STORAGE,
        ErrorKind::Busy(_)
        | ErrorKind::Overloaded(_)
        | ErrorKind::NoLedger(_)
        | ErrorKind::Storage(_)
        | ErrorKind::Io { .. }
        | ErrorKind::Corrupt(_)
        | ErrorKind::Damaged(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error as JSON: `{"error": the CLI's one line, "status", "message"
/// (the line without its position), and where (file, line, seq, id) when
/// known}`. A client puts the line together again with positions of its own
/// (the file it sent as the body, for one).
pub(super) fn error_response(e: &Error) -> Response {
    let status = status_of(e);
    let position = e.position();
    let mut body = serde_json::json!({
        "error": e.to_string(),
        "status": status.as_u16(),
        "message": e.kind().to_string(),
    });
    if let Some((file, line)) = &position.file {
        body["file"] = file.display().to_string().into();
        body["line"] = (*line).into();
    }
    if let Some(seq) = position.seq {
        body["seq"] = seq.into();
    }
    if let Some(id) = position.id {
        body["id"] = id.to_string().into();
    }
    let mut response = (status, axum::Json(body)).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

/// `GET /api/head`: the last commit.
async fn head(State(shared): State<Arc<Shared>>) -> Response {
    let head = shared.head();
    let mut response = axum::Json(serde_json::json!({
        "seq": head.seq,
        "digest": head.digest(),
        "recorded": head.recorded,
    }))
    .into_response();
    head_headers(response.headers_mut(), Some(head));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(path: &str) -> &'static Endpoint {
        ENDPOINTS.iter().find(|e| e.path == path).unwrap()
    }

    #[test]
    fn a_request_becomes_its_command_line() {
        let argv = command_line(
            endpoint("/api/table/{games}"),
            vec!["paris-2024".into()],
            &[("as_of".into(), "2024-08-03".into())],
        )
        .unwrap();
        assert_eq!(
            argv,
            [
                "podium",
                "table",
                "--as-of",
                "2024-08-03",
                "--format",
                "json",
                "--",
                "paris-2024"
            ]
        );
    }

    #[test]
    fn a_segment_is_never_an_option_and_svg_is_not_taken() {
        let question = parse(
            &command_line(
                endpoint("/api/history/{games}/{noc}"),
                vec!["--svg=/tmp/x".into(), "AZE".into()],
                &[],
            )
            .unwrap(),
        )
        .unwrap();
        assert!(format!("{question:?}").contains("svg: None"));
        let e = command_line(
            endpoint("/api/history/{games}/{noc}"),
            vec!["paris-2024".into(), "AZE".into()],
            &[("svg".into(), "/tmp/x".into())],
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown parameter \"svg\""), "{e}");
    }
}
