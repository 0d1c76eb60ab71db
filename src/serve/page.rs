//! The pages: HTML rendered on the server, so every table reads without
//! JavaScript, with a little script (`assets/page.js`) that re-reads the
//! medal table from `/api/table/{games}` when a date changes.
//!
//! - `/`: the medal table of the most recent summer Olympic Games;
//!   `/games`: every games; `/all-time`: the all-time table; both take
//!   `?season=&movement=` (a GET form of two choices) to keep one series
//!   (the Paralympic Games, the winter Games...).
//! - `/games/{games}?as_of=&known_at=`: a games' medal table, a GET form
//!   with a date for each bound (known-at: the end of that day, UTC, as on
//!   the command line; an RFC 3339 time in the URL is kept).
//! - `/games/{games}/{noc}`, `/race`, `/corrections`: a delegation's days
//!   with its rank chart, the race with its chart, the `diff` of the final
//!   table as known at the close against as known now.
//!
//! Each page asks `answer::answer` (the same command lines as the API, in
//! JSON) and `answer::charts`, and only renders: it never ranks or counts.
//!
//! Choices: the known-at control is a date, not `datetime-local` (which has
//! no time zone), so it means what `--known-at DATE` means; a time in the
//! URL that is not a date is shown in a text field. Pages are `no-cache`
//! (they follow the ledger); the CSS and script are compiled in and served
//! under a URL carrying their hash, cached as immutable. The charts are
//! inline SVG, so a page is one request plus its two assets. On a phone the
//! table drops its name column (the code links to the delegation) and
//! scrolls sideways inside its box if it must; the page itself never does.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::Value;

use super::html::{self, bounds_text, esc, GamesInfo, Tab};
use super::html_games::{self, Compared};
use super::page_ask::{all_games, ask, chart, command, games_entry, Answer, Page};
use super::state::Shared;
use crate::answer::Chart;
use crate::error::{Error, Result};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/", get(home))
        .route("/games", get(games_list))
        .route("/all-time", get(all_time))
        .route("/games/{games}", get(games_table))
        .route("/games/{games}/race", get(race))
        .route("/games/{games}/corrections", get(corrections))
        .route("/games/{games}/{noc}", get(delegation))
        .route("/assets/page.css", get(|| asset(html::CSS, "text/css")))
        .route(
            "/assets/page.js",
            get(|| asset(html::JS, "text/javascript")),
        )
}

/// The assets' URLs carry their hash (`?v=`): cached for good.
async fn asset(body: &'static str, kind: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, format!("{kind}; charset=utf-8")),
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_owned(),
            ),
        ],
        body,
    )
        .into_response()
}

/// The query parameters pages take; an empty field (a cleared date) is
/// no bound. Others are ignored.
#[derive(Deserialize, Default)]
struct Params {
    as_of: Option<String>,
    known_at: Option<String>,
    vs_known_at: Option<String>,
    top: Option<String>,
    season: Option<String>,
    movement: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// `/`: the medal table of the most recent summer Olympic Games that has
/// medals, else the list of games.
async fn home(State(shared): State<Arc<Shared>>) -> Answer {
    let all = all_games(&shared).await?;
    let latest = all
        .iter()
        .filter(|g| g["season"] == "summer" && g["movement"] == "olympic")
        .filter(|g| g["awards"].as_u64().is_some_and(|n| n > 0))
        .max_by(|a, b| html::text(a, "opens").cmp(html::text(b, "opens")));
    match latest {
        Some(g) => Ok(Page(table_page(&shared, g, &Params::default()).await?)),
        None => games_list(State(shared), Query(Params::default())).await,
    }
}

async fn games_list(State(shared): State<Arc<Shared>>, Query(params): Query<Params>) -> Answer {
    let series = [
        ("season", given(&params.season)),
        ("movement", given(&params.movement)),
    ];
    let (games, seq) = ask(&shared, command(&["games"], &series, &[])).await?;
    let all_time = html::query(&series);
    let body = format!(
        r#"<h1>Every games</h1>
<form class="bounds" method="get" action="/games">{}<button type="submit">Show</button> <a href="/games">Every games</a></form>
<p><a href="/all-time{}">The all-time table</a> sums them.</p>{}"#,
        html::series_inputs(series[0].1, series[1].1),
        esc(&all_time),
        html::games_list(&games)
    );
    Ok(Page(html::layout("Every games", None, None, &body, seq)))
}

async fn games_table(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Answer {
    let g = games_entry(&shared, &id).await?;
    Ok(Page(table_page(&shared, &g, &params).await?))
}

/// A games' medal table with its bounds form; `page.js` takes over the form.
async fn table_page(shared: &Arc<Shared>, g: &Value, params: &Params) -> Result<String> {
    let g = GamesInfo::of(g);
    let (as_of, known_at) = (given(&params.as_of), given(&params.known_at));
    let argv = command(
        &["table"],
        &[("as_of", as_of), ("known_at", known_at)],
        &[g.id],
    );
    let (rows, seq) = ask(shared, argv).await?;
    let id = html::url_encode(g.id);
    let caption = format!(
        r#"{}: medal table, <span class="bounds-text">{}</span>"#,
        esc(g.name),
        bounds_text(as_of, known_at)
    );
    let body = format!(
        r#"<h1>{name} <span class="sub">{opens} – {closes}</span></h1>
<form class="bounds" id="bounds" method="get" action="/games/{id}" data-games="{gid}" data-name="{name}">{inputs}<button type="submit">Show</button> <a href="/games/{id}">Reset</a></form>
<p class="status" id="table-status" role="status" aria-live="polite"></p>
{table}
<p class="note">Ranked by gold, then silver, then bronze; delegations marked “not ranked” are listed but push no one down. <a href="/api/table/{id}{json}" id="table-json">JSON</a></p>"#,
        name = esc(g.name),
        opens = esc(g.opens),
        closes = esc(g.closes),
        gid = esc(g.id),
        inputs = html::date_inputs(&[
            ("as_of", "As of", as_of, "a day of the games; empty: final"),
            (
                "known_at",
                "Known at",
                known_at,
                "end of day, UTC; empty: now"
            ),
        ]),
        table = html::medal_table(&rows, &caption, Some(g.id), known_at),
        json = esc(&html::query(&[("as_of", as_of), ("known_at", known_at)])),
    );
    Ok(html::layout(
        &format!("{} medal table", g.name),
        Some((&g, Tab::Table)),
        known_at,
        &body,
        seq,
    ))
}

async fn all_time(State(shared): State<Arc<Shared>>, Query(params): Query<Params>) -> Answer {
    let (as_of, known_at) = (given(&params.as_of), given(&params.known_at));
    let (season, movement) = (given(&params.season), given(&params.movement));
    let argv = command(
        &["table", "--all"],
        &[
            ("as_of", as_of),
            ("known_at", known_at),
            ("season", season),
            ("movement", movement),
        ],
        &[],
    );
    let (rows, seq) = ask(&shared, argv).await?;
    let caption = format!(
        "The all-time table over {}, {}",
        html::series_text(season, movement),
        bounds_text(as_of, known_at)
    );
    let body = format!(
        r#"<h1>All-time table</h1>
<form class="bounds" method="get" action="/all-time">{}{}<button type="submit">Show</button></form>
{}"#,
        html::series_inputs(season, movement),
        html::date_inputs(&[
            ("as_of", "As of", as_of, "empty: today"),
            ("known_at", "Known at", known_at, "end of day, UTC"),
        ]),
        html::medal_table(&rows, &caption, None, None),
    );
    Ok(Page(html::layout("All-time table", None, None, &body, seq)))
}

async fn delegation(
    State(shared): State<Arc<Shared>>,
    Path((id, noc)): Path<(String, String)>,
    Query(params): Query<Params>,
) -> Answer {
    let g = games_entry(&shared, &id).await?;
    let g = GamesInfo::of(&g);
    let known_at = given(&params.known_at);
    let (days, seq) = ask(
        &shared,
        command(&["history"], &[("known_at", known_at)], &[g.id, &noc]),
    )
    .await?;
    let (table, _) = ask(
        &shared,
        command(&["table"], &[("known_at", known_at)], &[g.id]),
    )
    .await?;
    let name = table
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["noc"] == noc.as_str()))
        .map(|r| html::text(r, "name").to_owned())
        .unwrap_or_default();
    let svg = chart(
        &shared,
        Chart::History {
            games: g.id.to_owned(),
            noc: noc.clone(),
        },
        known_at,
    )
    .await?;
    let body = html_games::delegation(&g, &noc, &name, &days, &svg, known_at);
    let title = format!("{noc} at {}", g.name);
    games_page(&g, Tab::Delegation, &title, known_at, &body, seq)
}

/// A page of one games, with its tabs.
fn games_page(
    g: &GamesInfo,
    tab: Tab,
    title: &str,
    known_at: Option<&str>,
    body: &str,
    seq: Option<u64>,
) -> Answer {
    Ok(Page(html::layout(
        title,
        Some((g, tab)),
        known_at,
        body,
        seq,
    )))
}

/// The leaders a race page shows: 1 to 10, 5 unless asked.
fn top_of(params: &Params) -> Result<usize> {
    match given(&params.top) {
        None => Ok(5),
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=10).contains(n))
            .ok_or_else(|| Error::invalid(format!("top {t:?} is not a number from 1 to 10"))),
    }
}

async fn race(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Answer {
    let g = games_entry(&shared, &id).await?;
    let g = GamesInfo::of(&g);
    let known_at = given(&params.known_at);
    let top = top_of(&params)?;
    let top_text = top.to_string();
    let argv = command(
        &["race"],
        &[("known_at", known_at), ("top", Some(&top_text))],
        &[g.id],
    );
    let (days, seq) = ask(&shared, argv).await?;
    let svg = chart(
        &shared,
        Chart::Race {
            games: g.id.to_owned(),
            top,
        },
        known_at,
    )
    .await?;
    let body = html_games::race(&g, &days, &svg, top, known_at);
    let title = format!("{}: the race", g.name);
    games_page(&g, Tab::Race, &title, known_at, &body, seq)
}

async fn corrections(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Answer {
    let g = games_entry(&shared, &id).await?;
    let g = GamesInfo::of(&g);
    // The close, when the games gives it as a day (not a year).
    let close = crate::event::parse_date(g.closes).ok().map(|_| g.closes);
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    let as_of = given(&params.as_of).or(close);
    let known_at = given(&params.known_at).or(close).unwrap_or(g.opens);
    let vs_known_at = given(&params.vs_known_at).unwrap_or(&today);
    let argv = command(
        &["diff"],
        &[
            ("as_of", as_of),
            ("known_at", Some(known_at)),
            ("vs_known_at", Some(vs_known_at)),
        ],
        &[g.id],
    );
    let (diff, seq) = ask(&shared, argv).await?;
    let compared = Compared {
        as_of,
        known_at,
        vs_known_at,
    };
    let body = html_games::corrections(&g, &diff, &compared);
    let title = format!("{}: corrections", g.name);
    games_page(&g, Tab::Corrections, &title, None, &body, seq)
}
