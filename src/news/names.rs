//! Athletes' names in the text: a run of capitalised words matched against
//! the spellings the ledger knows, ignoring case, accents and word order,
//! and forgiving a letter or two per word ("Roman Saleh" is Raman SALEI,
//! "Georgiy" is "Giorgi") when no other athlete is as close.

use super::lexicon::Lexicon;
use super::tokens::Token;

/// Particles of names written in lowercase ("de", "van").
fn name_particle(t: &Token) -> bool {
    #[rustfmt::skip]
    const PARTICLES: &[&str] = &[
        "de", "da", "van", "von", "der", "den", "di", "dos", "del", "la", "le", "al", "el", "bin",
        "ibn",
    ];
    PARTICLES.contains(&t.norm.as_str())
}

/// Most words in a name.
const NAME_WORDS_MAX: usize = 6;

/// The athlete whose name begins at token `i` (two words or more): their
/// index and the token after the name.
pub fn athlete_at(
    tokens: &[Token],
    i: usize,
    end: usize,
    lexicon: &Lexicon,
) -> Option<(u32, usize)> {
    // The run of capitalised words (and particles, and hyphens inside names).
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut k = i;
    while k < end && words.len() < NAME_WORDS_MAX {
        let t = &tokens[k];
        if t.is_word() && (t.cap || (name_particle(t) && !words.is_empty())) && t.norm != "'s" {
            words.push((k, t.norm.as_str()));
            k += 1;
        } else if t.is("-") && !t.space_before && !t.space_after && !words.is_empty() {
            k += 1;
        } else {
            break;
        }
    }
    // A name begins the run: try the longest run first, from its start only.
    for n in (2..=words.len()).rev() {
        let run: Vec<&str> = words[..n].iter().map(|(_, w)| *w).collect();
        if let Some(a) = match_name(&run, lexicon) {
            return Some((a, words[n - 1].0 + 1));
        }
    }
    None
}

/// Edit distance, stopping early beyond `max`.
pub fn distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (x, ca) in a.iter().enumerate() {
        let mut row = vec![x + 1; b.len() + 1];
        let mut best = row[0];
        for (y, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            row[y + 1] = (prev[y] + cost).min(prev[y + 1] + 1).min(row[y] + 1);
            best = best.min(row[y + 1]);
        }
        if best > max {
            return max + 1;
        }
        prev = row;
    }
    prev[b.len()]
}

/// How far a word of a name may differ from the ledger's: nothing for short ones.
fn allowed(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

/// How well a run matches a spelling: the letters that differ, then the
/// spelling's words the run does not name ("Faith Kipyegon" is closer to
/// Faith KIPYEGON than to Faith Chepngetich KIPYEGON).
type Score = (usize, usize);

/// The one athlete whose spelling has every word of `run`, each the same or
/// a letter or two apart with the same first letter. Spellings of one
/// delegation's athlete that tie (a name written two ways over the years)
/// go to the one with the most medals; any other tie is no match.
pub fn match_name(run: &[&str], lexicon: &Lexicon) -> Option<u32> {
    let mut candidates: Vec<u32> = Vec::new();
    for w in run {
        candidates.extend_from_slice(lexicon.athletes_with_word(w));
        for like in lexicon.words_like(w) {
            if like != w && distance(w, like, allowed(w)) <= allowed(w) {
                candidates.extend_from_slice(lexicon.athletes_with_word(like));
            }
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    let mut best: Option<Score> = None;
    let mut tied: Vec<u32> = Vec::new();
    for &a in &candidates {
        let athlete = &lexicon.athletes()[a as usize];
        let Some(score) = athlete
            .spellings
            .iter()
            .filter_map(|s| name_score(run, s))
            .min()
        else {
            continue;
        };
        match best {
            Some(b) if score > b => {}
            Some(b) if score == b => tied.push(a),
            _ => {
                best = Some(score);
                tied = vec![a];
            }
        }
    }
    if best.is_none_or(|(letters, _)| letters > 2) {
        return None;
    }
    let athletes = lexicon.athletes();
    match tied.as_slice() {
        [one] => Some(*one),
        [first, rest @ ..] => {
            let nocs = |a: u32| {
                athletes[a as usize]
                    .medals
                    .iter()
                    .map(|(_, n, _)| *n)
                    .collect::<Vec<_>>()
            };
            let shared = nocs(*first)
                .into_iter()
                .any(|n| rest.iter().all(|&o| nocs(o).contains(&n)));
            shared.then(|| {
                tied.iter()
                    .copied()
                    .max_by_key(|&a| (athletes[a as usize].medals.len(), std::cmp::Reverse(a)))
            })?
        }
        [] => None,
    }
}

/// The score of `run` against one spelling, if every word is close enough
/// (and at least one is exact, unless the whole differs by two letters at most).
fn name_score(run: &[&str], spelling: &[String]) -> Option<Score> {
    let mut used = vec![false; spelling.len()];
    let mut total = 0;
    let mut exact = 0;
    for w in run {
        let mut best: Option<(usize, usize)> = None;
        for (j, s) in spelling.iter().enumerate() {
            if used[j] || s.chars().next() != w.chars().next() {
                continue;
            }
            let d = distance(w, s, allowed(w));
            if d <= allowed(w) && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, j));
            }
        }
        let (d, j) = best?;
        used[j] = true;
        total += d;
        exact += usize::from(d == 0);
    }
    let unnamed = used.iter().filter(|u| !**u).count();
    (exact >= 1 || total <= 2).then_some((total, unnamed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_stop_early() {
        assert_eq!(distance("saleh", "salei", 1), 1);
        assert_eq!(distance("georgiy", "giorgi", 2), 2);
        assert_eq!(distance("kipyegon", "cherotich", 2), 3);
        assert_eq!(distance("", "abc", 5), 3);
    }
}
