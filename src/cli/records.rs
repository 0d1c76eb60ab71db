//! Building events from command-line arguments, and one-line summaries of events.

use uuid::Uuid;

use super::{AppendCommand, CommonArgs};
use crate::error::{Error, Result};
use crate::event::{
    Day, Event, GamesRegistered, Kind, MedalAwarded, MeetingHeld, Membership, Participant,
};
use crate::jsonl::Incoming;

/// An incoming event from its date, the common flags and its kind, validated.
pub fn incoming(date: &str, common: CommonArgs, kind: Kind) -> Result<Incoming> {
    let id = match common.id {
        Some(id) => id
            .parse()
            .map_err(|_| Error::invalid(format!("id {id:?} is not a UUID")))?,
        None => Uuid::now_v7(),
    };
    let event = Event {
        id,
        date: date.parse::<Day>()?,
        source: common.source,
        kind,
    };
    event.validate()?;
    Ok(Incoming {
        event,
        recorded: None,
    })
}

/// The event an `append` subcommand describes.
pub fn append_event(cmd: AppendCommand) -> Result<Incoming> {
    match cmd {
        AppendCommand::Medal {
            games,
            date,
            sport,
            event,
            medal,
            noc,
            athletes,
            common,
        } => incoming(
            &date,
            common,
            Kind::MedalAwarded(MedalAwarded {
                games: games.parse()?,
                sport,
                event,
                medal: medal.parse()?,
                noc: noc.parse()?,
                athletes,
            }),
        ),
        AppendCommand::Meeting {
            date,
            participants,
            place,
            subject,
            common,
        } => {
            let participants = participants
                .iter()
                .map(|p| {
                    let mut parts = p.splitn(3, ';').map(str::trim);
                    let name = parts.next().unwrap_or_default().to_owned();
                    let role = parts.next().filter(|s| !s.is_empty()).map(str::to_owned);
                    let body = parts.next().filter(|s| !s.is_empty()).map(str::to_owned);
                    Participant { name, role, body }
                })
                .collect();
            incoming(
                &date,
                common,
                Kind::MeetingHeld(MeetingHeld {
                    participants,
                    place,
                    subject,
                }),
            )
        }
        AppendCommand::Membership {
            date,
            member,
            organisation,
            role,
            ended,
            common,
        } => {
            let m = Membership {
                member,
                organisation,
                role,
            };
            let kind = if ended {
                Kind::MembershipEnded(m)
            } else {
                Kind::MembershipBegan(m)
            };
            incoming(&date, common, kind)
        }
        AppendCommand::Games {
            games,
            name,
            opens,
            closes,
            unranked,
            common,
        } => incoming(
            &opens,
            common,
            Kind::GamesRegistered(GamesRegistered {
                games: games.parse()?,
                name,
                closes: closes.parse()?,
                unranked: unranked.iter().map(|c| c.parse()).collect::<Result<_>>()?,
                delegations: Default::default(),
                host: None,
                season: None,
                movement: None,
            }),
        ),
    }
}

/// One line describing an event, for `podium log`.
pub fn summary(event: &Event) -> String {
    match &event.kind {
        Kind::GamesRegistered(g) => format!("{} \"{}\" until {}", g.games, g.name, g.closes),
        Kind::MedalAwarded(m) => {
            let athletes = if m.athletes.is_empty() {
                String::new()
            } else if m.athletes.len() > 3 {
                format!(" ({} and {} others)", m.athletes[0], m.athletes.len() - 1)
            } else {
                format!(" ({})", m.athletes.join(", "))
            };
            format!(
                "{} {}, {}: {} {}{athletes}",
                m.games, m.sport, m.event, m.medal, m.noc
            )
        }
        Kind::MedalRevoked(r) => format!("revokes {}: {}", r.award, r.reason),
        Kind::MeetingHeld(m) => {
            let names: Vec<&str> = m.participants.iter().map(|p| p.name.as_str()).collect();
            format!("{} at {}: {}", names.join(", "), m.place, m.subject)
        }
        Kind::MembershipBegan(m) => membership("joins", m),
        Kind::MembershipEnded(m) => membership("leaves", m),
        Kind::PersonIdentified(p) => format!("{} also written {}", p.name, p.aliases.join(", ")),
        Kind::Claim(c) => {
            let mut scope = String::new();
            if let Some(s) = &c.sport {
                scope.push_str(&format!(" in {s}"));
            }
            if let Some(a) = &c.athlete {
                scope.push_str(&format!(" for {a}"));
            }
            let bound = match c.bound {
                crate::event::Bound::Exact => "",
                crate::event::Bound::AtMost => "at most ",
                crate::event::Bound::AtLeast => "at least ",
            };
            format!(
                "{} {} {}{scope} = {bound}{}",
                c.games,
                c.noc,
                c.figure.as_str(),
                c.value
            )
        }
        Kind::DelegationSucceeded(d) => match &d.note {
            Some(note) => format!("{} continues {}: {note}", d.successor, d.predecessor),
            None => format!("{} continues {}", d.successor, d.predecessor),
        },
    }
}

fn membership(verb: &str, m: &Membership) -> String {
    match &m.role {
        Some(role) => format!("{} {verb} {} as {role}", m.member, m.organisation),
        None => format!("{} {verb} {}", m.member, m.organisation),
    }
}
