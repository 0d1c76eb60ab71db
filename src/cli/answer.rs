//! Answering the query commands (`table`, `rank`, `history`, `log`, ...)
//! from a `Source`: the ledger the command line names, opened for one
//! command, or the one `podium serve` holds for all its requests. Both go
//! through `answer`, so the command line and the HTTP API can never disagree.
//! Nothing here writes to the ledger.

use std::path::Path;

use super::{
    by_sport, delegation, event, facts, history, logs, medals, sports, tables, BoundArgs, Command,
    DelegationBy,
};
use crate::error::{Error, Result};
use crate::event::{parse_date, GamesId};
use crate::log::LogReader;
use crate::model::Model;
use crate::query;
use crate::record::Head;
use crate::table::Bounds;

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
}

/// The ledger named on the command line (or the default one), opened for
/// one command.
pub struct Local<'a>(pub Option<&'a Path>);

impl Source for Local<'_> {
    fn model(&self) -> Result<Model> {
        super::open::model(self.0)
    }

    fn log(&self) -> Result<LogReader> {
        Ok(super::open::open_ledger(self.0, false)?.reader())
    }

    fn writes_files(&self) -> bool {
        true
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

/// Answers one query command from `source`, writing it to `out`. Returns the
/// log head the answer reflects (`None`: an empty ledger).
///
/// # Errors
/// A bad argument (`Invalid`), an unknown games, delegation or athlete, a
/// ledger that cannot be read; `Invalid` for a command that writes.
pub fn answer(
    command: Command,
    source: &impl Source,
    out: &mut impl std::io::Write,
) -> Result<Option<Head>> {
    match command {
        Command::Table {
            games,
            all,
            series,
            sport,
            bounds,
            rank_by,
            format,
        } => {
            let bounds = bounds.parse()?;
            let model = source.model()?;
            let view = model.view()?;
            match (games, all) {
                (games, _) if sport.is_some() => {
                    let sport = sport.as_deref().unwrap_or_default();
                    let rows = match games {
                        Some(games) => crate::sports::sport_table(
                            &view,
                            &games.parse()?,
                            sport,
                            bounds,
                            rank_by,
                        )?,
                        None => crate::sports::all_time_sport_table(
                            &view,
                            series.series(),
                            sport,
                            bounds,
                            rank_by,
                        )?,
                    };
                    tables::print_table(out, &rows, format)?;
                }
                (Some(games), false) => {
                    let rows = query::games_table(&view, &games.parse()?, bounds, rank_by)?;
                    tables::print_table(out, &rows, format)?;
                }
                _ => tables::all_time(&view, series.series(), bounds, rank_by, format, out)?,
            }
            Ok(view.head())
        }
        Command::Rank {
            games,
            noc,
            bounds,
            rank_by,
            format,
        } => {
            let (games, noc, bounds) = (games.parse()?, noc.parse()?, bounds.parse()?);
            let model = source.model()?;
            let view = model.view()?;
            tables::rank(&view, &games, noc, bounds, rank_by, format, out)?;
            Ok(view.head())
        }
        Command::Sports(args) => {
            let model = source.model()?;
            let view = model.view()?;
            sports::sports(&view, &args, out)?;
            Ok(view.head())
        }
        Command::Medals(args) => {
            let model = source.model()?;
            let view = model.view()?;
            medals::medals(&view, &args, out)?;
            Ok(view.head())
        }
        Command::Event(args) => {
            let model = source.model()?;
            let view = model.view()?;
            event::event(&view, &args, out)?;
            Ok(view.head())
        }
        Command::Games {
            series,
            known_at,
            format,
        } => {
            let bounds = known_only(known_at)?;
            let model = source.model()?;
            let view = model.view()?;
            tables::games(&view, series.series(), bounds, format, out)?;
            Ok(view.head())
        }
        Command::History {
            games,
            noc,
            known_at,
            format,
            svg,
        } => {
            let (games, noc, bounds) = (games.parse()?, noc.parse()?, known_only(known_at)?);
            let model = source.model()?;
            let view = model.view()?;
            let medals = query::GamesMedals::load(&view, &games, bounds)?.with_spans(&view)?;
            if let Some(path) = svg {
                write_chart(source, &path, &history::history_chart(&medals, noc))?;
            }
            history::history(&medals, noc, format, out)?;
            Ok(view.head())
        }
        Command::Race {
            games,
            top,
            known_at,
            format,
            svg,
        } => {
            let (games, bounds) = (games.parse()?, known_only(known_at)?);
            let model = source.model()?;
            let view = model.view()?;
            let medals = query::GamesMedals::load(&view, &games, bounds)?.with_spans(&view)?;
            if let Some(path) = svg {
                write_chart(
                    source,
                    &path,
                    &history::race_chart(&medals, usize::from(top)),
                )?;
            }
            history::race(&medals, usize::from(top), format, out)?;
            Ok(view.head())
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
                    let bounds = known_only(known_at)?;
                    ((bounds, Some(from)), (bounds, Some(to)))
                }
            };
            let model = source.model()?;
            let view = model.view()?;
            history::diff(&view, &games, sides, format, out)?;
            Ok(view.head())
        }
        Command::Delegation {
            noc,
            lineage,
            by,
            series,
            bounds,
            format,
        } => {
            let (noc, bounds) = (noc.parse()?, bounds.parse()?);
            let model = source.model()?;
            let view = model.view()?;
            let asked = delegation::Asked {
                noc,
                lineage,
                series: series.series(),
                bounds,
            };
            match by {
                Some(DelegationBy::Sport) => by_sport::by_sport(&view, asked, format, out)?,
                None => delegation::delegation(&view, asked, format, out)?,
            }
            Ok(view.head())
        }
        Command::Check { format } => {
            let model = source.model()?;
            let view = model.view()?;
            facts::check(&view, format, out)?;
            Ok(view.head())
        }
        Command::Memberships {
            member,
            as_of,
            format,
        } => {
            let as_of = match as_of {
                Some(d) => parse_date(&d)?,
                None => jiff::Zoned::now().date(),
            };
            let model = source.model()?;
            let view = model.view()?;
            facts::memberships(&view, &member, as_of, format, out)?;
            Ok(view.head())
        }
        Command::Meetings {
            from,
            to,
            with,
            format,
        } => {
            let (from, to) = (date(from)?, date(to)?);
            let model = source.model()?;
            let view = model.view()?;
            facts::meetings(&view, from, to, with.as_deref(), format, out)?;
            Ok(view.head())
        }
        Command::Athlete { name, format } => {
            let log = source.log()?;
            facts::athlete(&log, &name, format, out)?;
            Ok(Some(log.head()))
        }
        Command::Log {
            from,
            to,
            kind,
            format,
        } => {
            let (from, to) = (date(from)?, date(to)?);
            let log = source.log()?;
            logs::log(&log, from, to, kind.as_deref(), format, out)?;
            Ok(Some(log.head()))
        }
        Command::Export => {
            let log = source.log()?;
            logs::export(&log, out)?;
            Ok(Some(log.head()))
        }
        Command::Verify { digest, format } => {
            let log = source.log()?;
            logs::verify(&log, digest.as_deref(), format, out)?;
            Ok(Some(log.head()))
        }
        Command::Import { .. }
        | Command::ImportCsv { .. }
        | Command::Append(_)
        | Command::Revoke { .. }
        | Command::Generate { .. }
        | Command::Serve { .. }
        | Command::Follow { .. } => Err(Error::invalid("not a query command")),
    }
}
