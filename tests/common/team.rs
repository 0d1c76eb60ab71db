//! Helpers of the team tests (issue 17, many hands on one ledger): the
//! command line run as a client of a server (`--server URL`), named tokens
//! made by `podium token add`, and outputs compared across ledgers.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::server::Server;
use super::{one_line, run, Ledger, Run, BIN};

/// A `podium` command with nothing from the caller's environment that could
/// name a ledger, a server or a token.
pub fn podium<S: AsRef<OsStr>>(args: &[S]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("PODIUM_TOKEN")
        .env_remove("PODIUM_SERVER")
        .env(
            "PODIUM_LEDGER",
            "/nonexistent/podium-team-tests/must-stay-unused",
        )
        .stdin(Stdio::null());
    cmd
}

/// `podium --ledger DIR ARGS` (with `--as NAME` when given): a run on the
/// ledger's files, or through the server that holds it.
pub fn on_ledger(
    ledger: &Ledger,
    recorder: Option<&str>,
    args: &[OsString],
    input: Option<&[u8]>,
) -> Run {
    let mut words: Vec<OsString> = vec!["--ledger".into(), ledger.path.clone().into()];
    if let Some(name) = recorder {
        words.extend(["--as".into(), name.into()]);
    }
    words.extend(args.iter().cloned());
    run(podium(&words), input)
}

/// `podium --server URL [--ca-cert FILE] [--token-file FILE] ARGS`, run
/// where no ledger is.
pub struct Remote {
    pub url: String,
    pub ca_cert: Option<PathBuf>,
    pub token_file: Option<PathBuf>,
}

impl Remote {
    pub fn new(url: &str) -> Remote {
        Remote {
            url: url.to_owned(),
            ca_cert: None,
            token_file: None,
        }
    }

    /// The same server, presenting the token in `file`.
    pub fn with_token(&self, file: &Path) -> Remote {
        Remote {
            url: self.url.clone(),
            ca_cert: self.ca_cert.clone(),
            token_file: Some(file.to_owned()),
        }
    }

    pub fn command(&self, args: &[OsString]) -> Command {
        let mut words: Vec<OsString> = vec!["--server".into(), self.url.clone().into()];
        if let Some(ca) = &self.ca_cert {
            words.extend(["--ca-cert".into(), ca.clone().into()]);
        }
        if let Some(file) = &self.token_file {
            words.extend(["--token-file".into(), file.clone().into()]);
        }
        words.extend(args.iter().cloned());
        podium(&words)
    }

    pub fn run(&self, args: &[OsString], input: Option<&[u8]>) -> Run {
        run(self.command(args), input)
    }

    pub fn ok<S: AsRef<OsStr>>(&self, args: &[S]) -> String {
        self.run(&words(args), None).ok()
    }
}

/// Arguments as owned words.
pub fn words<S: AsRef<OsStr>>(args: &[S]) -> Vec<OsString> {
    args.iter().map(|a| a.as_ref().to_owned()).collect()
}

/// `podium token add FILE NAME --scope S...`: adds a token to the token
/// file and returns its secret, also written to `<FILE>.NAME` (a client's
/// token file).
pub fn add_token(file: &Path, name: &str, scopes: &[&str]) -> (String, PathBuf) {
    let mut args: Vec<OsString> = words(&["token", "add"]);
    args.push(file.into());
    args.push(name.into());
    for scope in scopes {
        args.extend(["--scope".into(), (*scope).into()]);
    }
    let out = run(podium(&args), None).ok();
    let secret = out.trim().to_owned();
    assert_eq!(secret.len(), 64, "a secret of 64 hex characters: {out:?}");
    let client = file.with_extension(name);
    std::fs::write(&client, format!("{secret}\n")).unwrap();
    (secret, client)
}

/// `podium serve` on `ledger` with the tokens of `token_file` (and `args`).
pub fn serve(ledger: &Ledger, token_file: Option<&Path>, args: &[&str]) -> Server {
    let mut all: Vec<&str> = Vec::new();
    let file;
    if let Some(path) = token_file {
        file = path.to_str().unwrap().to_owned();
        all.extend(["--token-file", file.as_str()]);
    }
    all.extend(args);
    Server::start_with(ledger, false, &all)
}

/// Waits until `ready` holds (polling), failing after `limit`.
pub fn until(limit: Duration, what: &str, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed() < limit, "not within {limit:?}: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `text` with every RFC 3339 time (`YYYY-MM-DDTHH:MM:SS`, a fraction, `Z`)
/// replaced by `<time>`: for outputs that hold the times of events stamped
/// when they were appended.
pub fn without_times(text: &str) -> String {
    let bytes = text.as_bytes();
    let shape = b"dddd-dd-ddTdd:dd:dd";
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let fits = bytes.len() - i >= shape.len()
            && shape.iter().zip(&bytes[i..]).all(|(s, b)| match s {
                b'd' => b.is_ascii_digit(),
                s => s == b,
            });
        if !fits {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let mut end = i + shape.len();
        if bytes.get(end) == Some(&b'.') {
            end += 1;
            while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
        }
        if bytes.get(end) == Some(&b'Z') {
            end += 1;
        }
        out.push_str("<time>");
        i = end;
    }
    out
}

/// Export lines (JSON) without their `recorded_by`.
pub fn without_recorders(export: &str) -> String {
    export
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).expect("an export line");
            v.as_object_mut().unwrap().remove("recorded_by");
            serde_json::to_string(&v).unwrap() + "\n"
        })
        .collect()
}

/// The name the writes of these tests are recorded by: the token's, and the
/// `--as` of the runs on the ledgers' files.
pub const DESK: &str = "desk";

/// The question commands, `SVG` standing for a chart's file.
pub fn questions(digest: &str) -> Vec<Vec<String>> {
    let mut all: Vec<Vec<String>> = [
        "table paris-2024",
        "table paris-2024 --format json",
        "table paris-2024 --format csv --rank-by total",
        "table paris-2024 --as-of 2024-08-05 --known-at 2024-08-10",
        "table paris-2024 --sport judo",
        "table --all",
        "table --all --season winter --format json",
        "rank paris-2024 AZE",
        "sports paris-2024",
        "medals paris-2024 --noc AZE",
        "event paris-2024 artistic~gymnastics women's~floor~exercise",
        "games",
        "games --format csv",
        "athlete roman~saleh",
        "memberships AZE --as-of 2024-12-01",
        "meetings",
        "check",
        "history paris-2024 AZE --svg SVG",
        "race paris-2024 --top 3 --svg SVG",
        "diff paris-2024 --as-of 2024-08-10 --known-at 2024-08-10 --vs-known-at 2024-08-12",
        "diff paris-2024 --from 2024-08-03 --to 2024-08-04",
        "delegation AZE",
        "delegation AZE --by sport --movement paralympic",
        "delegation RUS --lineage",
        "log --limit 5",
        "log --kind meeting_held --format jsonl",
        "log --from 2024-08-01 --to 2024-08-02 --limit 40",
        "log --recorded-by desk",
        "export",
        "verify",
        "verify --log",
        "verify --format json",
        // Refusals: one line each, the same everywhere.
        "table atlantis-1900",
        "rank paris-2024 ZZZ",
        "table paris-2024 --as-of 2024-02-30",
        "log --kind medal_given",
        "athlete nobody~at~all~of~that~name",
        "history atlantis-1900 AZE --svg SVG",
    ]
    .into_iter()
    .map(argv)
    .collect();
    all.push(argv(&format!("verify --digest {digest}")));
    all.push(argv(&format!("verify --digest {}", "0".repeat(64))));
    all
}

/// The words of `text` (split at white space, `~` standing for a space
/// within a word).
pub fn argv(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| w.replace('~', " "))
        .collect()
}

/// Where a command runs.
pub enum Place<'a> {
    /// On a ledger's files, or through the server that holds it.
    Ledger(&'a Ledger),
    /// Through `--server`.
    Remote(&'a Remote),
}

impl Place<'_> {
    fn run(&self, args: &[OsString], input: Option<&[u8]>) -> Run {
        match self {
            Place::Ledger(ledger) => on_ledger(ledger, Some(DESK), args, input),
            Place::Remote(remote) => remote.run(args, input),
        }
    }
}

/// Runs `args` at each place (a chart to a file of its own), and asserts
/// that every run printed the first's stdout, stderr and exit code (after
/// `normal`), an error being one line; returns the first run.
pub fn same_everywhere(
    places: &[(&str, Place<'_>)],
    args: &[String],
    input: Option<&[u8]>,
    dir: &Path,
    normal: &dyn Fn(&str) -> String,
) -> Run {
    let mut first: Option<(Run, Option<Vec<u8>>)> = None;
    for (n, (name, place)) in places.iter().enumerate() {
        let chart = dir.join(format!("chart-{n}.svg"));
        let _ = std::fs::remove_file(&chart);
        let argv: Vec<OsString> = args
            .iter()
            .map(|a| {
                if a == "SVG" {
                    chart.clone().into()
                } else {
                    a.into()
                }
            })
            .collect();
        let run = place.run(&argv, input);
        if run.code != 0 {
            assert_eq!(run.stdout, "", "{name}: podium {args:?} failed with output");
            one_line(&run.stderr);
        }
        // A chart is written by a run that succeeds, and only by one.
        let svg = args.iter().any(|a| a == "SVG").then(|| {
            if run.code == 0 {
                std::fs::read(&chart).unwrap_or_else(|e| {
                    panic!("{name}: podium {args:?} wrote no chart: {e} {run:?}")
                })
            } else {
                assert!(
                    !chart.exists(),
                    "{name}: podium {args:?} failed but wrote a chart"
                );
                Vec::new()
            }
        });
        match &first {
            None => first = Some((run, svg)),
            Some((expected, expected_svg)) => {
                let (name0, _) = &places[0];
                assert_eq!(
                    run.code, expected.code,
                    "podium {args:?}: exit code {name} {run:?} against {name0} {expected:?}"
                );
                same_text(
                    &normal(&run.stdout),
                    &normal(&expected.stdout),
                    &format!("podium {args:?}: stdout of {name} against {name0}"),
                );
                same_text(
                    &normal(&run.stderr),
                    &normal(&expected.stderr),
                    &format!("podium {args:?}: stderr of {name} against {name0}"),
                );
                assert!(
                    svg == *expected_svg,
                    "podium {args:?}: the chart of {name} differs from {name0}'s"
                );
            }
        }
    }
    first.expect("a place").0
}

/// Asserts equal texts, naming the first line that differs.
pub fn same_text(got: &str, expected: &str, what: &str) {
    if got == expected {
        return;
    }
    let (g, e): (Vec<&str>, Vec<&str>) = (got.lines().collect(), expected.lines().collect());
    let at = g
        .iter()
        .zip(&e)
        .position(|(a, b)| a != b)
        .unwrap_or(g.len().min(e.len()));
    panic!(
        "{what}: line {} differs ({} lines against {}):\n  got      {:?}\n  expected {:?}",
        at + 1,
        g.len(),
        e.len(),
        g.get(at),
        e.get(at)
    );
}

pub fn as_is(s: &str) -> String {
    s.to_owned()
}

/// Times masked, and digests (the chain covers recorded times).
pub fn without_times_and_digests(s: &str) -> String {
    let s = without_times(s);
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    for c in s.chars() {
        if c.is_ascii_hexdigit() && !c.is_ascii_uppercase() {
            run.push(c);
            continue;
        }
        out.push_str(if run.len() == 64 { "<digest>" } else { &run });
        run.clear();
        out.push(c);
    }
    out.push_str(if run.len() == 64 { "<digest>" } else { &run });
    out
}

/// `append membership --date 2024 --member MEMBER --organisation ORG
/// [--id ID]`: the one-event write these tests make most.
pub fn membership(member: &str, organisation: &str, id: Option<&str>) -> Vec<OsString> {
    let mut args = words(&[
        "append",
        "membership",
        "--date",
        "2024",
        "--member",
        member,
        "--organisation",
        organisation,
    ]);
    if let Some(id) = id {
        args.extend(words(&["--id", id]));
    }
    args
}

/// `revoke AWARD --date DATE --reason REASON [--id ID]`.
pub fn revoke(award: &str, date: &str, reason: &str, id: Option<&str>) -> Vec<String> {
    let mut args: Vec<String> = ["revoke", award, "--date", date, "--reason", reason]
        .map(str::to_owned)
        .into();
    if let Some(id) = id {
        args.extend(["--id".to_owned(), id.to_owned()]);
    }
    args
}

/// How many events `log --recorded-by NAME` lists.
pub fn recorded_by(ledger: &Ledger, name: &str) -> usize {
    ledger.ok(&["log", "--recorded-by", name]).lines().count()
}
