//! Numbers as articles write them: digits ("48", "4,000"), words ("seven",
//! "forty-eight", "one hundred and twenty-six"), ordinals ("30th",
//! "twenty-eighth", "first") and Roman numerals for the editions of a games
//! ("XVIII Summer Paralympic Games").
//!
//! Reads tokens only; knows nothing of medals.

use super::tokens::{Kind, Token};

/// Largest number read: no figure about a games is larger.
pub const VALUE_MAX: u64 = 1_000_000;

fn unit(word: &str) -> Option<u64> {
    Some(match word {
        "zero" | "nil" | "no" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    })
}

fn tens(word: &str) -> Option<u64> {
    Some(match word {
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

fn ordinal_unit(word: &str) -> Option<u64> {
    Some(match word {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "thirtieth" => 30,
        "fortieth" => 40,
        "fiftieth" => 50,
        "sixtieth" => 60,
        "seventieth" => 70,
        "eightieth" => 80,
        "ninetieth" => 90,
        "hundredth" => 100,
        _ => return None,
    })
}

/// A number read from tokens: its value and the index after its last token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Read {
    pub value: u64,
    pub next: usize,
}

/// The cardinal number at token `i`: digits, or words ("forty-eight",
/// "one hundred and twenty-six"). "no" is not read here (it is a word of
/// its own in most sentences); "a"/"an" neither.
pub fn cardinal(tokens: &[Token], i: usize) -> Option<Read> {
    let t = tokens.get(i)?;
    if t.kind == Kind::Number {
        let value = t.value.filter(|v| *v <= VALUE_MAX)?;
        return Some(Read { value, next: i + 1 });
    }
    if t.kind != Kind::Word || t.norm == "no" {
        return None;
    }
    let mut total = 0u64;
    let mut current = 0u64;
    let mut k = i;
    let mut read_any = false;
    while let Some(w) = tokens.get(k).filter(|t| t.kind == Kind::Word) {
        let word = w.norm.as_str();
        if let Some(v) = unit(word).filter(|_| word != "no") {
            if !current.is_multiple_of(10) || (current > 0 && current < 20) {
                break;
            }
            current += v;
            k += 1;
        } else if let Some(v) = tens(word) {
            if !current.is_multiple_of(100) {
                break;
            }
            current += v;
            k += 1;
            // "forty-eight"
            if tokens.get(k).is_some_and(|h| h.is("-") && !h.space_before)
                && tokens
                    .get(k + 1)
                    .and_then(|n| unit(&n.norm))
                    .is_some_and(|u| (1..10).contains(&u))
            {
                current += unit(&tokens[k + 1].norm).unwrap_or(0);
                k += 2;
            }
        } else if word == "hundred" && read_any {
            current = current.max(1) * 100;
            k += 1;
        } else if word == "thousand" && read_any {
            total += current.max(1) * 1000;
            current = 0;
            k += 1;
        } else if word == "and"
            && read_any
            && current.is_multiple_of(100)
            && tokens
                .get(k + 1)
                .is_some_and(|n| unit(&n.norm).is_some() || tens(&n.norm).is_some())
            && (current >= 100 || total >= 1000)
        {
            k += 1;
            continue;
        } else {
            break;
        }
        read_any = true;
    }
    if !read_any {
        return None;
    }
    let value = total + current;
    (value <= VALUE_MAX).then_some(Read { value, next: k })
}

/// The ordinal at token `i`: "30th", "first", "twenty-eighth", "twenty eighth".
pub fn ordinal(tokens: &[Token], i: usize) -> Option<Read> {
    let t = tokens.get(i)?;
    if t.kind == Kind::Ordinal {
        let value = t.value.filter(|v| *v <= VALUE_MAX)?;
        return Some(Read { value, next: i + 1 });
    }
    if t.kind != Kind::Word {
        return None;
    }
    if let Some(v) = ordinal_unit(&t.norm) {
        return Some(Read {
            value: v,
            next: i + 1,
        });
    }
    let ten = tens(&t.norm)?;
    let mut k = i + 1;
    if tokens.get(k).is_some_and(|h| h.is("-") && !h.space_before) {
        k += 1;
    }
    let v = tokens
        .get(k)
        .and_then(|n| ordinal_unit(&n.norm))
        .filter(|v| *v < 10)?;
    Some(Read {
        value: ten + v,
        next: k + 1,
    })
}

/// A Roman numeral in capitals ("XVIII"), 1 to 99.
pub fn roman(t: &Token) -> Option<u64> {
    if t.kind != Kind::Word {
        return None;
    }
    let upper = t.norm.to_ascii_uppercase();
    // Capitals in the text, except a lone "I" (the pronoun).
    if !(t.caps || t.cap && upper.len() == 1) || upper == "I" {
        return None;
    }
    let value = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        _ => None,
    };
    let digits: Option<Vec<u64>> = upper.chars().map(value).collect();
    let digits = digits?;
    let mut total = 0u64;
    for (k, d) in digits.iter().enumerate() {
        if digits.get(k + 1).is_some_and(|n| n > d) {
            total = total.checked_sub(*d)?;
        } else {
            total += d;
        }
    }
    // Only the canonical spelling ("IV", not "IIII").
    (to_roman(total) == upper && (1..100).contains(&total)).then_some(total)
}

fn to_roman(mut n: u64) -> String {
    let mut out = String::new();
    for (v, s) in [
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ] {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn card(text: &str) -> Option<(u64, usize)> {
        let t = tokenize(text);
        cardinal(&t, 0).map(|r| (r.value, r.next))
    }

    #[test]
    fn cardinals_in_digits_and_words() {
        assert_eq!(card("48 athletes"), Some((48, 1)));
        assert_eq!(card("4,000 athletes"), Some((4000, 1)));
        assert_eq!(card("seven medals"), Some((7, 1)));
        assert_eq!(card("forty-eight athletes"), Some((48, 3)));
        assert_eq!(card("forty eight"), Some((48, 2)));
        assert_eq!(card("one hundred and twenty-six medals"), Some((126, 6)));
        assert_eq!(card("two thousand"), Some((2000, 2)));
        assert_eq!(card("eighteen"), Some((18, 1)));
        assert_eq!(card("one and two"), Some((1, 1)));
        assert_eq!(card("no medal"), None);
        assert_eq!(card("hundred"), None);
        assert_eq!(card("seven seven"), Some((7, 1)));
    }

    #[test]
    fn ordinals_and_roman_numerals() {
        let ord = |text: &str| ordinal(&tokenize(text), 0).map(|r| r.value);
        assert_eq!(ord("30th place"), Some(30));
        assert_eq!(ord("twenty-eighth place"), Some(28));
        assert_eq!(ord("twenty eighth"), Some(28));
        assert_eq!(ord("first"), Some(1));
        assert_eq!(ord("twenty"), None);
        let rom = |text: &str| roman(&tokenize(text)[0]);
        assert_eq!(rom("XVIII"), Some(18));
        assert_eq!(rom("XXXIII"), Some(33));
        assert_eq!(rom("IIII"), None);
        assert_eq!(rom("I"), None);
        assert_eq!(rom("Mix"), None);
        assert_eq!(rom("xviii"), None);
    }
}
