//! The record of the Games (events/: every Games 1896-2024, the corrections
//! as they were decided, the successions of delegations), through the real
//! `podium` binary on the bundled ledger: tables at each close and as known
//! now, the corrections between the two, `games`, the all-time table by
//! season and movement, lineages, and the medals that have no known day.
//!
//! Expected figures come from the close-of-Games data that
//! `scripts/check_history_events.py` confirmed (Tokyo 2020, Beijing 2022),
//! from docs/history-differences.md (the same script's independent fold), or
//! from a fold of events/ written here, never from podium itself.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{bundled_events, table_rows, Ledger, TableRow};
use serde_json::Value;

/// The counts of (gold, silver, bronze) per delegation, or per (games, delegation).
type Counts = (u64, u64, u64);

/// The day from which a dated fact counts in a table: a span from its last
/// day, a year or a month from its first (docs/format.md).
fn counts_from(date: &str) -> String {
    let day = date.rsplit('/').next().expect("a date");
    match day.len() {
        4 => format!("{day}-01-01"),
        7 => format!("{day}-01"),
        _ => day.to_owned(),
    }
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is a string in {v}"))
}

/// An independent fold of events/: the medals in force per (games,
/// delegation) as of `as_of` (a day) and as known at the end of `known_at`
/// (a day, UTC), in the games `keep` selects.
fn fold(
    events: &[Value],
    as_of: Option<&str>,
    known_at: Option<&str>,
    keep: impl Fn(&Value) -> bool,
) -> BTreeMap<(String, String), Counts> {
    let known = |e: &Value| known_at.is_none_or(|k| text(e, "recorded")[..10] <= *k);
    let dated = |e: &Value| as_of.is_none_or(|d| counts_from(text(e, "date")).as_str() <= d);
    let kept: BTreeSet<&str> = events
        .iter()
        .filter(|e| e["type"] == "games_registered" && keep(e))
        .map(|e| text(e, "games"))
        .collect();
    let mut awards: BTreeMap<&str, &Value> = BTreeMap::new();
    // A tally counts its medals; events/ has one per games, delegation and
    // sport (asserted), so none supersedes another here.
    let mut tallies: BTreeMap<(&str, &str, &str), &Value> = BTreeMap::new();
    for e in events.iter().filter(|e| known(e) && dated(e)) {
        match text(e, "type") {
            "medal_awarded" if kept.contains(text(e, "games")) => {
                awards.insert(text(e, "id"), e);
            }
            "tally_published" if kept.contains(text(e, "games")) => {
                let key = (text(e, "games"), text(e, "noc"), text(e, "sport"));
                assert!(tallies.insert(key, e).is_none(), "a second tally: {e}");
            }
            "medal_revoked" => {
                awards.remove(text(e, "award"));
            }
            _ => {}
        }
    }
    let mut counts: BTreeMap<(String, String), Counts> = BTreeMap::new();
    for a in awards.values() {
        let key = (text(a, "games").to_owned(), text(a, "noc").to_owned());
        let c = counts.entry(key).or_default();
        match text(a, "medal") {
            "gold" => c.0 += 1,
            "silver" => c.1 += 1,
            _ => c.2 += 1,
        }
    }
    for t in tallies.values() {
        let key = (text(t, "games").to_owned(), text(t, "noc").to_owned());
        let c = counts.entry(key).or_default();
        let n = |k: &str| t[k].as_u64().expect("a count");
        *c = (c.0 + n("gold"), c.1 + n("silver"), c.2 + n("bronze"));
    }
    counts.retain(|_, c| c.0 + c.1 + c.2 > 0);
    counts
}

/// The fold's counts of one games, by delegation.
fn games_counts(
    folded: &BTreeMap<(String, String), Counts>,
    games: &str,
) -> BTreeMap<String, Counts> {
    folded
        .iter()
        .filter(|((g, _), _)| g == games)
        .map(|((_, noc), c)| (noc.clone(), *c))
        .collect()
}

/// The fold's counts summed over games, by delegation.
fn all_time_counts(folded: &BTreeMap<(String, String), Counts>) -> BTreeMap<String, Counts> {
    let mut sum: BTreeMap<String, Counts> = BTreeMap::new();
    for ((_, noc), c) in folded {
        let s = sum.entry(noc.clone()).or_default();
        *s = (s.0 + c.0, s.1 + c.1, s.2 + c.2);
    }
    sum
}

/// `table ARGS --format json`, by delegation.
fn table(ledger: &Ledger, args: &[&str]) -> BTreeMap<String, TableRow> {
    let mut all = vec!["table"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    table_rows(&ledger.json(&all))
        .into_iter()
        .map(|row| (row.0.clone(), row))
        .collect()
}

/// A table's counts by delegation.
fn counts(table: &BTreeMap<String, TableRow>) -> BTreeMap<String, Counts> {
    table
        .iter()
        .map(|(noc, r)| (noc.clone(), (r.2, r.3, r.4)))
        .collect()
}

/// A delegation's (rank, gold, silver, bronze) in a table; `None` when absent.
fn line(table: &BTreeMap<String, TableRow>, noc: &str) -> Option<(Option<u64>, u64, u64, u64)> {
    table.get(noc).map(|r| (r.1, r.2, r.3, r.4))
}

/// The closing day of every registered games, from `games --format json`.
fn closes(ledger: &Ledger) -> BTreeMap<String, String> {
    ledger
        .json(&["games", "--format", "json"])
        .as_array()
        .expect("games is an array")
        .iter()
        .map(|g| (text(g, "games").to_owned(), text(g, "closes").to_owned()))
        .collect()
}

#[test]
fn tokyo_beijing_2022_and_the_tokyo_paralympics_at_their_close_and_as_known_now() {
    let ledger = Ledger::bundled();
    let events = bundled_events();

    // Tokyo 2020 at its close: the official table, USA 39-41-33.
    let close = table(&ledger, &["tokyo-2020", "--known-at", "2021-08-08"]);
    assert_eq!(line(&close, "USA"), Some((Some(1), 39, 41, 33)));
    assert_eq!(line(&close, "GBR"), Some((Some(4), 22, 21, 22)));
    assert_eq!(line(&close, "CAN"), Some((Some(11), 7, 6, 11)));
    assert_eq!(line(&close, "CHN"), Some((Some(2), 38, 32, 18)));
    // As known now, after the relay decision of February 2022: GBR's silver
    // withdrawn, CAN up to silver, CHN to bronze; USA and every rank unchanged.
    let now = table(&ledger, &["tokyo-2020"]);
    assert_eq!(line(&now, "USA"), Some((Some(1), 39, 41, 33)));
    assert_eq!(line(&now, "GBR"), Some((Some(4), 22, 20, 22)));
    assert_eq!(line(&now, "CAN"), Some((Some(11), 7, 7, 10)));
    assert_eq!(line(&now, "CHN"), Some((Some(2), 38, 32, 19)));
    let ranks = |t: &BTreeMap<String, TableRow>| -> BTreeMap<String, Option<u64>> {
        t.iter().map(|(noc, r)| (noc.clone(), r.1)).collect()
    };
    assert_eq!(ranks(&close), ranks(&now));
    // Both agree with a fold of events/, delegation by delegation.
    let all = |_: &Value| true;
    let folded = fold(&events, None, Some("2021-08-08"), all);
    assert_eq!(counts(&close), games_counts(&folded, "tokyo-2020"));
    assert_eq!(
        counts(&now),
        games_counts(&fold(&events, None, None, all), "tokyo-2020")
    );

    let diff = ledger.json(&[
        "diff",
        "tokyo-2020",
        "--as-of",
        "2021-08-08",
        "--known-at",
        "2021-08-08",
        "--vs-known-at",
        "2025-01-01",
        "--format",
        "json",
    ]);
    let moved: BTreeSet<(&str, &str, &str, &str, &str)> = diff["medals"]
        .as_array()
        .expect("medals")
        .iter()
        .map(|m| {
            (
                text(m, "change"),
                text(m, "noc"),
                text(m, "medal"),
                text(m, "event"),
                text(m, "date"),
            )
        })
        .collect();
    let relay = "Men's 4 x 100m Relay";
    assert_eq!(
        moved,
        BTreeSet::from([
            ("entered", "CAN", "silver", relay, "2021-08-06"),
            ("entered", "CHN", "bronze", relay, "2021-08-06"),
            ("left", "CAN", "bronze", relay, "2021-08-06"),
            ("left", "GBR", "silver", relay, "2021-08-06"),
        ])
    );
    assert_eq!(diff["rank_moves"], serde_json::json!([]));

    // The Tokyo 2020 Paralympics: CHN 96-60-51, AZE 14-1-4 and 10th.
    let para = table(&ledger, &["tokyo-2020-paralympics"]);
    assert_eq!(line(&para, "CHN"), Some((Some(1), 96, 60, 51)));
    assert_eq!(line(&para, "AZE"), Some((Some(10), 14, 1, 4)));
    let rank = ledger.json(&["rank", "tokyo-2020-paralympics", "AZE", "--format", "json"]);
    assert_eq!(
        (rank["rank"].clone(), rank["total"].clone()),
        (10.into(), 19.into())
    );

    // Beijing 2022: NOR 16-8-13 at the close and now, 15-8-11 on 18 February
    // as known then (the partial table of that day).
    for known_at in [Some("2022-02-20"), None] {
        let mut args = vec!["beijing-2022"];
        args.extend(known_at.map(|k| ["--known-at", k]).into_iter().flatten());
        assert_eq!(
            line(&table(&ledger, &args), "NOR"),
            Some((Some(1), 16, 8, 13))
        );
    }
    let partial = table(
        &ledger,
        &[
            "beijing-2022",
            "--as-of",
            "2022-02-18",
            "--known-at",
            "2022-02-18",
        ],
    );
    assert_eq!(line(&partial, "NOR"), Some((Some(1), 15, 8, 11)));
}

/// A games and, per delegation, its counts at the close and piterfm's.
type CloseOfGames = (String, Vec<(String, Counts, Counts)>);

/// The "Each Games at its close" table of docs/history-differences.md: per
/// games, the delegations whose table at the close differs from piterfm's
/// (the state after the later decisions), with (at the close, piterfm).
fn close_of_games_rows() -> Vec<CloseOfGames> {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/history-differences.md"
    ))
    .expect("docs/history-differences.md");
    let section = doc
        .split("## Each Games at its close")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("the close-of-Games section");
    let triple = |s: &str| -> Counts {
        let n: Vec<u64> = s.split('-').map(|x| x.parse().expect("a count")).collect();
        (n[0], n[1], n[2])
    };
    let mut rows = Vec::new();
    for l in section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Games") && l.contains("(piterfm "))
    {
        let cells: Vec<&str> = l.split('|').map(str::trim).collect();
        let entries = cells[4]
            .split("), ")
            .map(|e| {
                let (noc_close, piterfm) = e
                    .trim_end_matches(')')
                    .split_once(" (piterfm ")
                    .expect("NOC G-S-B (piterfm G-S-B)");
                let (noc, at_close) = noc_close.split_once(' ').expect("NOC G-S-B");
                (noc.to_owned(), triple(at_close), triple(piterfm))
            })
            .collect();
        rows.push((cells[1].to_owned(), entries));
    }
    rows
}

#[test]
fn corrections_show_at_the_close_and_as_known_now() {
    let ledger = Ledger::bundled();
    let events = bundled_events();
    let closes = closes(&ledger);

    // Every delegation of docs/history-differences.md's close-of-Games table.
    let rows = close_of_games_rows();
    assert!(rows.len() >= 7, "munich-1972 to london-2012: {rows:?}");
    for (games, entries) in &rows {
        let close = table(&ledger, &[games.as_str(), "--known-at", &closes[games]]);
        for (noc, at_close, _) in entries {
            let got = close.get(noc).map_or((0, 0, 0), |r| (r.2, r.3, r.4));
            assert_eq!(got, *at_close, "{games} {noc} at its close");
        }
    }

    // Salt Lake City 2002: Muehlegg's three golds stood at the close (ESP
    // 12th), then went, with Lazutina's and Danilova's, in 2003: NOR first.
    let at = |games: &str, noc: &str| {
        let close = table(&ledger, &[games, "--known-at", &closes[games]]);
        (line(&close, noc), line(&table(&ledger, &[games]), noc))
    };
    let g = "salt-lake-city-2002";
    assert_eq!(at(g, "ESP"), (Some((Some(12), 3, 0, 0)), None));
    assert_eq!(
        at(g, "NOR"),
        (Some((Some(2), 11, 7, 4)), Some((Some(1), 13, 5, 7)))
    );
    assert_eq!(
        at(g, "RUS"),
        (Some((Some(4), 6, 7, 4)), Some((Some(5), 5, 4, 4)))
    );
    // Sydney 2000: Marion Jones's medals (2007) and the 4 x 400 m relay (2008).
    let g = "sydney-2000";
    assert_eq!(
        at(g, "USA"),
        (Some((Some(1), 39, 25, 33)), Some((Some(1), 37, 24, 32)))
    );
    assert_eq!(at(g, "BAH").0.map(|l| (l.1, l.2, l.3)), Some((1, 1, 0)));
    assert_eq!(at(g, "BAH").1.map(|l| (l.1, l.2, l.3)), Some((2, 0, 1)));
    // Beijing 2008: Ramzi's 1500 m gold (2009), the heptathlon (Blonska's
    // silver, then Chernova's bronze, known from piterfm's date) and the long jump.
    let g = "beijing-2008";
    assert_eq!(
        at(g, "RUS"),
        (Some((Some(3), 24, 14, 23)), Some((Some(3), 24, 13, 23)))
    );
    assert_eq!(at(g, "BRN"), (Some((Some(53), 1, 0, 0)), None));
    assert_eq!(at(g, "KEN").1.map(|l| (l.1, l.2, l.3)), Some((6, 4, 6)));
    // Munich 1972: Huelamo's road-race bronze, stripped at the end of 1972.
    let esp = at("munich-1972", "ESP");
    assert_eq!((esp.0.map(|l| l.3), esp.1.map(|l| l.3)), (Some(2), Some(1)));

    // The tables as known now agree with a fold of events/.
    let now = fold(&events, None, None, |_| true);
    for games in [
        "salt-lake-city-2002",
        "sydney-2000",
        "beijing-2008",
        "munich-1972",
    ] {
        assert_eq!(
            counts(&table(&ledger, &[games])),
            games_counts(&now, games),
            "{games}"
        );
    }

    // diff lists the medals that moved: entered minus left is, delegation by
    // delegation, the table now minus the table at the close.
    for games in ["salt-lake-city-2002", "beijing-2008"] {
        let close = &closes[games];
        let diff = ledger.json(&[
            "diff",
            games,
            "--as-of",
            close,
            "--known-at",
            close,
            "--vs-known-at",
            "2025-01-01",
            "--format",
            "json",
        ]);
        let medals = diff["medals"].as_array().expect("medals");
        let mut moved: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
        for m in medals {
            let sign = if m["change"] == "entered" { 1 } else { -1 };
            let c = moved.entry(text(m, "noc").to_owned()).or_default();
            match text(m, "medal") {
                "gold" => c.0 += sign,
                "silver" => c.1 += sign,
                _ => c.2 += sign,
            }
        }
        moved.retain(|_, c| *c != (0, 0, 0));
        let (before, after) = (
            counts(&table(&ledger, &[games, "--known-at", close])),
            counts(&table(&ledger, &[games])),
        );
        let nocs: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        let expected: BTreeMap<String, (i64, i64, i64)> = nocs
            .into_iter()
            .filter_map(|noc| {
                let (b, a) = (
                    before.get(noc).copied().unwrap_or_default(),
                    after.get(noc).copied().unwrap_or_default(),
                );
                let d = (
                    a.0 as i64 - b.0 as i64,
                    a.1 as i64 - b.1 as i64,
                    a.2 as i64 - b.2 as i64,
                );
                (d != (0, 0, 0)).then(|| (noc.clone(), d))
            })
            .collect();
        assert_eq!(moved, expected, "{games}");
        if games == "salt-lake-city-2002" {
            let muehlegg: Vec<&Value> = medals
                .iter()
                .filter(|m| m["athletes"] == serde_json::json!(["Johann MUEHLEGG"]))
                .collect();
            assert_eq!(muehlegg.len(), 3, "{diff}");
            for m in muehlegg {
                assert_eq!((text(m, "change"), text(m, "medal")), ("left", "gold"));
                // Known only by the games: the date is the span, not a day.
                assert_eq!(text(m, "date"), "2002-02-08/2002-02-24");
                assert!(text(m, "reason").contains("darbopoietin"), "{m}");
            }
            let rank_moves = diff["rank_moves"].as_array().expect("rank_moves");
            assert!(rank_moves.contains(&serde_json::json!({"noc": "NOR", "from": 2, "to": 1})));
            assert!(rank_moves.contains(&serde_json::json!({"noc": "ESP", "from": 12, "to": null})));
        }
    }
}

#[test]
fn games_lists_every_games_with_its_days_season_and_movement() {
    let ledger = Ledger::bundled();
    let events = bundled_events();
    let registrations: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "games_registered")
        .collect();
    let listed = ledger.json(&["games", "--format", "json"]);
    let listed = listed.as_array().expect("an array");
    assert_eq!(listed.len(), registrations.len());
    let revoked: BTreeSet<&str> = events
        .iter()
        .filter(|e| e["type"] == "medal_revoked")
        .map(|e| text(e, "award"))
        .collect();
    for (g, r) in listed.iter().zip(&registrations) {
        // Registration order, and what each registration says.
        assert_eq!(g["games"], r["games"]);
        assert_eq!(g["name"], r["name"]);
        assert_eq!(g["opens"], r["date"]);
        assert_eq!(g["closes"], r["closes"]);
        assert_eq!(g["unranked"], r["unranked"]);
        for field in ["season", "movement", "host"] {
            assert_eq!(
                g[field],
                r.get(field).cloned().unwrap_or(Value::Null),
                "{g}"
            );
        }
        let awards: Vec<&Value> = events
            .iter()
            .filter(|e| e["type"] == "medal_awarded" && e["games"] == r["games"])
            .collect();
        let in_force = awards
            .iter()
            .filter(|a| !revoked.contains(text(a, "id")))
            .count();
        let counted = common::counted_medals(&events, &r["games"]);
        assert_eq!(g["awards"], awards.len(), "{g}");
        assert_eq!(g["medals"], in_force as u64 + counted, "{g}");
        assert_eq!(g["counted"], counted, "{g}");
    }
    // Every Games of the record says its season and movement, Paris 2024 included.
    let classified = listed.iter().filter(|g| g["season"].is_string()).count();
    assert_eq!(
        classified,
        listed.len() - 3,
        "only the three Baku games do not say"
    );
    let paris = listed
        .iter()
        .find(|g| g["games"] == "paris-2024")
        .expect("paris-2024");
    assert_eq!(
        (&paris["season"], &paris["movement"]),
        (&"summer".into(), &"olympic".into())
    );

    // CSV: a header, then the same rows.
    let csv = ledger.ok(&["games", "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "games,name,season,movement,opens,closes,awards,medals,counted,unranked"
    );
    assert_eq!(lines.len(), listed.len() + 1);
    assert_eq!(
        lines[1],
        "athens-1896,Athens 1896 Olympic Games,summer,olympic,1896-04-06,1896-04-15,122,122,0,"
    );
    assert!(lines
        .iter()
        .any(|l| l.starts_with("paris-2024,") && l.ends_with(",1045,1044,0,AIN")));
    // Athens 2004's Paralympics: the medals TidyTuesday names as awards, the rest counted.
    let athens = lines
        .iter()
        .find(|l| l.starts_with("athens-2004-paralympics,"))
        .expect("athens-2004-paralympics");
    let cells: Vec<u64> = athens
        .split(',')
        .skip(6)
        .take(3)
        .map(|c| c.parse().unwrap())
        .collect();
    assert_eq!(cells[1], 519 + 517 + 532, "{athens}");
    assert!(
        cells[0] > 0 && cells[2] > 0 && cells[0] + cells[2] == cells[1],
        "{athens}"
    );

    // Filters: games that do not say are left out.
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["games", "--format", "json"];
        all.extend_from_slice(args);
        ledger
            .json(&all)
            .as_array()
            .expect("an array")
            .iter()
            .map(|g| text(g, "games").to_owned())
            .collect()
    };
    // Every Paralympic Games, summer 1960-2024 and winter 1976-2022, in registration order.
    let paralympic = ids(&["--movement", "paralympic"]);
    let expected: Vec<String> = registrations
        .iter()
        .filter(|r| r["movement"] == "paralympic")
        .map(|r| text(r, "games").to_owned())
        .collect();
    assert_eq!(paralympic, expected);
    assert_eq!(paralympic.len(), 17 + 13);
    assert_eq!(paralympic[0], "rome-1960-paralympics");
    assert_eq!(paralympic[29], "paris-2024-paralympics");
    let winter = ids(&["--season", "winter", "--movement", "olympic"]);
    let expected: Vec<String> = registrations
        .iter()
        .filter(|r| r["season"] == "winter" && r["movement"] == "olympic")
        .map(|r| text(r, "games").to_owned())
        .collect();
    assert_eq!(winter, expected);
    assert_eq!(winter.len(), 24, "Chamonix 1924 to Beijing 2022");
    // What was registered by the end of 1900: Athens and Paris.
    assert_eq!(
        ids(&["--known-at", "1900-12-31"]),
        ["athens-1896", "paris-1900"]
    );
    let text_out = ledger.ok(&["games"]);
    assert!(
        text_out
            .lines()
            .any(|l| l.starts_with("baku-2015-european-games") && l.contains(" -  ")),
        "{text_out}"
    );
}

/// Whether a registration gives this value for this field.
fn says(e: &Value, field: &str, value: &str) -> bool {
    e[field] == value
}

#[test]
fn the_all_time_table_takes_a_season_and_a_movement_and_notes_successions() {
    let ledger = Ledger::bundled();
    let events = bundled_events();
    for (args, keep) in [
        (
            vec![],
            Box::new(|_: &Value| true) as Box<dyn Fn(&Value) -> bool>,
        ),
        (
            vec!["--season", "winter"],
            Box::new(|e: &Value| says(e, "season", "winter")),
        ),
        (
            vec!["--movement", "paralympic"],
            Box::new(|e: &Value| says(e, "movement", "paralympic")),
        ),
        (
            vec!["--season", "summer", "--movement", "olympic"],
            Box::new(|e: &Value| says(e, "season", "summer") && says(e, "movement", "olympic")),
        ),
    ] {
        let mut all = vec!["--all"];
        all.extend_from_slice(&args);
        let got = table(&ledger, &all);
        let expected = all_time_counts(&fold(&events, None, None, &keep));
        assert_eq!(counts(&got), expected, "table --all {args:?}");
        // At any as-of date and known-at time: Salt Lake City 2002 at its close.
        all.extend(["--as-of", "2002-02-24", "--known-at", "2002-02-24"]);
        let then = all_time_counts(&fold(
            &events,
            Some("2002-02-24"),
            Some("2002-02-24"),
            &keep,
        ));
        assert_eq!(counts(&table(&ledger, &all)), then, "table {all:?}");
    }
    let winter = table(&ledger, &["--all", "--season", "winter"]);
    assert_eq!(winter["NOR"].1, Some(1), "Norway leads the Winter Games");
    let para = table(&ledger, &["--all", "--movement", "paralympic"]);
    assert_eq!(para["NPA"].1, None, "unranked wherever it won");

    // A filter goes with --all only: a usage error with a games.
    let refused = ledger.run(&["table", "paris-2024", "--season", "summer"]);
    assert_eq!(refused.code, 2, "{refused:?}");

    // The text ends with a note when a listed delegation has a succession
    // (URS, GER, RUS...), and only then: none is dated by 1900.
    let plain = ledger.ok(&["table", "--all"]);
    let last = plain.lines().last().expect("lines");
    assert!(
        last.starts_with("note: ") && last.contains("podium delegation CODE --lineage"),
        "{last}"
    );
    let early = ledger.ok(&["table", "--all", "--as-of", "1900-01-01"]);
    assert!(!early.contains("note:"), "{early}");
    assert!(early.contains(" GER "), "Germany won in 1896: {early}");
    // JSON and CSV carry rows only.
    let csv = ledger.ok(&["table", "--all", "--format", "csv"]);
    assert!(!csv.contains("note:"));
}

/// The first line of `delegation --format json` at `games`.
fn games_line<'a>(report: &'a Value, games: &str) -> &'a Value {
    report["games"]
        .as_array()
        .expect("games")
        .iter()
        .find(|g| g["games"] == games)
        .unwrap_or_else(|| panic!("{games} in {report}"))
}

#[test]
fn delegation_reports_successions_and_joins_a_lineage_on_request() {
    let ledger = Ledger::bundled();
    let events = bundled_events();
    let report = ledger.json(&["delegation", "RUS", "--format", "json"]);
    let links = |key: &str, report: &Value| -> Vec<String> {
        report[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} in {report}"))
            .iter()
            .map(|l| {
                format!(
                    "{} {}>{}",
                    text(l, "date"),
                    text(l, "predecessor"),
                    text(l, "successor")
                )
            })
            .collect()
    };
    assert_eq!(
        links("predecessors", &report),
        ["1992 URS>EUN", "1994 EUN>RUS"]
    );
    assert_eq!(
        links("successors", &report),
        [
            "2018 RUS>OAR",
            "2021 OAR>ROC",
            "2021 RUS>RPC",
            "2024 ROC>AIN",
            "2024 RPC>NPA"
        ]
    );
    let note = events
        .iter()
        .find(|e| {
            e["type"] == "delegation_succeeded"
                && e["predecessor"] == "EUN"
                && e["successor"] == "RUS"
        })
        .expect("EUN -> RUS in events/");
    assert_eq!(report["predecessors"][1]["note"], note["note"]);
    // Without --lineage: RUS's own games only, with their season and movement.
    let own: BTreeSet<&str> = report["games"]
        .as_array()
        .expect("games")
        .iter()
        .map(|g| text(g, "noc"))
        .collect();
    assert_eq!(own, BTreeSet::from(["RUS"]));
    let sochi = games_line(&report, "sochi-2014");
    assert_eq!(
        (text(sochi, "season"), text(sochi, "movement")),
        ("winter", "olympic")
    );

    // Bitemporal: known in 2017, no successor yet; as of 1993, no predecessor yet.
    let then = ledger.json(&[
        "delegation",
        "RUS",
        "--known-at",
        "2017-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(links("successors", &then), Vec::<String>::new());
    let early = ledger.json(&[
        "delegation",
        "RUS",
        "--as-of",
        "1993-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(links("predecessors", &early), Vec::<String>::new());

    // --lineage: every code of the lineage, each line with its code, and the
    // lines are exactly a fold of events/ for those codes.
    let now = fold(&events, None, None, |_| true);
    for (noc, lineage) in [
        (
            "RUS",
            vec!["AIN", "EUN", "NPA", "OAR", "ROC", "RPC", "RUS", "URS"],
        ),
        ("GER", vec!["FRG", "GDR", "GER"]),
    ] {
        let joined = ledger.json(&["delegation", noc, "--lineage", "--format", "json"]);
        assert_eq!(joined["lineage"], serde_json::json!(lineage), "{noc}");
        // The games where a code of the lineage won a medal (the others, where
        // it only entered a team, have a line of zeros and its team's size).
        let lines: BTreeMap<(String, String), Counts> = joined["games"]
            .as_array()
            .expect("games")
            .iter()
            .filter(|g| {
                let won = g["total"].as_u64().expect("a total") > 0;
                assert!(won || g["athletes"].as_u64().is_some(), "{g}");
                won
            })
            .map(|g| {
                let n = |k: &str| g[k].as_u64().expect("a count");
                (
                    (text(g, "games").to_owned(), text(g, "noc").to_owned()),
                    (n("gold"), n("silver"), n("bronze")),
                )
            })
            .collect();
        let expected: BTreeMap<(String, String), Counts> = now
            .iter()
            .filter(|((_, code), _)| lineage.contains(&code.as_str()))
            .map(|(k, c)| (k.clone(), *c))
            .collect();
        assert_eq!(lines, expected, "{noc} --lineage");
        let sum = lines
            .values()
            .fold((0, 0, 0), |s, c| (s.0 + c.0, s.1 + c.1, s.2 + c.2));
        let totals = &joined["lineage_totals"];
        assert_eq!(
            (
                totals["gold"].clone(),
                totals["silver"].clone(),
                totals["bronze"].clone()
            ),
            (sum.0.into(), sum.1.into(), sum.2.into())
        );
    }
    let moscow = ledger.json(&["delegation", "RUS", "--lineage", "--format", "json"]);
    let urs = games_line(&moscow, "moscow-1980");
    assert_eq!(
        (text(urs, "noc"), urs["rank"].clone(), urs["gold"].clone()),
        ("URS", 1.into(), 80.into())
    );
    // Olympic only: the Paralympic codes' lines go.
    let olympic = ledger.json(&[
        "delegation",
        "RUS",
        "--lineage",
        "--movement",
        "olympic",
        "--format",
        "json",
    ]);
    assert!(olympic["games"]
        .as_array()
        .expect("games")
        .iter()
        .all(|g| g["movement"] == "olympic"));

    let plain = ledger.ok(&["delegation", "GER", "--lineage"]);
    assert!(
        plain.contains("medals under every code of the lineage: FRG, GDR, GER"),
        "{plain}"
    );
    assert!(
        plain
            .lines()
            .any(|l| l.starts_with("montreal-1976") && l.contains(" GDR ")),
        "{plain}"
    );
    assert!(
        plain.lines().any(|l| l.starts_with("lineage total: ")),
        "{plain}"
    );
}

#[test]
fn history_and_race_say_which_medals_have_no_known_day() {
    let ledger = Ledger::bundled();
    let events = bundled_events();
    // Athens 1896: every medal is known only by the Games' span.
    let greece = fold(&events, None, None, |_| true)[&("athens-1896".to_owned(), "GRE".to_owned())];
    let greek_medals = greece.0 + greece.1 + greece.2;
    let days = ledger.json(&["history", "athens-1896", "GRE", "--format", "json"]);
    let days = days.as_array().expect("days");
    assert_eq!(days.len(), 10, "1896-04-06 to 1896-04-15");
    for d in &days[..9] {
        assert_eq!(
            (d["total"].clone(), d["rank"].clone()),
            (0.into(), Value::Null),
            "{d}"
        );
        assert_eq!(d["undated"], greek_medals, "{d}");
    }
    let last = &days[9];
    assert_eq!(last["date"], "1896-04-15");
    assert_eq!(
        (
            last["gold"].clone(),
            last["silver"].clone(),
            last["bronze"].clone()
        ),
        (greece.0.into(), greece.1.into(), greece.2.into())
    );
    assert_eq!(last["undated"], 0);

    let plain = ledger.ok(&["history", "athens-1896", "GRE"]);
    let note = plain.lines().last().expect("lines");
    assert!(
        note.starts_with("note: 122 of this games' 122 medals have no known day: they count from its close, 1896-04-15"),
        "{note}"
    );
    let csv = ledger.ok(&["history", "athens-1896", "GRE", "--format", "csv"]);
    assert_eq!(
        csv.lines().next(),
        Some("date,rank,gold,silver,bronze,total,undated")
    );
    let race = ledger.ok(&["race", "athens-1896", "--top", "3"]);
    assert!(
        race.lines().next().expect("a header").ends_with("undated"),
        "{race}"
    );
    assert!(
        race.lines()
            .any(|l| l.starts_with("1896-04-06") && l.trim_end().ends_with(" 122")),
        "{race}"
    );
    assert!(
        race.lines()
            .last()
            .expect("lines")
            .starts_with("note: 122 of this games' 122 medals"),
        "{race}"
    );

    // Beijing 2022: 35 medals without a day among 328; NOR's 3 of them.
    let nor = ledger.json(&["history", "beijing-2022", "NOR", "--format", "json"]);
    let day = |date: &str| {
        nor.as_array()
            .expect("days")
            .iter()
            .find(|d| d["date"] == date)
            .expect("a day")
            .clone()
    };
    assert_eq!(
        (
            day("2022-02-18")["total"].clone(),
            day("2022-02-18")["undated"].clone()
        ),
        (34.into(), 3.into())
    );
    assert_eq!(
        (
            day("2022-02-20")["total"].clone(),
            day("2022-02-20")["undated"].clone()
        ),
        (37.into(), 0.into())
    );
    let plain = ledger.ok(&["history", "beijing-2022", "NOR"]);
    assert!(plain.contains("note: 35 of this games' 328 medals have no known day: they count from its close, 2022-02-20"), "{plain}");

    // Paris 2024: every medal has its day, the output is as it was.
    let paris = ledger.json(&["history", "paris-2024", "AZE", "--format", "json"]);
    for d in paris.as_array().expect("days") {
        let keys: BTreeSet<&str> = d
            .as_object()
            .expect("a row")
            .keys()
            .map(String::as_str)
            .collect();
        let expected = BTreeSet::from(["date", "rank", "gold", "silver", "bronze", "total"]);
        assert_eq!(keys, expected, "{d}");
    }
    assert!(!ledger
        .ok(&["history", "paris-2024", "AZE"])
        .contains("note:"));
    assert!(!ledger.ok(&["race", "paris-2024"]).contains("undated"));
}

/// Reallocations the sources identify but do not date are recorded at the
/// date of the source that reports them: piterfm's (2024-05-10) and
/// Olympedia's (2026-05-10). Before that date the ledger shows the table as
/// it stood; after it, the table as corrected, dated back to the event.
#[test]
fn corrections_without_a_date_are_known_from_their_sources_date() {
    let ledger = Ledger::bundled();
    let podium = |games: &str, sport: &str, event: &str, known_at: &str| -> Vec<(String, String)> {
        let mut args = vec!["event", games, sport, event, "--format", "json"];
        if !known_at.is_empty() {
            args.extend(["--known-at", known_at]);
        }
        let v = ledger.json(&args);
        v["podium"]
            .as_array()
            .expect("a podium")
            .iter()
            .map(|m| (text(m, "medal").to_owned(), text(m, "noc").to_owned()))
            .collect()
    };
    let medals = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(m, n)| ((*m).to_owned(), (*n).to_owned()))
            .collect()
    };
    // London 2012 shot put: Kolodko's silver and Gong's bronze as the NYT list
    // left them, then Gong silver and Li bronze as piterfm shows them.
    let shot = ("london-2012", "athletics", "shot put women");
    assert_eq!(
        podium(shot.0, shot.1, shot.2, "2024-05-09"),
        medals(&[("gold", "NZL"), ("silver", "RUS"), ("bronze", "CHN")])
    );
    assert_eq!(
        podium(shot.0, shot.1, shot.2, ""),
        medals(&[("gold", "NZL"), ("silver", "CHN"), ("bronze", "CHN")])
    );
    // Beijing 2022 team figure skating, from Olympedia's notes.
    let team = ("beijing-2022", "figure skating", "team event");
    assert_eq!(
        podium(team.0, team.1, team.2, "2026-05-09"),
        medals(&[("gold", "ROC"), ("silver", "USA"), ("bronze", "JPN")])
    );
    assert_eq!(
        podium(team.0, team.1, team.2, ""),
        medals(&[("gold", "USA"), ("silver", "JPN"), ("bronze", "ROC")])
    );
    // The tables: Vancouver 2010 and Rio 2016 now agree with Olympedia's.
    let vancouver = table(&ledger, &["vancouver-2010"]);
    assert_eq!(
        line(&vancouver, "FRA").map(|l| (l.1, l.2, l.3)),
        Some((3, 2, 6))
    );
    assert_eq!(
        line(&vancouver, "RUS").map(|l| (l.1, l.2, l.3)),
        Some((2, 5, 6))
    );
    let before = table(&ledger, &["vancouver-2010", "--known-at", "2026-05-09"]);
    assert_eq!(
        line(&before, "RUS").map(|l| (l.1, l.2, l.3)),
        Some((3, 5, 7))
    );
    let rio = table(&ledger, &["rio-2016"]);
    assert_eq!(line(&rio, "KAZ").map(|l| (l.1, l.2, l.3)), Some((2, 5, 10)));
    // Each says in its source when and why it was recorded then.
    let log = ledger.ok(&["log", "--kind", "medal_revoked", "--format", "jsonl"]);
    let late: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("\"recorded\":\"2026-05-10") || l.contains("\"recorded\":\"2024-05-10")
        })
        .collect();
    assert_eq!(late.len(), 8 + 4, "{late:?}");
    assert!(
        late.iter().all(|l| l.contains("recorded at")
            && l.contains("no source in ../shared dates the decision")),
        "{late:?}"
    );
}
