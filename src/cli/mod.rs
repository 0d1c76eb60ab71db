//! The `podium` command line: argument definitions and the dispatch of each
//! command to its module. Queries read the read model (`open::model`), which
//! never waits for a writer; `log`, `export`, `verify` and `athlete` read the
//! log; only `import`, `import-csv`, `append` and `revoke` write, and only
//! through `Ledger::append_all`.

mod answer;
mod by_sport;
mod charts;
mod delegation;
mod event;
mod facts;
mod follow;
mod history;
mod import;
mod logs;
mod medals;
mod open;
mod output;
mod records;
mod serve;
mod sports;
mod stdin;
mod tables;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use jiff::Timestamp;
use uuid::Uuid;

use crate::error::{Error, ErrorKind, Result};
use crate::event::{parse_date, parse_time, Movement, Season};
use crate::model::Series;
use crate::table::{Bounds, RankBy};
use open::open_ledger;

pub use answer::{answer, Source};
pub use charts::{chart, Chart};
pub use import::import_jsonl;
pub use output::Format;

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
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Import JSON Lines files, or folders of *.jsonl (in name order); `-` reads stdin.
    /// All or nothing: one bad line and nothing is written.
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// The medal table of one games, or with --all the all-time table over every games.
    Table {
        /// The games id (see podium games); omit with --all.
        #[arg(
            required_unless_present = "all",
            conflicts_with_all = ["all", "season", "movement"]
        )]
        games: Option<String>,
        /// The all-time table: every games' medals together (or those of --season, --movement).
        /// Predecessors and successors are listed apart (see delegation --lineage).
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        series: SeriesArgs,
        /// Only this sport's medals (case, accents and word order ignored; see podium sports).
        #[arg(long)]
        sport: Option<String>,
        #[command(flatten)]
        bounds: BoundArgs,
        /// gold: gold, then silver, then bronze (IOC). total: total, then gold, then silver.
        #[arg(long, value_enum, default_value_t = RankBy::Gold)]
        rank_by: RankBy,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The sports of one games: events and medals of each.
    Sports(sports::SportsArgs),
    /// The medallists of one games, by delegation, sport, event, athlete or colour.
    Medals(medals::MedalsArgs),
    /// One event's podium, and who held each medal as known at each time, with the reasons.
    Event(event::EventArgs),
    /// One delegation's rank in one games, and who shares it.
    Rank {
        games: String,
        noc: String,
        #[command(flatten)]
        bounds: BoundArgs,
        #[arg(long, value_enum, default_value_t = RankBy::Gold)]
        rank_by: RankBy,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
    /// List events, in log order.
    Log {
        /// Only events dated on or after this day.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Only events dated on or before this day.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Only events of this kind (medal_awarded, meeting_held, ...).
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, value_enum, default_value_t = LogFormat::Text)]
        format: LogFormat,
    },
    /// Write the whole log as JSON Lines, with seq and recorded (podium import reads it back).
    Export,
    /// Check the whole log (seq contiguity, every record, the hash chain) and print the head digest.
    Verify {
        /// Also confirm that this digest, published earlier, is a link of the chain.
        #[arg(long, value_name = "HEX")]
        digest: Option<String>,
        /// json: {"events", "digest", "confirmed"} (the digest given, when it is a link).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List the registered games in registration order: days, season, movement, awards.
    Games {
        #[command(flatten)]
        series: SeriesArgs,
        /// What the ledger had recorded by this time (RFC 3339, or a date: the end of that day, UTC). Default: everything recorded.
        #[arg(long, value_name = "TIME")]
        known_at: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Find a person by any spelling of their name (ignoring case and accents) and list their medals.
    Athlete {
        name: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// What a member (a country by code or name, a body, a person) belongs to on a day.
    Memberships {
        member: String,
        /// Default: today.
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Meetings between officials, optionally in a period and with someone.
    Meetings {
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// A participant's name (any spelling) or the body they represent.
        #[arg(long, value_name = "NAME")]
        with: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Judge every claim sources made: confirmed or contradicted by the ledger, or by other claims, or unverifiable.
    Check {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// A delegation's rank and medals on each day of a games, optionally as an SVG chart.
    History {
        games: String,
        noc: String,
        #[arg(long, value_name = "TIME")]
        known_at: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also write a chart of the rank by day (rank 1 at the top, medals won marked) to FILE.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
    },
    /// The leaders' standings after each day of a games.
    Race {
        games: String,
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=50))]
        top: u16,
        #[arg(long, value_name = "TIME")]
        known_at: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also write a chart of the final top N's medal totals by day to FILE.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
    },
    /// What changed in a games' table: between two dates (--from, --to), or in what was known
    /// about one date (--as-of with --known-at and --vs-known-at).
    Diff {
        games: String,
        #[arg(
            long,
            value_name = "DATE",
            requires = "to",
            conflicts_with = "vs_known_at"
        )]
        from: Option<String>,
        #[arg(long, value_name = "DATE", requires = "from")]
        to: Option<String>,
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// What was known (the earlier side when --vs-known-at is given). Default: everything recorded.
        #[arg(long, value_name = "TIME")]
        known_at: Option<String>,
        /// Compare with what was known at this time instead.
        #[arg(long, value_name = "TIME", requires = "known_at")]
        vs_known_at: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// A delegation across games: medals and rank per games, the successions that lead to it
    /// and on from it (URS -> EUN -> RUS), memberships and meetings.
    Delegation {
        noc: String,
        /// List the medals won under every code of its lineage (its predecessors and successors,
        /// link by link), each line with its code, and their sum.
        #[arg(long)]
        lineage: bool,
        /// sport: its medals per sport at each games and over all of them, instead.
        #[arg(long, value_enum, value_name = "WHAT")]
        by: Option<DelegationBy>,
        #[command(flatten)]
        series: SeriesArgs,
        #[command(flatten)]
        bounds: BoundArgs,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Serve the ledger over HTTP: the query commands under /api/ (the JSON of --format json),
    /// imports by POST /api/events (with the token), the log as pages and as a live stream,
    /// and the medal table page at /. Stops cleanly on SIGINT or SIGTERM.
    Serve {
        /// The address to listen on.
        #[arg(long, value_name = "ADDR", default_value = crate::serve::DEFAULT_LISTEN)]
        listen: std::net::SocketAddr,
        /// A file whose first line is the bearer token writes need (else $PODIUM_TOKEN;
        /// with neither, the server is read-only).
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
    },
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
    /// Import medals from a CSV file with the header date,games,sport,event,medal,noc,athletes
    /// (athletes separated by ';'). All or nothing; ids are derived from the row, so re-imports are no-ops.
    ImportCsv {
        path: PathBuf,
        /// A citation to attach to every medal.
        #[arg(long)]
        source: Option<String>,
    },
}

#[derive(Args, Debug, Clone)]
pub struct BoundArgs {
    /// Count facts dated on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Count facts the ledger had recorded by this time (RFC 3339, or a date: the end of that day, UTC). Default: everything recorded.
    #[arg(long, value_name = "TIME")]
    pub known_at: Option<String>,
}

impl BoundArgs {
    fn parse(&self) -> Result<Bounds> {
        Ok(Bounds {
            as_of: self.as_of.as_deref().map(parse_date).transpose()?,
            known_at: Some(match &self.known_at {
                Some(t) => parse_time(t)?,
                None => Timestamp::now(),
            }),
        })
    }
}

/// Which games a cross-games question takes, by the season and movement
/// their registrations give.
#[derive(Args, Debug, Clone)]
pub struct SeriesArgs {
    /// Only games of this season; games whose registration gives no season are left out.
    #[arg(long, value_parser = named_value::<Season>(&Season::ALL.map(Season::as_str)))]
    pub season: Option<Season>,
    /// Only games of this movement; games whose registration gives no movement are left out.
    #[arg(long, value_parser = named_value::<Movement>(&Movement::ALL.map(Movement::as_str)))]
    pub movement: Option<Movement>,
}

impl SeriesArgs {
    fn series(&self) -> Series {
        Series::of(self.season, self.movement)
    }
}

/// A clap parser of one of podium's named values (`--season summer`), listing them in `--help`.
fn named_value<T>(names: &[&'static str]) -> impl clap::builder::TypedValueParser<Value = T>
where
    T: std::str::FromStr<Err = Error> + Clone + Send + Sync + 'static,
{
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(names.iter().copied())
        .try_map(|s: String| s.parse::<T>())
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

/// How `delegation --by` breaks a delegation's medals down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DelegationBy {
    Sport,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Jsonl,
}

/// Runs a parsed command line, writing to `out`. A read model found damaged
/// by a query (a value that fails its checksum, a page LMDB refuses) is
/// rebuilt from the log and the command run again, unless it has already
/// written something.
///
/// # Errors
/// Any error of the command; main prints it as one line.
pub fn run(cli: Cli, out: &mut impl Write) -> Result<()> {
    let mut counted = output::Counted::new(&mut *out);
    match run_once(cli.clone(), &mut counted) {
        Err(e) if matches!(e.kind(), ErrorKind::Damaged(_)) && counted.written() == 0 => {
            open::rebuild_model(cli.ledger.as_deref(), &e)?;
            run_once(cli, out)
        }
        result => result,
    }
}

fn run_once(cli: Cli, out: &mut impl Write) -> Result<()> {
    let explicit = cli.ledger.as_deref();
    match cli.command {
        Command::Import { paths } => {
            let mut ledger = open_ledger(explicit, true)?;
            let appended = import::import(&mut ledger, &paths)?;
            import::print_appended(out, appended, &ledger)
        }
        Command::ImportCsv { path, source } => {
            let mut ledger = open_ledger(explicit, true)?;
            let appended = facts::import_csv(&mut ledger, &path, source.as_deref())?;
            import::print_appended(out, appended, &ledger)
        }
        Command::Append(cmd) => {
            let mut ledger = open_ledger(explicit, true)?;
            let incoming = records::append_event(cmd)?;
            import::append_one(&mut ledger, incoming, out)
        }
        Command::Revoke {
            award,
            date,
            reason,
            common,
        } => {
            let mut ledger = open_ledger(explicit, true)?;
            let award: Uuid = award
                .parse()
                .map_err(|_| Error::invalid(format!("award id {award:?} is not a UUID")))?;
            let incoming = records::incoming(
                &date,
                common,
                crate::event::Kind::MedalRevoked(crate::event::MedalRevoked { award, reason }),
            )?;
            import::append_one(&mut ledger, incoming, out)
        }
        Command::Serve { listen, token_file } => {
            let token = crate::serve::token(token_file.as_deref())?;
            let ledger = open_ledger(explicit, true)?;
            serve::serve(ledger, listen, token)
        }
        Command::Follow { url, from, once } => follow::follow(&url, from, once, out),
        Command::Generate { events, seed } => {
            crate::generate::generate(events, seed, out).map_err(output::out_err)
        }
        query => answer::answer(query, &answer::Local(explicit), out).map(|_| ()),
    }
}
