//! The name of a sport or an event reduced for comparison (`Label`), so
//! that "judo" finds "Judo", "JÚDO" and "Para Judo" does not. Pure; the
//! folds, the read model and the questions compare names through it.

use unicode_normalization::UnicodeNormalization;

/// The name of a sport or an event reduced for comparison: lowercase, no
/// accents, no apostrophes ("Women's" = "womens"), words of letters and of
/// digits ("58kg" = "58 kg") in any order, and the signs that tell weight
/// classes apart kept ("Men -100 kg" is not "Men +100 kg"). People's names
/// compare as `NameKey`s instead, which drop the signs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Label(Vec<String>);

impl Label {
    pub fn new(name: &str) -> Label {
        if name.is_ascii() {
            // Most names: no accents to take off, so no decomposition.
            return Label::of_folded(
                name.chars()
                    .filter(|c| *c != '\'')
                    .map(|c| c.to_ascii_lowercase()),
            );
        }
        Label::of_folded(
            name.nfd()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
                .filter(|c| !matches!(c, '\'' | '\u{2019}'))
                .map(|c| if c == '\u{2212}' { '-' } else { c })
                .flat_map(char::to_lowercase),
        )
    }

    /// The label of a name already lowercase, without accents or apostrophes.
    fn of_folded(folded: impl Iterator<Item = char>) -> Label {
        let mut words: Vec<String> = Vec::new();
        let mut word = String::new();
        let mut last: Option<bool> = None;
        for c in folded {
            let kind = c
                .is_alphabetic()
                .then_some(true)
                .or(c.is_numeric().then_some(false));
            if (kind.is_none() || kind != last) && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            match kind {
                Some(_) => word.push(c),
                None if matches!(c, '+' | '-') => words.push(c.to_string()),
                None => {}
            }
            last = kind;
        }
        if !word.is_empty() {
            words.push(word);
        }
        words.sort();
        Label(words)
    }

    /// The label as one string (its words, in order, separated by spaces):
    /// a key for the name, equal for equal labels.
    pub fn key(&self) -> String {
        self.0.join(" ")
    }
}
