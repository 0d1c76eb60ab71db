//! Format stability: a fixed record of every kind, and of every code the
//! format stores as a number (medal colour, figure, bound, date precision,
//! season, movement), encoded, must give the bytes stored in
//! tests/data/golden/, so any change to the on-disk format, deliberate or
//! not, fails here first; and those bytes must decode to the same records. A
//! block of all of them, hash-chained from the zero hash, is pinned the same
//! way, and so are the records' JSON Lines (the export format).
//!
//! The records come in groups: the forms of the first format, then each
//! later group of forms added to version 1 (new kinds, new optional fields,
//! new date forms), with fixtures of its own. Adding forms adds a group and
//! its files; the fixtures of the earlier groups must not change.
//!
//! To write the fixtures of a new group: `PODIUM_BLESS=1 cargo test --test
//! golden`, then check with `git status` that only new files appeared, and
//! commit them. After a deliberate format change (a new `FORMAT_VERSION`,
//! never an edit of version 1) the same command rewrites them all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use podium::event::{
    AthletesEntered, Bound, Claim, Day, DelegationSucceeded, Entrant, EntrantsPublished, Event,
    Figure, GamesRegistered, Kind, Medal, MedalAwarded, MedalRevoked, MeetingHeld, Membership,
    Movement, Participant, PersonIdentified, Recorded, Season, SportEntrants, TallyPublished,
};
use podium::jsonl::{parse_line, write_recorded, Incoming};
use podium::record::codec::{
    decode_record, encode_record, link, split_block, BlockWriter, FORMAT_VERSION, HASH_BYTES,
};
use podium::record::hex;
use podium::ErrorKind;
use uuid::Uuid;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden")
}

fn blessing() -> bool {
    std::env::var_os("PODIUM_BLESS").is_some_and(|v| v == "1")
}

fn id(s: &str) -> Uuid {
    s.parse().unwrap()
}

fn day(s: &str) -> Day {
    s.parse().unwrap()
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

const AWARD_ID: &str = "0b7e7f4e-5c1a-5d43-9a7e-1f0e2d3c4b5a";

/// The first group: one record of each kind, with every optional field both
/// set and unset somewhere, dates of each precision, recorded times with
/// nanoseconds, and every medal colour, figure and bound.
fn records() -> Vec<Recorded> {
    let noc = |s: &str| s.parse().unwrap();
    let events = [
        (
            "2024-07-26T20:00:00Z",
            Event {
                id: id("5f0c2d1e-8a4b-5c3d-9e2f-1a0b9c8d7e6f"),
                date: day("2024-07-26"),
                source: Some(r#"IOC, "Paris 2024", 2024-07-26, https://olympics.com"#.into()),
                kind: Kind::GamesRegistered(GamesRegistered {
                    games: "paris-2024".parse().unwrap(),
                    name: "Games of the XXXIII Olympiad".into(),
                    closes: day("2024-08-11"),
                    unranked: vec![noc("AIN"), noc("EOR")],
                    delegations: BTreeMap::from([
                        (noc("AZE"), "Azerbaijan".into()),
                        (noc("FRA"), "France".into()),
                    ]),
                    host: Some("FRA".into()),
                    season: None,
                    movement: None,
                }),
            },
        ),
        (
            "2024-07-30T18:41:07.123456789Z",
            Event {
                id: id(AWARD_ID),
                date: day("2024-07-30"),
                source: None,
                kind: Kind::MedalAwarded(MedalAwarded {
                    games: "paris-2024".parse().unwrap(),
                    sport: "Judo".into(),
                    event: "Men -73 kg".into(),
                    medal: Medal::Gold,
                    noc: noc("AZE"),
                    athletes: vec!["Hidayat HEYDAROV".into()],
                }),
            },
        ),
        (
            "2024-08-05T09:00:00.000000001Z",
            Event {
                id: id("7d3c1b2a-0f9e-5d8c-8b7a-6f5e4d3c2b1a"),
                date: day("2024-08-05"),
                source: Some("CAS, decision, 2024-08-05".into()),
                kind: Kind::MedalRevoked(MedalRevoked {
                    award: id(AWARD_ID),
                    reason: "test sample retested".into(),
                }),
            },
        ),
        (
            "2024-09-12T07:30:00Z",
            Event {
                id: id("1c2d3e4f-5a6b-5c7d-8e9f-0a1b2c3d4e5f"),
                date: day("2024-09"),
                source: Some("AZERTAC, 2024-09-12".into()),
                kind: Kind::MeetingHeld(MeetingHeld {
                    participants: vec![
                        Participant {
                            name: "Thomas Bach".into(),
                            role: Some("President".into()),
                            body: Some("IOC".into()),
                        },
                        Participant {
                            name: "Ilham Aliyev".into(),
                            role: None,
                            body: None,
                        },
                    ],
                    place: "Baku".into(),
                    subject: "Sport cooperation, \"Olympism\" and the 2030 bid".into(),
                }),
            },
        ),
        (
            "2024-09-12T07:30:00Z",
            Event {
                id: id("2d3e4f5a-6b7c-5d8e-9f0a-1b2c3d4e5f60"),
                date: day("1993"),
                source: None,
                kind: Kind::MembershipBegan(Membership {
                    member: "AZE".into(),
                    organisation: "International Olympic Committee".into(),
                    role: None,
                }),
            },
        ),
        (
            "2025-06-23T12:00:00.5Z",
            Event {
                id: id("3e4f5a6b-7c8d-5e9f-8a1b-2c3d4e5f6071"),
                date: day("2025-06-23"),
                source: Some("IOC press release".into()),
                kind: Kind::MembershipEnded(Membership {
                    member: "Thomas Bach".into(),
                    organisation: "International Olympic Committee".into(),
                    role: Some("President".into()),
                }),
            },
        ),
        (
            "2025-06-23T12:00:01Z",
            Event {
                id: id("4f5a6b7c-8d9e-5f0a-9b2c-3d4e5f607182"),
                date: day("2024-07"),
                source: None,
                kind: Kind::PersonIdentified(PersonIdentified {
                    name: "Hidayat HEYDAROV".into(),
                    aliases: vec!["Hidayat Heydarov".into(), "Гидаят Гейдаров".into()],
                    noc: Some(noc("AZE")),
                }),
            },
        ),
        (
            "2025-06-24T00:00:00Z",
            Event {
                id: id("5a6b7c8d-9e0f-5a1b-8c3d-4e5f60718293"),
                date: day("2024-08-12"),
                source: Some("a newspaper, 2024-08-12".into()),
                kind: Kind::Claim(Claim {
                    games: "paris-2024".parse().unwrap(),
                    noc: noc("AZE"),
                    figure: Figure::Gold,
                    value: 2,
                    bound: Bound::AtLeast,
                    sport: Some("Judo".into()),
                    athlete: None,
                    quote: Some("“at least two golds on the mat” — ünïcödé".into()),
                }),
            },
        ),
    ];
    // Every code of an enum the format stores as a number: the other medal
    // colours, and a claim of each figure, with each bound.
    let more_awards = [(Medal::Silver, "FRA", 10), (Medal::Bronze, "AIN", 11)]
        .into_iter()
        .map(|(medal, code, n)| Event {
            id: Uuid::from_u128(0x6b7c_8d9e_0f1a_5b2c_9d4e_5f60_7182_9300 + n),
            date: day("2024-08-03"),
            source: None,
            kind: Kind::MedalAwarded(MedalAwarded {
                games: "paris-2024".parse().unwrap(),
                sport: "Boxing".into(),
                event: "Women's 54 kg".into(),
                medal,
                noc: noc(code),
                athletes: Vec::new(),
            }),
        });
    // The figures of the first format; `total_before` came later, in its group.
    let figures = &Figure::ALL[..8];
    let bounds = [Bound::Exact, Bound::AtMost, Bound::AtLeast];
    let claims = figures
        .iter()
        .copied()
        .enumerate()
        .skip(1)
        .map(|(i, figure)| Event {
            id: Uuid::from_u128(0x7c8d_9e0f_1a2b_5c3d_8e4f_6071_8293_a400 + i as u128),
            date: day("2024-08-12"),
            source: None,
            kind: Kind::Claim(Claim {
                games: "tokyo-2020-paralympics".parse().unwrap(),
                noc: noc("AZE"),
                figure,
                value: 7 * i as u32,
                bound: bounds[i % 3],
                sport: None,
                athlete: Some("Hidayat HEYDAROV".into()),
                quote: None,
            }),
        });
    let later = more_awards
        .chain(claims)
        .map(|e| ("2025-06-24T00:00:00Z", e));
    logged(1, events.into_iter().chain(later))
}

/// Events with their recorded times as the log holds them from seq `first` on.
fn logged<'a>(first: u64, events: impl IntoIterator<Item = (&'a str, Event)>) -> Vec<Recorded> {
    events
        .into_iter()
        .zip(first..)
        .map(|((recorded, event), seq)| {
            event.validate().unwrap();
            Recorded {
                seq,
                recorded: at(recorded),
                recorded_by: None,
                event,
            }
        })
        .collect()
}

/// The forms added to load the historical record (1896-2022), after
/// `records()`: dates that are spans of days (a medal of a known games but no
/// known day, and the longest span, across a new year), a games' season and
/// movement (each code, each unset once), and `delegation_succeeded` with and
/// without its note. Each form's records follow the earlier forms'.
fn historical_records() -> Vec<Recorded> {
    let noc = |s: &str| s.parse().unwrap();
    let games = |slug: &str, name: &str, closes: &str, season, movement| {
        Kind::GamesRegistered(GamesRegistered {
            games: slug.parse().unwrap(),
            name: name.into(),
            closes: day(closes),
            unranked: Vec::new(),
            delegations: BTreeMap::new(),
            host: None,
            season,
            movement,
        })
    };
    let events = [
        Event {
            id: id("1a2b3c4d-5e6f-5a70-8c83-a4b5c6d7e8f9"),
            date: day("1896-04-06/1896-04-15"),
            source: Some("olympedia.org, Athletics, Marathon, Men".into()),
            kind: Kind::MedalAwarded(MedalAwarded {
                games: "athens-1896".parse().unwrap(),
                sport: "Athletics".into(),
                event: "Marathon, Men".into(),
                medal: Medal::Gold,
                noc: noc("GRE"),
                athletes: vec!["Spyridon LOUIS".into()],
            }),
        },
        Event {
            id: id("4d5e6f70-8192-5da3-9fb6-d7e8f90a1b2c"),
            date: day("1991-12-31/1992-12-30"),
            source: None,
            kind: Kind::MembershipBegan(Membership {
                member: "EUN".into(),
                organisation: "International Olympic Committee".into(),
                role: None,
            }),
        },
        Event {
            id: id("8d9e0f1a-2b3c-5d4e-9f50-718293a4b5c6"),
            date: day("1896-04-06"),
            source: Some("olympedia.org, 1896 Summer Olympics".into()),
            kind: Kind::GamesRegistered(GamesRegistered {
                games: "athens-1896".parse().unwrap(),
                name: "Games of the I Olympiad".into(),
                closes: day("1896-04-15"),
                unranked: vec![noc("ZZX")],
                delegations: BTreeMap::from([(noc("GRE"), "Greece".into())]),
                host: Some("GRE".into()),
                season: Some(Season::Summer),
                movement: Some(Movement::Olympic),
            }),
        },
        Event {
            id: id("9e0f1a2b-3c4d-5e5f-8a61-8293a4b5c6d7"),
            date: day("1924-01-25"),
            source: None,
            kind: games(
                "chamonix-1924",
                "I Olympic Winter Games",
                "1924-02-05",
                Some(Season::Winter),
                None,
            ),
        },
        Event {
            id: id("0f1a2b3c-4d5e-5f60-9b72-93a4b5c6d7e8"),
            date: day("1960-09-18"),
            source: None,
            kind: games(
                "rome-1960-paralympics",
                "1960 Summer Paralympics",
                "1960-09-25",
                None,
                Some(Movement::Paralympic),
            ),
        },
        Event {
            id: id("2b3c4d5e-6f70-5b81-9d94-b5c6d7e8f90a"),
            date: day("1992"),
            source: Some("IOC, Olympic Charter, 1992".into()),
            kind: Kind::DelegationSucceeded(DelegationSucceeded {
                predecessor: noc("URS"),
                successor: noc("EUN"),
                note: Some("the Unified Team of twelve former Soviet republics".into()),
            }),
        },
        Event {
            id: id("3c4d5e6f-7081-5c92-8ea5-c6d7e8f90a1b"),
            date: day("1990-10-03"),
            source: None,
            kind: Kind::DelegationSucceeded(DelegationSucceeded {
                predecessor: noc("GDR"),
                successor: noc("GER"),
                note: None,
            }),
        },
    ];
    let first = records().len() as u64 + 1;
    logged(
        first,
        events
            .into_iter()
            .map(|e| ("2025-07-01T00:00:00.000000007Z", e)),
    )
}

/// The forms of record version 2, which names who recorded each event:
/// records of several kinds with a recorder (an ASCII name, a token's name
/// with punctuation, a name with accents), and one of version 1 between
/// them, as a log written before and after the change holds them (a replica
/// keeps the origin's version-1 records).
fn recorded_by_records() -> Vec<Recorded> {
    let first = (records().len() + historical_records().len()) as u64 + 1;
    let mut logged = logged(
        first,
        [
            (
                "2025-08-01T10:00:00Z",
                Event {
                    id: id("5a6b7c8d-9e0f-7a1b-8c2d-3e4f5a6b7c8d"),
                    date: day("2024-08-05"),
                    source: Some("CAS OG 24/15-16, 2024-08-10".into()),
                    kind: Kind::MedalRevoked(MedalRevoked {
                        award: id(AWARD_ID),
                        reason: "reallocated".into(),
                    }),
                },
            ),
            (
                "2025-08-01T10:00:01.5Z",
                Event {
                    id: id("6b7c8d9e-0f1a-7b2c-9d3e-4f5a6b7c8d9e"),
                    date: day("2024-08-05"),
                    source: None,
                    kind: Kind::MedalAwarded(MedalAwarded {
                        games: "paris-2024".parse().unwrap(),
                        sport: "Artistic Gymnastics".into(),
                        event: "Women's Floor Exercise".into(),
                        medal: Medal::Bronze,
                        noc: "ROU".parse().unwrap(),
                        athletes: vec!["Ana BARBOSU".into()],
                    }),
                },
            ),
            (
                "2025-08-02T00:00:00Z",
                Event {
                    id: id("7c8d9e0f-1a2b-5c3d-8e4f-5a6b7c8d9e0f"),
                    date: day("1991"),
                    source: None,
                    kind: Kind::MembershipBegan(Membership {
                        member: "AZE".into(),
                        organisation: "ICESCO".into(),
                        role: None,
                    }),
                },
            ),
            (
                "2025-08-03T00:00:00Z",
                Event {
                    id: id("8d9e0f1a-2b3c-7d4e-9f5a-6b7c8d9e0f1a"),
                    date: day("2024-09-08"),
                    source: Some("Idman.biz, 2024-09-08".into()),
                    kind: Kind::PersonIdentified(PersonIdentified {
                        name: "Raman SALEI".into(),
                        aliases: vec!["Raman Saley".into()],
                        noc: Some("AZE".parse().unwrap()),
                    }),
                },
            ),
        ],
    );
    let recorders = [
        Some("ana.lima"),
        Some("desk-2 (results)"),
        None,
        Some("Zülfiyyə Əliyeva"),
    ];
    for (r, by) in logged.iter_mut().zip(recorders) {
        r.recorded_by = by.map(str::to_owned);
    }
    logged
}

/// The forms added for the Paralympic record and who took part (issue 18),
/// after `historical_records()`: `tally_published` (with counts of several
/// digits, and all zero: a withdrawn count), `athletes_entered` (an
/// alternate, an athlete in two sports, and no one), `entrants_published`,
/// a games of the movement `youth`, and a claim of the figure `total_before`.
fn counts_and_entries_records() -> Vec<Recorded> {
    let noc = |s: &str| s.parse().unwrap();
    let athens = || "athens-2004-paralympics".parse().unwrap();
    let tally = |sport: &str, gold, silver, bronze| {
        Kind::TallyPublished(TallyPublished {
            games: athens(),
            noc: noc("AZE"),
            sport: sport.into(),
            gold,
            silver,
            bronze,
        })
    };
    let entrant = |name: &str, sports: &[&str], alternate| Entrant {
        name: name.into(),
        sports: sports.iter().map(|s| (*s).to_owned()).collect(),
        alternate,
    };
    let events = [
        Event {
            id: id("6a7b8c9d-0e1f-5a2b-8c3d-4e5f6a7b8c9d"),
            date: day("2004-09-17/2004-09-28"),
            source: Some(
                "IPC results database (HIRA), as counted by inferrinizzard/olympics-api".into(),
            ),
            kind: tally("Para Judo", 1, 0, 0),
        },
        Event {
            id: id("7b8c9d0e-1f2a-5b3c-9d4e-5f6a7b8c9d0e"),
            date: day("2004-09-28"),
            source: None,
            kind: tally("Shooting Para Sport", 130, 0, 1_000),
        },
        Event {
            id: id("8c9d0e1f-2a3b-5c4d-8e5f-6a7b8c9d0e1f"),
            date: day("2004-09-28"),
            source: None,
            kind: tally("Shooting Para Sport", 0, 0, 0),
        },
        Event {
            id: id("9d0e1f2a-3b4c-5d5e-9f6a-7b8c9d0e1f2a"),
            date: day("2024-08-28"),
            source: Some("Paris 2024, entries".into()),
            kind: Kind::AthletesEntered(AthletesEntered {
                games: "paris-2024-paralympics".parse().unwrap(),
                noc: noc("AZE"),
                entrants: vec![
                    entrant("Ilham ZAKIYEV", &["Para Judo"], false),
                    entrant("Somebody ELSE", &["Para Athletics", "Para Judo"], false),
                    entrant("A RESERVE", &["Goalball"], true),
                ],
            }),
        },
        Event {
            id: id("0e1f2a3b-4c5d-5e6f-8a7b-8c9d0e1f2a3b"),
            date: day("2024-08-28"),
            source: None,
            kind: Kind::AthletesEntered(AthletesEntered {
                games: "paris-2024-paralympics".parse().unwrap(),
                noc: noc("NPA"),
                entrants: Vec::new(),
            }),
        },
        Event {
            id: id("1f2a3b4c-5d6e-5f7a-9b8c-9d0e1f2a3b4c"),
            date: day("2004-09-17"),
            source: Some("Olympedia".into()),
            kind: Kind::EntrantsPublished(EntrantsPublished {
                games: athens(),
                noc: noc("AZE"),
                sports: vec![
                    SportEntrants {
                        sport: "Para Judo".into(),
                        men: 1,
                        women: 0,
                    },
                    SportEntrants {
                        sport: "Para Athletics".into(),
                        men: 300,
                        women: 2_000,
                    },
                ],
            }),
        },
        Event {
            id: id("2a3b4c5d-6e7f-5a8b-8c9d-0e1f2a3b4c5d"),
            date: day("2012-01-13"),
            source: None,
            kind: Kind::GamesRegistered(GamesRegistered {
                games: "innsbruck-2012-youth".parse().unwrap(),
                name: "Innsbruck 2012 Winter Youth Olympic Games".into(),
                closes: day("2012-01-22"),
                unranked: vec![noc("MIX")],
                delegations: BTreeMap::new(),
                host: Some("AUT".into()),
                season: Some(Season::Winter),
                movement: Some(Movement::Youth),
            }),
        },
        Event {
            id: id("3b4c5d6e-7f8a-5b9c-9d0e-1f2a3b4c5d6e"),
            date: day("2024-09-08"),
            source: Some("Idman.biz, 2024-09-08".into()),
            kind: Kind::Claim(Claim {
                games: "paris-2024-paralympics".parse().unwrap(),
                noc: noc("AZE"),
                figure: Figure::TotalBefore,
                value: 1,
                bound: Bound::AtLeast,
                sport: Some("Shooting Para Sport".into()),
                athlete: None,
                quote: Some("earlier we had medals in shooting and powerlifting".into()),
            }),
        },
    ];
    let first =
        (records().len() + historical_records().len() + recorded_by_records().len()) as u64 + 1;
    logged(
        first,
        events
            .into_iter()
            .map(|e| ("2026-12-06T12:00:00.000000018Z", e)),
    )
}

/// Every record of every group.
fn all_records() -> Vec<Recorded> {
    let mut all = records();
    all.extend(historical_records());
    all.extend(recorded_by_records());
    all.extend(counts_and_entries_records());
    all
}

fn record_path(r: &Recorded) -> PathBuf {
    dir().join(format!("record-{}-{}.hex", r.seq, r.event.kind.name()))
}

/// Bytes as hex, 32 bytes a line, after a `#` comment line.
fn to_hex_file(comment: &str, bytes: &[u8]) -> String {
    let mut out = format!("# {comment}\n");
    for chunk in bytes.chunks(32) {
        out.push_str(&hex(chunk));
        out.push('\n');
    }
    out
}

fn from_hex_file(text: &str) -> Vec<u8> {
    let digits: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.trim().chars())
        .collect();
    assert!(digits.len().is_multiple_of(2), "odd number of hex digits");
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).unwrap())
        .collect()
}

/// The fixture at `path`, or, when blessing, `fresh` written there.
fn fixture(path: &Path, fresh: &str) -> String {
    if blessing() {
        std::fs::create_dir_all(dir()).unwrap();
        std::fs::write(path, fresh).unwrap();
        eprintln!("blessed {}", path.display());
        return fresh.to_owned();
    }
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (PODIUM_BLESS=1 cargo test --test golden writes it)",
            path.display()
        )
    })
}

/// A group of records with fixtures of its own: its block, chained on from
/// the previous group's digest as a log would be, that digest, and its lines.
struct Group {
    /// `None` for the first group, whose files have no suffix.
    name: Option<&'static str>,
    records: Vec<Recorded>,
    chained_from: [u8; HASH_BYTES],
}

impl Group {
    /// `{stem}{rest}`, or `{stem}-{name}{rest}` for a later group.
    fn file(&self, stem: &str, rest: &str) -> PathBuf {
        match self.name {
            None => dir().join(format!("{stem}{rest}")),
            Some(name) => dir().join(format!("{stem}-{name}{rest}")),
        }
    }

    /// The group's records as a block, and the last link of the chain.
    fn block(&self) -> (Vec<u8>, [u8; HASH_BYTES]) {
        let mut writer = BlockWriter::new();
        let mut hash = self.chained_from;
        for r in &self.records {
            let bytes = encode_record(r);
            hash = link(&hash, &bytes);
            writer.push(&bytes, &hash);
        }
        (writer.finish(), hash)
    }

    fn block_comment(&self) -> String {
        let seqs = |g: &Group| {
            let first = g.records.first().map_or(0, |r| r.seq);
            let last = g.records.last().map_or(0, |r| r.seq);
            format!("records {first} to {last}")
        };
        let from = match self.name {
            None => "the zero hash".to_owned(),
            Some(_) => "the digest of the block before it".to_owned(),
        };
        format!(
            "a block (envelope version {FORMAT_VERSION}) of {}, hash-chained from {from}",
            seqs(self)
        )
    }
}

/// Every group, in order.
fn groups() -> Vec<Group> {
    let first = Group {
        name: None,
        records: records(),
        chained_from: [0; HASH_BYTES],
    };
    let historical = Group {
        name: Some("historical"),
        records: historical_records(),
        chained_from: first.block().1,
    };
    let recorded_by = Group {
        name: Some("recorded-by"),
        records: recorded_by_records(),
        chained_from: historical.block().1,
    };
    let counts_and_entries = Group {
        name: Some("counts-and-entries"),
        records: counts_and_entries_records(),
        chained_from: recorded_by.block().1,
    };
    vec![first, historical, recorded_by, counts_and_entries]
}

#[test]
fn records_encode_to_the_golden_bytes() {
    for r in all_records() {
        let bytes = encode_record(&r);
        let envelope = match r.recorded_by {
            None => "RecordV1 in bincode",
            Some(_) => "ff 02 (record version 2), then RecordV2 in bincode",
        };
        let comment = format!(
            "{} at seq {}: {envelope} (standard config, varint, little-endian)",
            r.event.kind.name(),
            r.seq
        );
        let stored = fixture(&record_path(&r), &to_hex_file(&comment, &bytes));
        assert_eq!(
            hex(&bytes),
            hex(&from_hex_file(&stored)),
            "the encoding of {} at seq {} changed: a format change needs a new FORMAT_VERSION",
            r.event.kind.name(),
            r.seq
        );
    }
}

#[test]
fn golden_records_decode_to_the_same_events() {
    for r in all_records() {
        let Ok(stored) = std::fs::read_to_string(record_path(&r)) else {
            assert!(blessing(), "{} is missing", record_path(&r).display());
            continue;
        };
        assert_eq!(decode_record(&from_hex_file(&stored)).unwrap(), r);
    }
}

#[test]
fn the_golden_blocks_split_chain_and_decode() {
    for group in groups() {
        let (bytes, digest) = group.block();
        let stored = fixture(
            &group.file("block", ".hex"),
            &to_hex_file(&group.block_comment(), &bytes),
        );
        let stored_digest = fixture(
            &group.file("block", "-digest.txt"),
            &format!("{}\n", hex(&digest)),
        );
        let stored = from_hex_file(&stored);
        assert_eq!(hex(&bytes), hex(&stored), "the block encoding changed");
        assert_eq!(stored_digest.trim(), hex(&digest), "the hash chain changed");

        assert_eq!(stored[0], FORMAT_VERSION);
        let entries = split_block(&stored).unwrap();
        assert_eq!(entries.len(), group.records.len());
        let mut hash = group.chained_from;
        for (entry, r) in entries.iter().zip(&group.records) {
            hash = link(&hash, entry.record);
            assert_eq!(entry.hash, hash, "hash link of seq {}", r.seq);
            assert_eq!(&decode_record(entry.record).unwrap(), r);
        }
        assert_eq!(hex(&hash), stored_digest.trim());
    }
}

#[test]
fn the_golden_records_export_to_the_golden_lines() {
    for group in groups() {
        let mut lines = Vec::new();
        for r in &group.records {
            write_recorded(&mut lines, r).unwrap();
        }
        let fresh = String::from_utf8(lines).unwrap();
        let stored = fixture(&group.file("records", ".jsonl"), &fresh);
        assert_eq!(fresh, stored, "podium export's line format changed");
        for (line, r) in stored.lines().zip(group.records) {
            let expected = Incoming {
                recorded: Some(r.recorded),
                recorded_by: r.recorded_by,
                event: r.event,
            };
            assert_eq!(parse_line(line).unwrap(), Some(expected));
        }
    }
}

/// JSON Lines to event to record bytes (the golden ones) to event to JSON
/// Lines: every golden line comes back as it was.
#[test]
fn golden_lines_round_trip_through_the_record_bytes() {
    if blessing() {
        // The other tests are rewriting the files this one reads.
        return;
    }
    for group in groups() {
        let stored = std::fs::read_to_string(group.file("records", ".jsonl")).unwrap();
        assert_eq!(stored.lines().count(), group.records.len());
        for (line, r) in stored.lines().zip(&group.records) {
            let incoming = parse_line(line).unwrap().unwrap();
            let parsed = Recorded {
                seq: r.seq,
                recorded: incoming.recorded.unwrap(),
                recorded_by: incoming.recorded_by,
                event: incoming.event,
            };
            let bytes = encode_record(&parsed);
            let golden = std::fs::read_to_string(record_path(r)).unwrap();
            assert_eq!(hex(&bytes), hex(&from_hex_file(&golden)), "seq {}", r.seq);
            let mut out = Vec::new();
            write_recorded(&mut out, &decode_record(&bytes).unwrap()).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), format!("{line}\n"));
        }
    }
}

#[test]
fn a_record_of_an_unknown_version_is_refused_and_version_1_never_begins_like_2() {
    let v2 = recorded_by_records().remove(0);
    let mut bytes = encode_record(&v2);
    assert_eq!(bytes[..2], [0xff, 2]);
    bytes[1] = 3;
    let e = decode_record(&bytes).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Corrupt(_)), "{e}");
    assert!(e.to_string().contains("unknown record version 3"), "{e}");
    // A version-1 record begins with its seq, whose first byte is never 255.
    for r in records().iter().chain(&historical_records()) {
        assert_ne!(encode_record(r)[0], 0xff);
    }
    for seq in [0u64, 250, 251, 1 << 16, 1 << 32, u64::MAX] {
        let mut r = records().remove(0);
        r.seq = seq;
        assert_ne!(encode_record(&r)[0], 0xff, "seq {seq}");
    }
}

#[test]
fn a_block_of_an_unknown_version_is_refused() {
    let (bytes, _) = groups().remove(0).block();
    for version in [0u8, 2, 255] {
        let mut newer = bytes.clone();
        newer[0] = version;
        let e = split_block(&newer)
            .err()
            .expect("an unknown version is refused");
        assert!(matches!(e.kind(), ErrorKind::Corrupt(_)), "{e}");
        let message = e.to_string();
        assert!(
            message.contains(&format!("unknown envelope version {version}")),
            "{message}"
        );
        assert!(
            message.contains(&format!("reads version {FORMAT_VERSION}")),
            "{message}"
        );
    }
}
