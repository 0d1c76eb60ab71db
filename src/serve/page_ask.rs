//! How a page asks and answers: the command lines it gives `answer::answer`
//! (in JSON, as the API does), the charts it asks `answer::chart` for, the
//! games it is about; a page sent uncached, or an error shown as a page with
//! the API's status. Nothing here renders an answer.

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;

use super::api::{answer_served, status_of, usage_error, Served};
use super::html::{self, esc};
use super::state::Shared;
use crate::answer::{self, parse, Chart};
use crate::error::{Error, Result};

/// Runs a query command line (from `command`) and parses its answer,
/// with the seq of the head it reflects.
pub(super) async fn ask(shared: &Arc<Shared>, args: Vec<String>) -> Result<(Value, Option<u64>)> {
    let mut argv = vec!["podium".to_owned()];
    argv.extend(args);
    let question = parse(&argv).map_err(|e| usage_error(&e))?;
    let (out, head) = answer_served(shared, question).await?;
    let value = serde_json::from_slice(&out)
        .map_err(|e| Error::internal(format!("an answer is not JSON: {e}")))?;
    Ok((value, head.map(|h| h.seq)))
}

/// A command line: `command`, each option that is set, `--format json`,
/// then `--` and the positional arguments (so none can be read as an option).
pub(super) fn command(
    command: &[&str],
    options: &[(&str, Option<&str>)],
    args: &[&str],
) -> Vec<String> {
    let mut argv: Vec<String> = command.iter().map(|s| (*s).to_owned()).collect();
    for (name, value) in options {
        if let Some(v) = value {
            argv.push(format!("--{}", name.replace('_', "-")));
            argv.push((*v).to_owned());
        }
    }
    argv.extend(["--format".to_owned(), "json".to_owned(), "--".to_owned()]);
    argv.extend(args.iter().map(|s| (*s).to_owned()));
    argv
}

/// A page, sent uncached (it follows the ledger).
pub(super) struct Page(pub String);

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        (
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
            Html(self.0),
        )
            .into_response()
    }
}

/// An error, shown as a page: the CLI's one line, with the API's status.
pub(super) struct Failed(Error);

impl From<Error> for Failed {
    fn from(e: Error) -> Failed {
        Failed(e)
    }
}

impl IntoResponse for Failed {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let body = format!(
            "<h1>{}</h1><p class=\"error\">{}</p><p><a href=\"/games\">Every games</a></p>",
            status.canonical_reason().unwrap_or("Error"),
            esc(&self.0.to_string())
        );
        let page = Page(html::layout("Error", None, None, &body, None));
        (status, page).into_response()
    }
}

/// What a page handler answers.
pub(super) type Answer = std::result::Result<Page, Failed>;

/// Every games, as `games --format json` lists them.
pub(super) async fn all_games(shared: &Arc<Shared>) -> Result<Vec<Value>> {
    let (games, _) = ask(shared, command(&["games"], &[], &[])).await?;
    Ok(games.as_array().cloned().unwrap_or_default())
}

/// One games' entry, or `Unknown` as the CLI says it.
pub(super) async fn games_entry(shared: &Arc<Shared>, id: &str) -> Result<Value> {
    let all = all_games(shared).await?;
    match all.into_iter().find(|g| html::text(g, "games") == id) {
        Some(g) => Ok(g),
        None => Err(crate::query::unknown_games(&id.parse()?)),
    }
}

/// A chart from `answer::chart`, drawn off the async threads.
pub(super) async fn chart(
    shared: &Arc<Shared>,
    which: Chart,
    known_at: Option<&str>,
) -> Result<String> {
    let source = Served::of(shared);
    let known_at = known_at.map(str::to_owned);
    shared
        .pool
        .run(move || answer::chart(&source, which, known_at))
        .await?
}
