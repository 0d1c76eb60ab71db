//! A full disk, as a test can make one without privileges: the file size
//! limit of the podium process (`RLIMIT_FSIZE`, with SIGXFSZ ignored, so a
//! write past the limit fails with EFBIG instead of killing the process).
//! An import or a rebuild of the read model that runs out of room ends with
//! one line saying the disk is full, exit 1, and nothing committed; the
//! ledger verifies, queries still answer, and the same import succeeds once
//! the limit is lifted. (A real full disk, a 24 MB tmpfs, was tried by hand:
//! ARCHITECTURE.md, "Faults".)

mod common;

use std::process::Command;

use common::{largest_file, limit_file_size, Ledger, Run};

/// Events in the ledger before the import that runs out of room.
const BEFORE: u64 = 3_000;
/// Events of the import that runs out of room.
const IMPORT: u64 = 40_000;
/// Events per epoch of a model rebuilt here: small, so the model is large.
const EPOCH_EVENTS: &str = "256";

/// Runs a podium command with no file allowed to grow past `bytes`.
fn run_limited(mut command: Command, bytes: u64) -> Run {
    limit_file_size(&mut command, bytes);
    let output = command.output().expect("podium runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn an_import_that_runs_out_of_room_commits_nothing_and_succeeds_later() {
    let ledger = Ledger::new();
    // One world, cut in two: the ledger's events, then the import.
    let world = ledger.ok(&["generate", "--events", &format!("{}", BEFORE + IMPORT)]);
    let lines: Vec<&str> = world.lines().collect();
    assert_eq!(lines.len() as u64, BEFORE + IMPORT);
    let cut = BEFORE as usize;
    let first = ledger.write("first.jsonl", lines[..cut].join("\n") + "\n");
    let big = ledger.write("big.jsonl", lines[cut..].join("\n") + "\n");
    ledger.ok(&["import", first.to_str().unwrap()]);
    let before = ledger.verify();
    let table_before = ledger.ok(&["table", "--all"]);
    let size = largest_file(&ledger.path);

    let mut full = 0;
    for extra_kib in [0u64, 64, 256, 1024, 2048, 4096] {
        let run = run_limited(
            ledger.command(&["import", big.to_str().unwrap()]),
            size + extra_kib * 1024,
        );
        if run.code == 0 {
            // The limit left room enough: the import is complete.
            break;
        }
        let line = run.fails(1);
        assert!(
            line.contains(": the disk is full: no room to write "),
            "{line}"
        );
        full += 1;
        // Nothing committed, and the ledger reads (a query under the same limit too).
        assert_eq!(ledger.verify(), before, "after: {line}");
        let limited = run_limited(ledger.command(&["table", "--all"]), size + extra_kib * 1024);
        assert_eq!(limited.ok(), table_before);
    }
    assert!(full >= 2, "only {full} imports ran out of room");

    let done = ledger.ok(&["import", big.to_str().unwrap()]);
    assert!(
        done.starts_with(&format!("{IMPORT} new, 0 already recorded")),
        "{done}"
    );
    let reference = Ledger::new();
    reference.ok(&["import", first.to_str().unwrap(), big.to_str().unwrap()]);
    assert_eq!(
        ledger.ok(&["table", "--all"]),
        reference.ok(&["table", "--all"])
    );
    assert_eq!(ledger.verify().0, BEFORE + IMPORT);
}

#[test]
fn a_rebuild_of_the_read_model_that_runs_out_of_room_is_refused_then_done() {
    let ledger = Ledger::new();
    let events = ledger.write(
        "events.jsonl",
        ledger.ok(&["generate", "--events", &IMPORT.to_string()]),
    );
    ledger.ok(&["import", events.to_str().unwrap()]);
    let table = ledger.ok(&["table", "--all"]);
    let model = ledger.path.join("model");
    std::fs::remove_dir_all(&model).unwrap();

    // Room for the log's own writes (a MiB more than its files), not for a
    // model rebuilt with small epochs (several times the log's size).
    let limit = largest_file(&ledger.path) + (1 << 20);
    let mut command = ledger.command(&["table", "--all"]);
    command.env("PODIUM_EPOCH_EVENTS", EPOCH_EVENTS);
    let run = run_limited(command, limit);
    let line = run.fails(1);
    assert!(
        line.starts_with("podium: the disk is full: no room to write "),
        "{line}"
    );
    assert_eq!(ledger.ok(&["table", "--all"]), table);
    assert_eq!(ledger.verify().0, IMPORT);
}
