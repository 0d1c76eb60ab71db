//! Who records the events of an append: the rule that gives every new event
//! its `recorded_by`, and keeps a copied record as its origin wrote it.

use crate::error::{Error, ErrorKind, Result};
use crate::event::Kind;
use crate::jsonl::Incoming;
use crate::tokens::Scopes;

/// Who records what an append brings.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Recorder {
    /// Events keep the `recorded_by` they carry, and those that carry none
    /// are recorded without one. What a library caller gets unless it says.
    #[default]
    AsGiven,
    /// Someone working on the ledger directly (the command line, or the
    /// ledger owner's own command through the server's local socket): a new
    /// event (one without a recorded time) is theirs; a copy of a record (an
    /// export line, with its recorded time) keeps the recorder it carries, or
    /// none, exactly as its origin wrote it, so a replica verifies to the
    /// origin's digest.
    Local(String),
    /// A token holder writing through the server: every event is recorded
    /// by the token's name, and one that names someone else is refused, as
    /// is one the token's scopes do not cover (a revocation needs `revoke`,
    /// anything else `append`).
    Token { name: String, scopes: Scopes },
}

impl Recorder {
    /// The `recorded_by` of `incoming` under this rule.
    ///
    /// # Errors
    /// `Forbidden` when a token holder sends an event recorded by someone
    /// else, or one its scopes do not cover.
    pub fn stamp(&self, incoming: &Incoming) -> Result<Option<String>> {
        Ok(match self {
            Recorder::AsGiven => incoming.recorded_by.clone(),
            Recorder::Local(name) => incoming
                .recorded_by
                .clone()
                .or_else(|| incoming.recorded.is_none().then(|| name.clone())),
            Recorder::Token { name, scopes } => {
                let forbidden = |m: String| Err(Error::new(ErrorKind::Forbidden(m)));
                let revokes = matches!(incoming.event.kind, Kind::MedalRevoked(_));
                if revokes && !scopes.revoke {
                    return forbidden(format!(
                        "the token {name:?} may not revoke (its scopes: {scopes})"
                    ));
                }
                if !revokes && !scopes.append {
                    return forbidden(format!(
                        "the token {name:?} may not append (its scopes: {scopes})"
                    ));
                }
                match &incoming.recorded_by {
                    Some(other) if other != name => {
                        return forbidden(format!(
                            "the event says it was recorded by {other:?}, but this token records \
                             as {name:?}"
                        ))
                    }
                    _ => Some(name.clone()),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonl::parse_line;

    fn line(extra: &str) -> Incoming {
        parse_line(&format!(
            r#"{{"id":"0191a0c4-8a0e-7c3b-9d2e-4f5a6b7c8d9e","type":"membership_began","date":"1991",{extra}"member":"AZE","organisation":"ICESCO"}}"#
        ))
        .unwrap()
        .unwrap()
    }

    #[test]
    fn a_new_event_is_the_local_recorders_and_a_copy_keeps_its_own() {
        let local = Recorder::Local("ana".into());
        assert_eq!(local.stamp(&line("")).unwrap().as_deref(), Some("ana"));
        let copy = line(r#""recorded":"2024-01-01T00:00:00Z","#);
        assert_eq!(local.stamp(&copy).unwrap(), None);
        let theirs = line(r#""recorded":"2024-01-01T00:00:00Z","recorded_by":"bo","#);
        assert_eq!(local.stamp(&theirs).unwrap().as_deref(), Some("bo"));
        assert_eq!(Recorder::AsGiven.stamp(&line("")).unwrap(), None);
    }

    #[test]
    fn a_token_records_everything_as_its_name_and_never_as_another() {
        let token = Recorder::Token {
            name: "desk".into(),
            scopes: Scopes::ALL,
        };
        let copy = line(r#""recorded":"2024-01-01T00:00:00Z","#);
        assert_eq!(token.stamp(&copy).unwrap().as_deref(), Some("desk"));
        let same = line(r#""recorded_by":"desk","#);
        assert_eq!(token.stamp(&same).unwrap().as_deref(), Some("desk"));
        let other = line(r#""recorded_by":"bo","#);
        assert!(token
            .stamp(&other)
            .unwrap_err()
            .to_string()
            .contains("\"bo\""));
    }
}
