//! Output conventions shared by the commands: aligned text tables, JSON, CSV.

use std::io::Write;

use crate::error::{Error, Result};

/// How a command prints rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
    Csv,
}

/// Alignment of a text column.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// What a table of medals by sport says under its `counted` column.
pub const COUNTED_NOTE: &str = "counted: medals known only as counts per delegation and sport \
                                (a tally): their events and medallists are not known";

/// Turns a write failure on stdout into an error (a closed pipe is handled by main).
pub fn out_err(e: std::io::Error) -> Error {
    Error::io("stdout", e)
}

/// A writer that counts the bytes written through it.
pub struct Counted<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Counted<W> {
    pub fn new(inner: W) -> Counted<W> {
        Counted { inner, written: 0 }
    }

    pub fn written(&self) -> u64 {
        self.written
    }
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Prints rows as a text table with aligned columns.
///
/// # Errors
/// When stdout fails.
pub fn text_table(
    out: &mut impl Write,
    headers: &[&str],
    align: &[Align],
    rows: &[Vec<String>],
) -> Result<()> {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let mut s = String::new();
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            let pad = widths[i].saturating_sub(cell.chars().count());
            let last = i + 1 == widths.len();
            match align[i] {
                Align::Right => {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                }
                Align::Left => {
                    s.push_str(cell);
                    if !last {
                        s.push_str(&" ".repeat(pad));
                    }
                }
            }
        }
        s
    };
    writeln!(out, "{}", line(&mut headers.iter().copied())).map_err(out_err)?;
    for row in rows {
        writeln!(out, "{}", line(&mut row.iter().map(String::as_str))).map_err(out_err)?;
    }
    Ok(())
}

/// Prints rows as CSV (RFC 4180 quoting). A cell from the ledger that a
/// spreadsheet would take for a formula (it starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return, and is not a number) is written after a `'`,
/// OWASP's rule against CSV injection.
///
/// # Errors
/// When stdout fails.
pub fn csv(out: &mut impl Write, headers: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let quote = |s: &str| {
        let s = neutralised(s);
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.into_owned()
        }
    };
    writeln!(out, "{}", headers.join(",")).map_err(out_err)?;
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| quote(c)).collect();
        writeln!(out, "{}", cells.join(",")).map_err(out_err)?;
    }
    Ok(())
}

/// A cell that cannot start a spreadsheet formula.
fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Prints a value as pretty JSON.
///
/// # Errors
/// When stdout fails.
pub fn json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| out_err(e.into()))?;
    writeln!(out).map_err(out_err)
}

/// An optional value as a cell: `-` when absent.
pub fn cell<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_never_start_a_formula() {
        let mut out = Vec::new();
        let rows = vec![vec![
            "=HYPERLINK(\"http://x\",\"y\")".to_owned(),
            "+1+1".to_owned(),
            "@SUM(A1)".to_owned(),
            "-3".to_owned(),
            "-cmd".to_owned(),
            "Anna".to_owned(),
        ]];
        csv(&mut out, &["a", "b", "c", "d", "e", "f"], &rows).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b,c,d,e,f\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1+1,'@SUM(A1),-3,'-cmd,Anna\n"
        );
    }
}
