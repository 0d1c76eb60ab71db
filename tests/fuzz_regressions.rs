//! Inputs for the two fuzz targets in fuzz/ (see fuzz/README.md), run as
//! plain tests: each goes through the same functions the target calls and
//! must give an error or a value that round-trips, never a panic. Every
//! crash a fuzzer finds is added here; so are the hostile shapes tried by
//! hand (huge length prefixes, huge collection counts, deep nesting).

use std::io::Write;

use podium::event::Recorded;
use podium::jsonl::{parse_line, write_line, Incoming, Reader, LINE_BYTES_MAX};
use podium::record::codec::{
    decode_record, encode_record, split_block, BlockWriter, FORMAT_VERSION, HASH_BYTES,
    RECORD_BYTES_MAX,
};
use podium::ErrorKind;

/// What fuzz_targets/decode_record.rs does with one input.
fn decode_target(data: &[u8]) {
    if let Ok(entries) = split_block(data) {
        assert!(!entries.is_empty());
        for entry in &entries {
            decode_round_trip(entry.record);
        }
    }
    decode_round_trip(data);
}

fn decode_round_trip(bytes: &[u8]) {
    if let Ok(record) = decode_record(bytes) {
        assert_eq!(decode_record(&encode_record(&record)).unwrap(), record);
    }
}

/// What fuzz_targets/parse_line.rs does with one input.
fn parse_target(data: &[u8]) {
    if let Ok(line) = std::str::from_utf8(data) {
        if let Ok(Some(incoming)) = parse_line(line) {
            write_round_trip(&incoming);
        }
    }
    let mut reader = Reader::new(data, "fuzz.jsonl");
    loop {
        match reader.next_event() {
            Ok(None) => break,
            Ok(Some((_, incoming))) => write_round_trip(&incoming),
            Err(_) => {}
        }
    }
}

fn write_round_trip(incoming: &Incoming) {
    let mut out = Vec::new();
    write_line(&mut out, &incoming.event, None).unwrap();
    let again = parse_line(std::str::from_utf8(&out).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(again.event, incoming.event);
    if let Some(recorded) = incoming.recorded {
        let mut out = Vec::new();
        write_line(&mut out, &incoming.event, Some((7, recorded))).unwrap();
        let again = parse_line(std::str::from_utf8(&out).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(&again, incoming);
    }
}

fn assert_corrupt(result: podium::Result<impl std::fmt::Debug>, what: &str) {
    match result {
        Err(e) => assert!(matches!(e.kind(), ErrorKind::Corrupt(_)), "{what}: {e}"),
        Ok(v) => panic!("{what}: decoded to {v:?}"),
    }
}

/// A medal with no athletes: its encoding ends with the athletes count, a
/// one-byte varint 0, so the count can be swapped for any other.
const AWARD_NO_ATHLETES: &str = r#"{"id":"0b7e7f4e-5c1a-5d43-9a7e-1f0e2d3c4b5a","type":"medal_awarded","date":"2024-07-29","games":"paris-2024","sport":"Judo","event":"Men -73 kg","medal":"gold","noc":"AZE"}"#;

fn award_record() -> Recorded {
    Recorded {
        seq: 1,
        recorded: "2024-07-29T21:00:00Z".parse().unwrap(),
        recorded_by: None,
        event: parse_line(AWARD_NO_ATHLETES).unwrap().unwrap().event,
    }
}

/// bincode's varint for a u32 that needs four bytes: the marker 252, then little-endian.
fn varint_u32(n: u32) -> Vec<u8> {
    let mut v = vec![252];
    v.extend_from_slice(&n.to_le_bytes());
    v
}

/// bincode's varint for a u64 that needs eight bytes: the marker 253, then little-endian.
fn varint_u64(n: u64) -> Vec<u8> {
    let mut v = vec![253];
    v.extend_from_slice(&n.to_le_bytes());
    v
}

#[test]
fn a_2_pow_31_athletes_count_is_refused() {
    let mut bytes = encode_record(&award_record());
    assert_eq!(
        bytes.pop(),
        Some(0),
        "the encoding ends with the athletes count"
    );
    for count in [
        varint_u32(1 << 31),
        varint_u32(u32::MAX),
        varint_u64(u64::MAX),
    ] {
        let mut hostile = bytes.clone();
        hostile.extend_from_slice(&count);
        assert_corrupt(decode_record(&hostile), "huge athletes count");
        decode_target(&hostile);
    }
}

#[test]
fn a_huge_string_length_is_refused() {
    // The record starts with seq (varint 1) then the 16 id bytes, the two
    // time fields and the date; the source is an Option<String> after them.
    let record = award_record();
    let plain = encode_record(&record);
    let mut with_source = record.clone();
    with_source.event.source = Some("x".into());
    let sourced = encode_record(&with_source);
    // The two encodings differ from the Option tag on: 0 (None) against 1, 1, b'x'.
    let at = plain
        .iter()
        .zip(&sourced)
        .position(|(a, b)| a != b)
        .unwrap();
    assert_eq!(&sourced[at..at + 3], &[1, 1, b'x']);
    for len in [
        varint_u32(1 << 31),
        varint_u64(u64::MAX),
        varint_u64(1 << 62),
    ] {
        let mut hostile = sourced[..at + 1].to_vec();
        hostile.extend_from_slice(&len);
        hostile.extend_from_slice(&sourced[at + 3..]);
        assert_corrupt(decode_record(&hostile), "huge string length");
        decode_target(&hostile);
    }
}

#[test]
fn huge_length_prefixes_in_a_block_are_refused() {
    for len in [
        u32::MAX,
        1 << 31,
        RECORD_BYTES_MAX as u32,
        RECORD_BYTES_MAX as u32 + 1,
        u32::MAX - HASH_BYTES as u32 + 1,
    ] {
        let mut block = vec![FORMAT_VERSION];
        block.extend_from_slice(&len.to_le_bytes());
        block.extend_from_slice(&[0; 64]);
        assert_corrupt(split_block(&block).map(|e| e.len()), "huge length prefix");
        decode_target(&block);
    }
}

#[test]
fn a_good_entry_then_a_huge_length_prefix_is_refused() {
    let record = encode_record(&award_record());
    let mut block = BlockWriter::new();
    block.push(&record, &[7; HASH_BYTES]);
    let mut value = block.finish();
    assert_eq!(split_block(&value).unwrap().len(), 1);
    value.extend_from_slice(&u32::MAX.to_le_bytes());
    assert_corrupt(split_block(&value).map(|e| e.len()), "second entry");
    decode_target(&value);
}

#[test]
fn out_of_range_codes_in_a_record_are_refused() {
    single_byte_changes_round_trip_or_are_corrupt(&encode_record(&award_record()));
}

/// The forms added for the historical record (span dates, a games' season and
/// movement, `delegation_succeeded`), from their golden export lines: a span's
/// precision followed by a second day, the classified games variant and the
/// new kind's variant, changed byte by byte.
#[test]
fn out_of_range_codes_in_the_historical_forms_are_refused() {
    let golden = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/golden/records-historical.jsonl"
    );
    let lines = std::fs::read_to_string(golden).unwrap();
    for line in lines.lines() {
        let incoming = parse_line(line).unwrap().unwrap();
        let record = Recorded {
            seq: 1,
            recorded: incoming.recorded.unwrap(),
            recorded_by: incoming.recorded_by,
            event: incoming.event,
        };
        single_byte_changes_round_trip_or_are_corrupt(&encode_record(&record));
    }
}

fn single_byte_changes_round_trip_or_are_corrupt(good: &[u8]) {
    // Every single-byte change of a real record must decode to a valid
    // record that round-trips, or fail as Corrupt: never panic.
    for i in 0..good.len() {
        for b in [0, 1, 2, 3, 0x7f, 0x80, 0xfb, 0xfc, 0xfd, 0xfe, 0xff] {
            let mut bytes = good.to_vec();
            bytes[i] = b;
            match decode_record(&bytes) {
                Ok(r) => assert_eq!(decode_record(&encode_record(&r)).unwrap(), r),
                Err(e) => assert!(matches!(e.kind(), ErrorKind::Corrupt(_)), "{e}"),
            }
        }
    }
    // Every prefix is short, and so refused.
    for cut in 0..good.len() {
        assert_corrupt(decode_record(&good[..cut]), "truncated record");
    }
}

#[test]
fn deeply_nested_json_is_refused_without_overflowing_the_stack() {
    for depth in [1_000, 100_000] {
        let open = "[".repeat(depth);
        let close = "]".repeat(depth);
        for line in [
            format!("{open}{close}"),
            format!(r#"{{"id":{open}{close}}}"#),
            AWARD_NO_ATHLETES.replace(r#""noc":"AZE""#, &format!(r#""athletes":{open}{close}"#)),
            format!("{}{}", "{\"a\":".repeat(depth), "}".repeat(depth)),
        ] {
            assert!(parse_line(&line).is_err());
            parse_target(line.as_bytes());
        }
    }
}

#[test]
fn an_over_long_line_is_refused_and_the_next_line_still_read() {
    let mut file = Vec::new();
    writeln!(file, "{}", " ".repeat(LINE_BYTES_MAX + 10)).unwrap();
    writeln!(file, "{AWARD_NO_ATHLETES}").unwrap();
    let mut reader = Reader::new(&file[..], "long.jsonl");
    let e = reader.next_event().unwrap_err().to_string();
    assert!(e.contains("longer than"), "{e}");
    // The rest of the long line is read as the next line, then the award.
    let mut got = None;
    while got.is_none() {
        if let Ok(Some((n, incoming))) = reader.next_event() {
            got = Some((n, incoming));
        }
    }
    let (_, incoming) = got.unwrap();
    assert_eq!(
        incoming.event.id.to_string(),
        "0b7e7f4e-5c1a-5d43-9a7e-1f0e2d3c4b5a"
    );
    parse_target(&file);
}

#[test]
fn tricky_lines_parse_and_round_trip_or_are_refused() {
    const ID: &str = r#""id":"0b7e7f4e-5c1a-5d43-9a7e-1f0e2d3c4b5a""#;
    let claim = |rest: &str| -> Vec<u8> {
        format!(r#"{{{ID},"type":"claim","games":"a","noc":"AZE","figure":"gold",{rest}}}"#)
            .into_bytes()
    };
    // (input, Some(parses to an event?)) or None where the bytes are not UTF-8.
    let cases: Vec<(Vec<u8>, Option<bool>)> = vec![
        // A byte-order mark is not stripped: the line is refused, not misread.
        (format!("\u{feff}{{{ID}}}").into_bytes(), Some(false)),
        (b"{\"id\":\"\xff\"}\n".to_vec(), None),
        (b"\0".to_vec(), Some(false)),
        // A lone surrogate escape, and the largest value.
        (
            claim(r#""date":"2024","value":4294967295,"quote":"\ud800""#),
            Some(false),
        ),
        (claim(r#""date":"2024","value":4294967295"#), Some(true)),
        // Recorded times at jiff's limits (the export writes them back), and past them.
        (
            claim(r#""date":"2199-12","recorded":"-009999-01-02T01:59:59Z","value":0"#),
            Some(true),
        ),
        (
            claim(r#""date":"1800","recorded":"9999-12-30T22:00:00.999999999Z","value":0,"bound":"at_least""#),
            Some(true),
        ),
        (
            claim(r#""date":"1800","recorded":"9999-12-30T22:00:01Z","value":0"#),
            Some(false),
        ),
        (
            claim(r#""date":"1800","recorded":"-009999-01-02T01:59:59+23:59","value":0"#),
            Some(false),
        ),
        // Duplicate map keys: the later wins, and the written line has one.
        (
            format!(
                r#"{{{ID},"type":"games_registered","date":"2024-07-26","games":"x-1","name":"\u0047ames","closes":"2024","delegations":{{"AZE":"A","AZE":"B"}}}}"#
            )
            .into_bytes(),
            Some(true),
        ),
        (b"   \t# comment\n\n\r\n".to_vec(), Some(false)),
    ];
    for (line, expected) in cases {
        let got = std::str::from_utf8(&line)
            .ok()
            .map(|l| matches!(parse_line(l), Ok(Some(_))));
        assert_eq!(got, expected, "{}", String::from_utf8_lossy(&line));
        parse_target(&line);
    }
}
