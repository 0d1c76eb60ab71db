//! People and their names: sources spell one person several ways (Roman Saleh,
//! Raman Saley, Raman SALEI). This module folds `person_identified` events
//! into people with all their spellings, and matches a name typed by a user
//! to them, ignoring case, accents, punctuation and word order.
//!
//! A pure projection: it never writes and knows nothing of storage.

use std::collections::{BTreeSet, HashMap};

use unicode_normalization::UnicodeNormalization;

use crate::event::{Kind, Noc, Recorded};

/// A name reduced for comparison: lowercase words without accents, sorted.
/// "Loren Berto ALFONSO DOMÍNGUEZ" and "dominguez, loren berto alfonso" give the same key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NameKey(Vec<String>);

/// The words of a name as names compare them: lowercase, without accents,
/// split at anything that is not a letter or digit. A name in ASCII (most of
/// them) is folded without Unicode decomposition.
pub fn name_words(name: &str) -> Vec<String> {
    let folded: String = if name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        name.nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect()
    };
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

impl NameKey {
    pub fn new(name: &str) -> NameKey {
        let mut words = name_words(name);
        words.sort();
        NameKey(words)
    }

    /// The words of the key, sorted.
    pub fn words(&self) -> &[String] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether every word of `self` is a word of `other` ("Heydarov" in "Hidayat HEYDAROV").
    pub fn within(&self, other: &NameKey) -> bool {
        let mut words: Vec<&String> = other.0.iter().collect();
        self.0
            .iter()
            .all(|w| match words.iter().position(|o| *o == w) {
                Some(i) => {
                    words.remove(i);
                    true
                }
                None => false,
            })
    }
}

/// One person: the spelling of the records first, then the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub aliases: Vec<String>,
    pub noc: Option<Noc>,
}

impl Person {
    /// Every spelling of the person, the canonical one first.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    pub fn keys(&self) -> BTreeSet<NameKey> {
        self.spellings().map(NameKey::new).collect()
    }
}

/// The people the ledger knows by `person_identified` events.
#[derive(Clone, Debug, Default)]
pub struct People {
    people: Vec<Person>,
    by_key: HashMap<NameKey, usize>,
}

impl People {
    pub fn new() -> People {
        People::default()
    }

    /// Takes the next event in log order. Spellings that share a key with a
    /// known person join that person; the latest canonical name wins.
    pub fn apply(&mut self, r: &Recorded) {
        let Kind::PersonIdentified(p) = &r.event.kind else {
            return;
        };
        let names: Vec<&str> = std::iter::once(p.name.as_str())
            .chain(p.aliases.iter().map(String::as_str))
            .collect();
        let existing = names
            .iter()
            .find_map(|n| self.by_key.get(&NameKey::new(n)).copied());
        let index = match existing {
            Some(i) => {
                let person = &mut self.people[i];
                if person.name != p.name {
                    let old = std::mem::replace(&mut person.name, p.name.clone());
                    person.aliases.push(old);
                }
                person.noc = p.noc.or(person.noc);
                i
            }
            None => {
                self.people.push(Person {
                    name: p.name.clone(),
                    aliases: Vec::new(),
                    noc: p.noc,
                });
                self.people.len() - 1
            }
        };
        for name in names {
            let key = NameKey::new(name);
            if self.by_key.contains_key(&key) && self.by_key[&key] == index {
                continue;
            }
            let person = &mut self.people[index];
            if name != person.name && !person.aliases.iter().any(|a| a == name) {
                person.aliases.push(name.to_owned());
            }
            self.by_key.insert(key, index);
        }
    }

    /// The person known under this exact name (up to case, accents and word order).
    pub fn get(&self, name: &str) -> Option<&Person> {
        self.by_key
            .get(&NameKey::new(name))
            .map(|&i| &self.people[i])
    }

    /// The person a name belongs to, or a person of that one name.
    pub fn resolve(&self, name: &str) -> Person {
        self.get(name).cloned().unwrap_or_else(|| Person {
            name: name.to_owned(),
            aliases: Vec::new(),
            noc: None,
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Person> {
        self.people.iter()
    }
}

/// Finds the people a query names among `candidates` (athlete names seen in
/// the records) and the identified people: a person matches when every word
/// of the query is a word of one of their spellings. Each person once.
pub fn search<'a>(
    people: &People,
    candidates: impl IntoIterator<Item = &'a str>,
    query: &str,
) -> Vec<Person> {
    let query = NameKey::new(query);
    if query.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<Person> = Vec::new();
    let mut seen: BTreeSet<NameKey> = BTreeSet::new();
    let mut consider = |person: Person| {
        let keys = person.keys();
        if keys.iter().any(|k| seen.contains(k)) {
            return;
        }
        if keys.iter().any(|k| query.within(k)) {
            seen.extend(keys);
            found.push(person);
        }
    };
    for person in people.iter() {
        consider(person.clone());
    }
    for name in candidates {
        consider(people.resolve(name));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_accents_punctuation_and_order() {
        assert_eq!(
            NameKey::new("Loren Berto ALFONSO DOMÍNGUEZ"),
            NameKey::new("dominguez, loren berto alfonso")
        );
        assert_ne!(
            NameKey::new("Veli Israfilov"),
            NameKey::new("Vali Israfilov")
        );
        assert!(NameKey::new("Heydarov").within(&NameKey::new("Hidayat HEYDAROV")));
        // The ASCII path folds as the Unicode one does.
        assert_eq!(name_words("O'Neil-SMITH Jr."), ["o", "neil", "smith", "jr"]);
        assert_eq!(name_words("ÉMILE Ça"), ["emile", "ca"]);
        assert!(!NameKey::new("Heydarov Heydarov").within(&NameKey::new("Hidayat HEYDAROV")));
    }
}
