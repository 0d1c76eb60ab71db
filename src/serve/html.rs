//! The pages' HTML: the layout every page shares, the bounds form, the medal
//! table and the list of games. It renders answers as `answer::answer` wrote
//! them (`--format json`), so a page shows exactly what the API serves; it
//! never ranks or counts. Every string from the ledger or the request goes
//! through `esc`.

use std::fmt::Write;

use serde_json::Value;

/// The stylesheet and the script, compiled in.
pub(super) const CSS: &str = include_str!("assets/page.css");
pub(super) const JS: &str = include_str!("assets/page.js");

/// FNV-1a of the assets: their URLs carry it, so they can be cached for
/// good and a new binary's assets are fetched anew.
pub(super) const ASSETS_VERSION: u64 = fnv1a(CSS.as_bytes()) ^ fnv1a(JS.as_bytes());

const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// Text made safe for HTML content and quoted attribute values.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A string field of a JSON answer ("" when absent).
pub(super) fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

/// A number field of a JSON answer, as text ("" when absent or null).
pub(super) fn num(v: &Value, key: &str) -> String {
    v[key].as_u64().map(|n| n.to_string()).unwrap_or_default()
}

/// A query string of the bounds that are set, `?` included ("" for none).
pub(super) fn query(pairs: &[(&str, Option<&str>)]) -> String {
    let set: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}", url_encode(v))))
        .collect();
    if set.is_empty() {
        String::new()
    } else {
        format!("?{}", set.join("&"))
    }
}

/// Percent-encodes everything but unreserved characters.
pub(super) fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// One games as `games --format json` lists it.
pub(super) struct GamesInfo<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub opens: &'a str,
    pub closes: &'a str,
}

impl<'a> GamesInfo<'a> {
    pub fn of(v: &'a Value) -> GamesInfo<'a> {
        GamesInfo {
            id: text(v, "games"),
            name: text(v, "name"),
            opens: text(v, "opens"),
            closes: text(v, "closes"),
        }
    }
}

/// Which of a games' pages is shown, for its navigation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Tab {
    Table,
    Race,
    Corrections,
    Delegation,
}

/// A whole page: `body` inside the layout; `games` adds the games' tabs,
/// whose links keep `known_at`.
pub(super) fn layout(
    title: &str,
    games: Option<(&GamesInfo, Tab)>,
    known_at: Option<&str>,
    body: &str,
    seq: Option<u64>,
) -> String {
    let mut tabs = String::new();
    if let Some((g, tab)) = games {
        let id = url_encode(g.id);
        let keep = query(&[("known_at", known_at)]);
        let link = |t: Tab, href: String, label: &str| {
            let current = if t == tab {
                r#" aria-current="page""#
            } else {
                ""
            };
            format!(r#"<a href="{href}" data-keep="known_at"{current}>{label}</a>"#)
        };
        let _ = write!(
            tabs,
            r#"<nav class="tabs" aria-label="{name}">{}{}{}</nav>"#,
            link(Tab::Table, format!("/games/{id}{keep}"), "Medal table"),
            link(Tab::Race, format!("/games/{id}/race{keep}"), "Race"),
            link(
                Tab::Corrections,
                format!("/games/{id}/corrections"),
                "Corrections"
            ),
            name = esc(g.name),
        );
    }
    let ledger = seq.map_or_else(String::new, |s| {
        format!("Answered from the ledger as of event {s}. ")
    });
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · podium</title>
<link rel="stylesheet" href="/assets/page.css?v={v:x}">
<script src="/assets/page.js?v={v:x}" defer></script>
</head>
<body>
<header class="site">
<a class="brand" href="/">podium</a>
<nav class="site-nav" aria-label="podium"><a href="/games">All games</a><a href="/all-time">All-time table</a><a href="/check">Check an article</a></nav>
</header>
<main>
{tabs}
{body}
</main>
<footer>{ledger}Every page is also JSON under <a href="/api/games">/api/</a>.</footer>
</body>
</html>
"#,
        title = esc(title),
        v = ASSETS_VERSION,
    )
}

/// The date inputs of a bounds form: `(name, label, value, hint)`. A time
/// that is not a plain date (RFC 3339 in the URL) stays editable as text.
pub(super) fn date_inputs(inputs: &[(&str, &str, Option<&str>, &str)]) -> String {
    let mut out = String::new();
    for (name, label, value, hint) in inputs {
        let value = value.unwrap_or_default();
        let kind = if value.is_empty() || crate::event::parse_date(value).is_ok() {
            "date"
        } else {
            "text"
        };
        let _ = write!(
            out,
            r#"<label>{label} <input type="{kind}" name="{name}" value="{value}"><small>{hint}</small></label>"#,
            value = esc(value),
        );
    }
    out
}

/// The season and movement choices of `/games` and `/all-time` (any when
/// not chosen); the values are the command line's, which checks them.
pub(super) fn series_inputs(season: Option<&str>, movement: Option<&str>) -> String {
    let select = |name: &str, label: &str, chosen: Option<&str>, values: &[&str]| {
        let mut out =
            format!(r#"<label>{label} <select name="{name}"><option value="">any</option>"#);
        for v in values {
            let selected = if chosen == Some(*v) { " selected" } else { "" };
            let _ = write!(out, r#"<option value="{v}"{selected}>{v}</option>"#);
        }
        out.push_str("</select></label>");
        out
    };
    let seasons = crate::event::Season::ALL.map(crate::event::Season::as_str);
    let movements = crate::event::Movement::ALL.map(crate::event::Movement::as_str);
    select("season", "Season", season, &seasons)
        + &select("movement", "Movement", movement, &movements)
}

/// Which games a cross-games table takes, in words.
pub(super) fn series_text(season: Option<&str>, movement: Option<&str>) -> String {
    match (season, movement) {
        (None, None) => "every games".to_owned(),
        (s, m) => {
            let words: Vec<String> = [s, m].into_iter().flatten().map(esc).collect();
            format!("the {} games", words.join(" "))
        }
    }
}

/// The words for a pair of bounds, as the caption shows them (page.js
/// writes the same).
pub(super) fn bounds_text(as_of: Option<&str>, known_at: Option<&str>) -> String {
    let as_of = as_of.map_or_else(|| "final".to_owned(), |d| format!("as of {}", esc(d)));
    let known = known_at.map_or_else(
        || "as known now".to_owned(),
        |t| match crate::event::parse_date(t) {
            Ok(_) => format!("as known at the end of {} (UTC)", esc(t)),
            Err(_) => format!("as known at {}", esc(t)),
        },
    );
    format!("{as_of}, {known}")
}

/// The medal table: `rows` as `table --format json` prints them; each code
/// links to its delegation page when `games` is given.
pub(super) fn medal_table(
    rows: &Value,
    caption: &str,
    games: Option<&str>,
    known_at: Option<&str>,
) -> String {
    let mut body = String::new();
    let rows = rows.as_array().map(Vec::as_slice).unwrap_or_default();
    for r in rows {
        let noc = esc(text(r, "noc"));
        let code = match games {
            Some(g) => format!(
                r#"<a href="/games/{}/{noc}{}">{noc}</a>"#,
                url_encode(g),
                esc(&query(&[("known_at", known_at)]))
            ),
            None => noc.clone(),
        };
        let (class, rank, tag) = if r["rank"].is_null() {
            (
                r#" class="unranked""#,
                r#"<abbr title="not ranked">–</abbr>"#.to_owned(),
                r#" <span class="tag">not ranked</span>"#,
            )
        } else {
            ("", num(r, "rank"), "")
        };
        let _ = write!(
            body,
            r#"<tr{class} data-noc="{noc}"><td class="rank">{rank}</td><th scope="row">{code}</th><td class="name">{name}{tag}</td><td>{g}</td><td>{s}</td><td>{b}</td><td class="total">{t}</td></tr>"#,
            name = esc(text(r, "name")),
            g = num(r, "gold"),
            s = num(r, "silver"),
            b = num(r, "bronze"),
            t = num(r, "total"),
        );
        body.push('\n');
    }
    if rows.is_empty() {
        body.push_str(r#"<tr class="empty"><td colspan="7">No medal counts yet.</td></tr>"#);
    }
    format!(
        r#"<div class="scroll">
<table class="medals" id="medal-table">
<caption>{caption}</caption>
<thead><tr><th scope="col" class="rank">Rank</th><th scope="col">Code</th><th scope="col" class="name">Delegation</th><th scope="col"><span class="dot gold" aria-hidden="true"></span>Gold</th><th scope="col"><span class="dot silver" aria-hidden="true"></span>Silver</th><th scope="col"><span class="dot bronze" aria-hidden="true"></span>Bronze</th><th scope="col" class="total">Total</th></tr></thead>
<tbody>
{body}</tbody>
</table>
</div>"#
    )
}

/// The list of games, newest first, grouped by season and movement.
pub(super) fn games_list(games: &Value) -> String {
    let all = games.as_array().map(Vec::as_slice).unwrap_or_default();
    let groups = [
        ("Summer Olympic Games", Some("summer"), Some("olympic")),
        ("Winter Olympic Games", Some("winter"), Some("olympic")),
        (
            "Summer Paralympic Games",
            Some("summer"),
            Some("paralympic"),
        ),
        (
            "Winter Paralympic Games",
            Some("winter"),
            Some("paralympic"),
        ),
        ("Summer Youth Olympic Games", Some("summer"), Some("youth")),
        ("Winter Youth Olympic Games", Some("winter"), Some("youth")),
    ];
    let in_group = |g: &Value, season: Option<&str>, movement: Option<&str>| {
        g["season"].as_str() == season && g["movement"].as_str() == movement
    };
    let mut out = String::new();
    let mut sections: Vec<(&str, Vec<&Value>)> = groups
        .iter()
        .map(|(title, s, m)| (*title, all.iter().filter(|g| in_group(g, *s, *m)).collect()))
        .collect();
    let other = all
        .iter()
        .filter(|g| !groups.iter().any(|(_, s, m)| in_group(g, *s, *m)))
        .collect();
    sections.push(("Other games", other));
    for (title, mut list) in sections {
        if list.is_empty() {
            continue;
        }
        list.sort_by(|a, b| text(b, "opens").cmp(text(a, "opens")));
        let _ = write!(out, "<section><h2>{title}</h2><ul class=\"games\">");
        for g in list {
            let info = GamesInfo::of(g);
            let counted = match g["counted"].as_u64() {
                Some(n) if n > 0 => format!(", {n} known only as counts"),
                _ => String::new(),
            };
            let _ = write!(
                out,
                r#"<li><a href="/games/{}">{}</a> <small>{} – {}, {} medals{counted}</small></li>"#,
                url_encode(info.id),
                esc(info.name),
                esc(info.opens),
                esc(info.closes),
                num(g, "medals"),
            );
        }
        out.push_str("</ul></section>\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_text_cannot_become_markup() {
        assert_eq!(
            esc(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        let rows = serde_json::json!([{"rank": null, "noc": "AIN", "name": "<b>x</b>",
            "gold": 1, "silver": 0, "bronze": 0, "total": 1}]);
        let html = medal_table(&rows, "c", Some("g"), Some("2024-08-10T00:00:00+02:00"));
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"), "{html}");
        assert!(html.contains("class=\"unranked\""), "{html}");
        assert!(
            html.contains("known_at=2024-08-10T00%3A00%3A00%2B02%3A00"),
            "{html}"
        );
    }
}
