//! The SVG charts of `history` and `race` as text, for callers that show
//! them rather than write them to a file (`podium serve`'s pages). The same
//! model, bounds and drawing as `history --svg` and `race --svg`. Never writes.

use super::{history, BoundArgs, Source};
use crate::error::Result;
use crate::query::GamesMedals;

/// Which chart, of which games.
pub enum Chart {
    /// A delegation's rank by day (`history GAMES NOC --svg`).
    History { games: String, noc: String },
    /// The final top `top`'s medals by day (`race GAMES --top N --svg`).
    Race { games: String, top: usize },
}

/// The chart as SVG, from what the ledger had recorded by `known_at` (RFC
/// 3339 or a date; `None`: everything).
///
/// # Errors
/// A bad games id, code or time; an unknown games; a ledger that cannot be read.
pub fn chart(source: &impl Source, chart: Chart, known_at: Option<String>) -> Result<String> {
    let bounds = BoundArgs {
        as_of: None,
        known_at,
    }
    .parse()?;
    let games = match &chart {
        Chart::History { games, .. } | Chart::Race { games, .. } => games.parse()?,
    };
    let model = source.model()?;
    let view = model.view()?;
    let medals = GamesMedals::load(&view, &games, bounds)?.with_spans(&view)?;
    Ok(match chart {
        Chart::History { noc, .. } => history::history_chart(&medals, noc.parse()?),
        Chart::Race { top, .. } => history::race_chart(&medals, top),
    })
}
