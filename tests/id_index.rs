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

/// Ids in no order (UUID v5, as events/ has them) are indexed in sorted
/// batches after their blocks (`log::unindexed`): an import longer than one
/// batch still finds every id it wrote, in a batch already written or not,
/// refuses an id again with other content, revokes an award from an earlier
/// batch, and adds nothing when run again.
#[test]
fn random_ids_are_found_across_the_batches_of_one_import() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l");
    let mut ledger = Ledger::open(&path, true).unwrap();
    let games = r#"{"id":"00000000-0000-4000-8000-000000000001","type":"games_registered","date":"2000-09-15","games":"sydney-2000","name":"Sydney 2000","closes":"2000-10-01","unranked":[]}"#;
    let award = |n: u64| {
        format!(
            r#"{{"id":"{}","type":"medal_awarded","date":"2000-09-20","games":"sydney-2000","sport":"S","event":"E{n}","medal":"gold","noc":"AUS"}}"#,
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, &n.to_be_bytes())
        )
    };
    // More awards than one batch of entries held back (65,536).
    let n = 70_000u64;
    let mut text = format!("{games}\n");
    for i in 0..n {
        text.push_str(&award(i));
        text.push('\n');
    }
    let first = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, &0u64.to_be_bytes());
    let revocation = format!(
        r#"{{"id":"00000000-0000-4000-8000-000000000002","type":"medal_revoked","date":"2000-09-20","award":"{first}","reason":"test"}}"#
    );
    text.push_str(&revocation);
    text.push('\n');
    assert_eq!(import(&mut ledger, &text).unwrap().new, n + 2);
    // The first award again, later in one import, with other content: refused.
    let mut changed = award(n + 1);
    changed.push('\n');
    changed.push_str(&award(0).replace("\"gold\"", "\"silver\""));
    changed.push('\n');
    let e = import(&mut ledger, &changed).unwrap_err().to_string();
    assert!(e.contains("already recorded with other content"), "{e}");
    let again = import(&mut ledger, &text).unwrap();
    assert_eq!((again.new, again.already), (0, n + 2));
    drop(ledger);
    // And in a new ledger, one import that repeats an id of its first batch.
    let mut ledger = Ledger::open(&dir.path().join("m"), true).unwrap();
    let e = import(
        &mut ledger,
        &(text.clone() + &award(0).replace("gold", "bronze") + "\n"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("already recorded with other content"), "{e}");
    assert_eq!(ledger.len(), 0);
    assert_eq!(import(&mut ledger, &text).unwrap().new, n + 2);
    assert_eq!(ledger.verify(None).unwrap().events, n + 2);
}
