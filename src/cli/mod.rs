//! The `podium` command line: argument definitions and one function per
//! command. Commands read the ledger through `log` and compute answers with
//! the projections; only `import`, `append` and `revoke` write, and only
//! through `Ledger::append_all`.

mod facts;
mod history;
mod output;
mod records;

use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use jiff::Timestamp;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::event::{parse_date, parse_time, Day, GamesId, Noc};
use crate::jsonl::{self, Incoming};
use crate::log::{Appended, Ledger, Origin};
use crate::pipeline::read_ahead;
use crate::table::{standing, Bounds, RankBy};
use output::{cell, out_err, text_table, Align, Format};

/// podium: an event-sourced results ledger for Olympic and Paralympic sport.
///
/// Every fact is an immutable, dated event in an append-only log; medal tables
/// are rebuilt from it for any date (--as-of) and any state of knowledge
/// (--known-at).
#[derive(Parser, Debug)]
#[command(name = "podium", version, about, long_about = None)]
pub struct Cli {
    /// The ledger directory. Default: $PODIUM_LEDGER, else podium/ledger in the
    /// user's data directory (created and seeded with the bundled events on first use).
    #[arg(long, global = true, value_name = "DIR")]
    pub ledger: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
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
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        games: Option<String>,
        /// The all-time table: every games' medals together.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        bounds: BoundArgs,
        /// gold: gold, then silver, then bronze (IOC). total: total, then gold, then silver.
        #[arg(long, value_enum, default_value_t = RankBy::Gold)]
        rank_by: RankBy,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
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
    },
    /// List the registered games.
    Games,
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
    /// A delegation across games: medals and rank per games, memberships and meetings.
    Delegation {
        noc: String,
        #[command(flatten)]
        bounds: BoundArgs,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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

#[derive(Args, Debug)]
pub struct BoundArgs {
    /// Count facts dated on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Count facts the ledger had recorded by this time (RFC 3339, or a date: the end of that day, UTC). Default: everything recorded.
    #[arg(long, value_name = "TIME")]
    pub known_at: Option<String>,
}

/// Bounds with no as-of date: a command that walks the days itself.
fn known_only(known_at: Option<String>) -> Result<Bounds> {
    BoundArgs {
        as_of: None,
        known_at,
    }
    .parse()
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

#[derive(Args, Debug)]
pub struct CommonArgs {
    /// A citation: publisher, title, date, URL.
    #[arg(long)]
    pub source: Option<String>,
    /// The event's id (default: a new UUID v7). Giving the same id again is a no-op.
    #[arg(long)]
    pub id: Option<String>,
}

#[derive(Subcommand, Debug)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Jsonl,
}

/// The default ledger: $PODIUM_LEDGER, else podium/ledger in the user's data directory.
fn default_ledger() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("PODIUM_LEDGER").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    dirs::data_dir()
        .map(|d| d.join("podium").join("ledger"))
        .ok_or_else(|| {
            Error::invalid(
                "no data directory for a default ledger: give --ledger DIR or set PODIUM_LEDGER",
            )
        })
}

/// The directory of the ledger the command names.
fn ledger_path(explicit: Option<&Path>) -> Result<PathBuf> {
    match explicit {
        Some(path) => Ok(path.to_path_buf()),
        None => default_ledger(),
    }
}

/// One games' medal table, or the all-time table when `games` is `None`:
/// from the tables store alone when it is current (the log's database is
/// large, and opening it is most of the time such a query takes), else
/// through the `Ledger`.
fn medal_table(
    explicit: Option<&Path>,
    games: Option<&GamesId>,
    bounds: Bounds,
    by: RankBy,
) -> Result<Vec<crate::table::Row>> {
    if let Some(rows) = crate::query::table_without_log(&ledger_path(explicit)?, games, bounds, by)?
    {
        return Ok(rows);
    }
    let ledger = open_ledger(explicit, false)?;
    match games {
        Some(games) => crate::query::games_table(&ledger, games, bounds, by),
        None => crate::query::all_time_table(&ledger, bounds, by),
    }
}

/// A games' tables day by day: from the tables store alone when it can
/// answer and no fold is needed, else from a fold of the log.
fn games_days(
    explicit: Option<&Path>,
    games: &GamesId,
    bounds: Bounds,
    fold_needed: bool,
) -> Result<history::GamesDays> {
    if !fold_needed {
        if let Some(days) = history::GamesDays::from_tables(&ledger_path(explicit)?, games, bounds)?
        {
            return Ok(days);
        }
    }
    let ledger = open_ledger(explicit, false)?;
    Ok(history::GamesDays::Fold(history::fold_games(
        &ledger, games, bounds,
    )?))
}

/// Opens the ledger the command names. A missing default ledger is created
/// and seeded with the bundled events; a missing explicit one is created
/// (empty) only for commands that write.
fn open_ledger(explicit: Option<&Path>, writes: bool) -> Result<Ledger> {
    if let Some(path) = explicit {
        return Ledger::open(path, writes);
    }
    let path = default_ledger()?;
    if path.exists() {
        return Ledger::open(&path, writes);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut ledger = Ledger::open(&path, true)?;
    let appended = import_seed(&mut ledger)?;
    eprintln!(
        "podium: created {} and seeded it with {} bundled events",
        path.display(),
        appended.new
    );
    Ok(ledger)
}

/// Imports the bundled events/ files.
///
/// # Errors
/// As `Ledger::append_all`.
pub fn import_seed(ledger: &mut Ledger) -> Result<Appended> {
    let readers = crate::seed::FILES.iter().map(|(name, text)| {
        Ok(jsonl::Reader::new(
            text.as_bytes(),
            Path::new("events").join(name),
        ))
    });
    append_jsonl(ledger, readers, || {})
}

/// What `podium import PATH...` does: the files (folders as their *.jsonl in
/// name order, `-` for stdin) read as one atomic append. `read` is called for
/// each event read.
///
/// # Errors
/// An unreadable file, with its path; otherwise as `Ledger::append_all`.
pub fn import_jsonl(
    ledger: &mut Ledger,
    paths: &[PathBuf],
    read: impl FnMut(),
) -> Result<Appended> {
    let readers = import_files(paths)?.into_iter().map(|path| {
        let input: Box<dyn std::io::BufRead + Send> = if path.as_os_str() == "-" {
            Box::new(BufReader::new(std::io::stdin()))
        } else {
            let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
            Box::new(BufReader::with_capacity(1 << 16, file))
        };
        Ok(jsonl::Reader::new(input, path))
    });
    append_jsonl(ledger, readers, read)
}

/// Appends the events of JSON Lines readers, parsed on a second thread
/// (`pipeline::read_ahead`) while this one validates and writes.
fn append_jsonl<R: std::io::BufRead + Send>(
    ledger: &mut Ledger,
    readers: impl Iterator<Item = Result<jsonl::Reader<R>>> + Send,
    mut read: impl FnMut(),
) -> Result<Appended> {
    read_ahead(events_of(readers), |events| {
        ledger.append_all(events.inspect(|_| read()))
    })
}

/// The events of several JSON Lines readers in turn, each with its file and
/// line; stops at the first error (an import stops there anyway).
fn events_of<R: std::io::BufRead>(
    mut readers: impl Iterator<Item = Result<jsonl::Reader<R>>>,
) -> impl Iterator<Item = Result<(Origin, Incoming)>> {
    let mut current: Option<jsonl::Reader<R>> = None;
    let mut failed = false;
    std::iter::from_fn(move || loop {
        if failed {
            return None;
        }
        if current.is_none() {
            match readers.next()? {
                Ok(reader) => current = Some(reader),
                Err(e) => {
                    failed = true;
                    return Some(Err(e));
                }
            }
        }
        let reader = current.as_mut().expect("set above");
        match reader.next_event() {
            Ok(Some((line, incoming))) => {
                return Some(Ok((Origin::at(reader.shared_path(), line), incoming)))
            }
            Ok(None) => current = None,
            Err(e) => {
                failed = true;
                return Some(Err(e));
            }
        }
    })
}

/// What an import reports: new events, events already there, the total.
fn print_appended(out: &mut impl Write, appended: Appended, ledger: &Ledger) -> Result<()> {
    writeln!(
        out,
        "{} new, {} already recorded; {} events in the ledger",
        appended.new,
        appended.already,
        ledger.len()
    )
    .map_err(out_err)
}

/// Runs a parsed command line, writing to `out`.
///
/// # Errors
/// Any error of the command; main prints it as one line.
pub fn run(cli: Cli, out: &mut impl Write) -> Result<()> {
    let explicit = cli.ledger.as_deref();
    match cli.command {
        Command::Import { paths } => {
            let mut ledger = open_ledger(explicit, true)?;
            let appended = import(&mut ledger, &paths)?;
            print_appended(out, appended, &ledger)
        }
        Command::Table {
            games,
            all,
            bounds,
            rank_by,
            format,
        } => {
            let games: Option<GamesId> = match (games, all) {
                (Some(games), false) => Some(games.parse()?),
                _ => None,
            };
            let rows = medal_table(explicit, games.as_ref(), bounds.parse()?, rank_by)?;
            print_table(out, &rows, format)
        }
        Command::Rank {
            games,
            noc,
            bounds,
            rank_by,
            format,
        } => {
            let noc: Noc = noc.parse()?;
            let games: GamesId = games.parse()?;
            let table = medal_table(explicit, Some(&games), bounds.parse()?, rank_by)?;
            let s = standing(&table, noc);
            match format {
                Format::Json => output::json(out, &s),
                Format::Text | Format::Csv => {
                    let rank = match s.rank {
                        Some(r) if s.tied_with.is_empty() => format!("rank {r}"),
                        Some(r) => {
                            let tied: Vec<String> =
                                s.tied_with.iter().map(Noc::to_string).collect();
                            format!("rank {r} (tied with {})", tied.join(", "))
                        }
                        None if s.total > 0 => "unranked".to_owned(),
                        None => "no medals".to_owned(),
                    };
                    writeln!(
                        out,
                        "{noc} in {games}: {rank}; {} gold, {} silver, {} bronze, {} total",
                        s.gold, s.silver, s.bronze, s.total
                    )
                    .map_err(out_err)
                }
            }
        }
        Command::Append(cmd) => {
            let mut ledger = open_ledger(explicit, true)?;
            let incoming = records::append_event(cmd)?;
            append_one(&mut ledger, incoming, out)
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
            append_one(&mut ledger, incoming, out)
        }
        Command::Log {
            from,
            to,
            kind,
            format,
        } => {
            let ledger = open_ledger(explicit, false)?;
            let from = from.as_deref().map(parse_date).transpose()?;
            let to = to.as_deref().map(parse_date).transpose()?;
            if let Some(k) = &kind {
                if !crate::event::Kind::NAMES.contains(&k.as_str()) {
                    return Err(Error::invalid(format!(
                        "unknown kind {k:?} (one of {})",
                        crate::event::Kind::NAMES.join(", ")
                    )));
                }
            }
            for r in ledger.iter() {
                let r = r?;
                if from.is_some_and(|d| r.event.date.last() < d)
                    || to.is_some_and(|d| r.event.date.first() > d)
                    || kind.as_deref().is_some_and(|k| r.event.kind.name() != k)
                {
                    continue;
                }
                match format {
                    LogFormat::Jsonl => jsonl::write_recorded(out, &r).map_err(out_err)?,
                    LogFormat::Text => writeln!(
                        out,
                        "{:>6}  {:<10}  {}  {:<16}  {}",
                        r.seq,
                        r.event.date.to_string(),
                        r.recorded.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        r.event.kind.name(),
                        records::summary(&r.event)
                    )
                    .map_err(out_err)?,
                }
            }
            Ok(())
        }
        Command::Export => {
            let ledger = open_ledger(explicit, false)?;
            for r in ledger.iter() {
                jsonl::write_recorded(out, &r?).map_err(out_err)?;
            }
            Ok(())
        }
        Command::Verify { digest } => {
            let ledger = open_ledger(explicit, false)?;
            if let Some(d) = &digest {
                if d.len() != 64 || !d.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(Error::invalid(format!(
                        "digest {d:?} is not 64 hex characters"
                    )));
                }
            }
            let v = ledger.verify(digest.as_deref())?;
            writeln!(out, "ok: {} events, head digest {}", v.events, v.digest).map_err(out_err)?;
            if let Some(d) = digest {
                writeln!(
                    out,
                    "digest {} is a link of the chain",
                    d.to_ascii_lowercase()
                )
                .map_err(out_err)?;
            }
            Ok(())
        }
        Command::Games => {
            let ledger = open_ledger(explicit, false)?;
            games(&ledger, out)
        }
        Command::Athlete { name, format } => {
            let ledger = open_ledger(explicit, false)?;
            facts::athlete(&ledger, &name, format, out)
        }
        Command::Memberships {
            member,
            as_of,
            format,
        } => {
            let ledger = open_ledger(explicit, false)?;
            let as_of = match as_of {
                Some(d) => parse_date(&d)?,
                None => jiff::Zoned::now().date(),
            };
            facts::memberships(&ledger, &member, as_of, format, out)
        }
        Command::Meetings {
            from,
            to,
            with,
            format,
        } => {
            let ledger = open_ledger(explicit, false)?;
            let from = from.as_deref().map(parse_date).transpose()?;
            let to = to.as_deref().map(parse_date).transpose()?;
            facts::meetings(&ledger, from, to, with.as_deref(), format, out)
        }
        Command::Check { format } => {
            let ledger = open_ledger(explicit, false)?;
            facts::check(&ledger, format, out)
        }
        Command::History {
            games,
            noc,
            known_at,
            format,
            svg,
        } => {
            let games: GamesId = games.parse()?;
            let source = games_days(explicit, &games, known_only(known_at)?, svg.is_some())?;
            history::history(&source, &games, noc.parse()?, format, svg.as_deref(), out)
        }
        Command::Race {
            games,
            top,
            known_at,
            svg,
        } => {
            let games: GamesId = games.parse()?;
            let source = games_days(explicit, &games, known_only(known_at)?, false)?;
            history::race(&source, &games, usize::from(top), svg.as_deref(), out)
        }
        Command::Diff {
            games,
            from,
            to,
            as_of,
            known_at,
            vs_known_at,
            format,
        } => {
            let ledger = open_ledger(explicit, false)?;
            let games: GamesId = games.parse()?;
            let date = |d: Option<String>| d.as_deref().map(parse_date).transpose();
            if let Some(vs) = vs_known_at {
                let before = known_only(known_at)?;
                let after = known_only(Some(vs))?;
                let as_of = date(as_of)?;
                let (b, a) = (
                    history::fold_games(&ledger, &games, before)?,
                    history::fold_games(&ledger, &games, after)?,
                );
                history::diff(
                    history::Side { fold: &b, as_of },
                    history::Side { fold: &a, as_of },
                    format,
                    out,
                )
            } else {
                let (Some(from), Some(to)) = (date(from)?, date(to)?) else {
                    return Err(Error::invalid("diff needs --from DATE --to DATE, or --as-of DATE --known-at TIME --vs-known-at TIME"));
                };
                let bounds = known_only(known_at)?;
                let fold = history::fold_games(&ledger, &games, bounds)?;
                history::diff(
                    history::Side {
                        fold: &fold,
                        as_of: Some(from),
                    },
                    history::Side {
                        fold: &fold,
                        as_of: Some(to),
                    },
                    format,
                    out,
                )
            }
        }
        Command::Delegation {
            noc,
            bounds,
            format,
        } => {
            let ledger = open_ledger(explicit, false)?;
            history::delegation(&ledger, noc.parse()?, bounds.parse()?, format, out)
        }
        Command::Generate { events, seed } => {
            crate::generate::generate(events, seed, out).map_err(out_err)
        }
        Command::ImportCsv { path, source } => {
            let mut ledger = open_ledger(explicit, true)?;
            let appended = facts::import_csv(&mut ledger, &path, source.as_deref())?;
            print_appended(out, appended, &ledger)
        }
    }
}

/// Expands the paths of an import: files as given, folders as their *.jsonl in name order.
fn import_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            files.push(path.clone());
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| Error::io(path, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl") && p.is_file())
                .collect();
            inner.sort();
            files.extend(inner);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Imports files atomically, as one append, with a progress line.
fn import(ledger: &mut Ledger, paths: &[PathBuf]) -> Result<Appended> {
    let mut progress = Progress::new();
    let result = import_jsonl(ledger, paths, || progress.tick());
    progress.finish();
    result
}

/// A one-line progress report with a rate on stderr, only when stderr is a terminal.
struct Progress {
    shown: bool,
    started: std::time::Instant,
    events: u64,
}

impl Progress {
    /// Events between two reports.
    const EVERY: u64 = 50_000;

    fn new() -> Progress {
        use std::io::IsTerminal;
        Progress {
            shown: std::io::stderr().is_terminal(),
            started: std::time::Instant::now(),
            events: 0,
        }
    }

    fn tick(&mut self) {
        self.events += 1;
        if self.shown && self.events.is_multiple_of(Self::EVERY) {
            let seconds = self.started.elapsed().as_secs_f64().max(1e-9);
            eprint!(
                "\rpodium: read {} events, {:.0} events/s",
                self.events,
                self.events as f64 / seconds
            );
        }
    }

    fn finish(&self) {
        if self.shown && self.events >= Self::EVERY {
            // Clear the progress line before the summary.
            eprint!("\r\x1b[2K");
        }
    }
}

fn append_one(ledger: &mut Ledger, incoming: Incoming, out: &mut impl Write) -> Result<()> {
    let id = incoming.event.id;
    let (seq, new) = ledger.append(incoming)?;
    if !new {
        eprintln!("podium: {id} is already recorded (seq {seq}); nothing written");
    }
    writeln!(out, "{id}").map_err(out_err)
}

fn print_table(out: &mut impl Write, rows: &[crate::table::Row], format: Format) -> Result<()> {
    match format {
        Format::Json => output::json(out, &rows),
        Format::Csv => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.rank.map(|r| r.to_string()).unwrap_or_default(),
                        r.noc.to_string(),
                        r.name.clone().unwrap_or_default(),
                        r.gold.to_string(),
                        r.silver.to_string(),
                        r.bronze.to_string(),
                        r.total.to_string(),
                    ]
                })
                .collect();
            output::csv(
                out,
                &["rank", "noc", "name", "gold", "silver", "bronze", "total"],
                &cells,
            )
        }
        Format::Text => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        cell(r.rank),
                        r.noc.to_string(),
                        r.name.clone().unwrap_or_default(),
                        r.gold.to_string(),
                        r.silver.to_string(),
                        r.bronze.to_string(),
                        r.total.to_string(),
                    ]
                })
                .collect();
            use Align::{Left, Right};
            text_table(
                out,
                &["rank", "noc", "name", "gold", "silver", "bronze", "total"],
                &[Right, Left, Left, Right, Right, Right, Right],
                &cells,
            )
        }
    }
}

fn games(ledger: &Ledger, out: &mut impl Write) -> Result<()> {
    use std::collections::BTreeMap;
    let mut registered: Vec<(Day, crate::event::GamesRegistered)> = Vec::new();
    let mut medals: BTreeMap<GamesId, u64> = BTreeMap::new();
    for r in ledger.iter() {
        let r = r?;
        match r.event.kind {
            crate::event::Kind::GamesRegistered(mut g) => {
                // The delegations' names are not listed: keep memory to what is.
                g.delegations.clear();
                registered.push((r.event.date, g));
            }
            crate::event::Kind::MedalAwarded(m) => *medals.entry(m.games).or_default() += 1,
            _ => {}
        }
    }
    let rows: Vec<Vec<String>> = registered
        .iter()
        .map(|(opens, g)| {
            let unranked: Vec<String> = g.unranked.iter().map(Noc::to_string).collect();
            vec![
                g.games.to_string(),
                g.name.clone(),
                opens.to_string(),
                g.closes.to_string(),
                medals.get(&g.games).copied().unwrap_or(0).to_string(),
                unranked.join(" "),
            ]
        })
        .collect();
    use Align::{Left, Right};
    text_table(
        out,
        &["games", "name", "opens", "closes", "awards", "unranked"],
        &[Left, Left, Left, Left, Right, Left],
        &rows,
    )
}
