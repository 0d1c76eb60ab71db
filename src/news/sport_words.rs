//! Sports as articles write them: the sport's name ("athletics",
//! "para-athletics", "parataekwondo"), the athlete who practises it
//! ("judoka", "swimmer", "Greco-Roman wrestler") or one of its events ("the
//! long jump"), reduced to a key that `resolve` maps to the name a games'
//! medals use ("Para Athletics" at a Paralympic Games, "Athletics" at an
//! Olympic one).

use std::collections::{BTreeSet, HashMap};

use super::tokens::{fold, Kind, Token};

/// A sport as words: folded, without "para" and "sport", sorted.
pub type Key = Vec<String>;

/// Words that name a sport without being its name.
const ALIASES: &[(&str, &str)] = &[
    ("judoka", "judo"),
    ("judokas", "judo"),
    ("swimmer", "swimming"),
    ("swimmers", "swimming"),
    ("boxer", "boxing"),
    ("boxers", "boxing"),
    ("wrestler", "wrestling"),
    ("wrestlers", "wrestling"),
    ("greco-roman", "wrestling"),
    ("freestyle wrestler", "wrestling"),
    ("freestyle wrestlers", "wrestling"),
    ("freestyle wrestling", "wrestling"),
    ("fencer", "fencing"),
    ("fencers", "fencing"),
    ("rower", "rowing"),
    ("rowers", "rowing"),
    ("cyclist", "cycling"),
    ("cyclists", "cycling"),
    ("archer", "archery"),
    ("archers", "archery"),
    ("weightlifter", "weightlifting"),
    ("weightlifters", "weightlifting"),
    ("powerlifter", "powerlifting"),
    ("powerlifters", "powerlifting"),
    ("gymnast", "gymnastics"),
    ("gymnasts", "gymnastics"),
    ("shooter", "shooting"),
    ("shooters", "shooting"),
    ("sailor", "sailing"),
    ("sailors", "sailing"),
    ("diver", "diving"),
    ("divers", "diving"),
    ("canoeist", "canoe"),
    ("canoeists", "canoe"),
    ("canoeing", "canoe"),
    ("kayaker", "canoe"),
    ("kayakers", "canoe"),
    ("triathlete", "triathlon"),
    ("triathletes", "triathlon"),
    ("track and field", "athletics"),
    ("sprinter", "athletics"),
    ("sprinters", "athletics"),
    ("hurdler", "athletics"),
    ("hurdles", "athletics"),
    ("long jump", "athletics"),
    ("long jumper", "athletics"),
    ("high jump", "athletics"),
    ("high jumper", "athletics"),
    ("triple jump", "athletics"),
    ("pole vault", "athletics"),
    ("shot put", "athletics"),
    ("javelin", "athletics"),
    ("discus", "athletics"),
    ("hammer throw", "athletics"),
    ("marathon", "athletics"),
    ("marathoner", "athletics"),
    ("steeplechase", "athletics"),
    ("decathlon", "athletics"),
    ("heptathlon", "athletics"),
    ("cross-country skier", "cross-country skiing"),
    ("cross-country skiers", "cross-country skiing"),
    ("alpine skier", "alpine skiing"),
    ("alpine skiers", "alpine skiing"),
    ("freestyle skier", "freestyle skiing"),
    ("ski jumper", "ski jumping"),
    ("ski jumpers", "ski jumping"),
    ("hockey player", "hockey"),
    ("table tennis player", "table tennis"),
    ("taekwondo fighter", "taekwondo"),
    ("taekwondo fighters", "taekwondo"),
    ("badminton player", "badminton"),
    ("tennis player", "tennis"),
    ("backstroke", "swimming"),
    ("breaststroke", "swimming"),
    ("butterfly", "swimming"),
    ("medley", "swimming"),
    ("karateka", "karate"),
    ("golfer", "golf"),
    ("golfers", "golf"),
    ("soccer", "football"),
    ("biathlete", "biathlon"),
    ("biathletes", "biathlon"),
    ("curler", "curling"),
    ("curlers", "curling"),
    ("bobsledder", "bobsleigh"),
    ("bobsledders", "bobsleigh"),
    ("bobsled", "bobsleigh"),
    ("luger", "luge"),
    ("snowboarder", "snowboard"),
    ("snowboarders", "snowboard"),
    ("snowboarding", "snowboard"),
    ("figure skater", "figure skating"),
    ("figure skaters", "figure skating"),
    ("speed skater", "speed skating"),
    ("speed skaters", "speed skating"),
    ("climber", "climbing"),
    ("climbers", "climbing"),
    ("surfer", "surfing"),
    ("surfers", "surfing"),
    ("skateboarder", "skateboarding"),
    ("skateboarders", "skateboarding"),
    ("breakdancing", "breaking"),
    ("b-boy", "breaking"),
    ("b-girl", "breaking"),
];

/// The words of a sport's name that do not tell it apart.
fn neutral(word: &str) -> bool {
    matches!(word, "para" | "sport" | "-")
}

/// A sport name's key: "Shooting Para Sport" is `[shooting]`.
pub fn key_of(name: &str) -> Key {
    let mut words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .filter(|w| !neutral(w))
        .collect();
    words.sort();
    words
}

fn words_of(phrase: &str) -> Vec<String> {
    // Hyphens are tokens of their own, as the tokenizer makes them.
    let spaced = phrase.replace('-', " - ");
    spaced.split_whitespace().map(fold).collect()
}

/// The sports a text may name, by first word.
#[derive(Clone, Debug, Default)]
pub struct SportWords {
    phrases: HashMap<String, Vec<(Vec<String>, Key)>>,
}

/// A sport found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub key: Key,
    /// Written with "para" ("para-athletics", "parataekwondo").
    pub para: bool,
    /// Names the athlete rather than the sport ("judoka", "swimmer").
    pub agent: bool,
    pub start: usize,
    pub end: usize,
}

impl SportWords {
    /// The vocabulary of these sport names (every sport of the ledger) and the aliases.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> SportWords {
        let mut phrases: HashMap<String, Vec<(Vec<String>, Key)>> = HashMap::new();
        let mut add = |words: Vec<String>, key: Key| {
            if let Some(first) = words.first().cloned() {
                let list = phrases.entry(first).or_default();
                if !list.iter().any(|(w, _)| *w == words) {
                    list.push((words, key));
                }
            }
        };
        let mut keys: BTreeSet<Key> = BTreeSet::new();
        for name in names {
            let key = key_of(name);
            if key.is_empty() {
                continue;
            }
            let words: Vec<String> = words_of(name).into_iter().filter(|w| !neutral(w)).collect();
            // "Cycling Track" is also written "track cycling".
            if words.len() == 2 {
                add(vec![words[1].clone(), words[0].clone()], key.clone());
            }
            add(words, key.clone());
            keys.insert(key);
        }
        for (alias, sport) in ALIASES {
            add(words_of(alias), key_of(sport));
        }
        for list in phrases.values_mut() {
            list.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        SportWords { phrases }
    }

    /// The sport named at token `i`, if one is.
    pub fn at(&self, tokens: &[Token], i: usize) -> Option<Found> {
        let t = tokens.get(i).filter(|t| t.kind == Kind::Word)?;
        if let Some(mut found) = self.phrase_at(tokens, i) {
            found.para = t.is("para");
            return Some(found);
        }
        // "para-athletics", "para athletics", "Para Swimming"
        if t.is("para") {
            let k = i + 1 + usize::from(tokens.get(i + 1).is_some_and(|h| h.is("-")));
            let mut found = self.phrase_at(tokens, k)?;
            found.para = true;
            found.start = i;
            return Some(found);
        }
        // "paraathletics", "parataekwondo", "paraswimming"
        let rest = t.norm.strip_prefix("para")?;
        let (words, key) = self.phrases.get(rest)?.iter().find(|(w, _)| w.len() == 1)?;
        Some(Found {
            key: key.clone(),
            para: true,
            agent: is_agent(&words[0]),
            start: i,
            end: i + 1,
        })
    }

    fn phrase_at(&self, tokens: &[Token], i: usize) -> Option<Found> {
        let first = tokens.get(i)?;
        let list = self.phrases.get(&first.norm)?;
        list.iter().find_map(|(words, key)| {
            let window = tokens.get(i..i + words.len())?;
            let same = window.iter().zip(words).all(|(t, w)| t.norm == *w);
            same.then(|| Found {
                key: key.clone(),
                para: false,
                agent: is_agent(words.last().map_or("", String::as_str)),
                start: i,
                end: i + words.len(),
            })
        })
    }
}

/// Whether a word names a person who practises a sport ("judoka", "swimmer").
fn is_agent(word: &str) -> bool {
    word != "soccer"
        && (word.ends_with("er")
            || word.ends_with("ers")
            || word.ends_with("ist")
            || word.ends_with("ists")
            || word.ends_with("ka")
            || word.ends_with("kas")
            || word.ends_with("ete")
            || word.ends_with("etes")
            || word.ends_with("ast")
            || word.ends_with("asts")
            || word.ends_with("or")
            || word.ends_with("ors"))
}

/// The one sport among `sports` (a games' sport names) that `key` names:
/// the same words, else the only one whose words include them.
pub fn resolve<'a>(key: &Key, sports: &[&'a str]) -> Option<&'a str> {
    let keys: Vec<(Key, &str)> = sports.iter().map(|s| (key_of(s), *s)).collect();
    if let Some((_, s)) = keys.iter().find(|(k, _)| k == key) {
        return Some(s);
    }
    let mut wider = keys
        .iter()
        .filter(|(k, _)| key.iter().all(|w| k.contains(w)));
    match (wider.next(), wider.next()) {
        (Some((_, s)), None) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    #[test]
    fn names_agents_events_and_para_prefixes() {
        let words = SportWords::new(["Para Athletics", "Para Taekwondo", "Cycling Track", "Judo"]);
        let at = |text: &str| {
            let t = tokenize(text);
            words
                .at(&t, 0)
                .map(|f| (f.key.join(" "), f.para, f.agent, f.end))
        };
        assert_eq!(
            at("para-athletics star"),
            Some(("athletics".into(), true, false, 3))
        );
        assert_eq!(
            at("parataekwondo"),
            Some(("taekwondo".into(), true, false, 1))
        );
        assert_eq!(at("judokas Hidayat"), Some(("judo".into(), false, true, 1)));
        assert_eq!(
            at("track cycling"),
            Some(("cycling track".into(), false, false, 2))
        );
        assert_eq!(at("the long jump"), None);
        assert_eq!(at("long jump"), Some(("athletics".into(), false, false, 2)));
        assert_eq!(
            at("Greco-Roman wrestler"),
            Some(("wrestling".into(), false, false, 3))
        );
        assert_eq!(at("parachute"), None);
    }

    #[test]
    fn keys_resolve_to_the_games_names() {
        let para = [
            "Para Athletics",
            "Para Swimming",
            "Shooting Para Sport",
            "Wheelchair Tennis",
        ];
        assert_eq!(resolve(&key_of("athletics"), &para), Some("Para Athletics"));
        assert_eq!(
            resolve(&key_of("shooting"), &para),
            Some("Shooting Para Sport")
        );
        assert_eq!(resolve(&key_of("tennis"), &para), Some("Wheelchair Tennis"));
        let olympic = [
            "Swimming",
            "Marathon Swimming",
            "Cycling Road",
            "Cycling Track",
        ];
        assert_eq!(resolve(&key_of("swimming"), &olympic), Some("Swimming"));
        assert_eq!(resolve(&key_of("cycling"), &olympic), None);
        assert_eq!(resolve(&key_of("judo"), &olympic), None);
    }
}
