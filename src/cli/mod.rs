//! The `podium` command line: its arguments (the questions of
//! `crate::answer`, and the commands that write or follow), which ledger a
//! command works on, and the dispatch of each command. Questions are answered
//! by `answer::answer` from the ledger the command line names (`Local`);
//! only `import`, `import-csv`, `append` and `revoke` write, and only through
//! `Ledger::append_all`. `podium serve` is started by the binary, not here:
//! the command line and the server never call each other.

mod csv;
mod follow;
mod import;
mod open;
mod records;
mod remote;
mod stdin;
mod token;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use uuid::Uuid;

use crate::answer::{answer, out_err, Counted, Question, Source};
use crate::client::{Client, Local as ClientLocal};
use crate::error::{Error, ErrorKind, Result};
use crate::jsonl::Incoming;
use crate::ledger::{Ledger, Recorder};
use crate::log::LogReader;
use crate::model::Model;
pub use open::open_ledger;

pub use import::import_jsonl;

/// podium: an event-sourced results ledger for Olympic and Paralympic sport.
///
/// Every fact is an immutable, dated event in an append-only log; medal tables
/// are rebuilt from it for any date (--as-of) and any state of knowledge
/// (--known-at).
#[derive(Parser, Debug, Clone)]
#[command(name = "podium", version, about, long_about = None)]
pub struct Cli {
    /// The ledger directory. Default: $PODIUM_LEDGER, else podium/ledger in the
    /// user's data directory (created and seeded with the bundled events on first use).
    #[arg(long, global = true, value_name = "DIR")]
    pub ledger: Option<PathBuf>,
    /// Who records what this command writes, kept with every event it appends
    /// (default: the operating-system user). Through --server, the token's name does.
    #[arg(long = "as", global = true, value_name = "NAME")]
    pub recorder: Option<String>,
    /// Run the command against the podium server at URL (http:// or https://), not on
    /// a ledger of this machine.
    #[arg(long, global = true, value_name = "URL", env = "PODIUM_SERVER")]
    pub server: Option<String>,
    /// With --server: a file whose first line is the token writes need (else $PODIUM_TOKEN).
    /// For podium serve: the tokens it accepts (see podium serve --help).
    #[arg(long, global = true, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// With an https:// --server: trust the certificates in FILE (PEM) instead of the
    /// system's roots.
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
    /// The words of the command line after `podium`, as given (for a server).
    #[arg(skip)]
    pub words: Vec<String>,
}

#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    #[command(flatten)]
    Question(Question),
    /// Import JSON Lines files, or folders of *.jsonl (in name order); `-` reads stdin.
    /// All or nothing: one bad line and nothing is written.
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Append one event, stamped now. Prints its id.
    #[command(subcommand)]
    Append(AppendCommand),
    /// Revoke a medal award (a reallocation is a revocation plus a new award). Prints the revocation's id.
    Revoke {
        /// The id of the medal_awarded event.
        award: String,
        /// The day the revocation takes effect (may be earlier than today: a retroactive correction).
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Serve the ledger over HTTP: the query commands under /api/ (the JSON of --format json),
    /// imports by POST /api/events (with the token), the log as pages and as a live stream,
    /// and the medal table page at /. Stops cleanly on SIGINT or SIGTERM.
    Serve(ServeArgs),
    /// Follow a podium server's log: recompute its hash chain from every event received and
    /// write the events as JSON Lines (podium import reads them back). Resumes after a
    /// dropped connection; --once stops at the server's head and compares digests.
    Follow {
        /// The server, e.g. http://127.0.0.1:8024
        url: String,
        /// Start at this seq (default 1).
        #[arg(long, value_name = "SEQ", default_value_t = 1)]
        from: u64,
        /// Stop at the head the server had when followed, and check the digest it served.
        #[arg(long)]
        once: bool,
    },
    /// Write a deterministic synthetic world as JSON Lines on stdout (for benchmarks):
    /// games over a century, ~200 delegations, ~0.5% revocations. Same N and seed, same bytes.
    Generate {
        #[arg(long, value_name = "N")]
        events: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// The tokens of a served ledger (see podium serve --token-file).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Import medals from a CSV file with the header date,games,sport,event,medal,noc,athletes
    /// (athletes separated by ';'). All or nothing; ids are derived from the row, so re-imports are no-ops.
    ImportCsv {
        path: PathBuf,
        /// A citation to attach to every medal.
        #[arg(long)]
        source: Option<String>,
    },
}

/// The server a command goes to instead of the ledger's files: the one
/// `--server` (or `$PODIUM_SERVER`) names; else, for a command that needs the
/// log itself (a write, `verify --log`), the server that holds the ledger,
/// through its local socket. Questions read the model, which a server never
/// holds, so they stay local. `None`: run here.
///
/// # Errors
/// A bad URL or CA file; a token file that does not read; `--as` with
/// `--server`; a ledger held by another user's server.
fn server_for(cli: &Cli) -> Result<Option<Client>> {
    let runs_here = matches!(
        cli.command,
        Command::Serve(_) | Command::Follow { .. } | Command::Generate { .. } | Command::Token(_)
    );
    if runs_here {
        return Ok(None);
    }
    if let Some(url) = &cli.server {
        if cli.recorder.is_some() {
            return Err(Error::invalid(
                "--as names who records a write on this machine; through --server, the token's name does",
            ));
        }
        let token = client_token(cli.token_file.as_deref())?;
        return Client::remote(url, cli.ca_cert.as_deref(), token).map(Some);
    }
    let needs_the_log = match &cli.command {
        Command::Question(Question::Verify { log, .. }) => *log,
        Command::Question(_) => false,
        _ => true,
    };
    if !needs_the_log {
        return Ok(None);
    }
    let path = open::ledger_path(cli.ledger.as_deref())?;
    if !path.is_dir() || !crate::log::is_held(&path)? {
        return Ok(None);
    }
    match ClientLocal::of(&path) {
        ClientLocal::Served(socket) => {
            let recorder = crate::identity::recorder_name(cli.recorder.as_deref())?;
            Client::local(socket, recorder).map(Some)
        }
        ClientLocal::NotOurs(socket) => Err(Error::invalid(format!(
            "{} is held by another user's podium serve, whose socket {} is not yours to use",
            path.display(),
            socket.display()
        ))),
        // A server starting, or stopping, or killed: the log's lock says
        // when it is free (held_by_a_server names it if it is not).
        ClientLocal::Silent(_) | ClientLocal::None => Ok(None),
    }
}

/// The token a client presents: the first line of `file`, else `$PODIUM_TOKEN`.
///
/// # Errors
/// An unreadable or empty file.
fn client_token(file: Option<&Path>) -> Result<Option<String>> {
    match file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            let token = text.lines().next().unwrap_or_default().trim().to_owned();
            if token.is_empty() {
                return Err(Error::invalid(format!(
                    "{}: the token file is empty",
                    path.display()
                )));
            }
            Ok(Some(token))
        }
        None => Ok(std::env::var(crate::tokens::TOKEN_VAR)
            .ok()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())),
    }
}

/// A ledger still held once the wait is over names its holder when it is a
/// server (its socket is there, but does not answer).
fn held_by_a_server(explicit: Option<&Path>, e: Error) -> Error {
    if !matches!(e.kind(), ErrorKind::Busy(_)) {
        return e;
    }
    let Ok(path) = open::ledger_path(explicit) else {
        return e;
    };
    let socket = path.join(crate::client::SOCKET_NAME);
    if socket.exists() {
        return Error::new(ErrorKind::Served(format!(
            "ledger is in use by podium serve, whose socket {} does not answer (it is starting or \
             stopping); try again in a moment",
            socket.display()
        )));
    }
    e
}

/// The revocation `podium revoke` appends.
///
/// # Errors
/// An award id that is not a UUID; a bad date or flag.
fn revocation(award: &str, date: &str, reason: String, common: CommonArgs) -> Result<Incoming> {
    let award: Uuid = award
        .parse()
        .map_err(|_| Error::invalid(format!("award id {award:?} is not a UUID")))?;
    records::incoming(
        date,
        common,
        crate::event::Kind::MedalRevoked(crate::event::MedalRevoked { award, reason }),
    )
}

/// `podium token ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum TokenCommand {
    /// Make a token: a new secret, printed once on stdout; FILE gets its name, scopes and hash.
    Add {
        /// The token file (created with mode 0600 if missing).
        file: PathBuf,
        /// Its name: what the events it writes are recorded by.
        name: String,
        /// What it may do: read (a --private server's questions), append, revoke.
        #[arg(long = "scope", value_name = "SCOPE", required = true,
              value_parser = ["read", "append", "revoke"])]
        scopes: Vec<String>,
    },
}

/// The default address of `podium serve`: loopback, port 8024.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8024";

/// How `podium serve` serves. Every bound has a flag; the defaults suit a
/// server open to anyone (README "Serving"). The tokens it accepts are in
/// the global --token-file: lines NAME SCOPES blake3:HASH (podium token add
/// writes them), or one line holding one secret with every scope, read again
/// on SIGHUP; else $PODIUM_TOKEN (one secret); with neither, writes come only
/// through the local socket.
#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_LISTEN)]
    pub listen: std::net::SocketAddr,
    /// A private ledger: questions, pages and streams need a token with the read scope
    /// (the local socket excepted).
    #[arg(long)]
    pub private: bool,
    /// Serve HTTPS on --listen with this certificate chain (PEM); needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Seconds a client has to send a request's whole header.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = secs)]
    pub header_timeout: Duration,
    /// Seconds a connection with no request under way may stay silent (keep-alive).
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = secs)]
    pub idle_timeout: Duration,
    /// Seconds a client may leave an answer or a stream unread before it is dropped.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = secs)]
    pub write_timeout: Duration,
    /// Seconds a request body may send nothing (then 408).
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = secs)]
    pub body_idle_timeout: Duration,
    /// Seconds a request body may take in all (then 408).
    #[arg(long, value_name = "SECS", default_value = "120", value_parser = secs)]
    pub body_timeout: Duration,
    /// Bytes a request body may hold (then 413).
    #[arg(long, value_name = "BYTES", default_value_t = 256 << 20)]
    pub max_body_bytes: u64,
    /// Connections at once (kept under the open-file limit); at the limit the one idle
    /// longest (of those open a second or more) is closed for a new one, or the new one gets 503.
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: u64,
    /// Connections at once from one address (at its limit, a client makes room among its own
    /// only); behind a proxy, where all clients share its address, set it to --max-connections.
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections_per_address: u64,
    /// Event streams (/api/events/stream) and streamed answers (/api/log) at once; more get 503.
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_streams: u64,
    /// Threads answering questions (default: one per core, at least 2).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    pub workers: Option<u64>,
    /// Questions that may wait for a thread; more get 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..))]
    pub queue: u64,
    /// Seconds requests under way get to finish after SIGTERM before they are cut.
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = secs)]
    pub shutdown_timeout: Duration,
    /// Drop every kept answer at every commit, as podium 0.1 did: only the baseline of
    /// `cargo bench --bench serve_load` uses it.
    #[arg(long, hide = true)]
    pub forget_answers_on_commit: bool,
}

/// Seconds, fractions allowed, more than 0 and at most a day.
fn secs(text: &str) -> std::result::Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(secs > 0.0 && secs <= 86_400.0) {
        return Err(format!(
            "{text:?}: seconds are more than 0 and at most 86400"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// The ledger named on the command line (or the default one), opened for
/// one command.
pub struct Local<'a>(pub Option<&'a Path>);

impl Source for Local<'_> {
    fn model(&self) -> Result<Model> {
        open::model(self.0)
    }

    fn log(&self) -> Result<LogReader> {
        Ok(open_ledger(self.0, false)?.reader())
    }

    fn writes_files(&self) -> bool {
        true
    }

    fn article(&self, path: &str) -> Result<String> {
        read_article(path)
    }
}

/// An article from a file, or from stdin for `-`, bounded by `news::ARTICLE_BYTES_MAX`.
fn read_article(path: &str) -> Result<String> {
    use std::io::Read;
    let limit = crate::news::ARTICLE_BYTES_MAX as u64 + 1;
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("stdin", e))?;
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(|e| Error::io(path, e))?;
    }
    if bytes.len() as u64 >= limit {
        return Err(Error::invalid(format!(
            "{path}: the article is longer than {} bytes",
            crate::news::ARTICLE_BYTES_MAX
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::invalid(format!(
            "{path}: the article is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    /// A citation: publisher, title, date, URL.
    #[arg(long)]
    pub source: Option<String>,
    /// The event's id (default: a new UUID v7). Giving the same id again is a no-op.
    #[arg(long)]
    pub id: Option<String>,
}

#[derive(Subcommand, Debug, Clone)]
pub enum AppendCommand {
    /// A medal for one delegation (a team medal is one award, with all its athletes).
    Medal {
        #[arg(long)]
        games: String,
        /// The day of the final; FIRST/LAST (two days) when only the span it lies in is known.
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long)]
        sport: String,
        #[arg(long)]
        event: String,
        #[arg(long, value_parser = ["gold", "silver", "bronze"])]
        medal: String,
        #[arg(long)]
        noc: String,
        #[arg(long = "athlete", value_name = "NAME")]
        athletes: Vec<String>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// A meeting between officials.
    Meeting {
        #[arg(long, value_name = "DATE")]
        date: String,
        /// NAME[;ROLE[;BODY]], once per participant.
        #[arg(long = "participant", value_name = "NAME;ROLE;BODY", required = true)]
        participants: Vec<String>,
        #[arg(long)]
        place: String,
        #[arg(long)]
        subject: String,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// A membership beginning (or, with --ended, ending): a country in an organisation, a person in an office.
    Membership {
        /// DATE, or YYYY-MM / YYYY when only the month or year is known.
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long)]
        member: String,
        #[arg(long)]
        organisation: String,
        #[arg(long)]
        role: Option<String>,
        /// Record the end of the membership instead of its beginning.
        #[arg(long)]
        ended: bool,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// A games: its id, name, days and the delegations listed but not ranked.
    Games {
        #[arg(long)]
        games: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_name = "DATE")]
        opens: String,
        #[arg(long, value_name = "DATE")]
        closes: String,
        #[arg(long = "unranked", value_name = "NOC")]
        unranked: Vec<String>,
        #[command(flatten)]
        common: CommonArgs,
    },
}

/// Runs a parsed command line, writing to `out`. A read model found damaged
/// by a query (a value that fails its checksum, a page LMDB refuses) is
/// rebuilt from the log and the command run again, unless it has already
/// written something; found damaged again, it is rebuilt in a new file.
///
/// # Errors
/// Any error of the command; main prints it as one line.
pub fn run(cli: Cli, out: &mut impl Write) -> Result<()> {
    let explicit = cli.ledger.as_deref();
    match run_unless_damaged(&cli, out)? {
        None => Ok(()),
        Some(damaged) => {
            open::rebuild_model(explicit, &damaged)?;
            match run_unless_damaged(&cli, out)? {
                None => Ok(()),
                Some(damaged) => {
                    open::replace_model(explicit, &damaged)?;
                    run_once(cli, out)
                }
            }
        }
    }
}

/// Runs the command; `Some(error)` when it found the read model damaged
/// before it wrote anything (so that it may run again once rebuilt).
fn run_unless_damaged(cli: &Cli, out: &mut impl Write) -> Result<Option<Error>> {
    let mut counted = Counted::new(&mut *out);
    match run_once(cli.clone(), &mut counted) {
        Err(e) if matches!(e.kind(), ErrorKind::Damaged(_)) && counted.written() == 0 => {
            Ok(Some(e))
        }
        result => result.map(|()| None),
    }
}

fn run_once(cli: Cli, out: &mut impl Write) -> Result<()> {
    if let Some(client) = server_for(&cli)? {
        return remote::run(&client, cli.command, &cli.words, out);
    }
    let explicit = cli.ledger.as_deref();
    // The ledger a command writes, with its writes recorded by this user.
    let writing = || -> Result<Ledger> {
        let recorder = crate::identity::recorder_name(cli.recorder.as_deref())?;
        let mut ledger = open_ledger(explicit, true).map_err(|e| held_by_a_server(explicit, e))?;
        ledger.set_recorder(Recorder::Local(recorder));
        Ok(ledger)
    };
    match cli.command {
        Command::Import { paths } => {
            let mut ledger = writing()?;
            let appended = import::import(&mut ledger, &paths)?;
            import::print_appended(out, appended.new, appended.already, ledger.len())
        }
        Command::ImportCsv { path, source } => {
            let mut ledger = writing()?;
            let appended = csv::import_csv(&mut ledger, &path, source.as_deref())?;
            import::print_appended(out, appended.new, appended.already, ledger.len())
        }
        Command::Append(cmd) => {
            let mut ledger = writing()?;
            let incoming = records::append_event(cmd)?;
            import::append_one(&mut ledger, incoming, out)
        }
        Command::Revoke {
            award,
            date,
            reason,
            common,
        } => {
            let mut ledger = writing()?;
            let incoming = revocation(&award, &date, reason, common)?;
            import::append_one(&mut ledger, incoming, out)
        }
        Command::Serve(_) => Err(Error::internal(
            "podium serve is started by the binary, not by cli::run",
        )),
        Command::Follow { url, from, once } => {
            let token = client_token(cli.token_file.as_deref())?;
            let client = Client::remote(&url, cli.ca_cert.as_deref(), token)?;
            follow::follow(&client, from, once, out)
        }
        Command::Token(TokenCommand::Add { file, name, scopes }) => {
            token::add(&file, &name, &scopes, out)
        }
        Command::Generate { events, seed } => {
            crate::generate::generate(events, seed, out).map_err(out_err)
        }
        Command::Question(question) => answer(question, &Local(explicit), out).map(|_| ()),
    }
}
