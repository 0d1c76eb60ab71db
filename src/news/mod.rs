//! Reading the news: an article (plain text or HTML) in, every figure it
//! claims that the ledger can judge out, each as a `Claim` (games,
//! delegation, figure, value, bound, sport, athlete) with the sentence it was
//! read from and the span of its words in the input.
//!
//! Pure: it reads the text and a `Lexicon` the caller fills from the ledger,
//! and never records anything nor touches storage. Deterministic: rules over
//! words, no model, nothing downloaded; the same input and lexicon give the
//! same claims.

pub mod extract;
pub mod facts;
pub mod games_ref;
pub mod items;
pub mod lexicon;
pub mod names;
pub mod numbers;
pub mod sentence;
pub mod sport_words;
pub mod text;
pub mod tokens;
pub mod words;

use std::ops::Range;

use jiff::civil::Date;

use crate::error::{Error, Result};
use crate::event::Claim;

pub use lexicon::{Lexicon, LexiconBuilder};

/// Largest article read, in bytes: a long feature is under 100 KiB.
pub const ARTICLE_BYTES_MAX: usize = 1024 * 1024;

/// A claim found in an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The claim; its `quote` is the sentence it was read from.
    pub claim: Claim,
    /// The figure's words: bytes of the input.
    pub span: Range<usize>,
    /// The sentence: bytes of the input.
    pub sentence: Range<usize>,
    /// The figure's words as the plain text reads them ("14 gold").
    pub words: String,
    /// The figure's words: bytes of the plain text.
    pub plain_span: Range<usize>,
}

/// An article read.
#[derive(Clone, Debug)]
pub struct Article {
    /// The text the claims were read from (the input without its markup).
    pub plain: String,
    /// Whether the input was HTML.
    pub html: bool,
    pub published: Date,
    pub found: Vec<Found>,
}

/// Reads an article: its text, its publication date (`published` if given,
/// else the one the input states) and every claim it makes.
///
/// # Errors
/// When the input is larger than `ARTICLE_BYTES_MAX`, or no publication date
/// is given or stated.
pub fn read(input: &str, published: Option<Date>, lexicon: &Lexicon) -> Result<Article> {
    if input.len() > ARTICLE_BYTES_MAX {
        return Err(Error::invalid(format!(
            "the article is {} bytes, more than {ARTICLE_BYTES_MAX}",
            input.len()
        )));
    }
    let plain = text::read(input);
    let published = published.or(plain.published).ok_or_else(|| {
        Error::invalid(
            "the article states no publication date (a first line `date YYYY-MM-DD`, or the page's \
             article:published_time or datePublished); give it with --published DATE \
             (over HTTP: ?published=DATE, or the page's Published field)",
        )
    })?;
    let found = extract::extract(&plain.text, published, lexicon)
        .into_iter()
        .map(|e| Found {
            span: plain.input_span(e.span.clone()),
            sentence: plain.input_span(e.sentence.clone()),
            words: plain.text[e.span.clone()].to_owned(),
            plain_span: e.span,
            claim: e.claim,
        })
        .collect();
    Ok(Article {
        plain: plain.text,
        html: plain.html,
        published,
        found,
    })
}

/// A byte range of `text` as a range of characters.
pub fn char_span(text: &str, span: &Range<usize>) -> Range<usize> {
    let start = text.get(..span.start).map_or(0, |s| s.chars().count());
    let len = text.get(span.clone()).map_or(0, |s| s.chars().count());
    start..start + len
}
