//! From sentences read to claims: whom each figure is about (a delegation,
//! named or meant by "the national team", "the country", "they"; or
//! athletes, named or meant by "he", "the 22-year-old athlete"), which games
//! (named in the clause, "this time", carried from earlier sentences, or the
//! one the publication date implies), which sport, and whether the value is
//! exact or a bound.
//!
//! Reads as articles are written: a games or delegation named in one
//! sentence carries to the next ones until another is named; a games named
//! about an athlete's past ("who won gold at Tokyo 2020") or in passing
//! ("since Sydney 2000") stays in its clause. When whom or which games a
//! figure is about cannot be told, no claim is made: a figure missed is
//! better than a figure misread.

use std::collections::BTreeSet;
use std::ops::Range;

use jiff::civil::Date;

use super::games_ref::{self, Context};
use super::lexicon::{Athlete, Lexicon};
use super::sentence::{self, ClauseKind, Item, Mention, Reading, What};
use super::sport_words;
use super::tokens::{sentences, tokenize, Token};
use super::words::{is_any, MEDALLIST_NOUNS, MEDAL_NOUNS};
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

/// How long after a games opened the publication date still implies it.
const RECENT_DAYS: i32 = 365;

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
    /// Editions named so far (not in passing) that had opened by the publication date.
    mentioned: Vec<usize>,
    /// Whether the article has spoken of sport yet (a games, a medal, a sport).
    sporting: bool,
    /// Whether the last sentence asked a question: the next one answers it,
    /// about what it asked ("Where did Japan finish? Third in the medal table").
    asked: bool,
}

/// Whom a figure is about.
#[derive(Clone, Debug)]
enum Subject {
    Delegation(Noc),
    /// A delegation named before: "the national team", "they".
    Anaphor,
    Host,
    Athlete(u32),
}

/// Every claim `text` makes that names (or implies) a delegation or an
/// athlete, a games and a figure, in the order written.
pub fn extract(text: &str, published: Date, lexicon: &Lexicon) -> Vec<Extracted> {
    let tokens = tokenize(text);
    let mut discourse = Discourse::default();
    let mut out: Vec<Extracted> = Vec::new();
    for range in sentences(&tokens) {
        let reading = sentence::read(
            &tokens,
            range.start,
            range.end,
            lexicon,
            &discourse.named_athletes,
        );
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

struct Sentence<'a> {
    tokens: &'a [Token],
    text: &'a str,
    reading: &'a Reading,
    lexicon: &'a Lexicon,
    published: Date,
    span: Range<usize>,
}

/// What a sentence's claims share once its mentions are resolved.
struct State {
    /// Per mention: the athlete it names or means.
    refs: Vec<Option<u32>>,
    /// Per mention: the edition it names.
    resolved: Vec<Option<usize>>,
    /// The one movement the sentence points to.
    cue: Option<Movement>,
    /// Games mentions bound to a title ("Tokyo 2020 bronze medalist").
    bound_mentions: BTreeSet<usize>,
    /// Whether the sentence speaks of sport.
    sporting: bool,
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
        let mut state = State {
            refs,
            resolved: Vec::new(),
            cue,
            bound_mentions: reading
                .items
                .iter()
                .filter(|it| it.title)
                .filter_map(|it| it.games)
                .collect(),
            sporting: false,
        };
        // Each games named, resolved with what its clause says of the movement.
        state.resolved = reading
            .mentions
            .iter()
            .map(|m| match &m.what {
                What::Games(g) => {
                    let athletes = self.clause_athletes(m.clause, &state);
                    let movement = g
                        .movement
                        .filter(|_| !g.both)
                        .or_else(|| self.athletes_movement(&athletes))
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
        for (k, e) in state.resolved.iter().enumerate() {
            let Some(e) = *e else { continue };
            let m = &reading.mentions[k];
            if self.lexicon.editions()[e].opens <= self.published
                && !m.passing
                && !m.weak
                && !discourse.mentioned.contains(&e)
            {
                discourse.mentioned.push(e);
            }
        }
        state.sporting = self.sporting();
        let mut made: Vec<Extracted> = Vec::new();
        if state.sporting || discourse.sporting {
            self.distribute(discourse, &state, &mut made);
            for it in &reading.items {
                self.item(it, discourse, &state, &mut made);
            }
            made.sort_by_key(|e| e.span.start);
        }
        // The delegation the sentence spoke of: its first figure's, else the first it named.
        let spoken_of = made
            .iter()
            .find(|e| e.claim.athlete.is_none())
            .map(|e| e.claim.noc);
        out.extend(made);
        self.carry(discourse, &state, spoken_of);
    }

    /// Whether the sentence speaks of sport: a games, a movement, a medal, a sport.
    fn sporting(&self) -> bool {
        let r = self.reading;
        !r.cues.is_empty()
            || r.mentions
                .iter()
                .any(|m| matches!(m.what, What::Games(_) | What::Sport(_) | What::Athlete(_)))
            || (r.start..r.end).any(|k| {
                is_any(self.tokens.get(k), MEDAL_NOUNS)
                    || is_any(self.tokens.get(k), MEDALLIST_NOUNS)
            })
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

    /// The athletes a clause names or means, with their mentions.
    fn clause_athlete_mentions(&self, clause: usize, state: &State) -> Vec<(usize, u32)> {
        let mut found: Vec<(usize, u32)> = Vec::new();
        for (k, m) in self.reading.mentions.iter().enumerate() {
            if self.in_clause(m.clause, clause, m.start) {
                if let Some(a) = state.refs[k] {
                    if !found.iter().any(|(_, b)| *b == a) {
                        found.push((k, a));
                    }
                }
            }
        }
        found
    }

    fn clause_athletes(&self, clause: usize, state: &State) -> Vec<u32> {
        self.clause_athlete_mentions(clause, state)
            .into_iter()
            .map(|(_, a)| a)
            .collect()
    }

    /// The movement of athletes' medals when all of them are of one.
    fn athletes_movement(&self, athletes: &[u32]) -> Option<Movement> {
        let mut movements: BTreeSet<Movement> = BTreeSet::new();
        for &a in athletes {
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

    /// Whether a games mention may stand for a figure beyond itself.
    fn usable(&self, k: usize, state: &State) -> bool {
        let m = &self.reading.mentions[k];
        matches!(m.what, What::Games(_))
            && !m.passing
            && !state.bound_mentions.contains(&k)
            && state.resolved[k].is_some()
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
        if item.this_time {
            return match movement.or(discourse.movement) {
                Some(m) => self.current(discourse, m),
                None => self.implied_either(),
            };
        }
        let near = |list: &[usize]| -> Option<usize> {
            list.iter()
                .rev()
                .find(|&&k| reading.mentions[k].start < item.start)
                .or(list.first())
                .and_then(|&k| state.resolved[k])
        };
        // A games named in the figure's clause: the nearest before it, else after it.
        let in_clause: Vec<usize> = (0..reading.mentions.len())
            .filter(|&k| reading.mentions[k].clause == item.clause && self.usable(k, state))
            .collect();
        if let Some(e) = near(&in_clause) {
            return Some(e);
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
                    && self.usable(k, state)
                    && self.clause_athletes(m.clause, state).is_empty()
            })
            .collect();
        if let Some(e) = near(&sentence_level) {
            return Some(e);
        }
        let editions = self.lexicon.editions();
        if let Some(g) = discourse.games {
            if movement.is_none_or(|m| editions[g].movement == Some(m)) {
                return Some(g);
            }
        }
        match movement.or(discourse.movement) {
            Some(m) => self.current(discourse, m),
            None => self.implied_either(),
        }
    }

    /// The games the publication date implies when nothing says the
    /// movement: the one that opened in the year before it, if only one
    /// movement's did (in September 2024 "189 medals" may be Olympic or
    /// Paralympic, and no claim is read).
    fn implied_either(&self) -> Option<usize> {
        let editions = self.lexicon.editions();
        let recent: Vec<usize> = [Movement::Olympic, Movement::Paralympic]
            .into_iter()
            .filter_map(|m| games_ref::implied(self.lexicon, m, self.published))
            .filter(|&e| {
                editions[e]
                    .opens
                    .until(self.published)
                    .is_ok_and(|span| span.get_days() <= RECENT_DAYS)
            })
            .collect();
        match recent.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// What a mention stands for as a figure's subject.
    fn subject_of(&self, k: usize, state: &State) -> Option<Subject> {
        let m = &self.reading.mentions[k];
        match m.what {
            What::Delegation(noc) => Some(Subject::Delegation(noc)),
            What::Host => Some(Subject::Host),
            What::Anaphor => Some(Subject::Anaphor),
            What::Athlete(_) | What::AthleteRef => state.refs[k].map(Subject::Athlete),
            _ => None,
        }
    }

    /// The subject of a figure: the mention it belongs to ("Kenya's 11
    /// medals"), else the nearest subject before it in its clause (for a
    /// relative clause, its antecedent), else after it, else in the sentence.
    fn nearest_subject(
        &self,
        item: &Item,
        state: &State,
        delegations_only: bool,
    ) -> Option<(usize, Subject)> {
        let reading = self.reading;
        if let Some(k) = item.owner {
            let subject = self.subject_of(k, state)?;
            if delegations_only && matches!(subject, Subject::Athlete(_)) {
                return None;
            }
            return Some((k, subject));
        }
        let candidate = |k: usize| -> bool {
            let m = &reading.mentions[k];
            // An athlete is no subject of a team's figure, nor when written "Marchand's".
            let athlete = matches!(m.what, What::Athlete(_) | What::AthleteRef);
            let athlete_ok = !athlete || !(m.possessive || delegations_only);
            m.subject && athlete_ok && !m.level && self.subject_of(k, state).is_some()
        };
        let in_clause: Vec<usize> = (0..reading.mentions.len())
            .filter(|&k| {
                self.in_clause(
                    reading.mentions[k].clause,
                    item.clause,
                    reading.mentions[k].start,
                ) && candidate(k)
            })
            .collect();
        let before = in_clause
            .iter()
            .rev()
            .find(|&&k| reading.mentions[k].end <= item.start);
        let clause = &reading.clauses[item.clause];
        // "Germany, who finished second": the relative clause's antecedent, whatever its place.
        let antecedent = (clause.kind == ClauseKind::Relative
            && before.is_none_or(|&k| reading.mentions[k].start < clause.start))
        .then(|| {
            (0..reading.mentions.len()).rfind(|&k| {
                let m = &reading.mentions[k];
                m.end <= clause.start
                    && self.subject_of(k, state).is_some()
                    && !matches!(m.what, What::Games(_))
            })
        })
        .flatten()
        .filter(|&k| {
            !(delegations_only
                && matches!(
                    reading.mentions[k].what,
                    What::Athlete(_) | What::AthleteRef
                ))
        });
        let pick = antecedent
            .or(before.copied())
            .or_else(|| {
                in_clause
                    .iter()
                    .find(|&&k| reading.mentions[k].start >= item.end)
                    .copied()
            })
            .or_else(|| {
                let all: Vec<usize> = (0..reading.mentions.len())
                    .filter(|&k| candidate(k))
                    .collect();
                all.iter()
                    .rev()
                    .find(|&&k| reading.mentions[k].end <= item.start)
                    .or_else(|| all.iter().find(|&&k| reading.mentions[k].start >= item.end))
                    .copied()
            })?;
        self.subject_of(pick, state).map(|s| (pick, s))
    }

    /// A delegation subject made concrete: an anaphor is the delegation the
    /// sentence named before it, else the one an earlier sentence named.
    fn delegation(
        &self,
        subject: &Subject,
        at: Option<usize>,
        games: usize,
        discourse: &Discourse,
    ) -> Option<Noc> {
        match subject {
            Subject::Delegation(noc) => Some(*noc),
            Subject::Anaphor => {
                let before = at.and_then(|k| {
                    self.reading.mentions[..k]
                        .iter()
                        .rev()
                        .find_map(|m| match m.what {
                            What::Delegation(noc) if m.subject && !m.level => Some(noc),
                            _ => None,
                        })
                });
                before
                    .or(discourse.delegation)
                    .or_else(|| self.first_delegation())
            }
            Subject::Host => self.lexicon.editions()[games].host,
            Subject::Athlete(_) => None,
        }
    }

    /// The first delegation the sentence names as a subject.
    fn first_delegation(&self) -> Option<Noc> {
        self.reading.mentions.iter().find_map(|m| match m.what {
            What::Delegation(noc) if m.subject && !m.level => Some(noc),
            _ => None,
        })
    }

    /// The sports a delegation's figure is in: bound to it ("3 gold in
    /// athletics"), introducing its clause ("In swimming, they ..."), the
    /// clause's subject ("Judo and taekwondo also saw ..."), or qualifying
    /// its subject ("Team GB's rowers", "the hockey team").
    fn delegation_sports(&self, item: &Item, subject: Option<usize>, answer: bool) -> Vec<usize> {
        let reading = self.reading;
        if let Some(s) = item.sport {
            return vec![s];
        }
        let is_sport = |m: &Mention| matches!(&m.what, What::Sport(s) if !s.agent);
        // "ahead of judo with three": the sport just before "with" and the figure.
        let with = reading
            .mentions
            .iter()
            .position(|m| is_sport(m) && m.end + 1 == item.start && self.tokens[m.end].is("with"));
        if let Some(k) = with {
            return vec![k];
        }
        // An answer that begins with a sport: "Wrestling, with eight gold medals".
        let leading = reading.mentions.iter().position(|m| {
            is_sport(m)
                && m.start == reading.start
                && self.tokens.get(m.end).is_some_and(|t| t.is(","))
        });
        if let (true, Some(k)) = (answer, leading) {
            return vec![k];
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
        if let Some(s) = subject.and_then(|k| reading.mentions[k].sport) {
            return vec![s];
        }
        // "Judo and taekwondo also saw ...": sports before any other mention of the clause.
        let first_other = reading
            .mentions
            .iter()
            .filter(|m| {
                m.clause == item.clause && !matches!(m.what, What::Sport(_)) && m.sport.is_none()
            })
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
        let resolve = |key: &sport_words::Key| self.lexicon.sport_named(id, key).map(str::to_owned);
        let position = reading
            .mentions
            .iter()
            .position(|m| matches!(m.what, What::Athlete(a) if a == athlete));
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
    /// "won gold and silver medals" (one athlete), "X and Y ... with silver
    /// medals" (athletes named together), "claiming gold and bronze medals
    /// respectively", "the gold won by X and the bronze of Y" (each to the
    /// nearest); and titles: "the gold medalist ... were judokas X and Y".
    fn distribute(&self, discourse: &Discourse, state: &State, out: &mut Vec<Extracted>) {
        let reading = self.reading;
        let clauses: BTreeSet<usize> = reading
            .items
            .iter()
            .filter(|it| !it.counted && !it.title)
            .map(|it| it.clause)
            .collect();
        for clause in clauses {
            let items: Vec<&Item> = reading
                .items
                .iter()
                .filter(|it| it.clause == clause && !it.counted && !it.title)
                .collect();
            let athletes: Vec<(usize, u32)> = self
                .clause_athlete_mentions(clause, state)
                .into_iter()
                .filter(|(k, _)| reading.mentions[*k].subject)
                .collect();
            if athletes.is_empty() {
                continue;
            }
            // One colour before or after every athlete named is theirs all
            // ("Bronze medals came from A, B and C").
            let outside = items.len() == 1 && {
                let it = items[0];
                athletes
                    .iter()
                    .all(|(k, _)| reading.mentions[*k].start >= it.end)
                    || athletes
                        .iter()
                        .all(|(k, _)| reading.mentions[*k].end <= it.start)
            };
            let pairs: Vec<(u32, &Item)> =
                if reading.respectively && athletes.len() == items.len() && athletes.len() > 1 {
                    athletes
                        .iter()
                        .map(|(_, a)| *a)
                        .zip(items.iter().copied())
                        .collect()
                } else if athletes.len() == 1 {
                    items.iter().map(|it| (athletes[0].1, *it)).collect()
                } else if items.len() == 1 && (outside || self.named_together(&athletes)) {
                    athletes.iter().map(|(_, a)| (*a, items[0])).collect()
                } else {
                    items
                        .iter()
                        .filter_map(|it| self.nearest_athlete(it, &athletes).map(|a| (a, *it)))
                        .collect()
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
                .fold(Vec::new(), |mut v, a| {
                    if !v.contains(&a) {
                        v.push(a);
                    }
                    v
                });
            let athletes = if after.is_empty() {
                self.clause_athletes(it.clause, state)
            } else {
                after
            };
            for a in athletes {
                self.athlete_claim(a, it, discourse, state, out);
            }
        }
    }

    /// Whether athletes are named together ("X and Y", "X (58 kg) and boxer Y").
    fn named_together(&self, athletes: &[(usize, u32)]) -> bool {
        let mentions = &self.reading.mentions;
        athletes.windows(2).all(|w| {
            let (a, b) = (&mentions[w[0].0], &mentions[w[1].0]);
            (a.end..b.start).all(|j| {
                let t = &self.tokens[j];
                in_brackets(self.tokens, self.reading.start, j)
                    || matches!(t.norm.as_str(), "and" | "," | "as" | "well" | "&" | "both")
                    || mentions
                        .iter()
                        .any(|m| matches!(m.what, What::Sport(_)) && (m.start..m.end).contains(&j))
            })
        })
    }

    /// The athlete an uncounted colour is nearest to: named just after it
    /// ("the gold won by X", "the bronze of Y"), else the nearest before it.
    fn nearest_athlete(&self, item: &Item, athletes: &[(usize, u32)]) -> Option<u32> {
        let mentions = &self.reading.mentions;
        let after = athletes.iter().find(|(k, _)| {
            let m = &mentions[*k];
            m.start >= item.end
                && m.start <= item.end + 6
                && (item.end..m.start).any(|j| is_any(self.tokens.get(j), &["by", "of", "from"]))
        });
        if let Some((_, a)) = after {
            return Some(*a);
        }
        athletes
            .iter()
            .filter(|(k, _)| mentions[*k].end <= item.start && item.start - mentions[*k].end <= 8)
            .max_by_key(|(k, _)| mentions[*k].end)
            .map(|(_, a)| *a)
    }

    fn athlete_claim(
        &self,
        athlete: u32,
        item: &Item,
        discourse: &Discourse,
        state: &State,
        out: &mut Vec<Extracted>,
    ) {
        if item.held {
            return; // an athlete's career so far, not these games'
        }
        let movement = self.athletes_movement(&[athlete]).or(state.cue);
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

    /// The claims of one figure (uncounted ones of athletes are shared out by `distribute`).
    fn item(&self, item: &Item, discourse: &Discourse, state: &State, out: &mut Vec<Extracted>) {
        let reading = self.reading;
        let team_figure = matches!(
            item.figure,
            Figure::Rank | Figure::Athletes | Figure::Sports | Figure::Medallists
        );
        if !item.counted && (item.title || !self.clause_athletes(item.clause, state).is_empty()) {
            return; // an athlete's: `distribute`
        }
        let found = self.nearest_subject(item, state, team_figure || !item.counted);
        let (subject_mention, subject) = match found {
            Some((k, s)) => (Some(k), s),
            None if item.label || discourse.asked => (None, Subject::Anaphor),
            None => return,
        };
        if let Subject::Athlete(a) = subject {
            // Two athletes named together share no counted figure.
            if self.clause_athletes(item.clause, state).len() > 1 && item.owner.is_none() {
                return;
            }
            self.athlete_claim(a, item, discourse, state, out);
            return;
        }
        let counts_in_sentence = reading.items.iter().any(|it| {
            it.counted
                && matches!(
                    it.figure,
                    Figure::Gold | Figure::Silver | Figure::Bronze | Figure::Total
                )
        });
        // A rank is the medal table's when the sentence says so ("overall", "in the
        // standings"), counts medals, or names the games it is a rank at.
        let names_games = reading
            .mentions
            .iter()
            .any(|m| matches!(m.what, What::Games(_)));
        if item.figure == Figure::Rank
            && !(reading.table_context || counts_in_sentence || names_games)
        {
            return;
        }
        let Some(games) = self.games_of(item, state.cue, discourse, state) else {
            return;
        };
        let sports = if team_figure {
            Vec::new()
        } else {
            self.delegation_sports(item, subject_mention, discourse.asked)
        };
        if item.figure == Figure::Rank && item.sport.is_some() {
            return;
        }
        if (!item.counted && sports.is_empty()) || (item.counted && sports.len() > 1) {
            return; // "Azerbaijan won gold" without a sport: too vague to judge.
        }
        // "level with China on 40 golds": China's count too.
        let mut subjects = vec![subject];
        if item.counted
            && matches!(
                item.figure,
                Figure::Gold | Figure::Silver | Figure::Bronze | Figure::Total
            )
        {
            for m in reading
                .mentions
                .iter()
                .filter(|m| m.level && m.clause == item.clause)
            {
                if let What::Delegation(noc) = m.what {
                    subjects.push(Subject::Delegation(noc));
                }
            }
        }
        for games in
            std::iter::once(Some(games)).chain(item.also.iter().map(|&m| state.resolved[m]))
        {
            let Some(games) = games else { continue };
            let id = self.lexicon.editions()[games].id.clone();
            let mut targets: Vec<Option<String>> = Vec::new();
            for &s in &sports {
                let What::Sport(found) = &reading.mentions[s].what else {
                    continue;
                };
                match self.lexicon.sport_named(&id, &found.key) {
                    Some(name) => targets.push(Some(name.to_owned())),
                    None => return, // a sport that does not tell which
                }
            }
            if targets.is_empty() {
                targets.push(None);
            }
            for subject in &subjects {
                let Some(noc) = self.delegation(subject, subject_mention, games, discourse) else {
                    continue;
                };
                for sport in &targets {
                    let claim = Claim {
                        games: id.clone(),
                        noc,
                        figure: item.figure,
                        value: item.value,
                        bound: if item.counted {
                            item.bound
                        } else {
                            Bound::AtLeast
                        },
                        sport: sport.clone(),
                        athlete: None,
                        quote: None,
                    };
                    self.emit(claim, item, out);
                }
            }
        }
    }

    /// What this sentence leaves for the next ones.
    fn carry(&self, discourse: &mut Discourse, state: &State, spoken_of: Option<Noc>) {
        let reading = self.reading;
        discourse.sporting |= state.sporting;
        discourse.asked = self.tokens[reading.end - 1].is("?");
        if let Some(noc) = spoken_of.or_else(|| self.first_delegation()) {
            discourse.delegation = Some(noc);
        }
        if let Some(m) = state.cue {
            discourse.movement = Some(m);
        }
        let editions = self.lexicon.editions();
        // A games carries when it is the one the article is about (the most
        // recent named), or when the sentence begins with it ("At Tokyo 2020, ...").
        let carried = (0..reading.mentions.len())
            .filter(|&k| {
                let m = &reading.mentions[k];
                let Some(e) = state.resolved[k] else {
                    return false;
                };
                let current = editions[e]
                    .movement
                    .and_then(|mv| self.current(discourse, mv))
                    == Some(e);
                self.usable(k, state)
                    && !m.weak
                    && self.clause_athletes(m.clause, state).is_empty()
                    && editions[e].opens <= self.published
                    && (current || m.start <= reading.start + 2)
            })
            .filter_map(|k| state.resolved[k])
            .max_by_key(|&e| editions[e].opens);
        if let Some(e) = carried {
            discourse.games = Some(e);
            if state.cue.is_none() {
                discourse.movement = editions[e].movement.or(discourse.movement);
            }
        }
        let named: Vec<u32> = state.refs.iter().flatten().copied().collect();
        if let Some(&last) = named.last() {
            discourse.last_athletes = vec![last];
            for a in named {
                if !discourse.named_athletes.contains(&a) {
                    discourse.named_athletes.push(a);
                }
            }
        }
    }
}

/// Whether token `j` is inside brackets within the sentence.
fn in_brackets(tokens: &[Token], start: usize, j: usize) -> bool {
    let mut depth = 0i32;
    for (k, t) in tokens.iter().enumerate().take(j + 1).skip(start) {
        if t.is("(") {
            depth += 1;
        } else if t.is(")") {
            if k == j {
                return true;
            }
            depth -= 1;
        }
    }
    depth > 0
}
