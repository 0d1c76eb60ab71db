//! Plain text as tokens (words, numbers, ordinals, punctuation, paragraph
//! breaks) with their byte spans, and tokens as sentences.
//!
//! Words are compared folded: lowercase, accents taken off ("Kotsoïev" and
//! "kotsoiev" are one word). Numbers keep their value ("4,000" is 4000);
//! "30th" is an ordinal. A possessive `'s` is a token of its own, and so is
//! every hyphen, so "forty-eight", "Athens-2004" and "para-athletics" read
//! as their parts.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Word,
    /// Digits: `value` is set when they are a whole number.
    Number,
    /// `30th`, `1st`: `value` is the number.
    Ordinal,
    Punct,
    /// The end of a paragraph, a heading or a list item.
    Break,
}

/// One token of the plain text.
#[derive(Clone, Debug)]
pub struct Token {
    pub kind: Kind,
    /// Bytes of the plain text.
    pub start: usize,
    pub end: usize,
    /// Words folded; numbers as digits; punctuation as one ASCII character
    /// (every dash is `-`, every apostrophe `'`, every double quote `"`).
    pub norm: String,
    pub value: Option<u64>,
    /// The word begins with a capital.
    pub cap: bool,
    /// The word is in capitals (two letters or more).
    pub caps: bool,
    /// Whitespace before and after the token.
    pub space_before: bool,
    pub space_after: bool,
}

impl Token {
    pub fn is(&self, norm: &str) -> bool {
        self.norm == norm
    }

    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
}

/// A word lowercase and without accents, with the letters records
/// transliterate written as they do ("Bø" is "boe", "Strauß" "strauss").
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(word.len());
    let letters = word
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase);
    for c in letters {
        match c {
            'ø' | 'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            'ı' => out.push('i'),
            'ł' => out.push('l'),
            'đ' => out.push('d'),
            c => out.push(c),
        }
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−')
}

/// The tokens of `text`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let byte = |i: usize| chars.get(i).map_or(text.len(), |(b, _)| *b);
    let mut tokens: Vec<Token> = Vec::with_capacity(chars.len() / 4);
    let mut i = 0;
    let mut space = true;
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace() || c == '\u{ad}' {
            // A blank line, or a new line that begins a list item, ends a paragraph.
            let begin = i;
            let mut newlines = 0;
            while let Some(w) = at(i).filter(|w| w.is_whitespace() || *w == '\u{ad}') {
                if w == '\n' {
                    newlines += 1;
                }
                i += 1;
            }
            let line_break =
                newlines == 1 && (starts_list_item(&chars, i) || short_line(&chars, begin));
            if (newlines >= 2 || line_break) && !tokens.is_empty() {
                tokens.push(Token {
                    kind: Kind::Break,
                    start: byte(begin),
                    end: byte(i),
                    norm: "\n".to_owned(),
                    value: None,
                    cap: false,
                    caps: false,
                    space_before: true,
                    space_after: true,
                });
            }
            space = true;
            if let Some(last) = tokens.last_mut() {
                last.space_after = true;
            }
            continue;
        }
        let start = i;
        let mut token = if c.is_alphabetic() {
            while at(i).is_some_and(|c| {
                c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c)
            }) {
                i += 1;
            }
            let word = &text[byte(start)..byte(i)];
            let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
            let cap = letters.first().is_some_and(|c| c.is_uppercase());
            let caps = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
            new(Kind::Word, fold(word), cap, caps)
        } else if c.is_ascii_digit() {
            while at(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
            // "4,000" and "10,500": groups of three after a comma; "10.5" is not whole.
            let mut whole = true;
            loop {
                let sep = at(i);
                let group = (1..=3).all(|k| at(i + k).is_some_and(|c| c.is_ascii_digit()))
                    && !at(i + 4).is_some_and(|c| c.is_ascii_digit());
                match sep {
                    Some(',') if group => i += 4,
                    Some('.') if at(i + 1).is_some_and(|c| c.is_ascii_digit()) => {
                        whole = false;
                        i += 1;
                        while at(i).is_some_and(|c| c.is_ascii_digit()) {
                            i += 1;
                        }
                    }
                    _ => break,
                }
            }
            let digits: String = text[byte(start)..byte(i)]
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let value = if whole {
                digits.parse::<u64>().ok()
            } else {
                None
            };
            // "30th", "1st", "2nd", "3rd": an ordinal when no letter follows the suffix.
            let suffix: String = (0..2)
                .filter_map(|k| at(i + k))
                .collect::<String>()
                .to_lowercase();
            if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th")
                && !at(i + 2).is_some_and(char::is_alphabetic)
                && value.is_some()
            {
                i += 2;
                let mut t = new(Kind::Ordinal, format!("{digits}{suffix}"), false, false);
                t.value = value;
                t
            } else {
                let mut t = new(Kind::Number, digits, false, false);
                t.value = value;
                t
            }
        } else if is_apostrophe(c)
            && at(i + 1).is_some_and(|s| s == 's' || s == 'S')
            && !at(i + 2).is_some_and(char::is_alphabetic)
            && tokens.last().is_some_and(|t| t.is_word() && !space)
        {
            i += 2;
            new(Kind::Word, "'s".to_owned(), false, false)
        } else {
            i += 1;
            let norm = if is_dash(c) {
                "-".to_owned()
            } else if is_apostrophe(c) {
                "'".to_owned()
            } else if matches!(c, '"' | '“' | '”' | '„' | '«' | '»') {
                "\"".to_owned()
            } else {
                c.to_string()
            };
            new(Kind::Punct, norm, false, false)
        };
        token.start = byte(start);
        token.end = byte(i);
        token.space_before = space;
        space = false;
        tokens.push(token);
    }
    tokens
}

fn new(kind: Kind, norm: String, cap: bool, caps: bool) -> Token {
    Token {
        kind,
        start: 0,
        end: 0,
        norm,
        value: None,
        cap,
        caps,
        space_before: false,
        space_after: false,
    }
}

/// Whether the line starting at char `i` begins a list item (`- `, `* `, `• `, `1. `, `2) `).
fn starts_list_item(chars: &[(usize, char)], i: usize) -> bool {
    let c = |k: usize| chars.get(i + k).map(|(_, c)| *c);
    match c(0) {
        Some('-' | '*' | '•' | '–') => c(1) == Some(' '),
        Some(d) if d.is_ascii_digit() => {
            let mut k = 1;
            while c(k).is_some_and(|c| c.is_ascii_digit()) {
                k += 1;
            }
            matches!(c(k), Some('.' | ')')) && c(k + 1) == Some(' ')
        }
        _ => false,
    }
}

/// Whether the line that ends at char `end` is short: a heading, a dateline
/// or one line of a table, rather than a line of wrapped prose.
fn short_line(chars: &[(usize, char)], end: usize) -> bool {
    const HEADING_CHARS_MAX: usize = 60;
    let mut k = end;
    let mut n = 0;
    while k > 0 && chars[k - 1].1 != '\n' {
        k -= 1;
        n += 1;
        if n > HEADING_CHARS_MAX {
            return false;
        }
    }
    true
}

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: [&str; 32] = [
    "mr", "mrs", "ms", "dr", "st", "no", "nos", "vs", "v", "jr", "sr", "gen", "col", "lt", "sgt",
    "prof", "inc", "co", "corp", "ltd", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct",
    "nov", "dec", "approx", "etc",
];

/// Splits tokens into sentences: ranges of token indices, without the
/// breaks between them.
pub fn sentences(tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let push = |from: usize, to: usize, out: &mut Vec<Range<usize>>| {
        if to > from {
            out.push(from..to);
        }
    };
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.kind == Kind::Break {
            push(start, i, &mut out);
            start = i + 1;
            i += 1;
            continue;
        }
        if t.kind == Kind::Punct && matches!(t.norm.as_str(), "." | "!" | "?" | "…") {
            // Closing quotes and brackets belong to the sentence they end.
            let mut end = i + 1;
            while tokens.get(end).is_some_and(|n| {
                n.kind == Kind::Punct
                    && !n.space_before
                    && matches!(n.norm.as_str(), "\"" | "'" | ")" | "." | "!" | "?")
            }) {
                end += 1;
            }
            let next = tokens.get(end);
            let boundary = match next {
                None => true,
                Some(n) if n.kind == Kind::Break => true,
                Some(n) => t.space_after || tokens[end - 1].space_after || n.space_before,
            } && next.is_none_or(|n| {
                n.kind == Kind::Break
                    || n.cap
                    || matches!(n.kind, Kind::Number | Kind::Ordinal)
                    || (n.kind == Kind::Punct && matches!(n.norm.as_str(), "\"" | "(" | "'" | "-"))
            });
            let abbreviation = t.is(".")
                && i > 0
                && tokens[i - 1].is_word()
                && !tokens[i - 1].space_after
                && (ABBREVIATIONS.contains(&tokens[i - 1].norm.as_str())
                    || tokens[i - 1].norm.chars().count() == 1);
            // "1. China 40-27-24": the number of a list item.
            let list_marker = t.is(".") && i == start + 1 && tokens[start].kind == Kind::Number;
            if boundary && !abbreviation && !list_marker {
                push(start, end, &mut out);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    push(start, tokens.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn words_numbers_ordinals_and_possessives() {
        assert_eq!(
            norms("Azerbaijan's 4,000 athletes, 30th; Kotsoïev 58kg forty-eight 10.5"),
            [
                "azerbaijan",
                "'s",
                "4000",
                "athletes",
                ",",
                "30th",
                ";",
                "kotsoiev",
                "58",
                "kg",
                "forty",
                "-",
                "eight",
                "10.5"
            ]
        );
        let t = tokenize("the 28th place, 1st");
        assert_eq!(t[1].kind, Kind::Ordinal);
        assert_eq!(t[1].value, Some(28));
        assert_eq!(t[4].value, Some(1));
        assert_eq!(tokenize("10.5")[0].value, None);
        assert!(tokenize("USA")[0].caps && tokenize("Usa")[0].cap && !tokenize("Usa")[0].caps);
    }

    #[test]
    fn sentences_end_at_stops_and_paragraphs_but_not_abbreviations() {
        let text = "Mr. Aliyev met the U.S. team. It won 7 medals!\n\nHeading\n\nThe 4.5 m jump. \"Quote.\" Next";
        let tokens = tokenize(text);
        let got: Vec<String> = sentences(&tokens)
            .into_iter()
            .map(|r| text[tokens[r.start].start..tokens[r.end - 1].end].to_owned())
            .collect();
        assert_eq!(
            got,
            [
                "Mr. Aliyev met the U.S. team.",
                "It won 7 medals!",
                "Heading",
                "The 4.5 m jump.",
                "\"Quote.\"",
                "Next"
            ]
        );
    }

    #[test]
    fn list_items_and_short_lines_break() {
        let text = "Medal table\n1. China 40\n2. United States 40";
        let tokens = tokenize(text);
        assert_eq!(sentences(&tokens).len(), 3);
    }
}
