//! `podium sports GAMES`: a games' sports, their events and medals (and how
//! many of those are known only as counts), from the
//! games' records in the read model at any as-of date and known-at time (the
//! list `table GAMES --sport SPORT` and `medals --sport` take their names from).

use std::io::Write;

use clap::Args;

use super::output::{self, out_err, text_table, Align, Format, COUNTED_NOTE};
use super::BoundArgs;
use crate::drill;
use crate::error::Result;
use crate::event::GamesId;
use crate::model::View;
use crate::query::fold_games_model;

#[derive(Args, Debug, Clone)]
pub struct SportsArgs {
    /// The games id (see podium games).
    pub games: String,
    #[command(flatten)]
    pub bounds: BoundArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `podium sports GAMES`: each sport with medals in force, its events and medals.
///
/// # Errors
/// `Unknown` for an unknown games; storage failures.
pub(super) fn sports(view: &View<'_>, args: &SportsArgs, out: &mut impl Write) -> Result<()> {
    let games: GamesId = args.games.parse()?;
    let bounds = args.bounds.parse()?;
    let fold = fold_games_model(view, &games, bounds)?;
    let lines = drill::sports(&fold, bounds.as_of);
    let headers = [
        "sport", "events", "gold", "silver", "bronze", "total", "counted",
    ];
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.sport.clone(),
                l.events.to_string(),
                l.gold.to_string(),
                l.silver.to_string(),
                l.bronze.to_string(),
                l.total.to_string(),
                l.counted.to_string(),
            ]
        })
        .collect();
    match args.format {
        Format::Json => output::json(out, &lines),
        Format::Csv => output::csv(out, &headers, &rows),
        Format::Text => {
            use Align::{Left, Right};
            text_table(
                out,
                &headers,
                &[Left, Right, Right, Right, Right, Right, Right],
                &rows,
            )?;
            if lines.iter().any(|l| l.counted > 0) {
                writeln!(out, "{COUNTED_NOTE}").map_err(out_err)?;
            }
            Ok(())
        }
    }
}
