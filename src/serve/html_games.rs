//! The bodies of a games' other pages: a delegation's day-by-day history, the
//! race, and the corrections (`diff`). Like `html`, they render the JSON
//! `cli::answer` wrote and the SVG `cli::chart` drew, and escape every
//! string from the ledger.

use std::fmt::Write;

use serde_json::Value;

use super::html::{bounds_text, date_inputs, esc, num, query, text, url_encode, GamesInfo};

/// A chart in a figure; the SVG comes from `chart.rs`, which escapes its text.
fn figure(svg: &str, caption: &str) -> String {
    format!(r#"<figure class="chart">{svg}<figcaption>{caption}</figcaption></figure>"#)
}

fn rank_cell(v: &Value, key: &str) -> String {
    if v[key].is_null() {
        r#"<abbr title="not ranked">–</abbr>"#.to_owned()
    } else {
        num(v, key)
    }
}

/// `/games/{games}/{noc}`: the standing after each day, and its chart.
pub(super) fn delegation(
    g: &GamesInfo,
    noc: &str,
    name: &str,
    days: &Value,
    svg: &str,
    known_at: Option<&str>,
) -> String {
    let days = days.as_array().map(Vec::as_slice).unwrap_or_default();
    let undated = days.iter().any(|d| !d["undated"].is_null());
    let mut rows = String::new();
    for d in days {
        let _ = write!(
            rows,
            r#"<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="total">{}</td>{}</tr>"#,
            esc(text(d, "date")),
            rank_cell(d, "rank"),
            num(d, "gold"),
            num(d, "silver"),
            num(d, "bronze"),
            num(d, "total"),
            if undated {
                format!("<td>{}</td>", num(d, "undated"))
            } else {
                String::new()
            },
        );
        rows.push('\n');
    }
    let undated_head = if undated {
        r#"<th scope="col"><abbr title="medals without a known day that may already have been won">Undated</abbr></th>"#
    } else {
        ""
    };
    let (noc, id) = (esc(noc), url_encode(g.id));
    format!(
        r#"<h1>{noc} <span class="sub">{name} at {games}</span></h1>
<form class="bounds" method="get" action="/games/{id}/{noc}">{inputs}<button type="submit">Show</button></form>
{chart}
<div class="scroll"><table class="history">
<caption>{noc}'s standing after each day, {known}</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Rank</th><th scope="col">Gold</th><th scope="col">Silver</th><th scope="col">Bronze</th><th scope="col">Total</th>{undated_head}</tr></thead>
<tbody>
{rows}</tbody></table></div>
<p><a href="/games/{id}{keep}">Back to the medal table</a> · <a href="/api/history/{id}/{noc}{keep}">JSON</a></p>"#,
        name = esc(name),
        games = esc(g.name),
        inputs = date_inputs(&[("known_at", "Known at", known_at, "end of day, UTC")]),
        chart = figure(
            svg,
            "Rank by day: rank 1 at the top; a mark under a day for each medal won."
        ),
        known = bounds_text(None, known_at)
            .trim_start_matches("final, ")
            .to_owned(),
        keep = esc(&query(&[("known_at", known_at)])),
    )
}

/// `/games/{games}/race`: the leaders after each day, and the chart of the
/// final leaders' totals.
pub(super) fn race(
    g: &GamesInfo,
    days: &Value,
    svg: &str,
    top: usize,
    known_at: Option<&str>,
) -> String {
    let id = url_encode(g.id);
    let keep = esc(&query(&[("known_at", known_at)]));
    let mut rows = String::new();
    for d in days.as_array().map(Vec::as_slice).unwrap_or_default() {
        let _ = write!(rows, r#"<tr><th scope="row">{}</th>"#, esc(text(d, "date")));
        let leaders = d["leaders"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for i in 0..top {
            match leaders.get(i) {
                Some(r) => {
                    let noc = esc(text(r, "noc"));
                    let _ = write!(
                        rows,
                        r#"<td><a href="/games/{id}/{noc}{keep}">{noc}</a> {}‑{}‑{}</td>"#,
                        num(r, "gold"),
                        num(r, "silver"),
                        num(r, "bronze"),
                    );
                }
                None => rows.push_str("<td></td>"),
            }
        }
        rows.push_str("</tr>\n");
    }
    let heads: String = (1..=top)
        .map(|i| format!(r#"<th scope="col">#{i}</th>"#))
        .collect();
    format!(
        r#"<h1>{games} <span class="sub">the race</span></h1>
<form class="bounds" method="get" action="/games/{id}/race">{inputs}<label>Leaders <input type="number" name="top" min="1" max="10" value="{top}"></label><button type="submit">Show</button></form>
{chart}
<div class="scroll"><table class="race">
<caption>The leaders after each day (gold-silver-bronze), {known}</caption>
<thead><tr><th scope="col">Day</th>{heads}</tr></thead>
<tbody>
{rows}</tbody></table></div>
<p><a href="/api/race/{id}?top={top}{amp_keep}">JSON</a></p>"#,
        games = esc(g.name),
        inputs = date_inputs(&[("known_at", "Known at", known_at, "end of day, UTC")]),
        chart = figure(svg, "Medals by day of the final leaders."),
        known = bounds_text(None, known_at).trim_start_matches("final, "),
        amp_keep = keep.replacen('?', "&amp;", 1),
    )
}

/// What a corrections page compares.
pub(super) struct Compared<'a> {
    pub as_of: Option<&'a str>,
    pub known_at: &'a str,
    pub vs_known_at: &'a str,
}

/// `/games/{games}/corrections`: the medals that entered or left the table
/// between two states of knowledge of one day, with the reasons, and the
/// rank moves.
pub(super) fn corrections(g: &GamesInfo, diff: &Value, c: &Compared) -> String {
    let id = url_encode(g.id);
    let medals = diff["medals"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut rows = String::new();
    for m in medals {
        let athletes: Vec<String> = m["athletes"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
            .map(esc)
            .collect();
        let why = match (m["reason"].as_str(), m["source"].as_str()) {
            (Some(reason), _) => format!("<p>{}</p>", esc(reason)),
            (None, Some(source)) => {
                format!(
                    "<details><summary>source</summary>{}</details>",
                    esc(source)
                )
            }
            (None, None) => String::new(),
        };
        let by = m["recorded_by"]
            .as_str()
            .map(|by| format!(" by <span class=\"recorder\">{}</span>", esc(by)))
            .unwrap_or_default();
        let why = format!(
            r#"{why}<p class="recorded">recorded {}{by}</p>"#,
            esc(text(m, "recorded"))
        );
        let change = text(m, "change");
        let noc = esc(text(m, "noc"));
        let _ = write!(
            rows,
            r#"<tr class="{change}"><td>{change}</td><td>{}</td><th scope="row"><a href="/games/{id}/{noc}">{noc}</a></th><td><span class="dot {medal}" aria-hidden="true"></span>{medal}</td><td>{}, {}</td><td>{}</td><td class="why">{why}</td></tr>"#,
            esc(text(m, "date")),
            esc(text(m, "sport")),
            esc(text(m, "event")),
            athletes.join(", "),
            change = esc(change),
            medal = esc(text(m, "medal")),
        );
        rows.push('\n');
    }
    let moves = diff["rank_moves"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut move_rows = String::new();
    for m in moves {
        let _ = write!(
            move_rows,
            r#"<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>"#,
            esc(text(m, "noc")),
            rank_cell(m, "from"),
            rank_cell(m, "to"),
        );
    }
    let day = c.as_of.map_or_else(
        || "the table".to_owned(),
        |d| format!("the table as of {}", esc(d)),
    );
    let summary = format!(
        "{} medal(s) entered or left {day} between what the ledger knew at {} and at {}; {} rank move(s).",
        medals.len(),
        esc(c.known_at),
        esc(c.vs_known_at),
        moves.len()
    );
    let medal_table = if medals.is_empty() {
        String::new()
    } else {
        format!(
            r#"<div class="scroll"><table class="diff">
<caption>Medals that entered or left</caption>
<thead><tr><th scope="col">Change</th><th scope="col">Day</th><th scope="col">Code</th><th scope="col">Medal</th><th scope="col">Event</th><th scope="col">Athletes</th><th scope="col">Why</th></tr></thead>
<tbody>
{rows}</tbody></table></div>"#
        )
    };
    let move_table = if moves.is_empty() {
        String::new()
    } else {
        format!(
            r#"<div class="scroll"><table class="moves">
<caption>Rank moves</caption>
<thead><tr><th scope="col">Code</th><th scope="col">From</th><th scope="col">To</th></tr></thead>
<tbody>{move_rows}</tbody></table></div>"#
        )
    };
    format!(
        r#"<h1>{games} <span class="sub">corrections</span></h1>
<p>What the ledger knew of one day's table at one time, against what it knew at another: by default the final table as known at the close against as known now.</p>
<form class="bounds" method="get" action="/games/{id}/corrections">{inputs}<button type="submit">Show</button></form>
<p class="summary">{summary}</p>
{medal_table}
{move_table}
<p><a href="/api/diff/{id}{json}">JSON</a></p>"#,
        games = esc(g.name),
        inputs = date_inputs(&[
            ("as_of", "As of", c.as_of, "the day of the table"),
            ("known_at", "Known at", Some(c.known_at), "end of day, UTC"),
            (
                "vs_known_at",
                "Against",
                Some(c.vs_known_at),
                "end of day, UTC"
            ),
        ]),
        json = esc(&query(&[
            ("as_of", c.as_of),
            ("known_at", Some(c.known_at)),
            ("vs_known_at", Some(c.vs_known_at)),
        ])),
    )
}
