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
use super::items;
use super::lexicon::{Lexicon, Target};
use super::names::athlete_at;
use super::numbers::cardinal;
use super::sport_words;
use super::tokens::{Kind, Token};
use super::words::{colour, is_any, PERSON_NOUNS, TABLE_WORDS};

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
    /// A games named by its city alone ("in Tokyo"): it carries to no other sentence.
    pub weak: bool,
    /// Written with "'s": it owns what follows ("Marchand's four titles") and is no subject.
    pub possessive: bool,
    /// "level with Australia", "tied with Croatia": it shares the clause's counts.
    pub level: bool,
    /// The sport a subject is qualified by ("Team GB's rowers", "the hockey team"): a mention index.
    pub sport: Option<usize>,
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
    /// "Total medals: 124": a line of a fact box, about the delegation the article is about.
    pub label: bool,
    /// The mention it belongs to by how it is written ("Kenya's 11 medals", "Kenya 17th").
    pub owner: Option<usize>,
    /// "now has four Olympic titles": held so far, a career's when an athlete's.
    pub held: bool,
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

/// Reads the sentence of tokens `start..end`; `named` are the athletes the
/// article named before (a surname alone may then name one).
pub fn read(
    tokens: &[Token],
    start: usize,
    end: usize,
    lexicon: &Lexicon,
    named: &[u32],
) -> Reading {
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
    mentions(tokens, lexicon, named, &mut reading);
    qualifiers(tokens, &mut reading);
    cues(tokens, &mut reading);
    items::find(tokens, &mut reading);
    reading
}

impl Reading {
    pub fn clause_at(&self, token: usize) -> usize {
        self.clause_of
            .get(token.saturating_sub(self.start))
            .copied()
            .unwrap_or(0)
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
        // Brackets, and a pair of spaced dashes (" - 25 gold, 26 silver - "), enclose no clause.
        let spaced_dash = t.is("-") && t.space_before && t.space_after;
        if t.is("(") || (spaced_dash && depth == 0 && dash_closes(tokens, i + 1, end)) {
            depth += 1;
        } else if t.is(")") || (spaced_dash && depth > 0) {
            depth = depth.saturating_sub(1);
            of.push(current);
            continue;
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

/// Whether a spaced dash closes, later in the sentence, the one before `from`.
fn dash_closes(tokens: &[Token], from: usize, end: usize) -> bool {
    (from..end).any(|k| tokens[k].is("-") && tokens[k].space_before && tokens[k].space_after)
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
        weak: false,
        possessive: false,
        level: false,
        sport: None,
    });
}

/// Verbs that make a sport at the head of a clause its subject ("Judo was
/// again the richest source", "Swimming brought 20 golds").
#[rustfmt::skip]
const SUBJECT_VERBS: &[&str] = &[
    "was", "were", "is", "are", "has", "have", "had", "brought", "accounted", "gave", "delivered",
    "contributed", "produced", "provided", "added", "won", "saw", "yielded", "led", "topped",
    "claimed", "took", "collected", "remained", "proved", "bagged", "secured", "earned",
];

/// Nouns that make a sport before them a team ("the hockey team", "sitting volleyball players").
const TEAM_NOUNS: &[&str] = &[
    "team", "squad", "side", "players", "teams", "crew", "quartet", "pair",
];

/// Finds what the sentence names.
fn mentions(tokens: &[Token], lexicon: &Lexicon, named: &[u32], reading: &mut Reading) {
    let (start, end) = (reading.start, reading.end);
    let mut i = start;
    while i < end {
        let t = &tokens[i];
        let count = reading.mentions.len();
        let next = mention_at(tokens, lexicon, named, reading, i);
        if let Some(m) = reading.mentions.get_mut(count) {
            m.possessive = is_any(tokens.get(m.end), &["'s"]);
        }
        if next > i {
            i = next;
            continue;
        }
        if is_any(
            Some(t),
            &[
                "they",
                "them",
                "their",
                "we",
                "our",
                "us",
                "teammates",
                "compatriots",
            ],
        ) && !(t.norm == "us" && t.caps)
        {
            push(reading, What::Anaphor, i, i + 1);
        } else if is_any(Some(t), &["he", "she", "his", "her", "him", "hers"]) {
            push(reading, What::AthleteRef, i, i + 1);
        } else if t.is("team")
            && is_any(tokens.get(i + 1), &["-"])
            && is_any(tokens.get(i + 2), &["mates"])
        {
            push(reading, What::Anaphor, i, i + 3);
            i += 2;
        }
        i += 1;
    }
}

/// Reads the mention at token `i`, if one begins there: the index after it.
fn mention_at(
    tokens: &[Token],
    lexicon: &Lexicon,
    named: &[u32],
    reading: &mut Reading,
    i: usize,
) -> usize {
    let (start, end) = (reading.start, reading.end);
    let t = &tokens[i];
    if let Some(found) = games_ref::at(&tokens[..end], i, lexicon) {
        let passing = i > start && passing_before(tokens, start, found.start);
        push(reading, What::Games(found.games), found.start, found.end);
        if let Some(m) = reading.mentions.last_mut() {
            m.passing = passing;
        }
        return found.end;
    }
    if t.cap {
        if let Some((athlete, next)) = athlete_at(tokens, i, end, lexicon) {
            // "behind Brazil's Rebeca Andrade": an athlete owned by a delegation that
            // is no subject is none either.
            let object_owned = reading.mentions.last().is_some_and(|p| {
                matches!(p.what, What::Delegation(_))
                    && !p.subject
                    && p.possessive
                    && p.end + 1 == i
            });
            push(reading, What::Athlete(athlete), i, next);
            if let Some(m) = reading.mentions.last_mut() {
                m.subject = !not_subject_before(tokens, start, i) && !object_owned;
            }
            return next;
        }
        // A surname alone, of an athlete the article named before ("Khalilov's gold medal").
        let known: Vec<u32> = named
            .iter()
            .copied()
            .filter(|&a| {
                lexicon.athletes()[a as usize]
                    .spellings
                    .iter()
                    .any(|s| s.last() == Some(&t.norm))
            })
            .collect();
        if let [a] = known.as_slice() {
            if !tokens.get(i + 1).is_some_and(|n| n.cap && n.is_word()) {
                push(reading, What::Athlete(*a), i, i + 1);
                return i + 1;
            }
        }
        // A city alone: "at Tokyo", "in Paris".
        if i > start && is_any(tokens.get(i - 1), &["in", "at"]) {
            if let Some((editions, next)) = lexicon.city_at(tokens, i) {
                let named_on = tokens.get(next).is_some_and(|n| n.cap && n.is_word());
                if !named_on && lexicon.delegation_at(&tokens[..end], i).is_none() {
                    let games = GamesRef::city(editions.to_vec());
                    push(reading, What::Games(games), i, next);
                    if let Some(m) = reading.mentions.last_mut() {
                        m.weak = true;
                        m.passing = passing_before(tokens, start, i);
                    }
                    return next;
                }
            }
        }
    }
    if let Some((target, next)) = lexicon.delegation_at(&tokens[..end], i) {
        // A code is a delegation only when the words around it are not in capitals too.
        let lone_code = next == i + 1 && t.caps && t.norm.len() == 3 && {
            let around = |k: Option<&Token>| k.is_some_and(|k| k.caps && k.is_word());
            around(i.checked_sub(1).and_then(|p| tokens.get(p))) || around(tokens.get(next))
        };
        if let (Target::Delegation(noc), false) = (target, lone_code) {
            // "behind the United States and China": a list shares its first one's role.
            let listed_after = reading.mentions.last().filter(|p| {
                matches!(p.what, What::Delegation(_))
                    && i > 0
                    && is_any(tokens.get(i - 1), &["and", ","])
                    && p.end + 1 == i
            });
            let follows_non_subject = listed_after.is_some_and(|p| !p.subject);
            let level = level_with(tokens, start, i) || listed_after.is_some_and(|p| p.level);
            push(reading, What::Delegation(noc), i, next);
            if let Some(m) = reading.mentions.last_mut() {
                m.subject = !not_subject_before(tokens, start, i)
                    && !follows_non_subject
                    && !modifies_person(tokens, next);
                m.level = level;
            }
        }
        return next;
    }
    if let Some(found) = lexicon.sport_words().at(&tokens[..end], i) {
        let next = found.end;
        let agent_plural = found.agent && tokens[next - 1].norm.ends_with('s');
        push(reading, What::Sport(found), i, next);
        let sport = reading.mentions.len() - 1;
        // A sport that is a clause's subject stands for the delegation in that sport:
        // "the hockey team", "Para judokas contributed", "Judo was again the richest source".
        let team = is_any(tokens.get(next), TEAM_NOUNS);
        let after = (next..end)
            .find(|&k| !is_any(tokens.get(k), &["also", "again", "once", "then", "alone"]));
        let verb = after.is_some_and(|k| is_any(tokens.get(k), SUBJECT_VERBS));
        if team || (heads_clause(tokens, reading, i) && (agent_plural || verb)) {
            let e = if team { next + 1 } else { next };
            push(reading, What::Anaphor, i, e);
            if let Some(m) = reading.mentions.last_mut() {
                m.sport = Some(sport);
            }
            return e;
        }
        return next;
    }
    if let Some(next) = host_at(tokens, i, end) {
        push(reading, What::Host, i, next);
        return next;
    }
    if let Some(next) = team_anaphor_at(tokens, i, end) {
        push(reading, What::Anaphor, i, next);
        if let Some(m) = reading.mentions.last_mut() {
            m.subject = !modifies_person(tokens, next);
        }
        return next;
    }
    if let Some(next) = athlete_ref_at(tokens, i, end) {
        push(reading, What::AthleteRef, i, next);
        return next;
    }
    i
}

/// Whether token `i` heads its clause (only articles, "men's" and other sports before it).
fn heads_clause(tokens: &[Token], reading: &Reading, i: usize) -> bool {
    let clause = reading.clause_at(i);
    let from = reading.clauses[clause].start;
    (from..i).all(|k| {
        is_any(
            tokens.get(k),
            &[
                "the", "men", "women", "'s", "para", "-", "and", ",", "while", "but", "its",
                "their",
            ],
        ) || reading
            .mentions
            .iter()
            .any(|m| matches!(m.what, What::Sport(_)) && (m.start..m.end).contains(&k))
    })
}

/// The sports that qualify a subject named just before them: "Team GB's
/// rowers", "Kenyan runners", "team-mates in para athletics".
fn qualifiers(tokens: &[Token], reading: &mut Reading) {
    for k in 0..reading.mentions.len() {
        let m = &reading.mentions[k];
        if !matches!(m.what, What::Delegation(_) | What::Anaphor) || m.sport.is_some() {
            continue;
        }
        let Some(next) = reading.mentions.get(k + 1) else {
            continue;
        };
        let What::Sport(s) = &next.what else { continue };
        let between: Vec<&str> = (m.end..next.start)
            .map(|j| tokens[j].norm.as_str())
            .collect();
        let adjoining = match between.as_slice() {
            [] | ["'s"] => s.agent && tokens[next.end - 1].norm.ends_with('s'),
            ["in"] | ["'s", "in"] => !s.agent,
            _ => false,
        };
        if adjoining {
            reading.mentions[k].sport = Some(k + 1);
        }
    }
}

/// Whether a possessive at `next` ("the team's standout performer") names
/// a person: then the delegation or team before it is no subject.
pub fn modifies_person(tokens: &[Token], next: usize) -> bool {
    is_any(tokens.get(next), &["'s"])
        && (next + 1..next + 3).any(|k| {
            is_any(
                tokens.get(k),
                &[
                    "standout",
                    "star",
                    "performer",
                    "captain",
                    "leader",
                    "hero",
                    "heroine",
                    "flagbearer",
                    "veteran",
                    "youngest",
                    "oldest",
                    "best",
                    "leading",
                    "most",
                    "first",
                    "only",
                    "teenage",
                ],
            )
        })
}

/// "level with Australia", "tied with Croatia", "equal with Japan", "the same as China".
fn level_with(tokens: &[Token], start: usize, at: usize) -> bool {
    let before = |k: usize| {
        at.checked_sub(k)
            .filter(|p| *p >= start)
            .map(|p| &tokens[p])
    };
    (is_any(before(1), &["with"])
        && is_any(before(2), &["level", "tied", "equal", "even", "joint"]))
        || (is_any(before(1), &["as"]) && is_any(before(2), &["same"]))
}

/// Words just before a games that name it in passing: "since Sydney 2000",
/// "than at Rio", "as in Tokyo 2020", "as they had in Tokyo".
fn passing_before(tokens: &[Token], start: usize, at: usize) -> bool {
    let before = |k: usize| {
        at.checked_sub(k)
            .filter(|p| *p >= start)
            .map(|p| &tokens[p])
    };
    let markers = [
        "since", "than", "unlike", "compared", "like", "after", "before", "previous",
    ];
    if (1..=3).any(|k| is_any(before(k), &markers)) {
        return true;
    }
    // "as [they had] in X"
    let mut k = 1;
    while is_any(
        before(k),
        &[
            "in", "at", "the", "he", "she", "they", "it", "we", "had", "did", "was", "were", "has",
            "have", "done",
        ],
    ) {
        k += 1;
    }
    k > 1 && is_any(before(k), &["as"])
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
        ],
    ) || (is_any(b1, &["of"]) && is_any(before(2), &["ahead"]))
        || (is_any(
            before(1),
            &[
                "first", "only", "last", "second", "third", "youngest", "oldest", "leading", "top",
                "best", "most",
            ],
        ) && is_any(before(2), &["the"]))
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
    #[rustfmt::skip]
    const TEAMS: &[&str] = &[
        "team", "squad", "delegation", "contingent", "side", "paralympians", "olympians",
    ];
    // "the (country's) (national) team", else "the country", "the nation".
    let mut k = i + 1;
    while k < end
        && is_any(
            tokens.get(k),
            &["national", "whole", "entire", "country", "nation", "'s"],
        )
    {
        k += 1;
    }
    if k < end && is_any(tokens.get(k), TEAMS) {
        return Some(k + 1);
    }
    (i + 1 < end && is_any(tokens.get(i + 1), &["country", "nation"])).then_some(i + 2)
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

/// The movements the sentence's words name.
fn cues(tokens: &[Token], reading: &mut Reading) {
    let mut cues = Vec::new();
    let mut table = false;
    for i in reading.start..reading.end {
        let t = &tokens[i];
        // "Youth Olympic Games": the Youth movement, not the Olympic one.
        let youth_olympic = i > reading.start
            && games_ref::movement_at(tokens, i - 1).is_some_and(|(m, _, _)| m == Movement::Youth);
        if let Some((m, _, _)) = games_ref::movement_at(tokens, i).filter(|_| !youth_olympic) {
            cues.push(m);
        }
        match t.norm.as_str() {
            "paralympian" | "paralympians" | "ipc" | "npc" | "wheelchair" | "boccia"
            | "goalball" => cues.push(Movement::Paralympic),
            // "ParalympicsGB"
            w if w.starts_with("paralympi") && movement_word(t).is_none() => {
                cues.push(Movement::Paralympic)
            }
            "olympian" | "olympians" | "ioc" | "noc" => cues.push(Movement::Olympic),
            w if w.starts_with("para")
                && w.len() > 6
                && !w.starts_with("paralymp")
                && !matches!(w, "paragraph" | "parade" | "parallel") =>
            {
                cues.push(Movement::Paralympic)
            }
            "para" => cues.push(Movement::Paralympic),
            w if TABLE_WORDS.contains(&w) && w != "count" => table = true,
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
