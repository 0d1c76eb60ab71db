//! Who may do what on this server.
//!
//! - The local socket (`Peer::Local`, mode 0600) is the ledger owner's own:
//!   it may read and write without a token, and its writes are recorded by
//!   the name the request gives (`X-Podium-Recorded-By`: the command line's
//!   `--as` or user), else by the server's own user.
//! - Over TCP a write needs a bearer token whose scopes cover it; its events
//!   are recorded by the token's name (`Recorder::Token`). A private server
//!   (`--private`) answers questions only to tokens with `read`.
//! - The tokens are hashes (`crate::tokens`), read from the token file at
//!   start and again on SIGHUP; a file that no longer reads keeps the tokens
//!   in force, with one line in the log.
//! - Wrong tokens are throttled per address: after `FAILURES_MAX` in a
//!   `WINDOW`, that address gets 429 for `COOLDOWN`, with one log line. The
//!   table of addresses is bounded (`ADDRESSES_MAX`). Behind a proxy on the
//!   same machine (a loopback peer), the address is the proxy's
//!   `X-Real-IP`, or the last `X-Forwarded-For` entry.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::Peer;
use crate::error::{Error, Result};
use crate::event::check_recorder;
use crate::ledger::Recorder;
use crate::tokens::Tokens;

/// The header the owner's own command line names its recorder in.
pub const RECORDED_BY_HEADER: &str = "x-podium-recorded-by";
/// Wrong tokens an address may present within `WINDOW` before it is throttled.
const FAILURES_MAX: u32 = 10;
const WINDOW: Duration = Duration::from_secs(60);
/// How long a throttled address gets 429.
const COOLDOWN: Duration = Duration::from_secs(60);
/// Addresses whose failures are remembered at once.
const ADDRESSES_MAX: usize = 4_096;

/// Why a request is refused: its status and one line.
pub(super) struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            axum::Json(
                serde_json::json!({ "error": self.message, "status": self.status.as_u16() }),
            ),
        )
            .into_response();
        let headers = response.headers_mut();
        match self.status {
            StatusCode::UNAUTHORIZED => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            StatusCode::TOO_MANY_REQUESTS => {
                let secs = COOLDOWN.as_secs().to_string();
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from_str(&secs).expect("digits"),
                );
            }
            _ => {}
        }
        response
    }
}

pub(super) fn refusal(status: StatusCode, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        message: message.into(),
    }
}

/// The tokens, whether questions need one, and the throttle.
pub(super) struct Auth {
    /// `None`: no token configured, so the server takes no writes over TCP.
    tokens: RwLock<Option<Tokens>>,
    /// The token file, read again on SIGHUP.
    file: Option<PathBuf>,
    private: bool,
    failures: Mutex<HashMap<IpAddr, Failures>>,
}

/// Wrong tokens from one address.
#[derive(Clone, Copy)]
struct Failures {
    since: Instant,
    count: u32,
    throttled_until: Option<Instant>,
}

impl Auth {
    /// `tokens` as read at start from `file` (or `$PODIUM_TOKEN`).
    pub fn new(tokens: Option<Tokens>, file: Option<PathBuf>, private: bool) -> Auth {
        Auth {
            tokens: RwLock::new(tokens),
            file,
            private,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Reads the token file again (SIGHUP). Returns how many tokens are in
    /// force; on an error the earlier tokens stay.
    ///
    /// # Errors
    /// No token file, or one that does not read or parse.
    pub fn reload(&self) -> Result<usize> {
        let Some(path) = &self.file else {
            return Err(Error::invalid(
                "no --token-file to read again ($PODIUM_TOKEN is read once)",
            ));
        };
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let tokens = Tokens::parse(&text, &path.display().to_string())?;
        let count = tokens.len();
        *self.tokens.write().unwrap_or_else(|p| p.into_inner()) = Some(tokens);
        Ok(count)
    }

    /// Who records a write from `peer` with `headers`, if it may write at
    /// all (each event is checked against the token's scopes as it comes).
    ///
    /// # Errors
    /// 401 without a token or with a wrong one, 403 on a server that takes
    /// no writes or for a token that may not write, 429 for an address that
    /// sent too many wrong tokens, 400 for a bad recorder name.
    pub fn writer(
        &self,
        peer: Peer,
        headers: &HeaderMap,
    ) -> std::result::Result<Recorder, Refusal> {
        if peer == Peer::Local {
            return local_recorder(headers).map(Recorder::Local);
        }
        let tokens = self.tokens.read().unwrap_or_else(|p| p.into_inner());
        let Some(tokens) = tokens.as_ref() else {
            return Err(refusal(
                StatusCode::FORBIDDEN,
                "this server is read-only: start it with --token-file FILE or $PODIUM_TOKEN to take writes",
            ));
        };
        let token = self.token(peer, headers, tokens, "writes")?;
        if !token.scopes.writes() {
            return Err(refusal(
                StatusCode::FORBIDDEN,
                format!(
                    "the token {:?} may not write (its scopes: {})",
                    token.name, token.scopes
                ),
            ));
        }
        Ok(Recorder::Token {
            name: token.name.clone(),
            scopes: token.scopes,
        })
    }

    /// Whether `peer` may ask questions: anyone, unless the server is
    /// private, when it takes the local socket or a token with `read`.
    ///
    /// # Errors
    /// As `writer`, for a token without `read`.
    pub fn reader(&self, peer: Peer, headers: &HeaderMap) -> std::result::Result<(), Refusal> {
        if !self.private || peer == Peer::Local {
            return Ok(());
        }
        let tokens = self.tokens.read().unwrap_or_else(|p| p.into_inner());
        let empty = Tokens::default();
        let token = self.token(
            peer,
            headers,
            tokens.as_ref().unwrap_or(&empty),
            "this private ledger",
        )?;
        if token.scopes.read {
            Ok(())
        } else {
            Err(refusal(
                StatusCode::FORBIDDEN,
                format!(
                    "the token {:?} may not read (its scopes: {})",
                    token.name, token.scopes
                ),
            ))
        }
    }

    /// The token the request presents, throttling wrong ones.
    fn token<'t>(
        &self,
        peer: Peer,
        headers: &HeaderMap,
        tokens: &'t Tokens,
        what: &str,
    ) -> std::result::Result<&'t crate::tokens::Token, Refusal> {
        let address = address(peer, headers);
        if let Some(address) = address {
            self.check_throttle(address)?;
        }
        let Some(presented) = bearer(headers) else {
            return Err(refusal(
                StatusCode::UNAUTHORIZED,
                format!("{what} need the header Authorization: Bearer TOKEN"),
            ));
        };
        match tokens.check(presented) {
            Some(token) => Ok(token),
            None => {
                if let Some(address) = address {
                    self.note_failure(address);
                }
                Err(refusal(
                    StatusCode::UNAUTHORIZED,
                    "the bearer token is wrong",
                ))
            }
        }
    }

    fn check_throttle(&self, address: IpAddr) -> std::result::Result<(), Refusal> {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        match failures.get(&address).and_then(|f| f.throttled_until) {
            Some(until) if Instant::now() < until => Err(refusal(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "too many wrong tokens from {address}; try again in {} s",
                    until
                        .saturating_duration_since(Instant::now())
                        .as_secs()
                        .max(1)
                ),
            )),
            _ => Ok(()),
        }
    }

    fn note_failure(&self, address: IpAddr) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() >= ADDRESSES_MAX && !failures.contains_key(&address) {
            failures.retain(|_, f| {
                now.duration_since(f.since) < WINDOW || f.throttled_until.is_some_and(|u| now < u)
            });
            if failures.len() >= ADDRESSES_MAX {
                // Still full: forget the address whose failures began longest ago.
                if let Some(oldest) = failures
                    .iter()
                    .min_by_key(|(_, f)| f.since)
                    .map(|(a, _)| *a)
                {
                    failures.remove(&oldest);
                }
            }
        }
        let entry = failures.entry(address).or_insert(Failures {
            since: now,
            count: 0,
            throttled_until: None,
        });
        if now.duration_since(entry.since) >= WINDOW
            || entry.throttled_until.is_some_and(|u| now >= u)
        {
            *entry = Failures {
                since: now,
                count: 0,
                throttled_until: None,
            };
        }
        entry.count += 1;
        if entry.count >= FAILURES_MAX && entry.throttled_until.is_none() {
            entry.throttled_until = Some(now + COOLDOWN);
            tracing::warn!(
                "{address}: {} wrong tokens in {} s; refused with 429 for {} s",
                entry.count,
                WINDOW.as_secs(),
                COOLDOWN.as_secs()
            );
        }
    }
}

/// The bearer token of `Authorization`, its scheme in any case (RFC 7235).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(char::is_whitespace)?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The address a wrong token is counted against.
fn address(peer: Peer, headers: &HeaderMap) -> Option<IpAddr> {
    let Peer::Tcp(addr) = peer else {
        return None;
    };
    if !addr.ip().is_loopback() {
        return Some(addr.ip());
    }
    let forwarded = |name: &str| -> Option<IpAddr> {
        let value = headers.get(name)?.to_str().ok()?;
        value.rsplit(',').next()?.trim().parse().ok()
    };
    Some(
        forwarded("x-real-ip")
            .or_else(|| forwarded("x-forwarded-for"))
            .unwrap_or(addr.ip()),
    )
}

/// Who records a write through the local socket.
fn local_recorder(headers: &HeaderMap) -> std::result::Result<String, Refusal> {
    let bad = |m: String| refusal(StatusCode::BAD_REQUEST, m);
    let name = match headers.get(RECORDED_BY_HEADER) {
        Some(value) => value
            .to_str()
            .map_err(|_| bad(format!("{RECORDED_BY_HEADER} is not text")))?
            .to_owned(),
        None => crate::identity::os_user().ok_or_else(|| {
            bad(format!(
                "no {RECORDED_BY_HEADER} and no user name for the server's process"
            ))
        })?,
    };
    check_recorder(&name).map_err(|e| bad(format!("{RECORDED_BY_HEADER}: {e}")))?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::{line, Scopes};

    const SECRET: &str = "0123456789abcdef0123";

    fn with(token: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(token).unwrap());
        h
    }

    fn peer() -> Peer {
        Peer::Tcp("192.0.2.7:5000".parse().unwrap())
    }

    #[test]
    fn the_scheme_is_any_case_and_the_token_names_the_recorder() {
        let tokens = Tokens::parse(
            &line("desk", Scopes::parse("append").unwrap(), SECRET).unwrap(),
            "t",
        )
        .unwrap();
        let auth = Auth::new(Some(tokens), None, false);
        for scheme in ["Bearer", "bearer", "BEARER"] {
            let recorder = auth
                .writer(peer(), &with(&format!("{scheme} {SECRET}")))
                .ok()
                .unwrap();
            assert!(matches!(recorder, Recorder::Token { ref name, .. } if name == "desk"));
        }
        assert_eq!(
            auth.writer(peer(), &HeaderMap::new()).err().unwrap().status,
            StatusCode::UNAUTHORIZED
        );
        assert!(auth.reader(peer(), &HeaderMap::new()).is_ok());
    }

    #[test]
    fn wrong_tokens_are_throttled_per_address() {
        let auth = Auth::new(Some(Tokens::single(SECRET).unwrap()), None, false);
        for _ in 0..FAILURES_MAX {
            let e = auth
                .writer(peer(), &with("Bearer wrong-wrong-wrong-wrong"))
                .err()
                .unwrap();
            assert_eq!(e.status, StatusCode::UNAUTHORIZED);
        }
        let e = auth
            .writer(peer(), &with(&format!("Bearer {SECRET}")))
            .err()
            .unwrap();
        assert_eq!(e.status, StatusCode::TOO_MANY_REQUESTS);
        // Another address is not held up.
        let other = Peer::Tcp("192.0.2.8:5000".parse().unwrap());
        assert!(auth
            .writer(other, &with(&format!("Bearer {SECRET}")))
            .is_ok());
    }

    #[test]
    fn the_table_of_addresses_stays_bounded() {
        let auth = Auth::new(Some(Tokens::single(SECRET).unwrap()), None, false);
        for i in 0..(ADDRESSES_MAX as u32 + 100) {
            let ip = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            let _ = auth.writer(
                Peer::Tcp((ip, 1).into()),
                &with("Bearer wrong-wrong-wrong-wrong"),
            );
        }
        assert!(auth.failures.lock().unwrap().len() <= ADDRESSES_MAX);
    }

    #[test]
    fn a_private_server_answers_only_readers_and_its_owner() {
        let text = format!(
            "{}\n{}\n",
            line("desk", Scopes::parse("append").unwrap(), SECRET).unwrap(),
            line(
                "reader",
                Scopes::parse("read").unwrap(),
                "fedcba9876543210fedcba"
            )
            .unwrap()
        );
        let auth = Auth::new(Some(Tokens::parse(&text, "t").unwrap()), None, true);
        assert_eq!(
            auth.reader(peer(), &HeaderMap::new()).err().unwrap().status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            auth.reader(peer(), &with(&format!("Bearer {SECRET}")))
                .err()
                .unwrap()
                .status,
            StatusCode::FORBIDDEN
        );
        assert!(auth
            .reader(peer(), &with("Bearer fedcba9876543210fedcba"))
            .is_ok());
        assert!(auth.reader(Peer::Local, &HeaderMap::new()).is_ok());
    }
}
