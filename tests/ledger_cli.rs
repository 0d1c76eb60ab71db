//! The ledger core through the real `podium` binary: import, the medal table
//! against the official Paris 2024 table and an independent fold of the
//! Kaggle CSV, both time axes (--as-of, --known-at), revocation, idempotent
//! import, the hash chain, atomic import, export round trip, append, log,
//! games, closed pipes and the default ledger.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Read;
use std::process::{Command, Stdio};

use common::{
    award, bundled_events, games_event, id, line, table_rows, Ledger, TableRow, BIN, EVENTS, GAMES,
};
use serde_json::{json, Value};

/// The official final table: (noc, rank, gold, silver, bronze, total), in its order.
fn official_table() -> Vec<TableRow> {
    let text = std::fs::read_to_string(common::data("paris-2024-official-table.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len() as u64, v["length"].as_u64().unwrap());
    results
        .iter()
        .map(|r| {
            let m = |k: &str| r["medals"][k].as_u64().unwrap();
            (
                r["country"]["code"].as_str().unwrap().to_owned(),
                Some(r["rank"].as_u64().unwrap()),
                m("gold"),
                m("silver"),
                m("bronze"),
                m("total"),
            )
        })
        .collect()
}

/// Checks a final Paris 2024 table: the 91 ranked rows are the official table
/// (same order), and AIN is listed unranked with 1-3-1.
fn assert_official(rows: &[TableRow]) {
    let official = official_table();
    assert_eq!(official.len(), 91);
    let ranked: Vec<TableRow> = rows.iter().filter(|r| r.0 != "AIN").cloned().collect();
    assert_eq!(ranked, official);
    let ain: Vec<&TableRow> = rows.iter().filter(|r| r.0 == "AIN").collect();
    assert_eq!(ain, [&("AIN".to_owned(), None, 1, 3, 1, 5)]);
    assert_eq!(rows.len(), 92);
}

#[test]
fn bundled_events_give_the_official_table() {
    let ledger = Ledger::bundled();
    let rows = table_rows(&ledger.json(&["table", "paris-2024", "--format", "json"]));
    assert_official(&rows);
    // AIN keeps its place by its counts: no ranked row after it is ahead of it.
    let at = rows.iter().position(|r| r.0 == "AIN").unwrap();
    let key = |r: &TableRow| (r.2, r.3, r.4);
    assert!(key(&rows[at - 1]) >= key(&rows[at]) && key(&rows[at]) >= key(&rows[at + 1]));
}

/// A minimal RFC 4180 reader for one line (the file has quoted fields with
/// commas, and no field spans lines).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quote in {line:?}");
    fields.push(field);
    fields
}

#[test]
fn csv_reader_handles_quotes() {
    assert_eq!(
        csv_fields(r#"a,"b, c","d ""e""",,f"#),
        ["a", "b, c", "d \"e\"", "", "f"]
    );
}

/// One medal of the Kaggle CSV.
struct CsvMedal {
    date: String,
    medal: &'static str,
    noc: String,
    discipline: String,
    event: String,
    name: String,
}

fn csv_medals() -> Vec<CsvMedal> {
    let text = std::fs::read_to_string(common::data("paris-2024-olympics-medals.csv")).unwrap();
    let mut lines = text.lines();
    let header = csv_fields(lines.next().unwrap());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (type_, date, name, discipline, event, noc) = (
        col("medal_type"),
        col("medal_date"),
        col("name"),
        col("discipline"),
        col("event"),
        col("country_code"),
    );
    let medals: Vec<CsvMedal> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f = csv_fields(l);
            assert_eq!(f.len(), header.len(), "{l}");
            CsvMedal {
                date: f[date].clone(),
                medal: match f[type_].as_str() {
                    "Gold Medal" => "gold",
                    "Silver Medal" => "silver",
                    "Bronze Medal" => "bronze",
                    other => panic!("medal type {other:?}"),
                },
                noc: f[noc].clone(),
                discipline: f[discipline].clone(),
                event: f[event].clone(),
                name: f[name].clone(),
            }
        })
        .collect();
    assert_eq!(medals.len(), 1044);
    medals
}

/// The CSV as podium JSON Lines: the games, then one award per row; no
/// `recorded`, so the import stamps them.
fn csv_as_jsonl(medals: &[CsvMedal]) -> String {
    let ns = uuid::Uuid::parse_str("2f9c4d1e-7a53-5b8e-9c61-0d4e8a7b3f12").unwrap();
    let mut out = line(&json!({
        "id": uuid::Uuid::new_v5(&ns, b"test|csv|games").to_string(),
        "type": "games_registered", "date": "2024-07-26",
        "source": "tests/data/paris-2024-olympics-medals.csv",
        "games": "paris-2024", "name": "Paris 2024 (from the Kaggle CSV)",
        "closes": "2024-08-11", "unranked": ["AIN"],
    }));
    for (i, m) in medals.iter().enumerate() {
        out.push_str(&line(&json!({
            "id": uuid::Uuid::new_v5(&ns, format!("test|csv|{i}").as_bytes()).to_string(),
            "type": "medal_awarded", "date": m.date,
            "games": "paris-2024", "sport": m.discipline, "event": m.event,
            "medal": m.medal, "noc": m.noc, "athletes": [m.name],
        })));
    }
    out
}

/// The table of the medals dated on or before `day`, ranked independently of
/// podium: by (gold, silver, bronze) descending, then code; a ranked row's
/// rank is 1 + the number of ranked rows with a strictly better triple; AIN is
/// listed but unranked.
fn expected_table(medals: &[CsvMedal], day: &str) -> Vec<TableRow> {
    let mut counts: BTreeMap<&str, [u64; 3]> = BTreeMap::new();
    for m in medals.iter().filter(|m| m.date.as_str() <= day) {
        let c = counts.entry(&m.noc).or_default();
        match m.medal {
            "gold" => c[0] += 1,
            "silver" => c[1] += 1,
            _ => c[2] += 1,
        }
    }
    let mut rows: Vec<(&str, [u64; 3])> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    rows.iter()
        .map(|&(noc, c)| {
            let rank = (noc != "AIN")
                .then(|| 1 + rows.iter().filter(|(n, o)| *n != "AIN" && *o > c).count() as u64);
            (noc.to_owned(), rank, c[0], c[1], c[2], c[0] + c[1] + c[2])
        })
        .collect()
}

#[test]
fn csv_converted_independently_matches_the_official_table_day_by_day() {
    let medals = csv_medals();
    let ledger = Ledger::new();
    let out = ledger.import_text("csv-medals.jsonl", &csv_as_jsonl(&medals));
    assert_eq!(
        out,
        "1045 new, 0 already recorded; 1045 events in the ledger\n"
    );
    let final_rows = table_rows(&ledger.json(&["table", "paris-2024", "--format", "json"]));
    assert_official(&final_rows);
    assert_eq!(final_rows, expected_table(&medals, "2024-08-11"));

    let first = jiff::civil::date(2024, 7, 27);
    let days: Vec<String> = (0..16)
        .map(|i| {
            first
                .checked_add(jiff::Span::new().days(i))
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(days.last().unwrap(), "2024-08-11");
    for day in &days {
        let got =
            table_rows(&ledger.json(&["table", "paris-2024", "--as-of", day, "--format", "json"]));
        assert_eq!(got, expected_table(&medals, day), "as of {day}");
        assert!(!got.is_empty(), "medals were won on {day}");
    }
    // Before the first final nobody has a medal.
    let empty = ledger.json(&[
        "table",
        "paris-2024",
        "--as-of",
        "2024-07-26",
        "--format",
        "json",
    ]);
    assert_eq!(empty, json!([]));
}

#[test]
fn rank_of_azerbaijan_in_both_games() {
    let ledger = Ledger::bundled();
    assert_eq!(
        ledger.json(&["rank", "paris-2024", "AZE", "--format", "json"]),
        json!({"rank":30,"tied_with":["CRO"],"gold":2,"silver":2,"bronze":3,"total":7})
    );
    assert_eq!(
        ledger.json(&["rank", "paris-2024-paralympics", "AZE", "--format", "json"]),
        json!({"rank":28,"tied_with":[],"gold":4,"silver":2,"bronze":5,"total":11})
    );
    assert_eq!(
        ledger.ok(&["rank", "paris-2024", "AZE"]),
        "AZE in paris-2024: rank 30 (tied with CRO); 2 gold, 2 silver, 3 bronze, 7 total\n"
    );
    // AIN has medals but no rank; a code without medals has neither.
    let ain = ledger.json(&["rank", "paris-2024", "AIN", "--format", "json"]);
    assert_eq!(ain["rank"], Value::Null);
    assert_eq!(ain["total"], 5);
    let none = ledger.json(&["rank", "paris-2024", "ZZZ", "--format", "json"]);
    assert_eq!(
        none,
        json!({"rank":null,"tied_with":[],"gold":0,"silver":0,"bronze":0,"total":0})
    );
}

/// (gold, silver, bronze) of `noc` in a paris-2024 table with extra arguments.
fn counts(ledger: &Ledger, noc: &str, extra: &[&str]) -> (u64, u64, u64) {
    let mut args = vec!["table", "paris-2024", "--format", "json"];
    args.extend_from_slice(extra);
    let rows = table_rows(&ledger.json(&args));
    let r = rows.iter().find(|r| r.0 == noc).unwrap();
    (r.2, r.3, r.4)
}

#[test]
fn floor_exercise_bronze_moves_from_usa_to_rou_when_it_became_known() {
    let ledger = Ledger::bundled();
    // Known at the end of 2024-08-10: CHILES's bronze still stands, and the
    // medals of the last day are not yet known.
    for extra in [
        &["--known-at", "2024-08-10"][..],
        &["--known-at", "2024-08-10", "--as-of", "2024-08-10"][..],
        &["--known-at", "2024-08-10T23:59:59Z"][..],
    ] {
        assert_eq!(counts(&ledger, "USA", extra), (38, 42, 42), "{extra:?}");
        assert_eq!(counts(&ledger, "ROU", extra), (3, 4, 1), "{extra:?}");
    }
    // As known today, the bronze was never CHILES's: as of 2024-08-10 too.
    assert_eq!(
        counts(&ledger, "USA", &["--as-of", "2024-08-10"]),
        (38, 42, 41)
    );
    assert_eq!(
        counts(&ledger, "ROU", &["--as-of", "2024-08-10"]),
        (3, 4, 2)
    );
    assert_eq!(counts(&ledger, "USA", &[]), (40, 44, 42));
    assert_eq!(counts(&ledger, "ROU", &[]), (3, 4, 2));
    // The IOC statement was recorded at 12:00 UTC on 2024-08-11.
    let before = [
        "--known-at",
        "2024-08-11T11:59:59Z",
        "--as-of",
        "2024-08-10",
    ];
    assert_eq!(counts(&ledger, "ROU", &before), (3, 4, 1));
    let after = [
        "--known-at",
        "2024-08-11T12:00:00Z",
        "--as-of",
        "2024-08-10",
    ];
    assert_eq!(counts(&ledger, "ROU", &after), (3, 4, 2));

    let log = ledger.ok(&["log", "--kind", "medal_revoked", "--from", "2024-01-01"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 1, "{log}");
    assert!(lines[0].contains("medal_revoked"), "{log}");
    assert!(
        lines[0].contains("revokes 5705b3f0-fe76-5c17-9ff0-3b9caaee8a5f"),
        "{log}"
    );
    assert!(lines[0].contains("2024-08-11T12:00:00Z"), "{log}");
}

/// The `recorded` of the event with this id, from `log --format jsonl`.
fn recorded_of(ledger: &Ledger, id: &str) -> String {
    ledger
        .ok(&["log", "--format", "jsonl"])
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not in the log"))["recorded"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn nocs(ledger: &Ledger, extra: &[&str]) -> Vec<(String, Option<u64>)> {
    let mut args = vec!["table", GAMES, "--format", "json"];
    args.extend_from_slice(extra);
    table_rows(&ledger.json(&args))
        .into_iter()
        .map(|r| (r.0, r.1))
        .collect()
}

fn uuid_line(out: &str) -> uuid::Uuid {
    let text = common::one_line(out);
    uuid::Uuid::parse_str(&text).unwrap_or_else(|e| panic!("{text:?} is not a UUID: {e}"))
}

#[test]
fn a_revocation_counts_from_its_date_and_from_when_it_was_recorded() {
    let ledger = Ledger::new();
    uuid_line(&ledger.ok(&[
        "append",
        "games",
        "--games",
        GAMES,
        "--name",
        "Test Games",
        "--opens",
        "2024-07-01",
        "--closes",
        "2024-07-10",
    ]));
    let medal = |date: &str, medal: &str, noc: &str| {
        uuid_line(&ledger.ok(&[
            "append",
            "medal",
            "--games",
            GAMES,
            "--date",
            date,
            "--sport",
            "Judo",
            "--event",
            noc,
            "--medal",
            medal,
            "--noc",
            noc,
            "--athlete",
            "Someone",
        ]))
        .to_string()
    };
    let gold = medal("2024-07-02", "gold", "AAA");
    let silver = medal("2024-07-03", "silver", "BBB");
    let known_before = recorded_of(&ledger, &silver);

    let both = vec![("AAA".to_owned(), Some(1)), ("BBB".to_owned(), Some(2))];
    let only_b = vec![("BBB".to_owned(), Some(1))];
    assert_eq!(nocs(&ledger, &[]), both);

    let revocation = uuid_line(&ledger.ok(&[
        "revoke",
        &gold,
        "--date",
        "2024-07-05",
        "--reason",
        "a test revocation",
    ]))
    .to_string();
    let recorded = recorded_of(&ledger, &revocation);
    assert!(recorded > known_before, "{recorded} after {known_before}");

    // Valid time: the award counts before the revocation's date, not from it on.
    assert_eq!(nocs(&ledger, &["--as-of", "2024-07-04"]), both);
    assert_eq!(nocs(&ledger, &["--as-of", "2024-07-05"]), only_b);
    assert_eq!(nocs(&ledger, &["--as-of", "2024-07-10"]), only_b);
    assert_eq!(nocs(&ledger, &[]), only_b);
    // Transaction time: before the revocation was recorded, the old table.
    assert_eq!(nocs(&ledger, &["--known-at", &known_before]), both);
    assert_eq!(
        nocs(
            &ledger,
            &["--known-at", &known_before, "--as-of", "2024-07-05"]
        ),
        both
    );
    assert_eq!(nocs(&ledger, &["--known-at", &recorded]), only_b);
    // Before the games were known there is no table at all.
    let err = ledger
        .run(&["table", GAMES, "--known-at", "2000-01-01"])
        .fails(1);
    assert!(err.contains("unknown games test-games"), "{err}");

    let log = ledger.ok(&["log", "--kind", "medal_revoked", "--from", "2024-01-01"]);
    assert!(log.contains(&format!("revokes {gold}")), "{log}");
    // A revoked award cannot be revoked again.
    let err = ledger
        .run(&["revoke", &gold, "--date", "2024-07-06", "--reason", "again"])
        .fails(1);
    assert!(err.contains("already revoked"), "{err}");
}

#[test]
fn importing_twice_changes_nothing_and_old_digests_stay_links() {
    let ledger = Ledger::new();
    let olympics = format!("{EVENTS}/20-paris-2024-olympics.jsonl");
    let first = ledger.ok(&["import", &olympics]);
    let n: u64 = first.split(' ').next().unwrap().parse().unwrap();
    assert!(n > 1000, "{first}");
    assert_eq!(
        first,
        format!("{n} new, 0 already recorded; {n} events in the ledger\n")
    );
    let (count, digest) = ledger.verify();
    assert_eq!(count, n);

    let second = ledger.ok(&["import", &olympics]);
    assert_eq!(
        second,
        format!("0 new, {n} already recorded; {n} events in the ledger\n")
    );
    assert_eq!(ledger.verify(), (n, digest.clone()));

    let paralympics = format!("{EVENTS}/40-paris-2024-paralympics.jsonl");
    let third = ledger.ok(&["import", &paralympics]);
    assert!(third.starts_with(|c: char| c.is_ascii_digit()) && !third.starts_with("0 "));
    let (count2, digest2) = ledger.verify();
    assert!(count2 > n);
    assert_ne!(digest2, digest);

    for d in [&digest2, &digest, &digest.to_ascii_uppercase()] {
        let out = ledger.ok(&["verify", "--digest", d]);
        assert_eq!(
            out,
            format!(
                "ok: {count2} events, head digest {digest2}\ndigest {} is a link of the chain\n",
                d.to_ascii_lowercase()
            )
        );
    }
    let random = "5f1c0e8a9d3b2a7c6e4f1d0b9a8c7e6f5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a";
    let err = ledger.run(&["verify", "--digest", random]).fails(1);
    assert!(err.contains(random) && err.contains("not a link"), "{err}");
    let err = ledger.run(&["verify", "--digest", "abc"]).fails(1);
    assert!(err.contains("64 hex"), "{err}");
}

/// A ledger with the test games and two awards, from one file.
fn small() -> Ledger {
    let ledger = Ledger::new();
    let text = [
        games_event(&id(1), "2024-07-01T00:00:00Z"),
        award(
            &id(2),
            "2024-07-02",
            "gold",
            "AAA",
            Some("2024-07-02T21:00:00Z"),
        ),
        award(
            &id(3),
            "2024-07-03",
            "silver",
            "BBB",
            Some("2024-07-03T21:00:00Z"),
        ),
    ]
    .iter()
    .map(line)
    .collect::<String>();
    ledger.import_text("small.jsonl", &text);
    ledger
}

#[test]
fn one_bad_line_in_the_middle_writes_nothing() {
    let ledger = small();
    let before = ledger.verify();
    let export_before = ledger.export();
    let mut bad = award(&id(12), "2024-07-05", "gold", "DDD", None);
    bad["date"] = json!("2024-02-30");
    let text = [
        award(&id(10), "2024-07-04", "gold", "CCC", None),
        award(&id(11), "2024-07-04", "silver", "CCC", None),
        bad,
        award(&id(13), "2024-07-05", "silver", "DDD", None),
        award(&id(14), "2024-07-05", "bronze", "DDD", None),
    ]
    .iter()
    .map(line)
    .collect::<String>();
    let path = ledger.write("five.jsonl", text);
    let err = ledger
        .run(&[OsStr::new("import"), path.as_os_str()])
        .fails(1);
    assert!(
        err.starts_with(&format!("podium: {}:3", path.display())),
        "{err}"
    );
    assert!(err.contains("does not exist"), "{err}");
    assert_eq!(ledger.verify(), before);
    assert_eq!(ledger.export(), export_before);
    // The same file without the bad line goes in whole.
    let good: String = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    assert_eq!(
        ledger.import_text("four.jsonl", &good),
        "4 new, 0 already recorded; 7 events in the ledger\n"
    );
}

#[test]
fn export_then_import_gives_the_same_ledger() {
    let a = Ledger::bundled();
    let exported = a.export();
    assert_eq!(exported.lines().count() as u64, a.verify().0);
    let b = Ledger::new();
    b.import_text("export.jsonl", &exported);
    assert_eq!(b.export(), exported);
    assert_eq!(b.verify(), a.verify());
    // Export lines carry seq and recorded.
    let first: Value = serde_json::from_str(exported.lines().next().unwrap()).unwrap();
    assert_eq!(first["seq"], 1);
    assert!(first["recorded"].is_string());
}

#[test]
fn append_prints_an_id_and_the_same_id_is_a_no_op_or_a_conflict() {
    let ledger = small();
    let args = |noc: &'static str| {
        vec![
            "append",
            "medal",
            "--games",
            GAMES,
            "--date",
            "2024-07-04",
            "--sport",
            "Fencing",
            "--event",
            "Team Sabre",
            "--medal",
            "gold",
            "--noc",
            noc,
            "--athlete",
            "One",
            "--athlete",
            "Two",
        ]
    };
    let printed = uuid_line(&ledger.ok(&args("CCC")));
    assert_eq!(printed.get_version_num(), 7, "a new id is a UUID v7");
    let (count, digest) = ledger.verify();
    assert_eq!(count, 4);

    let id = printed.to_string();
    let mut again = args("CCC");
    again.extend(["--id", &id]);
    let run = ledger.run(&again);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, format!("{id}\n"));
    let note = common::one_line(&run.stderr);
    assert!(
        note.contains(&id) && note.contains("already recorded"),
        "{note}"
    );
    assert_eq!(ledger.verify(), (count, digest.clone()));

    let mut other = args("DDD");
    other.extend(["--id", &id]);
    let err = ledger.run(&other).fails(1);
    assert!(err.contains(&id) && err.contains("other content"), "{err}");
    assert_eq!(ledger.verify(), (count, digest));

    // A chosen id is used as given.
    let chosen = common::id(99);
    let mut with_id = args("EEE");
    with_id.extend(["--id", &chosen]);
    assert_eq!(ledger.ok(&with_id), format!("{chosen}\n"));
}

/// (first, last) day an events/ date covers, as comparable strings.
fn span(date: &str) -> (String, String) {
    match date.len() {
        4 => (format!("{date}-01-01"), format!("{date}-12-31")),
        7 => (format!("{date}-01"), format!("{date}-31")),
        _ => (date.to_owned(), date.to_owned()),
    }
}

#[test]
fn log_filters_by_day_and_kind() {
    let ledger = Ledger::bundled();
    let events = bundled_events();
    let cases: [(Option<&str>, Option<&str>, Option<&str>); 6] = [
        (
            Some("2024-08-05"),
            Some("2024-08-05"),
            Some("medal_revoked"),
        ),
        (
            Some("2024-08-11"),
            Some("2024-08-11"),
            Some("medal_awarded"),
        ),
        (Some("2024-09-01"), None, None),
        (None, Some("2023-12-31"), None),
        (Some("2015-06-01"), Some("2015-06-30"), None),
        (None, None, Some("games_registered")),
    ];
    for (from, to, kind) in cases {
        let mut args = vec!["log", "--format", "jsonl"];
        for (flag, value) in [("--from", from), ("--to", to), ("--kind", kind)] {
            if let Some(v) = value {
                args.extend([flag, v]);
            }
        }
        let got: Vec<String> = ledger
            .ok(&args)
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let expected: Vec<String> = events
            .iter()
            .filter(|e| {
                let (first, last) = span(e["date"].as_str().unwrap());
                from.is_none_or(|f| last.as_str() >= f)
                    && to.is_none_or(|t| first.as_str() <= t)
                    && kind.is_none_or(|k| e["type"] == k)
            })
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect();
        assert!(!expected.is_empty(), "{args:?} selects something");
        assert_eq!(got, expected, "{args:?}");
        // The text form lists the same events, one a line.
        args.drain(1..3);
        assert_eq!(ledger.ok(&args).lines().count(), expected.len(), "{args:?}");
    }
    let err = ledger.run(&["log", "--kind", "medal_won"]).fails(1);
    assert!(err.contains("unknown kind"), "{err}");
    let err = ledger.run(&["log", "--from", "2024-13-01"]).fails(1);
    assert!(err.contains("2024-13-01"), "{err}");
}

#[test]
fn games_lists_the_registered_games() {
    let ledger = Ledger::bundled();
    let events = bundled_events();
    let out = ledger.ok(&["games"]);
    let rows: Vec<Vec<&str>> = out
        .lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(
        rows[0],
        [
            "games", "name", "season", "movement", "opens", "closes", "awards", "medals",
            "counted", "unranked"
        ]
    );
    let revoked: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "medal_revoked")
        .map(|e| e["award"].as_str().unwrap())
        .collect();
    let registered: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "games_registered")
        .collect();
    assert_eq!(rows.len(), 1 + registered.len(), "{out}");
    for (row, g) in rows[1..].iter().zip(&registered) {
        let awards: Vec<&Value> = events
            .iter()
            .filter(|e| e["type"] == "medal_awarded" && e["games"] == g["games"])
            .collect();
        let in_force = awards
            .iter()
            .filter(|a| !revoked.contains(&a["id"].as_str().unwrap()))
            .count();
        let unranked: Vec<&str> = g["unranked"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        // Medals known only as counts (tallies): in force, their medallists not known.
        let counted = common::counted_medals(&events, &g["games"]);
        let mut expected = vec![
            g["games"].as_str().unwrap().to_owned(),
            g["name"].as_str().unwrap().to_owned(),
            g["season"].as_str().unwrap_or("-").to_owned(),
            g["movement"].as_str().unwrap_or("-").to_owned(),
            g["date"].as_str().unwrap().to_owned(),
            g["closes"].as_str().unwrap().to_owned(),
            awards.len().to_string(),
            (in_force as u64 + counted).to_string(),
            counted.to_string(),
        ];
        if !unranked.is_empty() {
            expected.push(unranked.join(" "));
        }
        assert_eq!(row, &expected, "{out}");
    }
    assert!(out.contains("paris-2024 "), "{out}");
}

#[test]
fn help_and_usage_errors() {
    let ledger = Ledger::new();
    let help = ledger.ok(&["--help"]);
    assert!(help.contains("Usage: podium"), "{help}");
    for command in [
        "import", "table", "rank", "append", "revoke", "log", "export", "verify", "games",
    ] {
        assert!(help.contains(command), "--help lists {command}");
        let sub = ledger.ok(&[command, "--help"]);
        assert!(sub.contains("Usage: podium"), "{sub}");
    }
    let unknown = ledger.run(&["frobnicate"]);
    assert_eq!(unknown.code, 2, "{unknown:?}");
    assert!(unknown.stderr.contains("frobnicate"), "{unknown:?}");
    assert_eq!(
        ledger.run(&["table", "paris-2024", "--format", "xml"]).code,
        2
    );
    assert_eq!(ledger.run::<&str>(&[]).code, 2);
    assert!(!ledger.path.exists(), "no command here creates the ledger");
}

#[test]
fn output_to_a_closed_pipe_is_not_an_error() {
    let ledger = Ledger::bundled();
    // The reader closes before podium writes anything.
    let mut child = ledger
        .command(&["table", "paris-2024"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stderr, "", "no panic, no message");

    // The reader takes a few bytes of a long output, then closes.
    let mut child = ledger
        .command(&["export"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut start = [0u8; 16];
    stdout.read_exact(&mut start).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(&start[..7], b"{\"id\":\"");
}

#[test]
fn the_default_ledger_is_created_and_seeded_once() {
    let tmp = tempfile::tempdir().unwrap();
    let default = tmp.path().join("data").join("podium").join("ledger");
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(args)
            .env("PODIUM_LEDGER", &default)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, table, note) = run(&["table", "paris-2024"]);
    assert_eq!(code, Some(0), "{note}");
    let note = common::one_line(&note);
    assert!(
        note.contains(&default.display().to_string()) && note.contains("seeded"),
        "{note}"
    );
    let mut lines = table.lines();
    assert!(lines.next().unwrap().starts_with("rank"), "{table}");
    assert!(
        lines.next().unwrap().split_whitespace().collect::<Vec<_>>()
            == ["1", "USA", "United", "States", "40", "44", "42", "126"],
        "{table}"
    );
    assert!(default.is_dir());

    let (code, again, note) = run(&["table", "paris-2024"]);
    assert_eq!((code, note.as_str()), (Some(0), ""));
    assert_eq!(again, table);

    // The seed is exactly the bundled events/.
    let (_, verified, _) = run(&["verify"]);
    assert_eq!(common::parse_verify(&verified), Ledger::bundled().verify());

    // A default ledger left empty (its seeding interrupted) is seeded when next used.
    std::fs::remove_dir_all(&default).unwrap();
    let empty = tmp.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let out = Command::new(BIN)
        .arg("--ledger")
        .arg(&default)
        .arg("import")
        .arg(&empty)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (code, table_again, note) = run(&["table", "paris-2024"]);
    assert_eq!(code, Some(0), "{note}");
    assert!(
        common::one_line(&note).contains("was empty: seeded it"),
        "{note}"
    );
    assert_eq!(table_again, table);
    let (_, verified, _) = run(&["verify"]);
    assert_eq!(common::parse_verify(&verified), Ledger::bundled().verify());

    // An explicit --ledger that does not exist is neither created nor seeded.
    let missing = tmp.path().join("missing");
    let out = Command::new(BIN)
        .arg("--ledger")
        .arg(&missing)
        .args(["table", "paris-2024"])
        .env("PODIUM_LEDGER", &default)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = common::one_line(&String::from_utf8(out.stderr).unwrap());
    assert!(err.contains("no ledger"), "{err}");
    assert!(!missing.exists());
}

/// The forms of the historical record: a games with its season and movement, a
/// medal dated by the span of its games' days, a delegation's succession.
const HISTORICAL: &str = concat!(
    r#"{"id":"00000000-0000-4000-8000-000000000001","type":"games_registered","date":"1896-04-06","recorded":"2025-07-01T00:00:00Z","seq":1,"source":"olympedia.org","games":"athens-1896","name":"Games of the I Olympiad","closes":"1896-04-15","unranked":[],"season":"summer","movement":"olympic"}"#,
    "\n",
    r#"{"id":"00000000-0000-4000-8000-000000000002","type":"medal_awarded","date":"1896-04-06/1896-04-15","recorded":"2025-07-01T00:00:00Z","seq":2,"games":"athens-1896","sport":"Athletics","event":"Marathon, Men","medal":"gold","noc":"GRE","athletes":["Spyridon LOUIS"]}"#,
    "\n",
    r#"{"id":"00000000-0000-4000-8000-000000000003","type":"delegation_succeeded","date":"1992","recorded":"2025-07-01T00:00:00Z","seq":3,"source":"IOC","predecessor":"URS","successor":"EUN","note":"the Unified Team"}"#,
    "\n",
);

#[test]
fn historical_forms_import_export_and_list() {
    let ledger = Ledger::new();
    assert_eq!(
        ledger.import_text("historical.jsonl", HISTORICAL),
        "3 new, 0 already recorded; 3 events in the ledger\n"
    );
    assert_eq!(ledger.export(), HISTORICAL);
    assert_eq!(ledger.verify().0, 3);

    let succession = HISTORICAL.lines().nth(2).unwrap();
    let args = ["log", "--kind", "delegation_succeeded", "--format", "jsonl"];
    assert_eq!(ledger.ok(&args), format!("{succession}\n"));
    let text = ledger.ok(&args[..3]);
    let listed = common::one_line(&text);
    assert!(listed.contains("delegation_succeeded"), "{listed}");
    assert!(
        listed.contains("EUN continues URS: the Unified Team"),
        "{listed}"
    );

    // An appended medal may be dated by a span too, and is written back as one.
    let appended = ledger.ok(&[
        "append",
        "medal",
        "--games",
        "athens-1896",
        "--date",
        "1896-04-06/1896-04-15",
        "--sport",
        "Athletics",
        "--event",
        "Marathon, Men",
        "--medal",
        "silver",
        "--noc",
        "GRE",
    ]);
    let medals = ledger.ok(&["log", "--kind", "medal_awarded", "--format", "jsonl"]);
    let dates: Vec<(String, Value)> = medals
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_owned(), v["date"].clone())
        })
        .collect();
    assert_eq!(dates.len(), 2);
    assert_eq!(dates[1].0, appended.trim());
    assert_eq!(dates[1].1, "1896-04-06/1896-04-15");
}
