//! Writers at once: a long import, a short one and single appends started
//! together on one ledger. sled's lock admits one writer; the others wait for
//! it (up to `BUSY_TIMEOUT_MS`, saying so on a terminal) and then run, or are
//! refused with one line. Nothing is lost, nothing is applied twice, and the
//! chain verifies; a refused command succeeds when run again.

mod common;

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::process::{Child, Stdio};

use common::{Ledger, Run};
use serde_json::{json, Value};

/// Events of the long import.
const LONG_EVENTS: u64 = 40_000;
/// Single appends started beside the imports.
const APPENDS: usize = 4;

/// Generated events without their recorded times: each is stamped when it
/// is imported, so the imports may commit in any order.
fn unstamped(text: &str) -> String {
    text.lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v.as_object_mut().unwrap().remove("recorded");
            common::line(&v)
        })
        .collect()
}

fn ids(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

fn spawn(ledger: &Ledger, args: &[OsString]) -> Child {
    ledger
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("podium starts")
}

fn finish(child: Child) -> Run {
    let output = child.wait_with_output().expect("podium runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// The stdout of `run` if it succeeded; otherwise asserts it was refused as busy.
fn ran(run: Run, what: &str) -> Option<String> {
    if run.code == 0 {
        return Some(run.stdout);
    }
    let line = run.fails(1);
    assert!(
        line.starts_with("podium: ledger is in use by another process (waited "),
        "{what}: {line}"
    );
    None
}

#[test]
fn imports_and_appends_at_once_all_land_once_or_are_refused_in_one_line() {
    let ledger = Ledger::new();
    let long = unstamped(&ledger.ok(&["generate", "--events", &LONG_EVENTS.to_string()]));
    let long_path = ledger.write("long.jsonl", &long);
    let short: String = [
        json!({"id": common::id(1), "type": "games_registered", "date": "2024-07-01",
               "games": "writers-games", "name": "Writers Games", "closes": "2024-07-10",
               "unranked": []}),
        json!({"id": common::id(2), "type": "medal_awarded", "date": "2024-07-02",
               "games": "writers-games", "sport": "Judo", "event": "E", "medal": "gold",
               "noc": "AZE", "athletes": ["A"]}),
    ]
    .iter()
    .map(common::line)
    .collect();
    let short_path = ledger.write("short.jsonl", &short);
    // Registered first, so the appends have a games to award in.
    ledger.ok(&["import", short_path.to_str().unwrap()]);

    let import = |path: &std::path::Path| vec![OsString::from("import"), path.into()];
    let append = |n: usize| -> Vec<OsString> {
        [
            "append",
            "medal",
            "--games",
            "writers-games",
            "--date",
            "2024-07-03",
        ]
        .iter()
        .map(OsString::from)
        .chain([
            "--sport".into(),
            "Judo".into(),
            "--event".into(),
            format!("Event {n}").into(),
            "--medal".into(),
            "bronze".into(),
            "--noc".into(),
            "AZE".into(),
            "--athlete".into(),
            "B".into(),
        ])
        .collect()
    };
    // The long import twice (the same events), and appends beside them.
    let mut children = vec![
        (
            "long",
            import(&long_path),
            spawn(&ledger, &import(&long_path)),
        ),
        (
            "long again",
            import(&long_path),
            spawn(&ledger, &import(&long_path)),
        ),
    ];
    for n in 0..APPENDS {
        children.push(("append", append(n), spawn(&ledger, &append(n))));
    }

    let mut appended = BTreeSet::new();
    let mut long_in = false;
    for (what, args, child) in children {
        let out = match ran(finish(child), what) {
            Some(out) => out,
            // Refused: nothing of it was written; it runs now.
            None => ledger.ok(&args),
        };
        if what == "append" {
            appended.insert(out.trim().to_owned());
        } else if out.starts_with(&format!("{LONG_EVENTS} new, 0 already")) {
            assert!(!long_in, "the long import applied twice: {out}");
            long_in = true;
        } else {
            assert!(
                out.starts_with(&format!("0 new, {LONG_EVENTS} already recorded")),
                "{what}: {out}"
            );
        }
    }
    assert!(long_in, "the long import never landed");
    assert_eq!(appended.len(), APPENDS);

    let expected = LONG_EVENTS + 2 + APPENDS as u64;
    assert_eq!(ledger.verify().0, expected);
    let exported = ids(&ledger.export());
    assert_eq!(exported.len() as u64, expected, "an id twice");
    assert!(ids(&long).is_subset(&exported));
    assert!(appended.is_subset(&exported));
}
