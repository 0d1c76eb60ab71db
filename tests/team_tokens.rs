//! Named tokens with scopes, on the real binary (issue 17): each write
//! (append, revoke, import, import-csv) through `--server` is refused in
//! one line without a token (401) and with a token whose scopes do not cover
//! it (403), and is done, recorded by the token's name, with one that does;
//! a `--private` server answers questions only to a token with `read`; the
//! token file is read again on SIGHUP (a new token works, a removed one is
//! refused, a broken file keeps the tokens in force).

mod common;

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use common::server::Server;
use common::team::{add_token, membership, recorded_by, revoke, serve, until, words, Remote};
use common::{award, games_event, id, line, parse_verify, Ledger};

/// A small ledger: the test games and two awards.
fn small_ledger() -> Ledger {
    let ledger = Ledger::new();
    let text = [
        line(&games_event(&id(1), "2024-07-01T00:00:00Z")),
        line(&award(
            &id(2),
            "2024-07-02",
            "gold",
            "AZE",
            Some("2024-07-02T00:00:00Z"),
        )),
        line(&award(
            &id(3),
            "2024-07-02",
            "silver",
            "GEO",
            Some("2024-07-02T00:00:00Z"),
        )),
    ]
    .concat();
    ledger.import_text("base.jsonl", &text);
    ledger
}

fn events(ledger: &Ledger) -> u64 {
    parse_verify(&ledger.ok(&["verify"])).0
}

/// The four writes, each as the command line gives it: (what, its words).
fn writes(dir: &Path, n: u32) -> Vec<(&'static str, Vec<OsString>)> {
    let medal = serde_json::json!({
        "id": id(100 + n), "type": "medal_awarded", "date": "2024-07-03",
        "games": common::GAMES, "sport": "Judo", "event": format!("Event {n}"),
        "medal": "bronze", "noc": "JPN", "athletes": ["Some ONE"],
    });
    let file = dir.join(format!("medal-{n}.jsonl"));
    std::fs::write(&file, line(&medal)).unwrap();
    let csv = dir.join(format!("medals-{n}.csv"));
    std::fs::write(
        &csv,
        format!(
            "date,games,sport,event,medal,noc,athletes\n2024-07-04,{},Judo,Sheet {n},gold,FRA,Ana ONE\n",
            common::GAMES
        ),
    )
    .unwrap();
    vec![
        (
            "append",
            membership("AZE", &format!("Union {n}"), Some(&id(200 + n))),
        ),
        (
            "revoke",
            words(&revoke(
                &id(1 + n),
                "2024-07-05",
                "a test",
                Some(&id(300 + n)),
            )),
        ),
        ("import", vec!["import".into(), file.into()]),
        ("import-csv", vec!["import-csv".into(), csv.into()]),
    ]
}

#[test]
fn each_write_needs_a_token_whose_scopes_cover_it_and_is_recorded_by_its_name() {
    let ledger = small_ledger();
    let dir = ledger.dir().to_owned();
    let tokens = dir.join("tokens");
    let (_, reader) = add_token(&tokens, "reader", &["read"]);
    let (_, appender) = add_token(&tokens, "appender", &["append"]);
    let (_, revoker) = add_token(&tokens, "revoker", &["revoke"]);
    let (_, editor) = add_token(&tokens, "editor", &["append", "revoke"]);
    let server = serve(&ledger, Some(&tokens), &[]);
    let anyone = Remote::new(&server.base);
    let count = events(&ledger);

    for (n, (what, args)) in writes(&dir, 1).into_iter().enumerate() {
        // No token: 401, one line naming what to give.
        let line = anyone.run(&args, None).fails(1);
        assert!(
            line.contains("needs a token for this: give --token-file FILE or set $PODIUM_TOKEN"),
            "{what}: {line}"
        );
        // The token in $PODIUM_TOKEN is taken like one in a file.
        let mut from_env = anyone.command(&args);
        from_env.env("PODIUM_TOKEN", "not-the-secret-of-any-token-here");
        let line = common::run(from_env, None).fails(1);
        assert!(line.contains("the bearer token is wrong"), "{what}: {line}");
        // A token whose scopes do not cover it: 403.
        let wrong: &[(&Path, &str)] = match what {
            "revoke" => &[(&appender, "may not revoke"), (&reader, "may not write")],
            _ => &[(&revoker, "may not append"), (&reader, "may not write")],
        };
        for (token, says) in wrong {
            let line = anyone.with_token(token).run(&args, None).fails(1);
            assert!(
                line.contains(says),
                "{what} with {}: {line}",
                token.display()
            );
        }
        assert_eq!(
            events(&ledger),
            count + n as u64,
            "{what}: a refused write wrote"
        );
        // With the scope: done, recorded by the token's name.
        let (token, name) = if what == "revoke" {
            (&revoker, "revoker")
        } else {
            (&appender, "appender")
        };
        anyone.with_token(token).run(&args, None).ok();
        assert_eq!(events(&ledger), count + n as u64 + 1, "{what}");
        let last = ledger.ok(&["log", "--format", "jsonl"]);
        let last: serde_json::Value = serde_json::from_str(last.lines().last().unwrap()).unwrap();
        assert_eq!(last["recorded_by"], name, "{what}: {last}");
    }
    // Every event of the writes above is its token's, and `log` says so.
    let by_appender = ledger.ok(&["log", "--recorded-by", "appender"]);
    assert_eq!(by_appender.lines().count(), 3, "{by_appender}");
    assert!(
        by_appender
            .lines()
            .all(|l| l.ends_with("  (recorded by appender)")),
        "{by_appender}"
    );
    assert_eq!(recorded_by(&ledger, "revoker"), 1);

    // A token with both scopes does each; a line that names another
    // recorder is refused through a token, whoever it names.
    for (what, args) in writes(&dir, 2) {
        anyone.with_token(&editor).run(&args, None).ok();
        let _ = what;
    }
    assert_eq!(recorded_by(&ledger, "editor"), 4);
    let other = dir.join("other.jsonl");
    std::fs::write(
        &other,
        r#"{"id":"00000000-0000-4000-8000-0000000001ff","type":"membership_began","date":"2024","member":"GEO","organisation":"Union","recorded_by":"someone-else"}"#,
    )
    .unwrap();
    let before = events(&ledger);
    let line = anyone
        .with_token(&editor)
        .run(&[OsString::from("import"), other.clone().into()], None)
        .fails(1);
    assert!(
        line.contains("\"someone-else\"") && line.contains("\"editor\""),
        "{line}"
    );
    assert!(
        line.starts_with(&format!("podium: {}:1, event ", other.display())),
        "{line}"
    );
    assert_eq!(events(&ledger), before);
    // On the ledger's own machine, a line naming its recorder keeps it.
    common::team::on_ledger(
        &ledger,
        Some("ana"),
        &[OsString::from("import"), other.into()],
        None,
    )
    .ok();
    assert_eq!(recorded_by(&ledger, "someone-else"), 1);
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn a_private_server_answers_questions_only_to_a_reader() {
    let ledger = small_ledger();
    let dir = ledger.dir().to_owned();
    let tokens = dir.join("tokens");
    let (_, reader) = add_token(&tokens, "reader", &["read"]);
    let (_, appender) = add_token(&tokens, "appender", &["append"]);
    let server = serve(&ledger, Some(&tokens), &["--private"]);
    let anyone = Remote::new(&server.base);
    let table = ledger.ok(&["table", common::GAMES]);
    let chart = dir.join("race.svg");
    let race = words(&["race", common::GAMES, "--svg", chart.to_str().unwrap()]);
    for args in [
        words(&["table", common::GAMES]),
        race.clone(),
        words(&["export"]),
    ] {
        let line = anyone.run(&args, None).fails(1);
        assert!(line.contains("needs a token"), "{args:?}: {line}");
        let line = anyone.with_token(&appender).run(&args, None).fails(1);
        assert!(line.contains("may not read"), "{args:?}: {line}");
    }
    assert!(!chart.exists(), "a refused chart was written");
    assert_eq!(
        anyone.with_token(&reader).ok(&["table", common::GAMES]),
        table
    );
    anyone.with_token(&reader).run(&race, None).ok();
    assert!(std::fs::read_to_string(&chart).unwrap().contains("<svg"));
    assert_eq!(
        anyone.with_token(&reader).ok(&["export"]),
        ledger.ok(&["export"])
    );
    // The page and the API are closed too; the owner's local socket is not.
    assert_eq!(server.get("/").status, 401);
    assert_eq!(server.get("/api/head").status, 401);
    assert_eq!(server.get("/check").status, 401);
    let article = b"Azerbaijan won 7 medals at the Paris 2024 Olympic Games.";
    assert_eq!(
        server.post("/api/check/text", "text/plain", article).status,
        401
    );
    assert_eq!(ledger.ok(&["table", common::GAMES]), table);
    // The reader may not write.
    let line = anyone
        .with_token(&reader)
        .run(&writes(&dir, 1)[0].1, None)
        .fails(1);
    assert!(line.contains("may not write"), "{line}");
    assert_eq!(server.stop(), Some(0));
}

/// The number of request-log lines of `server` that contain `text`.
fn logged(server: &Server, text: &str) -> usize {
    server.log().iter().filter(|l| l.contains(text)).count()
}

/// Sends SIGHUP to `server` and waits until its log holds `said` for the
/// `times`th time: the token file has been read again (or kept).
fn hang_up(server: &Server, said: &str, times: usize) {
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(server.pid() as i32, libc::SIGHUP) }, 0);
    until(Duration::from_secs(10), said, || {
        logged(server, said) == times
    });
}

#[test]
fn sighup_reads_the_token_file_again_and_a_broken_one_keeps_the_tokens() {
    let ledger = small_ledger();
    let dir = ledger.dir().to_owned();
    let tokens = dir.join("tokens");
    let (_, first) = add_token(&tokens, "first", &["append"]);
    let server = serve(&ledger, Some(&tokens), &[]);
    let remote = Remote::new(&server.base);
    let join = |n: u32| membership("AZE", &format!("Union {n}"), Some(&id(400 + n)));
    remote.with_token(&first).run(&join(1), None).ok();

    // A token added to the file works once the server has read it again.
    let (_, second) = add_token(&tokens, "second", &["append"]);
    let line = remote.with_token(&second).run(&join(2), None).fails(1);
    assert!(line.contains("the bearer token is wrong"), "{line}");
    hang_up(&server, "SIGHUP: read the token file again: 2 token(s)", 1);
    assert_eq!(
        remote.with_token(&second).ok(&join(2)),
        format!("{}\n", id(402))
    );
    assert_eq!(recorded_by(&ledger, "second"), 1);

    // A token removed from the file is refused.
    let kept: String = std::fs::read_to_string(&tokens)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("first "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&tokens, kept).unwrap();
    hang_up(&server, "SIGHUP: read the token file again: 1 token(s)", 1);
    let line = remote.with_token(&first).run(&join(3), None).fails(1);
    assert!(line.contains("the bearer token is wrong"), "{line}");

    // A file that no longer parses: the tokens in force stay.
    let good = std::fs::read_to_string(&tokens).unwrap();
    std::fs::write(&tokens, format!("{good}second append blake3:not-a-hash\n")).unwrap();
    hang_up(&server, "the tokens in force stay", 1);
    assert_eq!(
        remote.with_token(&second).ok(&join(4)),
        format!("{}\n", id(404))
    );
    let line = remote.with_token(&first).run(&join(5), None).fails(1);
    assert!(line.contains("the bearer token is wrong"), "{line}");
    // So does a file that is gone.
    std::fs::remove_file(&tokens).unwrap();
    hang_up(&server, "the tokens in force stay", 2);
    assert_eq!(
        remote.with_token(&second).ok(&join(6)),
        format!("{}\n", id(406))
    );
    assert_eq!(recorded_by(&ledger, "second"), 3);
    assert_eq!(recorded_by(&ledger, "first"), 1);
    assert_eq!(server.stop(), Some(0));
}
