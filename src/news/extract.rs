//! From sentences read to claims: whom each figure is about (a delegation,
//! named or meant by "the national team", "the country", "they"; or
//! athletes, named or meant by "he", "the 22-year-old athlete"), which games
//! (named in the clause, "this time", carried from earlier sentences, or the
//! one the publication date implies), which sport, and whether the value is
//! exact or a bound.
//!
//! Reads as articles are written: a games or delegation named in one
//! sentence carries to the next ones until another is named; a games named
//! about an athlete's past ("who won gold at Tokyo 2020") stays in its
//! clause. When whom or which games a figure is about cannot be told, no
//! claim is made: a figure missed is better than a figure misread.

use std::collections::BTreeSet;
use std::ops::Range;

use jiff::civil::Date;

use super::games_ref::{self, Context};
use super::lexicon::{Athlete, Lexicon};
use super::sentence::{self, ClauseKind, Item, Mention, Reading, What};
use super::sport_words;
use super::tokens::{sentences, tokenize, Token};
use crate::event::{Bound, Claim, Figure, GamesId, Movement, Noc};

/// A claim read from the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    /// The claim, its `quote` the sentence it was read from.
    pub claim: Claim,
    /// The figure's words: bytes of the plain text.
    pub span: Range<usize>,
    /// The sentence: bytes of the plain text.
    pub sentence: Range<usize>,
}

/// What makes two claims one: games, delegation, figure, sport, athlete, bound, value.
type ClaimKey = (
    GamesId,
    Noc,
    Figure,
    Option<String>,
    Option<String>,
    u8,
    u32,
);

/// What earlier sentences said that later ones lean on.
#[derive(Default)]
struct Discourse {
    delegation: Option<Noc>,
    games: Option<usize>,
    movement: Option<Movement>,
    last_athletes: Vec<u32>,
    named_athletes: Vec<u32>,
    /// Editions named so far that had opened by the publication date.
    mentioned: Vec<usize>,
}

/// Whom a figure is about.
#[derive(Clone, Debug)]
enum Subject {
    Delegation(Noc),
    /// A delegation named before: "the national team", "they".
    Anaphor,
    Host,
    Athletes(Vec<u32>),
}

/// Every claim `text` makes that names (or implies) a delegation or an
/// athlete, a games and a figure, in the order written.
pub fn extract(text: &str, published: Date, lexicon: &Lexicon) -> Vec<Extracted> {
    let tokens = tokenize(text);
    let mut discourse = Discourse::default();
    let mut out: Vec<Extracted> = Vec::new();
    for range in sentences(&tokens) {
        let mut reading = sentence::read(&tokens, range.start, range.end, lexicon);
        surnames(&tokens, &mut reading, &discourse, lexicon);
        let span = tokens[range.start].start..tokens[range.end - 1].end;
        let sentence = Sentence {
            tokens: &tokens,
            text,
            reading: &reading,
            lexicon,
            published,
            span,
        };
        sentence.claims(&mut discourse, &mut out);
    }
    // The same claim twice (a headline and its body, a name repeated) is one claim.
    let mut seen: BTreeSet<ClaimKey> = BTreeSet::new();
    out.retain(|e| {
        let c = &e.claim;
        seen.insert((
            c.games.clone(),
            c.noc,
            c.figure,
            c.sport.clone(),
            c.athlete.clone(),
            c.bound as u8,
            c.value,
        ))
    });
    out
}

/// One word naming an athlete the article named before ("Khalilov's gold medal").
fn surnames(tokens: &[Token], reading: &mut Reading, discourse: &Discourse, lexicon: &Lexicon) {
    for (i, t) in tokens
        .iter()
        .enumerate()
        .take(reading.end)
        .skip(reading.start)
    {
        if !t.cap
            || !t.is_word()
            || reading
                .mentions
                .iter()
                .any(|m| (m.start..m.end).contains(&i))
        {
            continue;
        }
        let named: Vec<u32> = discourse
            .named_athletes
            .iter()
            .copied()
            .filter(|&a| {
                let athlete = &lexicon.athletes()[a as usize];
                athlete.spellings.iter().any(|s| s.last() == Some(&t.norm))
            })
            .collect();
        if let [a] = named.as_slice() {
            let clause = reading.clause_at(i);
            reading.mentions.push(Mention {
                what: What::Athlete(*a),
                start: i,
                end: i + 1,
                clause,
                subject: true,
                passing: false,
            });
        }
    }
    reading.mentions.sort_by_key(|m| m.start);
}

struct Sentence<'a> {
    tokens: &'a [Token],
    text: &'a str,
    reading: &'a Reading,
    lexicon: &'a Lexicon,
    published: Date,
    span: Range<usize>,
}

impl Sentence<'_> {
    fn claims(&self, discourse: &mut Discourse, out: &mut Vec<Extracted>) {
        let reading = self.reading;
        // Athletes meant by "he" or "the 22-year-old athlete": the last one named.
        let mut last: Vec<u32> = discourse.last_athletes.clone();
        let mut refs: Vec<Option<u32>> = Vec::with_capacity(reading.mentions.len());
        for m in &reading.mentions {
            refs.push(match m.what {
                What::Athlete(a) => {
                    last = vec![a];
                    Some(a)
                }
                What::AthleteRef => match last.as_slice() {
                    [a] => Some(*a),
                    _ => None,
                },
                _ => None,
            });
        }
        let cue = match reading.cues.as_slice() {
            [m] => Some(*m),
            _ => None,
        };
        // Each games named, resolved with what its clause says of the movement.
        let resolved: Vec<Option<usize>> = reading
            .mentions
            .iter()
            .map(|m| match &m.what {
                What::Games(g) => {
                    let movement = g
                        .movement
                        .filter(|_| !g.both)
                        .or_else(|| {
                            self.athletes_movement(self.clause_athletes(m.clause, m.start, &refs))
                        })
                        .or(cue)
                        .or(discourse.movement);
                    let context = Context {
                        published: self.published,
                        movement,
                    };
                    games_ref::resolve(g, &context, self.lexicon)
                }
                _ => None,
            })
            .collect();
        for e in resolved.iter().flatten() {
            if self.lexicon.editions()[*e].opens <= self.published
                && !discourse.mentioned.contains(e)
            {
                discourse.mentioned.push(*e);
            }
        }
        let bound_mentions: BTreeSet<usize> = reading
            .items
            .iter()
            .filter_map(|it| it.games.filter(|_| it.title))
            .collect();
        let state = State {
            refs: &refs,
            resolved: &resolved,
            cue,
            bound_mentions: &bound_mentions,
        };
        let mut made: Vec<Extracted> = Vec::new();
        self.distribute(discourse, &state, &mut made);
        for it in 0..reading.items.len() {
            self.item(it, discourse, &state, &mut made);
        }
        made.sort_by_key(|e| e.span.start);
        out.extend(made);
        self.carry(discourse, &state);
    }

    /// The athletes a clause names (or means), up to token `before` when given.
    fn clause_athletes(&self, clause: usize, _before: usize, refs: &[Option<u32>]) -> Vec<u32> {
        let mut found = Vec::new();
        for (k, m) in self.reading.mentions.iter().enumerate() {
            if self.in_clause(m.clause, clause, m.start) {
                if let Some(a) = refs[k] {
                    if !found.contains(&a) {
                        found.push(a);
                    }
                }
            }
        }
        found
    }

    /// Whether a mention in clause `of` at token `at` belongs to clause `clause`:
    /// its own, or, for a relative clause, what its parent named before it.
    fn in_clause(&self, of: usize, clause: usize, at: usize) -> bool {
        if of == clause {
            return true;
        }
        let c = &self.reading.clauses[clause];
        c.kind != ClauseKind::Main && c.parent == Some(of) && at < c.start
    }

    /// The movement of athletes' medals when all of them are of one.
    fn athletes_movement(&self, athletes: Vec<u32>) -> Option<Movement> {
        let mut movements: BTreeSet<Movement> = BTreeSet::new();
        for a in athletes {
            for (games, _, _) in &self.lexicon.athletes()[a as usize].medals {
                if let Some(m) = self.lexicon.edition(games).and_then(|e| e.movement) {
                    movements.insert(m);
                }
            }
        }
        match movements.len() {
            1 => movements.into_iter().next(),
            _ => None,
        }
    }

    /// The games an article is about for a movement: the most recent named
    /// that had opened by the publication date, else the one the date implies.
    fn current(&self, discourse: &Discourse, movement: Movement) -> Option<usize> {
        let editions = self.lexicon.editions();
        discourse
            .mentioned
            .iter()
            .copied()
            .filter(|&e| editions[e].movement == Some(movement))
            .max_by_key(|&e| editions[e].opens)
            .or_else(|| games_ref::implied(self.lexicon, movement, self.published))
    }

    fn clause_has_athlete_subject(&self, clause: usize, state: &State) -> bool {
        !self
            .clause_athletes(clause, usize::MAX, state.refs)
            .is_empty()
    }

    /// The games a figure is about.
    fn games_of(
        &self,
        item: &Item,
        movement: Option<Movement>,
        discourse: &Discourse,
        state: &State,
    ) -> Option<usize> {
        let reading = self.reading;
        if let Some(m) = item.games {
            return state.resolved[m];
        }
        let movement_or = |d: &Discourse| movement.or(d.movement).unwrap_or(Movement::Olympic);
        if item.this_time {
            return self.current(discourse, movement_or(discourse));
        }
        let usable = |k: usize, m: &Mention| {
            matches!(m.what, What::Games(_))
                && !m.passing
                && !state.bound_mentions.contains(&k)
                && state.resolved[k].is_some()
        };
        // A games named in the figure's clause: the nearest before it, else after it.
        let in_clause: Vec<usize> = (0..reading.mentions.len())
            .filter(|&k| {
                reading.mentions[k].clause == item.clause && usable(k, &reading.mentions[k])
            })
            .collect();
        let before = in_clause
            .iter()
            .rev()
            .find(|&&k| reading.mentions[k].start < item.start);
        if let Some(&k) = before.or(in_clause.first()) {
            return state.resolved[k];
        }
        let clause = &reading.clauses[item.clause];
        // ", where they won 14 medals": the games the parent clause named last.
        if clause.kind == ClauseKind::Where {
            let parent = clause.parent.unwrap_or(0);
            let named = (0..reading.mentions.len()).rfind(|&k| {
                let m = &reading.mentions[k];
                m.clause == parent && m.start < clause.start && matches!(m.what, What::Games(_))
            });
            if let Some(k) = named {
                return state.resolved[k];
            }
        }
        // A games named in another main clause of the sentence, unless that clause is about an athlete.
        let sentence_level: Vec<usize> = (0..reading.mentions.len())
            .filter(|&k| {
                let m = &reading.mentions[k];
                reading.clauses[m.clause].kind == ClauseKind::Main
                    && usable(k, m)
                    && !self.clause_has_athlete_subject(m.clause, state)
            })
            .collect();
        let before = sentence_level
            .iter()
            .rev()
            .find(|&&k| reading.mentions[k].start < item.start);
        if let Some(&k) = before.or(sentence_level.first()) {
            return state.resolved[k];
        }
        let editions = self.lexicon.editions();
        if let Some(g) = discourse.games {
            if movement.is_none_or(|m| editions[g].movement == Some(m)) {
                return Some(g);
            }
        }
        self.current(discourse, movement_or(discourse))
    }

    /// The subject of a counted figure: the nearest subject before it in its
    /// clause, else after it, else in the sentence.
    fn nearest_subject(
        &self,
        item: &Item,
        state: &State,
        delegations_only: bool,
    ) -> Option<(usize, Subject)> {
        let reading = self.reading;
        let subject_of = |k: usize| -> Option<Subject> {
            let m = &reading.mentions[k];
            match m.what {
                What::Delegation(noc) if m.subject => Some(Subject::Delegation(noc)),
                What::Host => Some(Subject::Host),
                What::Anaphor => Some(Subject::Anaphor),
                What::Athlete(_) | What::AthleteRef if !delegations_only => {
                    state.refs[k].map(|a| Subject::Athletes(vec![a]))
                }
                _ => None,
            }
        };
        let in_clause: Vec<usize> = (0..reading.mentions.len())
            .filter(|&k| {
                self.in_clause(
                    reading.mentions[k].clause,
                    item.clause,
                    reading.mentions[k].start,
                )
            })
            .filter(|&k| subject_of(k).is_some())
            .collect();
        let pick = |list: &[usize]| -> Option<usize> {
            list.iter()
                .rev()
                .find(|&&k| reading.mentions[k].end <= item.start)
                .or_else(|| {
                    list.iter()
                        .find(|&&k| reading.mentions[k].start >= item.end)
                })
                .copied()
        };
        if let Some(k) = pick(&in_clause) {
            return subject_of(k).map(|s| (k, s));
        }
        let all: Vec<usize> = (0..reading.mentions.len())
            .filter(|&k| subject_of(k).is_some())
            .collect();
        pick(&all).and_then(|k| subject_of(k).map(|s| (k, s)))
    }

    /// A delegation subject made concrete: an anaphor is the delegation named before.
    fn delegation(&self, subject: &Subject, games: usize, discourse: &Discourse) -> Option<Noc> {
        match subject {
            Subject::Anaphor => discourse.delegation.or_else(|| self.first_delegation()),
            Subject::Delegation(noc) => Some(*noc),
            Subject::Host => self.lexicon.editions()[games].host,
            Subject::Athletes(_) => None,
        }
    }

    /// The first delegation the sentence names as a subject.
    fn first_delegation(&self) -> Option<Noc> {
        self.reading.mentions.iter().find_map(|m| match m.what {
            What::Delegation(noc) if m.subject => Some(noc),
            _ => None,
        })
    }

    /// The sports a delegation's figure is in: bound to it ("3 gold in
    /// athletics"), introducing its clause ("In swimming, they ..."), or the
    /// clause's subject ("Judo and taekwondo also saw ...").
    fn delegation_sports(&self, item: &Item) -> Vec<usize> {
        let reading = self.reading;
        if let Some(s) = item.sport {
            return vec![s];
        }
        let clause = &reading.clauses[item.clause];
        let sports: Vec<usize> = (0..reading.mentions.len())
            .filter(|&k| {
                let m = &reading.mentions[k];
                m.clause == item.clause && matches!(&m.what, What::Sport(s) if !s.agent)
            })
            .collect();
        // "In swimming, ..." (the clause's first words, or after its conjunction)
        for &k in &sports {
            let m = &reading.mentions[k];
            let lead = (clause.start..m.start).all(|j| {
                matches!(
                    self.tokens[j].norm.as_str(),
                    "in" | "while" | "whilst" | "but" | "and" | "," | "whereas"
                )
            });
            if lead
                && m.start > clause.start
                && self.tokens[m.start - 1].is("in")
                && self.tokens.get(m.end).is_some_and(|t| t.is(","))
            {
                return vec![k];
            }
        }
        // "Judo and taekwondo also saw ...": sports before any other mention of the clause.
        let first_other = reading
            .mentions
            .iter()
            .filter(|m| m.clause == item.clause && !matches!(m.what, What::Sport(_)))
            .map(|m| m.start)
            .min()
            .unwrap_or(usize::MAX);
        let leading: Vec<usize> = sports
            .iter()
            .copied()
            .filter(|&k| {
                reading.mentions[k].end <= first_other && reading.mentions[k].end <= item.start
            })
            .collect();
        let starts_clause = leading.first().is_some_and(|&k| {
            (clause.start..reading.mentions[k].start).all(|j| {
                matches!(
                    self.tokens[j].norm.as_str(),
                    "while" | "but" | "and" | "," | "the"
                )
            })
        });
        if starts_clause {
            return leading;
        }
        // "two judo golds": the sport just before the figure's word.
        sports
            .into_iter()
            .filter(|&k| {
                let m = &reading.mentions[k];
                m.end + 1 == item.end || (m.end > item.start && m.end < item.end)
            })
            .collect()
    }

    /// The sport an athlete's figure is in: written next to the athlete's
    /// name ("swimmer Vali Israfilov", "judokas X and Y", "X, a legendary
    /// judoka"), else bound to the figure ("in the long jump"), else the
    /// sport of the athlete's medals in the ledger.
    fn athlete_sport(&self, athlete: u32, item: &Item, games: usize) -> Option<String> {
        let reading = self.reading;
        let id = &self.lexicon.editions()[games].id;
        let sports = self.lexicon.sports(id);
        let resolve =
            |key: &sport_words::Key| sport_words::resolve(key, &sports).map(str::to_owned);
        let position = reading.mentions.iter().position(|m| match m.what {
            What::Athlete(a) => a == athlete,
            _ => false,
        });
        if let Some(p) = position {
            let at = &reading.mentions[p];
            // Before the name, with only names, "and", commas or brackets between.
            for k in (0..p).rev() {
                let m = &reading.mentions[k];
                if m.clause != at.clause && !self.in_clause(m.clause, at.clause, m.start) {
                    break;
                }
                let between_ok = (m.end..at.start).all(|j| {
                    let t = &self.tokens[j];
                    reading.mentions.iter().any(|o| {
                        matches!(o.what, What::Athlete(_)) && (o.start..o.end).contains(&j)
                    }) || in_brackets(self.tokens, reading.start, j)
                        || matches!(
                            t.norm.as_str(),
                            "and"
                                | ","
                                | "of"
                                | "the"
                                | "star"
                                | "players"
                                | "player"
                                | "fighter"
                                | "fighters"
                                | "athlete"
                                | "athletes"
                                | "legendary"
                                | "as"
                                | "well"
                                | "'s"
                                | "teammate"
                                | "compatriot"
                        )
                });
                if !between_ok {
                    break;
                }
                if let What::Sport(s) = &m.what {
                    if let Some(name) = resolve(&s.key) {
                        return Some(name);
                    }
                }
            }
            // ", a legendary judoka who ..."
            for m in &reading.mentions[p + 1..] {
                if m.start > at.end + 4 {
                    break;
                }
                if let What::Sport(s) = &m.what {
                    if s.agent {
                        if let Some(name) = resolve(&s.key) {
                            return Some(name);
                        }
                    }
                }
            }
        }
        if let Some(s) = item.sport {
            if let What::Sport(found) = &reading.mentions[s].what {
                if let Some(name) = resolve(&found.key) {
                    return Some(name);
                }
            }
        }
        // The ledger: the sport of their medals at these games, else of their medals of the movement.
        let a: &Athlete = &self.lexicon.athletes()[athlete as usize];
        let here: BTreeSet<&str> = a
            .medals
            .iter()
            .filter(|(g, _, _)| g == id)
            .map(|(_, _, s)| s.as_str())
            .collect();
        if let [one] = here.into_iter().collect::<Vec<_>>().as_slice() {
            return Some((*one).to_owned());
        }
        let movement = self.lexicon.editions()[games].movement;
        let keys: BTreeSet<sport_words::Key> = a
            .medals
            .iter()
            .filter(|(g, _, _)| self.lexicon.edition(g).and_then(|e| e.movement) == movement)
            .map(|(_, _, s)| sport_words::key_of(s))
            .collect();
        match keys.into_iter().collect::<Vec<_>>().as_slice() {
            [key] => resolve(key),
            _ => None,
        }
    }

    /// An athlete's delegation: that of their medals at these games, else their most frequent.
    fn athlete_noc(&self, athlete: u32, games: usize) -> Option<Noc> {
        let a = &self.lexicon.athletes()[athlete as usize];
        let id = &self.lexicon.editions()[games].id;
        if let Some((_, noc, _)) = a.medals.iter().find(|(g, _, _)| g == id) {
            return Some(*noc);
        }
        let mut counts: Vec<(Noc, usize)> = Vec::new();
        for (_, noc, _) in &a.medals {
            match counts.iter_mut().find(|(n, _)| n == noc) {
                Some((_, c)) => *c += 1,
                None => counts.push((*noc, 1)),
            }
        }
        counts.into_iter().max_by_key(|(_, c)| *c).map(|(n, _)| n)
    }

    fn emit(&self, claim: Claim, item: &Item, out: &mut Vec<Extracted>) {
        let span = self.tokens[item.start].start..self.tokens[item.end - 1].end;
        let quote = self.text[self.span.clone()]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut claim = claim;
        claim.quote = Some(quote);
        out.push(Extracted {
            claim,
            span,
            sentence: self.span.clone(),
        });
    }

    /// Colours without numbers shared out among the athletes of their clause:
    /// "won gold and silver medals", "X and Y ... with silver medals",
    /// "claiming gold and bronze medals respectively", and titles: "the gold
    /// medalist ... were judokas X and Y".
    fn distribute(&self, discourse: &Discourse, state: &State, out: &mut Vec<Extracted>) {
        let reading = self.reading;
        let mut clauses: BTreeSet<usize> = BTreeSet::new();
        for it in &reading.items {
            if !it.counted && !it.title {
                clauses.insert(it.clause);
            }
        }
        for clause in clauses {
            let items: Vec<&Item> = reading
                .items
                .iter()
                .filter(|it| it.clause == clause && !it.counted && !it.title)
                .collect();
            let athletes = self.clause_athletes(clause, usize::MAX, state.refs);
            if athletes.is_empty() {
                continue;
            }
            let pairs: Vec<(u32, &Item)> =
                if reading.respectively && athletes.len() == items.len() && athletes.len() > 1 {
                    athletes
                        .iter()
                        .copied()
                        .zip(items.iter().copied())
                        .collect()
                } else if athletes.len() == 1 {
                    items.iter().map(|it| (athletes[0], *it)).collect()
                } else if items.len() == 1 {
                    athletes.iter().map(|a| (*a, items[0])).collect()
                } else {
                    Vec::new()
                };
            for (a, it) in pairs {
                self.athlete_claim(a, it, discourse, state, out);
            }
        }
        // Titles: the athletes named after them in the sentence, else before them in their clause.
        for it in reading.items.iter().filter(|it| it.title && !it.counted) {
            let after: Vec<u32> = (0..reading.mentions.len())
                .filter(|&k| {
                    reading.mentions[k].start >= it.end
                        && matches!(reading.mentions[k].what, What::Athlete(_))
                })
                .filter_map(|k| state.refs[k])
                .collect();
            let athletes = if after.is_empty() {
                self.clause_athletes(it.clause, it.start, state.refs)
            } else {
                after
            };
            let athletes: Vec<u32> = athletes.into_iter().fold(Vec::new(), |mut v, a| {
                if !v.contains(&a) {
                    v.push(a);
                }
                v
            });
            for a in athletes {
                self.athlete_claim(a, it, discourse, state, out);
            }
        }
    }

    fn athlete_claim(
        &self,
        athlete: u32,
        item: &Item,
        discourse: &Discourse,
        state: &State,
        out: &mut Vec<Extracted>,
    ) {
        let movement = self.athletes_movement(vec![athlete]).or(state.cue);
        let Some(games) = self.games_of(item, movement, discourse, state) else {
            return;
        };
        for games in
            std::iter::once(Some(games)).chain(item.also.iter().map(|&m| state.resolved[m]))
        {
            let Some(games) = games else { continue };
            let Some(noc) = self.athlete_noc(athlete, games) else {
                continue;
            };
            let edition = &self.lexicon.editions()[games];
            let current = edition.movement.and_then(|m| self.current(discourse, m));
            let bound = if item.counted || current == Some(games) {
                item.bound
            } else {
                Bound::AtLeast
            };
            let claim = Claim {
                games: edition.id.clone(),
                noc,
                figure: item.figure,
                value: item.value,
                bound,
                sport: self.athlete_sport(athlete, item, games),
                athlete: Some(self.lexicon.athletes()[athlete as usize].name.clone()),
                quote: None,
            };
            self.emit(claim, item, out);
        }
    }

    /// The claims of one counted figure (uncounted ones of athletes are shared out by `distribute`).
    fn item(&self, index: usize, discourse: &Discourse, state: &State, out: &mut Vec<Extracted>) {
        let reading = self.reading;
        let item = &reading.items[index];
        let team_figure = matches!(
            item.figure,
            Figure::Rank | Figure::Athletes | Figure::Sports | Figure::Medallists
        );
        if !item.counted
            && (item.title
                || !self
                    .clause_athletes(item.clause, usize::MAX, state.refs)
                    .is_empty())
        {
            return; // an athlete's: `distribute`
        }
        let subject = if item.counted {
            self.nearest_subject(item, state, team_figure)
                .map(|(_, s)| s)
        } else {
            self.nearest_subject(item, state, true).map(|(_, s)| s)
        };
        let Some(subject) = subject else { return };
        if let Subject::Athletes(athletes) = &subject {
            // Two athletes named together share no counted figure.
            let named = self.clause_athletes(item.clause, item.start, state.refs);
            if named.len() > 1 {
                return;
            }
            if let [a] = athletes.as_slice() {
                self.athlete_claim(*a, item, discourse, state, out);
            }
            return;
        }
        if item.figure == Figure::Rank
            && !(reading.table_context || self.has_medal_counts(item.clause))
        {
            return;
        }
        let movement = state.cue.or(discourse.movement);
        let Some(games) = self.games_of(item, state.cue, discourse, state) else {
            return;
        };
        let _ = movement;
        let sports = if team_figure {
            Vec::new()
        } else {
            self.delegation_sports(item)
        };
        if item.figure == Figure::Rank && item.sport.is_some() {
            return;
        }
        if !item.counted && sports.is_empty() {
            return; // "Azerbaijan won gold" without a sport: too vague to judge.
        }
        if item.counted && sports.len() > 1 {
            return;
        }
        for games in
            std::iter::once(Some(games)).chain(item.also.iter().map(|&m| state.resolved[m]))
        {
            let Some(games) = games else { continue };
            let Some(noc) = self.delegation(&subject, games, discourse) else {
                return;
            };
            let id = self.lexicon.editions()[games].id.clone();
            let sport_names = self.lexicon.sports(&id);
            let mut targets: Vec<Option<String>> = Vec::new();
            for &s in &sports {
                let What::Sport(found) = &reading.mentions[s].what else {
                    continue;
                };
                match sport_words::resolve(&found.key, &sport_names) {
                    Some(name) => targets.push(Some(name.to_owned())),
                    None => return, // a sport that does not tell which
                }
            }
            if targets.is_empty() {
                targets.push(None);
            }
            for sport in targets {
                let bound = if item.counted {
                    item.bound
                } else {
                    Bound::AtLeast
                };
                let claim = Claim {
                    games: id.clone(),
                    noc,
                    figure: item.figure,
                    value: item.value,
                    bound,
                    sport,
                    athlete: None,
                    quote: None,
                };
                self.emit(claim, item, out);
            }
        }
    }

    fn has_medal_counts(&self, clause: usize) -> bool {
        self.reading.items.iter().any(|it| {
            it.counted
                && it.clause == clause
                && matches!(
                    it.figure,
                    Figure::Gold | Figure::Silver | Figure::Bronze | Figure::Total
                )
        })
    }

    /// What this sentence leaves for the next ones.
    fn carry(&self, discourse: &mut Discourse, state: &State) {
        let reading = self.reading;
        if let Some(noc) = self.first_delegation() {
            discourse.delegation = Some(noc);
        }
        if let Some(m) = state.cue {
            discourse.movement = Some(m);
        }
        let editions = self.lexicon.editions();
        let carried = (0..reading.mentions.len())
            .filter(|&k| {
                let m = &reading.mentions[k];
                matches!(m.what, What::Games(_))
                    && !m.passing
                    && !state.bound_mentions.contains(&k)
                    && !self.clause_has_athlete_subject(m.clause, state)
            })
            .filter_map(|k| state.resolved[k])
            .filter(|&e| editions[e].opens <= self.published)
            .max_by_key(|&e| editions[e].opens);
        if let Some(e) = carried {
            discourse.games = Some(e);
            if state.cue.is_none() {
                discourse.movement = editions[e].movement.or(discourse.movement);
            }
        }
        let named: Vec<u32> = state.refs.iter().flatten().copied().collect();
        if !named.is_empty() {
            discourse.last_athletes = vec![*named.last().unwrap_or(&named[0])];
            for a in named {
                if !discourse.named_athletes.contains(&a) {
                    discourse.named_athletes.push(a);
                }
            }
        }
    }
}

/// What a sentence's claims share once its mentions are resolved.
struct State<'a> {
    /// Per mention: the athlete it names or means.
    refs: &'a [Option<u32>],
    /// Per mention: the edition it names.
    resolved: &'a [Option<usize>],
    /// The one movement the sentence points to.
    cue: Option<Movement>,
    /// Games mentions bound to a title ("Tokyo 2020 bronze medalist").
    bound_mentions: &'a BTreeSet<usize>,
}

/// Whether token `j` is inside brackets within the sentence.
fn in_brackets(tokens: &[Token], start: usize, j: usize) -> bool {
    let mut depth = 0i32;
    for t in &tokens[start..=j] {
        if t.is("(") {
            depth += 1;
        } else if t.is(")") {
            depth -= 1;
            if std::ptr::eq(t, &tokens[j]) {
                return true;
            }
        }
    }
    depth > 0
}
