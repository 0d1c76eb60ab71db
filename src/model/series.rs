//! Series: which games a cross-games question takes, by the season and the
//! movement their registrations give (each known or not), and the series of
//! a games as the read model stores it. Never reads or writes storage.

use crate::event::{GamesRegistered, Movement, Season};

/// A set of series an all-time table takes. A games' series is its season
/// and its movement, each known or not: 3 × 4 series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Series(u16);

impl Series {
    /// Every games.
    pub const ALL: Series = Series(u16::MAX);

    /// The games of a season and of a movement, where given (none: any,
    /// games that do not say included).
    pub fn of(season: Option<Season>, movement: Option<Movement>) -> Series {
        let mut set = 0u16;
        for s in 0..3u8 {
            for m in 0..4u8 {
                let season_ok = season.is_none_or(|x| season_code(Some(x)) == s);
                let movement_ok = movement.is_none_or(|x| movement_code(Some(x)) == m);
                if season_ok && movement_ok {
                    set |= 1 << (m * 3 + s);
                }
            }
        }
        Series(set)
    }

    pub fn contains(self, series: u8) -> bool {
        series < 16 && self.0 & (1 << series) != 0
    }
}

fn season_code(season: Option<Season>) -> u8 {
    match season {
        None => 0,
        Some(Season::Summer) => 1,
        Some(Season::Winter) => 2,
    }
}

fn movement_code(movement: Option<Movement>) -> u8 {
    match movement {
        None => 0,
        Some(Movement::Olympic) => 1,
        Some(Movement::Paralympic) => 2,
        Some(Movement::Youth) => 3,
    }
}

/// The series of a games' medals in the all-time table.
pub fn series_of(games: &GamesRegistered) -> u8 {
    movement_code(games.movement) * 3 + season_code(games.season)
}
