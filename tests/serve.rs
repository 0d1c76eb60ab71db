//! `podium serve` over real HTTP: every endpoint against the CLI's JSON for
//! the same question, every error status, writes (all or nothing, by token),
//! the log paged and streamed (every event once, in order, its chain
//! recomputed to the served digest, resumable), reads during imports, and a
//! clean stop on SIGTERM.

mod common;

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use common::server::{agent, Server};
use common::{generated, Ledger, BIN};
use serde_json::Value;

/// Each endpoint and the command line that asks the same question.
const SAME_QUESTIONS: &[(&str, &[&str])] = &[
    ("/api/table/paris-2024", &["table", "paris-2024"]),
    (
        "/api/table/paris-2024?as_of=2024-08-03&known_at=2024-08-10",
        &[
            "table",
            "paris-2024",
            "--as-of",
            "2024-08-03",
            "--known-at",
            "2024-08-10",
        ],
    ),
    (
        "/api/table/tokyo-2020?rank_by=total",
        &["table", "tokyo-2020", "--rank-by", "total"],
    ),
    (
        "/api/table?season=winter",
        &["table", "--all", "--season", "winter"],
    ),
    (
        "/api/rank/paris-2024/AZE?as_of=2024-08-01",
        &["rank", "paris-2024", "AZE", "--as-of", "2024-08-01"],
    ),
    (
        "/api/history/paris-2024/AZE",
        &["history", "paris-2024", "AZE"],
    ),
    (
        "/api/race/paris-2024?top=3",
        &["race", "paris-2024", "--top", "3"],
    ),
    (
        "/api/diff/paris-2024?as_of=2024-08-11&known_at=2024-08-10&vs_known_at=2026-01-01",
        &[
            "diff",
            "paris-2024",
            "--as-of",
            "2024-08-11",
            "--known-at",
            "2024-08-10",
            "--vs-known-at",
            "2026-01-01",
        ],
    ),
    (
        "/api/diff/paris-2024?from=2024-08-01&to=2024-08-02",
        &[
            "diff",
            "paris-2024",
            "--from",
            "2024-08-01",
            "--to",
            "2024-08-02",
        ],
    ),
    ("/api/athlete/heydarov", &["athlete", "heydarov"]),
    (
        "/api/memberships/Azerbaijan?as_of=2024-09-01",
        &["memberships", "Azerbaijan", "--as-of", "2024-09-01"],
    ),
    (
        "/api/meetings?from=2024-09-01",
        &["meetings", "--from", "2024-09-01"],
    ),
    ("/api/delegation/AZE", &["delegation", "AZE"]),
    (
        "/api/delegation/RUS?lineage=true&season=summer",
        &["delegation", "RUS", "--lineage", "--season", "summer"],
    ),
    ("/api/check", &["check"]),
    (
        "/api/table/paris-2024?sport=judo",
        &["table", "paris-2024", "--sport", "judo"],
    ),
    (
        "/api/table?sport=judo",
        &["table", "--all", "--sport", "judo"],
    ),
    ("/api/sports/paris-2024", &["sports", "paris-2024"]),
    (
        "/api/medals/paris-2024?noc=AZE&revoked=true&known_at=2024-08-10",
        &[
            "medals",
            "paris-2024",
            "--noc",
            "AZE",
            "--revoked",
            "--known-at",
            "2024-08-10",
        ],
    ),
    (
        "/api/event/paris-2024/Artistic%20Gymnastics/Women's%20Floor%20Exercise?as_of=2024-08-06",
        &[
            "event",
            "paris-2024",
            "Artistic Gymnastics",
            "Women's Floor Exercise",
            "--as-of",
            "2024-08-06",
        ],
    ),
    (
        "/api/delegation/AZE?by=sport&movement=paralympic",
        &[
            "delegation",
            "AZE",
            "--by",
            "sport",
            "--movement",
            "paralympic",
        ],
    ),
    (
        "/api/games?movement=paralympic",
        &["games", "--movement", "paralympic"],
    ),
    (
        "/api/entries/paris-2024-paralympics/AZE",
        &["entries", "paris-2024-paralympics", "AZE"],
    ),
    (
        "/api/entries/athens-2004-paralympics?sport=para%20judo",
        &["entries", "athens-2004-paralympics", "--sport", "para judo"],
    ),
    ("/api/verify", &["verify"]),
];

fn cli_json(ledger: &Ledger, args: &[&str]) -> Value {
    let mut args: Vec<&str> = args.to_vec();
    args.extend(["--format", "json"]);
    ledger.json(&args)
}

#[test]
fn every_endpoint_answers_what_the_cli_answers() {
    let ledger = Ledger::bundled();
    // The CLI's answers first: commands that read the log wait for the
    // process holding it, which the server will be.
    let expected: Vec<Value> = SAME_QUESTIONS
        .iter()
        .map(|(_, args)| cli_json(&ledger, args))
        .collect();
    let log_lines = ledger.ok(&["log", "--kind", "meeting_held", "--format", "jsonl"]);
    let (events, digest) = ledger.verify();
    let server = Server::start(&ledger, false);
    for ((path, args), want) in SAME_QUESTIONS.iter().zip(&expected) {
        let got = server.get(path);
        assert_eq!(got.status, 200, "{path}: {}", got.body);
        assert_eq!(got.header("content-type"), "application/json", "{path}");
        assert_eq!(
            &got.json(),
            want,
            "{path} differs from podium {}",
            args.join(" ")
        );
        assert_eq!(got.seq(), events, "{path}");
        assert_eq!(got.header("x-podium-digest"), digest, "{path}");
    }
    let log = server.get("/api/log?kind=meeting_held");
    assert_eq!((log.status, log.body.as_str()), (200, log_lines.as_str()));
    assert_eq!(log.header("content-type"), "application/x-ndjson");
    let two: String = log_lines
        .lines()
        .take(2)
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(server.get("/api/log?kind=meeting_held&limit=2").body, two);
    // verify with a digest, from the walk kept at this head: the head's own,
    // an earlier link (upper case), and one that is no link.
    let page = server.get("/api/events?from=10&limit=1").body;
    let early: Value = serde_json::from_str(page.trim()).unwrap();
    let early = early["link"].as_str().unwrap().to_owned();
    for d in [digest.clone(), early.to_ascii_uppercase()] {
        let got = server.get(&format!("/api/verify?digest={d}"));
        assert_eq!(got.status, 200, "{}", got.body);
        let want = serde_json::json!({
            "events": events, "digest": digest, "confirmed": d.to_ascii_lowercase()
        });
        assert_eq!(got.json(), want);
    }
    let wrong = "0".repeat(64);
    let got = server.get(&format!("/api/verify?digest={wrong}"));
    assert_eq!(got.status, 400, "{}", got.body);
    assert_eq!(
        got.json()["error"],
        format!("digest {wrong} is not a link of this ledger's chain")
    );
    // CSV when asked, as the CLI prints it.
    let csv = server.get("/api/table/paris-2024?format=csv");
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert!(csv
        .body
        .starts_with("rank,noc,name,gold,silver,bronze,total\n1,USA,"));
    // The request log: one line per request, with method, path, status, duration.
    let logged = server.log();
    assert!(
        logged
            .iter()
            .any(|l| l.contains("GET /api/table/paris-2024 200 ") && l.ends_with(" ms")),
        "{logged:?}"
    );
}

#[test]
fn errors_are_json_with_the_status_that_fits() {
    let ledger = Ledger::bundled();
    let server = Server::start(&ledger, true);
    let cases: &[(&str, u16, &str)] = &[
        (
            "/api/table/atlantis-1900",
            404,
            "unknown games atlantis-1900",
        ),
        ("/api/delegation/XYZ", 404, "unknown delegation XYZ"),
        ("/api/athlete/nobody%20at%20all", 404, "no athlete matches"),
        ("/api/table/paris-2024?as_of=2024-13-01", 400, "2024-13-01"),
        ("/api/table/paris-2024?known_at=yesterday", 400, "yesterday"),
        (
            "/api/table/paris-2024?svg=/tmp/x",
            400,
            "unknown parameter \"svg\"",
        ),
        ("/api/table/paris-2024?rank_by=silver", 400, "silver"),
        ("/api/race/paris-2024?top=0", 400, "0"),
        ("/api/rank/paris-2024/az", 400, "az"),
        ("/api/diff/paris-2024", 400, "diff needs"),
        ("/api/log?kind=gossip", 400, "unknown kind"),
        ("/api/verify?digest=abc", 400, "not 64 hex"),
        ("/api/events?limit=0", 400, "limit"),
        ("/api/events?from=x", 400, "from"),
    ];
    for (path, status, says) in cases {
        let got = server.get(path);
        assert_eq!(got.status, *status, "{path}: {}", got.body);
        let error = got.json()["error"].as_str().unwrap_or_default().to_owned();
        assert!(
            error.contains(says),
            "{path}: {error:?} does not say {says:?}"
        );
        assert!(!error.contains('\n'), "{path}: {error:?} is not one line");
    }
    let nowhere = server.get("/api/nowhere");
    assert_eq!(nowhere.status, 404);
}

fn medal(id: &str, event: &str) -> String {
    format!(
        r#"{{"id":"{id}","type":"medal_awarded","date":"2024-08-02","games":"paris-2024","sport":"Judo","event":"{event}","medal":"bronze","noc":"AZE","athletes":["Test ATHLETE"]}}"#
    )
}

const ID_1: &str = "0b7e7f4e-5c1a-5d43-9a7e-1f0e2d3c4b01";
const ID_2: &str = "0b7e7f4e-5c1a-5d43-9a7e-1f0e2d3c4b02";

#[test]
fn writes_are_all_or_nothing_idempotent_and_need_the_token() {
    let ledger = Ledger::bundled();
    let (events, digest) = ledger.verify();
    let read_only = Server::start(&ledger, false);
    let refused = read_only.import(&medal(ID_1, "Test event 1"));
    assert_eq!(refused.status, 403, "{}", refused.body);
    drop(read_only);

    let server = Server::start(&ledger, true);
    let aze = |s: &Server| -> Value { s.get("/api/rank/paris-2024/AZE").json() };
    let before = aze(&server);
    for auth in [None, Some("Bearer wrong"), Some("Basic dGVzdA==")] {
        let got = server.import_as(&medal(ID_1, "Test event 1"), auth);
        assert_eq!(got.status, 401, "{auth:?}: {}", got.body);
    }
    // A bad third line: nothing of the body is recorded, and the error names the line.
    let body = format!(
        "{}\n{}\n{{\"id\":\"{ID_2}\",\"type\":\"medal_awarded\"}}\n",
        medal(ID_1, "Test event 1"),
        medal(ID_2, "Test event 2")
    );
    let bad = server.import(&body);
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(bad.json()["line"], 3);
    assert!(
        bad.json()["error"].as_str().unwrap().starts_with("body:3"),
        "{}",
        bad.body
    );
    assert_eq!(server.get("/api/head").json()["seq"], events);
    assert_eq!(aze(&server), before);

    let body = format!(
        "{}\n{}\n",
        medal(ID_1, "Test event 1"),
        medal(ID_2, "Test event 2")
    );
    let ok = server.import(&body);
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.json()["new"], 2);
    assert_eq!(ok.json()["head"]["seq"], events + 2);
    assert_eq!(ok.seq(), events + 2);
    assert_eq!(
        aze(&server)["bronze"],
        before["bronze"].as_u64().unwrap() + 2
    );
    let again = server.import(&body);
    assert_eq!(
        (again.json()["new"].clone(), again.json()["already"].clone()),
        (0.into(), 2.into())
    );
    // The same id with other content: a conflict, and nothing changes.
    let conflict = server.import(&medal(ID_1, "Another event"));
    assert_eq!(conflict.status, 409, "{}", conflict.body);
    assert_eq!(conflict.json()["id"], ID_1);
    let head = server.get("/api/head").json();
    assert_eq!(head["seq"], events + 2);
    assert_ne!(head["digest"], digest);
    // Acknowledged writes outlive the server.
    assert_eq!(server.stop(), Some(0));
    assert_eq!(
        ledger.verify(),
        (events + 2, head["digest"].as_str().unwrap().to_owned())
    );
}

#[test]
fn answers_say_when_they_can_never_change() {
    let ledger = Ledger::bundled();
    let server = Server::start(&ledger, false);
    let past = server.get("/api/table/paris-2024?known_at=2024-08-10");
    assert_eq!(
        past.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    let now = server.get("/api/table/paris-2024");
    assert_eq!(now.header("cache-control"), "no-cache");
    let etag = now.header("etag");
    let again = server.get_with("/api/table/paris-2024", ("If-None-Match", &etag));
    assert_eq!((again.status, again.body.as_str()), (304, ""));
}

/// Reads SSE events (id, data) from a stream until `count` arrive.
fn read_events(reader: &mut impl BufRead, count: usize) -> Vec<(u64, String)> {
    let mut events = Vec::new();
    let (mut id, mut data) = (None, None);
    let mut line = String::new();
    while events.len() < count {
        line.clear();
        if reader.read_line(&mut line).expect("the stream reads") == 0 {
            panic!("the stream ended after {} events", events.len());
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if let Some(v) = l.strip_prefix("id:") {
            id = Some(v.trim().parse::<u64>().expect("an id is a seq"));
        } else if let Some(v) = l.strip_prefix("data:") {
            data = Some(v.trim().to_owned());
        } else if l.is_empty() {
            if let (Some(i), Some(d)) = (id.take(), data.take()) {
                events.push((i, d));
            }
        }
    }
    events
}

#[test]
fn a_follower_gets_every_event_once_in_order_and_the_served_digest() {
    let ledger = Ledger::new();
    let server = Server::start(&ledger, true);
    let world = generated(3_000, 5);
    let lines: Vec<&str> = world.lines().collect();
    let batches: Vec<String> = lines
        .chunks(700)
        .map(|c| format!("{}\n", c.join("\n")))
        .collect();
    assert!(batches.len() >= 4);
    // The follower connects before anything is recorded.
    let stream = agent()
        .get(&server.url("/api/events/stream"))
        .call()
        .expect("the stream opens");
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let mut reader = BufReader::new(stream.into_body().into_reader());
    let mut chain = podium::follow::Chain::new();
    let mut seen: Vec<u64> = Vec::new();
    let mut follow = |reader: &mut dyn BufRead, chain: &mut podium::follow::Chain, n: usize| {
        for (id, data) in read_events(&mut &mut *reader, n) {
            let (r, _) = chain.accept(&data).expect("each event continues the chain");
            assert_eq!(r.seq, id);
            seen.push(id);
        }
    };
    // Half the batches, then drop the connection mid-way and resume.
    let half = batches.len() / 2;
    let mut sent = 0usize;
    for batch in &batches[..half] {
        assert_eq!(server.import(batch).status, 200);
        sent += batch.lines().count();
    }
    follow(&mut reader, &mut chain, sent - 10);
    drop(reader);
    let resumed = agent()
        .get(&server.url("/api/events/stream"))
        .header("Last-Event-ID", &chain.seq().to_string())
        .call()
        .expect("the stream resumes");
    let mut reader = BufReader::new(resumed.into_body().into_reader());
    for batch in &batches[half..] {
        assert_eq!(server.import(batch).status, 200);
        sent += batch.lines().count();
    }
    let remaining = sent - chain.seq() as usize;
    follow(&mut reader, &mut chain, remaining);
    assert_eq!(
        seen,
        (1..=sent as u64).collect::<Vec<_>>(),
        "every event once, in order"
    );
    let head = server.get("/api/head").json();
    assert_eq!(head["seq"], sent as u64);
    assert_eq!(chain.digest(), head["digest"].as_str().unwrap());
    // Pages give the same lines.
    let page = server.get(&format!("/api/events?from={}&limit=5", sent - 4));
    assert_eq!(page.body.lines().count(), 5);
    assert!(page.header("link").is_empty(), "no next page at the end");
    let first = server.get("/api/events?limit=2");
    assert!(
        first.header("link").contains("from=3"),
        "{}",
        first.header("link")
    );
    // podium follow --once recomputes the same chain and stops at the head.
    let followed = std::process::Command::new(BIN)
        .args(["follow", &server.base, "--once"])
        .output()
        .expect("podium follow");
    assert!(
        followed.status.success(),
        "{}",
        String::from_utf8_lossy(&followed.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&followed.stdout).lines().count(),
        sent
    );
    assert!(String::from_utf8_lossy(&followed.stderr).contains(head["digest"].as_str().unwrap()));
}

#[test]
fn reads_answer_from_the_last_commit_while_an_import_runs() {
    let ledger = Ledger::new();
    let server = Server::start(&ledger, true);
    let world = generated(150_000, 11);
    let lines: Vec<&str> = world.lines().collect();
    let (first, rest) = lines.split_at(5_000);
    assert_eq!(
        server.import(&format!("{}\n", first.join("\n"))).status,
        200
    );
    let games = server.get("/api/games").json();
    let games_id = games[0]["games"].as_str().unwrap().to_owned();
    let before = server.get(&format!("/api/table/{games_id}"));
    let body = format!("{}\n", rest.join("\n"));
    let base = server.base.clone();
    let importer = std::thread::spawn(move || {
        let started = Instant::now();
        let got = agent()
            .post(&format!("{base}/api/events"))
            .header(
                "Authorization",
                &format!("Bearer {}", common::server::TOKEN),
            )
            .send(body.as_str())
            .expect("the import answers");
        assert_eq!(got.status().as_u16(), 200);
        started.elapsed()
    });
    let started = Instant::now();
    let mut during = 0;
    let mut answers = 0;
    while !importer.is_finished() {
        let got = server.get(&format!("/api/table/{games_id}"));
        assert_eq!(got.status, 200);
        answers += 1;
        if got.seq() == 5_000 {
            during += 1;
            assert_eq!(
                got.body, before.body,
                "a read during the import sees the last commit"
            );
        } else {
            assert_eq!(got.seq(), 150_000);
        }
        assert!(started.elapsed() < Duration::from_secs(120));
    }
    let took = importer.join().unwrap();
    eprintln!("{answers} reads, {during} answered from the last commit during a {took:?} import");
    assert!(during > 0, "no read was answered while the import ran");
    assert_eq!(server.get("/api/head").json()["seq"], 150_000);
}

#[test]
fn a_write_that_finds_the_disk_full_is_507_and_records_nothing() {
    let ledger = Ledger::new();
    let world = generated(43_000, 3);
    let lines: Vec<&str> = world.lines().collect();
    let first = ledger.write("first.jsonl", lines[..3_000].join("\n") + "\n");
    ledger.ok(&["import", first.to_str().unwrap()]);
    let before = ledger.verify();
    let big = format!("{}\n", lines[3_000..].join("\n"));
    let server = Server::start_limited(&ledger, true, Some(common::largest_file(&ledger.path)));
    let table = server.get("/api/table");
    let full = server.import(&big);
    assert_eq!(full.status, 507, "{}", full.body);
    assert!(full.json()["error"]
        .as_str()
        .unwrap()
        .contains("the disk is full"));
    // Reads still answer, and nothing was recorded.
    assert_eq!(server.get("/api/head").json()["seq"], before.0);
    assert_eq!(server.get("/api/table").body, table.body);
    assert_eq!(server.stop(), Some(0));
    assert_eq!(ledger.verify(), before);
    let server = Server::start(&ledger, true);
    assert_eq!(server.import(&big).json()["new"], 40_000);
}

/// Flips the byte at `at` of `file`.
fn flip(file: &std::path::Path, at: u64) {
    use std::io::{Read, Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(file)
        .unwrap();
    let mut byte = [0u8];
    f.seek(SeekFrom::Start(at)).unwrap();
    f.read_exact(&mut byte).unwrap();
    f.seek(SeekFrom::Start(at)).unwrap();
    f.write_all(&[byte[0] ^ 0x5a]).unwrap();
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_read_model_found_damaged_is_rebuilt_by_the_server_and_the_answer_is_right() {
    // A byte of the model that `games` reads, found by trying flips on a
    // copy with the CLI, which says when it rebuilds a damaged model.
    let pristine = Ledger::new();
    let world = pristine.write("world.jsonl", generated(3_000, 13));
    pristine.ok(&["import", world.to_str().unwrap()]);
    let reference = pristine.json(&["games", "--format", "json"]);
    let data = std::path::Path::new("model").join("data.mdb");
    let len = std::fs::metadata(pristine.path.join(&data)).unwrap().len();
    let trial = Ledger::new();
    let mut found = None;
    for i in 0..200u64 {
        let _ = std::fs::remove_dir_all(&trial.path);
        copy_dir(&pristine.path, &trial.path);
        // Past LMDB's two meta pages, spread over the file.
        let at = 8192 + (i * 7_919 * 4_099) % (len - 8192);
        flip(&trial.path.join(&data), at);
        let run = trial.run(&["games", "--format", "json"]);
        if run.code == 0 && run.stderr.contains("rebuilt it from the log") {
            found = Some(at);
            break;
        }
    }
    let at = found.expect("a flip the model's checksums catch");
    flip(&pristine.path.join(&data), at);
    let server = Server::start(&pristine, false);
    let answer = server.get("/api/games");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json(), reference);
    assert!(
        server
            .log()
            .iter()
            .any(|l| l.contains("rebuilt the read model from the log")),
        "{:?}",
        server.log()
    );
}

#[test]
fn sigterm_ends_streams_and_stops_cleanly() {
    let ledger = Ledger::bundled();
    let server = Server::start(&ledger, true);
    let stream = agent()
        .get(&server.url("/api/events/stream?from=25000"))
        .call()
        .expect("the stream opens");
    let mut reader = BufReader::new(stream.into_body().into_reader());
    assert!(!read_events(&mut reader, 3).is_empty());
    let started = Instant::now();
    assert_eq!(server.stop(), Some(0));
    assert!(started.elapsed() < Duration::from_secs(10));
    // The ledger is whole and free for the next process.
    ledger.verify();
}

/// A medal of `games` on `date`, its id made from `n`.
fn medal_of(games: &str, date: &str, n: u64) -> String {
    format!(
        r#"{{"id":"6a1e0000-0000-4000-8000-{n:012}","type":"medal_awarded","date":"{date}","games":"{games}","sport":"Judo","event":"Test event {n}","medal":"bronze","noc":"AZE","athletes":["Test ATHLETE"]}}"#
    )
}

#[test]
fn a_kept_answer_is_never_stale_across_commits() {
    let ledger = Ledger::bundled();
    let server = Server::start(&ledger, true);
    let games = [
        ("paris-2024", "2024-08-02"),
        ("tokyo-2020", "2021-07-30"),
        ("beijing-2022", "2022-02-10"),
    ];
    let mut questions: Vec<(String, Vec<String>)> = Vec::new();
    for (g, _) in games {
        questions.push((format!("/api/table/{g}"), vec!["table".into(), g.into()]));
        questions.push((format!("/api/sports/{g}"), vec!["sports".into(), g.into()]));
        questions.push((
            format!("/api/rank/{g}/AZE"),
            vec!["rank".into(), g.into(), "AZE".into()],
        ));
    }
    questions.push(("/api/table".into(), vec!["table".into(), "--all".into()]));
    questions.push(("/api/games".into(), vec!["games".into()]));
    questions.push((
        "/api/delegation/AZE".into(),
        vec!["delegation".into(), "AZE".into()],
    ));
    let mut n = 0;
    for round in 0..6 {
        // Ask everything (kept), commit medals to one games, ask again: every
        // answer, kept or not, is the command line's at the head it names.
        for (path, _) in &questions {
            assert_eq!(server.get(path).status, 200, "{path}");
        }
        let (g, date) = games[round % games.len()];
        let body: Vec<String> = (0..10)
            .map(|_| {
                n += 1;
                medal_of(g, date, n)
            })
            .collect();
        let imported = server.import(&(body.join("\n") + "\n"));
        assert_eq!(imported.status, 200, "{}", imported.body);
        let head = imported.json()["head"]["seq"].as_u64().unwrap();
        for (path, args) in &questions {
            let served = server.get(path);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            assert_eq!(served.seq(), head, "{path} after round {round}");
            assert_eq!(
                served.json(),
                cli_json(&ledger, &args),
                "{path} after a commit to {g} (round {round})"
            );
        }
    }
    assert_eq!(server.stop(), Some(0));
}
