//! Answers already given: the same question asked while the ledger has not
//! changed in a way that can change its answer gets the same answer,
//! computed once.
//!
//! Each answer is kept with its scope: one games (the questions about a
//! games' table, sports, medals, events, ranks, history, race and diff) or
//! everything (questions across games, the log, people). A commit tells the
//! cache what it changed (`Changed`), and only the answers it can change are
//! dropped: a commit of medals of one games drops that games' answers and
//! the answers across games; a commit of anything else (a registration, a
//! revocation, a person, a succession...) drops every answer. The answers
//! left are then answers at the new head, and are served with it.
//!
//! An answer computed at a head is kept only if that head is still the
//! cache's (a commit may have come meanwhile); a new day empties the cache
//! (answers without an as-of date are as of today). Bounded in bytes.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use axum::body::Bytes;

use crate::event::GamesId;
use crate::record::Head;

/// Bytes of answers kept at most.
const CACHE_BYTES_MAX: usize = 64 << 20;
/// Largest answer kept.
const ANSWER_BYTES_MAX: usize = 1 << 20;

/// One answer as served.
#[derive(Clone)]
pub(super) struct Cached {
    pub body: Bytes,
    pub content_type: &'static str,
    pub head: Option<Head>,
    pub immutable: bool,
}

/// What an answer depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Scope {
    /// Only the events of this games.
    Games(GamesId),
    /// Anything in the ledger.
    All,
}

/// What a commit changed, for the cache.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Changed {
    /// Games that gained medals.
    pub games: HashSet<GamesId>,
    /// Anything beyond medals awarded (or too much to say): every answer may change.
    pub everything: bool,
}

impl Changed {
    fn drops(&self, scope: &Scope) -> bool {
        match scope {
            Scope::All => true,
            Scope::Games(g) => self.everything || self.games.contains(g),
        }
    }
}

struct Entry {
    answer: Cached,
    scope: Scope,
}

struct Inner {
    /// The head every answer here is an answer at.
    head: Head,
    day: jiff::civil::Date,
    bytes: usize,
    answers: HashMap<String, Entry>,
}

pub(super) struct Answers {
    inner: Mutex<Inner>,
}

impl Answers {
    /// An empty cache at `head`.
    pub fn new(head: Head) -> Answers {
        Answers {
            inner: Mutex::new(Inner {
                head,
                day: today(),
                bytes: 0,
                answers: HashMap::new(),
            }),
        }
    }

    /// The answer to `request` (path and query) at the cache's head, if kept.
    pub fn get(&self, request: &str) -> Option<Cached> {
        let inner = self.inner.lock().ok()?;
        if inner.day != today() {
            return None;
        }
        let entry = inner.answers.get(request)?;
        Some(Cached {
            head: Some(inner.head),
            ..entry.answer.clone()
        })
    }

    /// Keeps the answer to `request` computed at head `seq`, unless the
    /// cache has moved on since.
    pub fn put(&self, request: &str, seq: u64, scope: Scope, answer: Cached) {
        if answer.body.len() > ANSWER_BYTES_MAX {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if seq != inner.head.seq {
            return;
        }
        let day = today();
        if inner.day != day || inner.bytes + answer.body.len() > CACHE_BYTES_MAX {
            inner.answers.clear();
            inner.bytes = 0;
            inner.day = day;
        }
        inner.bytes += answer.body.len();
        if let Some(old) = inner
            .answers
            .insert(request.to_owned(), Entry { answer, scope })
        {
            inner.bytes -= old.answer.body.len();
        }
    }

    /// A commit moved the head to `head`, changing `changed`: the answers it
    /// can change are dropped, the others are answers at `head` too. Called
    /// before the commit is published to readers.
    pub fn commit(&self, head: Head, changed: &Changed) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let inner = &mut *inner;
        inner.head = head;
        let mut freed = 0;
        inner.answers.retain(|_, entry| {
            let drop = changed.drops(&entry.scope);
            if drop {
                freed += entry.answer.body.len();
            }
            !drop
        });
        inner.bytes -= freed;
    }
}

/// Today, as the commands take it when no date is given.
fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(text: &'static str) -> Cached {
        Cached {
            body: Bytes::from_static(text.as_bytes()),
            content_type: "application/json",
            head: None,
            immutable: false,
        }
    }

    fn head(seq: u64) -> Head {
        Head { seq, ..Head::EMPTY }
    }

    fn games(id: &str) -> Scope {
        Scope::Games(id.parse().unwrap())
    }

    #[test]
    fn a_commit_drops_only_the_answers_it_can_change() {
        let cache = Answers::new(head(5));
        cache.put("/a", 5, games("paris-2024"), answer("[1]"));
        cache.put("/b", 5, games("tokyo-2020"), answer("[2]"));
        cache.put("/all", 5, Scope::All, answer("[3]"));
        // An answer computed at an older head is not kept.
        cache.put("/old", 4, Scope::All, answer("[0]"));
        assert!(cache.get("/old").is_none());
        let medals = Changed {
            games: ["paris-2024".parse().unwrap()].into(),
            everything: false,
        };
        cache.commit(head(6), &medals);
        assert!(cache.get("/a").is_none());
        assert!(cache.get("/all").is_none());
        let kept = cache.get("/b").unwrap();
        assert_eq!(kept.body, "[2]");
        assert_eq!(kept.head.unwrap().seq, 6, "served at the new head");
        // Computed before the commit, kept after it: refused.
        cache.put("/a", 5, games("paris-2024"), answer("[1]"));
        assert!(cache.get("/a").is_none());
        cache.commit(
            head(7),
            &Changed {
                everything: true,
                ..Changed::default()
            },
        );
        assert!(cache.get("/b").is_none());
    }
}
