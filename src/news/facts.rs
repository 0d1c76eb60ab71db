//! Memberships an article states: "Azerbaijan joined the Islamic World
//! Educational, Scientific, and Cultural Organisation (ICESCO) in 1991", "X
//! has been a member of Y since 1992", "X became a member of Y in 2004".
//! Only where it is unambiguous: a delegation named as the member, an
//! organisation written as a name (capitalised words, an acronym in
//! brackets), and a year. Nothing else an article says (who met whom, with
//! which roles) is read: those need a person's judgement.

use std::ops::Range;

use super::lexicon::{Lexicon, Target};
use super::tokens::{sentences, tokenize, Kind, Token};
use crate::event::Noc;

/// A membership an article states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Joined {
    pub member: Noc,
    pub organisation: String,
    pub year: i16,
    /// The sentence: bytes of the plain text.
    pub sentence: Range<usize>,
}

/// Words an organisation's name may have in lowercase ("of", "and").
fn joins_name(t: &Token) -> bool {
    matches!(
        t.norm.as_str(),
        "of" | "and" | "for" | "the" | "," | "-" | "'s" | "on" | "in"
    )
}

/// The memberships `text` states.
pub fn memberships(text: &str, lexicon: &Lexicon) -> Vec<Joined> {
    let tokens = tokenize(text);
    let mut out = Vec::new();
    for range in sentences(&tokens) {
        let (start, end) = (range.start, range.end);
        for i in start..end {
            let Some((Target::Delegation(member), next)) = lexicon.delegation_at(&tokens[..end], i)
            else {
                continue;
            };
            // "joined", "has been a member of", "became a member of", "is a member of"
            let mut k = next;
            while tokens.get(k).is_some_and(|t| {
                matches!(
                    t.norm.as_str(),
                    "has" | "have" | "had" | "officially" | "formally"
                )
            }) {
                k += 1;
            }
            if tokens.get(k).is_some_and(|t| t.is("joined")) {
                k += 1;
            } else if tokens
                .get(k)
                .is_some_and(|t| matches!(t.norm.as_str(), "been" | "became" | "is" | "was"))
                && tokens.get(k + 1).is_some_and(|t| t.is("a"))
                && tokens.get(k + 2).is_some_and(|t| t.is("member"))
                && tokens.get(k + 3).is_some_and(|t| t.is("of"))
            {
                k += 4;
            } else {
                continue;
            }
            if let Some(joined) = organisation_and_year(&tokens, k, end) {
                let span = tokens[start].start..tokens[end - 1].end;
                out.push(Joined {
                    sentence: span,
                    organisation: text[joined.0.clone()]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    member,
                    year: joined.1,
                });
            }
        }
    }
    out
}

/// The organisation named from token `k` (its bytes) and the year after it
/// ("in 1991", "since 1992").
fn organisation_and_year(tokens: &[Token], k: usize, end: usize) -> Option<(Range<usize>, i16)> {
    let mut j = k;
    if tokens.get(j).is_some_and(|t| t.is("the")) {
        j += 1;
    }
    let first = j;
    let mut last = None;
    while j < end {
        let t = &tokens[j];
        if t.is_word() && t.cap {
            last = Some(j);
        } else if t.is("(")
            && tokens.get(j + 1).is_some_and(|a| a.caps)
            && tokens.get(j + 2).is_some_and(|c| c.is(")"))
        {
            last = Some(j + 2);
            break;
        } else if !joins_name(t) {
            break;
        }
        j += 1;
    }
    let last = last?;
    if !tokens[first].cap {
        return None;
    }
    let mut y = last + 1;
    while y < end && y < last + 3 && !matches!(tokens[y].norm.as_str(), "in" | "since") {
        y += 1;
    }
    let year = tokens.get(y + 1).filter(|t| {
        matches!(tokens[y].norm.as_str(), "in" | "since")
            && t.kind == Kind::Number
            && t.norm.len() == 4
    })?;
    let year = i16::try_from(year.value?)
        .ok()
        .filter(|y| (1850..=2100).contains(y))?;
    Some((tokens[first].start..tokens[last].end, year))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delegation_joining_an_organisation_in_a_year() {
        let lexicon = Lexicon::from_events(&[]);
        let text = "With its rich cultural legacy, Azerbaijan joined the Islamic World Educational, \
                    Scientific, and Cultural Organisation (ICESCO) in 1991. Kenya has been a member of \
                    the Commonwealth since 1963. France joined forces with Spain.";
        let found = memberships(text, &lexicon);
        let got: Vec<(String, String, i16)> = found
            .iter()
            .map(|j| (j.member.to_string(), j.organisation.clone(), j.year))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "AZE".to_owned(),
                    "Islamic World Educational, Scientific, and Cultural Organisation (ICESCO)"
                        .to_owned(),
                    1991
                ),
                ("KEN".to_owned(), "Commonwealth".to_owned(), 1963),
            ]
        );
    }
}
