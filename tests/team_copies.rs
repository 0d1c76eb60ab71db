//! Many hands on one ledger (issue 17), on the real binary: who recorded
//! each event survives export, import and follow (a replica's digest is the
//! origin's, with events of both record versions); eight editors writing at
//! once through one server lose nothing and record nothing twice; and on a
//! full disk `verify`, `log` and `export` still answer, as before, while a
//! write is refused as disk full.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::process::{Command, Stdio};

use common::team::{add_token, membership, on_ledger, podium, revoke, serve, words, Remote};
use common::{
    award, games_event, id, largest_file, limit_file_size, line, meeting, parse_verify, run,
    Ledger, Run,
};

/// Lines as the bundled history and old exports have them: recorded, by no one.
fn old_style(from: u32) -> String {
    let mut text = line(&games_event(&id(from), "2024-07-01T00:00:00Z"));
    for n in 1..=20 {
        let medal = ["gold", "silver", "bronze"][n as usize % 3];
        let noc = ["AZE", "GEO", "JPN", "FRA"][n as usize % 4];
        let at = format!("2024-07-02T00:00:{n:02}Z");
        text.push_str(&line(&award(
            &id(from + n),
            "2024-07-03",
            medal,
            noc,
            Some(&at),
        )));
    }
    text.push_str(&line(&meeting(
        &id(from + 30),
        "2024-07-04",
        "2024-07-04T00:00:00Z",
    )));
    text
}

fn verified(ledger: &Ledger) -> (u64, String) {
    parse_verify(&ledger.ok(&["verify", "--log"]))
}

#[test]
fn who_recorded_each_event_survives_export_import_and_follow() {
    let origin = Ledger::new();
    origin.import_text("old.jsonl", &old_style(1));
    // New events, each by someone: on the files with --as, beside the
    // server through its socket, through --server with tokens.
    let ana = |args: &[String]| on_ledger(&origin, Some("ana"), &words(args), None);
    on_ledger(
        &origin,
        Some("ana"),
        &membership("AZE", "Union", Some(&id(100))),
        None,
    )
    .ok();
    ana(&revoke(&id(2), "2024-07-05", "a re-test", Some(&id(101)))).ok();
    let tokens = origin.dir().join("tokens");
    let (_, desk) = add_token(&tokens, "desk", &["append", "revoke"]);
    let (_, sheet) = add_token(&tokens, "sheet-bot", &["append"]);
    let server = serve(&origin, Some(&tokens), &[]);
    let remote = Remote::new(&server.base);
    on_ledger(
        &origin,
        Some("bo"),
        &words(&[
            "append",
            "meeting",
            "--date",
            "2024-07-06",
            "--participant",
            "A. Person;President",
            "--place",
            "Baku",
            "--subject",
            "beside",
            "--id",
            &id(102),
        ]),
        None,
    )
    .ok();
    remote
        .with_token(&desk)
        .ok(&revoke(&id(3), "2024-07-06", "a ruling", Some(&id(103))));
    let csv = origin.write(
        "sheet.csv",
        format!("date,games,sport,event,medal,noc,athletes\n2024-07-07,{},Judo,Sheet,gold,FRA,Ana ONE;Bea TWO\n", common::GAMES),
    );
    remote
        .with_token(&sheet)
        .ok(&[OsString::from("import-csv"), csv.into()]);
    // An old-style line imported through the socket stays no one's.
    let now = jiff::Timestamp::now();
    let more: String = (1..=3i64)
        .map(|n| {
            let at = now
                .checked_add(jiff::SignedDuration::from_secs(n))
                .unwrap()
                .to_string();
            line(&award(
                &id(500 + n as u32),
                "2024-07-03",
                "bronze",
                "USA",
                Some(&at),
            ))
        })
        .collect();
    let more = origin.write("more.jsonl", more);
    on_ledger(
        &origin,
        Some("bo"),
        &[OsString::from("import"), more.into()],
        None,
    )
    .ok();

    let export = origin.ok(&["export"]);
    let by: BTreeMap<String, usize> = export.lines().fold(BTreeMap::new(), |mut m, l| {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        *m.entry(v["recorded_by"].as_str().unwrap_or("(no one)").to_owned())
            .or_default() += 1;
        m
    });
    let expected: BTreeMap<String, usize> = [
        ("(no one)", 25),
        ("ana", 2),
        ("bo", 1),
        ("desk", 1),
        ("sheet-bot", 1),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .into();
    assert_eq!(by, expected, "{export}");
    let log = origin.ok(&["log"]);
    assert!(
        log.lines().filter(|l| l.contains("(recorded by")).count() == 5,
        "{log}"
    );
    let (count, digest) = verified(&origin);
    assert_eq!(count, 30);

    // export, then import into a new ledger: the same digest, verify, log and export.
    let copy = Ledger::new();
    let file = copy.write("export.jsonl", &export);
    assert_eq!(
        copy.ok(&[OsString::from("import"), file.clone().into()]),
        "30 new, 0 already recorded; 30 events in the ledger\n"
    );
    assert_eq!(verified(&copy), (count, digest.clone()));
    for question in [
        &["verify"][..],
        &["verify", "--log"],
        &["log"],
        &["log", "--recorded-by", "ana"],
        &["export"],
    ] {
        assert_eq!(
            copy.ok(question),
            origin.ok(question),
            "podium {question:?}"
        );
    }
    // The same through a server that holds the copy: its socket's recorder
    // stamps new events only; a copied line keeps its own, or none.
    let second = Ledger::new();
    let held = serve(&second, None, &[]);
    on_ledger(
        &second,
        Some("zed"),
        &[OsString::from("import"), file.into()],
        None,
    )
    .ok();
    assert_eq!(verified(&second), (count, digest.clone()));
    assert_eq!(held.stop(), Some(0));

    // follow --once | import -: the replica's digest is the origin's.
    let replica = Ledger::new();
    let mut follow = podium(&["follow", &server.base, "--once"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut import = Command::new(common::BIN);
    import
        .args([
            OsString::from("--ledger"),
            replica.path.clone().into(),
            "import".into(),
            "-".into(),
        ])
        .env("PODIUM_LEDGER", replica.default_ledger())
        .env_remove("PODIUM_SERVER")
        .stdin(follow.stdout.take().unwrap());
    let imported = run(import, None);
    let followed = follow.wait_with_output().unwrap();
    let said = String::from_utf8(followed.stderr).unwrap();
    assert!(followed.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "the recomputed chain ends at the served digest {digest}"
        )),
        "{said}"
    );
    assert_eq!(
        imported.ok(),
        "30 new, 0 already recorded; 30 events in the ledger\n"
    );
    assert_eq!(verified(&replica), (count, digest));
    assert_eq!(replica.ok(&["log"]), log);
    assert_eq!(server.stop(), Some(0));
}

/// Eight editors.
const EDITORS: u32 = 8;
/// Events each editor imports, the last `SHARED` of them also the next editor's.
const IMPORTED: u32 = 120;
const SHARED: u32 = 30;
/// Single appends each editor makes, the last of them also the next editor's.
const APPENDS: u32 = 4;

/// Editor `e`'s import: its own awards, then those it shares with editor `e + 1`.
fn editor_lines(e: u32) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut ids = Vec::new();
    let own = (1000 * (e + 1)..).take((IMPORTED - SHARED) as usize);
    let shared_with_previous = (1000 * e + 900..).take(SHARED as usize);
    let shared_with_next = (1000 * (e + 1) + 900..).take(SHARED as usize);
    for n in own.chain(shared_with_next).chain(
        if e == 0 {
            None
        } else {
            Some(shared_with_previous)
        }
        .into_iter()
        .flatten(),
    ) {
        let medal = award(
            &id(n),
            "2024-07-03",
            ["gold", "silver", "bronze"][n as usize % 3],
            ["AZE", "GEO", "JPN", "FRA", "USA"][n as usize % 5],
            None,
        );
        text.push_str(&line(&medal));
        ids.push(id(n));
    }
    (text, ids)
}

/// Editor `e`'s appends (each id and its words): its own, and one it
/// shares with editor `e + 1`.
fn editor_appends(e: u32) -> Vec<(String, Vec<OsString>)> {
    let join = |n: u32| {
        (
            id(n),
            membership("AZE", &format!("Union {n}"), Some(&id(n))),
        )
    };
    let mut appends: Vec<_> = (0..APPENDS - 1)
        .map(|k| join(50_000 + 10 * e + k))
        .collect();
    appends.push(join(60_000 + e + 1));
    if e > 0 {
        appends.push(join(60_000 + e));
    }
    appends
}

/// One editor's way to run a command: through --server, or beside it.
type Editor = Box<dyn Fn(&[OsString]) -> Run + Send + Sync>;

/// What one editor's writes did: its import's counts, and each append's
/// id with whether it was the first to record it.
#[derive(Debug)]
#[allow(dead_code)] // `editor` is read by the failure messages' Debug.
struct Done {
    editor: u32,
    new: u64,
    already: u64,
    appended: Vec<(String, bool)>,
}

#[test]
fn eight_editors_at_once_lose_nothing_and_record_nothing_twice() {
    let ledger = Ledger::new();
    ledger.import_text(
        "games.jsonl",
        &line(&games_event(&id(1), "2024-07-01T00:00:00Z")),
    );
    let tokens = ledger.dir().join("tokens");
    let token_files: Vec<_> = (0..EDITORS / 2)
        .map(|e| add_token(&tokens, &format!("editor-{e}"), &["append"]).1)
        .collect();
    let server = serve(&ledger, Some(&tokens), &[]);
    let remote = Remote::new(&server.base);
    // Half through --server with a token each, half beside the server
    // through its socket, each as itself.
    let place = |e: u32| -> Editor {
        if e < EDITORS / 2 {
            let r = remote.with_token(&token_files[e as usize]);
            Box::new(move |args: &[OsString]| r.run(args, None))
        } else {
            let name = format!("editor-{e}");
            let path = ledger.path.clone();
            Box::new(move |args: &[OsString]| {
                let mut all = words(&[
                    "--ledger".as_ref(),
                    path.as_os_str(),
                    "--as".as_ref(),
                    name.as_ref(),
                ]);
                all.extend(args.iter().cloned());
                run(podium(&all), None)
            })
        }
    };
    let files: Vec<_> = (0..EDITORS)
        .map(|e| ledger.write(&format!("editor-{e}.jsonl"), editor_lines(e).0))
        .collect();
    let results: Vec<Done> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..EDITORS)
            .map(|e| {
                let run = place(e);
                let file = files[e as usize].clone();
                s.spawn(move || {
                    let out = run(&[OsString::from("import"), file.into()]).ok();
                    let (new, rest) = out.split_once(" new, ").unwrap_or_else(|| panic!("{out}"));
                    let already = rest.split_once(" already").unwrap().0;
                    let mut appended = Vec::new();
                    for (the_id, args) in editor_appends(e) {
                        let done = run(&args);
                        let printed = done.stdout.clone();
                        // A shared id another editor recorded first is a no-op: said on stderr.
                        let first = done.stderr.is_empty();
                        assert_eq!(printed, format!("{the_id}\n"), "{done:?}");
                        assert!(
                            first || done.stderr.contains("is already recorded"),
                            "{done:?}"
                        );
                        appended.push((the_id, first));
                    }
                    Done {
                        editor: e,
                        new: new.parse().unwrap(),
                        already: already.parse().unwrap(),
                        appended,
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("an editor"))
            .collect()
    });

    let mut sent: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in 0..EDITORS {
        for i in editor_lines(e)
            .1
            .into_iter()
            .chain(editor_appends(e).into_iter().map(|(the_id, _)| the_id))
        {
            sent.entry(i).or_default().insert(format!("editor-{e}"));
        }
    }
    let (new, already): (u64, u64) = results
        .iter()
        .fold((0, 0), |(n, a), r| (n + r.new, a + r.already));
    let first_appends = results
        .iter()
        .flat_map(|r| &r.appended)
        .filter(|(_, first)| *first)
        .count() as u64;
    let unique = sent.len() as u64;
    assert_eq!(
        new + first_appends,
        unique,
        "every event new once: {results:?}"
    );
    assert_eq!(
        already,
        u64::from(EDITORS - 1) * u64::from(SHARED),
        "each shared import line already there once"
    );
    // Every event once, none lost, none twice, each by one who sent it.
    let (count, _) = verified(&ledger);
    assert_eq!(count, 1 + unique);
    let export = ledger.ok(&["export"]);
    let mut seen = BTreeSet::new();
    for l in export.lines().skip(1) {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let i = v["id"].as_str().unwrap().to_owned();
        let by = v["recorded_by"].as_str().unwrap();
        assert!(
            sent[&i].contains(by),
            "{i} recorded by {by}, sent by {:?}",
            sent[&i]
        );
        assert!(seen.insert(i.clone()), "{i} is recorded twice");
    }
    assert_eq!(seen.len() as u64, unique);
    assert_eq!(server.stop(), Some(0));
    assert_eq!(verified(&ledger).0, count, "after the server stopped");
}

#[test]
fn on_a_full_disk_verify_log_and_export_answer_as_before_and_a_write_is_refused() {
    let ledger = Ledger::new();
    let world = ledger.write("world.jsonl", ledger.ok(&["generate", "--events", "3000"]));
    ledger.ok(&[OsString::from("import"), world.into()]);
    on_ledger(
        &ledger,
        Some("ana"),
        &membership("AZE", "Union", None),
        None,
    )
    .ok();
    let reads: [&[&str]; 6] = [
        &["verify"],
        &["verify", "--format", "json"],
        &["log"],
        &["log", "--recorded-by", "ana"],
        &["export"],
        &["table", "--all"],
    ];
    let before: Vec<String> = reads.iter().map(|r| ledger.ok(r)).collect();
    let sizes = |l: &Ledger| -> Vec<(std::path::PathBuf, u64)> {
        let mut all = Vec::new();
        let mut dirs = vec![l.path.clone()];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let e = e.unwrap();
                if e.path().is_dir() {
                    dirs.push(e.path());
                } else {
                    all.push((e.path(), e.metadata().unwrap().len()));
                }
            }
        }
        all.sort();
        all
    };
    let files = sizes(&ledger);

    // No file may grow at all: the reads need no room.
    let limited = |args: &[&str], bytes: u64| {
        let mut cmd = ledger.command(args);
        limit_file_size(&mut cmd, bytes);
        run(cmd, None)
    };
    for (question, expected) in reads.iter().zip(&before) {
        let got = limited(question, 0);
        assert_eq!(got.code, 0, "podium {question:?} on a full disk: {got:?}");
        assert_eq!(&got.stdout, expected, "podium {question:?} on a full disk");
    }
    assert_eq!(sizes(&ledger), files, "a read changed the ledger's files");
    // A write: one line, the disk is full, nothing written.
    // One event fits in the room the files already have; many do not.
    let many: String = (0..20_000u32)
        .map(|n| format!("{{\"id\":\"{}\",\"type\":\"membership_began\",\"date\":\"2024\",\"member\":\"AZE\",\"organisation\":\"Union {n}\"}}\n", id(1_000_000 + n)))
        .collect();
    let many = ledger.write("many.jsonl", many);
    let import = ["import", many.to_str().unwrap()];
    let line = limited(&import, largest_file(&ledger.path)).fails(1);
    assert!(
        line.starts_with("podium: the disk is full: no room to write "),
        "{line}"
    );
    assert_eq!(sizes(&ledger).len(), files.len());
    for (question, expected) in reads.iter().zip(&before) {
        assert_eq!(
            &ledger.ok(question),
            expected,
            "podium {question:?} after the refused write"
        );
    }

    // The same beside a server whose files may not grow: the reads answer,
    // a write through it is refused as disk full.
    let server =
        common::server::Server::start_limited(&ledger, false, Some(largest_file(&ledger.path)));
    for (question, expected) in reads.iter().zip(&before) {
        let got = limited(question, 0);
        assert_eq!(
            (got.code, &got.stdout),
            (0, expected),
            "podium {question:?} beside a server on a full disk: {got:?}"
        );
    }
    let line = on_ledger(&ledger, Some("ana"), &words(&import), None).fails(1);
    assert!(line.contains("the disk is full"), "{line}");
    assert_eq!(server.stop(), Some(0));
    for (question, expected) in reads.iter().zip(&before) {
        assert_eq!(
            &ledger.ok(question),
            expected,
            "podium {question:?} after the server"
        );
    }
}
