//! The README's examples hold. Every `$ podium ...` line of a ```` ```console ````
//! block in the sections about asking questions (up to "## Serving") is run
//! by bash in the repository, with this build's `podium` first on `PATH` and a
//! fresh default ledger (seeded with the bundled events on first use, as a
//! new user's is), and must print what the README shows under it. In the
//! README's output a line `...` stands for any number of lines, and a line
//! ending in `...` for any line that begins the same way. Commands that write
//! to the ledger or to a file are left out: they would change what the next
//! one prints.

mod common;

use std::path::Path;
use std::process::Command;

/// The part of the README whose examples are checked.
const CHECKED_UP_TO: &str = "\n## Serving";

/// Words that mark a command this test does not run.
const LEFT_OUT: [&str; 8] = [
    " append ", " revoke ", " import", " serve", "--svg", "--server", " follow ", " token ",
];

struct Example {
    line: usize,
    command: String,
    shown: Vec<String>,
}

/// The examples of `text`, each with its README line number.
fn examples(text: &str) -> Vec<Example> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let (mut i, mut console) = (0, false);
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with("```") {
            console = line.starts_with("```console");
            i += 1;
            continue;
        }
        if !(console && line.starts_with("$ podium")) {
            i += 1;
            continue;
        }
        let at = i + 1;
        let mut command = line[2..].to_owned();
        while let Some(head) = command.strip_suffix('\\') {
            i += 1;
            command = format!("{head}{}", lines[i].trim());
        }
        i += 1;
        let mut shown = Vec::new();
        while i < lines.len() && !lines[i].starts_with("$ ") && !lines[i].starts_with("```") {
            shown.push(lines[i].trim_end().to_owned());
            i += 1;
        }
        found.push(Example {
            line: at,
            command,
            shown,
        });
    }
    found
}

/// Whether `printed` is what `shown` shows, with its elisions.
fn matches(shown: &[String], printed: &[String]) -> bool {
    match shown.split_first() {
        None => printed.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=printed.len()).any(|skip| matches(rest, &printed[skip..]))
        }
        Some((first, rest)) => printed.split_first().is_some_and(|(line, after)| {
            let same = match first.strip_suffix("...") {
                Some(start) => line.starts_with(start.trim_end()),
                None => line == first,
            };
            same && matches(rest, after)
        }),
    }
}

#[test]
fn the_readmes_examples_print_what_it_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let checked = &readme[..readme.find(CHECKED_UP_TO).expect("a Serving section")];
    let bin_dir = Path::new(common::BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let home = tempfile::tempdir().unwrap();
    let ledger = home.path().join("ledger");
    // The default ledger, created and seeded as on a new user's first command.
    let seeded = Command::new(common::BIN)
        .arg("games")
        .env("PODIUM_LEDGER", &ledger)
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{seeded:?}");
    let mut ran = 0;
    let mut wrong = Vec::new();
    for example in examples(checked) {
        if LEFT_OUT.iter().any(|w| example.command.contains(w)) {
            continue;
        }
        let out = Command::new("bash")
            .args(["-c", &example.command])
            .current_dir(root)
            .env("PATH", &path)
            .env("PODIUM_LEDGER", &ledger)
            .env_remove("PODIUM_SERVER")
            .env_remove("PODIUM_TOKEN")
            .output()
            .expect("bash runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let printed: Vec<String> = text.lines().map(|l| l.trim_end().to_owned()).collect();
        if !matches(&example.shown, &printed) {
            wrong.push(format!(
                "README.md:{}: $ {}\n--- shown:\n{}\n--- printed:\n{}",
                example.line,
                example.command,
                example.shown.join("\n"),
                printed.join("\n")
            ));
        }
        ran += 1;
    }
    assert!(ran >= 30, "only {ran} examples found");
    assert!(
        wrong.is_empty(),
        "{} of {ran} README examples print something else:\n\n{}",
        wrong.len(),
        wrong.join("\n\n")
    );
}

#[test]
fn elisions_stand_for_what_they_say() {
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    assert!(matches(&s(&["a", "...", "d"]), &s(&["a", "b", "c", "d"])));
    assert!(matches(&s(&["a", "...", "d"]), &s(&["a", "d"])));
    assert!(!matches(&s(&["a", "...", "d"]), &s(&["a", "b"])));
    assert!(matches(
        &s(&["subject: The ..."]),
        &s(&["subject: The whole"])
    ));
    assert!(!matches(
        &s(&["subject: The ..."]),
        &s(&["subject: A whole"])
    ));
    assert!(!matches(&s(&["a"]), &s(&["a", "b"])));
}
