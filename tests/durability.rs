//! Durability of an acknowledged append: before `podium append` prints the
//! event's id, the log's file has been synced (`fdatasync`, not only sled's
//! `sync_file_range`, which flushes neither metadata nor the device's cache)
//! and, when the append created the ledger, so has its directory. Power
//! loss cannot be made in a test; the order of the system calls can be
//! watched, with `strace` (the test prints a note and checks nothing more
//! where it is not installed).

mod common;

use std::process::Command;

use common::Ledger;

/// The system calls of `podium append ARGS` that sync, and the index of the
/// one that printed the id.
fn traced(ledger: &Ledger, args: &[&str]) -> (Vec<String>, usize) {
    let trace = ledger.dir().join("trace");
    let output = Command::new("strace")
        .args(["-f", "-y", "-s", "256", "-o"])
        .arg(&trace)
        .args(["-e", "trace=fdatasync,fsync,sync_file_range,write"])
        .arg(common::BIN)
        .arg("--ledger")
        .arg(&ledger.path)
        .arg("append")
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let id = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let calls: Vec<String> = std::fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let acknowledged = calls
        .iter()
        .position(|l| l.contains("write(1") && l.contains(&id))
        .expect("the id is written to stdout");
    (calls, acknowledged)
}

/// The last `call` on `file` before the acknowledgement.
fn last_before(calls: &[String], acknowledged: usize, call: &str, file: &str) -> Option<usize> {
    calls[..acknowledged]
        .iter()
        .rposition(|l| l.contains(&format!("{call}(")) && l.contains(file))
}

#[test]
fn an_append_is_synced_before_it_is_acknowledged() {
    if Command::new("strace").arg("-V").output().is_err() {
        eprintln!("note: strace is not installed; the order of syncs is not checked");
        return;
    }
    let ledger = Ledger::new();
    let db = format!("{}/db>", ledger.path.display());
    let directory = format!("{}>", ledger.path.display());
    let creates = [
        "games",
        "--games",
        "d-games",
        "--name",
        "D",
        "--opens",
        "2024-07-26",
        "--closes",
        "2024-08-11",
    ];
    let appends = [
        "medal",
        "--games",
        "d-games",
        "--date",
        "2024-07-27",
        "--sport",
        "S",
        "--event",
        "E",
        "--medal",
        "gold",
        "--noc",
        "AZE",
        "--athlete",
        "A",
    ];
    for (args, new_ledger) in [(&creates[..], true), (&appends[..], false)] {
        let (calls, acknowledged) = traced(&ledger, args);
        let context = format!("acknowledged at {acknowledged}:\n{}", calls.join("\n"));
        let flushed = last_before(&calls, acknowledged, "sync_file_range", &db);
        let synced = last_before(&calls, acknowledged, "fdatasync", &db);
        assert!(
            flushed.is_some() && synced > flushed,
            "sled's flush, then fdatasync: {context}"
        );
        if new_ledger {
            let named = last_before(&calls, acknowledged, "fsync", &directory);
            assert!(
                named > synced,
                "the new ledger's directory synced: {context}"
            );
        }
    }
}
