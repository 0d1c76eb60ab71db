//! Answers already given, by request and head: the same question asked at
//! the same head has the same answer, so it is computed once. An answer is
//! kept only while the head it was computed at is the last commit; the first
//! answer at a newer head empties the cache, and so does a new day (answers
//! without an as-of date, like `memberships`, are as of today). Bounded in
//! bytes.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;

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

#[derive(Default)]
struct Inner {
    /// The head seq every answer here was computed at, and the day.
    seq: u64,
    day: Option<jiff::civil::Date>,
    bytes: usize,
    answers: HashMap<String, Cached>,
}

#[derive(Default)]
pub(super) struct Answers {
    inner: Mutex<Inner>,
}

impl Answers {
    /// The answer to `request` (path and query) at head `seq`, if given before.
    pub fn get(&self, request: &str, seq: u64) -> Option<Cached> {
        let inner = self.inner.lock().ok()?;
        if inner.seq != seq || inner.day != Some(today()) {
            return None;
        }
        inner.answers.get(request).cloned()
    }

    /// Keeps the answer to `request` computed at head `seq`.
    pub fn put(&self, request: &str, seq: u64, answer: Cached) {
        if answer.body.len() > ANSWER_BYTES_MAX {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if seq < inner.seq {
            return;
        }
        let day = Some(today());
        if seq > inner.seq || inner.day != day || inner.bytes + answer.body.len() > CACHE_BYTES_MAX
        {
            inner.answers.clear();
            inner.bytes = 0;
            inner.seq = seq;
            inner.day = day;
        }
        inner.bytes += answer.body.len();
        if let Some(old) = inner.answers.insert(request.to_owned(), answer) {
            inner.bytes -= old.body.len();
        }
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

    #[test]
    fn an_answer_is_kept_for_its_head_only() {
        let cache = Answers::default();
        cache.put("/api/table/x", 5, answer("[1]"));
        assert_eq!(cache.get("/api/table/x", 5).unwrap().body, "[1]");
        assert!(cache.get("/api/table/x", 6).is_none());
        assert!(cache.get("/api/table/y", 5).is_none());
        // An answer at a newer head drops the older ones; an older one is not kept.
        cache.put("/api/table/y", 6, answer("[2]"));
        assert!(cache.get("/api/table/x", 5).is_none());
        cache.put("/api/table/x", 5, answer("[1]"));
        assert!(cache.get("/api/table/x", 5).is_none());
        assert_eq!(cache.get("/api/table/y", 6).unwrap().body, "[2]");
    }
}
