//! The Paralympic record and who took part (events/: every Paralympic Games
//! 1960-2024, the Youth Olympic Games, entries), through the real `podium`
//! binary on the bundled ledger: every Paralympic Games' table at its close
//! as its source gives it, AZE's Paralympic record, the track-cycling bronze
//! of Tokyo 2020 on both time axes, medals without medallists in the
//! listings, `entries`, team sizes, and one person across `entries`,
//! `medals` and `athlete`.
//!
//! Expected figures come from the IPC's own counts (tests/data/
//! paralympics-hira-counts.json, a byte-for-byte copy of ../shared/data's
//! paralympicsHiraCounts.json), from the Paris 2024 entries' SOURCE.md, or
//! from the seeds, never from podium itself.

mod common;

use std::collections::BTreeMap;

use common::{table_rows, Ledger};
use serde_json::Value;

type Counts = (u64, u64, u64);

/// The IPC's medals per NPC of every Paralympic Games, by (year, season).
fn ipc_tables() -> BTreeMap<(u32, &'static str), BTreeMap<String, Counts>> {
    let text = std::fs::read_to_string(common::data("paralympics-hira-counts.json"))
        .expect("tests/data/paralympics-hira-counts.json");
    let v: Value = serde_json::from_str(&text).expect("JSON");
    let mut tables: BTreeMap<(u32, &'static str), BTreeMap<String, Counts>> = BTreeMap::new();
    for (key, sports) in v["counts"].as_object().expect("counts") {
        let year: u32 = key[2..].parse().expect("a year");
        // Winter: PW1976..PW1992, and PG1994, PG1998, ... PG2022 (the file's quirk).
        let season = if key.starts_with("PW") || year % 4 == 2 {
            "winter"
        } else {
            "summer"
        };
        let table = tables.entry((year, season)).or_default();
        for npcs in sports.as_object().expect("sports").values() {
            for (npc, c) in npcs.as_object().expect("NPCs") {
                let n = |k: &str| c.get(k).and_then(Value::as_u64).unwrap_or(0);
                if n("gold") + n("silver") + n("bronze") == 0 {
                    continue;
                }
                let npc = if npc == "FRGFRG" { "FRG" } else { npc };
                let row = table.entry(npc.to_owned()).or_default();
                *row = (row.0 + n("gold"), row.1 + n("silver"), row.2 + n("bronze"));
            }
        }
    }
    tables
}

/// `table ARGS --format json` as counts by delegation.
fn table(ledger: &Ledger, args: &[&str]) -> BTreeMap<String, Counts> {
    let mut all = vec!["table"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    table_rows(&ledger.json(&all))
        .into_iter()
        .map(|r| (r.0, (r.2, r.3, r.4)))
        .collect()
}

/// The Paralympic Games registered, by (year of their id, season): id and last day.
fn paralympic_games(ledger: &Ledger) -> BTreeMap<(u32, String), (String, String)> {
    let v = ledger.json(&["games", "--movement", "paralympic", "--format", "json"]);
    v.as_array()
        .expect("games")
        .iter()
        .map(|g| {
            let id = g["games"].as_str().unwrap().to_owned();
            let year: u32 = id
                .split('-')
                .find_map(|w| w.parse().ok())
                .expect("a year in the id");
            let season = g["season"].as_str().unwrap().to_owned();
            (
                (year, season),
                (id, g["closes"].as_str().unwrap().to_owned()),
            )
        })
        .collect()
}

#[test]
fn every_paralympic_games_is_the_ipcs_table_at_its_close_and_now() {
    let ledger = Ledger::bundled();
    let registered = paralympic_games(&ledger);
    assert_eq!(registered.len(), 30, "{registered:?}");
    let ipc = ipc_tables();
    assert_eq!(ipc.len(), 29);
    for ((year, season), expected) in &ipc {
        let (games, closes) = &registered[&(*year, (*season).to_owned())];
        let now = table(&ledger, &[games]);
        assert_eq!(&now, expected, "{games} as known now");
        let at_close = table(&ledger, &[games, "--known-at", closes]);
        if games == "tokyo-2020-paralympics" {
            // olympics.com's table of 2021, before the IPC's correction.
            assert_eq!(at_close["FRA"], (11, 15, 28));
            assert_eq!(at_close["POL"], (7, 6, 12));
            assert_eq!(now["FRA"], (11, 15, 29));
            assert_eq!(now["POL"], (7, 6, 11));
        } else {
            assert_eq!(&at_close, expected, "{games} at its close");
        }
    }
    // AZE's Paralympic record, Games by Games (the figures), and rank.
    let aze: Vec<(String, Counts)> = registered
        .values()
        .filter_map(|(games, _)| {
            table(&ledger, &[games])
                .get("AZE")
                .map(|c| (games.clone(), *c))
        })
        .collect();
    let expected: Vec<(String, Counts)> = [
        ("sydney-2000-paralympics", (0, 1, 0)),
        ("athens-2004-paralympics", (2, 1, 1)),
        ("beijing-2008-paralympics", (2, 3, 5)),
        ("london-2012-paralympics", (4, 5, 3)),
        ("rio-2016-paralympics", (1, 8, 2)),
        ("tokyo-2020-paralympics", (14, 1, 4)),
        ("paris-2024-paralympics", (4, 2, 5)),
    ]
    .into_iter()
    .map(|(g, c)| (g.to_owned(), c))
    .collect();
    assert_eq!(aze, expected);
    // The all-time Paralympic table sums every Paralympic Games.
    let all = table(&ledger, &["--all", "--movement", "paralympic"]);
    let sum = expected
        .iter()
        .fold((0, 0, 0), |s, (_, c)| (s.0 + c.0, s.1 + c.1, s.2 + c.2));
    assert_eq!(all["AZE"], sum);
    let summer = table(
        &ledger,
        &["--all", "--movement", "paralympic", "--season", "summer"],
    );
    let winter = table(
        &ledger,
        &["--all", "--movement", "paralympic", "--season", "winter"],
    );
    for (noc, c) in &all {
        let (s, w) = (
            summer.get(noc).copied().unwrap_or_default(),
            winter.get(noc).copied().unwrap_or_default(),
        );
        assert_eq!(*c, (s.0 + w.0, s.1 + w.1, s.2 + w.2), "{noc}");
    }
    assert!(winter["NOR"].0 > 100, "{:?}", winter["NOR"]);
}

#[test]
fn a_correction_is_recorded_when_the_ledger_learnt_it() {
    let ledger = Ledger::bundled();
    let event = [
        "event",
        "tokyo-2020-paralympics",
        "para cycling track",
        "men's b 4000m individual pursuit",
        "--format",
        "json",
    ];
    let bronze = |v: &Value| -> Vec<String> {
        v["podium"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["medal"] == "bronze")
            .map(|m| m["noc"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(bronze(&ledger.json(&event)), ["FRA"]);
    let mut before = event.to_vec();
    before.extend(["--known-at", "2024-10-07"]);
    assert_eq!(bronze(&ledger.json(&before)), ["POL"]);
    // Both time axes: dated back to the final, the revocation counts on every
    // day of the Games as known now.
    let then = table(
        &ledger,
        &["tokyo-2020-paralympics", "--as-of", "2021-08-25"],
    );
    assert_eq!(then.get("POL").map(|c| c.2), Some(0));
    let diff = ledger.ok(&[
        "diff",
        "tokyo-2020-paralympics",
        "--as-of",
        "2021-09-05",
        "--known-at",
        "2024-10-07",
        "--vs-known-at",
        "2024-10-09",
    ]);
    assert!(diff.starts_with("2 medal(s) changed"), "{diff}");
    assert!(diff.contains("left     2021-08-25  POL  bronze"), "{diff}");
}

#[test]
fn listings_say_when_the_medallists_are_not_known() {
    let ledger = Ledger::bundled();
    // Athens 2004: AZE's athletics medals are named (TidyTuesday), its judo
    // gold and shooting bronze are the IPC's counts.
    let v = ledger.json(&[
        "medals",
        "athens-2004-paralympics",
        "--noc",
        "AZE",
        "--format",
        "json",
    ]);
    let listed: Vec<(String, bool, Value)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["sport"].as_str().unwrap().to_owned(),
                m["medallists_known"].as_bool().unwrap(),
                m["event"].clone(),
            )
        })
        .collect();
    assert_eq!(listed.len(), 4, "{v}");
    for (sport, known, event) in &listed {
        assert_eq!(*known, sport == "Para Athletics", "{v}");
        assert_eq!(event.is_null(), !known, "{v}");
    }
    let text = ledger.ok(&["medals", "athens-2004-paralympics", "--noc", "AZE"]);
    assert!(text.contains("(medallists not known)"), "{text}");
    assert!(
        text.contains("4 medal(s), 2 of them known only as counts"),
        "{text}"
    );
    // Sports: a counted sport has no events, and says how many it counts.
    let sports = ledger.json(&["sports", "athens-2004-paralympics", "--format", "json"]);
    let judo = sports
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sport"] == "Para Judo")
        .expect("Para Judo");
    assert_eq!(judo["events"], 0, "{judo}");
    assert_eq!(judo["counted"], judo["total"], "{judo}");
    // A sport's table answers from the counts.
    let judo = table(
        &ledger,
        &["athens-2004-paralympics", "--sport", "Para Judo"],
    );
    assert_eq!(judo["AZE"], (1, 0, 0));
    // An event of a counted sport: the error says why there is none.
    let run = ledger.run(&[
        "event",
        "athens-2004-paralympics",
        "para judo",
        "men -60 kg",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("only as counts per delegation"),
        "{}",
        run.stderr
    );
    // delegation --by sport says which of a sport's medals are counted.
    let v = ledger.json(&[
        "delegation",
        "AZE",
        "--by",
        "sport",
        "--movement",
        "paralympic",
        "--format",
        "json",
    ]);
    let judo = v["sports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sport"] == "Para Judo")
        .expect("Para Judo in all");
    assert_eq!(judo["counted"], 1 + 4 + 3 + 3, "{judo}");
}

#[test]
fn entries_name_who_took_part_and_give_the_teams_sizes() {
    let ledger = Ledger::bundled();
    let team = |games: &str| -> Value {
        let v = ledger.json(&["entries", games, "AZE", "--format", "json"]);
        assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
        v[0].clone()
    };
    // The seeds: "18 of Azerbaijani Paralympians competed in seven sports";
    // "represented by 48 athletes in 15 sports" (paris2024-*-athletes SOURCE.md).
    for (games, athletes, sports) in [("paris-2024-paralympics", 18, 7), ("paris-2024", 48, 15)] {
        let t = team(games);
        assert_eq!(
            (t["athletes"].clone(), t["sports"].clone()),
            (athletes.into(), sports.into())
        );
        assert_eq!(t["named"], true);
        assert_eq!(t["entrants"].as_array().unwrap().len(), athletes as usize);
    }
    // Before Paris, entrants counted per sport (the IPC's counts).
    let athens = team("athens-2004-paralympics");
    assert_eq!(athens["named"], false);
    let counts: Vec<(String, u64, u64)> = athens["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["sport"].as_str().unwrap().to_owned(),
                s["men"].as_u64().unwrap(),
                s["women"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        counts.contains(&("Para Judo".to_owned(), 1, 0)),
        "{counts:?}"
    );
    assert_eq!(athens["athletes"], 9);
    // --sport, text and CSV.
    let judo = ledger.ok(&[
        "entries",
        "paris-2024-paralympics",
        "AZE",
        "--sport",
        "para judo",
    ]);
    assert!(judo.contains("AZE  Ilham ZAKIYEV"), "{judo}");
    assert!(judo.contains("3 athlete(s) in 1 sport(s)"), "{judo}");
    let csv = ledger.ok(&["entries", "paris-2024", "AZE", "--format", "csv"]);
    assert_eq!(
        csv.lines().next(),
        Some("noc,athlete,sports,alternate,men,women")
    );
    assert_eq!(csv.lines().count(), 1 + 48);
    // Alternates are listed, not counted.
    let all = ledger.json(&["entries", "paris-2024", "--format", "json"]);
    let alternates: usize = all
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["entrants"].as_array().unwrap())
        .filter(|a| a["alternate"] == true)
        .count();
    assert_eq!(alternates, 189);
    // delegation shows each team's size beside its medals.
    let d = ledger.json(&["delegation", "AZE", "--format", "json"]);
    let line = |games: &str| {
        d["games"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["games"] == games)
            .unwrap_or_else(|| panic!("{games} in {d}"))
            .clone()
    };
    assert_eq!(line("paris-2024-paralympics")["athletes"], 18);
    assert_eq!(line("paris-2024")["sports"], 15);
    // A games where AZE entered but won nothing is listed too.
    assert_eq!(line("beijing-2022")["total"], 0);
    // An unknown delegation there: one line.
    let run = ledger.run(&["entries", "paris-2024", "XYZ"]);
    assert_eq!(run.code, 1);
    assert!(common::one_line(&run.stderr).starts_with("podium: no entries of XYZ"));
}

#[test]
fn a_medallist_is_one_person_in_entries_medals_and_athlete() {
    let ledger = Ledger::bundled();
    // The seeds write "Roman Saleh" and "Raman Saley"; the records "Raman SALEI".
    let v = ledger.json(&["athlete", "Roman Saleh", "--format", "json"]);
    let people = v.as_array().unwrap();
    assert_eq!(people.len(), 1, "{v}");
    let p = &people[0];
    assert_eq!(p["name"], "Raman SALEI");
    let entries = p["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{p}");
    assert_eq!(entries[0]["games"], "paris-2024-paralympics");
    // His Rio 2016 silver is named by TidyTuesday: 7 medals, 4 before Paris.
    let medals = p["medals"].as_array().unwrap();
    assert_eq!(medals.len(), 7, "{p}");
    assert_eq!(medals[0]["games"], "rio-2016-paralympics");
    let listed = ledger.json(&[
        "medals",
        "paris-2024-paralympics",
        "--athlete",
        "Raman Saley",
        "--format",
        "json",
    ]);
    assert_eq!(listed.as_array().unwrap().len(), 3);
    let entered = ledger.ok(&[
        "entries",
        "paris-2024-paralympics",
        "AZE",
        "--sport",
        "para swimming",
    ]);
    assert!(entered.contains("Raman SALEI"), "{entered}");
    // An athlete entered without a medal is found too.
    let v = ledger.json(&["athlete", "kamran zeynalov", "--format", "json"]);
    assert_eq!(v[0]["medals"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(
        v[0]["entries"][0]["sports"][0], "Shooting Para Sport",
        "{v}"
    );
}

#[test]
fn the_youth_olympic_games_are_their_own_series() {
    let ledger = Ledger::bundled();
    let v = ledger.json(&["games", "--movement", "youth", "--format", "json"]);
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["games"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "singapore-2010-youth",
            "innsbruck-2012-youth",
            "nanjing-2014-youth",
            "lillehammer-2016-youth",
            "buenos-aires-2018-youth",
            "lausanne-2020-youth"
        ]
    );
    // Their medals are in no Olympic table.
    let olympic = table(&ledger, &["--all", "--movement", "olympic"]);
    let youth = table(&ledger, &["--all", "--movement", "youth"]);
    let everything = table(&ledger, &["--all"]);
    let paralympic = table(&ledger, &["--all", "--movement", "paralympic"]);
    for (noc, c) in &everything {
        let part = |t: &BTreeMap<String, Counts>| t.get(noc).copied().unwrap_or_default();
        let (o, y, p) = (part(&olympic), part(&youth), part(&paralympic));
        assert_eq!(
            *c,
            (o.0 + y.0 + p.0, o.1 + y.1 + p.1, o.2 + y.2 + p.2),
            "{noc}"
        );
    }
    // MIX (mixed-NOC teams) is unranked, as the IOC's tables list it apart.
    let rows = table_rows(&ledger.json(&["table", "singapore-2010-youth", "--format", "json"]));
    let mix = rows.iter().find(|r| r.0 == "MIX").expect("MIX");
    assert_eq!(mix.1, None);
}
