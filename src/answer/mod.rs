//! Answering questions: the query commands (`table`, `rank`, `history`,
//! `log`, `verify`, ...), their arguments as `clap` defines them (`Question`),
//! and `answer`, which answers one from a `Source` and prints it as text, JSON
//! or CSV. The command line, the server and the remote client all come here:
//! a question asked on the command line, over HTTP or through a local server
//! is parsed by the same definitions and printed by the same code, so their
//! answers cannot differ. Nothing here writes to the ledger, and nothing here
//! knows which front end asked.

mod athlete;
mod by_sport;
mod charts;
mod delegation;
mod entries;
mod event;
mod facts;
mod history;
mod logs;
mod medals;
pub mod news;
mod output;
mod sports;
mod tables;

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use jiff::Timestamp;

use crate::error::{Error, Result};
use crate::event::{parse_date, parse_time, GamesId, Movement, Season};
use crate::model::Series;
use crate::table::RankBy;

use crate::log::LogReader;
use crate::model::{Model, View};
use crate::query;
use crate::record::Head;
use crate::table::Bounds;
pub use charts::{chart, Chart};
pub use logs::print_verified;
pub use output::{out_err, Counted, Format};

/// A question podium answers: every command that reads the ledger and
/// writes nothing. `cli::Command` takes them as its own subcommands.
#[derive(Subcommand, Debug, Clone)]
pub enum Question {
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
    /// Who took part in one games: athletes by name and sport, or entrants counted per sport.
    Entries(entries::EntriesArgs),
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
        /// Only events recorded by this name (a token's name, a user's, or --as NAME).
        #[arg(long, value_name = "NAME")]
        recorded_by: Option<String>,
        /// At most this many events (of those the filters keep).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        limit: Option<u64>,
        #[arg(long, value_enum, default_value_t = LogFormat::Text)]
        format: LogFormat,
    },
    /// Write the whole log as JSON Lines, with seq and recorded (podium import reads it back).
    Export,
    /// Check the whole log (seq contiguity, every record, the hash chain) and print the head digest.
    /// Reads the read model's copy of the log, a snapshot that never waits for a writer.
    Verify {
        /// Also confirm that this digest, published earlier, is a link of the chain.
        #[arg(long, value_name = "HEX")]
        digest: Option<String>,
        /// Also walk the log itself (its blocks, stored links and id index) and compare: this
        /// needs the log, so without a server it waits for a writer, and needs room to open.
        #[arg(long)]
        log: bool,
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
    /// With --text, read an article instead: find every figure it claims and judge each; nothing is recorded.
    Check {
        /// An article to read (a file, or - for stdin; plain text or HTML, at most 1 MiB).
        #[arg(long, value_name = "FILE")]
        text: Option<String>,
        /// The article's publication day (default: the one it states: a first line `date YYYY-MM-DD`,
        /// or the page's article:published_time, datePublished or <time datetime>).
        #[arg(long, value_name = "DATE", requires = "text")]
        published: Option<String>,
        /// json: with --text, per claim check's fields and `quote`, `span` ({start, end}, characters of
        /// the input), `words` and `table` ({games, as_of, known_at}: the table it was judged against).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write an article's claims, and the memberships it states, as JSON Lines for podium import
    /// (ids derived from what each says, so a second import adds nothing). Review before importing.
    Extract {
        /// The article (a file, or - for stdin; plain text or HTML).
        file: String,
        /// Who published it: the citation's first part.
        #[arg(long)]
        publisher: String,
        /// Its publication day (default: the one it states).
        #[arg(long, value_name = "DATE")]
        published: Option<String>,
        /// Its address, last in the citation.
        #[arg(long)]
        url: Option<String>,
        /// Its title, in the citation.
        #[arg(long)]
        title: Option<String>,
        /// The ids' scope: each id is a UUID v5 over `{type}|{SCOPE}|{what it says}`
        /// (default: the publisher and the day).
        #[arg(long, value_name = "SCOPE")]
        id_scope: Option<String>,
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

/// A question as a command line (`podium table paris-2024 --format json`),
/// for the front ends that receive questions as text: the server's requests
/// and pages. The same definitions as the command line's own.
#[derive(Parser, Debug, Clone)]
#[command(name = "podium")]
pub struct Asked {
    #[command(subcommand)]
    pub question: Question,
}

thread_local! {
    /// The questions' definitions, built once per thread: building them
    /// takes about 50 µs, parsing a command line with them about 5 µs.
    static QUESTIONS: RefCell<clap::Command> = RefCell::new({
        let mut commands = Asked::command();
        commands.build();
        commands
    });
}

/// Parses a question's command line (`argv[0]` is the program's name).
///
/// # Errors
/// clap's, as the command line would report it.
pub fn parse(argv: &[String]) -> std::result::Result<Question, clap::Error> {
    QUESTIONS.with_borrow_mut(|commands| {
        let matches = commands.try_get_matches_from_mut(argv)?;
        Asked::from_arg_matches(&matches).map(|asked| asked.question)
    })
}

/// Where query commands read.
pub trait Source {
    /// The read model, current with the log's last commit.
    ///
    /// # Errors
    /// When the ledger cannot be opened.
    fn model(&self) -> Result<Model>;

    /// The committed log, for the commands that read it (`log`, `export`,
    /// `verify`, `athlete`).
    ///
    /// # Errors
    /// When the ledger cannot be opened.
    fn log(&self) -> Result<LogReader>;

    /// Whether `--svg FILE` may write a file: only for the command line.
    fn writes_files(&self) -> bool;

    /// The text of the article a question names (`check --text FILE`,
    /// `extract FILE`): only the command line reads files.
    ///
    /// # Errors
    /// Always, unless the front end reads files; then its I/O errors.
    fn article(&self, path: &str) -> Result<String> {
        Err(Error::invalid(format!(
            "{path:?}: an article is read from a file only by the command line \
             (the server takes it as the body of POST /api/check/text)"
        )))
    }
}

/// Bounds with no as-of date: a command that walks the days itself.
fn known_only(known_at: Option<String>) -> Result<Bounds> {
    BoundArgs {
        as_of: None,
        known_at,
    }
    .parse()
}

fn date(d: Option<String>) -> Result<Option<jiff::civil::Date>> {
    d.as_deref().map(parse_date).transpose()
}

/// Writes an SVG chart to the file `--svg` names.
fn write_chart(source: &impl Source, path: &Path, chart: &str) -> Result<()> {
    if !source.writes_files() {
        return Err(Error::invalid(
            "svg: charts are written to files only by the command line",
        ));
    }
    std::fs::write(path, chart).map_err(|e| Error::io(path, e))
}

/// Runs `f` on one snapshot of `source`'s read model; the head it reflects.
fn with_view(
    source: &impl Source,
    f: impl FnOnce(&View<'_>) -> Result<()>,
) -> Result<Option<Head>> {
    let model = source.model()?;
    let view = model.view()?;
    f(&view)?;
    Ok(view.head())
}

/// Answers one query command from `source`, writing it to `out`. Returns the
/// log head the answer reflects (`None`: an empty ledger).
///
/// # Errors
/// A bad argument (`Invalid`), an unknown games, delegation or athlete, a
/// ledger that cannot be read; `Invalid` for a command that writes.
pub fn answer(
    question: Question,
    source: &impl Source,
    out: &mut impl std::io::Write,
) -> Result<Option<Head>> {
    match question {
        Question::Table {
            games,
            all,
            series,
            sport,
            bounds,
            rank_by,
            format,
        } => {
            let bounds = bounds.parse()?;
            with_view(source, |view| {
                match (games, all) {
                    (games, _) if sport.is_some() => {
                        let sport = sport.as_deref().unwrap_or_default();
                        let rows = match games {
                            Some(games) => crate::sports::sport_table(
                                view,
                                &games.parse()?,
                                sport,
                                bounds,
                                rank_by,
                            )?,
                            None => crate::sports::all_time_sport_table(
                                view,
                                series.series(),
                                sport,
                                bounds,
                                rank_by,
                            )?,
                        };
                        tables::print_table(out, &rows, format)?;
                    }
                    (Some(games), false) => {
                        let rows = query::games_table(view, &games.parse()?, bounds, rank_by)?;
                        tables::print_table(out, &rows, format)?;
                    }
                    _ => tables::all_time(view, series.series(), bounds, rank_by, format, out)?,
                }
                Ok(())
            })
        }
        Question::Rank {
            games,
            noc,
            bounds,
            rank_by,
            format,
        } => {
            let (games, noc, bounds) = (games.parse()?, noc.parse()?, bounds.parse()?);
            with_view(source, |view| {
                tables::rank(view, &games, noc, bounds, rank_by, format, out)?;
                Ok(())
            })
        }
        Question::Entries(args) => with_view(source, |view| {
            entries::entries(view, &args, out)?;
            Ok(())
        }),
        Question::Sports(args) => with_view(source, |view| {
            sports::sports(view, &args, out)?;
            Ok(())
        }),
        Question::Medals(args) => with_view(source, |view| {
            medals::medals(view, &args, out)?;
            Ok(())
        }),
        Question::Event(args) => with_view(source, |view| {
            event::event(view, &args, out)?;
            Ok(())
        }),
        Question::Games {
            series,
            known_at,
            format,
        } => {
            let bounds = known_only(known_at)?;
            with_view(source, |view| {
                tables::games(view, series.series(), bounds, format, out)?;
                Ok(())
            })
        }
        Question::History {
            games,
            noc,
            known_at,
            format,
            svg,
        } => {
            let (games, noc, bounds) = (games.parse()?, noc.parse()?, known_only(known_at)?);
            with_view(source, |view| {
                let medals = query::GamesMedals::load(view, &games, bounds)?.with_spans(view)?;
                if let Some(path) = svg {
                    write_chart(source, &path, &history::history_chart(&medals, noc))?;
                }
                history::history(&medals, noc, format, out)?;
                Ok(())
            })
        }
        Question::Race {
            games,
            top,
            known_at,
            format,
            svg,
        } => {
            let (games, bounds) = (games.parse()?, known_only(known_at)?);
            with_view(source, |view| {
                let medals = query::GamesMedals::load(view, &games, bounds)?.with_spans(view)?;
                if let Some(path) = svg {
                    write_chart(
                        source,
                        &path,
                        &history::race_chart(&medals, usize::from(top)),
                    )?;
                }
                history::race(&medals, usize::from(top), format, out)?;
                Ok(())
            })
        }
        Question::Diff {
            games,
            from,
            to,
            as_of,
            known_at,
            vs_known_at,
            format,
        } => {
            let games: GamesId = games.parse()?;
            let sides = match vs_known_at {
                Some(vs) => {
                    let as_of = date(as_of)?;
                    (
                        (known_only(known_at)?, as_of),
                        (known_only(Some(vs))?, as_of),
                    )
                }
                None => {
                    let (Some(from), Some(to)) = (date(from)?, date(to)?) else {
                        return Err(Error::invalid("diff needs --from DATE --to DATE, or --as-of DATE --known-at TIME --vs-known-at TIME"));
                    };
                    if from > to {
                        return Err(Error::invalid(format!(
                            "diff's from date {from} is after its to date {to}"
                        )));
                    }
                    let bounds = known_only(known_at)?;
                    ((bounds, Some(from)), (bounds, Some(to)))
                }
            };
            with_view(source, |view| {
                history::diff(view, &games, sides, format, out)?;
                Ok(())
            })
        }
        Question::Delegation {
            noc,
            lineage,
            by,
            series,
            bounds,
            format,
        } => {
            let (noc, bounds) = (noc.parse()?, bounds.parse()?);
            with_view(source, |view| {
                let asked = delegation::Asked {
                    noc,
                    lineage,
                    series: series.series(),
                    bounds,
                };
                match by {
                    Some(DelegationBy::Sport) => by_sport::by_sport(view, asked, format, out)?,
                    None => delegation::delegation(view, asked, format, out)?,
                }
                Ok(())
            })
        }
        Question::Check {
            text: Some(path),
            published,
            format,
        } => {
            let published = date(published)?;
            let article = source.article(&path)?;
            with_view(source, |view| {
                news::check_text(view, &article, published, format, out)?;
                Ok(())
            })
        }
        Question::Check { format, .. } => with_view(source, |view| {
            facts::check(view, format, out)?;
            Ok(())
        }),
        Question::Extract {
            file,
            publisher,
            published,
            url,
            title,
            id_scope,
        } => {
            let citation = news::Citation {
                publisher,
                title,
                url,
                published: date(published)?,
                scope: id_scope,
            };
            let article = source.article(&file)?;
            with_view(source, |view| {
                news::extract(view, &article, &citation, out)?;
                Ok(())
            })
        }
        Question::Memberships {
            member,
            as_of,
            format,
        } => {
            let as_of = match as_of {
                Some(d) => parse_date(&d)?,
                None => jiff::Zoned::now().date(),
            };
            with_view(source, |view| {
                facts::memberships(view, &member, as_of, format, out)?;
                Ok(())
            })
        }
        Question::Meetings {
            from,
            to,
            with,
            format,
        } => {
            let (from, to) = (date(from)?, date(to)?);
            with_view(source, |view| {
                facts::meetings(view, from, to, with.as_deref(), format, out)?;
                Ok(())
            })
        }
        Question::Athlete { name, format } => with_view(source, |view| {
            athlete::athlete(view, &name, format, out)?;
            Ok(())
        }),
        Question::Log {
            from,
            to,
            kind,
            recorded_by,
            limit,
            format,
        } => {
            let filter = logs::LogFilter {
                from: date(from)?,
                to: date(to)?,
                kind,
                recorded_by,
                limit,
            };
            with_view(source, |view| {
                logs::log(view, &filter, format, out)?;
                Ok(())
            })
        }
        Question::Export => with_view(source, |view| {
            logs::export(view, out)?;
            Ok(())
        }),
        Question::Verify {
            digest,
            log,
            format,
        } => {
            let reader = if log { Some(source.log()?) } else { None };
            with_view(source, |view| {
                let checked = match &reader {
                    Some(reader) => logs::Checked::Log(reader, view),
                    None => logs::Checked::Copy(view),
                };
                logs::verify(checked, digest.as_deref(), format, out)?;
                Ok(())
            })
        }
    }
}
