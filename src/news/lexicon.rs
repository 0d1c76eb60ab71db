//! What an article can name, as plain data the caller fills from the ledger:
//! delegations (codes, the names games registrations give them, and a
//! bundled table of other names, adjectives and demonyms: "Azerbaijani",
//! "Team GB"), games (the ledger's, and a bundled table of the editions it
//! may not hold, such as every Paralympic Games), the sports of each games,
//! and athletes with the games, delegation and sport of each of their medals.
//!
//! `LexiconBuilder::apply` takes events in log order, so a lexicon is built
//! from a ledger or from events/*.jsonl alike. Pure: nothing here reads
//! storage.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;

use super::sport_words::{self, Key, SportWords};
use super::text::parse_ymd;
use super::tokens::{fold, tokenize, Kind, Token};
use crate::event::{GamesId, GamesRegistered, Kind as EventKind, Movement, Noc, Recorded, Season};
use crate::people::People;

/// The bundled names of delegations (see the file's header).
const NOCS: &str = include_str!("nocs.txt");
/// The bundled editions of games (see the file's header).
const EDITIONS: &str = include_str!("editions.txt");

/// What a delegation phrase names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Delegation(Noc),
    /// Words that look like a delegation's and are not ("South American").
    Not,
}

#[derive(Clone, Debug)]
struct Phrase {
    words: Vec<String>,
    /// Matches only where the text writes it in capitals ("US", not "us").
    caps_only: bool,
    target: Target,
}

/// One games, from the ledger or the bundled table.
#[derive(Clone, Debug)]
pub struct Edition {
    pub id: GamesId,
    pub year: i16,
    pub season: Option<Season>,
    pub movement: Option<Movement>,
    pub opens: Date,
    pub closes: Date,
    pub host: Option<Noc>,
    /// Whether the ledger registered it (else its id is made like the
    /// ledger's: `athens-2004-paralympics`).
    pub in_ledger: bool,
    /// Its number in its series ("17th Summer Paralympic Games"); for the
    /// summer Olympic Games, its Olympiad's.
    pub ordinal: Option<u32>,
}

/// One athlete: every spelling the ledger knows, and their medals.
#[derive(Clone, Debug)]
pub struct Athlete {
    /// The spelling of the ledger's records.
    pub name: String,
    /// Each spelling's folded words.
    pub spellings: Vec<Vec<String>>,
    /// (games, delegation, sport) of each medal, without repeats.
    pub medals: Vec<(GamesId, Noc, String)>,
}

/// A city's folded words and the editions held there.
type City = (Vec<String>, Vec<usize>);

/// What the text can name.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    phrases: HashMap<String, Vec<Phrase>>,
    editions: Vec<Edition>,
    /// A city's first folded word: (its words, the editions held there).
    cities: HashMap<String, Vec<City>>,
    sports: HashMap<GamesId, Vec<String>>,
    athletes: Vec<Athlete>,
    /// A folded word of a spelling: the athletes with that word.
    by_word: HashMap<String, Vec<u32>>,
    /// The first three letters of a word: the words that begin so (for spellings that differ a little).
    by_prefix: HashMap<String, Vec<String>>,
    sport_words: SportWords,
}

/// The words of a phrase as the tokenizer makes them, punctuation included.
pub fn phrase_words(phrase: &str) -> Vec<String> {
    tokenize(phrase)
        .into_iter()
        .filter(|t| t.kind != Kind::Break)
        .map(|t| t.norm)
        .collect()
}

/// Words of a name that need no capital ("the Netherlands", "Bosnia and Herzegovina").
fn lower_ok(word: &str) -> bool {
    matches!(
        word,
        "the" | "of" | "and" | "de" | "d" | "da" | "'" | "'s" | "," | "-" | "."
    )
}

impl Lexicon {
    /// The delegation phrase beginning at token `i`, longest first: what it
    /// names and the index after it.
    pub fn delegation_at(&self, tokens: &[Token], i: usize) -> Option<(Target, usize)> {
        let first = tokens.get(i)?;
        let candidates = self.phrases.get(&first.norm)?;
        for phrase in candidates {
            let n = phrase.words.len();
            let Some(window) = tokens.get(i..i + n) else {
                continue;
            };
            let same = window.iter().zip(&phrase.words).all(|(t, w)| t.norm == *w)
                // No gap inside a word ("U.S." or "Bosnia-Herzegovina" written apart is fine,
                // but a sentence break is not).
                && window.iter().all(|t| t.kind != Kind::Break);
            if !same {
                continue;
            }
            let written = window
                .iter()
                .zip(&phrase.words)
                .filter(|(t, _)| t.kind == Kind::Word && !lower_ok(&t.norm))
                .all(|(t, _)| {
                    if phrase.caps_only {
                        t.caps || t.norm.len() == 1 && t.cap
                    } else {
                        t.cap
                    }
                });
            // "the Netherlands" may begin with a lowercase "the", but needs its capital word.
            let has_capital = window.iter().any(|t| t.cap);
            if written && has_capital {
                return Some((phrase.target, i + n));
            }
        }
        None
    }

    /// The city named at token `i`, longest first: the editions held there
    /// and the index after it.
    pub fn city_at(&self, tokens: &[Token], i: usize) -> Option<(&[usize], usize)> {
        let first = tokens.get(i).filter(|t| t.cap)?;
        let candidates = self.cities.get(&first.norm)?;
        candidates.iter().find_map(|(words, editions)| {
            let window = tokens.get(i..i + words.len())?;
            window
                .iter()
                .zip(words)
                .all(|(t, w)| t.norm == *w)
                .then_some((editions.as_slice(), i + words.len()))
        })
    }

    /// Whether these words, all of them, are a delegation's name.
    fn names_delegation(&self, name: &str) -> bool {
        let words = phrase_words(name);
        words.first().is_some_and(|first| {
            self.phrases
                .get(first)
                .is_some_and(|list| list.iter().any(|p| p.words == words))
        })
    }

    pub fn editions(&self) -> &[Edition] {
        &self.editions
    }

    pub fn edition(&self, id: &GamesId) -> Option<&Edition> {
        self.editions.iter().find(|e| e.id == *id)
    }

    /// The sports a games gave medals in; for a games the ledger lacks, those
    /// of every games of its movement.
    pub fn sports(&self, games: &GamesId) -> Vec<&str> {
        if let Some(s) = self.sports.get(games) {
            return s.iter().map(String::as_str).collect();
        }
        let movement = self.edition(games).and_then(|e| e.movement);
        let mut all: BTreeSet<&str> = BTreeSet::new();
        for (id, sports) in &self.sports {
            if self.edition(id).and_then(|e| e.movement) == movement {
                all.extend(sports.iter().map(String::as_str));
            }
        }
        all.into_iter().collect()
    }

    /// The sport of a games that `key` names: one of the games' own sports,
    /// else one of its series' (its movement and season). The ledger may
    /// hold a games only in part (the Athens 2004 Paralympic medals of some
    /// sports, not judo), and a judoka's gold there is still in "Para Judo",
    /// the name the series gives judo, never the Olympic "Judo".
    pub fn sport_named(&self, games: &GamesId, key: &Key) -> Option<&str> {
        if let Some(name) = sport_words::resolve(key, &self.sports(games)) {
            return Some(name);
        }
        let edition = self.edition(games)?;
        let movement = edition.movement?;
        let mut series: BTreeSet<&str> = BTreeSet::new();
        for (id, sports) in &self.sports {
            let same = self.edition(id).is_some_and(|e| {
                e.movement == Some(movement)
                    && (edition.season.is_none() || e.season == edition.season)
            });
            if same {
                series.extend(sports.iter().map(String::as_str));
            }
        }
        sport_words::resolve(key, &series.into_iter().collect::<Vec<_>>())
    }

    /// The sports the text may name.
    pub fn sport_words(&self) -> &SportWords {
        &self.sport_words
    }

    pub fn athletes(&self) -> &[Athlete] {
        &self.athletes
    }

    /// The athletes one of whose spellings has this folded word.
    pub fn athletes_with_word(&self, word: &str) -> &[u32] {
        self.by_word.get(word).map_or(&[], Vec::as_slice)
    }

    /// The words of spellings that begin like `word` (its first three letters).
    pub fn words_like(&self, word: &str) -> &[String] {
        let prefix: String = word.chars().take(3).collect();
        self.by_prefix.get(&prefix).map_or(&[], Vec::as_slice)
    }
}

/// Collects a lexicon from events in log order.
#[derive(Default)]
pub struct LexiconBuilder {
    registrations: Vec<(Date, GamesRegistered)>,
    people: People,
    medals: HashMap<String, BTreeSet<(GamesId, Noc, String)>>,
    sports: HashMap<GamesId, BTreeSet<String>>,
}

impl LexiconBuilder {
    pub fn new() -> LexiconBuilder {
        LexiconBuilder::default()
    }

    /// Takes the next event (a registration, a medal, a person's spellings;
    /// the others say nothing the text can name).
    pub fn apply(&mut self, r: &Recorded) {
        match &r.event.kind {
            EventKind::GamesRegistered(g) => {
                self.registrations.push((r.event.date.first(), g.clone()));
            }
            EventKind::MedalAwarded(m) => {
                if !self
                    .sports
                    .get(&m.games)
                    .is_some_and(|s| s.contains(&m.sport))
                {
                    self.sports
                        .entry(m.games.clone())
                        .or_default()
                        .insert(m.sport.clone());
                }
                for a in &m.athletes {
                    self.medals.entry(a.clone()).or_default().insert((
                        m.games.clone(),
                        m.noc,
                        m.sport.clone(),
                    ));
                }
            }
            EventKind::PersonIdentified(_) => self.people.apply(r),
            _ => {}
        }
    }

    pub fn finish(self) -> Lexicon {
        let mut lexicon = Lexicon::default();
        let names = self
            .registrations
            .iter()
            .flat_map(|(_, g)| g.delegations.iter())
            .filter(|(code, _)| !matches!(code.as_str(), "MIX" | "ZZX"))
            .map(|(code, name)| (*code, name.clone()));
        add_phrases(&mut lexicon, names);
        add_editions(&mut lexicon, &self.registrations);
        lexicon.sport_words = SportWords::new(self.sports.values().flatten().map(String::as_str));
        lexicon.sports = self
            .sports
            .into_iter()
            .map(|(g, s)| (g, s.into_iter().collect()))
            .collect();
        add_athletes(&mut lexicon, &self.people, self.medals);
        lexicon
    }
}

impl Lexicon {
    /// The lexicon of a sequence of events (a ledger's log, or events/*.jsonl).
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Recorded>) -> Lexicon {
        let mut builder = LexiconBuilder::new();
        for r in events {
            builder.apply(r);
        }
        builder.finish()
    }
}

fn add_phrases(lexicon: &mut Lexicon, registered: impl Iterator<Item = (Noc, String)>) {
    let mut add = |text: &str, target: Target| {
        let (caps_only, text) = match text.strip_prefix('!') {
            Some(t) => (true, t),
            None => (false, text),
        };
        let words = phrase_words(text);
        let Some(first) = words.first().cloned() else {
            return;
        };
        let list = lexicon.phrases.entry(first).or_default();
        if !list.iter().any(|p| p.words == words) {
            list.push(Phrase {
                words,
                caps_only,
                target,
            });
        }
    };
    for line in NOCS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut fields = line.split('|');
        let code = fields.next().unwrap_or_default();
        let target = match code.parse::<Noc>() {
            Ok(noc) => Target::Delegation(noc),
            Err(_) => Target::Not,
        };
        if let Target::Delegation(_) = target {
            add(&format!("!{code}"), target);
        }
        for field in fields {
            for name in field.split(';').filter(|n| !n.trim().is_empty()) {
                add(name.trim(), target);
            }
        }
    }
    for (code, name) in registered {
        add(&format!("!{code}"), Target::Delegation(code));
        add(&name, Target::Delegation(code));
    }
    for list in lexicon.phrases.values_mut() {
        list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
    }
}

/// A games' name's city: the words before its year ("Paris" of "Paris 2024 Olympic Games").
fn city_of(name: &str) -> Option<(String, i16)> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))?;
    let year: i16 = words[at].parse().ok()?;
    (at > 0).then(|| (words[..at].join(" "), year))
}

fn slug(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

struct Bundled {
    movement: Movement,
    season: Season,
    year: i16,
    cities: Vec<String>,
    host: Option<Noc>,
    opens: Date,
    closes: Date,
}

fn bundled_editions() -> Vec<Bundled> {
    EDITIONS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|line| {
            let f: Vec<&str> = line.split('|').collect();
            let [movement, season, year, cities, host, opens, closes] = f.as_slice() else {
                return None;
            };
            Some(Bundled {
                movement: movement.parse().ok()?,
                season: season.parse().ok()?,
                year: year.parse().ok()?,
                cities: cities.split(';').map(str::to_owned).collect(),
                host: host.parse().ok(),
                opens: parse_ymd(opens)?,
                closes: parse_ymd(closes)?,
            })
        })
        .collect()
}

fn add_editions(lexicon: &mut Lexicon, registrations: &[(Date, GamesRegistered)]) {
    let mut editions: Vec<(Edition, Vec<String>)> = Vec::new();
    for (opens, g) in registrations {
        let (city, year) = match city_of(&g.name) {
            Some((c, y)) => (vec![c], y),
            None => (Vec::new(), opens.year()),
        };
        let edition = Edition {
            id: g.games.clone(),
            year,
            season: g.season,
            movement: g.movement,
            opens: *opens,
            closes: g.closes.last(),
            host: g.host.as_deref().and_then(|h| h.parse().ok()),
            in_ledger: true,
            ordinal: None,
        };
        match editions.iter_mut().find(|(e, _)| e.id == g.games) {
            Some(existing) => *existing = (edition, city),
            None => editions.push((edition, city)),
        }
    }
    for b in bundled_editions() {
        let same = editions.iter_mut().find(|(e, _)| {
            e.movement == Some(b.movement) && e.season == Some(b.season) && e.year == b.year
        });
        match same {
            Some((e, cities)) => {
                e.host = e.host.or(b.host);
                for c in &b.cities {
                    if !cities.contains(c) {
                        cities.push(c.clone());
                    }
                }
            }
            None => {
                let suffix = match b.movement {
                    Movement::Paralympic => "-paralympics",
                    Movement::Youth => "-youth",
                    Movement::Olympic => "",
                };
                let id = format!("{}-{}{suffix}", slug(&b.cities[0]), b.year);
                let Ok(id) = id.parse() else {
                    continue;
                };
                editions.push((
                    Edition {
                        id,
                        year: b.year,
                        season: Some(b.season),
                        movement: Some(b.movement),
                        opens: b.opens,
                        closes: b.closes,
                        host: b.host,
                        in_ledger: false,
                        ordinal: None,
                    },
                    b.cities.clone(),
                ));
            }
        }
    }
    // Games of one year in one city are called alike: "Salt Lake 2002" is
    // the Olympic Games as well as the Paralympic ones the table gives that
    // name (which of them the text means is for `games_ref::resolve`).
    for a in 0..editions.len() {
        for b in 0..editions.len() {
            let (ea, eb) = (&editions[a], &editions[b]);
            if a == b || ea.0.year != eb.0.year || !ea.1.iter().any(|c| eb.1.contains(c)) {
                continue;
            }
            let more: Vec<String> = eb.1.iter().filter(|c| !ea.1.contains(c)).cloned().collect();
            editions[a].1.extend(more);
        }
    }
    editions.sort_by_key(|(e, _)| (e.opens, e.id.clone()));
    // Numbers in each series: an Olympiad's for the summer Olympic Games
    // (1896 is the first, and the cancelled 1916, 1940 and 1944 count), else
    // the position in the series.
    let mut counts: BTreeMap<(Movement, Season), u32> = BTreeMap::new();
    for (e, _) in &mut editions {
        let (Some(m), Some(s)) = (e.movement, e.season) else {
            continue;
        };
        let n = counts.entry((m, s)).or_default();
        *n += 1;
        e.ordinal = Some(if (m, s) == (Movement::Olympic, Season::Summer) {
            ((e.year - 1896) / 4 + 1).max(1) as u32
        } else {
            *n
        });
    }
    for (index, (edition, cities)) in editions.into_iter().enumerate() {
        for city in cities {
            let words = phrase_words(&city);
            let Some(first) = words.first().cloned() else {
                continue;
            };
            let list = lexicon.cities.entry(first).or_default();
            match list.iter_mut().find(|(w, _)| *w == words) {
                Some((_, ids)) => ids.push(index),
                None => list.push((words, vec![index])),
            }
        }
        lexicon.editions.push(edition);
    }
    for list in lexicon.cities.values_mut() {
        list.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }
}

fn name_words(name: &str) -> Vec<String> {
    phrase_words(name)
        .into_iter()
        .filter(|w| w.chars().all(char::is_alphanumeric) && !w.is_empty())
        .collect()
}

fn add_athletes(
    lexicon: &mut Lexicon,
    people: &People,
    medals: HashMap<String, BTreeSet<(GamesId, Noc, String)>>,
) {
    // One athlete per person: spellings joined by `person_identified`, and
    // spellings of the same words ("ABE Hifumi", "Hifumi ABE").
    type Spellings = BTreeSet<String>;
    type Won = BTreeSet<(GamesId, Noc, String)>;
    let mut by_key: BTreeMap<Vec<String>, (String, Spellings, Won)> = BTreeMap::new();
    for (written, won) in medals {
        // A team's medal may name its delegation for athletes ("United States
        // of America" in a 1980 relay): that is no person, and reading the
        // country's name as one would make every claim about it an athlete's.
        if lexicon.names_delegation(&written) {
            continue;
        }
        let person = people.resolve(&written);
        let mut key = name_words(&person.name);
        key.sort();
        let entry = by_key
            .entry(key)
            .or_insert_with(|| (person.name.clone(), BTreeSet::new(), BTreeSet::new()));
        entry.1.insert(written);
        entry.1.extend(person.aliases.iter().cloned());
        entry.2.extend(won);
    }
    let by_name = by_key
        .into_values()
        .map(|(name, spellings, won)| (name, (spellings, won)));
    let mut prefixes: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (name, (spellings, won)) in by_name {
        let index = lexicon.athletes.len() as u32;
        let mut all: Vec<Vec<String>> = vec![name_words(&name)];
        for s in &spellings {
            let words = name_words(s);
            if !all.contains(&words) {
                all.push(words);
            }
        }
        let mut words: BTreeSet<&String> = BTreeSet::new();
        for spelling in &all {
            words.extend(spelling.iter());
        }
        for w in words {
            lexicon.by_word.entry(w.clone()).or_default().push(index);
            let prefix: String = w.chars().take(3).collect();
            prefixes.entry(prefix).or_default().insert(w.clone());
        }
        lexicon.athletes.push(Athlete {
            name,
            spellings: all,
            medals: won.into_iter().collect(),
        });
    }
    lexicon.by_prefix = prefixes
        .into_iter()
        .map(|(p, w)| (p, w.into_iter().collect()))
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        let lines = [
            r#"{"id":"00000000-0000-4000-8000-000000000001","type":"games_registered","date":"2024-08-28","games":"paris-2024-paralympics","name":"Paris 2024 Paralympic Games","closes":"2024-09-08","unranked":["NPA"],"delegations":{"AZE":"Azerbaijan","CHN":"People's Republic of China"},"season":"summer","movement":"paralympic"}"#,
            r#"{"id":"00000000-0000-4000-8000-000000000002","type":"medal_awarded","date":"2024-08-30","games":"paris-2024-paralympics","sport":"Para Judo","event":"Men -60 kg","medal":"bronze","noc":"AZE","athletes":["Ilham ZAKIYEV"]}"#,
        ];
        let records: Vec<Recorded> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| Recorded {
                seq: i as u64 + 1,
                recorded: jiff::Timestamp::UNIX_EPOCH,
                recorded_by: None,
                event: crate::jsonl::parse_line(l).unwrap().unwrap().event,
            })
            .collect();
        Lexicon::from_events(&records)
    }

    #[test]
    fn delegations_by_name_adjective_and_code_longest_first() {
        let lex = lexicon();
        let at = |text: &str| {
            let t = tokenize(text);
            lex.delegation_at(&t, 0)
        };
        let noc = |s: &str| Target::Delegation(s.parse().unwrap());
        assert_eq!(at("Chinese Taipei won"), Some((noc("TPE"), 2)));
        assert_eq!(at("Chinese paraathletes"), Some((noc("CHN"), 1)));
        assert_eq!(at("People's Republic of China"), Some((noc("CHN"), 5)));
        assert_eq!(at("the Netherlands"), Some((noc("NED"), 2)));
        assert_eq!(at("US team"), Some((noc("USA"), 1)));
        assert_eq!(at("us"), None);
        assert_eq!(at("china"), None);
        assert_eq!(at("AZE"), Some((noc("AZE"), 1)));
        assert_eq!(at("Azerbaijani"), Some((noc("AZE"), 1)));
        assert_eq!(at("South American record"), Some((Target::Not, 2)));
        assert_eq!(at("U.S. swimmers"), Some((noc("USA"), 4)));
    }

    #[test]
    fn editions_from_the_ledger_and_the_bundled_table() {
        let lex = lexicon();
        let athens = lex
            .edition(&"athens-2004-paralympics".parse().unwrap())
            .expect("bundled");
        assert!(!athens.in_ledger);
        assert_eq!(athens.ordinal, Some(12));
        let paris = lex
            .edition(&"paris-2024-paralympics".parse().unwrap())
            .unwrap();
        assert!(paris.in_ledger);
        assert_eq!(paris.ordinal, Some(17));
        assert_eq!(paris.host, Some("FRA".parse().unwrap()));
        let t = tokenize("Rio de Janeiro");
        assert_eq!(lex.city_at(&t, 0).map(|(_, next)| next), Some(3));
        assert_eq!(
            lex.sports(&"athens-2004-paralympics".parse().unwrap()),
            ["Para Judo"]
        );
        // Judo at a Paralympic Games the ledger holds no judo medal of is the
        // series' "Para Judo"; at an Olympic Games, never.
        let judo = sport_words::key_of("judo");
        let tokyo: GamesId = "tokyo-2020-paralympics".parse().unwrap();
        assert_eq!(lex.sport_named(&tokyo, &judo), Some("Para Judo"));
        let paris: GamesId = "paris-2024".parse().unwrap();
        assert!(lex.edition(&paris).is_some());
        assert_eq!(lex.sport_named(&paris, &judo), None);
        assert_eq!(lex.athletes()[0].name, "Ilham ZAKIYEV");
        assert_eq!(lex.athletes_with_word("zakiyev"), [0]);
    }
}
