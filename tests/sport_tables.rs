//! The read model's sport tables never disagree with the log: for every
//! sport of every games, on days around the games and at many known-at
//! times, `sports::sport_table` equals a replay that feeds a `TableFold` only
//! the games' registration, that sport's awards and tallies and the
//! revocations, on the
//! bundled history and on a synthetic world with ties and revocations.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::Ledger;
use jiff::civil::Date;
use jiff::Timestamp;
use podium::drill::Label;
use podium::event::{GamesId, Kind};
use podium::table::{Bounds, RankBy, TableFold};

/// Replays the log into one `TableFold` per (games, sport) known at
/// `known_at`, feeding each only its games' registration, its sport's awards
/// and the revocations: the reference for `sports::sport_table`.
fn replay_sports(
    ledger: &podium::ledger::Ledger,
    known_at: Option<Timestamp>,
) -> BTreeMap<(GamesId, Label), (String, TableFold)> {
    let bounds = Bounds {
        as_of: None,
        known_at,
    };
    let mut registrations = BTreeMap::new();
    let mut folds: BTreeMap<(GamesId, Label), (String, TableFold)> = BTreeMap::new();
    for r in ledger.iter() {
        let r = r.unwrap();
        if !bounds.known(&r) {
            break;
        }
        match &r.event.kind {
            Kind::GamesRegistered(g) => {
                registrations.insert(g.games.clone(), r.clone());
            }
            Kind::MedalAwarded(podium::event::MedalAwarded { games, sport, .. })
            | Kind::TallyPublished(podium::event::TallyPublished { games, sport, .. }) => {
                let (_, fold) = folds
                    .entry((games.clone(), Label::new(sport)))
                    .or_insert_with(|| {
                        let mut fold = TableFold::new(games.clone(), bounds);
                        fold.apply(&registrations[games]);
                        (sport.clone(), fold)
                    });
                fold.apply(&r);
            }
            Kind::MedalRevoked(_) => {
                for (_, fold) in folds.values_mut() {
                    fold.apply(&r);
                }
            }
            _ => {}
        }
    }
    folds
}

/// Every sport of every games, on days around the games, known at each
/// time: the model's sport table equals the replay's.
fn assert_sport_tables_agree(
    ledger: &podium::ledger::Ledger,
    known_ats: &[Option<Timestamp>],
) -> usize {
    let model = ledger.model();
    let view = model.view().unwrap();
    let mut compared = 0;
    for &known_at in known_ats {
        for ((games, _), (sport, fold)) in replay_sports(ledger, known_at) {
            let g = fold.games().expect("registered").clone();
            let (opens, closes) = (g.opens.first(), g.registered.closes.last());
            let days: Vec<Option<Date>> = vec![
                None,
                Some(opens.yesterday().unwrap()),
                Some(opens),
                Some(opens.saturating_add(jiff::Span::new().days(4)).min(closes)),
                Some(closes),
            ];
            for as_of in days {
                let bounds = Bounds { as_of, known_at };
                let model_rows =
                    podium::sports::sport_table(&view, &games, &sport, bounds, RankBy::Gold)
                        .unwrap_or_else(|e| panic!("{games} {sport} {bounds:?}: {e}"));
                assert_eq!(
                    model_rows,
                    fold.table_as_of(as_of, RankBy::Gold),
                    "{games} {sport} {bounds:?}"
                );
                compared += 1;
            }
        }
    }
    compared
}

/// The instants some events were recorded (and the instant before each).
fn known_ats(ledger: &podium::ledger::Ledger, seqs: &[u64]) -> Vec<Option<Timestamp>> {
    let mut times = BTreeSet::new();
    for &seq in seqs {
        let t = ledger.get(seq).unwrap().unwrap().recorded;
        times.insert(t);
        times.insert(t - jiff::SignedDuration::from_nanos(1));
    }
    std::iter::once(None)
        .chain(times.into_iter().map(Some))
        .collect()
}

#[test]
fn sport_tables_of_the_model_equal_a_replay_at_many_as_of_and_known_at_pairs() {
    // The bundled history, known now, before and after the floor-exercise
    // revocation, and at a few other points along the log.
    let ledger = Ledger::bundled();
    let log = podium::ledger::Ledger::open(&ledger.path, false).unwrap();
    let n = log.len();
    let revocation = (1..=n)
        .find(|&s| {
            let r = log.get(s).unwrap().unwrap();
            r.event.id.to_string() == "36bf2687-8a34-5ad5-a762-70e32f8e0d06"
        })
        .expect("the floor-exercise revocation is logged");
    let seqs = [1, n / 3, n / 2, revocation, n];
    let compared = assert_sport_tables_agree(&log, &known_ats(&log, &seqs));
    assert!(compared > 1_000, "{compared}");

    // A synthetic world: ties, two bronzes in combat sports, revocations.
    let world = tempfile::tempdir().unwrap();
    let mut text = Vec::new();
    podium::generate::generate(6_000, 7, &mut text).unwrap();
    let file = world.path().join("world.jsonl");
    std::fs::write(&file, &text).unwrap();
    let synthetic = Ledger::new();
    synthetic.ok(&[std::ffi::OsStr::new("import"), file.as_os_str()]);
    let log = podium::ledger::Ledger::open(&synthetic.path, false).unwrap();
    let n = log.len();
    let revoked: Vec<u64> = (1..=n)
        .filter(|&s| {
            matches!(
                log.get(s).unwrap().unwrap().event.kind,
                Kind::MedalRevoked(_)
            )
        })
        .take(3)
        .collect();
    assert!(!revoked.is_empty(), "the world has revocations");
    let seqs: Vec<u64> = [n / 4, n / 2, n].into_iter().chain(revoked).collect();
    assert_sport_tables_agree(&log, &known_ats(&log, &seqs));
}
