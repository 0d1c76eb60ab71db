//! A command run against a server instead of the ledger's files: the server
//! at `--server URL`, or the one that holds the ledger (its local socket).
//! Questions go as the command line's own words and come back printed by the
//! server's `answer` (the same code as a local run); writes go as JSON Lines,
//! built here exactly as a local write builds its events, and are reported as
//! a local write reports them. So the output, and the one line of an error,
//! are the local command's.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::answer::Question;
use crate::client::{Body, Client, Lines};
use crate::error::{Error, Result};
use crate::jsonl::{self, Incoming};

use super::{csv, import, records, Command};

/// The global options, which the server has no use for: each takes a value.
const GLOBAL_OPTIONS: [&str; 5] = ["--ledger", "--server", "--token-file", "--ca-cert", "--as"];

/// Runs `command` (whose words after `podium` are `words`) against `client`.
///
/// # Errors
/// The server's error, as the command would have reported it locally.
pub(super) fn run(
    client: &Client,
    command: Command,
    words: &[String],
    out: &mut impl Write,
) -> Result<()> {
    match command {
        Command::Question(question) => ask(client, &question, &question_words(words), out),
        Command::Append(cmd) => write_one(client, records::append_event(cmd)?, out),
        Command::Revoke {
            award,
            date,
            reason,
            common,
        } => write_one(
            client,
            super::revocation(&award, &date, reason, common)?,
            out,
        ),
        Command::Import { paths } => {
            let files = import::import_files(&paths)?;
            let lines = Arc::new(Mutex::new(Lines::default()));
            let body = Files::new(files, Arc::clone(&lines));
            // The files' line counts are complete for every line the
            // server has read, which is every line it can name.
            let receipt = client.write(Body::Reader(Box::new(body)), &lines)?;
            import::print_appended(out, receipt.new, receipt.already, receipt.events)
        }
        Command::ImportCsv { path, source } => {
            let (body, lines) = csv_body(&path, source.as_deref())?;
            let receipt = client.write(Body::Bytes(body), &Mutex::new(lines))?;
            import::print_appended(out, receipt.new, receipt.already, receipt.events)
        }
        Command::Serve(_)
        | Command::Follow { .. }
        | Command::Generate { .. }
        | Command::Token(_) => Err(Error::internal("this command runs here, not on a server")),
    }
}

/// The question's words: the command line's, without the global options.
/// A `--svg FILE` is asked for apart: the server sends the chart, which is
/// written here.
fn ask(client: &Client, question: &Question, words: &[String], out: &mut impl Write) -> Result<()> {
    let svg = match question {
        Question::History { svg, .. } | Question::Race { svg, .. } => svg.clone(),
        _ => None,
    };
    let Some(file) = svg else {
        return client.question(words, out);
    };
    let without = without_option(words, "--svg");
    let mut chart = without.clone();
    chart.extend(["--svg".to_owned(), "-".to_owned()]);
    client.chart(&chart, &file)?;
    client.question(&without, out)
}

/// One event from the command line's flags, written as `append` reports it.
fn write_one(client: &Client, incoming: Incoming, out: &mut impl Write) -> Result<()> {
    let id = incoming.event.id;
    let mut line = Vec::new();
    jsonl::write_line(&mut line, &incoming.event, None).map_err(|e| Error::io("a request", e))?;
    let receipt = client.write(Body::Bytes(line), &Mutex::new(Lines::default()))?;
    let (_, seq) = receipt
        .last
        .ok_or_else(|| Error::internal("the server's receipt names no event"))?;
    import::print_one(out, id, seq, receipt.new == 1)
}

/// A CSV file's medals as JSON Lines, each on the line of its row (the other
/// lines are comments), so the server's line numbers are the file's.
fn csv_body(path: &Path, source: Option<&str>) -> Result<(Vec<u8>, Lines)> {
    let mut body = Vec::new();
    let mut line = 1u64;
    for row in csv::rows(path, source)? {
        let (origin, incoming) = row?;
        let at = origin.file.map_or(line, |(_, l)| l);
        while line < at {
            body.extend_from_slice(b"#\n");
            line += 1;
        }
        jsonl::write_line(&mut body, &incoming.event, None)
            .map_err(|e| Error::io("a request", e))?;
        line += 1;
    }
    let mut lines = Lines::default();
    lines.add(path.to_path_buf(), line - 1);
    Ok((body, lines))
}

/// The words of the command line without the global options (wherever
/// they are: clap takes them anywhere), up to a `--`.
fn question_words(words: &[String]) -> Vec<String> {
    let mut kept = Vec::with_capacity(words.len());
    let mut rest = words.iter();
    while let Some(word) = rest.next() {
        if word == "--" {
            kept.push(word.clone());
            kept.extend(rest.cloned());
            break;
        }
        if GLOBAL_OPTIONS.contains(&word.as_str()) {
            rest.next();
            continue;
        }
        if GLOBAL_OPTIONS
            .iter()
            .any(|o| word.strip_prefix(o).is_some_and(|r| r.starts_with('=')))
        {
            continue;
        }
        kept.push(word.clone());
    }
    kept
}

/// `words` without `option` and its value.
fn without_option(words: &[String], option: &str) -> Vec<String> {
    let mut kept = Vec::with_capacity(words.len());
    let mut rest = words.iter();
    while let Some(word) = rest.next() {
        if word == "--" {
            kept.push(word.clone());
            kept.extend(rest.cloned());
            break;
        }
        if word == option {
            rest.next();
        } else if !word
            .strip_prefix(option)
            .is_some_and(|r| r.starts_with('='))
        {
            kept.push(word.clone());
        }
    }
    kept
}

/// The files of an import read one after the other as one body, each ended
/// by a newline, counting each file's lines for the server's positions.
struct Files {
    files: std::vec::IntoIter<PathBuf>,
    current: Option<(PathBuf, Box<dyn BufRead + Send>, u64, bool)>,
    lines: Arc<Mutex<Lines>>,
    pending_newline: bool,
}

impl Files {
    fn new(files: Vec<PathBuf>, lines: Arc<Mutex<Lines>>) -> Files {
        Files {
            files: files.into_iter(),
            current: None,
            lines,
            pending_newline: false,
        }
    }

    /// Notes the current file's lines, once it has been read to its end.
    fn finish_current(&mut self) {
        if let Some((path, _, count, ended_with_newline)) = self.current.take() {
            // A last line without its newline is a line too; the newline
            // this body adds after it keeps the next file on lines of its own.
            let count = if ended_with_newline { count } else { count + 1 };
            self.pending_newline = !ended_with_newline;
            self.lines
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .add(path, count);
        }
    }
}

impl Read for Files {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.pending_newline && !buf.is_empty() {
                self.pending_newline = false;
                buf[0] = b'\n';
                return Ok(1);
            }
            if self.current.is_none() {
                let Some(path) = self.files.next() else {
                    return Ok(0);
                };
                let input: Box<dyn BufRead + Send> = if path.as_os_str() == "-" {
                    Box::new(std::io::BufReader::new(std::io::stdin()))
                } else {
                    let file = std::fs::File::open(&path).map_err(|e| {
                        std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
                    })?;
                    Box::new(std::io::BufReader::with_capacity(1 << 16, file))
                };
                // An empty file ends "with a newline": it adds no line.
                self.current = Some((path, input, 0, true));
            }
            let (_, input, count, ended) = self.current.as_mut().expect("set above");
            let n = input.read(buf)?;
            if n == 0 {
                self.finish_current();
                continue;
            }
            *count += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
            *ended = buf[n - 1] == b'\n';
            return Ok(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn global_options_are_not_the_servers() {
        assert_eq!(
            question_words(&words(
                "--server http://x table --ledger L paris-2024 --as=me --format text"
            )),
            words("table paris-2024 --format text")
        );
        assert_eq!(
            question_words(&words("athlete -- --server")),
            words("athlete -- --server")
        );
        assert_eq!(
            without_option(&words("history g AZE --svg out.svg --format json"), "--svg"),
            words("history g AZE --format json")
        );
    }

    #[test]
    fn files_are_one_body_and_each_line_is_counted() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.jsonl");
        let b = dir.path().join("b.jsonl");
        std::fs::write(&a, "1\n2\n3").unwrap();
        std::fs::write(&b, "4\n5\n").unwrap();
        let lines = Arc::new(Mutex::new(Lines::default()));
        let mut body = String::new();
        Files::new(vec![a.clone(), b.clone()], Arc::clone(&lines))
            .read_to_string(&mut body)
            .unwrap();
        assert_eq!(body, "1\n2\n3\n4\n5\n");
        let lines = lines.lock().unwrap();
        assert_eq!(
            format!("{lines:?}"),
            format!("{:?}", {
                let mut l = Lines::default();
                l.add(a, 3);
                l.add(b, 2);
                l
            })
        );
    }
}
