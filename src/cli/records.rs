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
    Ok(Incoming::new(event))
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
