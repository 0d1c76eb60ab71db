//! Commands that read the log itself, not the read model: `log`, `export`
//! and `verify`. They open the log (sled admits one process at a time), so
//! they wait, within a bound, for a writer to finish.

use std::io::Write;

use jiff::civil::Date;

use super::output::out_err;
use super::output::{self, Format};
use super::records;
use super::LogFormat;
use crate::error::{Error, Result};
use crate::event::Kind;
use crate::jsonl;
use crate::log::LogReader;

/// `podium log`: events in log order, filtered by date and kind.
pub(super) fn log(
    ledger: &LogReader,
    from: Option<Date>,
    to: Option<Date>,
    kind: Option<&str>,
    format: LogFormat,
    out: &mut impl Write,
) -> Result<()> {
    if let Some(k) = kind {
        if !Kind::NAMES.contains(&k) {
            return Err(Error::invalid(format!(
                "unknown kind {k:?} (one of {})",
                Kind::NAMES.join(", ")
            )));
        }
    }
    for r in ledger.iter() {
        let r = r?;
        if from.is_some_and(|d| r.event.date.last() < d)
            || to.is_some_and(|d| r.event.date.first() > d)
            || kind.is_some_and(|k| r.event.kind.name() != k)
        {
            continue;
        }
        match format {
            LogFormat::Jsonl => jsonl::write_recorded(out, &r).map_err(out_err)?,
            LogFormat::Text => writeln!(
                out,
                "{:>6}  {:<10}  {}  {:<16}  {}",
                r.seq,
                r.event.date.to_string(),
                r.recorded.strftime("%Y-%m-%dT%H:%M:%SZ"),
                r.event.kind.name(),
                records::summary(&r.event)
            )
            .map_err(out_err)?,
        }
    }
    Ok(())
}

/// `podium export`: the whole log as JSON Lines, with seq and recorded.
pub(super) fn export(ledger: &LogReader, out: &mut impl Write) -> Result<()> {
    for r in ledger.iter() {
        jsonl::write_recorded(out, &r?).map_err(out_err)?;
    }
    Ok(())
}

/// `podium verify [--digest HEX]`.
pub(super) fn verify(
    ledger: &LogReader,
    digest: Option<&str>,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    if let Some(d) = digest {
        if d.len() != 64 || !d.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::invalid(format!(
                "digest {d:?} is not 64 hex characters"
            )));
        }
    }
    let v = ledger.verify(digest)?;
    if format == Format::Json {
        let confirmed = digest.map(str::to_ascii_lowercase);
        return output::json(
            out,
            &serde_json::json!({"events": v.events, "digest": v.digest, "confirmed": confirmed}),
        );
    }
    writeln!(out, "ok: {} events, head digest {}", v.events, v.digest).map_err(out_err)?;
    if let Some(d) = digest {
        writeln!(
            out,
            "digest {} is a link of the chain",
            d.to_ascii_lowercase()
        )
        .map_err(out_err)?;
    }
    Ok(())
}
