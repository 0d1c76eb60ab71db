//! One sentence read: what it names (delegations, athletes, games, sports,
//! words that stand for a delegation or an athlete named before), the
//! figures it states ("14 gold", "30th place", "48 athletes", "won
//! bronze"), and its clauses (a relative clause's games is its own; "while",
//! "but" and ";" begin another clause).
//!
//! Nothing is resolved here against the article's other sentences: that is
//! `extract`'s work.

use crate::event::{Bound, Figure, Movement, Noc};

use super::games_ref::{self, movement_word, GamesRef};
use super::lexicon::{Lexicon, Target};
use super::numbers::{cardinal, ordinal, Read};
use super::sport_words;
use super::tokens::{Kind, Token};

/// What a mention names.
#[derive(Clone, Debug)]
pub enum What {
    Delegation(Noc),
    /// "the hosts": the host of the games spoken of.
    Host,
    /// A delegation named before: "the national team", "the country", "they", "we".
    Anaphor,
    Athlete(u32),
    /// An athlete named before: "he", "the 22-year-old athlete".
    AthleteRef,
    Games(GamesRef),
    Sport(sport_words::Found),
}

#[derive(Clone, Debug)]
pub struct Mention {
    pub what: What,
    pub start: usize,
    pub end: usize,
    pub clause: usize,
    /// May be what a figure is about (not "behind China", "than Japan").
    pub subject: bool,
    /// A games named in passing: "as in Tokyo 2020", "since the Tokyo 2020 Games".
    pub passing: bool,
}

/// A figure the sentence states.
#[derive(Clone, Debug)]
pub struct Item {
    pub figure: Figure,
    pub value: u32,
    pub bound: Bound,
    /// A number was written ("2 gold"), not only a colour ("won gold").
    pub counted: bool,
    /// "bronze medals", "golds".
    pub plural: bool,
    /// "gold medalist", "bronze medal winners": a title the athletes named with it hold.
    pub title: bool,
    pub start: usize,
    pub end: usize,
    pub clause: usize,
    /// Items written together ("14 gold, 1 silver, and 4 bronze") share a group.
    pub group: usize,
    /// A games bound to this item ("Tokyo 2020 bronze medalist", "won gold at Tokyo 2020"): a mention index.
    pub games: Option<usize>,
    /// A sport bound to it ("3 gold ... in athletics"): a mention index.
    pub sport: Option<usize>,
    /// "this time": the games the article is about.
    pub this_time: bool,
    /// "as in Tokyo 2020": the same figure for these games too (mention indices).
    pub also: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClauseKind {
    Main,
    /// "who ...", "which ...": about what its parent named last.
    Relative,
    /// ", where ...": about the games its parent named last.
    Where,
}

#[derive(Clone, Debug)]
pub struct Clause {
    pub kind: ClauseKind,
    pub parent: Option<usize>,
    /// The token where it begins.
    pub start: usize,
}

/// A sentence read.
#[derive(Clone, Debug)]
pub struct Reading {
    pub start: usize,
    pub end: usize,
    pub mentions: Vec<Mention>,
    pub items: Vec<Item>,
    pub clauses: Vec<Clause>,
    /// Per token of the sentence (index - start): its clause.
    pub clause_of: Vec<usize>,
    /// The movements the sentence's words point to (Olympic, Paralympic, "para-").
    pub cues: Vec<Movement>,
    /// Words that make a rank a rank in the medal table ("overall", "medal tally").
    pub table_context: bool,
    pub respectively: bool,
}

fn colour(t: &Token) -> Option<Figure> {
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

fn is_any(t: Option<&Token>, words: &[&str]) -> bool {
    t.is_some_and(|t| words.contains(&t.norm.as_str()))
}

#[rustfmt::skip]
const MEDAL_NOUNS: &[&str] = &[
    "medal", "medals", "award", "awards",
];
#[rustfmt::skip]
const MEDALLIST_NOUNS: &[&str] = &[
    "medallist", "medallists", "medalist", "medalists", "winner", "winners", "prizewinners",
    "medal-winners",
];
#[rustfmt::skip]
const ATHLETE_NOUNS: &[&str] = &[
    "athletes", "competitors", "sportsmen", "sportswomen", "sportspeople", "paralympians",
    "olympians", "paraathletes",
];
/// Words that follow a colour or "medal" when they mean a contest, not a medal won.
#[rustfmt::skip]
const NOT_WON: &[&str] = &[
    "match", "matches", "bout", "bouts", "final", "finals", "game", "games", "contest", "playoff",
    "playoffs", "race", "races", "fight", "round", "contender", "contenders", "hope", "hopes",
    "chance", "chances", "favourite", "favourites", "favorite", "favorites", "ceremony",
    "ceremonies", "events", "event", "standard", "lining", "rush", "coast", "reserves", "price",
    "prices", "mine", "mines", "card", "table", "tally", "count", "standings", "haul", "position",
    "positions", "zone", "run", "winning", "-", "tier", "level", "place",
];
/// Words after a number that make it a measure, a date or an age, not a count.
#[rustfmt::skip]
const UNITS: &[&str] = &[
    "m", "km", "kg", "metres", "meters", "metre", "meter", "cm", "mm", "g", "kilograms",
    "kilogram", "lb", "lbs", "seconds", "second", "s", "sec", "secs", "minutes", "min", "mins",
    "hours", "hour", "hrs", "h", "years", "year", "yrs", "days", "day", "weeks", "week", "months",
    "month", "percent", "per", "pc", "points", "point", "pts", "goals", "x", "%", "times",
    "countries", "nations", "events", "event", "finals", "records", "record", "world", "million",
    "billion", "spectators", "fans", "tickets", "volunteers", "people", "km/h", "mph", "am", "pm",
    "p.m", "a.m", ":", "/",];
/// The months: a number next to one is a day.
#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
];
/// Words before a number that make it approximate: no claim is read from it.
#[rustfmt::skip]
const APPROXIMATE: &[&str] = &[
    "nearly", "almost", "about", "around", "some", "roughly", "approximately", "estimated",
    "approx", "circa", "~",
];
/// Words before a figure that make it a career's, not a games': "his previous 4 medals".
#[rustfmt::skip]
const CAREER: &[&str] = &[
    "previous", "career", "collection", "lifetime", "all-time", "ever",
];
#[rustfmt::skip]
const PERSON_NOUNS: &[&str] = &[
    "athlete", "judoka", "swimmer", "boxer", "wrestler", "fencer", "rower", "cyclist", "archer",
    "weightlifter", "powerlifter", "gymnast", "shooter", "sailor", "diver", "sprinter", "runner",
    "jumper", "thrower", "paralympian", "olympian", "champion", "star", "medallist", "medalist",
    "skier", "skater", "player", "fighter", "triathlete", "canoeist", "kayaker", "rider",
    "para-athlete", "veteran", "teenager", "youngster", "man", "woman",
];

/// Reads the sentence of tokens `start..end`.
pub fn read(tokens: &[Token], start: usize, end: usize, lexicon: &Lexicon) -> Reading {
    let (clauses, clause_of) = clauses(tokens, start, end);
    let mut reading = Reading {
        start,
        end,
        mentions: Vec::new(),
        items: Vec::new(),
        clauses,
        clause_of,
        cues: Vec::new(),
        table_context: false,
        respectively: false,
    };
    mentions(tokens, lexicon, &mut reading);
    cues(tokens, &mut reading);
    items(tokens, &mut reading);
    groups(tokens, &mut reading);
    reading
}

impl Reading {
    pub fn clause_at(&self, token: usize) -> usize {
        self.clause_of
            .get(token.saturating_sub(self.start))
            .copied()
            .unwrap_or(0)
    }

    fn covered(&self, i: usize) -> bool {
        self.mentions.iter().any(|m| (m.start..m.end).contains(&i))
            || self.items.iter().any(|m| (m.start..m.end).contains(&i))
    }
}

/// Splits a sentence into clauses.
fn clauses(tokens: &[Token], start: usize, end: usize) -> (Vec<Clause>, Vec<usize>) {
    let mut clauses = vec![Clause {
        kind: ClauseKind::Main,
        parent: None,
        start,
    }];
    let mut of = Vec::with_capacity(end - start);
    let mut current = 0;
    let mut depth = 0usize;
    for i in start..end {
        let t = &tokens[i];
        let next = tokens.get(i + 1).filter(|_| i + 1 < end);
        let new_main = |clauses: &mut Vec<Clause>, at: usize| {
            clauses.push(Clause {
                kind: ClauseKind::Main,
                parent: None,
                start: at,
            });
            clauses.len() - 1
        };
        if t.is("(") {
            depth += 1;
        } else if t.is(")") {
            depth = depth.saturating_sub(1);
        }
        if depth == 0 {
            if t.is(";") || (t.is("-") && t.space_before && t.space_after && i > start) {
                current = new_main(&mut clauses, i + 1);
            } else if t.is(",") {
                let kind = clauses[current].kind;
                if is_any(
                    next,
                    &[
                        "while", "whilst", "whereas", "but", "although", "though", "yet",
                    ],
                ) {
                    current = new_main(&mut clauses, i + 1);
                } else if kind != ClauseKind::Main && !continues_list(tokens, i + 1, end) {
                    // A relative clause ends at its comma; its parent goes on.
                    current = clauses[current].parent.unwrap_or(0);
                }
            }
            if is_any(Some(t), &["who", "whose", "whom", "which"]) && i > start {
                clauses.push(Clause {
                    kind: ClauseKind::Relative,
                    parent: Some(main_of(&clauses, current)),
                    start: i,
                });
                current = clauses.len() - 1;
            } else if t.is("where") && i > start {
                clauses.push(Clause {
                    kind: ClauseKind::Where,
                    parent: Some(main_of(&clauses, current)),
                    start: i,
                });
                current = clauses.len() - 1;
            }
        }
        of.push(current);
    }
    (clauses, of)
}

fn main_of(clauses: &[Clause], mut c: usize) -> usize {
    while let Some(p) = clauses[c].parent {
        c = p;
    }
    c
}

/// Whether the words after a comma go on with a list ("4 gold, 4 silver, and 6 bronze").
fn continues_list(tokens: &[Token], i: usize, end: usize) -> bool {
    if i >= end {
        return false;
    }
    let t = &tokens[i];
    matches!(t.kind, Kind::Number)
        || cardinal(tokens, i).is_some()
        || (is_any(Some(t), &["and", "including", "as", "plus", "with"])
            && (cardinal(tokens, i + 1).is_some() || colour_at(tokens, i + 1)))
        || t.is("including")
}

fn colour_at(tokens: &[Token], i: usize) -> bool {
    tokens.get(i).and_then(colour).is_some()
}

fn push(reading: &mut Reading, what: What, start: usize, end: usize) {
    let clause = reading.clause_at(start);
    reading.mentions.push(Mention {
        what,
        start,
        end,
        clause,
        subject: true,
        passing: false,
    });
}

/// Finds what the sentence names.
fn mentions(tokens: &[Token], lexicon: &Lexicon, reading: &mut Reading) {
    let (start, end) = (reading.start, reading.end);
    let mut i = start;
    while i < end {
        let t = &tokens[i];
        if let Some(found) = games_ref::at(&tokens[..end], i, lexicon) {
            let passing = i > start && passing_before(tokens, start, found.start);
            push(reading, What::Games(found.games), found.start, found.end);
            if let Some(m) = reading.mentions.last_mut() {
                m.passing = passing;
            }
            i = found.end;
            continue;
        }
        if t.cap {
            if let Some((athlete, next)) = athlete_at(tokens, i, end, lexicon) {
                push(reading, What::Athlete(athlete), i, next);
                i = next;
                continue;
            }
        }
        if let Some((target, next)) = lexicon.delegation_at(&tokens[..end], i) {
            // A code is a delegation only when the words around it are not in capitals too.
            let lone_code = next == i + 1 && t.caps && t.norm.len() == 3 && {
                let around = |k: Option<&Token>| k.is_some_and(|k| k.caps && k.is_word());
                around(i.checked_sub(1).and_then(|p| tokens.get(p))) || around(tokens.get(next))
            };
            if let (Target::Delegation(noc), false) = (target, lone_code) {
                push(reading, What::Delegation(noc), i, next);
                if let Some(m) = reading.mentions.last_mut() {
                    m.subject = !not_subject_before(tokens, start, i);
                }
            }
            i = next;
            continue;
        }
        if let Some(found) = lexicon.sport_words().at(&tokens[..end], i) {
            let next = found.end;
            push(reading, What::Sport(found), i, next);
            i = next;
            continue;
        }
        if let Some(next) = host_at(tokens, i, end) {
            push(reading, What::Host, i, next);
            i = next;
            continue;
        }
        if let Some(next) = team_anaphor_at(tokens, i, end) {
            push(reading, What::Anaphor, i, next);
            i = next;
            continue;
        }
        if let Some(next) = athlete_ref_at(tokens, i, end) {
            push(reading, What::AthleteRef, i, next);
            i = next;
            continue;
        }
        if is_any(Some(t), &["they", "them", "their", "we", "our", "us"])
            && !(t.norm == "us" && t.caps)
        {
            push(reading, What::Anaphor, i, i + 1);
        } else if is_any(Some(t), &["he", "she", "his", "her", "him", "hers"]) {
            push(reading, What::AthleteRef, i, i + 1);
        }
        i += 1;
    }
}

/// Words just before a games that name it in passing.
fn passing_before(tokens: &[Token], start: usize, at: usize) -> bool {
    let before = |k: usize| {
        at.checked_sub(k)
            .filter(|p| *p >= start)
            .map(|p| &tokens[p])
    };
    let markers = [
        "since", "than", "unlike", "compared", "like", "after", "before", "previous",
    ];
    (1..=3).any(|k| is_any(before(k), &markers))
        || (is_any(before(1), &["in", "at"]) && is_any(before(2), &["as"]))
        || (is_any(before(2), &["in", "at"]) && is_any(before(3), &["as"]))
}

/// Words just before a delegation that make it no subject: "behind China", "than Japan".
fn not_subject_before(tokens: &[Token], start: usize, at: usize) -> bool {
    let before = |k: usize| {
        at.checked_sub(k)
            .filter(|p| *p >= start)
            .map(|p| &tokens[p])
    };
    let b1 = before(1);
    let b2 = before(2);
    let b1 = if is_any(b1, &["the"]) { b2 } else { b1 };
    is_any(
        b1,
        &[
            "behind",
            "than",
            "against",
            "over",
            "beating",
            "beat",
            "like",
            "unlike",
            "trailing",
            "past",
            "overtaking",
            "overtook",
            "between",
            "with",
            "vs",
            "versus",
            "and",
        ],
    ) || (is_any(b1, &["of"]) && is_any(before(2), &["ahead"]))
}

/// "the hosts", "the host nation", "hosts".
fn host_at(tokens: &[Token], i: usize, end: usize) -> Option<usize> {
    let t = tokens.get(i).filter(|_| i < end)?;
    if t.is("hosts") {
        return Some(i + 1);
    }
    if t.is("host") && is_any(tokens.get(i + 1), &["nation", "country", "team"]) {
        return Some(i + 2);
    }
    None
}

/// "the (national) team", "the country", "the nation", "the delegation", "the squad", "the Paralympians".
fn team_anaphor_at(tokens: &[Token], i: usize, end: usize) -> Option<usize> {
    let t = tokens.get(i).filter(|_| i < end)?;
    if !is_any(Some(t), &["the", "its", "our", "their"]) {
        return None;
    }
    let mut k = i + 1;
    while is_any(
        tokens.get(k),
        &["national", "whole", "entire", "country", "nation", "'s"],
    ) {
        if is_any(tokens.get(k), &["country", "nation"]) && !is_any(tokens.get(k + 1), &["'s"]) {
            return Some(k + 1);
        }
        k += 1;
    }
    if is_any(
        tokens.get(k),
        &[
            "team",
            "squad",
            "delegation",
            "contingent",
            "side",
            "paralympians",
            "olympians",
            "country",
            "nation",
        ],
    ) && k < end
    {
        return Some(k + 1);
    }
    None
}

/// "the 22-year-old athlete", "the judoka", "the swimmer": one athlete named before.
fn athlete_ref_at(tokens: &[Token], i: usize, end: usize) -> Option<usize> {
    let t = tokens.get(i).filter(|_| i < end)?;
    if !t.is("the") {
        return None;
    }
    let mut k = i + 1;
    // "22-year-old"
    if tokens.get(k).is_some_and(|n| n.kind == Kind::Number)
        && is_any(tokens.get(k + 1), &["-"])
        && is_any(tokens.get(k + 2), &["year"])
    {
        k += 5;
    }
    while is_any(
        tokens.get(k),
        &["legendary", "young", "veteran", "experienced"],
    ) {
        k += 1;
    }
    (k < end && is_any(tokens.get(k), PERSON_NOUNS)).then_some(k + 1)
}

/// Particles of names written in lowercase ("de", "van").
fn name_particle(t: &Token) -> bool {
    matches!(
        t.norm.as_str(),
        "de" | "da"
            | "van"
            | "von"
            | "der"
            | "den"
            | "di"
            | "dos"
            | "del"
            | "la"
            | "le"
            | "al"
            | "el"
            | "bin"
            | "ibn"
    )
}

/// The athlete whose name begins at token `i` (two words or more, or the
/// one-word surname of an athlete the article named before, which
/// `extract` checks): their index and the token after the name.
fn athlete_at(tokens: &[Token], i: usize, end: usize, lexicon: &Lexicon) -> Option<(u32, usize)> {
    // The run of capitalised words (and particles, and hyphens inside names).
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut k = i;
    while k < end {
        let t = &tokens[k];
        if t.is_word() && (t.cap || (name_particle(t) && !words.is_empty())) && t.norm != "'s" {
            words.push((k, t.norm.as_str()));
            k += 1;
        } else if t.is("-") && !t.space_before && !t.space_after && !words.is_empty() {
            k += 1;
        } else {
            break;
        }
        if words.len() >= 6 {
            break;
        }
    }
    // A name begins the run: try the longest run first, from its start only.
    for n in (2..=words.len()).rev() {
        let run: Vec<&str> = words[..n].iter().map(|(_, w)| *w).collect();
        if let Some(a) = match_name(&run, lexicon) {
            return Some((a, words[n - 1].0 + 1));
        }
    }
    None
}

/// Edit distance, stopping early beyond `max`.
pub fn distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (x, ca) in a.iter().enumerate() {
        let mut row = vec![x + 1; b.len() + 1];
        let mut best = row[0];
        for (y, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            row[y + 1] = (prev[y] + cost).min(prev[y + 1] + 1).min(row[y] + 1);
            best = best.min(row[y + 1]);
        }
        if best > max {
            return max + 1;
        }
        prev = row;
    }
    prev[b.len()]
}

/// How far two words of a name may differ: nothing for short ones.
fn allowed(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

/// The one athlete whose spelling has every word of `run` (a word may
/// differ by a letter or two, with the same first letter): "Roman Saleh" is
/// Raman SALEI when no other athlete is as close.
pub fn match_name(run: &[&str], lexicon: &Lexicon) -> Option<u32> {
    let mut candidates: Vec<u32> = Vec::new();
    for w in run {
        candidates.extend_from_slice(lexicon.athletes_with_word(w));
        for like in lexicon.words_like(w) {
            if like != w && distance(w, like, allowed(w)) <= allowed(w) {
                candidates.extend_from_slice(lexicon.athletes_with_word(like));
            }
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    // Score: total edit distance over the run's words, or none if a word has no match.
    let mut best: Option<(usize, u32)> = None;
    let mut tie = false;
    for &a in &candidates {
        let athlete = &lexicon.athletes()[a as usize];
        let score = athlete
            .spellings
            .iter()
            .filter_map(|spelling| name_score(run, spelling))
            .min();
        let Some(score) = score else { continue };
        match best {
            Some((s, _)) if score > s => {}
            Some((s, _)) if score == s => tie = true,
            _ => {
                best = Some((score, a));
                tie = false;
            }
        }
    }
    match best {
        Some((score, a)) if !tie && score <= 2 => Some(a),
        _ => None,
    }
}

/// The total distance of `run`'s words to distinct words of `spelling`, if
/// every one is close enough (and at least one is exact when it is long).
fn name_score(run: &[&str], spelling: &[String]) -> Option<usize> {
    let mut used = vec![false; spelling.len()];
    let mut total = 0;
    let mut exact = 0;
    for w in run {
        let mut best: Option<(usize, usize)> = None;
        for (j, s) in spelling.iter().enumerate() {
            if used[j] || s.chars().next() != w.chars().next() {
                continue;
            }
            let d = distance(w, s, allowed(w));
            if d <= allowed(w) && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, j));
            }
        }
        let (d, j) = best?;
        used[j] = true;
        total += d;
        exact += usize::from(d == 0);
    }
    (exact >= 1 || total <= 2).then_some(total)
}

/// The movements the sentence's words name.
fn cues(tokens: &[Token], reading: &mut Reading) {
    let mut cues = Vec::new();
    let mut table = false;
    for i in reading.start..reading.end {
        let t = &tokens[i];
        if let Some((m, _)) = movement_word(t) {
            cues.push(m);
        }
        match t.norm.as_str() {
            "paralympian" | "paralympians" | "ipc" | "npc" | "wheelchair" | "boccia"
            | "goalball" => cues.push(Movement::Paralympic),
            "olympian" | "olympians" | "ioc" | "noc" => cues.push(Movement::Olympic),
            w if w.starts_with("para")
                && w.len() > 6
                && !w.starts_with("paralymp")
                && !matches!(w, "paragraph" | "parade" | "parallel") =>
            {
                cues.push(Movement::Paralympic)
            }
            "para" => cues.push(Movement::Paralympic),
            "table" | "tally" | "standings" | "overall" | "rankings" | "ranking" => table = true,
            "count" if is_any(i.checked_sub(1).map(|p| &tokens[p]), &["medal", "medals"]) => {
                table = true
            }
            "respectively" => reading.respectively = true,
            _ => {}
        }
    }
    for m in &reading.mentions {
        if let What::Sport(s) = &m.what {
            if s.para {
                cues.push(Movement::Paralympic);
            }
        }
    }
    cues.sort();
    cues.dedup();
    reading.cues = cues;
    reading.table_context = table;
}

struct Bounded {
    bound: Bound,
    delta: i64,
}

/// The bound written before a number at `i`: "at least", "more than", "up
/// to"; `None` when it is approximate ("nearly", "about").
fn bound_before(tokens: &[Token], start: usize, i: usize) -> Option<Bounded> {
    let before = |k: usize| i.checked_sub(k).filter(|p| *p >= start).map(|p| &tokens[p]);
    if is_any(before(1), APPROXIMATE)
        || (is_any(before(1), &["to"]) && is_any(before(2), &["close"]))
    {
        return None;
    }
    let exact = Bounded {
        bound: Bound::Exact,
        delta: 0,
    };
    Some(
        match (
            before(2).map(|t| t.norm.as_str()),
            before(1).map(|t| t.norm.as_str()),
        ) {
            (Some("at"), Some("least")) => Bounded {
                bound: Bound::AtLeast,
                delta: 0,
            },
            (Some("at"), Some("most")) | (Some("up"), Some("to")) => Bounded {
                bound: Bound::AtMost,
                delta: 0,
            },
            (Some("more" | "over"), Some("than")) => Bounded {
                bound: Bound::AtLeast,
                delta: 1,
            },
            (Some("fewer" | "less"), Some("than")) => Bounded {
                bound: Bound::AtMost,
                delta: -1,
            },
            (Some("just"), Some("over" | "under")) => return None,
            (_, Some("over")) if !is_any(before(2), &["won", "took", "claimed", "'s"]) => Bounded {
                bound: Bound::AtLeast,
                delta: 1,
            },
            (_, Some("under")) => Bounded {
                bound: Bound::AtMost,
                delta: -1,
            },
            _ => exact,
        },
    )
}

/// Whether a number at `i` (ending before `next`) is a year, a measure, a
/// date or an age ("22-year-old", "two-time") rather than a count.
fn not_a_count(tokens: &[Token], i: usize, next: usize) -> bool {
    let t = &tokens[i];
    let year_like = t.kind == Kind::Number
        && t.end - t.start == 4
        && t.value.is_some_and(|v| (1850..=2100).contains(&v));
    let after = tokens.get(next);
    let age = is_any(after, &["-"])
        && is_any(
            tokens.get(next + 1),
            &["year", "years", "time", "times", "day", "week", "month"],
        );
    let before = i.checked_sub(1).map(|p| &tokens[p]);
    let dated = is_any(before, MONTHS) || is_any(before, &["no", "number", "#", "aged", "age"]);
    year_like || is_any(after, UNITS) || is_any(after, MONTHS) || age || dated
}

/// Words before a count that make it a career's ("his previous 4 medals",
/// "bringing his total to 7"), not a games'.
fn career_before(tokens: &[Token], start: usize, i: usize) -> bool {
    let before: Vec<&str> = (1..=4)
        .filter_map(|k| i.checked_sub(k).filter(|p| *p >= start))
        .map(|p| tokens[p].norm.as_str())
        .collect();
    before.iter().any(|w| CAREER.contains(w))
        || (before.iter().any(|w| matches!(*w, "his" | "her"))
            && before.iter().any(|w| matches!(*w, "total" | "tally")))
}

/// Skips words that may stand between a number and what it counts.
fn skip(tokens: &[Token], mut k: usize, end: usize, words: &[&str], max: usize) -> usize {
    let mut n = 0;
    while k < end && n < max && is_any(tokens.get(k), words) {
        k += 1;
        n += 1;
    }
    k
}

#[rustfmt::skip]
const ADJECTIVES: &[&str] = &[
    "olympic", "paralympic", "more", "further", "additional", "individual", "team", "total", "new",
    "historic", "different", "overall",
];

/// Finds the figures the sentence states.
fn items(tokens: &[Token], reading: &mut Reading) {
    let (start, end) = (reading.start, reading.end);
    let team_context = (start..end).any(|k| {
        is_any(
            tokens.get(k),
            &["team", "squad", "delegation", "contingent"],
        )
    });
    let mut found: Vec<Item> = Vec::new();
    let item = |found: &mut Vec<Item>,
                figure: Figure,
                value: u64,
                bound: &Bounded,
                counted: bool,
                s: usize,
                e: usize| {
        let value = value as i64 + bound.delta;
        if let Ok(value) = u32::try_from(value) {
            let mut it = new_item(figure, value, bound.bound, s, e);
            it.counted = counted;
            found.push(it);
        }
    };
    let mut i = start;
    while i < end {
        let t = &tokens[i];
        // Numbers inside a delegation's or games' name are not counts.
        if reading
            .mentions
            .iter()
            .any(|m| matches!(m.what, What::Games(_)) && (m.start..m.end).contains(&i))
        {
            i += 1;
            continue;
        }
        // "N-N-N": gold, silver and bronze.
        if let Some((values, next)) = triple(tokens, i, end) {
            let exact = Bounded {
                bound: Bound::Exact,
                delta: 0,
            };
            for (figure, v) in [Figure::Gold, Figure::Silver, Figure::Bronze]
                .into_iter()
                .zip(values)
            {
                item(&mut found, figure, v, &exact, true, i, next);
            }
            i = next;
            continue;
        }
        let read = cardinal(tokens, i).filter(|r| r.next <= end).or_else(|| {
            (t.is("no") && (colour_at(tokens, i + 1) || is_any(tokens.get(i + 1), MEDAL_NOUNS)))
                .then_some(Read {
                    value: 0,
                    next: i + 1,
                })
        });
        if let Some(Read { value, next }) = read {
            if not_a_count(tokens, i, next) || career_before(tokens, start, i) {
                i = next;
                continue;
            }
            let Some(bound) = bound_before(tokens, start, i) else {
                i = next;
                continue;
            };
            if let Some((figure, e)) = counted(tokens, next, end, team_context) {
                // "two more medals than", "twice as many": a comparison, not a figure.
                let compared = (e..(e + 4).min(end)).any(|k| tokens[k].is("than"))
                    && (next..e).any(|k| is_any(tokens.get(k), &["more", "fewer", "less"]));
                if !compared {
                    item(&mut found, figure, value, &bound, true, i, e);
                }
                i = e;
                continue;
            }
            // "a total of 11" with no noun, and "11 in total"
            let total_of = i >= 2 && tokens[i - 1].is("of") && tokens[i - 2].is("total");
            let in_total = is_any(tokens.get(next), &["in"])
                && is_any(tokens.get(next + 1), &["total", "all"]);
            if total_of || in_total {
                item(
                    &mut found,
                    Figure::Total,
                    value,
                    &bound,
                    true,
                    i,
                    if in_total { next + 2 } else { next },
                );
            }
            i = next;
            continue;
        }
        if let Some(r) = rank_at(tokens, i, start, end) {
            found.push(r);
            i = found.last().map_or(i + 1, |r| r.end.max(i + 1));
            continue;
        }
        i += 1;
    }
    for mut f in found {
        f.clause = reading.clause_at(f.start);
        reading.items.push(f);
    }
    uncounted(tokens, reading);
    reading.items.sort_by_key(|it| it.start);
    for it in &mut reading.items {
        it.clause = reading.clause_of[it.start - reading.start];
    }
}

/// "2-2-3", "(4-2-5)": three small numbers joined by hyphens.
fn triple(tokens: &[Token], i: usize, end: usize) -> Option<([u64; 3], usize)> {
    if i + 5 > end {
        return None;
    }
    let w = &tokens[i..i + 5];
    let joined = w[1].is("-") && w[3].is("-") && w.iter().skip(1).all(|t| !t.space_before);
    let numbers: Option<Vec<u64>> = [0, 2, 4]
        .iter()
        .map(|&k| {
            (w[k].kind == Kind::Number)
                .then_some(w[k].value)
                .flatten()
                .filter(|v| *v < 400)
        })
        .collect();
    let after_digit = tokens
        .get(i + 5)
        .is_some_and(|t| t.is("-") && !t.space_before);
    match numbers {
        Some(v) if joined && !after_digit => Some(([v[0], v[1], v[2]], i + 5)),
        _ => None,
    }
}

/// What a number counts, read from token `k` on: the figure and the token after it.
fn counted(tokens: &[Token], k: usize, end: usize, team_context: bool) -> Option<(Figure, usize)> {
    // "4 of the medals were gold", "40 of them gold", "2 were silver"
    let gap = skip(
        tokens,
        k,
        end,
        &[
            "of", "the", "them", "these", "those", "its", "their", "his", "her", "medals", "were",
            "was", "are", "is", "being",
        ],
        4,
    );
    if let Some(c) = tokens.get(gap).filter(|_| gap < end).and_then(colour) {
        let mut e = gap + 1;
        if is_any(tokens.get(e), MEDAL_NOUNS) && e < end {
            e += 1;
        }
        if is_any(tokens.get(e), NOT_WON)
            && !is_any(
                tokens.get(e),
                &["-", "haul", "tally", "count", "table", "place"],
            )
        {
            return None;
        }
        return Some((c, e));
    }
    // "seven medals", "7 Paralympic medals", "three more medals", "187 awards"
    let adj = skip(tokens, k, end, ADJECTIVES, 3);
    if is_any(tokens.get(adj), MEDAL_NOUNS) && adj < end {
        if is_any(tokens.get(adj + 1), NOT_WON)
            && !is_any(
                tokens.get(adj + 1),
                &["-", "haul", "tally", "count", "table"],
            )
        {
            return None;
        }
        return Some((Figure::Total, adj + 1));
    }
    // "three more (1 silver and 2 bronze)"
    if is_any(tokens.get(k), &["more"]) && is_any(tokens.get(k + 1), &["("]) {
        return Some((Figure::Total, k + 1));
    }
    // "48 athletes", "18 of Azerbaijani Paralympians", "a 48-strong team", "18 members"
    let people = skip(
        tokens,
        k,
        end,
        &[
            "of", "the", "its", "their", "our", "national", "top", "elite",
        ],
        3,
    );
    let people = skip_adjective(tokens, people, end);
    if is_any(tokens.get(people), ATHLETE_NOUNS) && people < end {
        // "8 athletes won medals" counts medallists.
        if is_any(tokens.get(people + 1), &["won", "claimed", "took"])
            && is_any(tokens.get(people + 2), &["medals", "a", "medal"])
        {
            return Some((Figure::Medallists, people + 1));
        }
        return Some((Figure::Athletes, people + 1));
    }
    if tokens.get(people).is_some_and(|t| t.is("para"))
        && is_any(tokens.get(people + 2), &["athletes"])
    {
        return Some((Figure::Athletes, people + 3));
    }
    if is_any(tokens.get(k), &["members"]) && team_context {
        return Some((Figure::Athletes, k + 1));
    }
    if is_any(tokens.get(k), &["-"])
        && is_any(tokens.get(k + 1), &["strong", "member", "athlete"])
        && is_any(
            tokens.get(k + 2),
            &["team", "squad", "delegation", "contingent"],
        )
    {
        return Some((Figure::Athletes, k + 3));
    }
    // "in 15 sports"
    let sports = skip(tokens, k, end, &["different", "olympic", "paralympic"], 1);
    if is_any(tokens.get(sports), &["sports"])
        && sports < end
        && !is_any(tokens.get(sports + 1), NOT_WON)
    {
        return Some((Figure::Sports, sports + 1));
    }
    // "eight of them were among the prize winners", "8 medallists"
    let m = skip(
        tokens,
        k,
        end,
        &[
            "of",
            "them",
            "were",
            "are",
            "among",
            "the",
            "its",
            "their",
            "different",
        ],
        5,
    );
    if is_any(tokens.get(m), &["prize", "medal"]) && is_any(tokens.get(m + 1), &["winners", "-"]) {
        let e = if tokens.get(m + 1).is_some_and(|t| t.is("-")) {
            m + 3
        } else {
            m + 2
        };
        return Some((Figure::Medallists, e.min(end)));
    }
    if is_any(tokens.get(m), MEDALLIST_NOUNS) && m < end && !tokens[m].norm.starts_with("winner") {
        return Some((Figure::Medallists, m + 1));
    }
    if is_any(tokens.get(k), &["of"])
        && is_any(tokens.get(k + 1), &["them"])
        && is_any(tokens.get(k + 2), &["won"])
        && is_any(tokens.get(k + 3), &["medals", "a"])
    {
        return Some((Figure::Medallists, k + 3));
    }
    None
}

/// Skips a delegation's adjective written before a noun ("Azerbaijani Paralympians").
fn skip_adjective(tokens: &[Token], k: usize, end: usize) -> usize {
    // The adjective is a capitalised word; the noun must follow it.
    if k + 1 < end && tokens[k].cap && is_any(tokens.get(k + 1), ATHLETE_NOUNS) {
        return k + 1;
    }
    k
}

/// An item with nothing bound to it yet.
fn new_item(figure: Figure, value: u32, bound: Bound, start: usize, end: usize) -> Item {
    Item {
        figure,
        value,
        bound,
        counted: true,
        plural: false,
        title: false,
        start,
        end,
        clause: 0,
        group: 0,
        games: None,
        sport: None,
        this_time: false,
        also: Vec::new(),
    }
}

fn rank_item(value: u64, bound: Bound, start: usize, end: usize) -> Option<Item> {
    Some(new_item(
        Figure::Rank,
        u32::try_from(value).ok()?,
        bound,
        start,
        end,
    ))
}

/// A rank in the medal table at token `i`: "30th place", "ranked 30th",
/// "topped the medal table", "in the top ten".
fn rank_at(tokens: &[Token], i: usize, start: usize, end: usize) -> Option<Item> {
    let t = &tokens[i];
    let before = |k: usize| i.checked_sub(k).filter(|p| *p >= start).map(|p| &tokens[p]);
    // "topped the (overall) (medal) table", "top of the medal standings", "led the table"
    if is_any(
        Some(t),
        &[
            "topped", "tops", "top", "led", "leads", "headed", "heads", "topping", "leading",
        ],
    ) {
        let mut k = i + 1;
        if t.is("top") || t.is("head") {
            if !is_any(tokens.get(k), &["of"]) {
                return top_n(tokens, i, start, end);
            }
            k += 1;
        }
        k = skip(
            tokens,
            k,
            end,
            &[
                "the",
                "overall",
                "final",
                "medal",
                "medals",
                "paralympic",
                "olympic",
            ],
            4,
        );
        if is_any(
            tokens.get(k),
            &["table", "standings", "tally", "count", "rankings"],
        ) && k < end
        {
            return rank_item(1, Bound::Exact, i, k + 1);
        }
        return None;
    }
    if is_any(Some(t), &["outside"])
        && is_any(tokens.get(i + 1), &["the"])
        && is_any(tokens.get(i + 2), &["top"])
    {
        let n = cardinal(tokens, i + 3).filter(|r| r.next <= end)?;
        return rank_item(n.value + 1, Bound::AtLeast, i, n.next);
    }
    let read = ordinal(tokens, i).filter(|r| r.next <= end)?;
    let next = read.next;
    let after = tokens.get(next).filter(|_| next < end);
    // "30th place", "28th place overall", "30th position"
    let place = skip(tokens, next, end, &["overall"], 1);
    if is_any(tokens.get(place), &["place", "position", "spot", "rank"]) && place < end {
        if is_any(tokens.get(place + 1), &["in", "at"])
            && is_any(tokens.get(place + 2), &["the"])
            && is_any(
                tokens.get(place + 3),
                &["final", "race", "heat", "semifinal", "semi"],
            )
        {
            return None;
        }
        return rank_item(read.value, Bound::Exact, i, place + 1);
    }
    // "ranked 30th", "finished second", "rose to 28th", "was third"
    let verbs = [
        "ranked",
        "ranking",
        "ranks",
        "finished",
        "finishing",
        "finish",
        "finishes",
        "placed",
        "placing",
        "came",
        "coming",
        "ended",
        "ending",
        "sits",
        "sat",
        "stood",
        "stands",
        "lies",
        "remained",
        "remains",
        "rose",
        "climbed",
        "moved",
        "jumped",
        "slipped",
        "dropped",
        "fell",
        "rising",
        "climbing",
        "was",
        "were",
        "is",
        "are",
    ];
    let mut k = 1;
    if is_any(before(k), &["the"]) {
        k += 1;
    }
    let through = is_any(before(k), &["to", "in", "at"]);
    if through {
        k += 1;
    }
    if is_any(before(k), &["up", "down"]) {
        k += 1;
    }
    let verb = before(k);
    let copula = is_any(verb, &["was", "were", "is", "are"]);
    let had_the = is_any(before(1), &["the"]);
    if is_any(verb, &verbs) && !(copula && (had_the || through)) {
        let blocked = is_any(
            after,
            &[
                "time",
                "to",
                "of",
                "medal",
                "gold",
                "silver",
                "bronze",
                "edition",
                "consecutive",
                "straight",
                "successive",
                "country",
                "nation",
                "team",
                "athlete",
                "woman",
                "man",
                "ever",
                "-",
                "olympic",
                "paralympic",
                "games",
                "summer",
                "winter",
            ],
        );
        // "finished fourth in the 100m" is no rank in the table; "30th in the overall medal count" is.
        let table_word = |k: usize| {
            is_any(
                tokens.get(k),
                &[
                    "overall",
                    "medal",
                    "medals",
                    "standings",
                    "table",
                    "tally",
                    "count",
                    "rankings",
                ],
            )
        };
        let in_event = is_any(after, &["in", "at"]) && !(next + 1..next + 4).any(table_word);
        let not_rank = blocked || in_event;
        if !not_rank {
            return rank_item(read.value, Bound::Exact, i, next);
        }
    }
    None
}

/// "top ten", "top 10", "top-10", "top five" (at `i`, the word "top").
fn top_n(tokens: &[Token], i: usize, start: usize, end: usize) -> Option<Item> {
    let mut k = i + 1;
    if is_any(tokens.get(k), &["-"]) {
        k += 1;
    }
    let n = cardinal(tokens, k).filter(|r| r.next <= end && r.value >= 2)?;
    let before = |j: usize| i.checked_sub(j).filter(|p| *p >= start).map(|p| &tokens[p]);
    let placed = is_any(before(1), &["the"])
        && is_any(before(2), &["in", "into", "among", "within", "inside"])
        || is_any(before(1), &["a"]);
    placed
        .then(|| rank_item(n.value, Bound::AtMost, i, n.next))
        .flatten()
}

/// Colours without a number: "won gold", "settled for bronze", "gold and
/// silver medals", "Tokyo 2020 bronze medalist", "became the Paralympic
/// champion", "the highest and third level of the podium".
fn uncounted(tokens: &[Token], reading: &mut Reading) {
    let (start, end) = (reading.start, reading.end);
    let mut new: Vec<Item> = Vec::new();
    let add =
        |figure: Figure, s: usize, e: usize, plural: bool, title: bool, new: &mut Vec<Item>| {
            let mut it = new_item(figure, 1, Bound::Exact, s, e);
            it.counted = false;
            it.plural = plural;
            it.title = title;
            new.push(it);
        };
    for i in start..end {
        if reading.covered(i) {
            continue;
        }
        let t = &tokens[i];
        let before = |k: usize| i.checked_sub(k).filter(|p| *p >= start).map(|p| &tokens[p]);
        if let Some(figure) = colour(t) {
            let mut e = i + 1;
            let mut plural = t.norm.ends_with('s');
            if is_any(tokens.get(e), MEDAL_NOUNS) && e < end {
                plural |= tokens[e].norm.ends_with('s');
                e += 1;
            }
            let title = is_any(tokens.get(e), MEDALLIST_NOUNS) && e < end;
            if title {
                plural |= tokens[e].norm.ends_with('s');
                e += 1;
            } else if tokens.get(e).is_some_and(|n| n.is_word() && e < end)
                && !is_any(
                    tokens.get(e),
                    &[
                        "and",
                        "or",
                        "in",
                        "at",
                        "for",
                        "this",
                        "after",
                        "with",
                        "to",
                        "on",
                        "as",
                        "while",
                        "but",
                        "from",
                        "that",
                        "when",
                        "before",
                        "again",
                        "last",
                        "too",
                        "also",
                        "once",
                        "by",
                        "award",
                        "awards",
                        "then",
                        "behind",
                        "ahead",
                        "respectively",
                    ],
                )
            {
                continue;
            }
            if is_any(tokens.get(e), NOT_WON) && e < end {
                continue;
            }
            // "Olympic gold medalist", "world champion", "two-time": a career's title.
            let honorific = is_any(
                before(1),
                &[
                    "olympic",
                    "paralympic",
                    "world",
                    "european",
                    "asian",
                    "commonwealth",
                    "national",
                    "former",
                    "reigning",
                    "defending",
                    "double",
                    "triple",
                ],
            ) || (is_any(before(1), &["-"]) && is_any(before(2), &["time"]));
            let games_before = reading
                .mentions
                .iter()
                .any(|m| matches!(m.what, What::Games(_)) && m.end == i);
            if honorific && !games_before {
                continue;
            }
            // "the gold medal match" was excluded above; "a gold" in "a gold standard" too.
            add(figure, i, e, plural, title, &mut new);
            continue;
        }
        if t.is("champion") || t.is("champions") {
            let became = (1..=5).any(|k| {
                is_any(
                    before(k),
                    &["became", "become", "becomes", "becoming", "crowned"],
                )
            });
            let modified = (1..=4).any(|k| {
                is_any(
                    before(k),
                    &[
                        "world",
                        "european",
                        "asian",
                        "former",
                        "reigning",
                        "defending",
                        "double",
                        "triple",
                        "time",
                        "national",
                    ],
                )
            });
            if became && !modified {
                add(Figure::Gold, i, i + 1, t.is("champions"), false, &mut new);
            }
            continue;
        }
        // "the highest and third level of the podium", "the top step of the podium"
        if t.is("podium")
            && is_any(before(1), &["the"])
            && is_any(before(2), &["of"])
            && is_any(
                before(3),
                &["step", "steps", "level", "levels", "rung", "spot", "place"],
            )
        {
            let mut colours: Vec<(Figure, usize)> = Vec::new();
            let mut k = 4;
            while let Some(w) = before(k) {
                let figure = match w.norm.as_str() {
                    "highest" | "top" | "first" => Some(Figure::Gold),
                    "second" => Some(Figure::Silver),
                    "third" | "lowest" => Some(Figure::Bronze),
                    "and" | "," => None,
                    _ => break,
                };
                if let Some(f) = figure {
                    colours.push((f, i - k));
                }
                k += 1;
            }
            colours.reverse();
            for (f, at) in colours {
                add(f, at, at + 1, false, false, &mut new);
            }
        }
    }
    for it in new {
        reading.items.push(it);
    }
}

/// Joins items written together into groups, and binds to each group what
/// follows it: "in athletics", "at Tokyo 2020", "this time", "as in Tokyo 2020".
fn groups(tokens: &[Token], reading: &mut Reading) {
    let connectors = [
        ",",
        "and",
        "including",
        "incl",
        ":",
        "(",
        ")",
        "-",
        "plus",
        "as",
        "well",
        "medals",
        "medal",
        "of",
        "which",
        "with",
        "a",
        "total",
        "were",
        "was",
        "'s",
    ];
    let mut group = 0;
    for k in 0..reading.items.len() {
        if k > 0 {
            let (prev_end, this_start) = (reading.items[k - 1].end, reading.items[k].start);
            let joined = prev_end <= this_start
                && (prev_end..this_start).all(|j| is_any(tokens.get(j), &connectors))
                && reading.items[k - 1].clause == reading.items[k].clause;
            let same_span = prev_end > this_start;
            if !joined && !same_span {
                group += 1;
            }
        }
        reading.items[k].group = group;
    }
    let groups = reading.items.last().map_or(0, |it| it.group + 1);
    for g in 0..groups {
        let members: Vec<usize> = (0..reading.items.len())
            .filter(|&k| reading.items[k].group == g)
            .collect();
        let last_end = members
            .iter()
            .map(|&k| reading.items[k].end)
            .max()
            .unwrap_or(reading.start);
        let first_start = members
            .iter()
            .map(|&k| reading.items[k].start)
            .min()
            .unwrap_or(reading.start);
        let mut k = skip(
            tokens,
            last_end,
            reading.end,
            &[
                "medals",
                "medal",
                "this",
                "time",
                "around",
                "year",
                "overall",
                "each",
                "respectively",
                ",",
            ],
            4,
        );
        let this_time = (last_end..k).any(|j| tokens[j].is("this"))
            || (first_start.saturating_sub(4).max(reading.start)..first_start)
                .any(|j| tokens[j].is("this") && is_any(tokens.get(j + 1), &["time", "year"]));
        let mut sport = None;
        let mut games = None;
        let mut also = Vec::new();
        // "in athletics", "at Tokyo 2020", "in the long jump"
        for _ in 0..2 {
            if is_any(tokens.get(k), &["in", "at", "for"]) {
                let at = k + 1 + usize::from(is_any(tokens.get(k + 1), &["the"]));
                if let Some(m) = mention_at(reading, at) {
                    match &reading.mentions[m].what {
                        What::Sport(s) if sport.is_none() && !s.agent => sport = Some(m),
                        What::Games(_) if games.is_none() => games = Some(m),
                        _ => break,
                    }
                    k = reading.mentions[m].end;
                    continue;
                }
            }
            // "as in Tokyo 2020"
            if is_any(tokens.get(k), &[","]) {
                k += 1;
            }
            if is_any(tokens.get(k), &["as", "like"]) {
                let at = skip(
                    tokens,
                    k + 1,
                    reading.end,
                    &["in", "at", "the", "he", "she", "they", "did", "had"],
                    4,
                );
                if let Some(m) = mention_at(reading, at) {
                    if matches!(reading.mentions[m].what, What::Games(_)) {
                        also.push(m);
                        k = reading.mentions[m].end;
                    }
                }
            }
            break;
        }
        // A games written just before a title: "Tokyo 2020 bronze medalist".
        for &it in &members {
            let item = &mut reading.items[it];
            item.this_time |= this_time;
            item.sport = item.sport.or(sport);
            item.also.extend(also.iter().copied());
            item.games = games.or_else(|| {
                reading.mentions.iter().position(|m| {
                    matches!(m.what, What::Games(_)) && m.end == first_start && item.title
                })
            });
        }
    }
}

/// The mention that begins at token `at`.
fn mention_at(reading: &Reading, at: usize) -> Option<usize> {
    reading.mentions.iter().position(|m| m.start == at)
}
