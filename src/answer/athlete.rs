//! `podium athlete NAME`: the people a name matches, their medals (found
//! through the model's name index) and their entries (`athletes_entered`),
//! as known now: a medallist is one person in `entries`, `medals` and here,
//! whatever spelling a source used (`person_identified`).

use std::collections::BTreeSet;
use std::io::Write;

use serde::Serialize;
use uuid::Uuid;

use super::output::{self, out_err, text_table, Align, Format};
use crate::error::{Error, Result};
use crate::event::{AthletesEntered, Entrant, Event, Kind, MedalAwarded, Noc, Recorded};
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

/// A games the athlete was entered in.
#[derive(Serialize)]
struct AthleteEntry {
    games: String,
    noc: Noc,
    sports: Vec<String>,
    alternate: bool,
}

#[derive(Serialize)]
struct AthleteOut {
    name: String,
    aliases: Vec<String>,
    medals: Vec<AthleteMedal>,
    entries: Vec<AthleteEntry>,
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
    // Entrants by name (`athletes_entered`) whose names match, as awards' do.
    let entered: Vec<Recorded> = view.athletes_entered(seq)?;
    let mut entrants: Vec<(&AthletesEntered, &Entrant)> = Vec::new();
    for r in &entered {
        if let Kind::AthletesEntered(e) = &r.event.kind {
            for a in &e.entrants {
                let key = NameKey::new(&a.name);
                if query_key.within(&key) || identified_keys.contains(&key) {
                    entrants.push((e, a));
                    if query_key.within(&key) {
                        names.insert(&a.name);
                    }
                }
            }
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
            let entries = entrants
                .iter()
                .filter(|(_, a)| keys.contains(&NameKey::new(&a.name)))
                .map(|(e, a)| AthleteEntry {
                    games: e.games.to_string(),
                    noc: e.noc,
                    sports: a.sports.clone(),
                    alternate: a.alternate,
                })
                .collect();
            AthleteOut {
                name: person.name,
                aliases: person.aliases,
                medals,
                entries,
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
        let entered = match p.entries.len() {
            0 => String::new(),
            n => format!(", entered at {n} games"),
        };
        writeln!(out, "{}{aliases}: {in_force} medal(s){entered}", p.name).map_err(out_err)?;
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
        let entries: Vec<Vec<String>> = p
            .entries
            .iter()
            .map(|e| {
                vec![
                    e.games.clone(),
                    e.noc.to_string(),
                    e.sports.join("; "),
                    if e.alternate { "alternate" } else { "" }.to_owned(),
                ]
            })
            .collect();
        if !entries.is_empty() {
            use Align::Left;
            writeln!(out, "entered").map_err(out_err)?;
            text_table(
                out,
                &["games", "noc", "sports", "note"],
                &[Left; 4],
                &entries,
            )?;
        }
    }
    Ok(())
}
