//! Reading the news against the ledger. `check --text` finds every claim an
//! article makes (`crate::news`) and judges each one exactly as a recorded
//! claim is judged (`claims::CheckFold`: against the table of its day during
//! the games, else the final one; as known now and as known when it was
//! written), and records nothing. `extract` writes an article's claims and
//! the memberships it states as JSON Lines that `podium import` takes, for
//! an editor to review first.
//!
//! What an article can name (the lexicon) comes from the read model: every
//! games' registration and medals, and the people's spellings. It takes a
//! few hundred milliseconds to build, so it is kept for the head it was
//! built at and built again only when the ledger has moved.

use std::io::Write;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use super::facts::{describe, judge, print_summary};
use super::output::{self, out_err, Format};
use crate::claims::Checked;
use crate::error::{Error, Result};
use crate::event::{Claim, Day, Event, Kind, Membership, Precision, Recorded, ID_NAMESPACE};
use crate::model::View;
use crate::news::{self, Lexicon, LexiconBuilder};
use crate::record::Head;

/// The lexicon of the last head asked about.
static LEXICON: Mutex<Option<(Head, Arc<Lexicon>)>> = Mutex::new(None);

/// What an article can name, as the ledger knows it at the view's head.
///
/// # Errors
/// Storage failures; `Damaged` when the model does not decode.
pub fn lexicon(view: &View<'_>) -> Result<Arc<Lexicon>> {
    let head = view.head().unwrap_or(Head::EMPTY);
    if let Ok(cache) = LEXICON.lock() {
        if let Some((at, lexicon)) = cache.as_ref().filter(|(at, _)| *at == head) {
            let _ = at;
            return Ok(Arc::clone(lexicon));
        }
    }
    let seq = view.known_at(None)?;
    let mut builder = LexiconBuilder::new();
    let mut games = Vec::new();
    view.each_games(seq, |g| {
        games.push(g);
        Ok(())
    })?;
    for g in &games {
        for r in view.games_records(g, seq)? {
            builder.apply(&r);
        }
    }
    for r in view.facts(seq)? {
        builder.apply(&r);
    }
    let lexicon = Arc::new(builder.finish());
    if let Ok(mut cache) = LEXICON.lock() {
        *cache = Some((head, Arc::clone(&lexicon)));
    }
    Ok(lexicon)
}

/// A span of the input, in characters.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// The table a claim was judged against: its games, the day it is as of,
/// and what the ledger had recorded (the last event's time).
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Against {
    pub games: String,
    pub as_of: Option<String>,
    pub known_at: Option<String>,
}

/// A claim read from an article, judged.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct TextClaim {
    #[serde(flatten)]
    pub checked: Checked,
    /// The sentence it was read from.
    pub quote: String,
    /// The figure's words, in characters of the input.
    pub span: Span,
    /// The figure's words as read (the input's markup taken off).
    pub words: String,
    pub table: Against,
    /// The figure's words: bytes of `Judged::plain` (for a page to mark them).
    #[serde(skip)]
    pub plain_span: Range<usize>,
}

/// An article read and judged.
#[derive(Clone, Debug)]
pub struct Judged {
    /// The text read (the input without its markup).
    pub plain: String,
    pub published: Date,
    pub claims: Vec<TextClaim>,
}

/// Reads an article and judges each claim it makes; records nothing.
///
/// # Errors
/// An article over `news::ARTICLE_BYTES_MAX` or with no publication date
/// (`Invalid`); storage failures.
pub fn judge_text(view: &View<'_>, text: &str, published: Option<Date>) -> Result<Judged> {
    let lexicon = lexicon(view)?;
    let article = news::read(text, published, &lexicon)?;
    // The article's claims, dated on its day, stamped at its end, recorded nowhere.
    let day = Day::new(article.published)?;
    let stamped = article
        .published
        .at(23, 59, 59, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|e| Error::invalid(format!("published {}: {e}", article.published)))?
        .timestamp();
    let ids: Vec<Uuid> = article
        .found
        .iter()
        .map(|f| {
            let key = format!("check|{}|{}|{:?}", f.span.start, f.span.end, f.claim);
            Uuid::new_v5(&ID_NAMESPACE, key.as_bytes())
        })
        .collect();
    let unrecorded: Vec<Recorded> = article
        .found
        .iter()
        .zip(&ids)
        .map(|(f, id)| Recorded {
            seq: 0,
            recorded: stamped,
            recorded_by: None,
            event: Event {
                id: *id,
                date: day,
                source: Some("this article".to_owned()),
                kind: Kind::Claim(f.claim.clone()),
            },
        })
        .collect();
    let judged = judge(view, &unrecorded)?;
    let known_at = view.head().and_then(|h| h.recorded).map(|t| t.to_string());
    let mut checked: Vec<Option<Checked>> = judged.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(ids.len());
    for (f, id) in article.found.iter().zip(&ids) {
        let Some(c) = checked
            .iter_mut()
            .find(|c| c.as_ref().is_some_and(|c| c.id == *id))
            .and_then(Option::take)
        else {
            continue;
        };
        let span = news::char_span(text, &f.span);
        out.push(TextClaim {
            quote: f.claim.quote.clone().unwrap_or_default(),
            span: Span {
                start: span.start,
                end: span.end,
            },
            words: f.words.clone(),
            plain_span: f.plain_span.clone(),
            table: Against {
                games: c.games.to_string(),
                as_of: c.ledger.as_ref().map(|l| l.as_of.clone()),
                known_at: known_at.clone(),
            },
            checked: c,
        });
    }
    Ok(Judged {
        plain: article.plain,
        published: article.published,
        claims: out,
    })
}

/// `podium check --text FILE`: every claim the article makes, with its verdict.
///
/// # Errors
/// As `judge_text`; a failed write.
pub fn check_text(
    view: &View<'_>,
    text: &str,
    published: Option<Date>,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    let claims = judge_text(view, text, published)?.claims;
    if format == Format::Json {
        return output::json(out, &claims);
    }
    for c in &claims {
        super::facts::print_checked(
            out,
            &c.checked,
            &format!(
                "\"{}\" (characters {}..{})",
                c.words, c.span.start, c.span.end
            ),
        )?;
    }
    let checked: Vec<&Checked> = claims.iter().map(|c| &c.checked).collect();
    print_summary(out, &checked)?;
    writeln!(
        out,
        "nothing was recorded; podium extract writes the claims for podium import"
    )
    .map_err(out_err)
}

/// How `podium extract` names and cites what it writes.
#[derive(Clone, Debug)]
pub struct Citation {
    pub publisher: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<Date>,
    /// The scope of the ids (`{type}|{scope}|...`); default: the publisher and the day.
    pub scope: Option<String>,
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// `podium extract FILE`: the article's claims and the memberships it
/// states, as JSON Lines `podium import` takes, with ids derived from what
/// each says (UUID v5 over `{type}|{scope}|...`, the scheme of events/), so
/// that importing the same article twice adds nothing.
///
/// # Errors
/// As `judge_text`; an event out of bounds (a quote over 2,000 characters); a failed write.
pub fn extract(
    view: &View<'_>,
    text: &str,
    citation: &Citation,
    out: &mut impl Write,
) -> Result<()> {
    let lexicon = lexicon(view)?;
    let article = news::read(text, citation.published, &lexicon)?;
    let published = article.published;
    let scope = citation
        .scope
        .clone()
        .unwrap_or_else(|| format!("{}-{published}", slug(&citation.publisher)));
    let mut source = citation.publisher.clone();
    if let Some(title) = &citation.title {
        source.push_str(&format!(", \"{title}\""));
    }
    source.push_str(&format!(", {published}"));
    if let Some(url) = &citation.url {
        source.push_str(&format!(", {url}"));
    }
    let day = Day::new(published)?;
    let mut keys: Vec<String> = Vec::new();
    let mut write = |key: String, date: Day, kind: Kind| -> Result<()> {
        // The same subject said twice with two values: both, told apart.
        let key = if keys.contains(&key) {
            format!("{key}|{}", keys.len())
        } else {
            key
        };
        keys.push(key.clone());
        let event = Event {
            id: Uuid::new_v5(&ID_NAMESPACE, key.as_bytes()),
            date,
            source: Some(source.clone()),
            kind,
        };
        event.validate()?;
        crate::jsonl::write_line(out, &event, None).map_err(out_err)
    };
    for f in &article.found {
        let c: &Claim = &f.claim;
        let bound = match c.bound {
            crate::event::Bound::Exact => "exact",
            crate::event::Bound::AtLeast => "at_least",
            crate::event::Bound::AtMost => "at_most",
        };
        let key = format!(
            "claim|{scope}|{}|{}|{}|{}|{}|{bound}",
            c.figure.as_str(),
            c.games,
            c.noc,
            c.sport.as_deref().unwrap_or_default(),
            c.athlete.as_deref().unwrap_or_default()
        );
        write(key, day, Kind::Claim(c.clone()))?;
    }
    for joined in news::facts::memberships(&article.plain, &lexicon) {
        let date = Day::with_precision(
            jiff::civil::Date::new(joined.year, 1, 1).map_err(|e| Error::invalid(e.to_string()))?,
            Precision::Year,
        )?;
        let key = format!(
            "membership_began|{scope}|{}|{}|",
            joined.member, joined.organisation
        );
        let membership = Membership {
            member: joined.member.to_string(),
            organisation: joined.organisation,
            role: None,
        };
        write(key, date, Kind::MembershipBegan(membership))?;
    }
    Ok(())
}

/// A claim in words, for the page: "tokyo-2020-paralympics AZE total = 14".
pub fn claim_words(c: &Checked) -> String {
    describe(c)
}
