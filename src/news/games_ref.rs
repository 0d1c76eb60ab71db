//! How an article names a games, and which games it means: "Paris 2024",
//! "Athens-2004", "the 2008 Beijing Olympics", "2024 Summer Olympics", "the
//! 17th Summer Paralympic Games", "the XVIII Summer Paralympic Games", "the
//! last Summer Paralympic Games held in Tokyo", "the Tokyo Games", "the
//! Paralympics", "the Buenos Aires 2018 Youth Olympic Games", "the Salt Lake
//! City 2002 Olympic Winter Games".
//!
//! A reference is read from tokens without knowing the movement when the
//! text does not say it ("Paris 2024" is the Olympic or the Paralympic Games);
//! `resolve` then takes the movement the context gives, and the publication
//! date for "the last" and "the Paralympics".

use jiff::civil::Date;

use super::lexicon::{Edition, Lexicon};
use super::numbers::{ordinal, roman};
use super::tokens::{Kind, Token};
use crate::event::{Movement, Season};

/// What the words say about a games.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GamesRef {
    pub year: Option<i16>,
    /// Editions held in the city named.
    pub city: Option<Vec<usize>>,
    pub season: Option<Season>,
    pub movement: Option<Movement>,
    /// Both movements named ("the Olympic and Paralympic Games").
    pub both: bool,
    pub ordinal: Option<u32>,
    /// "the last / previous / most recent Games".
    pub last: bool,
}

impl GamesRef {
    /// A games named by its city alone ("at Tokyo").
    pub fn city(editions: Vec<usize>) -> GamesRef {
        GamesRef {
            year: None,
            city: Some(editions),
            season: None,
            movement: None,
            both: false,
            ordinal: None,
            last: false,
        }
    }
}

/// A reference and the tokens it spans.
#[derive(Clone, Debug)]
pub struct Found {
    pub games: GamesRef,
    pub start: usize,
    pub end: usize,
}

/// The movement a word names, and whether it is the noun for the games
/// ("Paralympics") rather than the adjective ("Paralympic").
pub fn movement_word(t: &Token) -> Option<(Movement, bool)> {
    if t.kind != Kind::Word || !t.cap {
        return None;
    }
    Some(match t.norm.as_str() {
        "olympic" => (Movement::Olympic, false),
        "olympics" => (Movement::Olympic, true),
        "paralympic" => (Movement::Paralympic, false),
        "paralympics" => (Movement::Paralympic, true),
        _ => return None,
    })
}

/// The movement named at token `i`, whether as the noun for the games, and
/// the index after it: a movement word, or "Youth Olympic(s)", the Youth
/// Olympic Games (never the Olympic Games of that year).
pub fn movement_at(tokens: &[Token], i: usize) -> Option<(Movement, bool, usize)> {
    let t = tokens.get(i)?;
    if t.is("youth") && t.cap {
        return match tokens.get(i + 1).and_then(movement_word) {
            Some((Movement::Olympic, noun)) => Some((Movement::Youth, noun, i + 2)),
            _ => None,
        };
    }
    movement_word(t).map(|(m, noun)| (m, noun, i + 1))
}

fn season_word(t: &Token) -> Option<Season> {
    match t.norm.as_str() {
        "summer" if t.cap => Some(Season::Summer),
        "winter" if t.cap => Some(Season::Winter),
        _ => None,
    }
}

fn year(t: &Token) -> Option<i16> {
    if t.kind != Kind::Number || t.norm.len() != 4 {
        return None;
    }
    let y = t.value? as i16;
    (1896..=2100).contains(&y).then_some(y)
}

/// Reads `[Season] [Olympic|Paralympic|Youth Olympic [and Paralympic]] [Season]
/// (Games|Olympics|Paralympics)` at `i` ("Winter Youth Olympic Games",
/// "Olympic Winter Games"): the season, movement, whether both were named,
/// and the index after the games noun that must close it.
fn games_noun(tokens: &[Token], mut i: usize, g: &mut GamesRef) -> Option<usize> {
    if let Some(s) = tokens.get(i).and_then(season_word) {
        g.season = Some(s);
        i += 1;
    }
    let mut named = false;
    while let Some((m, noun, next)) = movement_at(tokens, i) {
        if g.movement.is_some_and(|x| x != m) {
            g.both = true;
        }
        g.movement = Some(m);
        i = next;
        if noun {
            return Some(i);
        }
        named = true;
        // "Olympic and Paralympic Games"
        if tokens.get(i).is_some_and(|t| t.is("and")) && movement_at(tokens, i + 1).is_some() {
            i += 1;
        }
    }
    // "Olympic Winter Games", "Paralympic Winter Games"
    if let (true, Some(s)) = (named, tokens.get(i).and_then(season_word)) {
        g.season = Some(s);
        i += 1;
    }
    // "Paralympic" alone before another noun ("Paralympic team") is no games.
    tokens
        .get(i)
        .is_some_and(|t| t.is("games") && t.cap)
        .then_some(i + 1)
}

/// The games reference beginning at token `i`, if one does.
pub fn at(tokens: &[Token], i: usize, lexicon: &Lexicon) -> Option<Found> {
    let t = tokens.get(i)?;
    let mut g = GamesRef {
        year: None,
        city: None,
        season: None,
        movement: None,
        both: false,
        ordinal: None,
        last: false,
    };
    // CITY [-] YEAR [noun]: "Paris 2024", "Athens-2004", "Tokyo 2020 Paralympic Games".
    if let Some((editions, next)) = lexicon.city_at(tokens, i) {
        let mut k = next;
        if tokens.get(k).is_some_and(|h| h.is("-") && !h.space_before) {
            k += 1;
        }
        if let Some(y) = tokens.get(k).and_then(year) {
            g.year = Some(y);
            g.city = Some(editions.to_vec());
            let end = games_noun(tokens, k + 1, &mut g).unwrap_or(k + 1);
            return Some(Found {
                games: g,
                start: i,
                end,
            });
        }
        // "the Tokyo Games", "the Paris Olympics"
        if let Some(end) = games_noun(tokens, next, &mut g) {
            g.city = Some(editions.to_vec());
            return Some(Found {
                games: g,
                start: i,
                end,
            });
        }
        return None;
    }
    // YEAR [Season] [CITY] noun: "2024 Summer Olympics", "the 2008 Beijing Olympics".
    if let Some(y) = year(t) {
        g.year = Some(y);
        let mut k = i + 1;
        if let Some(s) = tokens.get(k).and_then(season_word) {
            g.season = Some(s);
            k += 1;
        }
        if let Some((editions, next)) = lexicon.city_at(tokens, k) {
            g.city = Some(editions.to_vec());
            k = next;
        }
        let end = games_noun(tokens, k, &mut g)?;
        return Some(Found {
            games: g,
            start: i,
            end,
        });
    }
    // ORDINAL [Season] (Olympic|Paralympic) Games: "17th Summer Paralympic Games", "XVIII ...".
    let numbered = ordinal(tokens, i)
        .map(|r| (r.value, r.next))
        .or_else(|| roman(t).map(|v| (v, i + 1)));
    if let Some((n, next)) = numbered {
        let end = games_noun(tokens, next, &mut g)?;
        g.movement?;
        g.ordinal = u32::try_from(n).ok();
        return Some(Found {
            games: g,
            start: i,
            end,
        });
    }
    // "Games of the XXXIII Olympiad"
    if t.is("games") && t.cap && tokens.get(i + 1).is_some_and(|x| x.is("of")) {
        let k = i + 2 + usize::from(tokens.get(i + 2).is_some_and(|x| x.is("the")));
        let n = tokens
            .get(k)
            .and_then(roman)
            .or_else(|| ordinal(tokens, k).map(|r| r.value))?;
        if tokens.get(k + 1).is_some_and(|x| x.is("olympiad")) {
            g.ordinal = u32::try_from(n).ok();
            g.movement = Some(Movement::Olympic);
            g.season = Some(Season::Summer);
            return Some(Found {
                games: g,
                start: i,
                end: k + 2,
            });
        }
        return None;
    }
    // (last|previous|most recent) [...] noun [held in CITY]
    let mut k = i;
    // "the last Games" (not "her last Olympics": her own).
    let the = i > 0 && tokens[i - 1].is("the");
    if the && (t.is("last") || t.is("previous") || t.is("latest")) {
        g.last = true;
        k += 1;
    } else if the && t.is("most") && tokens.get(i + 1).is_some_and(|x| x.is("recent")) {
        g.last = true;
        k += 2;
    } else if t.is("last") || t.is("previous") || t.is("latest") || t.is("next") {
        return None;
    }
    let end = games_noun(tokens, k, &mut g)?;
    // A bare "Games" names a games only as "the Games".
    if g.movement.is_none() && !g.last && !(k > 0 && tokens[k - 1].is("the")) {
        return None;
    }
    let mut end = end;
    // "... held in Tokyo", "... in Paris"
    let held = tokens.get(end).is_some_and(|x| x.is("held")) as usize;
    if tokens.get(end + held).is_some_and(|x| x.is("in")) {
        if let Some((editions, next)) = lexicon.city_at(tokens, end + held + 1) {
            g.city = Some(editions.to_vec());
            end = next;
            if let Some(y) = tokens.get(end).and_then(year) {
                g.year = Some(y);
                end += 1;
            }
        }
    }
    Some(Found {
        games: g,
        start: i,
        end,
    })
}

/// What resolving a reference may use besides its words.
pub struct Context {
    pub published: Date,
    /// The movement the sentence or the article speaks of, when the words do not say.
    pub movement: Option<Movement>,
}

/// The edition a reference means, if exactly one fits.
pub fn resolve(g: &GamesRef, context: &Context, lexicon: &Lexicon) -> Option<usize> {
    let editions = lexicon.editions();
    let fits = |i: usize, movement: Option<Movement>| {
        let e: &Edition = &editions[i];
        g.year.is_none_or(|y| e.year == y)
            && g.season.is_none_or(|s| e.season == Some(s))
            && movement.is_none_or(|m| e.movement == Some(m))
            && g.ordinal.is_none_or(|n| e.ordinal == Some(n))
            && g.city.as_ref().is_none_or(|c| c.contains(&i))
            && e.movement.is_some()
    };
    // The movement stated; else the context's, then the Olympic Games (what
    // "Paris 2024" means when nothing says otherwise), then either.
    let stated = if g.both { None } else { g.movement };
    let tries: Vec<Option<Movement>> = match stated {
        Some(m) => vec![Some(m)],
        None => [context.movement, Some(Movement::Olympic)]
            .into_iter()
            .flatten()
            .map(Some)
            .chain([None])
            .collect(),
    };
    for movement in tries {
        let mut found: Vec<usize> = (0..editions.len()).filter(|&i| fits(i, movement)).collect();
        if g.last {
            // The most recent that had closed by the publication date.
            found.retain(|&i| editions[i].closes < context.published);
            found = found
                .into_iter()
                .max_by_key(|&i| editions[i].opens)
                .into_iter()
                .collect();
        } else if g.year.is_none() && g.ordinal.is_none() {
            // "the Paralympics", "the Tokyo Games": the most recent that had opened.
            found.retain(|&i| editions[i].opens <= context.published);
            found = found
                .into_iter()
                .max_by_key(|&i| editions[i].opens)
                .into_iter()
                .collect();
        }
        // An ordinal without a season counts the summer games.
        if found.len() > 1 && g.season.is_none() && g.ordinal.is_some() {
            found.retain(|&i| editions[i].season == Some(Season::Summer));
        }
        match found.as_slice() {
            [] => continue,
            [one] => return Some(*one),
            _ => return None,
        }
    }
    None
}

/// The most recent games of a movement that had opened by `published`
/// (in progress, or the last held): what "the Paralympics" means that day.
pub fn implied(lexicon: &Lexicon, movement: Movement, published: Date) -> Option<usize> {
    let editions = lexicon.editions();
    (0..editions.len())
        .filter(|&i| editions[i].movement == Some(movement) && editions[i].opens <= published)
        .max_by_key(|&i| editions[i].opens)
}
