//! Many hands on one ledger (issue 17), on the real binary: every command
//! run beside a `podium serve` that holds the ledger (questions read the
//! read model, writes go through the server's local socket), and through
//! `--server URL` with a named token, prints what it prints on a ledger no
//! server holds: the same stdout, exit code and one line of error, the same
//! events and (where the input fixes the recorded times) the same digest.

mod common;

use common::team::{
    add_token, argv, as_is, questions, revoke, same_everywhere, serve, without_recorders,
    without_times, without_times_and_digests, Place, Remote, DESK,
};
use common::{copy_dir, id, parse_verify, Ledger};

/// The inputs of the writes, in one directory (the same paths in every run,
/// so that errors naming them agree).
struct Inputs {
    dir: tempfile::TempDir,
}

impl Inputs {
    fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

/// `append medal` of the men's -73 kg judo in `games` on `date`, to AZE.
fn medal(games: &str, date: &str, medal: &str, id: &str) -> Vec<String> {
    argv(&format!(
        "append medal --games {games} --date {date} --sport Judo --event Men~-73~kg --medal {medal} --noc AZE --athlete Hidayat~HEYDAROV --source olympics.com~results --id {id}"
    ))
}

/// A games and its first events, recorded at fixed times after the bundled history's.
fn fixed_time_lines() -> (String, String, String, String) {
    let games = r#"{"id":"00000000-0000-4000-8000-000000000001","type":"games_registered","date":"2025-06-01","recorded":"2026-11-01T00:00:00Z","games":"team-2025","name":"Team Games 2025","closes":"2025-06-10","unranked":["AIN"]}"#;
    let gold = r#"{"id":"00000000-0000-4000-8000-000000000002","type":"medal_awarded","date":"2025-06-02","recorded":"2026-11-02T00:00:00Z","games":"team-2025","sport":"Judo","event":"Men -73 kg","medal":"gold","noc":"AZE","athletes":["Hidayat HEYDAROV"]}"#;
    let meeting = r#"{"id":"00000000-0000-4000-8000-000000000003","type":"meeting_held","date":"2025-01-03","recorded":"2026-11-03T00:00:00Z","participants":[{"name":"A. Person","role":"President"}],"place":"Baku","subject":"a test meeting"}"#;
    let first = format!("{games}\n{gold}\n{meeting}\n");
    let silver = r#"{"id":"00000000-0000-4000-8000-000000000004","type":"medal_awarded","date":"2025-06-03","recorded":"2026-11-04T00:00:00Z","games":"team-2025","sport":"Judo","event":"Men -73 kg","medal":"silver","noc":"GEO","athletes":["Some ONE"]}"#;
    let member = r#"{"id":"00000000-0000-4000-8000-000000000005","type":"membership_began","date":"2025-01","recorded":"2026-11-05T00:00:00Z","member":"AZE","organisation":"Team Union"}"#;
    let stdin = format!("{silver}\n{member}");
    let unknown_games = r#"{"id":"00000000-0000-4000-8000-000000000007","type":"medal_awarded","date":"2025-06-02","recorded":"2026-11-06T00:00:00Z","games":"nowhere-1900","sport":"Judo","event":"Men -81 kg","medal":"gold","noc":"AZE","athletes":["X Y"]}"#;
    let bronze = r#"{"id":"00000000-0000-4000-8000-000000000006","type":"medal_awarded","date":"2025-06-03","recorded":"2026-11-06T00:00:00Z","games":"team-2025","sport":"Judo","event":"Men -73 kg","medal":"bronze","noc":"JPN","athletes":["Some TWO"]}"#;
    let bad = format!("{bronze}\n{unknown_games}\n");
    let early = r#"{"id":"00000000-0000-4000-8000-000000000008","type":"membership_began","date":"2025-01","recorded":"2024-01-05T00:00:00Z","member":"GEO","organisation":"Team Union"}"#;
    (first, stdin, bad, format!("{early}\n"))
}

#[test]
fn every_command_beside_a_server_and_through_it_answers_as_on_a_ledger_no_server_holds() {
    let direct = Ledger::bundled();
    let beside = Ledger::new();
    copy_dir(&direct.path, &beside.path);
    let through = Ledger::new();
    copy_dir(&direct.path, &through.path);
    let inputs = Inputs {
        dir: tempfile::tempdir().unwrap(),
    };
    let tokens = inputs.dir.path().join("tokens");
    let (_, desk_token) = add_token(&tokens, DESK, &["append", "revoke"]);
    let beside_server = serve(&beside, Some(&tokens), &[]);
    let through_server = serve(&through, Some(&tokens), &[]);
    let to_beside = Remote::new(&beside_server.base);
    let to_through = Remote::new(&through_server.base).with_token(&desk_token);
    let (_, digest) = parse_verify(&direct.ok(&["verify"]));
    let scratch = inputs.dir.path().join("charts");
    std::fs::create_dir(&scratch).unwrap();

    // Every question: on the files, beside the server, through --server.
    let places = [
        ("no server", Place::Ledger(&direct)),
        ("beside a server", Place::Ledger(&beside)),
        ("through --server", Place::Remote(&to_beside)),
    ];
    let mut answered = 0;
    for question in questions(&digest) {
        let run = same_everywhere(&places, &question, None, &scratch, &as_is);
        answered += usize::from(run.code == 0);
    }
    assert!(answered >= 32, "only {answered} questions answered");

    // Writes whose recorded times the input fixes: the same digest beside
    // the server (a copied line keeps its recorder, or none); through a
    // token, each event is the token's.
    let writers = [
        ("no server", Place::Ledger(&direct)),
        ("beside a server", Place::Ledger(&beside)),
        ("through --server", Place::Remote(&to_through)),
    ];
    let (first, stdin, bad, early) = fixed_time_lines();
    let first = inputs.file("first.jsonl", &first);
    let bad = inputs.file("bad.jsonl", &bad);
    let early = inputs.file("early.jsonl", &early);
    let csv_header = "date,games,sport,event,medal,noc,athletes\n";
    let fixed: Vec<(Vec<String>, Option<&str>, i32)> = vec![
        (vec!["import".into(), first.clone()], None, 0),
        (vec!["import".into(), "-".into()], Some(stdin.as_str()), 0),
        (vec!["import".into(), first.clone()], None, 0),
        // The bad line is the second of the second file.
        (vec!["import".into(), first.clone(), bad.clone()], None, 1),
        (vec!["import".into(), "-".into()], Some("{\"id\":\n"), 1),
        (vec!["import".into(), early.clone()], None, 1),
        (
            vec![
                "import".into(),
                inputs
                    .dir
                    .path()
                    .join("missing.jsonl")
                    .to_str()
                    .unwrap()
                    .into(),
            ],
            None,
            1,
        ),
    ];
    for (args, input, code) in &fixed {
        let run = same_everywhere(&writers, args, input.map(str::as_bytes), &scratch, &as_is);
        assert_eq!(run.code, *code, "podium {args:?}: {run:?}");
        if args[1] == bad {
            assert!(
                run.stderr.starts_with(&format!("podium: {bad}:2:")),
                "{run:?}"
            );
        }
    }
    let verified = |l: &Ledger| parse_verify(&l.ok(&["verify", "--log"]));
    let (events, fixed_digest) = verified(&direct);
    assert_eq!(
        verified(&beside),
        (events, fixed_digest),
        "the digest beside a server"
    );
    let fixed_ids: Vec<String> = (1..=5).map(id).collect();
    for (name, ledger, by) in [
        ("no server", &direct, None),
        ("beside", &beside, None),
        ("through", &through, Some(DESK)),
    ] {
        let export = ledger.ok(&["export"]);
        for event in export
            .lines()
            .filter(|l| fixed_ids.iter().any(|i| l.contains(i.as_str())))
        {
            let v: serde_json::Value = serde_json::from_str(event).unwrap();
            assert_eq!(v["recorded_by"].as_str(), by, "{name}: {event}");
        }
    }
    assert_eq!(
        without_recorders(&through.ok(&["export"])),
        without_recorders(&direct.ok(&["export"])),
        "through --server, the same events but for who recorded them"
    );

    // Writes stamped now, each by `desk`.
    let csv = inputs.file(
        "medals.csv",
        &format!("{csv_header}2028-07-17,team-2028,Judo,Women -57 kg,gold,AZE,Ana ONE;Bea TWO\n2028-07-17,team-2028,Judo,Women -57 kg,silver,GEO,Cleo THREE\n"),
    );
    let bad_csv = inputs.file(
        "bad.csv",
        &format!("{csv_header}2028-07-18,team-2028,Judo,Women -63 kg,gold,AZE,Di FOUR\n2028-07-18,team-2028,Judo,Women -63 kg,tin,GEO,Ed FIVE\n"),
    );
    let s = |w: &[&str]| w.iter().map(|x| (*x).to_owned()).collect::<Vec<String>>();
    let (g, gold, silver, meet, mem, ended, revocation) = (
        id(101),
        id(102),
        id(103),
        id(104),
        id(105),
        id(106),
        id(107),
    );
    let stamped: Vec<(Vec<String>, i32)> = vec![
        (
            argv(&format!("append games --games team-2028 --name Team~Games --opens 2028-07-14 --closes 2028-07-30 --unranked AIN --id {g}")),
            0,
        ),
        (medal("team-2028", "2028-07-15", "gold", &gold), 0),
        (medal("team-2028", "2028-07-15", "silver", &silver), 0),
        (medal("team-2028", "2028-07-15", "gold", &gold), 0),
        // The same id with another medal; a games not registered; a date
        // after the games closed.
        (medal("team-2028", "2028-07-15", "bronze", &gold), 1),
        (medal("nowhere-1900", "1900-07-15", "gold", &id(120)), 1),
        (medal("team-2028", "2029-07-15", "gold", &id(121)), 1),
        (
            argv(&format!("append meeting --date 2028-07-16 --participant Azer~Aliyev;Secretary~General;Azerbaijan~NOC --participant Didier~Budimbu;Minister --place Baku --subject Cooperation~in~sport --id {meet}")),
            0,
        ),
        (
            argv(&format!("append membership --date 2028 --member AZE --organisation Team~Union --role founder --id {mem}")),
            0,
        ),
        (
            argv(&format!("append membership --date 2028-12 --member AZE --organisation Team~Union --ended --id {ended}")),
            0,
        ),
        (
            revoke(
                &silver,
                "2028-07-20",
                "Disqualified after a doping re-test",
                Some(&revocation),
            ),
            0,
        ),
        // Revoked already; no such award; not an id; before the award.
        (revoke(&silver, "2028-07-21", "again", Some(&id(122))), 1),
        (revoke(&id(999), "2028-07-21", "none", Some(&id(123))), 1),
        (revoke("not-a-uuid", "2028-07-21", "x", None), 1),
        (revoke(&gold, "2028-07-01", "early", Some(&id(124))), 1),
        (s(&["import-csv", &csv, "--source", "a test sheet"]), 0),
        (s(&["import-csv", &csv, "--source", "a test sheet"]), 0),
        (s(&["import-csv", &bad_csv]), 1),
    ];
    for (args, code) in &stamped {
        let run = same_everywhere(&writers, args, None, &scratch, &as_is);
        assert_eq!(run.code, *code, "podium {args:?}: {run:?}");
    }
    // The writes beside the server went through it: the ledger is its.
    let posts = beside_server
        .log()
        .iter()
        .filter(|l| l.contains("POST /api/events"))
        .count();
    assert!(
        posts >= 15,
        "{posts} writes reached the server beside: {:?}",
        beside_server.log()
    );
    for (name, ledger) in [
        ("no server", &direct),
        ("beside", &beside),
        ("through", &through),
    ] {
        let mine = ledger.ok(&["log", "--recorded-by", DESK, "--format", "jsonl"]);
        let count = mine.lines().count();
        let expected = if name == "through" { 5 + 9 } else { 9 };
        assert_eq!(count, expected, "{name}: {mine}");
    }
    let (after, _) = verified(&direct);
    assert_eq!(after, events + 9);
    assert_eq!(verified(&beside).0, after);
    assert_eq!(verified(&through).0, after);

    // Every question again, on the ledgers written three ways.
    let places = [
        ("no server", Place::Ledger(&direct)),
        ("beside a server", Place::Ledger(&beside)),
        ("through --server", Place::Remote(&to_through)),
    ];
    let mut extra = questions(&digest);
    extra.extend([
        s(&["table", "team-2028"]),
        s(&["medals", "team-2028", "--revoked"]),
        s(&["log", "--recorded-by", DESK, "--limit", "3"]),
        s(&["memberships", "AZE", "--as-of", "2028-06-01"]),
        s(&["meetings", "--from", "2028-01-01"]),
    ]);
    for question in extra {
        let normal: &dyn Fn(&str) -> String = if question[0] == "export" {
            &|s: &str| without_times_and_digests(&without_recorders(s))
        } else if question[0] == "log" && question.iter().any(|w| w == DESK) {
            &|s: &str| without_times_and_digests(s)
        } else if question[0] == "log" {
            &|s: &str| {
                without_times_and_digests(
                    &s.replace("  (recorded by desk)", "")
                        .replace(",\"recorded_by\":\"desk\"", "")
                        .replace("\"recorded_by\":\"desk\",", ""),
                )
            }
        } else {
            &without_times_and_digests
        };
        if question[0] == "log" && question.iter().any(|w| w == DESK) {
            // Through a token, the fixed-time events are desk's too.
            let two = [
                ("no server", Place::Ledger(&direct)),
                ("beside a server", Place::Ledger(&beside)),
            ];
            same_everywhere(&two, &question, None, &scratch, normal);
            continue;
        }
        same_everywhere(&places, &question, None, &scratch, normal);
    }
    assert_eq!(beside_server.stop(), Some(0));
    assert_eq!(through_server.stop(), Some(0));
}

#[test]
fn times_and_digests_are_masked_whatever_their_precision() {
    assert_eq!(
        without_times("a 2026-12-06T07:01:02Z b \"2026-12-06T07:01:02.123456789Z\" 2024-08-01"),
        "a <time> b \"<time>\" 2024-08-01"
    );
    let d = "4fa0e620593b3b33e66311999d55f7fb8d2d25e7293e863825a60e37b952942d";
    assert_eq!(
        without_times_and_digests(&format!("ok: 3 events, head digest {d}\n")),
        "ok: 3 events, head digest <digest>\n"
    );
}
