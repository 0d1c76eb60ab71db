//! Helpers shared by the integration tests: run the real `podium` binary on a
//! temporary ledger, parse its output, and build small JSON Lines inputs.
//!
//! Every command gets `--ledger DIR` and a `PODIUM_LEDGER` inside the test's
//! temporary directory, so no test ever touches the user's data directory.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod server;
pub mod team;

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

/// The podium binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_podium");

/// The bundled events/ folder.
pub const EVENTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/events");

/// Every event line of events/*.jsonl, in name order, parsed.
pub fn bundled_events() -> Vec<Value> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(EVENTS)
        .expect("events/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "events/ holds .jsonl files");
    files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).expect("an events file is UTF-8");
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|l| serde_json::from_str::<Value>(l).expect("an event line is JSON"))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// How many medals the tallies (`tally_published`) of `games` count in `events`:
/// medals whose medallists are not known.
pub fn counted_medals(events: &[Value], games: &Value) -> u64 {
    events
        .iter()
        .filter(|e| e["type"] == "tally_published" && &e["games"] == games)
        .flat_map(|t| ["gold", "silver", "bronze"].map(|k| t[k].as_u64().expect("a count")))
        .sum()
}

/// `podium generate --events N --seed SEED`: a synthetic world as JSON Lines.
pub fn generated(n: u64, seed: u64) -> String {
    let out = Command::new(BIN)
        .args([
            "generate",
            "--events",
            &n.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .output()
        .expect("podium generate");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A file of tests/data.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// What one run of podium did.
#[derive(Debug)]
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("podium writes UTF-8 to stdout"),
            stderr: String::from_utf8(output.stderr).expect("podium writes UTF-8 to stderr"),
        }
    }

    /// Asserts exit 0 and returns stdout.
    pub fn ok(self) -> String {
        assert_eq!(self.code, 0, "podium failed: {self:?}");
        self.stdout
    }

    /// Asserts a failure with `code`, nothing on stdout and exactly one line
    /// on stderr, which it returns (without its newline).
    pub fn fails(self, code: i32) -> String {
        assert_eq!(self.code, code, "wrong exit code: {self:?}");
        assert_eq!(self.stdout, "", "a failure printed to stdout: {self:?}");
        one_line(&self.stderr)
    }
}

/// Runs `cmd`, with `input` on its stdin when given (else what `cmd` has).
pub fn run(mut cmd: Command, input: Option<&[u8]>) -> Run {
    let Some(input) = input else {
        return Run::from(cmd.output().expect("podium runs"));
    };
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("podium starts");
    let mut stdin = child.stdin.take().expect("piped stdin");
    // podium may stop reading early (a bad line): a broken pipe here is fine.
    let _ = stdin.write_all(input);
    drop(stdin);
    Run::from(child.wait_with_output().expect("podium runs"))
}

/// Asserts that `text` is exactly one line (ending in a newline) and returns it.
pub fn one_line(text: &str) -> String {
    let line = text
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("not newline-terminated: {text:?}"));
    assert!(
        !line.is_empty() && !line.contains(['\n', '\r']),
        "expected exactly one line, got {text:?}"
    );
    line.to_owned()
}

/// A temporary directory holding a ledger (not created until a command writes).
pub struct Ledger {
    dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Default for Ledger {
    fn default() -> Ledger {
        Ledger::new()
    }
}

impl Ledger {
    pub fn new() -> Ledger {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("ledger");
        Ledger { dir, path }
    }

    /// A new ledger into which `podium import events/` has been run.
    pub fn bundled() -> Ledger {
        let ledger = Ledger::new();
        let n = bundled_events().len();
        let out = ledger.ok(&["import", EVENTS]);
        assert_eq!(
            out,
            format!("{n} new, 0 already recorded; {n} events in the ledger\n")
        );
        ledger
    }

    /// The temporary directory (for input files next to the ledger).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Where `PODIUM_LEDGER` points: a path that must never be created.
    pub fn default_ledger(&self) -> PathBuf {
        self.dir.path().join("default-ledger-must-stay-unused")
    }

    /// A `podium --ledger DIR ARGS...` command, not yet run.
    pub fn command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.arg("--ledger")
            .arg(&self.path)
            .args(args)
            .env("PODIUM_LEDGER", self.default_ledger())
            .stdin(Stdio::null());
        cmd
    }

    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let run = Run::from(self.command(args).output().expect("podium runs"));
        assert!(
            !self.default_ledger().exists(),
            "podium touched PODIUM_LEDGER despite --ledger"
        );
        run
    }

    /// Runs with `input` on stdin.
    pub fn run_stdin<S: AsRef<OsStr>>(&self, args: &[S], input: &[u8]) -> Run {
        run(self.command(args), Some(input))
    }

    /// Runs, asserts success, returns stdout.
    pub fn ok<S: AsRef<OsStr>>(&self, args: &[S]) -> String {
        self.run(args).ok()
    }

    /// Runs, asserts success, parses stdout as JSON.
    pub fn json<S: AsRef<OsStr>>(&self, args: &[S]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// Writes a file in the temporary directory and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write a test input");
        path
    }

    /// Imports `contents` as a file named `name`; asserts success; returns stdout.
    pub fn import_text(&self, name: &str, contents: &str) -> String {
        let path = self.write(name, contents);
        self.ok(&[OsStr::new("import"), path.as_os_str()])
    }

    /// `podium verify`: the event count and head digest.
    /// `verify --log`: the log itself and the read model's copy, which must agree.
    pub fn verify(&self) -> (u64, String) {
        parse_verify(&self.ok(&["verify", "--log"]))
    }

    /// The ledger's `export`, as bytes-for-bytes text.
    pub fn export(&self) -> String {
        self.ok(&["export"])
    }
}

/// Parses `ok: N events, head digest HEX` (the first line of `verify`).
pub fn parse_verify(out: &str) -> (u64, String) {
    let first = out.lines().next().unwrap_or_default();
    let rest = first
        .strip_prefix("ok: ")
        .unwrap_or_else(|| panic!("unexpected verify output {out:?}"));
    let (count, digest) = rest
        .split_once(" events, head digest ")
        .unwrap_or_else(|| panic!("unexpected verify output {out:?}"));
    assert_eq!(digest.len(), 64, "digest is 64 hex: {out:?}");
    (count.parse().expect("a count"), digest.to_owned())
}

/// A medal table row as `table --format json` prints it:
/// (noc, rank, gold, silver, bronze, total).
pub type TableRow = (String, Option<u64>, u64, u64, u64, u64);

/// Reads the rows of `table --format json`, checking each has all its fields.
pub fn table_rows(v: &Value) -> Vec<TableRow> {
    v.as_array()
        .expect("a table is a JSON array")
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_u64().unwrap_or_else(|| panic!("{k} in {r}"));
            let rank = match &r["rank"] {
                Value::Null => None,
                x => Some(x.as_u64().unwrap_or_else(|| panic!("rank in {r}"))),
            };
            let row = (
                r["noc"].as_str().expect("noc").to_owned(),
                rank,
                n("gold"),
                n("silver"),
                n("bronze"),
                n("total"),
            );
            assert_eq!(row.5, row.2 + row.3 + row.4, "total is the sum: {r}");
            row
        })
        .collect()
}

/// The games every small test ledger registers.
pub const GAMES: &str = "test-games";

/// A fixed, readable id: `00000000-0000-4000-8000-0000000000NN`.
pub fn id(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

/// One JSON Lines line (with its newline) from a JSON object.
pub fn line(v: &Value) -> String {
    let mut s = serde_json::to_string(v).expect("JSON");
    s.push('\n');
    s
}

/// A `games_registered` of `GAMES`, 2024-07-01 to 2024-07-10, AIN unranked.
pub fn games_event(id: &str, recorded: &str) -> Value {
    json!({
        "id": id, "type": "games_registered", "date": "2024-07-01", "recorded": recorded,
        "games": GAMES, "name": "Test Games", "closes": "2024-07-10", "unranked": ["AIN"],
    })
}

/// A `medal_awarded` in `GAMES`; `recorded` omitted when `None`.
pub fn award(id: &str, date: &str, medal: &str, noc: &str, recorded: Option<&str>) -> Value {
    let mut v = json!({
        "id": id, "type": "medal_awarded", "date": date,
        "games": GAMES, "sport": "Judo", "event": format!("Event {id}"),
        "medal": medal, "noc": noc, "athletes": [format!("Athlete of {noc}")],
    });
    if let Some(t) = recorded {
        v["recorded"] = json!(t);
    }
    v
}

/// A `medal_revoked` of `award`.
pub fn revocation(id: &str, award: &str, date: &str, recorded: &str) -> Value {
    json!({
        "id": id, "type": "medal_revoked", "date": date, "recorded": recorded,
        "award": award, "reason": "a test revocation",
    })
}

/// A `meeting_held`: an event that is not an award.
pub fn meeting(id: &str, date: &str, recorded: &str) -> Value {
    json!({
        "id": id, "type": "meeting_held", "date": date, "recorded": recorded,
        "participants": [{"name": "A. Person", "role": "President"}],
        "place": "Baku", "subject": "a test meeting",
    })
}

/// Copies a directory and everything under it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Turns a ledger into one of layout 1, which kept derived trees and their
/// marker in the log's database (podium upgrades it when it opens it).
pub fn plant_layout_1(ledger: &Path) {
    let db = sled::open(ledger).unwrap();
    db.insert("layout", "podium-ledger-1").unwrap();
    db.insert("derived", &1u64.to_be_bytes()).unwrap();
    db.open_tree("snap_all")
        .unwrap()
        .insert([7u8; 4], &[1u8; 19])
        .unwrap();
    db.flush().unwrap();
}

/// Asserts that the ledger at `ledger` is of layout 3, without the derived
/// state of layout 1.
pub fn assert_upgraded(ledger: &Path, context: &str) {
    let db = sled::open(ledger).unwrap();
    assert_eq!(
        db.get("layout").unwrap().unwrap().as_ref(),
        b"podium-ledger-3",
        "{context}"
    );
    assert!(db.get("derived").unwrap().is_none(), "{context}");
    assert!(
        !db.tree_names().iter().any(|n| n.as_ref() == b"snap_all"),
        "{context}"
    );
}

/// The largest file under `dir`, in bytes.
pub fn largest_file(dir: &Path) -> u64 {
    let mut largest = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        largest = largest.max(if meta.is_dir() {
            largest_file(&entry.path())
        } else {
            meta.len()
        });
    }
    largest
}

/// Lets no file of the process `command` starts grow past `bytes`
/// (`RLIMIT_FSIZE`, with SIGXFSZ ignored, so a write past it fails with
/// EFBIG): a full disk, as a test can make one without privileges.
pub fn limit_file_size(command: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}
