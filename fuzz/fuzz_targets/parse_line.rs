//! Arbitrary bytes as a JSON Lines line and as a whole file: `parse_line` and
//! `Reader` must refuse bad input with an error, never panic, and an event
//! that parses must write and parse again to the same event (with its
//! recorded time, when the line carried one).

#![no_main]

use libfuzzer_sys::fuzz_target;
use podium::jsonl::{parse_line, write_line, Incoming, Reader};

fn check_round_trip(incoming: &Incoming) {
    let mut out = Vec::new();
    write_line(&mut out, &incoming.event, None).expect("writing to a Vec cannot fail");
    let text = std::str::from_utf8(&out).expect("write_line writes UTF-8");
    assert!(
        text.ends_with('\n') && text.matches('\n').count() == 1,
        "{text:?}"
    );
    let again = parse_line(text)
        .expect("a written line parses")
        .expect("a written line is not blank");
    assert_eq!(
        again.event, incoming.event,
        "event changed across write and parse"
    );
    assert_eq!(again.recorded, None);

    if let Some(recorded) = incoming.recorded {
        let mut out = Vec::new();
        write_line(&mut out, &incoming.event, Some((7, recorded))).expect("writing to a Vec");
        let text = std::str::from_utf8(&out).expect("write_line writes UTF-8");
        let again = parse_line(text)
            .expect("an exported line parses")
            .expect("an exported line is not blank");
        assert_eq!(
            &again, incoming,
            "event or time changed across export and parse"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(line) = std::str::from_utf8(data) {
        if let Ok(Some(incoming)) = parse_line(line) {
            check_round_trip(&incoming);
        }
    }
    // Go on past a bad line, as a reader that reports every error would: each
    // call consumes at least one byte, so the loop ends.
    let mut reader = Reader::new(data, "fuzz.jsonl");
    let mut last_line = 0;
    loop {
        match reader.next_event() {
            Ok(None) => break,
            Ok(Some((line_no, incoming))) => {
                assert!(line_no > last_line, "line numbers go backwards");
                last_line = line_no;
                check_round_trip(&incoming);
            }
            Err(_) => {}
        }
    }
});
