//! Tokens: who may do what on a served ledger. A token file lists named
//! tokens, each with its scopes and the BLAKE3 hash of its secret, never
//! the secret itself:
//!
//! ```text
//! # NAME      SCOPES          HASH
//! desk-2      append,revoke   blake3:3f0a...
//! reader      read            blake3:9c1e...
//! ```
//!
//! Scopes: `read` (a private ledger's questions), `append` (every event but
//! a revocation) and `revoke` (a `medal_revoked`). A file of one line that is
//! not such a line is a single secret, as podium's first token files were:
//! one token, named `token`, with every scope. A secret is at least
//! `SECRET_BYTES_MIN` bytes. Presented secrets are hashed and compared with
//! every stored hash in constant time. Pure: reading the file is the caller's.

use std::fmt;

use crate::error::{Error, Result};
use crate::event::check_recorder;

/// The environment variable that may hold a token: the one secret a server
/// accepts, or the one a client presents.
pub const TOKEN_VAR: &str = "PODIUM_TOKEN";
/// Shortest secret accepted, in bytes.
pub const SECRET_BYTES_MIN: usize = 16;
/// Most tokens in one file.
pub const TOKENS_MAX: usize = 1_000;
/// The name of the one token of a single-secret file or `$PODIUM_TOKEN`.
pub const SINGLE_TOKEN_NAME: &str = "token";
const HASH_PREFIX: &str = "blake3:";

/// What a token may do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scopes {
    pub read: bool,
    pub append: bool,
    pub revoke: bool,
}

impl Scopes {
    pub const ALL: Scopes = Scopes {
        read: true,
        append: true,
        revoke: true,
    };

    /// Parses `read,append,revoke` (any of them, any order).
    ///
    /// # Errors
    /// `Invalid` for an empty list or an unknown scope.
    pub fn parse(text: &str) -> Result<Scopes> {
        let mut scopes = Scopes::default();
        for scope in text.split(',') {
            match scope.trim() {
                "read" => scopes.read = true,
                "append" => scopes.append = true,
                "revoke" => scopes.revoke = true,
                other => {
                    return Err(Error::invalid(format!(
                        "unknown scope {other:?} (read, append, revoke)"
                    )))
                }
            }
        }
        Ok(scopes)
    }

    /// Whether it may write anything at all.
    pub fn writes(&self) -> bool {
        self.append || self.revoke
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = [
            (self.read, "read"),
            (self.append, "append"),
            (self.revoke, "revoke"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        f.write_str(&names.join(","))
    }
}

/// One token: its name (what the events it writes are recorded by), its
/// scopes and the hash of its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub name: String,
    pub scopes: Scopes,
    hash: blake3::Hash,
}

/// The tokens a server accepts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tokens {
    tokens: Vec<Token>,
}

impl Tokens {
    /// The tokens of a token file's `text`; `file` names it in errors.
    ///
    /// # Errors
    /// `Invalid`, naming the file and line: a malformed line, a bad name or
    /// scope, a hash that is not 64 hex characters, a name given twice, a
    /// secret shorter than `SECRET_BYTES_MIN`, no token at all.
    pub fn parse(text: &str, file: &str) -> Result<Tokens> {
        let lines: Vec<(u64, &str)> = text
            .lines()
            .zip(1..)
            .map(|(l, n)| (n, l.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let at = |line: u64, e: Error| e.at_line(file, line);
        if let [(line, only)] = lines[..] {
            if only.split_whitespace().count() == 1 && !only.starts_with(HASH_PREFIX) {
                return Tokens::single(only).map_err(|e| at(line, e));
            }
        }
        if lines.is_empty() {
            return Err(Error::invalid(format!(
                "{file}: the token file holds no token"
            )));
        }
        if lines.len() > TOKENS_MAX {
            return Err(Error::invalid(format!(
                "{file}: more than {TOKENS_MAX} tokens"
            )));
        }
        let mut tokens = Vec::with_capacity(lines.len());
        for (line, text) in lines {
            let token = parse_line(text).map_err(|e| at(line, e))?;
            if tokens.iter().any(|t: &Token| t.name == token.name) {
                return Err(at(
                    line,
                    Error::invalid(format!("the name {:?} is given twice", token.name)),
                ));
            }
            tokens.push(token);
        }
        Ok(Tokens { tokens })
    }

    /// One secret with every scope (a one-line file, or `$PODIUM_TOKEN`).
    ///
    /// # Errors
    /// `Invalid` for a secret shorter than `SECRET_BYTES_MIN`.
    pub fn single(secret: &str) -> Result<Tokens> {
        check_secret(secret)?;
        Ok(Tokens {
            tokens: vec![Token {
                name: SINGLE_TOKEN_NAME.to_owned(),
                scopes: Scopes::ALL,
                hash: blake3::hash(secret.as_bytes()),
            }],
        })
    }

    /// The token whose secret `presented` is, compared with every token's
    /// hash in constant time (no early exit, whatever matches).
    pub fn check(&self, presented: &str) -> Option<&Token> {
        let hash = blake3::hash(presented.as_bytes());
        let mut found = None;
        for token in &self.tokens {
            // blake3::Hash's equality is constant-time.
            if token.hash == hash {
                found = Some(token);
            }
        }
        found
    }

    /// Whether any token may read (a private ledger answers only them).
    pub fn any_reader(&self) -> bool {
        self.tokens.iter().any(|t| t.scopes.read)
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

fn parse_line(text: &str) -> Result<Token> {
    let fields: Vec<&str> = text.split_whitespace().collect();
    let [name, scopes, hash] = fields[..] else {
        return Err(Error::invalid(
            "a token line is NAME SCOPES blake3:HASH (podium token add writes one)",
        ));
    };
    check_recorder(name)?;
    let scopes = Scopes::parse(scopes)?;
    let hex = hash.strip_prefix(HASH_PREFIX).ok_or_else(|| {
        Error::invalid(format!("the hash of {name:?} does not begin with blake3:"))
    })?;
    let hash = blake3::Hash::from_hex(hex)
        .map_err(|_| Error::invalid(format!("the hash of {name:?} is not 64 hex characters")))?;
    Ok(Token {
        name: name.to_owned(),
        scopes,
        hash,
    })
}

fn check_secret(secret: &str) -> Result<()> {
    if secret.len() < SECRET_BYTES_MIN {
        return Err(Error::invalid(format!(
            "a token is {} bytes; at least {SECRET_BYTES_MIN} are needed (podium token add makes one)",
            secret.len()
        )));
    }
    if secret.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            "a token holds white space or a control character",
        ));
    }
    Ok(())
}

/// A new secret: 32 random bytes (from the operating system, through UUID
/// v4's generator) as 64 hex characters.
pub fn new_secret() -> String {
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    a.as_bytes()
        .iter()
        .chain(b.as_bytes())
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// The token file's line for a token named `name` with `scopes` and `secret`.
///
/// # Errors
/// `Invalid` for a bad name or secret, or a name with white space in it.
pub fn line(name: &str, scopes: Scopes, secret: &str) -> Result<String> {
    check_recorder(name)?;
    if name.chars().any(char::is_whitespace) {
        return Err(Error::invalid(format!(
            "a token's name has no white space: {name:?}"
        )));
    }
    if !scopes.read && !scopes.writes() {
        return Err(Error::invalid("a token needs at least one scope"));
    }
    check_secret(secret)?;
    Ok(format!(
        "{name} {scopes} {HASH_PREFIX}{}",
        blake3::hash(secret.as_bytes()).to_hex()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123";

    #[test]
    fn a_file_of_named_tokens_keeps_hashes_and_finds_each_secret() {
        let desk = line("desk-2", Scopes::parse("append,revoke").unwrap(), SECRET).unwrap();
        let other = "fedcba9876543210fedcba";
        let reader = line("reader", Scopes::parse("read").unwrap(), other).unwrap();
        assert!(!desk.contains(SECRET));
        let text = format!("# tokens\n{desk}\n\n{reader}\n");
        let tokens = Tokens::parse(&text, "tokens").unwrap();
        assert_eq!(tokens.len(), 2);
        let found = tokens.check(SECRET).unwrap();
        assert_eq!(found.name, "desk-2");
        assert!(found.scopes.revoke && found.scopes.append && !found.scopes.read);
        assert_eq!(tokens.check(other).unwrap().name, "reader");
        assert!(tokens.check("nothing-like-a-secret").is_none());
        assert!(tokens.any_reader());
    }

    #[test]
    fn a_one_line_file_is_one_token_with_every_scope() {
        let tokens = Tokens::parse(&format!("{SECRET}\n"), "t").unwrap();
        let token = tokens.check(SECRET).unwrap();
        assert_eq!(token.name, SINGLE_TOKEN_NAME);
        assert_eq!(token.scopes, Scopes::ALL);
    }

    #[test]
    fn bad_files_are_one_line_naming_where() {
        let e = Tokens::parse("x\n", "t").unwrap_err().to_string();
        assert!(e.starts_with("t:1:") && e.contains("at least 16"), "{e}");
        let e = Tokens::parse("# only\n", "t").unwrap_err().to_string();
        assert!(e.contains("holds no token"), "{e}");
        let good = line("a", Scopes::ALL, SECRET).unwrap();
        let e = Tokens::parse(&format!("{good}\n{good}\n"), "t")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t:2:") && e.contains("twice"), "{e}");
        let e = Tokens::parse(&format!("{good}\na write blake3:00\n"), "t")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t:2:") && e.contains("unknown scope"), "{e}");
        let e = Tokens::parse(&format!("{good}\na read blake3:00\n"), "t")
            .unwrap_err()
            .to_string();
        assert!(e.contains("64 hex"), "{e}");
    }

    #[test]
    fn new_secrets_are_long_and_differ() {
        let (a, b) = (new_secret(), new_secret());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
