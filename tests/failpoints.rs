//! I/O errors at every step of an append (`src/log/failpoint.rs`): the
//! block written, its index entries, its facts to the read model, the head
//! moved, sled's flush, the sync of the log's file and directory, the read
//! model's head. Each run ends with one line and nothing committed, or (a
//! failure after the log's commit) with the events recorded and the read
//! model caught up by the next command; the ledger verifies, its tables are
//! those of a ledger that never failed, and the import then succeeds.
//!
//! Built only with the feature that compiles the failpoints in: `cargo test
//! --release --features failpoints --test failpoints`.
#![cfg(feature = "failpoints")]

mod common;

use common::Ledger;

/// Every step, and how many times an import of `IMPORT` events reaches it.
const STEPS: [(&str, u64); 7] = [
    ("block", 4),
    ("index", 4),
    ("model", 4),
    ("head", 1),
    ("flush", 1),
    ("sync", 1),
    ("model-head", 1),
];
const BEFORE: usize = 300;
/// Four blocks: three of 64 events and one of 8.
const IMPORT: usize = 200;

#[test]
fn a_failure_at_any_step_of_an_append_is_one_line_and_a_whole_commit_or_none() {
    let base = Ledger::new();
    let world = base.ok(&["generate", "--events", &(BEFORE + IMPORT).to_string()]);
    let lines: Vec<&str> = world.lines().collect();
    let first = base.write("first.jsonl", lines[..BEFORE].join("\n") + "\n");
    let more = base.write("more.jsonl", lines[BEFORE..].join("\n") + "\n");
    base.ok(&["import", first.to_str().unwrap()]);
    let table_before = base.ok(&["table", "--all"]);
    let full = Ledger::new();
    full.ok(&["import", first.to_str().unwrap(), more.to_str().unwrap()]);
    let table_full = full.ok(&["table", "--all"]);
    let import = ["import", more.to_str().unwrap()];

    let mut failures = 0;
    for (step, hits) in STEPS {
        for nth in 1..=hits {
            let ledger = Ledger::new();
            common::copy_dir(&base.path, &ledger.path);
            let run = {
                let mut command = ledger.command(&import);
                command.env("PODIUM_FAILPOINT", format!("{step}:{nth}"));
                let output = command.output().unwrap();
                common::Run {
                    code: output.status.code().unwrap_or(-1),
                    stdout: String::from_utf8(output.stdout).unwrap(),
                    stderr: String::from_utf8(output.stderr).unwrap(),
                }
            };
            let line = run.fails(1);
            failures += 1;
            assert!(
                line.contains(&format!("injected failure at {step}")),
                "{line}"
            );
            let (count, table) = if step == "model-head" {
                assert!(line.contains("the events are recorded"), "{line}");
                (BEFORE + IMPORT, &table_full)
            } else {
                (BEFORE, &table_before)
            };
            assert_eq!(ledger.verify().0, count as u64, "{step}:{nth}: {line}");
            assert_eq!(&ledger.ok(&["table", "--all"]), table, "{step}:{nth}");
            ledger.ok(&import);
            assert_eq!(ledger.verify(), full.verify(), "{step}:{nth} then again");
            assert_eq!(ledger.ok(&["table", "--all"]), table_full, "{step}:{nth}");
        }
    }
    eprintln!("{failures} injected failures, each whole");
}
