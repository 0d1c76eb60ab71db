//! `podium token add FILE NAME --scope S`: a new secret for a named token,
//! its hash added to the token file, the secret printed once (the file never
//! holds it).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::answer::out_err;
use crate::error::{Error, Result};
use crate::tokens::{self, Scopes, Tokens};

/// Adds a token named `name` with `scopes` to the token file at `file`
/// (created with mode 0600 if missing) and prints its secret on `out`.
///
/// # Errors
/// A bad name or scope, a name the file already holds, a file that does not
/// parse (or would not, with the new line), an unwritable file.
pub fn add(file: &Path, name: &str, scopes: &[String], out: &mut impl Write) -> Result<()> {
    let scopes = Scopes::parse(&scopes.join(","))?;
    let secret = tokens::new_secret();
    let line = tokens::line(name, scopes, &secret)?;
    let existing = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(file, e)),
    };
    let mut text = existing.clone();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&line);
    text.push('\n');
    // The file as it will be must parse, and name the token once.
    let shown = file.display().to_string();
    let parsed = Tokens::parse(&text, &shown).map_err(|e| {
        if existing.lines().filter(|l| !l.trim().is_empty()).count() == 1 {
            Error::invalid(format!(
                "{shown} holds one secret of the first form (every scope, named token): \
                 start a new file for named tokens ({e})"
            ))
        } else {
            e
        }
    })?;
    debug_assert!(parsed.check(&secret).is_some());
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(file)
        .map_err(|e| Error::io(file, e))?;
    f.write_all(&text.as_bytes()[existing.len()..])
        .and_then(|()| f.sync_all())
        .map_err(|e| Error::io(file, e))?;
    writeln!(out, "{secret}").map_err(out_err)?;
    eprintln!(
        "podium: token {name:?} ({scopes}) added to {shown}; its secret, above, is shown once. \
         A running server takes it on SIGHUP."
    );
    Ok(())
}
