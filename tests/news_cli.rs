//! `podium check --text` and `podium extract` on the real binary, on a
//! ledger seeded with the bundled events: the seed articles' claims are read
//! and judged as the recorded ones are, nothing is recorded, the JSON spans
//! quote the input, extract's lines import (twice: no-op) and equal the
//! hand-made claims of events/, and bad input is one line and exit 1.

mod common;
use common::Ledger;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn seed(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/news/seeds")
        .join(name)
}

fn article(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/news/articles")
        .join(name)
}

/// A claim as the JSON gives it: games, noc, figure, value, bound, sport, athlete.
fn key(c: &Value) -> String {
    let s = |k: &str| c[k].as_str().unwrap_or_default().to_owned();
    format!(
        "{} {} {} {} {} {} {}",
        s("games"),
        s("noc"),
        s("figure"),
        c["value"],
        c["bound"].as_str().unwrap_or("exact"),
        s("sport"),
        s("athlete")
    )
}

#[test]
fn an_article_is_read_and_judged_and_nothing_is_recorded() {
    let ledger = Ledger::bundled();
    let before = ledger.ok(&["verify"]);
    let path = seed("002_d88bbd63f681d026.txt");
    let text = std::fs::read_to_string(&path).expect("seed");
    let claims = ledger.json(&[
        "check",
        "--text",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let claims = claims.as_array().expect("an array");
    // The hand-made claims of that article (events/60-...) are its claims, judged alike.
    let recorded = ledger.json(&["check", "--format", "json"]);
    let menafn: Vec<&Value> = recorded
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["source"]
                .as_str()
                .unwrap_or_default()
                .starts_with("MENAFN")
        })
        .collect();
    let read: BTreeSet<String> = claims.iter().map(key).collect();
    let made: BTreeSet<String> = menafn.iter().map(|c| key(c)).collect();
    assert_eq!(read, made);
    for c in claims {
        let same = menafn
            .iter()
            .find(|m| key(m) == key(c))
            .expect("a recorded twin");
        assert_eq!(c["verdict"], same["verdict"], "{c}");
        assert_eq!(c["ledger"], same["ledger"], "{c}");
        assert_eq!(c["date"], "2024-09-17");
        // The span quotes the input, in characters.
        let (start, end) = (
            c["span"]["start"].as_u64().unwrap() as usize,
            c["span"]["end"].as_u64().unwrap() as usize,
        );
        let quoted: String = text.chars().skip(start).take(end - start).collect();
        assert_eq!(quoted, c["words"].as_str().unwrap());
        let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let quote = c["quote"].as_str().unwrap();
        assert!(
            quote.contains(c["words"].as_str().unwrap()) && squeezed.contains(quote),
            "{c}"
        );
        assert_eq!(c["table"]["games"], c["games"]);
    }
    // Tokyo 2020 per MENAFN: contradicted by the ledger (AZE 14-1-4) and by Azernews 2023.
    let tokyo = claims
        .iter()
        .find(|c| c["games"] == "tokyo-2020-paralympics" && c["figure"] == "total")
        .expect("the Tokyo total");
    assert_eq!(tokyo["verdict"], "contradicted");
    assert_eq!(tokyo["ledger"]["value"], 19);
    assert_eq!(tokyo["table"]["as_of"], "2021-09-05");
    assert!(tokyo["contradicted_by"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["value"] == 19));
    assert_eq!(
        ledger.ok(&["verify"]),
        before,
        "check --text recorded something"
    );
}

#[test]
fn a_claim_true_when_written_and_corrected_since_says_so() {
    let ledger = Ledger::bundled();
    let out = ledger.ok(&[
        "check",
        "--text",
        article("09-sydney-2000-close.txt").to_str().unwrap(),
    ]);
    let line = out
        .lines()
        .position(|l| l.contains("sydney-2000 USA gold = 39"))
        .expect("the 39 golds");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[line].starts_with("CONTRADICTED"), "{out}");
    assert!(lines[line + 1].contains("ledger says 37"), "{out}");
    assert!(
        lines[line + 2].contains("true when written: the ledger said 39 as known on 2000-10-02"),
        "{out}"
    );
}

#[test]
fn stdin_html_and_a_given_date() {
    let ledger = Ledger::bundled();
    let html = "<p>Azerbaijan took <b>30th</b> place with 2 gold, 2 silver and 3 bronze medals at the Paris 2024 Olympics.</p>";
    let run = ledger.run_stdin(
        &[
            "check",
            "--text",
            "-",
            "--published",
            "2024-08-12",
            "--format",
            "json",
        ],
        html.as_bytes(),
    );
    assert_eq!(run.code, 0, "{run:?}");
    let claims: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let claims = claims.as_array().unwrap();
    assert_eq!(claims.len(), 4, "{claims:?}");
    assert!(
        claims.iter().all(|c| c["verdict"] == "confirmed"),
        "{claims:?}"
    );
    let rank = &claims[0];
    assert_eq!(rank["figure"], "rank");
    let (start, end) = (
        rank["span"]["start"].as_u64().unwrap() as usize,
        rank["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&html[start..end], "30th</b> place");
    // During the games a claim is judged against that day's table: on 1 August AZE had 2 golds, no silver.
    let during = ledger.run_stdin(
        &[
            "check",
            "--text",
            "-",
            "--published",
            "2024-08-01",
            "--format",
            "json",
        ],
        html.as_bytes(),
    );
    let during: Value = serde_json::from_str(&during.stdout).expect("JSON");
    let silver = during
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["figure"] == "silver")
        .expect("silver");
    assert_eq!(silver["verdict"], "contradicted");
    assert_eq!(silver["ledger"]["value"], 0);
    assert_eq!(silver["table"]["as_of"], "2024-08-01");
}

#[test]
fn extract_writes_lines_import_takes_and_they_are_the_hand_made_claims() {
    let ledger = Ledger::bundled();
    let scratch = Ledger::new();
    for (seed_name, events) in [
        ("000_972a850066ab27b6.txt", "30-azernews-2024-08-13-icesco"),
        (
            "003_1ca73d82589f9b11.txt",
            "50-idman-2024-09-08-paralympians",
        ),
    ] {
        let path = seed(seed_name);
        let lines = ledger.ok(&[
            "extract",
            path.to_str().unwrap(),
            "--publisher",
            "Azernews",
            "--id-scope",
            events,
        ]);
        let read: BTreeSet<(String, String)> = lines
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
            .filter(|e| e["type"] == "claim")
            .map(|e| (e["id"].as_str().unwrap().to_owned(), key(&e)))
            .collect();
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("events")
            .join(format!("{events}.jsonl"));
        let made: BTreeSet<(String, String)> = std::fs::read_to_string(file)
            .unwrap()
            .lines()
            .filter(|l| l.contains("\"type\":\"claim\""))
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .map(|e| (e["id"].as_str().unwrap().to_owned(), key(&e)))
            .collect();
        assert_eq!(read, made, "{seed_name}");
        let file = scratch.write(&format!("{events}.jsonl"), &lines);
        let first = scratch.ok(&["import", file.to_str().unwrap()]);
        assert!(
            first.starts_with(&format!("{} new", lines.lines().count())),
            "{first}"
        );
        let again = scratch.ok(&["import", file.to_str().unwrap()]);
        assert!(again.starts_with("0 new"), "{again}");
    }
    // The membership the ICESCO article states, with its year.
    let lines = ledger.ok(&[
        "extract",
        seed("000_972a850066ab27b6.txt").to_str().unwrap(),
        "--publisher",
        "Azernews",
    ]);
    assert!(
        lines.lines().any(
            |l| l.contains("\"type\":\"membership_began\",\"date\":\"1991\"")
                && l.contains("\"member\":\"AZE\"")
        ),
        "{lines}"
    );
}

#[test]
fn bad_articles_are_one_line_and_exit_1() {
    let ledger = Ledger::bundled();
    let undated = ledger.write("undated.txt", "Azerbaijan won 7 medals at Paris 2024.");
    let e = ledger
        .run(&["check", "--text", undated.to_str().unwrap()])
        .fails(1);
    assert!(
        e.contains("no publication date") && e.contains("--published"),
        "{e}"
    );
    let big = ledger.write("big.txt", "a ".repeat(600 * 1024));
    let e = ledger
        .run(&[
            "check",
            "--text",
            big.to_str().unwrap(),
            "--published",
            "2024-08-12",
        ])
        .fails(1);
    assert!(e.contains("longer than 1048576 bytes"), "{e}");
    let latin = ledger.write("latin.txt", b"caf\xe9".as_slice());
    let e = ledger
        .run(&[
            "check",
            "--text",
            latin.to_str().unwrap(),
            "--published",
            "2024-08-12",
        ])
        .fails(1);
    assert!(e.contains("not UTF-8"), "{e}");
    let e = ledger
        .run(&["check", "--text", "/nonexistent/article.txt"])
        .fails(1);
    assert!(e.contains("/nonexistent/article.txt"), "{e}");
    let e = ledger
        .run(&[
            "check",
            "--text",
            undated.to_str().unwrap(),
            "--published",
            "2024-02-30",
        ])
        .fails(1);
    assert!(e.contains("2024-02-30"), "{e}");
    let usage = ledger.run(&["extract", undated.to_str().unwrap()]);
    assert_eq!(usage.code, 2, "{usage:?}");
    assert!(usage.stderr.contains("--publisher"), "{usage:?}");
}
