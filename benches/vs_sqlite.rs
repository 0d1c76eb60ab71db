//! podium side by side with SQLite on the same synthetic world, in the same run.
//!
//! `cargo bench --bench vs_sqlite -- N` (or `PODIUM_BENCH_EVENTS=N`; default
//! 100,000) generates N events once (`podium::generate`, JSON Lines), builds
//! the same world in a podium ledger and in an SQLite file, and times each
//! operation several times, printing the median of each side and the ratio
//! podium / SQLite (below 1: podium is better). Both sides read the file with
//! the same `jsonl::Reader`, so both pay the same parsing; podium's import is
//! the command's own (`cli::import_jsonl`), which parses on a second thread
//! while it appends, and SQLite's parses on the thread that inserts.
//!
//! The SQLite side is what a SQL user would write: one `awards` table (id,
//! games, date, noc, medal, recorded, sport, event, athletes joined by ';',
//! source) with `revoked_on`, `revoked_recorded` and `revoked_reason` columns
//! that a revocation sets with an UPDATE, indexes on (games, date), on date,
//! on (games, sport, event) and on (games, noc), journal_mode=WAL and
//! synchronous=FULL so a commit is as durable as podium's flush. It keeps
//! fewer facts than podium (no hash chain, no revocation as an event of its
//! own; meetings and memberships are not stored), which matters for size on
//! disk and import speed; the table compares answers, and the answers are
//! checked to be equal before anything is timed.
//!
//! Other knobs (environment): `PODIUM_BENCH_SEED` (default 1),
//! `PODIUM_BENCH_DIR` (where the temporary directory goes),
//! `PODIUM_BENCH_KEEP=1` (keep the files and print where),
//! `PODIUM_BENCH_IMPORT_RUNS` (default 3 up to 1 M events, else 1),
//! `PODIUM_BENCH_APPENDS` (appends to the latest games, default 30),
//! `PODIUM_BENCH_OLD_APPENDS` (appends dated in the first games, default 5),
//! `PODIUM_SQLITE3` (the sqlite3 command, default `sqlite3` on the PATH).
//!
//! It never writes anywhere but its temporary directory.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use jiff::Timestamp;
use podium::event::{Day, Event, GamesId, Kind, Medal, MedalAwarded};
use podium::jsonl::{Incoming, Reader};
use podium::ledger::Ledger;
use podium::table::{Bounds, RankBy, Row};
use rusqlite::{params, Connection};

const PODIUM: &str = env!("CARGO_BIN_EXE_podium");
const EVENTS_DEFAULT: u64 = 100_000;

/// A medal table as both sides give it: (noc, gold, silver, bronze), ranked.
type Table = Vec<(String, u32, u32, u32)>;

const SCHEMA: &str = "
CREATE TABLE games(id TEXT PRIMARY KEY, name TEXT NOT NULL, opens TEXT NOT NULL, closes TEXT NOT NULL);
CREATE TABLE awards(
  id TEXT PRIMARY KEY,
  games TEXT NOT NULL,
  date TEXT NOT NULL,
  noc TEXT NOT NULL,
  medal INTEGER NOT NULL,      -- 1 gold, 2 silver, 3 bronze
  recorded INTEGER NOT NULL,   -- when it was recorded, ns since 1970 (transaction time)
  revoked_on TEXT,             -- the revocation's date; NULL while in force
  revoked_recorded INTEGER,    -- when the revocation was recorded
  revoked_reason TEXT,
  sport TEXT,
  event TEXT,
  athletes TEXT,               -- joined by ';'
  source TEXT
);";
const INDEXES: &str = "
CREATE INDEX awards_games_date ON awards(games, date);
CREATE INDEX awards_date ON awards(date);
CREATE INDEX awards_games_sport_event ON awards(games, sport, event);
CREATE INDEX awards_games_noc ON awards(games, noc);";

/// One games' table on a day: awards dated by then and not revoked by then.
const GAMES_SQL: &str =
    "SELECT noc, SUM(medal = 1) AS gold, SUM(medal = 2) AS silver, SUM(medal = 3) AS bronze \
FROM awards WHERE games = ?1 AND date <= ?2 AND (revoked_on IS NULL OR revoked_on > ?2) \
GROUP BY noc ORDER BY gold DESC, silver DESC, bronze DESC, noc";
/// The all-time table on a day: the same over every games.
const ALL_SQL: &str =
    "SELECT noc, SUM(medal = 1) AS gold, SUM(medal = 2) AS silver, SUM(medal = 3) AS bronze \
FROM awards WHERE date <= ?1 AND (revoked_on IS NULL OR revoked_on > ?1) \
GROUP BY noc ORDER BY gold DESC, silver DESC, bronze DESC, noc";
/// One games' table on a day as known at a time: awards recorded by then,
/// dated by the day, and not revoked by a revocation both dated and recorded by then.
const GAMES_KNOWN_SQL: &str =
    "SELECT noc, SUM(medal = 1) AS gold, SUM(medal = 2) AS silver, SUM(medal = 3) AS bronze \
FROM awards WHERE games = ?1 AND date <= ?2 AND recorded <= ?3 \
AND NOT (revoked_on IS NOT NULL AND revoked_on <= ?2 AND revoked_recorded <= ?3) \
GROUP BY noc ORDER BY gold DESC, silver DESC, bronze DESC, noc";
/// The all-time table on a day as known at a time.
const ALL_KNOWN_SQL: &str =
    "SELECT noc, SUM(medal = 1) AS gold, SUM(medal = 2) AS silver, SUM(medal = 3) AS bronze \
FROM awards WHERE date <= ?1 AND recorded <= ?2 \
AND NOT (revoked_on IS NOT NULL AND revoked_on <= ?1 AND revoked_recorded <= ?2) \
GROUP BY noc ORDER BY gold DESC, silver DESC, bronze DESC, noc";
/// One sport's table at one games on a day (?3: the sport).
const SPORT_SQL: &str =
    "SELECT noc, SUM(medal = 1) AS gold, SUM(medal = 2) AS silver, SUM(medal = 3) AS bronze \
FROM awards WHERE games = ?1 AND sport = ?3 AND date <= ?2 \
AND (revoked_on IS NULL OR revoked_on > ?2) \
GROUP BY noc ORDER BY gold DESC, silver DESC, bronze DESC, noc";
/// A delegation's medallists at one games, in force now (?2: the code).
const MEDALLISTS_SQL: &str = "SELECT date, sport, event, medal, noc, athletes, source \
FROM awards WHERE games = ?1 AND noc = ?2 AND revoked_on IS NULL \
ORDER BY date, sport, event, medal, noc";
/// An event's holders in the order they were recorded, with revocations (?2, ?3: sport, event).
const EVENT_SQL: &str = "SELECT medal, noc, athletes, date, recorded, revoked_on, \
revoked_recorded, revoked_reason, source FROM awards \
WHERE games = ?1 AND sport = ?2 AND event = ?3 ORDER BY recorded, medal, noc";
/// The sport, delegation and event the drill-down rows ask about.
const DRILL_SPORT: &str = "Judo";
const DRILL_NOC: &str = "BVM";

/// The SQL counterpart of rebuilding derived state: the per-games totals, from scratch.
const REBUILD_SQL: &str = "DROP TABLE IF EXISTS medal_totals;
CREATE TABLE medal_totals AS SELECT games, noc, SUM(medal = 1) AS gold, SUM(medal = 2) AS silver, \
SUM(medal = 3) AS bronze FROM awards WHERE revoked_on IS NULL GROUP BY games, noc;";

/// A games as the generated file registers it.
#[derive(Clone, Debug)]
struct GamesInfo {
    id: GamesId,
    opens: Date,
    closes: Date,
}

/// One row of the printed table.
struct Line {
    operation: String,
    podium: String,
    sqlite: String,
    ratio: Option<f64>,
}

/// The first argument that makes this executable the process-measuring helper.
const CHILD_FLAG: &str = "--child";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(CHILD_FLAG) {
        child_helper(&args[1], &args[2..]);
    }
    let events = events_wanted();
    let seed: u64 = env_or("PODIUM_BENCH_SEED", 1);
    let import_runs: usize = env_or(
        "PODIUM_BENCH_IMPORT_RUNS",
        if events <= 1_000_000 { 3 } else { 1 },
    );
    let appends: usize = env_or("PODIUM_BENCH_APPENDS", 30);
    let old_appends: usize = env_or("PODIUM_BENCH_OLD_APPENDS", 5);
    let sqlite3 = std::env::var("PODIUM_SQLITE3").unwrap_or_else(|_| "sqlite3".into());
    let sqlite3 = Command::new(&sqlite3)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            (
                sqlite3,
                String::from_utf8_lossy(&o.stdout).trim().to_owned(),
            )
        });

    let base = std::env::var_os("PODIUM_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let tmp = tempfile::Builder::new()
        .prefix("podium-vs-sqlite-")
        .tempdir_in(&base)
        .expect("a temporary directory");
    let dir = tmp.path().to_path_buf();
    let jsonl = dir.join("world.jsonl");
    let load_before = loadavg();
    let started = Instant::now();

    progress(&format!(
        "generating {events} events (seed {seed}) into {}",
        jsonl.display()
    ));
    let t = Instant::now();
    {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&jsonl).expect("create"));
        podium::generate::generate(events, seed, &mut out).expect("generate");
        out.flush().expect("flush");
    }
    let generate_time = t.elapsed();
    let games = games_of(&jsonl);
    let mid = &games[games.len() / 2];
    let last = games.last().expect("at least one games").clone();
    // One games' table in the middle of its days; the all-time table at its close (mid-history).
    let games_day = mid
        .opens
        .checked_add(jiff::Span::new().days(5))
        .unwrap()
        .min(mid.closes);
    let all_day = mid.closes;
    progress(&format!(
        "generated in {}; {} games; one games = {} as of {games_day}; all-time as of {all_day}",
        fmt_duration(generate_time),
        games.len(),
        mid.id
    ));

    let mut lines = Vec::new();

    // --- Bulk import -------------------------------------------------------
    let ledger_dir = dir.join("ledger");
    let sqlite_file = dir.join("world.sqlite");
    let mut podium_imports = Vec::new();
    let mut sqlite_imports = Vec::new();
    for run in 0..import_runs {
        progress(&format!("import {}/{import_runs}: podium", run + 1));
        remove_dir(&ledger_dir);
        podium_imports.push(podium_import(&ledger_dir, &jsonl, events));
        progress(&format!("import {}/{import_runs}: SQLite", run + 1));
        remove_sqlite(&sqlite_file);
        sqlite_imports.push(sqlite_import(&sqlite_file, &jsonl));
    }
    let (pi, si) = (median(&mut podium_imports), median(&mut sqlite_imports));
    lines.push(Line {
        operation: format!("bulk import, {} (median of {import_runs})", count(events)),
        podium: format!("{} ({}/s)", fmt_duration(pi), count(rate(events, pi))),
        sqlite: format!("{} ({}/s)", fmt_duration(si), count(rate(events, si))),
        ratio: Some(ratio(pi, si)),
    });

    // Size as imported, before the appends and rebuilds below rewrite anything.
    let imported_bytes = (disk_bytes(&ledger_dir), sqlite_bytes(&sqlite_file));
    let ledger = Ledger::open(&ledger_dir, false).expect("open the ledger");
    let conn = Connection::open(&sqlite_file).expect("open the SQLite file");
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
        .expect("pragmas");
    // --- The answers agree ---------------------------------------------------
    // Known now (what the CLI asks by default), and known at T, the recorded
    // time of the event two thirds along the log: the past as the ledger knew
    // it then, before the later revocations.
    let known_t = recorded_at(&jsonl, events * 2 / 3);
    let bounds = |day: Option<Date>, known_at: Option<Timestamp>| Bounds {
        as_of: day,
        known_at: Some(known_at.unwrap_or_else(Timestamp::now)),
    };
    let podium_games = |ledger: &Ledger, known_at: Option<Timestamp>| {
        rows(
            podium::query::games_table(
                &ledger.model().view().expect("a view"),
                &mid.id,
                bounds(Some(games_day), known_at),
                RankBy::Gold,
            )
            .expect("podium games table"),
        )
    };
    let sqlite_games = |known_at: Option<Timestamp>| match known_at {
        None => sql_table(&conn, GAMES_SQL, &[mid.id.as_str(), &games_day.to_string()]),
        Some(t) => sql_table(
            &conn,
            GAMES_KNOWN_SQL,
            &[
                mid.id.as_str(),
                &games_day.to_string(),
                &nanos(t).to_string(),
            ],
        ),
    };
    let podium_all = |ledger: &Ledger, day: Option<Date>, known_at: Option<Timestamp>| {
        rows(
            podium::query::all_time_table(
                &ledger.model().view().expect("a view"),
                bounds(day, known_at),
                RankBy::Gold,
            )
            .expect("podium all-time table"),
        )
    };
    let sqlite_all = |day: Date, known_at: Option<Timestamp>| match known_at {
        None => sql_table(&conn, ALL_SQL, &[&day.to_string()]),
        Some(t) => sql_table(
            &conn,
            ALL_KNOWN_SQL,
            &[&day.to_string(), &nanos(t).to_string()],
        ),
    };
    let latest = last.closes;
    for known_at in [None, Some(known_t)] {
        check_same(
            &format!("one games' table known at {known_at:?}"),
            &podium_games(&ledger, known_at),
            &sqlite_games(known_at),
        );
        check_same(
            &format!("all-time table known at {known_at:?}"),
            &podium_all(&ledger, Some(all_day), known_at),
            &sqlite_all(all_day, known_at),
        );
    }
    check_same(
        "all-time table (latest)",
        &podium_all(&ledger, Some(latest), None),
        &sqlite_all(latest, None),
    );
    // The drill-down questions: the judo table of the middle games, BVM's
    // medallists there, and the history of one judo event (one with a
    // revocation, when there is one).
    let drill_event: String = conn
        .query_row(
            "SELECT event FROM awards WHERE games = ?1 AND sport = ?2 \
             ORDER BY revoked_on IS NULL, recorded LIMIT 1",
            params![mid.id.as_str(), DRILL_SPORT],
            |r| r.get(0),
        )
        .expect("a judo event in the middle games");
    check_drill(&ledger, &conn, mid, games_day, &drill_event);
    progress(&format!(
        "the answers agree on both sides, known now and known at {known_t}"
    ));

    // --- In-process queries -------------------------------------------------
    let budget = Duration::from_secs(5);
    let known_label = |known_at: Option<Timestamp>| match known_at {
        None => String::new(),
        Some(_) => format!(", known at {known_t} (2/3 along the log)"),
    };
    for known_at in [None, Some(known_t)] {
        let (p, s) = (
            time_runs("podium games table", budget, || {
                drop(podium_games(&ledger, known_at))
            }),
            time_runs("SQLite games table", budget, || {
                drop(sqlite_games(known_at))
            }),
        );
        lines.push(pair(
            &format!(
                "one games' table as of a date{}, in-process ({} games)",
                known_label(known_at),
                count(games.len() as u64)
            ),
            p,
            s,
        ));
        let (p, s) = (
            time_runs("podium all-time", budget, || {
                drop(podium_all(&ledger, Some(all_day), known_at))
            }),
            time_runs("SQLite all-time", budget, || {
                drop(sqlite_all(all_day, known_at))
            }),
        );
        lines.push(pair(
            &format!(
                "all-time table as of {all_day} (mid-history){}, in-process",
                known_label(known_at)
            ),
            p,
            s,
        ));
    }
    let (p, s) = (
        time_runs("podium all-time latest", budget, || {
            drop(podium_all(&ledger, Some(latest), None))
        }),
        time_runs("SQLite all-time latest", budget, || {
            drop(sqlite_all(latest, None))
        }),
    );
    lines.push(pair(
        &format!("all-time table as of {latest} (latest), in-process"),
        p,
        s,
    ));

    // --- Whole processes -------------------------------------------------------
    // Right after the import, as a user who ran `podium import` would find the
    // ledger. Query processes read the read model alone; this process lets go
    // of the log meanwhile, as the scans below need it.
    drop(ledger);
    let mut peaks = Vec::new();
    let ledger_arg = ledger_dir.to_str().expect("UTF-8 path");
    let sqlite_arg = sqlite_file.to_str().expect("UTF-8 path");
    let podium_args = |args: &[&str]| -> Vec<String> {
        ["--ledger", ledger_arg]
            .iter()
            .chain(args)
            .map(|a| (*a).to_owned())
            .collect()
    };
    let (games_day_s, all_day_s, known_s) = (
        games_day.to_string(),
        all_day.to_string(),
        known_t.to_string(),
    );
    let known_ns = nanos(known_t).to_string();
    let games_sql = |sql: &str| {
        sql.replace("?1", &format!("'{}'", mid.id))
            .replace("?2", &format!("'{games_day}'"))
            .replace("?3", &known_ns)
    };
    let drill_sql = |sql: &str, values: &[&str]| {
        let mut sql = sql.to_owned();
        for (i, v) in values.iter().enumerate().rev() {
            sql = sql.replace(
                &format!("?{}", i + 1),
                &format!("'{}'", v.replace('\'', "''")),
            );
        }
        sql
    };
    let all_sql = |sql: &str| {
        sql.replace("?1", &format!("'{all_day}'"))
            .replace("?2", &known_ns)
    };
    let process_cases: Vec<(String, Vec<String>, Option<String>)> = vec![
        (
            "one games' table as of a date, whole process".into(),
            podium_args(&["table", mid.id.as_str(), "--as-of", &games_day_s]),
            Some(games_sql(GAMES_SQL)),
        ),
        (
            "one games' table as of a date, known at T, whole process".into(),
            podium_args(&[
                "table",
                mid.id.as_str(),
                "--as-of",
                &games_day_s,
                "--known-at",
                &known_s,
            ]),
            Some(games_sql(GAMES_KNOWN_SQL)),
        ),
        (
            "all-time table as of a date, whole process".into(),
            podium_args(&["table", "--all", "--as-of", &all_day_s]),
            Some(all_sql(ALL_SQL)),
        ),
        (
            "all-time table as of a date, known at T, whole process".into(),
            podium_args(&[
                "table",
                "--all",
                "--as-of",
                &all_day_s,
                "--known-at",
                &known_s,
            ]),
            Some(all_sql(ALL_KNOWN_SQL)),
        ),
        (
            format!("one sport's table ({DRILL_SPORT}) of one games as of a date, whole process"),
            podium_args(&[
                "table",
                mid.id.as_str(),
                "--sport",
                DRILL_SPORT,
                "--as-of",
                &games_day_s,
            ]),
            Some(drill_sql(
                SPORT_SQL,
                &[mid.id.as_str(), &games_day_s, DRILL_SPORT],
            )),
        ),
        (
            format!(
                "a delegation's medallists at one games (medals --noc {DRILL_NOC}), whole process"
            ),
            podium_args(&["medals", mid.id.as_str(), "--noc", DRILL_NOC]),
            Some(drill_sql(MEDALLISTS_SQL, &[mid.id.as_str(), DRILL_NOC])),
        ),
        (
            "an event's podium and history (event), whole process".into(),
            podium_args(&["event", mid.id.as_str(), DRILL_SPORT, &drill_event]),
            Some(drill_sql(
                EVENT_SQL,
                &[mid.id.as_str(), DRILL_SPORT, &drill_event],
            )),
        ),
        (
            "history of a delegation at one games, known at T, whole process".into(),
            podium_args(&["history", mid.id.as_str(), "BVM", "--known-at", &known_s]),
            None,
        ),
        (
            "race of one games (top 5), known at T, whole process".into(),
            podium_args(&["race", mid.id.as_str(), "--known-at", &known_s]),
            None,
        ),
        (
            "diff of one games as of its close, known at T vs now, whole process".into(),
            podium_args(&[
                "diff",
                mid.id.as_str(),
                "--as-of",
                &mid.closes.to_string(),
                "--known-at",
                &known_s,
                "--vs-known-at",
                &Timestamp::now().to_string(),
            ]),
            None,
        ),
    ];
    for (what, podium_args, sql) in &process_cases {
        progress(what);
        let (p, p_rss) = process_runs(budget, PODIUM, podium_args);
        let s = match (&sqlite3, sql) {
            (Some((cmd, _)), Some(sql)) => {
                let (s, s_rss) = process_runs(budget, cmd, &[sqlite_arg.to_owned(), sql.clone()]);
                Some((s, s_rss))
            }
            _ => None,
        };
        peaks.push((what.clone(), p_rss, s.as_ref().map(|x| x.1)));
        lines.push(match s {
            Some((s, _)) => pair(&format!("{what} (podium vs sqlite3)"), p, s),
            None => Line {
                operation: what.clone(),
                podium: fmt_duration(median(&mut p.clone())),
                sqlite: "n/a".into(),
                ratio: None,
            },
        });
    }

    // --- Whole-log scans: time and peak memory ---------------------------------
    for (what, args) in [
        ("export (the whole log)", podium_args(&["export"])),
        (
            "verify (the whole log and its index)",
            podium_args(&["verify"]),
        ),
        (
            "delegation BVM (every games)",
            podium_args(&["delegation", "BVM"]),
        ),
        (
            "delegation BVM --by sport (every games' records)",
            podium_args(&["delegation", "BVM", "--by", "sport"]),
        ),
        (
            "table --all --sport Judo (every games' records)",
            podium_args(&["table", "--all", "--sport", DRILL_SPORT]),
        ),
    ] {
        progress(what);
        let (t, rss) = run_child(PODIUM, &args);
        peaks.push((format!("{what}, whole process"), rss, None));
        lines.push(Line {
            operation: format!("{what}, whole process (one run)"),
            podium: fmt_duration(t),
            sqlite: "n/a".into(),
            ratio: None,
        });
    }

    // --- A query during an import ----------------------------------------------
    lines.extend(reads_during_import(
        &dir,
        &jsonl,
        &mid.id,
        games_day,
        sqlite3.as_ref().map(|s| s.0.as_str()),
    ));

    let mut ledger = Ledger::open(&ledger_dir, false).expect("reopen the ledger");

    // --- Durable single appends ----------------------------------------------
    // A medal for the latest games (the usual case), then one for the first games:
    // a correction dated a century back, which podium's derived state must carry forward.
    let first = games.first().expect("at least one games").clone();
    for (what, target, runs) in [
        ("durable single append, latest games", &last, appends),
        (
            "durable single append dated in the first games",
            &first,
            old_appends,
        ),
    ] {
        let (p, s) = timed_appends(&mut ledger, &conn, target, runs);
        lines.push(pair(
            &format!("{what} (median of {runs}, each flushed)"),
            p,
            s,
        ));
    }

    // --- Full rebuild --------------------------------------------------------
    // podium: `query::rebuild` replays the whole log into the derived trees.
    // SQLite: the per-games totals table, recomputed from the awards table.
    let (p, s) = (
        time_runs("podium rebuild", budget, || {
            let replayed = podium::query::rebuild(&mut ledger).expect("rebuild");
            assert_eq!(replayed, ledger.len());
        }),
        time_runs("SQLite rebuild (medal_totals)", budget, || {
            conn.execute_batch(REBUILD_SQL).expect("rebuild")
        }),
    );
    check_same(
        "all-time table after the rebuild",
        &podium_all(&ledger, Some(all_day), None),
        &sqlite_all(all_day, None),
    );
    let (pm, sm) = (median(&mut p.clone()), median(&mut s.clone()));
    let rebuilds = (p.len(), s.len());
    let total = ledger.len();
    let mut line = pair(
        "full rebuild of the read model from the log (query::rebuild / CREATE TABLE AS)",
        p,
        s,
    );
    line.podium = format!("{} ({} events/s)", line.podium, count(rate(total, pm)));
    line.sqlite = format!("{} ({} events/s)", line.sqlite, count(rate(total, sm)));
    lines.push(line);
    conn.execute_batch("DROP TABLE IF EXISTS medal_totals;")
        .expect("drop");

    drop(ledger);
    conn.close().expect("close SQLite");

    // --- Size and memory -----------------------------------------------------
    let jsonl_bytes = std::fs::metadata(&jsonl).expect("jsonl").len();
    let size_line = |operation: String, (p, s): (u64, u64)| Line {
        operation,
        podium: format!(
            "{} ({:.2}x JSONL)",
            fmt_bytes(p),
            p as f64 / jsonl_bytes as f64
        ),
        sqlite: format!(
            "{} ({:.2}x JSONL)",
            fmt_bytes(s),
            s as f64 / jsonl_bytes as f64
        ),
        ratio: Some(p as f64 / s as f64),
    };
    lines.push(size_line(
        format!(
            "size on disk after the import (JSON Lines: {})",
            fmt_bytes(jsonl_bytes)
        ),
        imported_bytes,
    ));
    lines.push(size_line(
        format!(
            "size on disk at the end (after {} appends; podium {} rebuilds, SQLite {})",
            appends + old_appends,
            rebuilds.0,
            rebuilds.1
        ),
        (disk_bytes(&ledger_dir), sqlite_bytes(&sqlite_file)),
    ));
    for (what, p_rss, s_rss) in &peaks {
        lines.push(Line {
            operation: format!("peak memory: {}", what.replace(", whole process", "")),
            podium: fmt_bytes(*p_rss),
            sqlite: s_rss.map(fmt_bytes).unwrap_or_else(|| "n/a".into()),
            ratio: s_rss.map(|s| *p_rss as f64 / s as f64),
        });
    }

    // --- Report ----------------------------------------------------------------
    let load_after = loadavg();
    println!();
    println!("# podium vs SQLite, {} events (seed {seed})", count(events));
    println!();
    println!(
        "machine: {} cores, {}; load average before {load_before}, after {load_after}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model()
    );
    println!("podium: {} ({PODIUM})", podium_revision());
    println!(
        "SQLite: {} in-process (rusqlite, bundled); CLI: {}",
        rusqlite::version(),
        sqlite3.as_ref().map_or("not found", |s| s.1.as_str())
    );
    println!(
        "world: {} games; one games = {} as of {games_day}; all-time as of {all_day}; generated in {}",
        games.len(),
        mid.id,
        fmt_duration(generate_time)
    );
    println!();
    println!("| operation | podium median | SQLite median | ratio (podium/SQLite) |");
    println!("|---|---:|---:|---:|");
    for l in &lines {
        println!(
            "| {} | {} | {} | {} |",
            l.operation,
            l.podium,
            l.sqlite,
            l.ratio.map_or("n/a".into(), fmt_ratio)
        );
    }
    println!();
    println!(
        "ratio below 1: podium is faster or smaller. Page cache warm for both sides; total run {}.",
        fmt_duration(started.elapsed())
    );

    if std::env::var_os("PODIUM_BENCH_KEEP").is_some_and(|v| v == "1") {
        let kept = tmp.keep();
        println!("kept: {}", kept.display());
    }
}

/// N from the first argument that is a number (cargo bench passes `--bench`), else the environment.
fn events_wanted() -> u64 {
    std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(|a| {
            a.replace(['_', ','], "")
                .parse()
                .expect("N must be a number of events")
        })
        .unwrap_or_else(|| env_or("PODIUM_BENCH_EVENTS", EVENTS_DEFAULT))
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} does not parse")),
        Err(_) => default,
    }
}

fn progress(message: &str) {
    eprintln!("vs_sqlite: {message}");
}

/// The games the file registers, in order.
fn games_of(jsonl: &Path) -> Vec<GamesInfo> {
    let mut reader = Reader::new(BufReader::new(File::open(jsonl).expect("open")), jsonl);
    let mut games = Vec::new();
    while let Some((_, incoming)) = reader.next_event().expect("a generated line parses") {
        if let Kind::GamesRegistered(g) = &incoming.event.kind {
            games.push(GamesInfo {
                id: g.games.clone(),
                opens: incoming.event.date.first(),
                closes: g.closes.last(),
            });
        }
    }
    games
}

/// `podium import FILE` in-process: open (creating), then the command's own
/// path (`cli::import_jsonl`: parsing on a second thread, one append), flush.
fn podium_import(dir: &Path, jsonl: &Path, events: u64) -> Duration {
    let t = Instant::now();
    let mut ledger = Ledger::open(dir, true).expect("create the ledger");
    let appended = podium::cli::import_jsonl(&mut ledger, &[jsonl.to_path_buf()], || {})
        .expect("podium import");
    drop(ledger);
    let elapsed = t.elapsed();
    assert_eq!(appended.new, events, "every generated event is new");
    elapsed
}

/// The same file into SQLite: one transaction, prepared statements, indexes built after the load.
fn sqlite_import(file: &Path, jsonl: &Path) -> Duration {
    let t = Instant::now();
    let mut conn = Connection::open(file).expect("create the SQLite file");
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
        .expect("pragmas");
    conn.execute_batch(SCHEMA).expect("schema");
    let tx = conn.transaction().expect("begin");
    sqlite_insert(&tx, jsonl);
    tx.execute_batch(INDEXES).expect("indexes");
    tx.commit().expect("commit");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    conn.close().expect("close");
    t.elapsed()
}

/// The events of a file as rows: games, awards with their recorded time,
/// revocations as an UPDATE of the award (date and recorded time).
fn sqlite_insert(tx: &rusqlite::Transaction<'_>, jsonl: &Path) {
    let mut games = tx
        .prepare("INSERT INTO games(id, name, opens, closes) VALUES (?1, ?2, ?3, ?4)")
        .expect("prepare");
    let mut award = tx
        .prepare(
            "INSERT INTO awards(id, games, date, noc, medal, recorded, sport, event, athletes, source) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .expect("prepare");
    let mut revoke = tx
        .prepare(
            "UPDATE awards SET revoked_on = ?2, revoked_recorded = ?3, revoked_reason = ?4 \
             WHERE id = ?1 AND revoked_on IS NULL",
        )
        .expect("prepare");
    let mut reader = Reader::new(
        BufReader::with_capacity(1 << 16, File::open(jsonl).expect("open")),
        jsonl,
    );
    while let Some((_, incoming)) = reader.next_event().expect("a generated line parses") {
        let e = &incoming.event;
        let recorded = nanos(incoming.recorded.expect("generated events are stamped"));
        match &e.kind {
            Kind::GamesRegistered(g) => {
                games
                    .execute(params![
                        g.games.as_str(),
                        g.name,
                        e.date.first().to_string(),
                        g.closes.last().to_string()
                    ])
                    .expect("insert games");
            }
            Kind::MedalAwarded(m) => {
                award
                    .execute(params![
                        e.id.to_string(),
                        m.games.as_str(),
                        e.date.first().to_string(),
                        m.noc.as_str(),
                        medal_number(m.medal),
                        recorded,
                        m.sport,
                        m.event,
                        m.athletes.join(";"),
                        e.source
                    ])
                    .expect("insert award");
            }
            Kind::MedalRevoked(r) => {
                let n = revoke
                    .execute(params![
                        r.award.to_string(),
                        e.date.first().to_string(),
                        recorded,
                        r.reason
                    ])
                    .expect("revoke");
                assert_eq!(n, 1, "a revocation revokes one award");
            }
            _ => {}
        }
    }
}

/// A recorded time as SQLite stores it: nanoseconds since 1970.
fn nanos(t: Timestamp) -> i64 {
    i64::try_from(t.as_nanosecond()).expect("generated times fit in 64 bits")
}

/// `runs` new medals for `games`, appended one by one to each side, each durable:
/// podium's `Ledger::append` flushes; each SQLite INSERT is its own transaction
/// (autocommit), fsynced with journal_mode=WAL and synchronous=FULL.
fn timed_appends(
    ledger: &mut Ledger,
    conn: &Connection,
    games: &GamesInfo,
    runs: usize,
) -> (Vec<Duration>, Vec<Duration>) {
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO awards(id, games, date, noc, medal, recorded, sport, event, athletes, source) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .expect("prepare");
    let (mut p, mut s) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let incoming = new_medal(games, i);
        let Kind::MedalAwarded(m) = &incoming.event.kind else {
            unreachable!("new_medal makes a medal")
        };
        let row = (
            incoming.event.id.to_string(),
            games.id.as_str().to_owned(),
            incoming.event.date.first().to_string(),
            m.noc.to_string(),
            medal_number(m.medal),
            (m.sport.clone(), m.event.clone(), m.athletes.join(";")),
        );
        let incoming_source = incoming.event.source.clone();
        let t = Instant::now();
        let (_, new) = ledger.append(incoming).expect("podium append");
        p.push(t.elapsed());
        assert!(new);
        let t = Instant::now();
        insert
            .execute(params![
                row.0,
                row.1,
                row.2,
                row.3,
                row.4,
                nanos(Timestamp::now()),
                row.5 .0,
                row.5 .1,
                row.5 .2,
                incoming_source
            ])
            .expect("SQLite insert");
        s.push(t.elapsed());
    }
    progress(&format!(
        "appends to {}: podium median {}, SQLite median {}",
        games.id,
        fmt_duration(median(&mut p.clone())),
        fmt_duration(median(&mut s.clone()))
    ));
    (p, s)
}

/// The recorded time of the `n`-th event of a generated file (0-based).
fn recorded_at(jsonl: &Path, n: u64) -> Timestamp {
    let mut reader = Reader::new(BufReader::new(File::open(jsonl).expect("open")), jsonl);
    let mut i = 0;
    while let Some((_, incoming)) = reader.next_event().expect("a generated line parses") {
        if i == n {
            return incoming.recorded.expect("generated events are stamped");
        }
        i += 1;
    }
    panic!("the file has fewer than {n} events")
}

/// A query during an import, on each side: the file's first half imported,
/// then its second half imported by another process (podium) or thread
/// (SQLite, one transaction) while one games' table is asked for in a loop,
/// process after process. Every query must succeed (none waits for the writer
/// or is refused); reports how many ran and their median and worst latency.
fn reads_during_import(
    dir: &Path,
    jsonl: &Path,
    games: &GamesId,
    games_day: Date,
    sqlite3: Option<&str>,
) -> Vec<Line> {
    progress("queries during an import");
    let text = std::fs::read_to_string(jsonl).expect("read the file");
    let lines: Vec<&str> = text.lines().collect();
    let half = lines.len() / 2;
    let (first, second) = (dir.join("first.jsonl"), dir.join("second.jsonl"));
    std::fs::write(&first, lines[..half].join("\n") + "\n").expect("write");
    std::fs::write(&second, lines[half..].join("\n") + "\n").expect("write");
    drop(text);
    let busy = dir.join("busy-ledger");
    podium_import(&busy, &first, half as u64);
    let busy_arg = busy.to_str().expect("UTF-8 path").to_owned();
    let second_arg = second.to_str().expect("UTF-8 path").to_owned();
    let query: Vec<String> = [
        "--ledger",
        &busy_arg,
        "table",
        games.as_str(),
        "--as-of",
        &games_day.to_string(),
    ]
    .map(str::to_owned)
    .to_vec();
    let mut importer = Command::new(PODIUM)
        .args(["--ledger", &busy_arg, "import", &second_arg])
        .stdout(Stdio::null())
        .spawn()
        .expect("start the import");
    let mut podium_times = Vec::new();
    loop {
        let importing = importer.try_wait().expect("the import").is_none();
        if !importing {
            break;
        }
        // run_child panics on a failed query: none may be refused.
        podium_times.push(run_child(PODIUM, &query).0);
    }
    assert!(
        importer.wait().expect("the import").success(),
        "the import failed"
    );
    let mut sqlite_times = Vec::new();
    if let Some(sqlite3) = sqlite3 {
        let file = dir.join("busy.sqlite");
        sqlite_import(&file, &first);
        let sql = GAMES_SQL
            .replace("?1", &format!("'{games}'"))
            .replace("?2", &format!("'{games_day}'"));
        // A busy timeout: a reader can meet the writer's exclusive lock
        // while it creates the WAL, and sqlite3 without one is refused
        // ("database is locked"), as one query was in a first run.
        let args = [
            "-cmd".to_owned(),
            ".timeout 5000".to_owned(),
            file.to_str().expect("UTF-8 path").to_owned(),
            sql,
        ];
        let done = std::sync::atomic::AtomicBool::new(false);
        sqlite_times = std::thread::scope(|scope| {
            scope.spawn(|| {
                let mut conn = Connection::open(&file).expect("open");
                conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
                    .expect("pragmas");
                let tx = conn.transaction().expect("begin");
                sqlite_insert(&tx, &second);
                tx.commit().expect("commit");
                done.store(true, std::sync::atomic::Ordering::SeqCst);
            });
            let mut times = Vec::new();
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                times.push(run_child(sqlite3, &args).0);
            }
            times
        });
    }
    let podium_median = median(&mut podium_times.clone());
    let describe = |times: &mut Vec<Duration>| -> String {
        if times.is_empty() {
            return "n/a".into();
        }
        let worst = *times.iter().max().expect("one");
        format!(
            "{} queries: median {}, worst {}",
            times.len(),
            fmt_duration(median(times)),
            fmt_duration(worst)
        )
    };
    let line = Line {
        operation: "one games' table, whole process, during an import of half the world \
                    (podium: `podium import` in another process; SQLite: one transaction \
                    in another thread, WAL); every query answered"
            .into(),
        ratio: (!sqlite_times.is_empty())
            .then(|| ratio(podium_median, median(&mut sqlite_times.clone()))),
        podium: describe(&mut podium_times),
        sqlite: describe(&mut sqlite_times),
    };
    progress(&format!(
        "{}: {} | {}",
        line.operation, line.podium, line.sqlite
    ));
    vec![line]
}

fn medal_number(m: Medal) -> i64 {
    match m {
        Medal::Gold => 1,
        Medal::Silver => 2,
        Medal::Bronze => 3,
    }
}

/// A new bronze for the last games, on its opening day.
fn new_medal(games: &GamesInfo, i: usize) -> Incoming {
    Incoming {
        event: Event {
            id: uuid::Uuid::new_v4(),
            date: Day::new(games.opens).expect("a valid day"),
            source: None,
            kind: Kind::MedalAwarded(MedalAwarded {
                games: games.id.clone(),
                sport: "Athletics".into(),
                event: format!("Benchmark relay {i}"),
                medal: Medal::Bronze,
                noc: "ZZZ".parse().expect("a code"),
                athletes: vec!["Bench MARK".into()],
            }),
        },
        recorded: None,
        recorded_by: None,
    }
}

fn rows(rows: Vec<Row>) -> Table {
    rows.into_iter()
        .map(|r| (r.noc.to_string(), r.gold, r.silver, r.bronze))
        .collect()
}

fn sql_table(conn: &Connection, sql: &str, args: &[&str]) -> Table {
    let mut statement = conn.prepare_cached(sql).expect("prepare");
    let rows = statement
        .query_map(rusqlite::params_from_iter(args.iter()), |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .expect("query");
    rows.collect::<Result<_, _>>().expect("rows")
}

/// The drill-down answers agree: the sport table row for row, and as many
/// medallists and event holders on both sides.
fn check_drill(ledger: &Ledger, conn: &Connection, games: &GamesInfo, day: Date, event: &str) {
    let model = ledger.model();
    let view = model.view().expect("a view");
    let bounds = Bounds {
        as_of: Some(day),
        known_at: Some(Timestamp::now()),
    };
    let table = podium::sports::sport_table(&view, &games.id, DRILL_SPORT, bounds, RankBy::Gold)
        .expect("podium sport table");
    let day = day.to_string();
    let sql = sql_table(conn, SPORT_SQL, &[games.id.as_str(), &day, DRILL_SPORT]);
    check_same("one sport's table", &rows(table), &sql);
    let count = |sql: &str, args: &[&str]| -> usize {
        let mut stmt = conn.prepare(sql).expect("prepare");
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |_| Ok(()))
            .expect("query");
        rows.count()
    };
    let now = Bounds {
        as_of: None,
        known_at: Some(Timestamp::now()),
    };
    let fold = podium::query::fold_games_model(&view, &games.id, now).expect("fold");
    let noc = podium::drill::Filter {
        noc: Some(DRILL_NOC.parse().expect("a code")),
        ..Default::default()
    };
    let medallists = podium::drill::medals(&fold, &noc, None, false).len();
    let sql = count(MEDALLISTS_SQL, &[games.id.as_str(), DRILL_NOC]);
    assert_eq!(
        medallists, sql,
        "medallists: podium {medallists}, SQLite {sql}"
    );
    let entry = view
        .games(&games.id, u64::MAX)
        .expect("read")
        .expect("registered");
    let records = view.games_records(&entry, u64::MAX).expect("records");
    let filter = podium::drill::Filter {
        sport: Some(podium::drill::Label::new(DRILL_SPORT)),
        event: Some(podium::drill::Label::new(event)),
        ..Default::default()
    };
    let history = podium::event_history::event_history(&games.id, &records, &filter, now)
        .expect("the event has awards");
    let sql = count(EVENT_SQL, &[games.id.as_str(), DRILL_SPORT, event]);
    assert_eq!(history.holders.len(), sql, "event holders");
}

fn check_same(what: &str, podium: &Table, sqlite: &Table) {
    assert!(!podium.is_empty(), "{what}: podium's table is empty");
    if podium != sqlite {
        let first = podium
            .iter()
            .zip(sqlite)
            .position(|(a, b)| a != b)
            .unwrap_or(podium.len().min(sqlite.len()));
        panic!(
            "{what}: podium and SQLite disagree at row {first}: {:?} vs {:?} ({} vs {} rows)",
            podium.get(first),
            sqlite.get(first),
            podium.len(),
            sqlite.len()
        );
    }
}

/// Runs `f` at least 3 times, and again while the budget lasts (at most 101 runs).
fn time_runs(what: &str, budget: Duration, mut f: impl FnMut()) -> Vec<Duration> {
    let started = Instant::now();
    let mut times = Vec::new();
    while times.len() < 3 || (started.elapsed() < budget && times.len() < 101) {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    let median = median(&mut times.clone());
    progress(&format!(
        "{what}: median {} of {} runs",
        fmt_duration(median),
        times.len()
    ));
    times
}

/// Runs a whole process (output discarded) after one warm-up, like `time_runs`;
/// returns the wall times and the largest peak resident set of any run, in bytes.
fn process_runs(budget: Duration, program: &str, args: &[String]) -> (Vec<Duration>, u64) {
    let mut peak = 0u64;
    let mut times = Vec::new();
    run_child(program, args); // warm-up: both sides start with the file in the page cache.
    let started = Instant::now();
    while times.len() < 3 || (started.elapsed() < budget && times.len() < 51) {
        let (elapsed, rss) = run_child(program, args);
        times.push(elapsed);
        peak = peak.max(rss);
    }
    progress(&format!(
        "{program} {}: median {} of {} runs, peak {}",
        args.last().map_or("", |a| &a[..a.len().min(40)]),
        fmt_duration(median(&mut times.clone())),
        times.len(),
        fmt_bytes(peak)
    ));
    (times, peak)
}

/// Runs `program` through a fresh copy of this executable (`--child`), which
/// spawns it and reaps it with wait4: a child's peak resident set counts the
/// memory of the process it was spawned from, so it must be spawned from a
/// small one, not from this benchmark holding a ledger's cache. The floor
/// this leaves is the helper's own few megabytes.
fn run_child(program: &str, args: &[String]) -> (Duration, u64) {
    let out = Command::new(std::env::current_exe().expect("this executable"))
        .arg(CHILD_FLAG)
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run the helper");
    let report = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        panic!(
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut fields = report
        .split_whitespace()
        .map(|f| f.parse::<u64>().expect("a number"));
    let (nanos, rss) = (fields.next().expect("time"), fields.next().expect("rss"));
    (Duration::from_nanos(nanos), rss)
}

/// The helper: spawns the program (output discarded), reaps it with wait4,
/// prints its wall time in ns and peak resident set in bytes, and exits with
/// its status.
fn child_helper(program: &str, args: &[String]) -> ! {
    let t = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own unreaped child; status and usage are valid for writes.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = t.elapsed();
    assert_eq!(reaped, pid, "wait4 failed");
    // ru_maxrss is in KiB on Linux.
    println!("{} {}", elapsed.as_nanos(), usage.ru_maxrss as u64 * 1024);
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    std::process::exit(if ok { 0 } else { 1 })
}

fn pair(operation: &str, mut podium: Vec<Duration>, mut sqlite: Vec<Duration>) -> Line {
    let (p, s) = (median(&mut podium), median(&mut sqlite));
    Line {
        operation: operation.to_owned(),
        podium: fmt_duration(p),
        sqlite: fmt_duration(s),
        ratio: Some(ratio(p, s)),
    }
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn rate(n: u64, d: Duration) -> u64 {
    (n as f64 / d.as_secs_f64()) as u64
}

/// Three significant digits, however small (0.000031, not 0.000).
fn fmt_ratio(r: f64) -> String {
    let decimals = if r > 0.0 && r < 1.0 {
        (2 - r.log10().floor() as i32).max(3) as usize
    } else {
        3
    };
    format!("{r:.decimals$}")
}

fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

fn fmt_bytes(b: u64) -> String {
    let b = b as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.0} kB", b / 1e3)
    }
}

/// 1234567 as "1,234,567".
fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes allocated on disk (like du) by a file or everything under a directory.
fn disk_bytes(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if meta.is_dir() {
        std::fs::read_dir(path)
            .expect("read_dir")
            .map(|e| disk_bytes(&e.expect("entry").path()))
            .sum()
    } else {
        meta.blocks() * 512
    }
}

/// An SQLite database's bytes on disk, with its WAL and shared-memory files.
fn sqlite_bytes(file: &Path) -> u64 {
    disk_bytes(file)
        + disk_bytes(&file.with_extension("sqlite-wal"))
        + disk_bytes(&file.with_extension("sqlite-shm"))
}

fn remove_dir(path: &Path) {
    if path.exists() {
        std::fs::remove_dir_all(path).expect("remove the old ledger");
    }
}

fn remove_sqlite(file: &Path) {
    for ext in ["sqlite", "sqlite-wal", "sqlite-shm"] {
        let _ = std::fs::remove_file(file.with_extension(ext));
    }
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

/// The commit podium was built from, and whether src/ had uncommitted changes.
fn podium_revision() -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(commit) => {
            let dirty = git(&["status", "--porcelain", "--", "src", "Cargo.toml"])
                .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("commit {commit} plus uncommitted changes in src/ or Cargo.toml")
            } else {
                format!("commit {commit}")
            }
        }
        None => "unknown commit".into(),
    }
}
