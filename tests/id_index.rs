//! The id index: time-ordered ids (UUID v7, as podium and `podium generate`
//! make them) are indexed one run per block, other ids one key each. Both must
//! answer idempotency checks and revocations, survive a failed import, and
//! pass `verify`.

use std::path::Path;

use podium::jsonl::Reader;
use podium::ledger::{Appended, Ledger, Origin};

fn import(ledger: &mut Ledger, text: &str) -> podium::Result<Appended> {
    let mut reader = Reader::new(text.as_bytes(), "world.jsonl");
    let path = Path::new("world.jsonl").to_path_buf();
    let input = std::iter::from_fn(move || {
        reader
            .next_event()
            .transpose()
            .map(|r| r.map(|(line, incoming)| (Origin::line(&path, line), incoming)))
    });
    ledger.append_all(input)
}

fn world(events: u64) -> String {
    let mut out = Vec::new();
    podium::generate::generate(events, 3, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_time_ordered_import_is_idempotent_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("l"), true).unwrap();
    let text = world(3_000);
    assert_eq!(import(&mut ledger, &text).unwrap().new, 3_000);
    let digest = ledger.verify(None).unwrap().digest;
    let again = import(&mut ledger, &text).unwrap();
    assert_eq!((again.new, again.already), (0, 3_000));
    assert_eq!(ledger.verify(None).unwrap().digest, digest);
    // Every id is found, whichever index holds it.
    for line in text.lines().step_by(97) {
        let incoming = podium::jsonl::parse_line(line).unwrap().unwrap();
        let found = ledger.find(&incoming.event.id).unwrap().expect("indexed");
        assert_eq!(found.event, incoming.event);
    }
}

#[test]
fn a_failed_time_ordered_import_leaves_no_run_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l");
    let mut ledger = Ledger::open(&path, true).unwrap();
    let text = world(2_000);
    let broken = format!("{text}{{\"id\":\"not-a-uuid\"}}\n");
    let e = import(&mut ledger, &broken).unwrap_err().to_string();
    assert!(e.starts_with("world.jsonl:2001:"), "{e}");
    assert_eq!(ledger.len(), 0);
    drop(ledger);
    let mut ledger = Ledger::open(&path, false).unwrap();
    assert_eq!(import(&mut ledger, &text).unwrap().new, 2_000);
    assert_eq!(ledger.verify(None).unwrap().events, 2_000);
}

#[test]
fn random_ids_after_runs_are_indexed_and_can_revoke_run_indexed_awards() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("l"), true).unwrap();
    let text = world(1_000);
    import(&mut ledger, &text).unwrap();
    let award = text
        .lines()
        .filter_map(|l| podium::jsonl::parse_line(l).unwrap())
        .find(|i| matches!(i.event.kind, podium::event::Kind::MedalAwarded(_)))
        .unwrap()
        .event;
    let revocation = format!(
        r#"{{"id":"{}","type":"medal_revoked","date":"{}","award":"{}","reason":"test"}}"#,
        uuid::Uuid::new_v4(),
        award.date,
        award.id
    );
    let appended = import(&mut ledger, &(revocation.clone() + "\n")).unwrap();
    assert_eq!(appended.new, 1);
    // The same revocation again is a no-op; a second revocation is refused.
    assert_eq!(
        import(&mut ledger, &(revocation + "\n")).unwrap().already,
        1
    );
    let second = format!(
        r#"{{"id":"{}","type":"medal_revoked","date":"{}","award":"{}","reason":"again"}}"#,
        uuid::Uuid::new_v4(),
        award.date,
        award.id
    );
    let e = import(&mut ledger, &(second + "\n"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("already revoked"), "{e}");
    assert_eq!(ledger.verify(None).unwrap().events, 1_001);
}
