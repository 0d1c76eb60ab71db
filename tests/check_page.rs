//! Checking an article over HTTP: `POST /api/check/text` answers what
//! `podium check --text --format json` prints, nothing is recorded, the body
//! and the published date are checked; and the page `/check` in headless
//! Chromium: the reader pastes an article and submits the form, every claim
//! the API finds is listed and marked in the text by its verdict with the
//! ledger's value, and the link beside a claim opens the table it was
//! judged against. The page without JavaScript (its HTML, every string
//! escaped) is checked too, and runs where Chromium is missing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod common;
mod webdriver;
use common::server::Server;
use common::Ledger;
use webdriver::{chromedriver, Browser, WAIT_MAX};

fn seed(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/news/seeds")
        .join(name)
}

/// `application/x-www-form-urlencoded`, as a browser sends a form.
fn form(fields: &[(&str, &str)]) -> String {
    let encode = |s: &str| {
        let mut out = String::new();
        for b in s.bytes() {
            match b {
                b' ' => out.push('+'),
                b if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) => out.push(char::from(b)),
                b => out.push_str(&format!("%{b:02X}")),
            }
        }
        out
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn the_endpoint_answers_what_the_command_line_prints_and_records_nothing() {
    let ledger = Ledger::bundled();
    let server = Server::start(&ledger, false);
    let path = seed("002_d88bbd63f681d026.txt");
    let article = std::fs::read(&path).expect("seed");
    let head = server.get("/api/head").body;
    let answer = server.post("/api/check/text", "text/plain; charset=utf-8", &article);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("content-type"), "application/json");
    let served = answer.json();
    let printed = ledger.json(&[
        "check",
        "--text",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        served, printed,
        "the API and the command line give one answer"
    );
    assert_eq!(served.as_array().map(Vec::len), Some(26));
    assert_eq!(server.get("/api/head").body, head, "nothing was recorded");

    // A date the article does not state comes from ?published=.
    let undated = b"Kenya won 11 medals at the Paris Olympics, four of them gold.";
    let refused = server.post("/api/check/text", "text/plain", undated);
    assert_eq!(refused.status, 400);
    assert!(refused.json()["error"]
        .as_str()
        .unwrap()
        .contains("no publication date"));
    let dated = server
        .post(
            "/api/check/text?published=2024-08-12",
            "text/plain",
            undated,
        )
        .json();
    let figures: Vec<(String, u64, String)> = dated
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["figure"].as_str().unwrap().into(),
                c["value"].as_u64().unwrap(),
                c["verdict"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("total".into(), 11, "confirmed".into()),
            ("gold".into(), 4, "confirmed".into())
        ]
    );
    let bad_date = server.post(
        "/api/check/text?published=2024-13-01",
        "text/plain",
        undated,
    );
    assert_eq!(bad_date.status, 400, "{}", bad_date.body);

    // Bounds: over 256 KiB is 413, as JSON; bytes that are not UTF-8 are 400.
    let big = vec![b'a'; 300 * 1024];
    let too_big = server.post("/api/check/text?published=2024-08-12", "text/plain", &big);
    assert_eq!(too_big.status, 413);
    assert!(too_big.json()["error"].as_str().unwrap().contains("262144"));
    let latin = server.post(
        "/api/check/text?published=2024-08-12",
        "text/plain",
        b"caf\xe9",
    );
    assert_eq!(latin.status, 400);
    // No token is needed, and GET is not the way.
    assert_eq!(server.get("/api/check/text").status, 405);
}

#[test]
fn the_page_marks_each_figure_with_and_without_javascript() {
    let ledger = Ledger::bundled();
    let server = Server::start(&ledger, false);
    let base = &server.base;
    let text = std::fs::read_to_string(seed("002_d88bbd63f681d026.txt")).expect("seed");
    let claims = server
        .post("/api/check/text", "text/plain", text.as_bytes())
        .json();
    let claims = claims.as_array().expect("claims").clone();

    // Without JavaScript: the form, and its answer drawn by the server.
    let empty = server.get("/check");
    assert_eq!(empty.status, 200);
    assert!(empty
        .body
        .contains(r#"<form id="check-form" method="post" action="/check""#));
    assert!(empty.body.contains(r#"<textarea name="text""#));
    let page = server.post(
        "/check",
        "application/x-www-form-urlencoded",
        form(&[("text", &text), ("published", "")]).as_bytes(),
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    let rows = page.body.matches("<tr class=\"").count();
    assert_eq!(rows, claims.len(), "a row per claim");
    assert!(
        page.body.contains(r#"<mark class="claim contradicted""#),
        "the 2024 article's Tokyo figures are contradicted"
    );
    assert!(page
        .body
        .contains(&format!(r#"data-claims="{}""#, claims.len())));
    // What the reader pasted is shown, never run: markup in the article is escaped.
    let hostile = "date 2024-08-12 <script>alert(1)</script> Kenya won 11 medals at the Paris Olympics & \"4 gold\".";
    let escaped = server.post(
        "/check",
        "application/x-www-form-urlencoded",
        form(&[("text", hostile)]).as_bytes(),
    );
    assert_eq!(escaped.status, 200, "{}", escaped.body);
    assert!(!escaped.body.contains("<script>alert"), "{}", escaped.body);
    assert!(
        escaped
            .body
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        escaped.body
    );
    assert!(
        escaped.body.contains("&amp; &quot;4 gold&quot;"),
        "{}",
        escaped.body
    );
    let undated = server.post(
        "/check",
        "application/x-www-form-urlencoded",
        form(&[("text", "Kenya won 11 medals.")]).as_bytes(),
    );
    assert_eq!(undated.status, 400);
    assert!(
        undated.body.contains(r#"class="error""#) && undated.body.contains("no publication date")
    );

    let Some(driver) = chromedriver() else {
        eprintln!("note: chromium or chromedriver is not installed; the page was checked without a browser");
        return;
    };
    let browser = Browser::start(&driver, ledger.dir());
    browser.go(&format!("{base}/check"));
    // What a reader does: paste the article and press Check.
    browser.script(
        "var f = document.getElementById('check-form');
         f.elements['text'].value = arguments[0];
         f.querySelector('button[type=submit]').click();",
        json!([text]),
    );
    let started = Instant::now();
    let shown = "var s = document.getElementById('checked'); return s ? s.getAttribute('data-claims') : null";
    while browser.script(shown, json!([])) == Value::Null {
        assert!(
            started.elapsed() < WAIT_MAX,
            "the checked article was not shown within {WAIT_MAX:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        browser.script(shown, json!([])),
        json!(claims.len().to_string())
    );
    // Every claim the API found is a row, in order, with its verdict and the ledger's value.
    let rows = browser.script(
        "return Array.from(document.querySelectorAll('#claims tbody tr')).map(function (tr) {
           return [tr.className, tr.cells[1].textContent, tr.cells[3].textContent];
         });",
        json!([]),
    );
    let expected: Vec<Value> = claims
        .iter()
        .map(|c| {
            let ledger = match c["ledger"]["value"].as_u64() {
                Some(v) => v.to_string(),
                None if c["ledger"].is_null() => "not in the ledger".to_owned(),
                None => "no rank".to_owned(),
            };
            json!([
                c["verdict"],
                format!("“{}”", c["words"].as_str().unwrap()),
                ledger
            ])
        })
        .collect();
    assert_eq!(rows, json!(expected));
    // The words are marked in the text: MENAFN's Tokyo 2020 total is contradicted, the ledger says 19.
    let mark = browser.script(
        "var m = Array.from(document.querySelectorAll('mark.claim')).find(function (m) {
           return m.getAttribute('title').indexOf('tokyo-2020-paralympics AZE total = 14') >= 0; });
         return m ? [m.className, m.textContent, m.nextElementSibling.textContent] : null;",
        json!([]),
    );
    assert_eq!(
        mark,
        json!(["claim contradicted", "14 medals", "ledger: 19"])
    );
    let marked = browser.script(
        "return document.querySelectorAll('mark.claim').length",
        json!([]),
    );
    assert!(
        marked.as_u64().unwrap() >= 20,
        "most figures are marked: {marked}"
    );
    browser.script(
        "document.querySelector('mark.claim.contradicted').scrollIntoView({block: 'center'})",
        json!([]),
    );
    browser.screenshot(
        &ledger.dir().join("check.png"),
        "PODIUM_CHECK_SCREENSHOT",
        "",
    );
    // On a phone the marked text wraps and the page does not scroll sideways.
    browser.resize(390, 844);
    let fits = "return document.documentElement.scrollWidth <= window.innerWidth";
    assert_eq!(
        browser.script(fits, json!([])),
        json!(true),
        "at 390 px the page does not scroll sideways"
    );
    // The link beside it opens the table it was judged against, at that as-of and known-at.
    let tokyo = claims
        .iter()
        .find(|c| c["games"] == "tokyo-2020-paralympics" && c["figure"] == "total")
        .expect("the Tokyo total");
    let known_at = tokyo["table"]["known_at"].as_str().unwrap();
    let href = browser.script(
        "var rows = Array.from(document.querySelectorAll('#claims tbody tr'));
         var row = rows.find(function (tr) { return tr.cells[2].textContent.indexOf('tokyo-2020-paralympics AZE total = 14') === 0; });
         var a = row.querySelector('a.table-link'); a.click(); return a.getAttribute('href');",
        json!([]),
    );
    assert_eq!(
        href,
        json!(format!(
            "/games/tokyo-2020-paralympics?as_of=2021-09-05&known_at={}",
            known_at.replace(':', "%3A")
        )),
    );
    let started = Instant::now();
    let azerbaijan = "var t = document.getElementById('medal-table'); if (!t) return null;
         var tr = Array.from(t.querySelectorAll('tbody tr')).find(function (r) { return r.cells[1].textContent.trim() === 'AZE'; });
         return tr ? Array.from(tr.cells).map(function (c) { return c.textContent.trim(); }) : null;";
    let row = loop {
        let row = browser.script(azerbaijan, json!([]));
        if row != Value::Null {
            break row;
        }
        assert!(
            started.elapsed() < WAIT_MAX,
            "the table was not shown within {WAIT_MAX:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(
        row,
        json!(["10", "AZE", "Azerbaijan", "14", "1", "4", "19"])
    );
}
