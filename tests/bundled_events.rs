//! The bundled history (events/: the Paris 2024 Olympic and Paralympic medals
//! and the facts and claims of five news articles), imported into an empty
//! temporary ledger by the real `podium` binary, answers the questions the
//! articles raise: Azerbaijan's ranks, the reallocated floor-exercise bronze,
//! who met whom, who belonged to what and when, which claims hold, and who an
//! athlete is under any spelling. Also `import-csv` end to end.
//!
//! Expected figures come from the sources themselves where a test can read
//! them (tests/data, the events/ files), not from podium.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

mod common;
use common::bundled_events;

const BIN: &str = env!("CARGO_BIN_EXE_podium");

fn events_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("events")
}

fn test_data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// What one run of podium did.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Asserts success and returns stdout.
    fn ok(self) -> String {
        assert_eq!(self.code, Some(0), "podium failed: {self:?}");
        self.stdout
    }

    /// Asserts exit 1, nothing on stdout and exactly one line on stderr; returns that line.
    fn fails(self) -> String {
        assert_eq!(self.code, Some(1), "expected exit 1: {self:?}");
        assert_eq!(self.stdout, "", "a failure printed to stdout: {self:?}");
        let line = self
            .stderr
            .strip_suffix('\n')
            .unwrap_or_else(|| panic!("stderr is not one terminated line: {self:?}"));
        assert!(
            !line.is_empty() && !line.contains('\n'),
            "stderr is not exactly one line: {self:?}"
        );
        line.to_owned()
    }
}

/// A temporary ledger directory; every command gets `--ledger DIR`, and
/// `PODIUM_LEDGER` points into the same temporary directory at a path that
/// must never be created.
struct Ledger {
    dir: tempfile::TempDir,
}

impl Ledger {
    fn empty() -> Ledger {
        Ledger {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    /// An empty ledger into which `podium import events/` has been run.
    fn bundled() -> Ledger {
        let ledger = Ledger::empty();
        let n = bundled_events().len();
        let out = ledger.ok(&[OsStr::new("import"), events_dir().as_os_str()]);
        assert_eq!(
            out,
            format!("{n} new, 0 already recorded; {n} events in the ledger\n")
        );
        ledger
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("ledger")
    }

    fn unused_default(&self) -> PathBuf {
        self.dir.path().join("default-ledger-must-stay-unused")
    }

    fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write a test input");
        path
    }

    fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let out = Command::new(BIN)
            .arg("--ledger")
            .arg(self.path())
            .args(args)
            .env("PODIUM_LEDGER", self.unused_default())
            .stdin(Stdio::null())
            .output()
            .expect("podium runs");
        assert!(
            !self.unused_default().exists(),
            "podium created PODIUM_LEDGER despite --ledger"
        );
        Run {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }

    fn ok<S: AsRef<OsStr>>(&self, args: &[S]) -> String {
        self.run(args).ok()
    }

    fn json<S: AsRef<OsStr>>(&self, args: &[S]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }
}

fn count(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} is a count in {v}"))
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is a string in {v}"))
}

/// (gold, silver, bronze, total) of one row or standing.
fn medals(v: &Value) -> (u64, u64, u64, u64) {
    let m = (
        count(v, "gold"),
        count(v, "silver"),
        count(v, "bronze"),
        count(v, "total"),
    );
    assert_eq!(m.3, m.0 + m.1 + m.2, "total is the sum in {v}");
    m
}

/// `table GAMES --format json [extra...]`, keyed by delegation code.
fn table(ledger: &Ledger, games: &str, extra: &[&str]) -> BTreeMap<String, Value> {
    let mut args = vec!["table", games, "--format", "json"];
    args.extend_from_slice(extra);
    let v = ledger.json(&args);
    let rows = v.as_array().expect("a table is an array");
    let by_noc: BTreeMap<String, Value> = rows
        .iter()
        .map(|r| (text(r, "noc").to_owned(), r.clone()))
        .collect();
    assert_eq!(by_noc.len(), rows.len(), "one row per delegation");
    by_noc
}

#[test]
fn import_gives_azerbaijan_rank_30_tied_with_croatia_and_rank_28_at_the_paralympics() {
    let ledger = Ledger::bundled();

    let olympics = ledger.json(&["rank", "paris-2024", "AZE", "--format", "json"]);
    assert_eq!(olympics["rank"], 30, "{olympics}");
    assert_eq!(olympics["tied_with"], serde_json::json!(["CRO"]));
    assert_eq!(medals(&olympics), (2, 2, 3, 7));
    // The tie is real: Croatia has the same medals.
    let croatia = ledger.json(&["rank", "paris-2024", "CRO", "--format", "json"]);
    assert_eq!(
        (croatia["rank"].clone(), medals(&croatia)),
        (30.into(), (2, 2, 3, 7))
    );
    assert_eq!(croatia["tied_with"], serde_json::json!(["AZE"]));

    let paralympics = ledger.json(&["rank", "paris-2024-paralympics", "AZE", "--format", "json"]);
    assert_eq!(paralympics["rank"], 28, "{paralympics}");
    assert_eq!(paralympics["tied_with"], serde_json::json!([]));
    assert_eq!(medals(&paralympics), (4, 2, 5, 11));

    // Importing the same history again changes nothing.
    let n = bundled_events().len();
    let again = ledger.ok(&[OsStr::new("import"), events_dir().as_os_str()]);
    assert_eq!(
        again,
        format!("0 new, {n} already recorded; {n} events in the ledger\n")
    );
}

#[test]
fn paralympic_table_matches_kaggle_totals_and_an_independent_competition_ranking() {
    let ledger = Ledger::bundled();
    let got = table(&ledger, "paris-2024-paralympics", &[]);

    let mut reader = csv::Reader::from_path(test_data("paris-2024-paralympics-medals-total.csv"))
        .expect("the Kaggle totals file");
    let mut expected: BTreeMap<String, (u64, u64, u64, u64)> = BTreeMap::new();
    for row in reader.records() {
        let row = row.expect("a CSV row");
        let n = |i: usize| row[i].parse::<u64>().expect("a count");
        expected.insert(row[0].to_owned(), (n(3), n(4), n(5), n(6)));
    }
    assert_eq!(expected.len(), 86, "the Kaggle file lists 86 delegations");
    let got_counts: BTreeMap<String, (u64, u64, u64, u64)> = got
        .iter()
        .map(|(noc, r)| (noc.clone(), medals(r)))
        .collect();
    assert_eq!(got_counts, expected);

    // Neutral Paralympic Athletes are listed but not ranked.
    assert_eq!(got["NPA"]["rank"], Value::Null, "{}", got["NPA"]);
    assert_eq!(expected["NPA"], (26, 22, 23, 71));

    // Competition ranking ("1224"): one more than the number of ranked
    // delegations with strictly more gold, then silver, then bronze.
    let ranked: Vec<(&String, (u64, u64, u64))> = expected
        .iter()
        .filter(|(noc, _)| noc.as_str() != "NPA")
        .map(|(noc, &(g, s, b, _))| (noc, (g, s, b)))
        .collect();
    for (noc, key) in &ranked {
        let better = ranked.iter().filter(|(_, other)| other > key).count() as u64;
        assert_eq!(
            got[*noc]["rank"],
            better + 1,
            "rank of {noc}: {}",
            got[*noc]
        );
    }
    assert!(got.values().filter(|r| r["rank"].is_null()).count() == 1);
}

#[test]
fn floor_exercise_bronze_is_chiles_as_then_known_and_barbosu_now() {
    let ledger = Ledger::bundled();
    let now = table(&ledger, "paris-2024", &[]);
    assert_eq!(medals(&now["USA"]), (40, 44, 42, 126));
    assert_eq!(medals(&now["ROU"]), (3, 4, 2, 9));

    // The revocation is retroactive: today's view of 2024-08-10 already has
    // the bronze with Romania...
    let as_of_now = table(&ledger, "paris-2024", &["--as-of", "2024-08-10"]);
    let (usa, rou) = (medals(&as_of_now["USA"]), medals(&as_of_now["ROU"]));
    // ...while what was known on 2024-08-10 still gave it to the USA.
    for extra in [
        &["--known-at", "2024-08-10"][..],
        &["--known-at", "2024-08-10", "--as-of", "2024-08-10"][..],
    ] {
        let then = table(&ledger, "paris-2024", extra);
        assert_eq!(
            medals(&then["USA"]),
            (usa.0, usa.1, usa.2 + 1, usa.3 + 1),
            "USA with {extra:?}"
        );
        assert_eq!(
            medals(&then["ROU"]),
            (rou.0, rou.1, rou.2 - 1, rou.3 - 1),
            "ROU with {extra:?}"
        );
    }

    let chiles = ledger.json(&["athlete", "Jordan Chiles", "--format", "json"]);
    let people = chiles.as_array().expect("a list of people");
    assert_eq!(people.len(), 1, "{chiles}");
    let floor: Vec<&Value> = people[0]["medals"]
        .as_array()
        .expect("medals")
        .iter()
        .filter(|m| text(m, "event") == "Women's Floor Exercise")
        .collect();
    assert_eq!(floor.len(), 1, "{chiles}");
    assert_eq!(
        (
            text(floor[0], "medal"),
            text(floor[0], "noc"),
            text(floor[0], "date")
        ),
        ("bronze", "USA", "2024-08-05")
    );
    let note = text(floor[0], "revoked");
    assert!(note.starts_with("2024-08-05: "), "revocation note {note:?}");
    assert!(note.contains("CAS OG 24/15"), "revocation note {note:?}");
    // Her team gold stands.
    assert!(people[0]["medals"]
        .as_array()
        .expect("medals")
        .iter()
        .any(|m| text(m, "event") == "Women's Team" && m["revoked"].is_null()));

    let barbosu = ledger.ok(&["athlete", "Ana Barbosu"]);
    let line = barbosu
        .lines()
        .find(|l| l.contains("Women's Floor Exercise"))
        .unwrap_or_else(|| panic!("no floor medal in {barbosu}"));
    for word in ["paris-2024", "2024-08-05", "ROU", "bronze"] {
        assert!(line.contains(word), "{word} missing in {line:?}");
    }
    assert!(!line.contains("revoked"), "{line:?}");
}

#[test]
fn log_kind_meeting_held_lists_the_three_article_meetings_with_their_dates() {
    let ledger = Ledger::bundled();
    let jsonl = ledger.ok(&["log", "--kind", "meeting_held", "--format", "jsonl"]);
    let dates: Vec<String> = jsonl
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            assert_eq!(text(&v, "type"), "meeting_held", "{v}");
            text(&v, "date").to_owned()
        })
        .collect();
    assert_eq!(dates, ["2023-03-22", "2024-09-17", "2024-09-25"]);

    let plain = ledger.ok(&["log", "--kind", "meeting_held"]);
    let lines: Vec<&str> = plain.lines().collect();
    assert_eq!(lines.len(), 3, "{plain}");
    for (line, date) in lines.iter().zip(&dates) {
        assert!(
            line.contains(date.as_str()) && line.contains("meeting_held"),
            "{line}"
        );
    }

    let unknown = ledger.run(&["log", "--kind", "meeting"]).fails();
    assert!(
        unknown.contains("meeting_held"),
        "lists the kinds: {unknown}"
    );
}

/// The organisations `memberships MEMBER --as-of DATE --format json` lists,
/// with their roles and start dates.
fn memberships(
    ledger: &Ledger,
    member: &str,
    as_of: &str,
) -> Vec<(String, Option<String>, String)> {
    let v = ledger.json(&["memberships", member, "--as-of", as_of, "--format", "json"]);
    v.as_array()
        .expect("a list of memberships")
        .iter()
        .map(|h| {
            (
                text(h, "organisation").to_owned(),
                h["role"].as_str().map(str::to_owned),
                text(h, "since").to_owned(),
            )
        })
        .collect()
}

#[test]
fn memberships_count_year_only_dates_from_january_first_and_match_names() {
    let ledger = Ledger::bundled();
    let icesco = |held: &[(String, Option<String>, String)]| {
        held.iter()
            .any(|(org, _, since)| org.contains("(ICESCO)") && since == "1991")
    };
    assert!(!icesco(&memberships(&ledger, "AZE", "1990-12-31")));
    assert!(icesco(&memberships(&ledger, "AZE", "1991-01-01")));
    assert!(icesco(&memberships(&ledger, "AZE", "1992-01-01")));
    assert!(icesco(&memberships(&ledger, "Azerbaijan", "1992-01-01")));
    assert!(!icesco(&memberships(&ledger, "Azerbaijan", "1990-12-31")));

    let noc_president = (
        "Azerbaijan National Olympic Committee".to_owned(),
        Some("President".to_owned()),
        "1997".to_owned(),
    );
    assert_eq!(
        memberships(&ledger, "Ilham Aliyev", "2000-01-01"),
        std::slice::from_ref(&noc_president)
    );
    assert_eq!(memberships(&ledger, "Ilham Aliyev", "1996-12-31"), []);
    // Any spelling: case and word order do not matter.
    assert_eq!(
        memberships(&ledger, "aliyev ILHAM", "2000-01-01"),
        [noc_president]
    );

    let text_out = ledger.ok(&["memberships", "AZE", "--as-of", "1990-12-31"]);
    assert_eq!(text_out, "AZE: no memberships as of 1990-12-31\n");
}

#[test]
fn check_judges_every_claim_and_finds_the_tokyo_paralympics_contradictions() {
    let ledger = Ledger::bundled();
    let claims: Vec<Value> = bundled_events()
        .into_iter()
        .filter(|e| e["type"] == "claim")
        .collect();
    assert!(claims.len() > 50, "the articles make many claims");

    let checked = ledger.json(&["check", "--format", "json"]);
    let checked = checked.as_array().expect("a list of claims");
    let ids = |list: &[Value]| -> BTreeSet<String> {
        list.iter().map(|c| text(c, "id").to_owned()).collect()
    };
    assert_eq!(checked.len(), claims.len());
    assert_eq!(ids(checked), ids(&claims), "every claim, once");
    for c in checked {
        assert!(
            ["confirmed", "contradicted", "unverifiable"].contains(&text(c, "verdict")),
            "{c}"
        );
    }

    let find = |games: &str, figure: &str, value: u64, date: &str| -> &Value {
        let found: Vec<&Value> = checked
            .iter()
            .filter(|c| {
                c["games"] == games
                    && c["noc"] == "AZE"
                    && c["figure"] == figure
                    && c["value"] == value
                    && c["date"] == date
                    && c["sport"].is_null()
                    && c["athlete"].is_null()
            })
            .collect();
        assert_eq!(found.len(), 1, "{games} {figure} {value} {date}: {found:?}");
        found[0]
    };
    let against = |c: &Value| -> Vec<u64> {
        c["contradicted_by"]
            .as_array()
            .expect("contradicted_by")
            .iter()
            .map(|o| count(o, "value"))
            .collect()
    };
    // The two articles disagree on Tokyo 2020; the ledger's own Tokyo 2020
    // Paralympic table (AZE 14-1-4, 10th) settles it for Azernews.
    let tokyo = "tokyo-2020-paralympics";
    for (figure, early, late) in [
        ("total", 19, 14),
        ("gold", 14, 4),
        ("silver", 1, 4),
        ("bronze", 4, 6),
    ] {
        let first = find(tokyo, figure, early, "2023-03-22");
        let second = find(tokyo, figure, late, "2024-09-17");
        assert_eq!(first["verdict"], "confirmed", "{first}");
        assert_eq!(first["ledger"]["value"], early, "{first}");
        assert_eq!(second["verdict"], "contradicted", "{second}");
        assert_eq!(second["ledger"]["value"], early, "{second}");
        for (c, other) in [(first, late), (second, early)] {
            assert_eq!(against(c), [other], "{c}");
        }
    }
    // "Top ten": rank at most 10; the ledger ranks AZE 10th.
    let top_ten = find(tokyo, "rank", 10, "2023-03-22");
    assert_eq!(top_ten["bound"], "at_most", "{top_ten}");
    assert_eq!(top_ten["verdict"], "confirmed", "{top_ten}");
    assert_eq!(top_ten["ledger"]["value"], 10, "{top_ten}");

    for date in ["2024-08-13", "2024-09-08", "2024-09-25"] {
        let rank = find("paris-2024", "rank", 30, date);
        assert_eq!(rank["verdict"], "confirmed", "{rank}");
        assert_eq!(rank["ledger"]["value"], 30, "{rank}");
        for (figure, value) in [("gold", 2), ("silver", 2), ("bronze", 3)] {
            let c = find("paris-2024", figure, value, date);
            assert_eq!(c["verdict"], "confirmed", "{c}");
            assert_eq!(c["ledger"]["value"], value, "{c}");
        }
    }
    for date in ["2024-08-13", "2024-09-25"] {
        assert_eq!(find("paris-2024", "total", 7, date)["verdict"], "confirmed");
    }
    // Athens 2004: the IPC counts AZE 1-0-0 in Para Judo, without medallists.
    // The count confirms a gold; the name it cannot: Ilham ZAKIYEV's gold stays
    // unverifiable, the ledger saying 0 to 1 and the two articles agreeing.
    let athens: Vec<&Value> = checked
        .iter()
        .filter(|c| c["games"] == "athens-2004-paralympics")
        .collect();
    assert_eq!(athens.len(), 2, "{athens:?}");
    for c in athens {
        assert_eq!(c["verdict"], "unverifiable", "{c}");
        assert_eq!(c["ledger"]["value"], 0, "{c}");
        assert_eq!(c["ledger"]["at_most"], 1, "{c}");
        assert!(
            text(&c["ledger"], "basis").contains("counted without medallists"),
            "{c}"
        );
        assert_eq!(c["agrees_with"].as_array().map(Vec::len), Some(1), "{c}");
    }
    // Team sizes and sports come from the entries: 48 athletes in 15 sports at
    // the Olympics, 18 in 7 at the Paralympics; the 2023 forecast of 50 in 8 is
    // contradicted by what happened and reported as a forecast.
    for (games, figure, value, date, verdict) in [
        ("paris-2024", "athletes", 48, "2024-08-13", "confirmed"),
        ("paris-2024", "sports", 15, "2024-08-13", "confirmed"),
        (
            "paris-2024-paralympics",
            "athletes",
            18,
            "2024-09-08",
            "confirmed",
        ),
        (
            "paris-2024-paralympics",
            "athletes",
            18,
            "2024-09-17",
            "confirmed",
        ),
        (
            "paris-2024-paralympics",
            "sports",
            7,
            "2024-09-08",
            "confirmed",
        ),
        (
            "paris-2024-paralympics",
            "athletes",
            50,
            "2023-03-22",
            "contradicted",
        ),
        (
            "paris-2024-paralympics",
            "sports",
            8,
            "2023-03-22",
            "contradicted",
        ),
    ] {
        let c = find(games, figure, value, date);
        assert_eq!(c["verdict"], verdict, "{c}");
        let actual = if games == "paris-2024" {
            value
        } else if figure == "athletes" {
            18
        } else {
            7
        };
        assert_eq!(c["ledger"]["value"], actual, "{c}");
        let forecast = date == "2023-03-22";
        let note = c["note"].as_str().unwrap_or_default();
        assert_eq!(note.contains("a forecast"), forecast, "{c}");
    }
    // "Earlier we had medals in shooting and powerlifting": AZE's medals in
    // those sports at the summer Paralympic Games before Paris 2024.
    for (sport, medals) in [("Shooting Para Sport", 2), ("Para Powerlifting", 1)] {
        let c = checked
            .iter()
            .find(|c| {
                c["figure"] == "total_before" && c["sport"] == sport && c["athlete"].is_null()
            })
            .expect("the claim about earlier medals");
        assert_eq!(c["verdict"], "confirmed", "{c}");
        assert_eq!(c["ledger"]["value"], medals, "{c}");
    }

    let verdicts = |v: &str| checked.iter().filter(|c| c["verdict"] == v).count();
    let plain = ledger.ok(&["check"]);
    let last = plain.lines().last().expect("check prints lines");
    assert_eq!(
        last,
        format!(
            "{} claims: {} confirmed, {} contradicted, {} unverifiable",
            claims.len(),
            verdicts("confirmed"),
            verdicts("contradicted"),
            verdicts("unverifiable")
        )
    );
}

/// `athlete NAME --format json`: the one person found, as (name, [(games, event, date, medal)]).
fn athlete(ledger: &Ledger, name: &str) -> (String, Vec<(String, String, String, String)>) {
    let v = ledger.json(&["athlete", name, "--format", "json"]);
    let people = v.as_array().expect("a list of people");
    assert_eq!(people.len(), 1, "{name:?} names one person: {v}");
    let medals = people[0]["medals"]
        .as_array()
        .expect("medals")
        .iter()
        .map(|m| {
            assert!(m["revoked"].is_null(), "{m}");
            (
                text(m, "games").to_owned(),
                text(m, "event").to_owned(),
                text(m, "date").to_owned(),
                text(m, "medal").to_owned(),
            )
        })
        .collect();
    (text(&people[0], "name").to_owned(), medals)
}

/// The medals events/ awards to exactly this name, by an independent reading of the files.
fn awarded_to(events: &[Value], name: &str) -> BTreeSet<(String, String, String, String)> {
    events
        .iter()
        .filter(|e| e["type"] == "medal_awarded")
        .filter(|e| {
            e["athletes"]
                .as_array()
                .expect("athletes")
                .iter()
                .any(|a| a == name)
        })
        .map(|e| {
            (
                text(e, "games").to_owned(),
                text(e, "event").to_owned(),
                text(e, "date").to_owned(),
                text(e, "medal").to_owned(),
            )
        })
        .collect()
}

#[test]
fn athlete_finds_a_person_by_any_spelling_ignoring_case_and_accents() {
    let ledger = Ledger::bundled();
    let events = bundled_events();
    for (a, b, canonical) in [
        ("Roman Saleh", "raman SALEY", "Raman SALEI"),
        (
            "Imamaddin Khalilov",
            "Imadaddin Khalilov",
            "Imamaddin KHALILOV",
        ),
        ("Veli Israfilov", "Vali Israfilov", "Vali ISRAFILOV"),
        (
            "Alfonso Dominguez",
            "Loren Alfonso DOMINGUEZ",
            "Loren Berto ALFONSO DOMINGUEZ",
        ),
        (
            "Georgiy Meshvildishvili",
            "Giorgi Meshvildishvili",
            "Giorgi MESHVILDISHVILI",
        ),
    ] {
        let expected = awarded_to(&events, canonical);
        assert!(!expected.is_empty(), "{canonical} has medals in events/");
        for query in [a, b] {
            let (name, medals) = athlete(&ledger, query);
            assert_eq!(name, canonical, "{query:?}");
            let got: BTreeSet<_> = medals.iter().cloned().collect();
            assert_eq!(got.len(), medals.len(), "{query:?}: each medal once");
            assert_eq!(got, expected, "{query:?}");
        }
    }

    let judo_gold = (
        "paris-2024".to_owned(),
        "Men -73 kg".to_owned(),
        "2024-07-29".to_owned(),
        "gold".to_owned(),
    );
    for query in [
        "HEYDAROV",
        "hidayat heydarov",
        "Hidáyat Heydárov",
        "HEYDÁROV hidayat",
    ] {
        let (name, medals) = athlete(&ledger, query);
        assert_eq!(name, "Hidayat HEYDAROV", "{query:?}");
        assert_eq!(medals, std::slice::from_ref(&judo_gold), "{query:?}");
    }
}

#[test]
fn athlete_with_an_unknown_name_exits_1_with_one_line_on_stderr() {
    let ledger = Ledger::bundled();
    let line = ledger.run(&["athlete", "Nobody Atall"]).fails();
    assert!(line.contains("Nobody Atall"), "{line}");
    let line = ledger
        .run(&["athlete", "Nobody Atall", "--format", "json"])
        .fails();
    assert!(line.contains("Nobody Atall"), "{line}");
}

#[test]
fn athlete_finds_an_identified_person_without_medals_and_lists_none() {
    let ledger = Ledger::bundled();
    // Farid Gayibov, the minister, is known by a person_identified event
    // (alias "Faris Gayibov") but has no medals and no entries: found, with
    // empty lists.
    for query in ["Farid Gayibov", "Faris Gayibov", "faris GAYIBOV"] {
        let v = ledger.json(&["athlete", query, "--format", "json"]);
        assert_eq!(
            v,
            serde_json::json!([{"name": "Farid Gayibov", "aliases": ["Faris Gayibov"], "medals": [], "entries": []}]),
            "{query:?}"
        );
        let plain = ledger.ok(&["athlete", query]);
        assert_eq!(
            plain,
            "Farid Gayibov (also written Faris Gayibov): 0 medal(s)\n"
        );
    }
}

/// The dates of `meetings ARGS --format json`.
fn meeting_dates(ledger: &Ledger, args: &[&str]) -> Vec<String> {
    let mut all = vec!["meetings"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let v = ledger.json(&all);
    v.as_array()
        .expect("a list of meetings")
        .iter()
        .map(|m| text(m, "date").to_owned())
        .collect()
}

#[test]
fn meetings_filter_by_participant_and_by_period() {
    let ledger = Ledger::bundled();
    assert_eq!(
        meeting_dates(&ledger, &["--with", "Budimbu"]),
        ["2024-09-25"]
    );
    let with = ledger.json(&["meetings", "--with", "budimbu", "--format", "json"]);
    assert!(
        with[0]["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .any(|p| p["name"] == "Didier Budimbu"),
        "{with}"
    );
    assert_eq!(
        meeting_dates(&ledger, &["--from", "2024-01-01", "--to", "2024-12-31"]),
        ["2024-09-17", "2024-09-25"]
    );
    assert_eq!(
        meeting_dates(&ledger, &[]),
        ["2023-03-22", "2024-09-17", "2024-09-25"]
    );
    assert_eq!(
        meeting_dates(&ledger, &["--with", "Gayibov", "--to", "2024-09-20"]),
        ["2024-09-17"]
    );
    assert_eq!(
        meeting_dates(&ledger, &["--with", "Budimbu", "--to", "2024-09-24"]),
        Vec::<String>::new()
    );
}

const CSV_HEADER: &str = "date,games,sport,event,medal,noc,athletes\n";

/// An empty ledger with `test-games` (2024-07-01 to 2024-07-10) registered by `append games`.
fn ledger_with_test_games() -> Ledger {
    let ledger = Ledger::empty();
    let id = ledger.ok(&[
        "append",
        "games",
        "--games",
        "test-games",
        "--name",
        "Test Games",
        "--opens",
        "2024-07-01",
        "--closes",
        "2024-07-10",
    ]);
    assert_eq!(id.trim().len(), 36, "prints the new id: {id:?}");
    ledger
}

fn import_csv(ledger: &Ledger, path: &Path) -> Run {
    ledger.run(&[OsStr::new("import-csv"), path.as_os_str()])
}

#[test]
fn import_csv_adds_medals_once_and_a_team_medal_counts_once() {
    let ledger = ledger_with_test_games();
    let csv = ledger.write(
        "medals.csv",
        &format!(
            "{CSV_HEADER}\
             2024-07-02,test-games,Judo,Men -73 kg,gold,AZE,Hidayat HEYDAROV\n\
             2024-07-03,test-games,Fencing,Men's Team Sabre,silver,HUN,A One;B Two;C Three\n\
             2024-07-03,test-games,Fencing,Men's Team Sabre,bronze,KOR,\"D Four; E Five\"\n\
             2024-07-04,test-games,Judo,Men -81 kg,bronze,AZE,Zelym KOTSOIEV\n"
        ),
    );
    assert_eq!(
        import_csv(&ledger, &csv).ok(),
        "4 new, 0 already recorded; 5 events in the ledger\n"
    );

    let got = table(&ledger, "test-games", &[]);
    let counts: BTreeMap<&str, (u64, u64, u64, u64)> = got
        .iter()
        .map(|(noc, r)| (noc.as_str(), medals(r)))
        .collect();
    assert_eq!(
        counts,
        BTreeMap::from([
            ("AZE", (1, 0, 1, 2)),
            ("HUN", (0, 1, 0, 1)),
            ("KOR", (0, 0, 1, 1)),
        ])
    );
    assert_eq!(got["AZE"]["rank"], 1);

    // Every member of the team has the one medal.
    for member in ["A One", "B Two", "C Three"] {
        let (name, medals) = athlete(&ledger, member);
        assert_eq!(name, member);
        assert_eq!(
            medals,
            [(
                "test-games".to_owned(),
                "Men's Team Sabre".to_owned(),
                "2024-07-03".to_owned(),
                "silver".to_owned()
            )]
        );
    }
    assert_eq!(athlete(&ledger, "E Five").1.len(), 1);

    let before = ledger.ok(&["export"]);
    assert_eq!(
        import_csv(&ledger, &csv).ok(),
        "0 new, 4 already recorded; 5 events in the ledger\n"
    );
    assert_eq!(ledger.ok(&["export"]), before, "a re-import writes nothing");
}

#[test]
fn import_csv_with_a_bad_row_names_file_and_line_and_writes_nothing() {
    let ledger = ledger_with_test_games();
    let before = ledger.ok(&["export"]);
    let csv = ledger.write(
        "bad.csv",
        &format!(
            "{CSV_HEADER}\
             2024-07-02,test-games,Judo,Men -73 kg,gold,AZE,Hidayat HEYDAROV\n\
             2024-07-02,test-games,Judo,Men -73 kg,golden,GEO,Someone Else\n\
             2024-07-03,test-games,Judo,Men -81 kg,gold,AZE,Zelym KOTSOIEV\n"
        ),
    );
    let line = import_csv(&ledger, &csv).fails();
    assert!(line.contains("bad.csv:3"), "names file:line: {line}");
    assert!(line.contains("golden"), "names the bad value: {line}");
    assert_eq!(ledger.ok(&["export"]), before, "nothing written");
    // Not even the good row before it.
    assert_eq!(table(&ledger, "test-games", &[]).len(), 0);
}

#[test]
fn import_csv_missing_a_column_names_the_column_and_writes_nothing() {
    let ledger = ledger_with_test_games();
    let before = ledger.ok(&["export"]);
    let csv = ledger.write(
        "no-medal.csv",
        "date,games,sport,event,noc,athletes\n\
         2024-07-02,test-games,Judo,Men -73 kg,AZE,Hidayat HEYDAROV\n",
    );
    let line = import_csv(&ledger, &csv).fails();
    assert!(line.contains("\"medal\""), "names the column: {line}");
    assert!(
        line.contains("no-medal.csv:1"),
        "points at the header: {line}"
    );
    assert_eq!(ledger.ok(&["export"]), before, "nothing written");
}

#[test]
fn import_csv_reimport_of_a_team_listed_in_another_order_is_a_no_op() {
    let ledger = ledger_with_test_games();
    let first = ledger.write(
        "first.csv",
        &format!("{CSV_HEADER}2024-07-03,test-games,Fencing,Men's Team Sabre,silver,HUN,A One;B Two;C Three\n"),
    );
    let second = ledger.write(
        "second.csv",
        &format!("{CSV_HEADER}2024-07-03,test-games,Fencing,Men's Team Sabre,silver,HUN,C Three;A One;B Two\n"),
    );
    assert_eq!(
        import_csv(&ledger, &first).ok(),
        "1 new, 0 already recorded; 2 events in the ledger\n"
    );
    assert_eq!(
        import_csv(&ledger, &second).ok(),
        "0 new, 1 already recorded; 2 events in the ledger\n"
    );
}
