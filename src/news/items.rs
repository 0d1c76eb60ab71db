//! The figures a sentence states: counts ("14 gold", "seven medals", "4 of
//! the medals were gold", "48 athletes", "in 15 sports", "eight of them were
//! among the prize winners", "2-2-3"), ranks ("30th place", "ranked 30th",
//! "topped the table", "in the top ten", "Kenya 17th", "1. United States"),
//! what was won at earlier games ("his previous 4 Paralympic medals",
//! "earlier we had medals in shooting and powerlifting"),
//! and colours without a number ("won gold", "the bronze medal winners",
//! "became the Paralympic champion", "the highest and third level of the
//! podium"), joined into groups written together, each group with what
//! follows it bound to it ("in athletics", "at Tokyo 2020", "this time",
//! "as in Tokyo 2020").

use super::numbers::{cardinal, ordinal, Read};
use super::sentence::{Item, Reading, What};
use super::tokens::{Kind, Token};
use super::words::*;
use crate::event::{Bound, Figure};

struct Bounded {
    bound: Bound,
    delta: i64,
}

const EXACT: Bounded = Bounded {
    bound: Bound::Exact,
    delta: 0,
};

/// An item with nothing bound to it yet.
pub fn new_item(figure: Figure, value: u32, bound: Bound, start: usize, end: usize) -> Item {
    Item {
        figure,
        value,
        bound,
        counted: true,
        plural: false,
        title: false,
        label: false,
        start,
        end,
        clause: 0,
        group: 0,
        games: None,
        sport: None,
        this_time: false,
        also: Vec::new(),
        owner: None,
        held: false,
    }
}

/// "now has four Olympic titles": what someone holds, an athlete's career
/// (but a team's count so far: "The Kenyans now have six medals").
fn held_before(tokens: &[Token], start: usize, i: usize) -> bool {
    let w = |k: usize| {
        i.checked_sub(k)
            .filter(|p| *p >= start)
            .map(|p| tokens[p].norm.as_str())
    };
    matches!(w(1), Some("has" | "have" | "owns" | "holds")) && w(2) == Some("now")
}

/// Tokens a number in words takes at most ("one hundred and twenty-three").
const NUMBER_TOKENS_MAX: usize = 12;

/// Whether a number, in digits or words, ends just before token `i`.
fn number_ends_at(tokens: &[Token], start: usize, i: usize) -> bool {
    let from = i.saturating_sub(NUMBER_TOKENS_MAX).max(start);
    (from..i).any(|j| cardinal(tokens, j).is_some_and(|r| r.next == i))
}

/// Finds the figures the sentence states.
pub fn find(tokens: &[Token], reading: &mut Reading) {
    let (start, end) = (reading.start, reading.end);
    let in_mention = |reading: &Reading, k: usize| {
        reading
            .mentions
            .iter()
            .any(|m| (m.start..m.end).contains(&k) && !matches!(m.what, What::Sport(_)))
    };
    let team_context = (start..end).any(|k| {
        is_any(
            tokens.get(k),
            &["team", "squad", "delegation", "contingent"],
        )
    });
    let mut found: Vec<Item> = Vec::new();
    let mut i = start;
    while i < end {
        let t = &tokens[i];
        // Numbers inside a name (a games, a delegation) are not counts.
        if in_mention(reading, i) {
            i += 1;
            continue;
        }
        if let Some(list) = list_rank(tokens, reading, i) {
            found.push(list);
            i += 2;
            continue;
        }
        // "N-N-N": gold, silver and bronze; "(126)" after it, the total.
        if let Some((values, next)) = triple(tokens, i, end) {
            for (figure, v) in [Figure::Gold, Figure::Silver, Figure::Bronze]
                .into_iter()
                .zip(values)
            {
                push(&mut found, figure, v, &EXACT, i, next);
            }
            let mut e = next;
            if is_any(tokens.get(e), &["("]) && tokens.get(e + 2).is_some_and(|c| c.is(")")) {
                if let Some(total) = tokens
                    .get(e + 1)
                    .filter(|n| n.kind == Kind::Number)
                    .and_then(|n| n.value)
                {
                    push(&mut found, Figure::Total, total, &EXACT, e + 1, e + 2);
                    e += 3;
                }
            }
            i = e;
            continue;
        }
        if let Some(item) = label(tokens, i, start, end) {
            found.push(item);
            i += 3;
            continue;
        }
        // "Kenya's second gold", "the country's fourth gold": the count so far.
        if let Some(n) = ordinal(tokens, i).filter(|r| r.value >= 2 && r.next < end) {
            let owned =
                i > start && is_any(tokens.get(i - 1), &["'s", "his", "her", "its", "their"]);
            let noun = colour(&tokens[n.next])
                .or_else(|| is_any(tokens.get(n.next), &["title"]).then_some(Figure::Gold));
            if let (true, Some(figure)) = (owned, noun) {
                let e = (n.next + 1 + usize::from(is_any(tokens.get(n.next + 1), MEDAL_NOUNS)))
                    .min(end);
                push(&mut found, figure, n.value, &EXACT, i, e);
                // "X delivered the country's fourth gold": X won one.
                if !is_any(tokens.get(i - 1), &["his", "her"]) {
                    let mut won = new_item(figure, 1, Bound::Exact, n.next, n.next + 1);
                    won.counted = false;
                    found.push(won);
                }
                i = e;
                continue;
            }
        }
        let read = cardinal(tokens, i).filter(|r| r.next <= end).or_else(|| {
            (t.is("no") && (colour_at(tokens, i + 1) || is_any(tokens.get(i + 1), MEDAL_NOUNS)))
                .then_some(Read {
                    value: 0,
                    next: i + 1,
                })
        });
        if let Some(Read { value, next }) = read {
            // "three of the four gold medals": the four is the whole, not a count.
            let whole_of = i >= 3
                && tokens[i - 1].is("the")
                && tokens[i - 2].is("of")
                && number_ends_at(tokens, start, i - 2);
            // "his previous 4 Paralympic medals": what was won before these games.
            if before_these_games(tokens, start, end, i) && !not_a_count(tokens, i, next) {
                if let Some((Figure::Total, e)) = counted(tokens, next, end, team_context) {
                    push(&mut found, Figure::TotalBefore, value, &EXACT, i, e);
                    i = e;
                    continue;
                }
            }
            if not_a_count(tokens, i, next)
                || career_before(tokens, start, i)
                || aspiration_before(tokens, start, i)
                || whole_of
            {
                i = next;
                continue;
            }
            let Some(bound) = bound_before(tokens, start, i) else {
                i = next;
                continue;
            };
            // "20 of the 22 sports": the noun after the whole; "11 of Kenya's medals".
            let mut k = next;
            let whole = is_any(tokens.get(k), &["of"]) && is_any(tokens.get(k + 1), &["the"]);
            if let Some(m) = cardinal(tokens, k + 2).filter(|_| whole) {
                k = m.next;
            } else if is_any(tokens.get(k), &["of"]) {
                let owner = reading
                    .mentions
                    .iter()
                    .find(|m| m.start == k + 1 && matches!(m.what, What::Delegation(_)));
                if let Some(m) = owner.filter(|m| is_any(tokens.get(m.end), &["'s"])) {
                    k = m.end + 1;
                }
            }
            if let Some((figure, e)) = counted(tokens, k, end, team_context) {
                // "two more medals than", "twice as many": a comparison, not a figure.
                let compared = (e..(e + 4).min(end)).any(|j| tokens[j].is("than"))
                    && (next..e).any(|j| is_any(tokens.get(j), &["more", "fewer", "less"]));
                if !compared {
                    let pushed = found.len();
                    push(&mut found, figure, value, &bound, i, e);
                    let held = held_before(tokens, start, i);
                    found[pushed..].iter_mut().for_each(|it| it.held = held);
                }
                i = e;
                continue;
            }
            // "a total of 11" with no noun, and "11 in total"
            let total_of = i >= 2 && tokens[i - 1].is("of") && tokens[i - 2].is("total");
            let in_total = is_any(tokens.get(next), &["in"])
                && is_any(tokens.get(next + 1), &["total", "all"]);
            if total_of || in_total {
                push(
                    &mut found,
                    Figure::Total,
                    value,
                    &bound,
                    i,
                    if in_total { next + 2 } else { next },
                );
            } else if let Some(figure) = elided(tokens, reading, &found, i, next) {
                // "Australia fourth with 18", "the most medals overall with 61"
                push(&mut found, figure, value, &bound, i, next);
            }
            i = next;
            continue;
        }
        let games_end = |k: usize| {
            reading
                .mentions
                .iter()
                .find(|m| m.start == k && matches!(m.what, What::Games(_)))
                .map(|m| m.end)
        };
        let subject_before = |k: usize| {
            reading.mentions.iter().any(|m| {
                matches!(m.what, What::Delegation(_) | What::Anaphor | What::Host)
                    && (m.end == k || (m.end + 1 == k && tokens[m.end].is(",")))
            })
        };
        if let Some(r) = rank_at(tokens, i, start, end, &games_end, &subject_before) {
            i = r.end.max(i + 1);
            if !aspiration_before(tokens, start, r.start) {
                found.push(r);
            }
            continue;
        }
        i += 1;
    }
    for mut f in found {
        f.clause = reading.clause_at(f.start);
        reading.items.push(f);
    }
    uncounted(tokens, reading);
    earlier_medals(tokens, reading);
    reading.items.sort_by_key(|it| it.start);
    for it in &mut reading.items {
        it.clause = reading.clause_of[it.start - reading.start];
    }
    owners(tokens, reading);
    groups(tokens, reading);
}

fn push(found: &mut Vec<Item>, figure: Figure, value: u64, bound: &Bounded, s: usize, e: usize) {
    let value = value as i64 + bound.delta;
    if let Ok(value) = u32::try_from(value) {
        found.push(new_item(figure, value, bound.bound, s, e));
    }
}

fn colour_at(tokens: &[Token], i: usize) -> bool {
    tokens.get(i).and_then(colour).is_some()
}

/// The bound written before a number at `i`: "at least", "more than", "up
/// to"; `None` when it is approximate ("nearly", "about").
fn bound_before(tokens: &[Token], start: usize, i: usize) -> Option<Bounded> {
    let before = |k: usize| i.checked_sub(k).filter(|p| *p >= start).map(|p| &tokens[p]);
    if is_any(before(1), APPROXIMATE)
        || (is_any(before(1), &["to"]) && is_any(before(2), &["close"]))
    {
        return None;
    }
    let (at_least, at_most) = (Bound::AtLeast, Bound::AtMost);
    let w = |k: usize| before(k).map(|t| t.norm.as_str());
    Some(match (w(2), w(1)) {
        (Some("at"), Some("least")) => Bounded {
            bound: at_least,
            delta: 0,
        },
        (Some("at"), Some("most")) | (Some("up"), Some("to")) => Bounded {
            bound: at_most,
            delta: 0,
        },
        (Some("more" | "over"), Some("than")) => Bounded {
            bound: at_least,
            delta: 1,
        },
        (Some("fewer" | "less"), Some("than")) => Bounded {
            bound: at_most,
            delta: -1,
        },
        (Some("just"), Some("over" | "under")) => return None,
        (_, Some("over")) if !is_any(before(2), &["won", "took", "claimed", "'s"]) => Bounded {
            bound: at_least,
            delta: 1,
        },
        (_, Some("under")) => Bounded {
            bound: at_most,
            delta: -1,
        },
        _ => EXACT,
    })
}

/// Whether a number at `i` (ending before `next`) is a year, a measure, a
/// date or an age ("22-year-old", "two-time") rather than a count.
fn not_a_count(tokens: &[Token], i: usize, next: usize) -> bool {
    let t = &tokens[i];
    let year_like = t.kind == Kind::Number
        && t.end - t.start == 4
        && t.value.is_some_and(|v| (1850..=2100).contains(&v));
    let after = tokens.get(next);
    let age = is_any(after, &["-"])
        && is_any(
            tokens.get(next + 1),
            &["year", "years", "time", "times", "day", "week", "month"],
        );
    let before = i.checked_sub(1).map(|p| &tokens[p]);
    let dated = is_any(before, MONTHS)
        || is_any(before, &["no", "number", "#", "aged", "age", "since", "in"]) && year_like;
    year_like || is_any(after, UNITS) || is_any(after, MONTHS) || age || dated
}

/// Words before a count that make it a career's ("his previous 4 medals",
/// "bringing his total to 7", "to her two Olympic golds"), not a games'.
fn career_before(tokens: &[Token], start: usize, i: usize) -> bool {
    let before: Vec<&str> = (1..=4)
        .filter_map(|k| i.checked_sub(k).filter(|p| *p >= start))
        .map(|p| tokens[p].norm.as_str())
        .collect();
    let his = |w: &&str| matches!(*w, "his" | "her");
    before.iter().any(|w| CAREER.contains(w))
        || (before.iter().any(his) && before.iter().any(|w| matches!(*w, "total" | "tally")))
        || (before.first().is_some_and(his) && before.get(1).is_some_and(|w| *w == "to"))
}

/// Whether a count at `i` is of what was won before the games the sentence
/// tells of: right after "previous", "prior" or "earlier" ("to his previous 4
/// Paralympic medals"), or a collection the sentence adds to ("enriched his
/// collection of 4 Paralympic medals with another bronze"). Not a best nor a
/// record ("his previous best of 3"), nor a total reached ("bringing his
/// total to 7"): those are no sum of earlier games.
fn before_these_games(tokens: &[Token], start: usize, end: usize, i: usize) -> bool {
    let w = |k: usize| {
        i.checked_sub(k)
            .filter(|p| *p >= start)
            .map(|p| tokens[p].norm.as_str())
    };
    if matches!(w(1), Some("previous" | "prior" | "earlier")) {
        return true;
    }
    let collection = w(1) == Some("of") && matches!(w(2), Some("collection" | "tally" | "haul"));
    collection && (start..end).any(|k| is_any(tokens.get(k), ADDED_TO))
}

/// Words that add to what someone had ("added three more", "enriched his collection").
#[rustfmt::skip]
const ADDED_TO: &[&str] = &[
    "added", "adds", "adding", "enriched", "enriches", "enriching", "another", "expanded",
    "extended", "increased",
];

/// Words shortly before a count that make it a wish ("the target is 5 medals").
fn aspiration_before(tokens: &[Token], start: usize, i: usize) -> bool {
    (1..=6)
        .filter_map(|k| i.checked_sub(k).filter(|p| *p >= start))
        .any(|p| ASPIRATIONS.contains(&tokens[p].norm.as_str()))
}

/// Skips words that may stand between a number and what it counts.
fn skip(tokens: &[Token], mut k: usize, end: usize, words: &[&str], max: usize) -> usize {
    let mut n = 0;
    while k < end && n < max && is_any(tokens.get(k), words) {
        k += 1;
        n += 1;
    }
    k
}

/// "2-2-3", "(4-2-5)": three small numbers joined by hyphens.
fn triple(tokens: &[Token], i: usize, end: usize) -> Option<([u64; 3], usize)> {
    if i + 5 > end {
        return None;
    }
    let w = &tokens[i..i + 5];
    let joined = w[1].is("-") && w[3].is("-") && w.iter().skip(1).all(|t| !t.space_before);
    let numbers: Option<Vec<u64>> = [0, 2, 4]
        .iter()
        .map(|&k| {
            (w[k].kind == Kind::Number)
                .then_some(w[k].value)
                .flatten()
                .filter(|v| *v < 400)
        })
        .collect();
    let after_digit = tokens
        .get(i + 5)
        .is_some_and(|t| t.is("-") && !t.space_before);
    let before_digit = i > 0 && tokens[i - 1].is("-") && !tokens[i].space_before;
    match numbers {
        Some(v) if joined && !after_digit && !before_digit => Some(([v[0], v[1], v[2]], i + 5)),
        _ => None,
    }
}

/// "Total medals: 124", "Gold: 49", "Medallists: 140": a label, a colon and a number.
fn label(tokens: &[Token], i: usize, start: usize, end: usize) -> Option<Item> {
    tokens.get(i + 1).filter(|c| c.is(":") && i + 2 < end)?;
    let n = tokens
        .get(i + 2)
        .filter(|n| n.kind == Kind::Number)?
        .value?;
    let figure = match tokens[i].norm.as_str() {
        "medals" | "total" => Figure::Total,
        "gold" | "golds" => Figure::Gold,
        "silver" | "silvers" => Figure::Silver,
        "bronze" | "bronzes" => Figure::Bronze,
        "medallists" | "medalists" => Figure::Medallists,
        "athletes" => Figure::Athletes,
        "sports" => Figure::Sports,
        "rank" | "place" | "position" => Figure::Rank,
        _ => return None,
    };
    // The label begins its line ("Total medals: 124").
    let begins = (start..i).all(|k| matches!(tokens[k].norm.as_str(), "total" | "-" | "*" | "•"));
    if !begins {
        return None;
    }
    let mut item = new_item(figure, u32::try_from(n).ok()?, Bound::Exact, i, i + 3);
    item.label = true;
    Some(item)
}

/// "1. United States 40-44-42": a numbered line of a table that names a delegation.
fn list_rank(tokens: &[Token], reading: &Reading, i: usize) -> Option<Item> {
    if i != reading.start || !is_any(tokens.get(i + 1), &[".", ")"]) {
        return None;
    }
    let n = tokens[i].value.filter(|_| tokens[i].kind == Kind::Number)?;
    let names = reading
        .mentions
        .iter()
        .any(|m| m.start == i + 2 && matches!(m.what, What::Delegation(_)));
    let counts =
        (i..reading.end).any(|k| triple(tokens, k, reading.end).is_some() || colour_at(tokens, k));
    (names && counts && n > 0).then(|| new_item(Figure::Rank, n as u32, Bound::Exact, i, i + 1))
}

/// What a number counts, read from token `k` on: the figure and the token after it.
fn counted(tokens: &[Token], k: usize, end: usize, team_context: bool) -> Option<(Figure, usize)> {
    // "4 of the medals were gold", "40 of them gold", "2 were silver"
    let gap = skip(
        tokens,
        k,
        end,
        &[
            "of", "the", "them", "these", "those", "its", "their", "his", "her", "medals", "were",
            "was", "are", "is", "being",
        ],
        4,
    );
    let gap = skip(tokens, gap, end, ADJECTIVES, 2);
    if let Some(c) = tokens.get(gap).filter(|_| gap < end).and_then(colour) {
        let mut e = gap + 1;
        if is_any(tokens.get(e), MEDAL_NOUNS) && e < end {
            e += 1;
        }
        if is_any(tokens.get(e), NOT_WON)
            && !is_any(tokens.get(e), &["haul", "tally", "count", "table", "place"])
        {
            return None;
        }
        return Some((c, e));
    }
    // "seven medals", "7 Paralympic medals", "three more medals", "187 awards", "12 titles"
    let adj = skip(tokens, k, end, ADJECTIVES, 3);
    if is_any(tokens.get(adj), MEDAL_NOUNS) && adj < end {
        if is_any(tokens.get(adj + 1), NOT_WON)
            && !is_any(tokens.get(adj + 1), &["haul", "tally", "count", "table"])
        {
            return None;
        }
        return Some((Figure::Total, adj + 1));
    }
    if is_any(tokens.get(adj), &["titles"]) && adj < end {
        return Some((Figure::Gold, adj + 1));
    }
    // "three more (1 silver and 2 bronze)"
    if is_any(tokens.get(k), &["more"]) && is_any(tokens.get(k + 1), &["("]) {
        return Some((Figure::Total, k + 1));
    }
    // "48 athletes", "18 of Azerbaijani Paralympians", "a 48-strong team", "18 members"
    let people = skip(
        tokens,
        k,
        end,
        &[
            "of", "the", "its", "their", "our", "national", "top", "elite",
        ],
        3,
    );
    let people = if people + 1 < end
        && tokens[people].cap
        && is_any(tokens.get(people + 1), ATHLETE_NOUNS)
    {
        people + 1
    } else {
        people
    };
    if is_any(tokens.get(people), ATHLETE_NOUNS) && people < end {
        // "8 athletes won medals" counts medallists.
        if is_any(tokens.get(people + 1), &["won", "claimed", "took"])
            && is_any(tokens.get(people + 2), &["medals", "a", "medal"])
        {
            return Some((Figure::Medallists, people + 1));
        }
        return Some((Figure::Athletes, people + 1));
    }
    if tokens.get(people).is_some_and(|t| t.is("para"))
        && is_any(tokens.get(people + 2), &["athletes"])
    {
        return Some((Figure::Athletes, people + 3));
    }
    if is_any(tokens.get(k), &["members"]) && team_context {
        return Some((Figure::Athletes, k + 1));
    }
    if is_any(tokens.get(k), &["-"])
        && is_any(tokens.get(k + 1), &["strong", "member", "athlete"])
        && is_any(
            tokens.get(k + 2),
            &["team", "squad", "delegation", "contingent"],
        )
    {
        return Some((Figure::Athletes, k + 3));
    }
    // "in 15 sports"
    let sports = skip(tokens, k, end, &["different", "olympic", "paralympic"], 1);
    if is_any(tokens.get(sports), &["sports"])
        && sports < end
        && !is_any(tokens.get(sports + 1), NOT_WON)
    {
        return Some((Figure::Sports, sports + 1));
    }
    // "eight of them were among the prize winners", "8 medallists", "140 different athletes"
    let m = skip(
        tokens,
        k,
        end,
        &[
            "of",
            "them",
            "were",
            "are",
            "among",
            "the",
            "its",
            "their",
            "different",
        ],
        5,
    );
    if is_any(tokens.get(m), &["prize", "medal"]) && is_any(tokens.get(m + 1), &["winners", "-"]) {
        let e = if tokens.get(m + 1).is_some_and(|t| t.is("-")) {
            m + 3
        } else {
            m + 2
        };
        return Some((Figure::Medallists, e.min(end)));
    }
    if is_any(tokens.get(m), MEDALLIST_NOUNS) && m < end && !tokens[m].norm.starts_with("winner") {
        return Some((Figure::Medallists, m + 1));
    }
    if is_any(tokens.get(k), &["of"])
        && is_any(tokens.get(k + 1), &["them"])
        && is_any(tokens.get(k + 2), &["won"])
        && is_any(tokens.get(k + 3), &["medals", "a"])
    {
        return Some((Figure::Medallists, k + 3));
    }
    None
}

/// A number whose noun is left out: "Australia fourth with 18" after "Japan
/// was third with 20 gold medals", "the most medals overall with 61".
fn elided(
    tokens: &[Token],
    reading: &Reading,
    found: &[Item],
    i: usize,
    next: usize,
) -> Option<Figure> {
    // "ParalympicsGB added another 124 at the Paralympics": the figure counted before.
    if i > reading.start && tokens[i - 1].is("another") {
        return found.iter().rev().find(|it| it.counted).map(|it| it.figure);
    }
    let with = i > reading.start && tokens[i - 1].is("with");
    let ends = next >= reading.end
        || is_any(
            tokens.get(next),
            &[",", ".", ";", "and", "-", ")", "while", "but"],
        );
    if !with || !ends {
        return None;
    }
    // The medal word of the clause before it, not one of another figure:
    // "won the most medals overall with 61".
    let clause = reading.clause_at(i);
    let in_item = |k: usize| {
        found
            .iter()
            .any(|it| it.figure != Figure::Rank && (it.start..it.end).contains(&k))
    };
    let word = (reading.start..i)
        .rev()
        .filter(|&k| reading.clause_at(k) == clause && !in_item(k))
        .find_map(|k| match tokens[k].norm.as_str() {
            "medals" => Some(Figure::Total),
            "golds" | "titles" => Some(Figure::Gold),
            "silvers" => Some(Figure::Silver),
            "bronzes" => Some(Figure::Bronze),
            _ => None,
        });
    // Else the figure of an earlier "with N <figure>" in the sentence.
    word.or_else(|| {
        found
            .iter()
            .rev()
            .find(|it| it.counted && it.start > reading.start && tokens[it.start - 1].is("with"))
            .map(|it| it.figure)
    })
}

fn rank_item(value: u64, bound: Bound, start: usize, end: usize) -> Option<Item> {
    Some(new_item(
        Figure::Rank,
        u32::try_from(value).ok()?,
        bound,
        start,
        end,
    ))
}

/// A rank in the medal table at token `i`: "30th place", "ranked 30th",
/// "topped the medal table", "in the top ten", "China, third with".
fn rank_at(
    tokens: &[Token],
    i: usize,
    start: usize,
    end: usize,
    games_end: &dyn Fn(usize) -> Option<usize>,
    subject_before: &dyn Fn(usize) -> bool,
) -> Option<Item> {
    let t = &tokens[i];
    let before = |k: usize| i.checked_sub(k).filter(|p| *p >= start).map(|p| &tokens[p]);
    // "topped the (overall) (medal) table", "top of the medal standings", "top Winter Olympics table"
    if is_any(
        Some(t),
        &[
            "topped", "tops", "top", "led", "leads", "headed", "heads", "topping", "leading",
        ],
    ) {
        let mut k = i + 1;
        if t.is("top") && is_any(tokens.get(k), &["of"]) {
            k += 1;
        } else if t.is("top")
            && !is_any(before(1), &["to", "they", "we", "will", "could", "would"])
            && !tokens.get(k).is_some_and(|n| n.cap || n.is("the"))
        {
            return top_n(tokens, i, start, end);
        }
        k = skip(
            tokens,
            k,
            end,
            &[
                "the",
                "overall",
                "final",
                "medal",
                "medals",
                "paralympic",
                "olympic",
                "gold",
                "golds",
            ],
            4,
        );
        if let Some(e) = games_end(k) {
            k = skip(tokens, e, end, &["medal", "medals"], 1);
        }
        if is_any(
            tokens.get(k),
            &[
                "table",
                "standings",
                "tally",
                "count",
                "rankings",
                "leaderboard",
            ],
        ) && k < end
        {
            return rank_item(1, Bound::Exact, i, k + 1);
        }
        return None;
    }
    // "won the medals race", "won the medal table"
    if is_any(Some(t), &["won", "wins", "win", "winning"]) && is_any(tokens.get(i + 1), &["the"]) {
        let k = skip(
            tokens,
            i + 2,
            end,
            &["overall", "medal", "medals", "gold"],
            2,
        );
        if k > i + 2
            && k < end
            && is_any(
                tokens.get(k),
                &["race", "table", "count", "standings", "tally"],
            )
        {
            return rank_item(1, Bound::Exact, i, k + 1);
        }
    }
    if is_any(Some(t), &["outside"])
        && is_any(tokens.get(i + 1), &["the"])
        && is_any(tokens.get(i + 2), &["top"])
    {
        let n = cardinal(tokens, i + 3).filter(|r| r.next <= end)?;
        return rank_item(n.value + 1, Bound::AtLeast, i, n.next);
    }
    let read = ordinal(tokens, i).filter(|r| r.next <= end)?;
    let next = read.next;
    let after = tokens.get(next).filter(|_| next < end);
    // "30th place", "28th place overall", "30th position", "a 17th-place finish"
    let place = skip(tokens, next, end, &["overall", "-"], 2);
    if is_any(tokens.get(place), &["place", "position", "spot", "rank"]) && place < end {
        let event = is_any(tokens.get(place + 1), &["in", "at"])
            && is_any(tokens.get(place + 2), &["the"])
            && is_any(
                tokens.get(place + 3),
                &["final", "race", "heat", "semifinal", "semi"],
            );
        return (!event)
            .then(|| rank_item(read.value, Bound::Exact, i, place + 1))
            .flatten();
    }
    let blocked = is_any(
        after,
        &[
            "time",
            "to",
            "of",
            "medal",
            "gold",
            "silver",
            "bronze",
            "edition",
            "consecutive",
            "straight",
            "successive",
            "country",
            "nation",
            "team",
            "athlete",
            "woman",
            "man",
            "ever",
            "-",
            "olympic",
            "paralympic",
            "games",
            "summer",
            "winter",
            "title",
            "day",
            "week",
            "round",
            "heat",
            "attempt",
        ],
    );
    // "finished fourth in the 100m" is no rank in the table; "30th in the overall medal count" is.
    let table_word = |k: usize| {
        is_any(tokens.get(k), TABLE_WORDS) || is_any(tokens.get(k), &["medal", "medals"])
    };
    let at_games = games_end(next + 1).is_some() || games_end(next + 2).is_some();
    let in_event =
        is_any(after, &["in", "at"]) && !(next + 1..next + 4).any(table_word) && !at_games;
    if blocked || in_event {
        return None;
    }
    // "fifth in the medal table", "third in the standings": a rank whatever comes before.
    let table_at = skip(
        tokens,
        next + 2,
        end,
        &[
            "overall",
            "final",
            "medal",
            "medals",
            "olympic",
            "paralympic",
        ],
        3,
    );
    let in_table = is_any(after, &["in", "on"])
        && is_any(tokens.get(next + 1), &["the"])
        && is_any(tokens.get(table_at), TABLE_WORDS);
    // "Kenya 17th", "the country 71st", "China, third with nine gold medals"
    if subject_before(i) || in_table {
        return rank_item(read.value, Bound::Exact, i, next);
    }
    // "ranked 30th", "finished second", "rose to 28th", "was third", "is currently 31st", "down from 48th"
    #[rustfmt::skip]
    let verbs = [
        "ranked", "ranking", "ranks", "rank", "finished", "finishing", "finish", "finishes", "placed",
        "placing", "place", "came", "coming", "come", "ended", "ending", "end", "sits", "sit", "sat", "stood",
        "stands", "lies", "remained", "remains", "rose", "climbed", "moved", "jumped", "slipped",
        "dropped", "fell", "rising", "climbing", "was", "were", "is", "are", "from",
    ];
    let mut k = 1;
    // "were a distant third", "finished a creditable 17th"
    #[rustfmt::skip]
    let qualities = [
        "distant", "close", "comfortable", "creditable", "respectable", "solid", "joint", "equal",
    ];
    while is_any(before(k), &qualities) {
        k += 1;
    }
    // "was the third (country to ...)" is no rank; "were a distant third" is.
    let had_the = is_any(before(k), &["the"]);
    if had_the || is_any(before(k), &["a"]) {
        k += 1;
    }
    let through = is_any(before(k), &["to", "in", "at"]);
    if through {
        k += 1;
    }
    while is_any(
        before(k),
        &[
            "up",
            "down",
            "currently",
            "now",
            "still",
            "provisionally",
            "presently",
            "already",
            "only",
            "just",
        ],
    ) {
        k += 1;
    }
    let verb = before(k);
    let copula = is_any(verb, &["was", "were", "is", "are"]);
    if is_any(verb, &verbs) && !(copula && (had_the || through)) {
        return rank_item(read.value, Bound::Exact, i, next);
    }
    None
}

/// "top ten", "top 10", "top-10", "top five" (at `i`, the word "top").
fn top_n(tokens: &[Token], i: usize, start: usize, end: usize) -> Option<Item> {
    let mut k = i + 1;
    if is_any(tokens.get(k), &["-"]) {
        k += 1;
    }
    let n = cardinal(tokens, k).filter(|r| r.next <= end && r.value >= 2)?;
    let before = |j: usize| i.checked_sub(j).filter(|p| *p >= start).map(|p| &tokens[p]);
    let placed = is_any(before(1), &["the"])
        && is_any(before(2), &["in", "into", "among", "within", "inside"])
        || is_any(before(1), &["a"]);
    placed
        .then(|| rank_item(n.value, Bound::AtMost, i, n.next))
        .flatten()
}

/// Colours without a number: "won gold", "settled for bronze", "gold and
/// silver medals", "Tokyo 2020 bronze medalist", "became the Paralympic
/// champion", "the highest and third level of the podium".
fn uncounted(tokens: &[Token], reading: &mut Reading) {
    let (start, end) = (reading.start, reading.end);
    let covered = |reading: &Reading, k: usize| {
        reading
            .mentions
            .iter()
            .any(|m| (m.start..m.end).contains(&k) && !matches!(m.what, What::Sport(_)))
            || reading.items.iter().any(|m| (m.start..m.end).contains(&k))
    };
    let mut new: Vec<Item> = Vec::new();
    let add =
        |figure: Figure, s: usize, e: usize, plural: bool, title: bool, new: &mut Vec<Item>| {
            let mut it = new_item(figure, 1, Bound::Exact, s, e);
            it.counted = false;
            it.plural = plural;
            it.title = title;
            new.push(it);
        };
    for i in start..end {
        if covered(reading, i) {
            continue;
        }
        let t = &tokens[i];
        let before = |k: usize| i.checked_sub(k).filter(|p| *p >= start).map(|p| &tokens[p]);
        if let Some(figure) = colour(t) {
            let mut e = i + 1;
            let mut plural = t.norm.ends_with('s');
            let mut noun = false;
            if is_any(tokens.get(e), MEDAL_NOUNS) && e < end {
                plural |= tokens[e].norm.ends_with('s');
                e += 1;
                noun = true;
            }
            let title = is_any(tokens.get(e), MEDALLIST_NOUNS) && e < end;
            if title {
                plural |= tokens[e].norm.ends_with('s');
                e += 1;
            } else if !noun
                && tokens.get(e).is_some_and(|n| n.is_word() && e < end)
                && !is_any(
                    tokens.get(e),
                    &[
                        "and",
                        "or",
                        "in",
                        "at",
                        "for",
                        "this",
                        "after",
                        "with",
                        "to",
                        "on",
                        "as",
                        "while",
                        "but",
                        "from",
                        "that",
                        "when",
                        "before",
                        "again",
                        "last",
                        "too",
                        "also",
                        "once",
                        "by",
                        "award",
                        "awards",
                        "then",
                        "behind",
                        "ahead",
                        "respectively",
                        "won",
                        "of",
                        "went",
                        "came",
                        "medallists",
                        "medalists",
                    ],
                )
            {
                continue;
            }
            if is_any(tokens.get(e), NOT_WON) && e < end {
                continue;
            }
            // "Olympic gold medalist", "world champion", "two-time": a career's title.
            let honorific = is_any(
                before(1),
                &[
                    "olympic",
                    "paralympic",
                    "world",
                    "european",
                    "asian",
                    "commonwealth",
                    "national",
                    "former",
                    "reigning",
                    "defending",
                    "double",
                    "triple",
                    "golden",
                ],
            ) || (is_any(before(1), &["-"]) && is_any(before(2), &["time"]));
            let games_before = reading
                .mentions
                .iter()
                .any(|m| matches!(m.what, What::Games(_)) && m.end == i);
            if honorific && !games_before {
                continue;
            }
            add(figure, i, e, plural, title, &mut new);
            // "won his fourth Olympic title and another gold": two at least.
            let clause = reading.clause_at(i);
            let earlier = (start..i).any(|k| {
                reading.clause_at(k) == clause
                    && (colour(&tokens[k]) == Some(figure)
                        || (figure == Figure::Gold && is_any(tokens.get(k), &["title", "titles"])))
            });
            if let (true, Some(last)) = (is_any(before(1), &["another"]) && earlier, new.last_mut())
            {
                last.value = 2;
                last.bound = Bound::AtLeast;
                last.counted = true;
            }
            // "bronze in the 10m air pistol and in the mixed team event": one in each.
            let clause = reading.clause_at(i);
            let more = (e..end.min(e + 14))
                .take_while(|&k| reading.clause_at(k) == clause && colour(&tokens[k]).is_none())
                .filter(|&k| tokens[k].is("and") && is_any(tokens.get(k + 1), &["in", "at"]))
                .count();
            if let (true, Some(last)) = (
                more > 0 && is_any(tokens.get(e), &["in", "at"]),
                new.last_mut(),
            ) {
                last.value = 1 + more as u32;
                last.counted = true;
            }
            continue;
        }
        if t.is("champion") || t.is("champions") {
            let became = (1..=5).any(|k| {
                is_any(
                    before(k),
                    &["became", "become", "becomes", "becoming", "crowned"],
                )
            });
            let modified = (1..=4).any(|k| {
                is_any(
                    before(k),
                    &[
                        "world",
                        "european",
                        "asian",
                        "former",
                        "reigning",
                        "defending",
                        "double",
                        "triple",
                        "time",
                        "national",
                    ],
                )
            });
            if became && !modified {
                add(Figure::Gold, i, i + 1, t.is("champions"), false, &mut new);
            }
            continue;
        }
        // "the highest and third level of the podium", "the top step of the podium"
        if t.is("podium")
            && is_any(before(1), &["the"])
            && is_any(before(2), &["of"])
            && is_any(
                before(3),
                &["step", "steps", "level", "levels", "rung", "spot", "place"],
            )
        {
            let mut colours: Vec<(Figure, usize)> = Vec::new();
            let mut k = 4;
            while let Some(w) = before(k) {
                let figure = match w.norm.as_str() {
                    "highest" | "top" | "first" => Some(Figure::Gold),
                    "second" => Some(Figure::Silver),
                    "third" | "lowest" => Some(Figure::Bronze),
                    "and" | "," => None,
                    _ => break,
                };
                if let Some(f) = figure {
                    colours.push((f, i - k));
                }
                k += 1;
            }
            colours.reverse();
            for (f, at) in colours {
                add(f, at, at + 1, false, false, &mut new);
            }
        }
    }
    reading.items.extend(new);
}

/// Adverbs that put what follows at earlier games than the one told of.
const EARLIER: &[&str] = &["earlier", "previously", "formerly", "before"];

/// Words for a time within one games.
#[rustfmt::skip]
const DAYS: &[&str] = &[
    "today", "yesterday", "tonight", "day", "morning", "afternoon", "evening", "session", "week",
];

/// Words that may stand between such an adverb and the medals: the subject, the verb.
#[rustfmt::skip]
const HAD_WON: &[&str] = &[
    "we", "they", "he", "she", "it", "had", "have", "has", "won", "took", "taken", "claimed",
    "collected", "also", "already", "both", ",",
];

/// "Earlier we had medals in shooting and powerlifting", "they had
/// previously won medals in judo": at least one medal in each sport named, at
/// the games of the series before the one told of (`TotalBefore`). Not
/// "earlier in the day", "earlier today" nor a live report's "Earlier, ..."
/// (days of these games), and not when the clause names a games: then the
/// medals are that games'.
fn earlier_medals(tokens: &[Token], reading: &mut Reading) {
    let (start, end) = (reading.start, reading.end);
    let mut new: Vec<Item> = Vec::new();
    for i in start..end {
        if !is_any(tokens.get(i), &["medals", "medal"])
            || reading
                .items
                .iter()
                .any(|it| (it.start..it.end).contains(&i))
        {
            continue;
        }
        let clause = reading.clause_at(i);
        let in_mention = |k: usize| {
            reading.mentions.iter().any(|m| {
                (m.start..m.end).contains(&k)
                    && matches!(
                        m.what,
                        What::Delegation(_) | What::Anaphor | What::Athlete(_) | What::AthleteRef
                    )
            })
        };
        let mut k = i;
        let mut earlier = false;
        while k > start && i - k < 8 && reading.clause_at(k - 1) == clause {
            k -= 1;
            if is_any(tokens.get(k), EARLIER) {
                earlier = true;
                break;
            }
            if !is_any(tokens.get(k), HAD_WON) && !in_mention(k) {
                break;
            }
        }
        // "Earlier, China won ..." and "earlier today" tell of these games' days, as a live report does.
        let ticker = tokens[k].is("earlier") && is_any(tokens.get(k + 1), &[","])
            || (start..end).any(|j| reading.clause_at(j) == clause && is_any(tokens.get(j), DAYS));
        let names_games = reading
            .mentions
            .iter()
            .any(|m| m.clause == clause && matches!(m.what, What::Games(_)));
        if !earlier || ticker || names_games {
            continue;
        }
        // "in shooting and powerlifting", "in shooting, archery and in judo"
        let sport_at = |at: usize| {
            reading
                .mentions
                .iter()
                .position(|m| m.start == at && matches!(&m.what, What::Sport(s) if !s.agent))
        };
        let mut sports: Vec<usize> = Vec::new();
        let mut at = i + 1;
        while is_any(tokens.get(at), &["in", "and", ","]) && at < end {
            at += 1;
            at += usize::from(is_any(tokens.get(at), &["in"]));
            match sport_at(at) {
                Some(m) => {
                    sports.push(m);
                    at = reading.mentions[m].end;
                }
                None => break,
            }
        }
        let Some(&last) = sports.last() else {
            continue;
        };
        for m in sports {
            let mut it = new_item(
                Figure::TotalBefore,
                1,
                Bound::AtLeast,
                i,
                reading.mentions[last].end,
            );
            it.sport = Some(m);
            new.push(it);
        }
    }
    reading.items.extend(new);
}

/// The mention an item belongs to by the way it is written: "Kenya's 11
/// medals", "Marchand's four titles" (a possessive just before it), "Kenya
/// 17th", "China, third", "1. United States" (a delegation just before a
/// rank).
fn owners(tokens: &[Token], reading: &mut Reading) {
    for it in &mut reading.items {
        let owner = reading.mentions.iter().position(|m| {
            let possessive = m.possessive
                && (m.end + 1..it.start).all(|k| {
                    is_any(tokens.get(k), ADJECTIVES) || is_any(tokens.get(k), &["first", "only"])
                })
                && m.end < it.start;
            let before_rank = it.figure == Figure::Rank
                && matches!(m.what, What::Delegation(_) | What::Anaphor | What::Host)
                && (m.end == it.start || (m.end + 1 == it.start && tokens[m.end].is(",")));
            let list =
                it.figure == Figure::Rank && it.start == reading.start && m.start == it.start + 2;
            let inside = m.start > it.start && m.end < it.end;
            (possessive || before_rank || list || inside)
                && !matches!(m.what, What::Games(_) | What::Sport(_))
        });
        it.owner = owner;
    }
}

/// Joins items written together into groups, and binds to each group what
/// follows it: "in athletics", "at Tokyo 2020", "it won at both the 1964
/// Tokyo Games and the 2004 Athens Games", "this time", "as in Tokyo 2020".
fn groups(tokens: &[Token], reading: &mut Reading) {
    let connectors = [
        ",",
        "and",
        "including",
        "incl",
        ":",
        "(",
        ")",
        "-",
        "plus",
        "as",
        "well",
        "medals",
        "medal",
        "of",
        "which",
        "with",
        "a",
        "total",
        "were",
        "was",
        "'s",
    ];
    let mut group = 0;
    for k in 0..reading.items.len() {
        if k > 0 {
            let (prev_end, this_start) = (reading.items[k - 1].end, reading.items[k].start);
            let joined = prev_end <= this_start
                && (prev_end..this_start).all(|j| is_any(tokens.get(j), &connectors))
                && reading.items[k - 1].clause == reading.items[k].clause;
            if !joined && prev_end <= this_start {
                group += 1;
            }
        }
        reading.items[k].group = group;
    }
    let groups = reading.items.last().map_or(0, |it| it.group + 1);
    let mention_at =
        |reading: &Reading, at: usize| reading.mentions.iter().position(|m| m.start == at);
    for g in 0..groups {
        let members: Vec<usize> = (0..reading.items.len())
            .filter(|&k| reading.items[k].group == g)
            .collect();
        let last_end = members
            .iter()
            .map(|&k| reading.items[k].end)
            .max()
            .unwrap_or(reading.start);
        let first_start = members
            .iter()
            .map(|&k| reading.items[k].start)
            .min()
            .unwrap_or(reading.start);
        let mut k = skip(
            tokens,
            last_end,
            reading.end,
            &[
                "medals",
                "medal",
                "this",
                "time",
                "around",
                "year",
                "overall",
                "each",
                "respectively",
                ",",
            ],
            4,
        );
        let this_time = (last_end..k).any(|j| tokens[j].is("this"))
            || (first_start.saturating_sub(4).max(reading.start)..first_start)
                .any(|j| tokens[j].is("this") && is_any(tokens.get(j + 1), &["time", "year"]));
        // "... it won at", "... came in", "... all came in"
        k = skip(
            tokens,
            k,
            reading.end,
            &[
                "it",
                "they",
                "he",
                "she",
                "we",
                "won",
                "had",
                "has",
                "have",
                "took",
                "came",
                "come",
                "all",
                "were",
                "was",
                "collected",
                "claimed",
            ],
            3,
        );
        let mut sport = None;
        let mut games = None;
        let mut also = Vec::new();
        for _ in 0..3 {
            if is_any(tokens.get(k), &["in", "at", "for", "and", ","]) {
                let mut at = k + 1;
                at = skip(tokens, at, reading.end, &["both", "the", "in", "at"], 3);
                if let Some(m) = mention_at(reading, at) {
                    match &reading.mentions[m].what {
                        What::Sport(s)
                            if sport.is_none()
                                && games.is_none()
                                && !s.agent
                                && !is_any(tokens.get(k), &["and", ","]) =>
                        {
                            sport = Some(m)
                        }
                        What::Games(_)
                            if games.is_none() && !is_any(tokens.get(k), &["and", ","]) =>
                        {
                            games = Some(m)
                        }
                        What::Games(_) if games.is_some() => also.push(m),
                        _ => break,
                    }
                    k = reading.mentions[m].end;
                    continue;
                }
            }
            // "as in Tokyo 2020"
            if is_any(tokens.get(k), &[","]) {
                k += 1;
            }
            if is_any(tokens.get(k), &["as", "like"]) {
                let at = skip(
                    tokens,
                    k + 1,
                    reading.end,
                    &["in", "at", "the", "he", "she", "they", "did", "had"],
                    4,
                );
                if let Some(m) = mention_at(reading, at) {
                    if matches!(reading.mentions[m].what, What::Games(_)) {
                        also.push(m);
                        k = reading.mentions[m].end;
                    }
                }
            }
            break;
        }
        for &it in &members {
            let item = &mut reading.items[it];
            item.this_time |= this_time;
            item.sport = item.sport.or(sport);
            item.also.extend(also.iter().copied());
            // A games written just before a title: "Tokyo 2020 bronze medalist".
            item.games = games.or_else(|| {
                reading.mentions.iter().position(|m| {
                    matches!(m.what, What::Games(_)) && m.end == first_start && item.title
                })
            });
        }
    }
}
