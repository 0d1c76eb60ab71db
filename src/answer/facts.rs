//! Commands about people, memberships, meetings and sources' claims.

use std::io::Write;

use jiff::civil::Date;
use serde::Serialize;

use super::output::{self, cell, out_err, text_table, Align, Format};
use crate::claims::{CheckFold, Checked, Verdict};
use crate::error::Result;
use crate::event::Recorded;
use crate::memberships::AffiliationFold;
use crate::model::View;

/// Memberships, meetings and the names that identify members: from the
/// games registered and the `facts` known at seq `seq`.
pub(super) fn affiliations(
    view: &View<'_>,
    seq: u64,
    facts: &[Recorded],
) -> Result<AffiliationFold> {
    let mut fold = AffiliationFold::new();
    view.each_games(seq, |g| {
        fold.apply(&g.record);
        Ok(())
    })?;
    for r in facts {
        fold.apply(r);
    }
    Ok(fold)
}

/// `affiliations` as known now.
fn affiliations_now(view: &View<'_>) -> Result<AffiliationFold> {
    let seq = view.known_at(None)?;
    affiliations(view, seq, &view.facts(seq)?)
}

#[derive(Serialize)]
struct HeldOut {
    organisation: String,
    role: Option<String>,
    since: String,
    member: String,
    source: Option<String>,
    seq: u64,
}

/// `podium memberships MEMBER [--as-of DATE]`.
pub fn memberships(
    view: &View<'_>,
    member: &str,
    as_of: Date,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    let fold = affiliations_now(view)?;
    let held: Vec<HeldOut> = fold
        .held(member, as_of)
        .into_iter()
        .map(|h| HeldOut {
            organisation: h.membership.organisation,
            role: h.membership.role,
            since: h.since.to_string(),
            member: h.membership.member,
            source: h.source,
            seq: h.seq,
        })
        .collect();
    match format {
        Format::Json => output::json(out, &held),
        Format::Text | Format::Csv => {
            if held.is_empty() {
                writeln!(out, "{member}: no memberships as of {as_of}").map_err(out_err)?;
                return Ok(());
            }
            writeln!(out, "{member} as of {as_of}:").map_err(out_err)?;
            let rows: Vec<Vec<String>> = held
                .iter()
                .map(|h| {
                    vec![
                        h.organisation.clone(),
                        cell(h.role.as_ref()),
                        h.since.clone(),
                        h.member.clone(),
                    ]
                })
                .collect();
            use Align::Left;
            text_table(
                out,
                &["organisation", "role", "since", "as"],
                &[Left; 4],
                &rows,
            )
        }
    }
}

/// `podium meetings [--from] [--to] [--with NAME]`.
pub fn meetings(
    view: &View<'_>,
    from: Option<Date>,
    to: Option<Date>,
    with: Option<&str>,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    let fold = affiliations_now(view)?;
    let found = fold.meetings(from, to, with);
    if format == Format::Json {
        #[derive(Serialize)]
        struct MeetingOut<'a> {
            date: String,
            place: &'a str,
            subject: &'a str,
            participants: &'a [crate::event::Participant],
            source: Option<&'a str>,
            seq: u64,
        }
        let list: Vec<MeetingOut> = found
            .iter()
            .map(|m| MeetingOut {
                date: m.date.to_string(),
                place: &m.meeting.place,
                subject: &m.meeting.subject,
                participants: &m.meeting.participants,
                source: m.source.as_deref(),
                seq: m.seq,
            })
            .collect();
        return output::json(out, &list);
    }
    for (i, m) in found.iter().enumerate() {
        if i > 0 {
            writeln!(out).map_err(out_err)?;
        }
        writeln!(out, "{}  {}", m.date, m.meeting.place).map_err(out_err)?;
        for p in &m.meeting.participants {
            let detail: Vec<&str> = [p.role.as_deref(), p.body.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            if detail.is_empty() {
                writeln!(out, "  - {}", p.name).map_err(out_err)?;
            } else {
                writeln!(out, "  - {} ({})", p.name, detail.join(", ")).map_err(out_err)?;
            }
        }
        writeln!(out, "  subject: {}", m.meeting.subject).map_err(out_err)?;
        if let Some(s) = &m.source {
            writeln!(out, "  source: {s}").map_err(out_err)?;
        }
    }
    Ok(())
}

/// The publisher part of a citation ("Azernews" of `Azernews, "Title", date, URL`).
fn publisher(source: Option<&String>) -> &str {
    source.map_or("no source", |s| s.split(", \"").next().unwrap_or(s))
}

/// A claim in words: "tokyo-2020-paralympics AZE total = 14".
pub(super) fn describe(c: &Checked) -> String {
    let mut subject = format!("{} {} {}", c.games, c.noc, c.figure.as_str());
    if let Some(s) = &c.sport {
        subject.push_str(&format!(" in {s}"));
    }
    if let Some(a) = &c.athlete {
        subject.push_str(&format!(" for {a}"));
    }
    let bound = match c.bound {
        crate::event::Bound::Exact => "",
        crate::event::Bound::AtMost => "at most ",
        crate::event::Bound::AtLeast => "at least ",
    };
    format!("{subject} = {bound}{}", c.value)
}

/// The claims the ledger holds judged, with `more` (claims not recorded,
/// such as an article's) among them: the fold of every registration and
/// fact as known now, then of the medals of the games claimed about.
///
/// # Errors
/// Storage failures; `Damaged` when the model does not decode.
pub(super) fn judge(view: &View<'_>, more: &[Recorded]) -> Result<Vec<Checked>> {
    let seq = view.known_at(None)?;
    let mut fold = CheckFold::new();
    view.each_games(seq, |g| {
        fold.apply(&g.record);
        Ok(())
    })?;
    for r in view.facts(seq)?.iter().chain(more) {
        fold.apply(r);
    }
    for games in fold.games_claimed() {
        if let Some(g) = view.games(&games, seq)? {
            for r in view.games_records(&g, seq)? {
                fold.apply_medals(&r);
            }
            for r in view.entries(&g, None, seq)? {
                fold.apply_medals(&r);
            }
        }
    }
    Ok(fold.finish())
}

/// `podium check`: every claim with its verdict.
pub fn check(view: &View<'_>, format: Format, out: &mut impl Write) -> Result<()> {
    let checked = judge(view, &[])?;
    if format == Format::Json {
        return output::json(out, &checked);
    }
    for c in &checked {
        let cited = format!("({}, {})", publisher(c.source.as_ref()), c.date);
        print_checked(out, c, &cited)?;
    }
    print_summary(out, &checked.iter().collect::<Vec<_>>())
}

/// One judged claim as `check` prints it: its verdict, the claim, `cited`
/// (its source, or its words in an article), then what the ledger and other
/// sources say.
pub(super) fn print_checked(out: &mut impl Write, c: &Checked, cited: &str) -> Result<()> {
    let verdict = match c.verdict {
        Verdict::Confirmed => "confirmed",
        Verdict::Contradicted => "CONTRADICTED",
        Verdict::Unverifiable => "unverifiable",
    };
    writeln!(out, "{verdict:<12}  {}  {cited}", describe(c)).map_err(out_err)?;
    if let Some(l) = &c.ledger {
        writeln!(out, "              ledger says {} ({})", l.text(), l.basis).map_err(out_err)?;
    }
    for o in &c.contradicted_by {
        writeln!(
            out,
            "              contradicted by {} ({}, {})",
            o.value,
            publisher(o.source.as_ref()),
            o.date
        )
        .map_err(out_err)?;
    }
    if c.ledger.is_none() && !c.agrees_with.is_empty() {
        writeln!(
            out,
            "              agrees with {} other claim(s)",
            c.agrees_with.len()
        )
        .map_err(out_err)?;
    }
    if let Some(n) = &c.note {
        writeln!(out, "              note: {n}").map_err(out_err)?;
    }
    Ok(())
}

/// The count of verdicts, `check`'s last line.
pub(super) fn print_summary(out: &mut impl Write, checked: &[&Checked]) -> Result<()> {
    let count = |v: Verdict| checked.iter().filter(|c| c.verdict == v).count();
    writeln!(
        out,
        "{} claims: {} confirmed, {} contradicted, {} unverifiable",
        checked.len(),
        count(Verdict::Confirmed),
        count(Verdict::Contradicted),
        count(Verdict::Unverifiable)
    )
    .map_err(out_err)
}
