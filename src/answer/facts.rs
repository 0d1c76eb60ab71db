//! Commands about people, memberships, meetings and sources' claims.

use std::collections::BTreeSet;
use std::io::Write;

use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use super::output::{self, cell, out_err, text_table, Align, Format};
use crate::claims::{CheckFold, Checked, Verdict};
use crate::error::{Error, Result};
use crate::event::{Event, Kind, MedalAwarded, Noc, Recorded};
use crate::memberships::AffiliationFold;
use crate::model::View;
use crate::people::{search, NameKey, People, Person};

#[derive(Serialize)]
struct AthleteMedal {
    games: String,
    date: String,
    sport: String,
    event: String,
    medal: String,
    noc: Noc,
    id: Uuid,
    /// Set when the award was revoked: the revocation's date and reason.
    revoked: Option<String>,
}

#[derive(Serialize)]
struct AthleteOut {
    name: String,
    aliases: Vec<String>,
    medals: Vec<AthleteMedal>,
}

/// `podium athlete NAME`: the people the name matches and their medals, as
/// known now. The awards are found through the model's name index
/// (`View::awards_naming`), so the question reads the awards that may name
/// them, not every award.
pub fn athlete(view: &View<'_>, query: &str, format: Format, out: &mut impl Write) -> Result<()> {
    let seq = view.known_at(None)?;
    let mut people = People::new();
    for r in view.facts(seq)? {
        people.apply(&r);
    }
    let query_key = NameKey::new(query);
    if query_key.is_empty() {
        return Err(Error::unknown(format!("no athlete matches {query:?}")));
    }
    // The words to look for: the query's, and those of every spelling of a
    // person the query names (an award may use any of them).
    let identified = search(&people, std::iter::empty(), query);
    let identified_keys: BTreeSet<NameKey> = identified.iter().flat_map(Person::keys).collect();
    let mut wanted = vec![query_key.words().to_vec()];
    wanted.extend(identified_keys.iter().map(|k| k.words().to_vec()));
    let awards = view.awards_naming(&wanted, |athletes| {
        athletes.iter().any(|a| {
            let key = NameKey::new(a);
            query_key.within(&key) || identified_keys.contains(&key)
        })
    })?;
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for award in &awards {
        if let Kind::MedalAwarded(m) = &award.event.kind {
            names.extend(
                m.athletes
                    .iter()
                    .filter(|a| query_key.within(&NameKey::new(a)))
                    .map(String::as_str),
            );
        }
    }
    let found: Vec<Person> = search(&people, names.iter().copied(), query);
    if found.is_empty() {
        return Err(Error::unknown(format!("no athlete matches {query:?}")));
    }
    let wanted: BTreeSet<NameKey> = found.iter().flat_map(Person::keys).collect();
    let mut mine: Vec<(&Recorded, &MedalAwarded)> = awards
        .iter()
        .filter_map(|r| match &r.event.kind {
            Kind::MedalAwarded(m)
                if m.athletes.iter().any(|a| wanted.contains(&NameKey::new(a))) =>
            {
                Some((r, m))
            }
            _ => None,
        })
        .collect();
    // In log order, as the log lists them; the listing sorts by date after.
    mine.sort_by_key(|(r, _)| r.seq);
    let mut revocations: Vec<(Uuid, String)> = Vec::new();
    for (r, _) in &mine {
        if let Some(rev) = view.revocation_of(r)? {
            if let Kind::MedalRevoked(why) = &rev.event.kind {
                revocations.push((r.event.id, format!("{}: {}", rev.event.date, why.reason)));
            }
        }
    }
    let awards: Vec<(Event, MedalAwarded)> = mine
        .into_iter()
        .map(|(r, m)| (r.event.clone(), m.clone()))
        .collect();
    let results: Vec<AthleteOut> = found
        .into_iter()
        .map(|person| {
            let keys = person.keys();
            let mut medals: Vec<AthleteMedal> = awards
                .iter()
                .filter(|(_, m)| m.athletes.iter().any(|a| keys.contains(&NameKey::new(a))))
                .map(|(e, m)| AthleteMedal {
                    games: m.games.to_string(),
                    date: e.date.to_string(),
                    sport: m.sport.clone(),
                    event: m.event.clone(),
                    medal: m.medal.to_string(),
                    noc: m.noc,
                    id: e.id,
                    revoked: revocations
                        .iter()
                        .find(|(id, _)| *id == e.id)
                        .map(|(_, why)| why.clone()),
                })
                .collect();
            medals.sort_by(|a, b| (&a.date, &a.games).cmp(&(&b.date, &b.games)));
            AthleteOut {
                name: person.name,
                aliases: person.aliases,
                medals,
            }
        })
        .collect();
    if format == Format::Json {
        return output::json(out, &results);
    }
    for (i, p) in results.iter().enumerate() {
        if i > 0 {
            writeln!(out).map_err(out_err)?;
        }
        let aliases = if p.aliases.is_empty() {
            String::new()
        } else {
            format!(" (also written {})", p.aliases.join(", "))
        };
        let in_force = p.medals.iter().filter(|m| m.revoked.is_none()).count();
        writeln!(out, "{}{aliases}: {in_force} medal(s)", p.name).map_err(out_err)?;
        let rows: Vec<Vec<String>> = p
            .medals
            .iter()
            .map(|m| {
                vec![
                    m.games.clone(),
                    m.date.clone(),
                    m.noc.to_string(),
                    m.medal.clone(),
                    format!("{}, {}", m.sport, m.event),
                    m.revoked
                        .as_ref()
                        .map(|r| format!("revoked {r}"))
                        .unwrap_or_default(),
                ]
            })
            .collect();
        if !rows.is_empty() {
            use Align::Left;
            text_table(
                out,
                &["games", "date", "noc", "medal", "event", "note"],
                &[Left; 6],
                &rows,
            )?;
        }
    }
    Ok(())
}

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

fn describe(c: &Checked) -> String {
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

/// `podium check`: every claim with its verdict.
pub fn check(view: &View<'_>, format: Format, out: &mut impl Write) -> Result<()> {
    let seq = view.known_at(None)?;
    let mut fold = CheckFold::new();
    view.each_games(seq, |g| {
        fold.apply(&g.record);
        Ok(())
    })?;
    for r in view.facts(seq)? {
        fold.apply(&r);
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
    let checked = fold.finish();
    if format == Format::Json {
        return output::json(out, &checked);
    }
    let count = |v: Verdict| checked.iter().filter(|c| c.verdict == v).count();
    for c in &checked {
        let verdict = match c.verdict {
            Verdict::Confirmed => "confirmed",
            Verdict::Contradicted => "CONTRADICTED",
            Verdict::Unverifiable => "unverifiable",
        };
        writeln!(
            out,
            "{verdict:<12}  {}  ({}, {})",
            describe(c),
            publisher(c.source.as_ref()),
            c.date
        )
        .map_err(out_err)?;
        if let Some(l) = &c.ledger {
            let value = match (l.value, l.at_most) {
                (None, _) => "none".to_owned(),
                (Some(v), None) => v.to_string(),
                (Some(v), Some(u32::MAX)) => format!("{v} or more"),
                (Some(v), Some(most)) => format!("{v} to {most}"),
            };
            writeln!(out, "              ledger says {value} ({})", l.basis).map_err(out_err)?;
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
    }
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
