//! The page at `/` in a browser: `podium serve` on a temporary ledger of
//! the bundled events, driven by headless Chromium
//! through chromedriver (WebDriver over plain HTTP). The browser changes the
//! as-of and known-at dates; the rows the page's script draws must equal
//! `podium table ... --format json` for the same bounds, run by the real
//! binary on the same ledger. The HTML without JavaScript is checked too,
//! and runs even where Chromium or chromedriver is missing.
//!
//! `PODIUM_SCREENSHOT=path.png` also saves the screenshot there (README's
//! docs/serve-page.png), and a phone-width one beside it (`-phone.png`).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod common;
mod webdriver;
use common::server::Server;
use common::{Ledger, BIN};
use webdriver::{chromedriver, Browser, WAIT_MAX};

/// A table row as the test compares them: (rank, noc, gold, silver, bronze, total).
type Row = (Option<u64>, String, u64, u64, u64, u64);

/// GET: status, content type, cache control, body.
fn get(server: &Server, path: &str) -> (u16, String, String, String) {
    let answer = server.get(path);
    let (kind, cache) = (
        answer.header("content-type"),
        answer.header("cache-control"),
    );
    (answer.status, kind, cache, answer.body)
}

/// `podium --ledger LEDGER table ... --format json`, as rows.
fn cli_rows(ledger: &Path, args: &[&str]) -> Vec<Row> {
    let out = Command::new(BIN)
        .arg("--ledger")
        .arg(ledger)
        .arg("table")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("podium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    rows.as_array()
        .expect("an array")
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_u64().expect(k);
            let noc = r["noc"].as_str().expect("noc").to_owned();
            let rank = r["rank"].as_u64();
            (rank, noc, n("gold"), n("silver"), n("bronze"), n("total"))
        })
        .collect()
}

/// A row from the page's cells: rank ("–": not ranked), code, name, then
/// gold, silver, bronze, total.
fn row_of(cells: &[String]) -> Row {
    assert_eq!(cells.len(), 7, "seven cells: {cells:?}");
    let n = |i: usize| -> u64 {
        cells[i]
            .parse()
            .unwrap_or_else(|_| panic!("a count: {cells:?}"))
    };
    let rank = match cells[0].as_str() {
        "–" => None,
        r => Some(r.parse().unwrap_or_else(|_| panic!("a rank: {cells:?}"))),
    };
    (rank, cells[1].clone(), n(3), n(4), n(5), n(6))
}

/// The text of an HTML fragment, tags dropped.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// The rows of the medal table in a page's HTML, as the server wrote it.
fn html_rows(page: &str) -> Vec<Row> {
    let table = page
        .split_once(r#"id="medal-table""#)
        .expect("the medal table")
        .1;
    let body = table
        .split_once("<tbody>")
        .and_then(|(_, b)| b.split_once("</tbody>"))
        .expect("a tbody")
        .0;
    body.split("<tr")
        .skip(1)
        .map(|tr| row_of(&cells(tr)))
        .collect()
}

/// The text of each `<td>` and `<th>` of one row's HTML.
fn cells(tr: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut rest = tr;
    while let Some(start) = [rest.find("<td"), rest.find("<th")]
        .into_iter()
        .flatten()
        .min()
    {
        let cell = &rest[start..];
        let open = cell.find('>').expect("a whole tag") + 1;
        let close = cell.find("</t").expect("a closed cell");
        cells.push(strip_tags(&cell[open..close]).replace(" not ranked", ""));
        rest = &cell[close + 3..];
    }
    cells
}

#[test]
fn the_page_shows_the_table_the_cli_prints_with_and_without_javascript() {
    let ledger = Ledger::bundled();
    let server = Server::start(&ledger, false);
    let base = &server.base;

    // Without JavaScript: `/` is the latest summer games' final table.
    let (status, kind, _, home) = get(&server, "/");
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    let final_rows = cli_rows(&ledger.path, &["paris-2024"]);
    assert_eq!(
        final_rows[0],
        (Some(1), "USA".into(), 40, 44, 42, 126),
        "the known fact"
    );
    assert_eq!(html_rows(&home), final_rows);
    for needle in [
        "<caption>",
        r#"<th scope="col""#,
        r#"<th scope="row""#,
        r#"<label>As of <input type="date" name="as_of""#,
        r#"name="known_at""#,
        r#"class="unranked""#,
        r#"name="viewport""#,
    ] {
        assert!(home.contains(needle), "{needle} in the page");
    }

    // A Games day as known before the correction: CHILES's bronze still
    // counts for USA and BARBOSU's not yet for ROU.
    let (as_of, known_at) = ("2024-08-06", "2024-08-10");
    let bounded = cli_rows(
        &ledger.path,
        &["paris-2024", "--as-of", as_of, "--known-at", known_at],
    );
    let now = cli_rows(&ledger.path, &["paris-2024", "--as-of", as_of]);
    let bronze = |rows: &[Row], noc: &str| rows.iter().find(|r| r.1 == noc).map_or(0, |r| r.4);
    assert_eq!(bronze(&bounded, "USA"), bronze(&now, "USA") + 1);
    assert_eq!(bronze(&bounded, "ROU") + 1, bronze(&now, "ROU"));
    let query = format!("as_of={as_of}&known_at={known_at}");
    let (_, _, _, page) = get(&server, &format!("/games/paris-2024?{query}"));
    assert_eq!(html_rows(&page), bounded, "the GET form's answer");

    // The other pages of a games.
    let (status, _, _, usa) = get(&server, "/games/paris-2024/USA");
    assert_eq!(status, 200);
    assert!(
        usa.contains("<svg") && usa.contains("data-"),
        "the rank chart"
    );
    assert!(
        usa.contains("<th scope=\"row\">2024-08-11</th>"),
        "a row per day"
    );
    let (_, _, _, race) = get(&server, "/games/paris-2024/race?top=3");
    assert!(race.contains("<svg") && race.contains("<th scope=\"col\">#3</th>"));
    let (_, _, _, fixed) = get(
        &server,
        "/games/paris-2024/corrections?as_of=2024-08-11&known_at=2024-08-10",
    );
    assert!(
        fixed.contains("BARBOSU") && fixed.contains("CHILES"),
        "{fixed}"
    );
    let (status, _, _, missing) = get(&server, "/games/no-such-games");
    assert_eq!(status, 404, "{missing}");

    // Every games, and the all-time table, filtered by movement and season:
    // the Paralympic Games are among them, and the table is the CLI's.
    let (_, _, _, winter) = get(&server, "/games?movement=paralympic&season=winter");
    assert!(
        winter.contains(r#"<option value="paralympic" selected>"#),
        "{winter}"
    );
    assert!(
        winter.contains("/games/lillehammer-1994-paralympics"),
        "{winter}"
    );
    assert!(!winter.contains("/games/paris-2024\""), "{winter}");
    assert!(winter.contains("known only as counts"), "{winter}");
    let (_, _, _, all) = get(&server, "/all-time?movement=paralympic");
    let rows = common::table_rows(&ledger.json(&[
        "table",
        "--all",
        "--movement",
        "paralympic",
        "--format",
        "json",
    ]));
    let expected: Vec<Row> = rows
        .into_iter()
        .map(|r| (r.1, r.0, r.2, r.3, r.4, r.5))
        .collect();
    assert_eq!(html_rows(&all), expected, "the paralympic all-time table");
    let (status, _, _, _) = get(&server, "/all-time?season=spring");
    assert_eq!(status, 400);
    let (status, kind, cache, css) = get(&server, "/assets/page.css");
    assert_eq!((status, kind.as_str()), (200, "text/css; charset=utf-8"));
    assert!(cache.contains("immutable") && css.contains("@media"));
    let (_, kind, _, _) = get(&server, "/assets/page.js");
    assert_eq!(kind, "text/javascript; charset=utf-8");

    let Some(driver) = chromedriver() else {
        eprintln!("note: chromium or chromedriver is not installed; the page was checked without a browser");
        return;
    };
    let browser = Browser::start(&driver, ledger.dir());
    browser.go(&format!("{base}/"));
    assert_eq!(page_rows(&browser), final_rows, "the page as served");
    // What a reader does: pick the dates; the script re-reads the table.
    browser.script(
        "var f = document.getElementById('bounds');
         [['as_of', arguments[0]], ['known_at', arguments[1]]].forEach(function (p) {
           f.elements[p[0]].value = p[1];
           f.elements[p[0]].dispatchEvent(new Event('input', { bubbles: true }));
           f.elements[p[0]].dispatchEvent(new Event('change', { bubbles: true }));
         });",
        json!([as_of, known_at]),
    );
    let started = Instant::now();
    let shown = "return document.getElementById('medal-table').getAttribute('data-shown')";
    while browser.script(shown, json!([])) != json!(query) {
        assert!(
            started.elapsed() < WAIT_MAX,
            "the table was not redrawn for {query} within {WAIT_MAX:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(page_rows(&browser), bounded, "the rows the script drew");
    assert_eq!(
        browser.script("return location.pathname + location.search", json!([])),
        json!(format!("/games/paris-2024?{query}")),
        "the URL follows the dates"
    );

    let png = browser.screenshot(&ledger.dir().join("page.png"), "PODIUM_SCREENSHOT", "");
    assert!(png.0 >= 1000, "a desktop-wide screenshot: {png:?}");
    browser.resize(390, 844);
    let fits = "return document.documentElement.scrollWidth <= window.innerWidth";
    assert_eq!(
        browser.script(fits, json!([])),
        json!(true),
        "at 390 px the page itself does not scroll sideways"
    );
    browser.screenshot(
        &ledger.dir().join("phone.png"),
        "PODIUM_SCREENSHOT",
        "-phone",
    );
}

/// The rows of the medal table the browser shows.
fn page_rows(browser: &Browser) -> Vec<Row> {
    let cells = browser.script(
        "return Array.from(document.querySelectorAll('#medal-table tbody tr')).map(function (tr) {
           return Array.from(tr.cells).map(function (c) {
             return c.textContent.replace(' not ranked', '').trim();
           });
         });",
        json!([]),
    );
    let cells: Vec<Vec<String>> = serde_json::from_value(cells).expect("rows of cells");
    cells.iter().map(|c| row_of(c)).collect()
}
