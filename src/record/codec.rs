//! The on-disk record format: a versioned envelope around each event, with
//! one fixed bincode configuration. The only code that knows bincode.
//!
//! A block value is `[FORMAT_VERSION][entry]*`, each entry `[len: u32 LE]
//! [record: len bytes][hash: 32 bytes]`, where `hash = blake3(previous hash ||
//! record bytes)`. A record is one of two envelopes:
//! - version 1, `RecordV1` in bincode: every record written before podium
//!   kept who recorded an event;
//! - version 2, the bytes `[RECORD_V2_MARK, 2]` then `RecordV2` in bincode:
//!   version 1's fields in the same order, then `recorded_by`. The mark is a
//!   byte no version-1 record can begin with (bincode's variable-length
//!   integers never begin with 255, and a record begins with its seq), so the
//!   two are told apart by their first byte, a block may hold both, and the
//!   hash chain covers the version and the recorder.
//!
//! An event with a recorder is written as version 2, one without as version
//! 1, so every record encodes back to exactly its bytes. Decoding checks that
//! every byte was used, and re-validates the event (the paired assertion of
//! the checks made when it was written).
//!
//! The stored types here are not the domain types: renaming a domain field
//! must never change what is on disk. Golden fixtures in tests/data pin it.

use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::event::{
    AthletesEntered, Bound, Claim, Day, DelegationSucceeded, Entrant, EntrantsPublished, Event,
    Figure, GamesId, GamesRegistered, Kind, Medal, MedalAwarded, MedalRevoked, MeetingHeld,
    Membership, Movement, Noc, Participant, PersonIdentified, Precision, Recorded, Season,
    SportEntrants, TallyPublished,
};
use crate::wire;

/// The envelope version written by this build. A block with any other version is refused.
pub const FORMAT_VERSION: u8 = 1;
/// Largest record accepted when decoding, so a corrupt length cannot ask for gigabytes.
pub const RECORD_BYTES_MAX: usize = 1 << 20;
/// Bytes of a hash link.
pub const HASH_BYTES: usize = 32;

type Config = bincode::config::Configuration<
    bincode::config::LittleEndian,
    bincode::config::Varint,
    bincode::config::Limit<RECORD_BYTES_MAX>,
>;

const fn config() -> Config {
    bincode::config::standard().with_limit::<RECORD_BYTES_MAX>()
}

/// A stored civil day.
#[derive(Serialize, Deserialize, Clone, Copy)]
struct DayV1 {
    year: i16,
    month: i8,
    day: i8,
}

/// `DateV1::precision` of a span, the one precision followed by a second day.
const PRECISION_SPAN: u8 = 3;

/// A stored date: its first day and its precision (0 day, 1 month, 2 year,
/// 3 span), and for a span only, its last day after them.
///
/// Why the last day is where it is: bincode writes fields one after the other
/// with no names or lengths, and a record's date sits in the middle of it. A
/// field added to every date would change the bytes of every record ever
/// written. A span instead uses precision 3, which no earlier record holds,
/// and only that value is followed by more bytes, so each date of day, month
/// or year precision is encoded exactly as before, and a record in a log
/// written before spans existed decodes as it always did.
#[derive(Clone, Copy)]
struct DateV1 {
    first: DayV1,
    precision: u8,
    last: Option<DayV1>,
}

impl Serialize for DateV1 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let mut fields = s.serialize_tuple(2 + usize::from(self.last.is_some()))?;
        fields.serialize_element(&self.first)?;
        fields.serialize_element(&self.precision)?;
        if let Some(last) = &self.last {
            fields.serialize_element(last)?;
        }
        fields.end()
    }
}

impl<'de> Deserialize<'de> for DateV1 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<DateV1, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = DateV1;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date: first day, precision, and a last day after a span's")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<DateV1, A::Error> {
                let missing = || serde::de::Error::custom("date ends early");
                let first = seq.next_element()?.ok_or_else(missing)?;
                let precision = seq.next_element()?.ok_or_else(missing)?;
                let last = match precision {
                    PRECISION_SPAN => Some(seq.next_element()?.ok_or_else(missing)?),
                    _ => None,
                };
                Ok(DateV1 {
                    first,
                    precision,
                    last,
                })
            }
        }
        // bincode reads a tuple's elements as the visitor asks for them, so
        // the 3 here is the most a date holds, not a count in the bytes.
        d.deserialize_tuple(3, Fields)
    }
}

#[derive(Serialize, Deserialize)]
struct ParticipantV1 {
    name: String,
    role: Option<String>,
    body: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct MembershipV1 {
    member: String,
    organisation: String,
    role: Option<String>,
}

/// What every games registration stores. Held in a variant as one value, it
/// is encoded exactly as the variant's own fields were before.
#[derive(Serialize, Deserialize)]
struct GamesV1 {
    games: String,
    name: String,
    closes: DateV1,
    unranked: Vec<[u8; 3]>,
    delegations: Vec<([u8; 3], String)>,
    host: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct EntrantV1 {
    name: String,
    sports: Vec<String>,
    alternate: bool,
}

#[derive(Serialize, Deserialize)]
struct SportEntrantsV1 {
    sport: String,
    men: u32,
    women: u32,
}

/// Variants are only ever added at the end: bincode stores the variant index.
#[derive(Serialize, Deserialize)]
enum BodyV1 {
    /// A games registration with neither season nor movement.
    GamesRegistered(GamesV1),
    MedalAwarded {
        games: String,
        sport: String,
        event: String,
        /// 0 gold, 1 silver, 2 bronze.
        medal: u8,
        noc: [u8; 3],
        athletes: Vec<String>,
    },
    MedalRevoked {
        award: [u8; 16],
        reason: String,
    },
    MeetingHeld {
        participants: Vec<ParticipantV1>,
        place: String,
        subject: String,
    },
    MembershipBegan(MembershipV1),
    MembershipEnded(MembershipV1),
    PersonIdentified {
        name: String,
        aliases: Vec<String>,
        noc: Option<[u8; 3]>,
    },
    Claim {
        games: String,
        noc: [u8; 3],
        /// Index in `FIGURES`.
        figure: u8,
        value: u32,
        /// 0 exact, 1 at most, 2 at least.
        bound: u8,
        sport: Option<String>,
        athlete: Option<String>,
        quote: Option<String>,
    },
    /// A games registration that gives its season, its movement or both.
    /// One that gives neither is `GamesRegistered`, so that the records
    /// written before these fields existed keep their bytes; decoding refuses
    /// this variant without either, so each registration has one encoding.
    GamesRegisteredClassified {
        games: GamesV1,
        /// Index in `SEASONS`.
        season: Option<u8>,
        /// Index in `MOVEMENTS`.
        movement: Option<u8>,
    },
    DelegationSucceeded {
        predecessor: [u8; 3],
        successor: [u8; 3],
        note: Option<String>,
    },
    /// Medal counts without medallists. Its first fields are a medal's
    /// (games, sport, in that order) so that a peek reads them alike.
    TallyPublished {
        games: String,
        sport: String,
        noc: [u8; 3],
        gold: u32,
        silver: u32,
        bronze: u32,
    },
    AthletesEntered {
        games: String,
        noc: [u8; 3],
        entrants: Vec<EntrantV1>,
    },
    EntrantsPublished {
        games: String,
        noc: [u8; 3],
        sports: Vec<SportEntrantsV1>,
    },
}

#[derive(Serialize, Deserialize)]
struct RecordV1 {
    seq: u64,
    id: [u8; 16],
    recorded_s: i64,
    recorded_ns: i32,
    date: DateV1,
    source: Option<String>,
    body: BodyV1,
}

/// Version 2: version 1's fields, then who recorded the event. Its bytes
/// follow `[RECORD_V2_MARK, 2]`.
#[derive(Serialize, Deserialize)]
struct RecordV2 {
    seq: u64,
    id: [u8; 16],
    recorded_s: i64,
    recorded_ns: i32,
    date: DateV1,
    source: Option<String>,
    body: BodyV1,
    recorded_by: String,
}

/// The first byte of a record of version 2 or later, then its version. A
/// version-1 record begins with its seq as a bincode variable-length integer,
/// whose first byte is below 251 or one of 251-254 (the width that follows):
/// never 255.
pub const RECORD_V2_MARK: u8 = 0xff;
/// The record version that follows the mark.
const RECORD_V2: u8 = 2;

/// The on-disk index of each value of these enums (in `FIGURES`, `SEASONS`, `MOVEMENTS`).
/// Deliberately not `Figure::ALL` and the like: reordering a domain enum must never
/// change what is stored.
const FIGURES: [Figure; 9] = [
    Figure::Gold,
    Figure::Silver,
    Figure::Bronze,
    Figure::Total,
    Figure::Rank,
    Figure::Athletes,
    Figure::Sports,
    Figure::Medallists,
    Figure::TotalBefore,
];
const SEASONS: [Season; 2] = [Season::Summer, Season::Winter];
const MOVEMENTS: [Movement; 3] = [Movement::Olympic, Movement::Paralympic, Movement::Youth];

/// The on-disk index of `value` in its table.
fn code_out<T: PartialEq + std::fmt::Debug>(table: &[T], value: T) -> u8 {
    let i = table
        .iter()
        .position(|v| *v == value)
        .unwrap_or_else(|| panic!("{value:?} is missing from its table of codes"));
    u8::try_from(i).expect("a table of codes is short")
}

/// The value of a stored index, or `Corrupt` naming `what` for an unknown one.
fn code_in<T: Copy>(table: &[T], code: u8, what: &str) -> Result<T> {
    table
        .get(usize::from(code))
        .copied()
        .ok_or_else(|| Error::corrupt(format!("unknown {what} {code}")))
}

fn day_out(d: Date) -> DayV1 {
    DayV1 {
        year: d.year(),
        month: d.month(),
        day: d.day(),
    }
}

fn day_in(d: DayV1) -> Result<Date> {
    Date::new(d.year, d.month, d.day).map_err(|e| Error::corrupt(format!("stored date: {e}")))
}

fn date_out(d: Day) -> DateV1 {
    let precision = match d.precision() {
        Precision::Day => 0,
        Precision::Month => 1,
        Precision::Year => 2,
        Precision::Span => PRECISION_SPAN,
    };
    DateV1 {
        first: day_out(d.first()),
        precision,
        last: d.is_span().then(|| day_out(d.last())),
    }
}

fn date_in(d: DateV1) -> Result<Day> {
    let first = day_in(d.first)?;
    let precision = match (d.precision, d.last) {
        (0, None) => Precision::Day,
        (1, None) => Precision::Month,
        (2, None) => Precision::Year,
        (PRECISION_SPAN, Some(last)) => return Day::span(first, day_in(last)?),
        (p, _) => return Err(Error::corrupt(format!("unknown date precision {p}"))),
    };
    Day::with_precision(first, precision)
}

fn noc_in(code: [u8; 3]) -> Result<Noc> {
    std::str::from_utf8(&code)
        .map_err(|_| Error::corrupt("stored delegation code is not ASCII"))?
        .parse()
}

fn noc_out(noc: Noc) -> [u8; 3] {
    let b = noc.as_str().as_bytes();
    [b[0], b[1], b[2]]
}

fn membership_out(m: &Membership) -> MembershipV1 {
    MembershipV1 {
        member: m.member.clone(),
        organisation: m.organisation.clone(),
        role: m.role.clone(),
    }
}

fn membership_in(m: MembershipV1) -> Membership {
    Membership {
        member: m.member,
        organisation: m.organisation,
        role: m.role,
    }
}

fn body_out(kind: &Kind) -> BodyV1 {
    match kind {
        Kind::GamesRegistered(g) => {
            let games = GamesV1 {
                games: g.games.to_string(),
                name: g.name.clone(),
                closes: date_out(g.closes),
                unranked: g.unranked.iter().copied().map(noc_out).collect(),
                delegations: g
                    .delegations
                    .iter()
                    .map(|(k, v)| (noc_out(*k), v.clone()))
                    .collect(),
                host: g.host.clone(),
            };
            match (g.season, g.movement) {
                (None, None) => BodyV1::GamesRegistered(games),
                (season, movement) => BodyV1::GamesRegisteredClassified {
                    games,
                    season: season.map(|s| code_out(&SEASONS, s)),
                    movement: movement.map(|m| code_out(&MOVEMENTS, m)),
                },
            }
        }
        Kind::MedalAwarded(m) => BodyV1::MedalAwarded {
            games: m.games.to_string(),
            sport: m.sport.clone(),
            event: m.event.clone(),
            medal: m.medal as u8,
            noc: noc_out(m.noc),
            athletes: m.athletes.clone(),
        },
        Kind::MedalRevoked(r) => BodyV1::MedalRevoked {
            award: *r.award.as_bytes(),
            reason: r.reason.clone(),
        },
        Kind::MeetingHeld(m) => BodyV1::MeetingHeld {
            participants: m
                .participants
                .iter()
                .map(|p| ParticipantV1 {
                    name: p.name.clone(),
                    role: p.role.clone(),
                    body: p.body.clone(),
                })
                .collect(),
            place: m.place.clone(),
            subject: m.subject.clone(),
        },
        Kind::MembershipBegan(m) => BodyV1::MembershipBegan(membership_out(m)),
        Kind::MembershipEnded(m) => BodyV1::MembershipEnded(membership_out(m)),
        Kind::PersonIdentified(p) => BodyV1::PersonIdentified {
            name: p.name.clone(),
            aliases: p.aliases.clone(),
            noc: p.noc.map(noc_out),
        },
        Kind::Claim(c) => BodyV1::Claim {
            games: c.games.to_string(),
            noc: noc_out(c.noc),
            figure: code_out(&FIGURES, c.figure),
            value: c.value,
            bound: match c.bound {
                Bound::Exact => 0,
                Bound::AtMost => 1,
                Bound::AtLeast => 2,
            },
            sport: c.sport.clone(),
            athlete: c.athlete.clone(),
            quote: c.quote.clone(),
        },
        Kind::DelegationSucceeded(d) => BodyV1::DelegationSucceeded {
            predecessor: noc_out(d.predecessor),
            successor: noc_out(d.successor),
            note: d.note.clone(),
        },
        Kind::TallyPublished(t) => BodyV1::TallyPublished {
            games: t.games.to_string(),
            sport: t.sport.clone(),
            noc: noc_out(t.noc),
            gold: t.gold,
            silver: t.silver,
            bronze: t.bronze,
        },
        Kind::AthletesEntered(e) => BodyV1::AthletesEntered {
            games: e.games.to_string(),
            noc: noc_out(e.noc),
            entrants: e
                .entrants
                .iter()
                .map(|a| EntrantV1 {
                    name: a.name.clone(),
                    sports: a.sports.clone(),
                    alternate: a.alternate,
                })
                .collect(),
        },
        Kind::EntrantsPublished(e) => BodyV1::EntrantsPublished {
            games: e.games.to_string(),
            noc: noc_out(e.noc),
            sports: e
                .sports
                .iter()
                .map(|s| SportEntrantsV1 {
                    sport: s.sport.clone(),
                    men: s.men,
                    women: s.women,
                })
                .collect(),
        },
    }
}

fn games_in(
    g: GamesV1,
    season: Option<Season>,
    movement: Option<Movement>,
) -> Result<GamesRegistered> {
    Ok(GamesRegistered {
        games: g.games.parse()?,
        name: g.name,
        closes: date_in(g.closes)?,
        unranked: g.unranked.into_iter().map(noc_in).collect::<Result<_>>()?,
        delegations: g
            .delegations
            .into_iter()
            .map(|(k, v)| Ok((noc_in(k)?, v)))
            .collect::<Result<_>>()?,
        host: g.host,
        season,
        movement,
    })
}

fn body_in(body: BodyV1) -> Result<Kind> {
    let games_id_in = |s: String| s.parse::<GamesId>();
    Ok(match body {
        BodyV1::GamesRegistered(games) => Kind::GamesRegistered(games_in(games, None, None)?),
        BodyV1::GamesRegisteredClassified {
            games,
            season,
            movement,
        } => {
            if season.is_none() && movement.is_none() {
                return Err(Error::corrupt(
                    "classified games registration has neither season nor movement",
                ));
            }
            let season = season.map(|s| code_in(&SEASONS, s, "season")).transpose()?;
            let movement = movement
                .map(|m| code_in(&MOVEMENTS, m, "movement"))
                .transpose()?;
            Kind::GamesRegistered(games_in(games, season, movement)?)
        }
        BodyV1::MedalAwarded {
            games,
            sport,
            event,
            medal,
            noc,
            athletes,
        } => Kind::MedalAwarded(MedalAwarded {
            games: games_id_in(games)?,
            sport,
            event,
            medal: code_in(&Medal::ALL, medal, "medal")?,
            noc: noc_in(noc)?,
            athletes,
        }),
        BodyV1::MedalRevoked { award, reason } => Kind::MedalRevoked(MedalRevoked {
            award: Uuid::from_bytes(award),
            reason,
        }),
        BodyV1::MeetingHeld {
            participants,
            place,
            subject,
        } => Kind::MeetingHeld(MeetingHeld {
            participants: participants
                .into_iter()
                .map(|p| Participant {
                    name: p.name,
                    role: p.role,
                    body: p.body,
                })
                .collect(),
            place,
            subject,
        }),
        BodyV1::MembershipBegan(m) => Kind::MembershipBegan(membership_in(m)),
        BodyV1::MembershipEnded(m) => Kind::MembershipEnded(membership_in(m)),
        BodyV1::PersonIdentified { name, aliases, noc } => {
            Kind::PersonIdentified(PersonIdentified {
                name,
                aliases,
                noc: noc.map(noc_in).transpose()?,
            })
        }
        BodyV1::Claim {
            games,
            noc,
            figure,
            value,
            bound,
            sport,
            athlete,
            quote,
        } => Kind::Claim(Claim {
            games: games_id_in(games)?,
            noc: noc_in(noc)?,
            figure: code_in(&FIGURES, figure, "figure")?,
            value,
            bound: match bound {
                0 => Bound::Exact,
                1 => Bound::AtMost,
                2 => Bound::AtLeast,
                b => return Err(Error::corrupt(format!("unknown bound {b}"))),
            },
            sport,
            athlete,
            quote,
        }),
        BodyV1::DelegationSucceeded {
            predecessor,
            successor,
            note,
        } => Kind::DelegationSucceeded(DelegationSucceeded {
            predecessor: noc_in(predecessor)?,
            successor: noc_in(successor)?,
            note,
        }),
        BodyV1::TallyPublished {
            games,
            sport,
            noc,
            gold,
            silver,
            bronze,
        } => Kind::TallyPublished(TallyPublished {
            games: games_id_in(games)?,
            noc: noc_in(noc)?,
            sport,
            gold,
            silver,
            bronze,
        }),
        BodyV1::AthletesEntered {
            games,
            noc,
            entrants,
        } => Kind::AthletesEntered(AthletesEntered {
            games: games_id_in(games)?,
            noc: noc_in(noc)?,
            entrants: entrants
                .into_iter()
                .map(|a| Entrant {
                    name: a.name,
                    sports: a.sports,
                    alternate: a.alternate,
                })
                .collect(),
        }),
        BodyV1::EntrantsPublished { games, noc, sports } => {
            Kind::EntrantsPublished(EntrantsPublished {
                games: games_id_in(games)?,
                noc: noc_in(noc)?,
                sports: sports
                    .into_iter()
                    .map(|s| SportEntrants {
                        sport: s.sport,
                        men: s.men,
                        women: s.women,
                    })
                    .collect(),
            })
        }
    })
}

/// Encodes one logged event as record bytes: version 2 when it names who
/// recorded it, else version 1.
pub fn encode_record(r: &Recorded) -> Vec<u8> {
    let (date, source, body) = (
        date_out(r.event.date),
        r.event.source.clone(),
        body_out(&r.event.kind),
    );
    let (seq, id) = (r.seq, *r.event.id.as_bytes());
    let (recorded_s, recorded_ns) = (r.recorded.as_second(), r.recorded.subsec_nanosecond());
    match &r.recorded_by {
        None => bincode::serde::encode_to_vec(
            RecordV1 {
                seq,
                id,
                recorded_s,
                recorded_ns,
                date,
                source,
                body,
            },
            config(),
        )
        .expect("a record always encodes"),
        Some(by) => {
            let mut bytes = vec![RECORD_V2_MARK, RECORD_V2];
            bincode::serde::encode_into_std_write(
                RecordV2 {
                    seq,
                    id,
                    recorded_s,
                    recorded_ns,
                    date,
                    source,
                    body,
                    recorded_by: by.clone(),
                },
                &mut bytes,
                config(),
            )
            .expect("a record always encodes");
            bytes
        }
    }
}

/// The record's version and the bytes of its bincode after the mark.
fn envelope(bytes: &[u8]) -> Result<(u8, &[u8])> {
    match bytes {
        [RECORD_V2_MARK, RECORD_V2, rest @ ..] => Ok((RECORD_V2, rest)),
        [RECORD_V2_MARK, version, ..] => Err(Error::corrupt(format!(
            "unknown record version {version} (this build reads versions 1 and 2); \
             a newer podium may have written it"
        ))),
        [RECORD_V2_MARK] => Err(Error::corrupt("record does not decode: it ends early")),
        _ => Ok((1, bytes)),
    }
}

/// Decodes bincode of type `T` that must use every byte.
fn decode_whole<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    let (value, used): (T, usize) = bincode::serde::decode_from_slice(bytes, config())
        .map_err(|e| Error::corrupt(format!("record does not decode: {e}")))?;
    if used != bytes.len() {
        return Err(Error::corrupt(format!(
            "record has {} trailing bytes",
            bytes.len() - used
        )));
    }
    Ok(value)
}

/// Decodes record bytes of either version, checking that every byte was
/// used and that the event (and its recorder) is valid.
///
/// # Errors
/// `Corrupt` when the bytes are not a valid record.
pub fn decode_record(bytes: &[u8]) -> Result<Recorded> {
    let record = match envelope(bytes)? {
        (RECORD_V2, rest) => {
            let r: RecordV2 = decode_whole(rest)?;
            let v1 = RecordV1 {
                seq: r.seq,
                id: r.id,
                recorded_s: r.recorded_s,
                recorded_ns: r.recorded_ns,
                date: r.date,
                source: r.source,
                body: r.body,
            };
            (v1, Some(r.recorded_by))
        }
        (_, rest) => (decode_whole::<RecordV1>(rest)?, None),
    };
    let (record, recorded_by) = record;
    let corrupt = |e: Error| Error::corrupt(e.to_string());
    if let Some(by) = &recorded_by {
        crate::event::check_recorder(by).map_err(corrupt)?;
    }
    let recorded = Timestamp::new(record.recorded_s, record.recorded_ns)
        .map_err(|e| Error::corrupt(format!("stored time: {e}")))?;
    let event = Event {
        id: Uuid::from_bytes(record.id),
        date: date_in(record.date).map_err(corrupt)?,
        source: record.source,
        kind: body_in(record.body).map_err(corrupt)?,
    };
    event.validate().map_err(corrupt)?;
    Ok(Recorded {
        seq: record.seq,
        recorded,
        recorded_by,
        event,
    })
}

/// The fields of a stored record that the read model is built from, read
/// without copying: a rebuild reads every record of the log, and decoding
/// each whole (every string allocated, the event re-validated) was most of
/// its time. Only for records whose hash link was checked, which proves them
/// the bytes an append validated and wrote; a registration, which the model
/// keeps whole, is decoded with `decode_record`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peek<'a> {
    pub seq: u64,
    pub recorded: Timestamp,
    pub date: Day,
    pub body: PeekBody<'a>,
}

/// What a `Peek` tells of the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeekBody<'a> {
    Registered,
    Awarded {
        games: &'a str,
        sport: &'a str,
        event: &'a str,
        noc: Noc,
        medal: Medal,
        athletes: Names<'a>,
    },
    Revoked {
        award: Uuid,
    },
    Succeeded,
    /// A tally (`tally_published`): medal counts without medallists.
    Tally {
        games: &'a str,
        sport: &'a str,
        noc: Noc,
        gold: u32,
        silver: u32,
        bronze: u32,
    },
    /// Entries of a delegation: by name (`athletes_entered`, `named`) or
    /// counted per sport (`entrants_published`).
    Entered {
        games: &'a str,
        noc: Noc,
        named: bool,
    },
    Other,
}

/// The athletes of a peeked award, read from its bytes one at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Names<'a> {
    /// The names' bytes: each a length (varint) and UTF-8.
    bytes: &'a [u8],
    count: u64,
}

impl<'a> Names<'a> {
    /// How many names there are.
    pub fn len(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The names, in order; one that does not read back as UTF-8 is an error.
    pub fn iter(&self) -> impl Iterator<Item = Result<&'a str>> + 'a {
        let mut r = wire::Reader::new(self.bytes);
        (0..self.count).map(move |_| {
            let bytes = r
                .bytes()
                .map_err(|_| Error::corrupt("record does not decode: an athlete ends early"))?;
            std::str::from_utf8(bytes)
                .map_err(|_| Error::corrupt("record does not decode: an athlete is not UTF-8"))
        })
    }
}

/// `BodyV1`'s indexes that a peek tells apart (bincode stores the variant's
/// index; the golden records of tests/data pin them).
const BODY_GAMES_REGISTERED: u64 = 0;
const BODY_MEDAL_AWARDED: u64 = 1;
const BODY_MEDAL_REVOKED: u64 = 2;
const BODY_GAMES_REGISTERED_CLASSIFIED: u64 = 8;
const BODY_DELEGATION_SUCCEEDED: u64 = 9;
const BODY_TALLY_PUBLISHED: u64 = 10;
const BODY_ATHLETES_ENTERED: u64 = 11;
const BODY_ENTRANTS_PUBLISHED: u64 = 12;

/// Reads what the read model needs of record bytes (see `Peek`), field by
/// field in `RecordV1`'s order (`RecordV2`'s begins the same), stopping after what it needs (the body comes
/// last). `decode_record` remains the reference: tests hold the two equal.
///
/// # Errors
/// `Corrupt` when the bytes do not begin like a record.
pub fn peek_record<'a>(bytes: &'a [u8]) -> Result<Peek<'a>> {
    let short = |_| Error::corrupt("record does not decode: it ends early");
    // Version 2 begins as version 1 does after its mark; its recorder comes
    // after the body, which a peek never reaches.
    let (_, bytes) = envelope(bytes)?;
    let mut r = wire::Reader::new(bytes);
    let seq = r.varint().map_err(short)?;
    r.take(16).map_err(short)?;
    let seconds = r.zigzag().map_err(short)?;
    let nanos = i32::try_from(r.zigzag().map_err(short)?)
        .map_err(|_| Error::corrupt("record does not decode: nanoseconds out of range"))?;
    let day = |r: &mut wire::Reader<'_>| -> Result<DayV1> {
        let year = i16::try_from(r.zigzag().map_err(short)?)
            .map_err(|_| Error::corrupt("record does not decode: year out of range"))?;
        Ok(DayV1 {
            year,
            month: r.byte().map_err(short)? as i8,
            day: r.byte().map_err(short)? as i8,
        })
    };
    let first = day(&mut r)?;
    let precision = r.byte().map_err(short)?;
    let last = match precision {
        PRECISION_SPAN => Some(day(&mut r)?),
        _ => None,
    };
    let date = date_in(DateV1 {
        first,
        precision,
        last,
    })?;
    if r.byte().map_err(short)? == 1 {
        r.bytes().map_err(short)?;
    }
    let text = |r: &mut wire::Reader<'a>, what: &str| -> Result<&'a str> {
        std::str::from_utf8(r.bytes().map_err(short)?)
            .map_err(|_| Error::corrupt(format!("record does not decode: {what} is not UTF-8")))
    };
    let count = |r: &mut wire::Reader<'a>| -> Result<u32> {
        u32::try_from(r.varint().map_err(short)?)
            .map_err(|_| Error::corrupt("record does not decode: a count out of range"))
    };
    let body = match r.varint().map_err(short)? {
        BODY_GAMES_REGISTERED | BODY_GAMES_REGISTERED_CLASSIFIED => PeekBody::Registered,
        BODY_MEDAL_AWARDED => {
            let games = text(&mut r, "a games id")?;
            let sport = text(&mut r, "a sport")?;
            let event = text(&mut r, "an event")?;
            let medal = code_in(&Medal::ALL, r.byte().map_err(short)?, "medal")?;
            let noc = noc_in(r.array().map_err(short)?)?;
            let count = r.varint().map_err(short)?;
            let names = r.rest();
            for _ in 0..count {
                r.bytes().map_err(short)?;
            }
            PeekBody::Awarded {
                games,
                sport,
                event,
                noc,
                medal,
                athletes: Names {
                    bytes: &names[..names.len() - r.rest().len()],
                    count,
                },
            }
        }
        BODY_MEDAL_REVOKED => PeekBody::Revoked {
            award: Uuid::from_bytes(r.array().map_err(short)?),
        },
        BODY_DELEGATION_SUCCEEDED => PeekBody::Succeeded,
        BODY_TALLY_PUBLISHED => PeekBody::Tally {
            games: text(&mut r, "a games id")?,
            sport: text(&mut r, "a sport")?,
            noc: noc_in(r.array().map_err(short)?)?,
            gold: count(&mut r)?,
            silver: count(&mut r)?,
            bronze: count(&mut r)?,
        },
        kind @ (BODY_ATHLETES_ENTERED | BODY_ENTRANTS_PUBLISHED) => PeekBody::Entered {
            games: text(&mut r, "a games id")?,
            noc: noc_in(r.array().map_err(short)?)?,
            named: kind == BODY_ATHLETES_ENTERED,
        },
        _ => PeekBody::Other,
    };
    Ok(Peek {
        seq,
        recorded: Timestamp::new(seconds, nanos)
            .map_err(|e| Error::corrupt(format!("stored time: {e}")))?,
        date,
        body,
    })
}

/// The next link of the hash chain.
pub fn link(previous: &[u8; HASH_BYTES], record: &[u8]) -> [u8; HASH_BYTES] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(previous);
    hasher.update(record);
    *hasher.finalize().as_bytes()
}

/// Builds a block value from encoded records and their hashes.
pub struct BlockWriter {
    bytes: Vec<u8>,
    count: usize,
}

impl BlockWriter {
    pub fn new() -> BlockWriter {
        BlockWriter {
            bytes: vec![FORMAT_VERSION],
            count: 0,
        }
    }

    pub fn push(&mut self, record: &[u8], hash: &[u8; HASH_BYTES]) {
        let len = u32::try_from(record.len()).expect("records are bounded");
        self.bytes.extend_from_slice(&len.to_le_bytes());
        self.bytes.extend_from_slice(record);
        self.bytes.extend_from_slice(hash);
        self.count += 1;
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

impl Default for BlockWriter {
    fn default() -> Self {
        BlockWriter::new()
    }
}

/// One entry of a block: the record's bytes and its stored hash link.
pub struct Entry<'a> {
    pub record: &'a [u8],
    pub hash: [u8; HASH_BYTES],
}

/// Splits a block value into its entries, without decoding the records.
///
/// # Errors
/// `Corrupt` on an unknown version or a framing that does not use every byte.
pub fn split_block(value: &[u8]) -> Result<Vec<Entry<'_>>> {
    let (&version, mut rest) = value
        .split_first()
        .ok_or_else(|| Error::corrupt("empty block"))?;
    if version != FORMAT_VERSION {
        return Err(Error::corrupt(format!(
            "unknown envelope version {version} (this build reads version {FORMAT_VERSION}); \
             a newer podium may have written it"
        )));
    }
    let mut entries = Vec::new();
    while !rest.is_empty() {
        if rest.len() < 4 {
            return Err(Error::corrupt("block ends inside an entry length"));
        }
        let len = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
        rest = &rest[4..];
        if len > RECORD_BYTES_MAX || rest.len() < len + HASH_BYTES {
            return Err(Error::corrupt("block ends inside an entry"));
        }
        let (record, tail) = rest.split_at(len);
        let (hash, tail) = tail.split_at(HASH_BYTES);
        entries.push(Entry {
            record,
            hash: hash.try_into().expect("32 bytes"),
        });
        rest = tail;
    }
    if entries.is_empty() {
        return Err(Error::corrupt("block has no entries"));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonl::parse_line;
    use crate::ErrorKind;

    fn sample(seq: u64) -> Recorded {
        let line = r#"{"id":"0b7e7f4e-5c1a-5d43-9a7e-1f0e2d3c4b5a","type":"medal_awarded","date":"2024-07-29","source":"test","games":"paris-2024","sport":"Judo","event":"Men -73 kg","medal":"gold","noc":"AZE","athletes":["Hidayat HEYDAROV"]}"#;
        Recorded {
            seq,
            recorded: "2024-07-29T21:00:00.123456789Z".parse().unwrap(),
            recorded_by: None,
            event: parse_line(line).unwrap().unwrap().event,
        }
    }

    #[test]
    fn a_record_round_trips() {
        let r = sample(7);
        assert_eq!(decode_record(&encode_record(&r)).unwrap(), r);
    }

    fn encode(record: &RecordV1) -> Vec<u8> {
        bincode::serde::encode_to_vec(record, config()).unwrap()
    }

    fn stored(r: &Recorded) -> RecordV1 {
        bincode::serde::decode_from_slice(&encode_record(r), config())
            .unwrap()
            .0
    }

    #[test]
    fn only_a_span_stores_a_last_day() {
        let mut r = sample(7);
        let day_bytes = encode_record(&r).len();
        r.event.date = "2024-07-27/2024-08-11".parse().unwrap();
        let bytes = encode_record(&r);
        // The last day: a year of three varint bytes, a month and a day.
        assert_eq!(bytes.len(), day_bytes + 5);
        assert_eq!(decode_record(&bytes).unwrap(), r);
        for date in ["2024-07-29", "2024-07", "2024"] {
            r.event.date = date.parse().unwrap();
            assert_eq!(encode_record(&r).len(), day_bytes, "{date}");
            assert!(stored(&r).date.last.is_none(), "{date}");
        }
    }

    #[test]
    fn a_stored_span_is_checked_like_a_parsed_one() {
        let mut record = stored(&sample(1));
        let first = record.date.first;
        record.date.precision = PRECISION_SPAN;
        for (last, expected) in [
            (first, "is one day"),
            (DayV1 { day: 1, ..first }, "ends before it begins"),
            (
                DayV1 {
                    year: first.year + 2,
                    ..first
                },
                "more than 366",
            ),
            (DayV1 { month: 13, ..first }, "stored date"),
        ] {
            record.date.last = Some(last);
            let e = decode_record(&encode(&record)).unwrap_err();
            assert!(matches!(e.kind(), ErrorKind::Corrupt(_)), "{e}");
            assert!(e.to_string().contains(expected), "{expected}: {e}");
        }
        record.date.precision = 4;
        record.date.last = None;
        let e = decode_record(&encode(&record)).unwrap_err().to_string();
        assert!(e.contains("unknown date precision 4"), "{e}");
    }

    #[test]
    fn a_classified_games_names_its_season_or_movement() {
        let line = r#"{"id":"0b7e7f4e-5c1a-5d43-9a7e-1f0e2d3c4b5a","type":"games_registered","date":"1924-01-25","games":"chamonix-1924","name":"I Olympic Winter Games","closes":"1924-02-05","unranked":[],"season":"winter"}"#;
        let r = Recorded {
            seq: 1,
            recorded: "1924-01-25T00:00:00Z".parse().unwrap(),
            recorded_by: None,
            event: parse_line(line).unwrap().unwrap().event,
        };
        assert_eq!(decode_record(&encode_record(&r)).unwrap(), r);
        let mut record = stored(&r);
        let BodyV1::GamesRegisteredClassified {
            season, movement, ..
        } = &mut record.body
        else {
            panic!("a games with a season is stored as classified");
        };
        assert_eq!((*season, *movement), (Some(1), None));
        *season = Some(2);
        let e = decode_record(&encode(&record)).unwrap_err().to_string();
        assert!(e.contains("unknown season 2"), "{e}");
        // Neither: the same games has another encoding, so this one is refused.
        if let BodyV1::GamesRegisteredClassified { season, .. } = &mut record.body {
            *season = None;
        }
        let e = decode_record(&encode(&record)).unwrap_err().to_string();
        assert!(e.contains("neither season nor movement"), "{e}");
    }

    #[test]
    fn trailing_bytes_are_refused() {
        let mut bytes = encode_record(&sample(1));
        bytes.push(0);
        let e = decode_record(&bytes).unwrap_err().to_string();
        assert!(e.contains("trailing"), "{e}");
    }

    #[test]
    fn unknown_versions_are_refused() {
        let mut block = BlockWriter::new();
        block.push(&encode_record(&sample(1)), &[0; 32]);
        let mut value = block.finish();
        value[0] = 2;
        let e = split_block(&value).err().unwrap().to_string();
        assert!(e.contains("unknown envelope version 2"), "{e}");
    }

    #[test]
    fn truncated_blocks_are_refused() {
        let mut block = BlockWriter::new();
        block.push(&encode_record(&sample(1)), &[0; 32]);
        let value = block.finish();
        for cut in 1..value.len() {
            assert!(split_block(&value[..cut]).is_err(), "cut at {cut}");
        }
        assert!(split_block(&value).is_ok());
    }

    /// Records of every kind and form: the bundled history (spans, classified
    /// games, successions, claims...) and a generated world.
    fn many_records() -> Vec<Recorded> {
        let mut text = String::new();
        for (_, file) in crate::seed::FILES {
            text.push_str(file);
        }
        let mut world = Vec::new();
        crate::generate::generate(3_000, 5, &mut world).unwrap();
        text.push_str(std::str::from_utf8(&world).unwrap());
        let mut reader = crate::jsonl::Reader::new(text.as_bytes(), "records");
        let mut out = Vec::new();
        while let Some((line, incoming)) = reader.next_event().unwrap() {
            out.push(Recorded {
                seq: line * 977,
                recorded: incoming
                    .recorded
                    .unwrap_or_else(|| Timestamp::new(-1_234_567, -89).unwrap()),
                // Both envelopes: every third record names its recorder.
                recorded_by: (line % 3 == 0).then(|| format!("editor {}", line % 7)),
                event: incoming.event,
            });
        }
        out
    }

    #[test]
    fn a_peek_agrees_with_the_whole_decode() {
        let records = many_records();
        assert!(records.len() > 25_000);
        for r in &records {
            let bytes = encode_record(r);
            assert_eq!(&decode_record(&bytes).unwrap(), r);
            assert_eq!(bytes[0] == RECORD_V2_MARK, r.recorded_by.is_some());
            let peek = peek_record(&bytes).unwrap();
            assert_eq!(
                (peek.seq, peek.recorded, peek.date),
                (r.seq, r.recorded, r.event.date)
            );
            let expected = match &r.event.kind {
                Kind::GamesRegistered(_) => PeekBody::Registered,
                Kind::MedalAwarded(m) => {
                    let PeekBody::Awarded { athletes, .. } = peek.body else {
                        panic!("an award peeks as {:?}", peek.body);
                    };
                    let names: Vec<&str> = athletes.iter().map(|a| a.unwrap()).collect();
                    assert_eq!(names, m.athletes);
                    PeekBody::Awarded {
                        games: m.games.as_str(),
                        sport: &m.sport,
                        event: &m.event,
                        noc: m.noc,
                        medal: m.medal,
                        athletes,
                    }
                }
                Kind::MedalRevoked(rev) => PeekBody::Revoked { award: rev.award },
                Kind::DelegationSucceeded(_) => PeekBody::Succeeded,
                Kind::TallyPublished(t) => PeekBody::Tally {
                    games: t.games.as_str(),
                    sport: &t.sport,
                    noc: t.noc,
                    gold: t.gold,
                    silver: t.silver,
                    bronze: t.bronze,
                },
                Kind::AthletesEntered(e) => PeekBody::Entered {
                    games: e.games.as_str(),
                    noc: e.noc,
                    named: true,
                },
                Kind::EntrantsPublished(e) => PeekBody::Entered {
                    games: e.games.as_str(),
                    noc: e.noc,
                    named: false,
                },
                _ => PeekBody::Other,
            };
            assert_eq!(peek.body, expected, "{:?}", r.event);
        }
    }

    #[test]
    fn a_peek_at_a_cut_record_fails_without_panicking() {
        for r in many_records().iter().step_by(97) {
            let bytes = encode_record(r);
            for cut in 0..bytes.len() {
                // What a cut record still holds may be enough to peek; it
                // must never panic nor read past the end.
                let _ = peek_record(&bytes[..cut]);
            }
        }
    }
}
