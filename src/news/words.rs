//! The words figures are written with: medal colours and nouns, the nouns
//! for athletes and medallists, and the words that make a number something
//! else than a count (a measure, a day, an age, an approximation, a career).

use super::tokens::{Kind, Token};
use crate::event::Figure;

/// The figure a colour word names ("gold", "silvers").
pub fn colour(t: &Token) -> Option<Figure> {
    if t.kind != Kind::Word {
        return None;
    }
    match t.norm.as_str() {
        "gold" | "golds" => Some(Figure::Gold),
        "silver" | "silvers" => Some(Figure::Silver),
        "bronze" | "bronzes" => Some(Figure::Bronze),
        _ => None,
    }
}

/// Whether the token is one of `words` (folded).
pub fn is_any(t: Option<&Token>, words: &[&str]) -> bool {
    t.is_some_and(|t| words.contains(&t.norm.as_str()))
}

#[rustfmt::skip]
pub const MEDAL_NOUNS: &[&str] = &["medal", "medals", "award", "awards"];
#[rustfmt::skip]
pub const MEDALLIST_NOUNS: &[&str] = &[
    "medallist", "medallists", "medalist", "medalists", "winner", "winners", "prizewinners",
];
#[rustfmt::skip]
pub const ATHLETE_NOUNS: &[&str] = &[
    "athletes", "competitors", "sportsmen", "sportswomen", "sportspeople", "paralympians",
    "olympians", "paraathletes",
];
/// Words that follow a colour or "medal" when they mean a contest or a
/// thing, not a medal won ("the gold medal match", "the gold standard").
#[rustfmt::skip]
pub const NOT_WON: &[&str] = &[
    "match", "matches", "bout", "bouts", "final", "finals", "game", "games", "contest", "playoff",
    "playoffs", "race", "races", "fight", "round", "contender", "contenders", "hope", "hopes",
    "chance", "chances", "favourite", "favourites", "favorite", "favorites", "ceremony",
    "ceremonies", "events", "event", "standard", "lining", "rush", "coast", "reserves", "price",
    "prices", "mine", "mines", "card", "table", "tally", "count", "standings", "haul", "position",
    "positions", "zone", "run", "winning", "tier", "level", "place", "bar", "bars", "coin",
    "coins", "statue", "products", "exports", "imports",
];
/// Words after a number that make it a measure, a time or something else counted.
#[rustfmt::skip]
pub const UNITS: &[&str] = &[
    "m", "km", "kg", "metres", "meters", "metre", "meter", "cm", "mm", "g", "kilograms",
    "kilogram", "lb", "lbs", "seconds", "second", "s", "sec", "secs", "minutes", "min", "mins",
    "hours", "hour", "hrs", "h", "years", "year", "yrs", "days", "day", "weeks", "week", "months",
    "month", "percent", "per", "pc", "points", "point", "pts", "goals", "x", "%", "times",
    "countries", "nations", "events", "event", "finals", "records", "record", "world", "million",
    "billion", "spectators", "fans", "tickets", "volunteers", "people", "mph", "am", "pm", ":",
    "/", "dollars", "euros", "manat", "tonnes", "tons", "games", "matches", "laps", "rounds",
    "runs", "wickets", "strokes", "shots",
];
/// The months: a number next to one is a day.
#[rustfmt::skip]
pub const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
];
/// Words before a number that make it approximate: no claim is read from it.
#[rustfmt::skip]
pub const APPROXIMATE: &[&str] = &[
    "nearly", "almost", "about", "around", "some", "roughly", "approximately", "estimated",
    "approx", "circa", "~",
];
/// Words shortly before a figure that make it a wish, not a fact ("the target is 5 medals").
#[rustfmt::skip]
pub const ASPIRATIONS: &[&str] = &[
    "target", "targets", "targeting", "targeting", "aim", "aims", "aiming", "goal", "hope",
    "hopes", "hoping", "dream", "dreams", "wants", "want", "could", "would", "might",
];
/// Words before a figure that make it a career's, not a games': "his previous 4 medals".
#[rustfmt::skip]
pub const CAREER: &[&str] = &[
    "previous", "career", "collection", "lifetime", "all-time", "ever",
];
/// Nouns for one athlete ("the 22-year-old athlete", "the judoka").
#[rustfmt::skip]
pub const PERSON_NOUNS: &[&str] = &[
    "athlete", "judoka", "swimmer", "boxer", "wrestler", "fencer", "rower", "cyclist", "archer",
    "weightlifter", "powerlifter", "gymnast", "shooter", "sailor", "diver", "sprinter", "runner",
    "jumper", "thrower", "paralympian", "olympian", "champion", "star", "medallist", "medalist",
    "skier", "skater", "player", "fighter", "triathlete", "canoeist", "kayaker", "rider",
    "veteran", "teenager", "youngster", "man", "woman", "biathlete",
];
/// Adjectives between a number and what it counts ("7 Paralympic medals").
#[rustfmt::skip]
pub const ADJECTIVES: &[&str] = &[
    "olympic", "paralympic", "more", "further", "additional", "individual", "team", "total", "new",
    "historic", "different", "overall",
];
/// Words for the medal table ("30th in the overall standings").
#[rustfmt::skip]
pub const TABLE_WORDS: &[&str] = &[
    "table", "tally", "standings", "count", "rankings", "ranking", "overall", "leaderboard",
];
