//! Format stability: a fixed record of every kind, and of every code the
//! format stores as a number (medal colour, figure, bound, date precision),
//! encoded, must give the bytes stored in tests/data/golden/, so any change
//! to the on-disk format, deliberate or not, fails here first; and those
//! bytes must decode to the same records. A block of all of them,
//! hash-chained from the zero hash, is pinned the same way, and so are the
//! records' JSON Lines (the export format).
//!
//! To write the fixtures after a deliberate format change (a new
//! `FORMAT_VERSION`, never an edit of version 1): `PODIUM_BLESS=1 cargo test
//! --test golden`, then review and commit the diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use podium::event::{
    Bound, Claim, Day, Event, Figure, GamesRegistered, Kind, Medal, MedalAwarded, MedalRevoked,
    MeetingHeld, Membership, Participant, PersonIdentified, Recorded,
};
use podium::jsonl::{parse_line, write_recorded, Incoming};
use podium::log::codec::{
    decode_record, encode_record, link, split_block, BlockWriter, FORMAT_VERSION, HASH_BYTES,
};
use podium::log::hex;
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

/// One record of each kind, with every optional field both set and unset
/// somewhere, dates of each precision, recorded times with nanoseconds, and
/// every medal colour, figure and bound.
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
    let figures = Figure::ALL;
    let bounds = [Bound::Exact, Bound::AtMost, Bound::AtLeast];
    let claims = figures
        .into_iter()
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
    events
        .into_iter()
        .chain(later)
        .enumerate()
        .map(|(i, (recorded, event))| {
            event.validate().unwrap();
            Recorded {
                seq: i as u64 + 1,
                recorded: at(recorded),
                event,
            }
        })
        .collect()
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

/// The block of every record, chained from the zero hash, and the head digest.
fn block() -> (Vec<u8>, [u8; HASH_BYTES]) {
    let mut writer = BlockWriter::new();
    let mut hash = [0u8; HASH_BYTES];
    for r in records() {
        let bytes = encode_record(&r);
        hash = link(&hash, &bytes);
        writer.push(&bytes, &hash);
    }
    (writer.finish(), hash)
}

fn block_comment() -> String {
    format!(
        "a block (envelope version {FORMAT_VERSION}) of records 1 to {}, hash-chained from the zero hash",
        records().len()
    )
}

#[test]
fn records_encode_to_the_golden_bytes() {
    for r in records() {
        let bytes = encode_record(&r);
        let comment = format!(
            "{} at seq {}: RecordV1 in bincode (standard config, varint, little-endian)",
            r.event.kind.name(),
            r.seq
        );
        let stored = fixture(&record_path(&r), &to_hex_file(&comment, &bytes));
        assert_eq!(
            hex(&bytes),
            hex(&from_hex_file(&stored)),
            "the encoding of {} changed: a format change needs a new FORMAT_VERSION",
            r.event.kind.name()
        );
    }
}

#[test]
fn golden_records_decode_to_the_same_events() {
    for r in records() {
        let Ok(stored) = std::fs::read_to_string(record_path(&r)) else {
            assert!(blessing(), "{} is missing", record_path(&r).display());
            continue;
        };
        assert_eq!(decode_record(&from_hex_file(&stored)).unwrap(), r);
    }
}

#[test]
fn the_golden_block_splits_chains_and_decodes() {
    let (bytes, digest) = block();
    let stored = fixture(
        &dir().join("block.hex"),
        &to_hex_file(&block_comment(), &bytes),
    );
    let stored_digest = fixture(
        &dir().join("block-digest.txt"),
        &format!("{}\n", hex(&digest)),
    );
    let stored = from_hex_file(&stored);
    assert_eq!(hex(&bytes), hex(&stored), "the block encoding changed");
    assert_eq!(stored_digest.trim(), hex(&digest), "the hash chain changed");

    assert_eq!(stored[0], FORMAT_VERSION);
    let entries = split_block(&stored).unwrap();
    let expected = records();
    assert_eq!(entries.len(), expected.len());
    let mut hash = [0u8; HASH_BYTES];
    for (entry, r) in entries.iter().zip(&expected) {
        hash = link(&hash, entry.record);
        assert_eq!(entry.hash, hash, "hash link of seq {}", r.seq);
        assert_eq!(&decode_record(entry.record).unwrap(), r);
    }
    assert_eq!(hex(&hash), stored_digest.trim());
}

#[test]
fn the_golden_records_export_to_the_golden_lines() {
    let mut lines = Vec::new();
    for r in records() {
        write_recorded(&mut lines, &r).unwrap();
    }
    let fresh = String::from_utf8(lines).unwrap();
    let stored = fixture(&dir().join("records.jsonl"), &fresh);
    assert_eq!(fresh, stored, "podium export's line format changed");
    for (line, r) in stored.lines().zip(records()) {
        let expected = Incoming {
            recorded: Some(r.recorded),
            event: r.event,
        };
        assert_eq!(parse_line(line).unwrap(), Some(expected));
    }
}

#[test]
fn a_block_of_an_unknown_version_is_refused() {
    let (bytes, _) = block();
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
