//! What a command line costs when a server holds the ledger (issue 17):
//! criterion timing whole `podium` processes on the bundled history
//! (25,134 events), on a ledger no server holds and on a copy that
//! `podium serve` holds.
//!
//! `cargo bench --bench team` (about a minute). Measured:
//! - `table paris-2024`: on the files; beside the server (a question reads the
//!   read model, which the server never holds); through the server itself,
//!   `--server http://127.0.0.1:PORT` (the server's thread pool answers);
//! - `append membership`: on the files (opens the log, appends, syncs);
//!   beside the server (its local socket `<ledger>/podium.sock`: the server
//!   appends, recorded by the OS user).
//!
//! Before measuring, each variant's output is checked to be the files'
//! (the append's, to be one id). At the end it prints each median, and its
//! ratio to the files' median, from criterion's own estimates. It never
//! writes outside its temporary directory and the criterion output
//! directory, and binds 127.0.0.1 only.

#[path = "../tests/common/mod.rs"]
mod common;

use std::cell::Cell;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};

use common::team::{membership, podium, serve, words};
use common::{copy_dir, run, Ledger};

/// Where criterion writes its estimates, read back for the ratios.
fn criterion_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("criterion")
}

/// Runs `args`, asserting success; returns stdout.
fn ok(args: &[OsString]) -> String {
    run(podium(args), None).ok()
}

/// The time of `iters` whole processes, each of the words `args` gives.
fn processes(iters: u64, args: impl Fn() -> Vec<OsString>) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let cmd_args = args();
        let mut cmd = podium(&cmd_args);
        cmd.stdout(std::process::Stdio::null());
        let started = Instant::now();
        let status = cmd.status().expect("podium runs");
        total += started.elapsed();
        assert!(status.success(), "podium {cmd_args:?} failed");
    }
    total
}

/// The median criterion estimated for `group/variant`, in ms.
fn median_ms(group: &str, variant: &str) -> f64 {
    let file = criterion_dir()
        .join(group)
        .join(variant)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let v: serde_json::Value = serde_json::from_str(&text).expect("criterion's estimates");
    v["median"]["point_estimate"]
        .as_f64()
        .expect("a median point estimate")
        / 1e6
}

fn main() {
    let direct = Ledger::bundled();
    let held = Ledger::new();
    copy_dir(&direct.path, &held.path);
    let server = serve(&held, None, &[]);
    let on = |ledger: &Ledger, rest: &[&str]| -> Vec<OsString> {
        let mut args = words(&["--ledger".as_ref(), ledger.path.as_os_str()]);
        args.extend(words(rest));
        args
    };
    let table = ["table", "paris-2024"];
    let mut through = words(&["--server", &server.base]);
    through.extend(words(&table));
    let variants: [(&str, Vec<OsString>); 3] = [
        ("no server", on(&direct, &table)),
        ("beside the server", on(&held, &table)),
        ("--server URL", through),
    ];
    let expected = ok(&variants[0].1);
    for (name, args) in &variants[1..] {
        assert_eq!(ok(args), expected, "{name}: another table");
    }

    let mut c = Criterion::default()
        .output_directory(&criterion_dir())
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6))
        .configure_from_args();
    let mut group = c.benchmark_group("team_table");
    for (name, args) in &variants {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| processes(iters, || args.clone()))
        });
    }
    group.finish();

    // Each append records an event of its own: ids from a counter.
    let next = Cell::new(0u64);
    let append = |ledger: &Ledger| {
        let n = next.get();
        next.set(n + 1);
        let mut args = words(&["--ledger".as_ref(), ledger.path.as_os_str()]);
        let id = format!("00000000-0000-4000-8000-{:012x}", 0x1_0000_0000 + n);
        args.extend(membership("AZE", "Bench Union", Some(&id)));
        args
    };
    for ledger in [&direct, &held] {
        assert_eq!(ok(&append(ledger)).trim().len(), 36, "one id");
    }
    let mut group = c.benchmark_group("team_append");
    for (name, ledger) in [
        ("no server", &direct),
        ("beside the server (local socket)", &held),
    ] {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| processes(iters, || append(ledger)))
        });
    }
    group.finish();
    c.final_summary();
    assert_eq!(server.stop(), Some(0), "podium serve stopped cleanly");

    println!();
    println!("| command | where | median ms | ratio to no server |");
    println!("|---|---|---:|---:|");
    for (group, what, names) in [
        (
            "team_table",
            "`table paris-2024`",
            &["no server", "beside the server", "--server URL"][..],
        ),
        (
            "team_append",
            "`append membership`",
            &["no server", "beside the server (local socket)"][..],
        ),
    ] {
        // criterion names a variant's directory after it (none of these
        // names holds a character it replaces).
        let base = median_ms(group, names[0]);
        for name in names {
            let m = median_ms(group, name);
            println!("| {what} | {name} | {m:.2} | {:.2}x |", m / base);
        }
    }
}
