//! Readers never wait for a writer. While imports run one after another (one
//! of them long enough to write the read model in several transactions, all
//! beyond its head until the log has committed), the
//! real `podium` binary is asked for tables in a loop: no query fails, and
//! every answer is the table at one of the committed heads (computed
//! afterwards by replaying the log up to each import's last recorded time).

mod common;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use common::Ledger;
use podium::table::{Bounds, RankBy};
use serde_json::Value;

/// The recorded time of a generated line (every generated event has one).
fn recorded(line: &str) -> jiff::Timestamp {
    let v: Value = serde_json::from_str(line).unwrap();
    v["recorded"].as_str().unwrap().parse().unwrap()
}

#[test]
fn queries_during_imports_answer_at_once_from_a_committed_head() {
    let mut world = Vec::new();
    podium::generate::generate(260_000, 9, &mut world).unwrap();
    let text = String::from_utf8(world).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // A first import, then imports of 5,000 events, one of 200,000 (which the
    // read model writes in four transactions, three of them before the log
    // commits), and more of 5,000.
    let mut sizes = vec![10_000];
    sizes.extend([5_000; 5]);
    sizes.push(200_000);
    sizes.extend([5_000; 5]);
    assert_eq!(sizes.iter().sum::<usize>(), lines.len());
    let ledger = Ledger::new();
    let mut files = Vec::new();
    let mut heads = Vec::new();
    let mut at = 0;
    for (i, n) in sizes.iter().enumerate() {
        let chunk = &lines[at..at + n];
        at += n;
        files.push(ledger.write(&format!("part-{i}.jsonl"), chunk.join("\n") + "\n"));
        heads.push(recorded(chunk[n - 1]));
    }
    ledger.ok(&[OsStr::new("import"), files[0].as_os_str()]);
    // The first games of the world, registered by its first line.
    let first: Value = serde_json::from_str(lines[0]).unwrap();
    let games = first["games"].as_str().unwrap().to_owned();

    let importing = AtomicBool::new(true);
    // (started, ended) of each import, and of each query with its answers.
    let imports = Mutex::new(Vec::new());
    let answers: Vec<(Instant, Instant, Value, Value)> = std::thread::scope(|scope| {
        scope.spawn(|| {
            for file in &files[1..] {
                let started = Instant::now();
                ledger.ok(&[OsStr::new("import"), file.as_os_str()]);
                imports.lock().unwrap().push((started, Instant::now()));
            }
            importing.store(false, Ordering::SeqCst);
        });
        let mut answers = Vec::new();
        while importing.load(Ordering::SeqCst) {
            let started = Instant::now();
            let all = ledger.json(&["table", "--all", "--format", "json"]);
            let one = ledger.json(&["table", &games, "--format", "json"]);
            answers.push((started, Instant::now(), all, one));
        }
        answers
    });

    // What each committed head answers, by replaying the log (not the model).
    let replayed = podium::ledger::Ledger::open(&ledger.path, false).unwrap();
    let games_id = games.parse().unwrap();
    let expected: Vec<(Value, Value)> = heads
        .iter()
        .map(|t| {
            let b = Bounds {
                as_of: None,
                known_at: Some(*t),
            };
            let all = podium::query::all_time_table_replay(&replayed, b, RankBy::Gold).unwrap();
            let one =
                podium::query::games_table_replay(&replayed, &games_id, b, RankBy::Gold).unwrap();
            (
                serde_json::to_value(all).unwrap(),
                serde_json::to_value(one).unwrap(),
            )
        })
        .collect();
    // Each answer (each its own process, so each its own snapshot) is the
    // table at some committed head.
    let mut seen = BTreeSet::new();
    for (i, (_, _, all, one)) in answers.iter().enumerate() {
        let head = expected.iter().position(|(a, _)| a == all);
        let head = head.unwrap_or_else(|| panic!("all-time answer {i} is at no committed head"));
        assert!(
            expected.iter().any(|(_, o)| o == one),
            "{games} answer {i} is at no committed head"
        );
        seen.insert(head);
    }
    let imports = imports.into_inner().unwrap();
    let during = answers
        .iter()
        .filter(|(start, end, _, _)| imports.iter().any(|(s, e)| start < e && s < end))
        .count();
    assert!(during > 0, "no query ran during an import");
    assert!(
        answers.len() >= 10,
        "{} queries in all: the loop did not run",
        answers.len()
    );
    eprintln!(
        "{} queries, {during} during an import, answers at {} of {} committed heads",
        answers.len(),
        seen.len(),
        heads.len()
    );
}
