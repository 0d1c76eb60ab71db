//! How much memory sled 0.34.7 keeps while a process reads a whole ledger's
//! log, without podium: BENCHMARKS.md uses it to show what bounds the peak
//! memory of the commands that scan the log.
//!
//! ```sh
//! cargo build --release --example sled_scan
//! /usr/bin/time -f "%e s %M KB" target/release/examples/sled_scan LEDGER [CACHE_MB] [REOPEN_EVERY]
//! ```
//!
//! It opens the ledger's sled database with a cache of CACHE_MB (podium's
//! 64 by default) and reads every value of the `log` tree in key order. With
//! REOPEN_EVERY it closes and reopens the database after that many values.
//! Run it on a copy, or on a ledger no podium process is using.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: sled_scan LEDGER [CACHE_MB] [REOPEN_EVERY]");
        return ExitCode::from(2);
    };
    let cache_mb: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(64);
    let reopen_every: usize = args
        .get(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let mut from: Vec<u8> = Vec::new();
    let (mut values, mut bytes, mut opens) = (0usize, 0usize, 0usize);
    loop {
        let db = match sled::Config::new()
            .path(path)
            .cache_capacity(cache_mb << 20)
            .open()
        {
            Ok(db) => db,
            Err(e) => {
                eprintln!("sled_scan: cannot open {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        opens += 1;
        let log = db.open_tree("log").expect("the log tree opens");
        let mut last = None;
        let mut read = 0usize;
        for item in log.range(from.clone()..).take(reopen_every) {
            let (key, value) = item.expect("a value reads");
            read += 1;
            bytes += value.len();
            last = Some(key.to_vec());
        }
        values += read;
        match last {
            Some(mut key) if read == reopen_every => {
                key.push(0);
                from = key;
            }
            _ => break,
        }
    }
    println!("{values} values, {bytes} bytes, {opens} opens, cache {cache_mb} MB");
    ExitCode::SUCCESS
}
