//! Durability of an acknowledged append: before `podium append` prints the
//! event's id, the log's file has been synced (`fdatasync`, not only sled's
//! `sync_file_range`, which flushes neither metadata nor the device's cache)
//! and so has the ledger's directory. Power loss cannot be made in a test;
//! the order of the system calls can be watched, with `strace` (the test
//! prints a note and checks nothing more where it is not installed).

mod common;

use std::process::Command;

use common::Ledger;

#[test]
fn an_append_is_synced_before_it_is_acknowledged() {
    if Command::new("strace").arg("-V").output().is_err() {
        eprintln!("note: strace is not installed; the order of syncs is not checked");
        return;
    }
    let ledger = Ledger::new();
    ledger.ok(&[
        "append",
        "games",
        "--games",
        "d-games",
        "--name",
        "D",
        "--opens",
        "2024-07-26",
        "--closes",
        "2024-08-11",
    ]);
    let trace = ledger.dir().join("trace");
    let mut command = Command::new("strace");
    command
        .args(["-f", "-y", "-s", "256", "-o"])
        .arg(&trace)
        .args(["-e", "trace=fdatasync,fsync,sync_file_range,write"])
        .arg(common::BIN)
        .arg("--ledger")
        .arg(&ledger.path)
        .args([
            "append",
            "medal",
            "--games",
            "d-games",
            "--date",
            "2024-07-27",
        ])
        .args([
            "--sport", "S", "--event", "E", "--medal", "gold", "--noc", "AZE",
        ])
        .args(["--athlete", "A"]);
    let output = command.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let id = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let calls = std::fs::read_to_string(&trace).unwrap();
    let lines: Vec<&str> = calls.lines().collect();
    let acknowledged = lines
        .iter()
        .position(|l| l.contains("write(1") && l.contains(&id))
        .expect("the id is written to stdout");
    let db = format!("{}/db>", ledger.path.display());
    let ledger_dir = format!("{}>", ledger.path.display());
    let position = |call: &str, file: &str| {
        lines[..acknowledged]
            .iter()
            .rposition(|l| l.contains(&format!("{call}(")) && l.contains(file))
    };
    let range_synced = position("sync_file_range", &db).expect("sled flushed its log");
    let data_synced = position("fdatasync", &db).expect("the log's file synced");
    let dir_synced = position("fsync", &ledger_dir).expect("the ledger's directory synced");
    assert!(
        range_synced < data_synced && data_synced < dir_synced,
        "sync_file_range at {range_synced}, fdatasync at {data_synced}, directory at \
         {dir_synced}, acknowledged at {acknowledged}:\n{calls}"
    );
}
