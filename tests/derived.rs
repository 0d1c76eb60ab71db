//! The read model never disagrees with the log: for every games, every day
//! around it and a sample of known-at times (each the instant an event was
//! recorded, and the instant before), the tables it answers equal those of
//! a full replay; and so does the all-time table for random (as-of, known-at)
//! pairs. After imports, after retroactive revocations recorded later, after
//! appends dated decades back, and after the model is lost, damaged or left
//! behind by a killed writer.
//!
//! The tests build their models with small epochs (`PODIUM_EPOCH_EVENTS`),
//! so that every log here crosses many epoch boundaries.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::Timestamp;
use podium::event::GamesId;
use podium::generate::Rng;
use podium::jsonl::{Incoming, Reader};
use podium::ledger::{Ledger, Origin};
use podium::query;
use podium::table::{Bounds, RankBy, TableFold};

/// A small epoch, so that the logs of these tests cross many boundaries.
const EPOCH_EVENTS: &str = "97";

fn small_epochs() {
    // Every test of this binary sets the same value: harmless if they race.
    std::env::set_var("PODIUM_EPOCH_EVENTS", EPOCH_EVENTS);
}

/// The events of a JSON Lines text, as `append_all` takes them.
fn events<'a>(
    text: &'a [u8],
    name: &str,
) -> impl Iterator<Item = podium::Result<(Origin, Incoming)>> + 'a {
    let mut reader = Reader::new(text, name);
    let path = Path::new(name).to_path_buf();
    std::iter::from_fn(move || {
        reader
            .next_event()
            .transpose()
            .map(|r| r.map(|(line, incoming)| (Origin::line(&path, line), incoming)))
    })
}

fn import(ledger: &mut Ledger, text: &[u8], name: &str) {
    ledger.append_all(events(text, name)).expect("import");
}

/// A closed ledger of the bundled events, and its Paris 2024 table.
fn bundled(dir: &Path) -> (PathBuf, GamesId, Vec<podium::table::Row>) {
    small_epochs();
    let path = dir.join("l");
    let mut ledger = Ledger::open(&path, true).unwrap();
    for (name, text) in podium::seed::FILES {
        import(&mut ledger, text.as_bytes(), name);
    }
    let games: GamesId = "paris-2024".parse().unwrap();
    let table =
        query::games_table_replay(&ledger, &games, Bounds::default(), RankBy::Gold).unwrap();
    (path, games, table)
}

fn world(events: u64, seed: u64) -> String {
    let mut world = Vec::new();
    podium::generate::generate(events, seed, &mut world).unwrap();
    String::from_utf8(world).unwrap()
}

/// Known-at times worth asking: none, before everything, and for `samples`
/// events picked at random, the instant each was recorded and the one before.
fn known_ats(ledger: &Ledger, samples: usize, rng: &mut Rng) -> Vec<Option<Timestamp>> {
    let mut times = BTreeSet::new();
    let n = ledger.len();
    for i in 0..samples {
        // The first and last events always, the rest at random.
        let seq = match i {
            0 => 1,
            1 => n,
            _ => 1 + rng.below(n),
        };
        let t = ledger.get(seq).unwrap().unwrap().recorded;
        times.insert(t);
        times.insert(t - jiff::SignedDuration::from_nanos(1));
    }
    std::iter::once(None)
        .chain(times.into_iter().map(Some))
        .collect()
}

/// The registered games and their days, as the log has them.
fn games_of(ledger: &Ledger) -> Vec<(GamesId, Date, Date)> {
    let mut games = Vec::new();
    for r in ledger.iter() {
        let r = r.unwrap();
        if let podium::event::Kind::GamesRegistered(g) = r.event.kind {
            games.push((g.games, r.event.date.first(), g.closes.last()));
        }
    }
    games
}

/// Every games, on every day around it and years later, known at each time
/// of `known_at`: the model's table (from its compact medals, and from the
/// games' records) equals the replay's. One pass of the log per known-at
/// time folds every games at once.
fn assert_games_agree(ledger: &Ledger, known_at: &[Option<Timestamp>]) {
    let model = ledger.model();
    let view = model.view().unwrap();
    let games = games_of(ledger);
    for k in known_at {
        let known = Bounds {
            as_of: None,
            known_at: *k,
        };
        let mut folds: Vec<TableFold> = games
            .iter()
            .map(|(g, _, _)| TableFold::new(g.clone(), known))
            .collect();
        for r in ledger.iter() {
            let r = r.unwrap();
            if !known.known(&r) {
                break;
            }
            for fold in &mut folds {
                fold.apply(&r);
            }
        }
        for ((g, opens, closes), fold) in games.iter().zip(&folds) {
            let medals = query::GamesMedals::load(&view, g, known);
            let Some(_) = fold.games() else {
                let e = medals.err().expect("unknown games refused");
                assert!(e.to_string().contains("unknown games"), "{e}");
                continue;
            };
            let medals = medals.unwrap();
            let mut days = vec![None, Some(opens.yesterday().unwrap())];
            let mut day = *opens;
            while day <= closes.tomorrow().unwrap() {
                days.push(Some(day));
                day = day.tomorrow().unwrap();
            }
            days.push(Some(
                closes.checked_add(jiff::Span::new().years(3)).unwrap(),
            ));
            for as_of in days {
                for by in [RankBy::Gold, RankBy::Total] {
                    assert_eq!(
                        medals.table_as_of(as_of, by),
                        fold.table_as_of(as_of, by),
                        "{g} as of {as_of:?} known at {k:?} by {by:?}"
                    );
                }
            }
            let from_records = query::fold_games_model(&view, g, known).unwrap();
            assert_eq!(
                from_records.table(RankBy::Gold),
                fold.table(RankBy::Gold),
                "{g} from its records, known at {k:?}"
            );
        }
    }
}

/// The all-time table for `pairs` random (as-of, known-at) pairs, and for
/// every known-at time with no as-of date: the model's equals the replay's.
fn assert_all_time_agrees(
    ledger: &Ledger,
    known_at: &[Option<Timestamp>],
    pairs: usize,
    rng: &mut Rng,
) {
    let model = ledger.model();
    let view = model.view().unwrap();
    let games = games_of(ledger);
    let first = games.iter().map(|g| g.1).min().unwrap();
    let last = games.iter().map(|g| g.2).max().unwrap();
    let span = first.until(last).unwrap().get_days() as u64 + 60;
    let mut cases: Vec<Bounds> = known_at
        .iter()
        .map(|k| Bounds {
            as_of: None,
            known_at: *k,
        })
        .collect();
    for _ in 0..pairs {
        let as_of = first
            .checked_add(jiff::Span::new().days(rng.below(span) as i64 - 30))
            .unwrap();
        let k = known_at[rng.below(known_at.len() as u64) as usize];
        cases.push(Bounds {
            as_of: Some(as_of),
            known_at: k,
        });
    }
    for b in cases {
        for by in [RankBy::Gold, RankBy::Total] {
            assert_eq!(
                query::all_time_table(&view, b, by).unwrap(),
                query::all_time_table_replay(ledger, b, by).unwrap(),
                "all-time at {b:?} by {by:?}"
            );
        }
    }
}

fn assert_agree(ledger: &Ledger, seed: u64) {
    let mut rng = Rng(seed);
    let known = known_ats(ledger, 6, &mut rng);
    assert_games_agree(ledger, &known);
    assert_all_time_agrees(ledger, &known, 24, &mut rng);
}

#[test]
fn the_model_equals_the_replay_on_the_bundled_history() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = bundled(dir.path());
    let ledger = Ledger::open(&path, false).unwrap();
    assert_agree(&ledger, 1);
    // The floor-exercise bronze both ways: every instant around its reallocation.
    let around: Vec<Option<Timestamp>> = [
        "2024-08-05T20:59:59Z",
        "2024-08-05T21:00:00Z",
        "2024-08-11T11:59:59.999999999Z",
        "2024-08-11T12:00:00Z",
    ]
    .iter()
    .map(|t| Some(t.parse().unwrap()))
    .collect();
    assert_games_agree(&ledger, &around);
}

#[test]
fn the_model_equals_the_replay_on_a_synthetic_world_with_revocations() {
    small_epochs();
    let text = world(30_000, 7);
    assert!(
        text.contains("\"medal_revoked\""),
        "the world has revocations"
    );
    let lines: Vec<&str> = text.lines().collect();
    let (first, second) = lines.split_at(lines.len() / 2);
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("l"), true).unwrap();
    // Two imports: the second's epochs follow the first's.
    import(
        &mut ledger,
        (first.join("\n") + "\n").as_bytes(),
        "first.jsonl",
    );
    import(
        &mut ledger,
        (second.join("\n") + "\n").as_bytes(),
        "second.jsonl",
    );
    assert_agree(&ledger, 2);
}

#[test]
fn a_retroactive_revocation_recorded_later_changes_the_past_only_as_known_now() {
    let dir = tempfile::tempdir().unwrap();
    let (path, games, before) = bundled(dir.path());
    let mut ledger = Ledger::open(&path, false).unwrap();
    // Revoke Azerbaijan's first judo gold of Paris (2024-07-29) back to its day.
    let award = ledger
        .iter()
        .map(Result::unwrap)
        .find(|r| {
            matches!(&r.event.kind, podium::event::Kind::MedalAwarded(m)
            if m.noc.as_str() == "AZE" && m.medal == podium::event::Medal::Gold
                && m.games == games)
        })
        .unwrap();
    let line = format!(
        r#"{{"id":"6f0c1a52-8f1d-4d0e-9a3c-2b7e5d4c3b2a","type":"medal_revoked","date":"{}","award":"{}","reason":"test"}}"#,
        award.event.date, award.event.id
    );
    let incoming: Incoming = podium::jsonl::parse_line(&line).unwrap().unwrap();
    let revoked_at = ledger.head().recorded.unwrap();
    ledger.append(incoming).unwrap();
    let model = ledger.model();
    let view = model.view().unwrap();
    let aze = |known_at| {
        let b = Bounds {
            as_of: Some(jiff::civil::date(2024, 7, 30)),
            known_at,
        };
        let table = query::games_table(&view, &games, b, RankBy::Gold).unwrap();
        let row = table.into_iter().find(|r| r.noc.as_str() == "AZE");
        row.map_or((0, 0, 0), |r| (r.gold, r.silver, r.bronze))
    };
    assert_eq!(aze(None), (0, 0, 0), "as known now, revoked from its day");
    assert_eq!(aze(Some(revoked_at)), (1, 0, 0), "as known before");
    let then = Bounds {
        as_of: None,
        known_at: Some(revoked_at),
    };
    assert_eq!(
        query::games_table(&view, &games, then, RankBy::Gold).unwrap(),
        before
    );
    drop(view);
    assert_agree(&ledger, 3);
}

#[test]
fn appends_dated_decades_back_reach_every_later_all_time_table() {
    small_epochs();
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("l"), true).unwrap();
    import(&mut ledger, world(6_000, 3).as_bytes(), "world.jsonl");
    let games = games_of(&ledger);
    assert!(games.len() > 3, "{} games", games.len());
    let first = &games[0];
    let middle = &games[games.len() / 2];
    // One append at a time, as `podium append` does: awards in the first and a
    // middle games, on the last day of a month when one falls inside them,
    // then a revocation of the first one on a later day.
    let mut appended = Vec::new();
    for (n, (g, opens, closes)) in [first, middle, first].into_iter().enumerate() {
        let date = (0..)
            .map_while(|i| opens.checked_add(jiff::Span::new().days(i)).ok())
            .take_while(|d| d <= closes)
            .find(|d| d.tomorrow().unwrap().day() == 1)
            .unwrap_or(*opens);
        let id = uuid::Uuid::from_u128(0x5e7f_0000_0000_4000_8000_0000_0000_0000 | n as u128);
        let line = format!(
            r#"{{"id":"{id}","type":"medal_awarded","date":"{date}","games":"{g}","sport":"Retro","event":"Event {n}","medal":"gold","noc":"AZE","athletes":["Late Entry {n}"]}}"#
        );
        import(&mut ledger, format!("{line}\n").as_bytes(), "late.jsonl");
        appended.push((id, *closes));
    }
    let (award, closes) = appended[0];
    let revocation = format!(
        r#"{{"id":"5e7f0000-0000-4000-8000-0000000000ff","type":"medal_revoked","date":"{closes}","award":"{award}","reason":"retested"}}"#
    );
    import(
        &mut ledger,
        format!("{revocation}\n").as_bytes(),
        "late.jsonl",
    );
    assert_agree(&ledger, 4);
    // And around each change: the days either side and the ends of their months.
    let model = ledger.model();
    let view = model.view().unwrap();
    let bounds = |as_of| Bounds {
        as_of: Some(as_of),
        known_at: None,
    };
    for (g, opens, closes) in [first, middle] {
        let mut day = opens.yesterday().unwrap().first_of_month();
        let end = closes.last_of_month().tomorrow().unwrap();
        while day <= end {
            let derived = query::all_time_table(&view, bounds(day), RankBy::Gold).unwrap();
            let replay = query::all_time_table_replay(&ledger, bounds(day), RankBy::Gold).unwrap();
            assert_eq!(derived, replay, "all-time as of {day} (near {g})");
            day = day.tomorrow().unwrap();
        }
    }
}

/// The model's table of `games`, read the way a query process reads it.
fn queried(path: &Path, games: &GamesId) -> Option<Vec<podium::table::Row>> {
    let model = query::current_model(path).unwrap()?;
    let view = model.view().unwrap();
    Some(query::games_table(&view, games, Bounds::default(), RankBy::Gold).unwrap())
}

/// Marks the model as left by a writer that died before its end (the intent
/// of `model::Writer`), as a test can only do behind podium's back.
fn plant_intent(path: &Path) {
    let env = unsafe {
        heed::EnvOpenOptions::new()
            .map_size(1 << 30)
            .max_dbs(16)
            .open(path.join("model"))
    }
    .unwrap();
    let mut txn = env.write_txn().unwrap();
    let meta: heed::Database<heed::types::Bytes, heed::types::Bytes> =
        env.create_database(&mut txn, Some("meta")).unwrap();
    // An empty value, followed by its CRC-32 as every model value is.
    meta.put(&mut txn, b"intent", &crc32fast::hash(&[]).to_le_bytes())
        .unwrap();
    txn.commit().unwrap();
}

#[test]
fn a_lost_damaged_or_behind_model_is_brought_up_to_the_log_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let (path, games, before) = bundled(dir.path());
    let model_dir = path.join("model");

    // Lost: rebuilt.
    std::fs::remove_dir_all(&model_dir).unwrap();
    assert!(
        queried(&path, &games).is_none(),
        "no model, no answer alone"
    );
    drop(Ledger::open(&path, false).unwrap());
    assert_eq!(queried(&path, &games).as_ref(), Some(&before));

    // Damaged: its file overwritten with garbage. Never trusted, rebuilt.
    let data = model_dir.join("data.mdb");
    let mut bytes = std::fs::read(&data).unwrap();
    for b in bytes.iter_mut().step_by(7) {
        *b ^= 0x5a;
    }
    std::fs::write(&data, &bytes).unwrap();
    let ledger = Ledger::open(&path, false).unwrap();
    assert_agree(&ledger, 5);
    drop(ledger);
    assert_eq!(queried(&path, &games).as_ref(), Some(&before));

    // Behind: the model of 2,871 events under a log of 2,872, with the
    // intent a writer killed between its two commits leaves behind.
    let saved = dir.path().join("saved-model");
    common::copy_dir(&model_dir, &saved);
    let mut ledger = Ledger::open(&path, false).unwrap();
    let line = r#"{"id":"3d7a1b2c-0000-4000-8000-000000000001","type":"medal_awarded","date":"2024-08-01","games":"paris-2024","sport":"S","event":"E","medal":"gold","noc":"AZE","athletes":["X"]}"#;
    import(&mut ledger, line.as_bytes(), "late.jsonl");
    let after =
        query::games_table_replay(&ledger, &games, Bounds::default(), RankBy::Gold).unwrap();
    drop(ledger);
    std::fs::remove_dir_all(&model_dir).unwrap();
    common::copy_dir(&saved, &model_dir);
    plant_intent(&path);
    assert!(
        queried(&path, &games).is_none(),
        "an intent with no writer alive: the model may be behind"
    );
    let ledger = Ledger::open(&path, false).unwrap();
    assert_eq!(
        ledger.model().state().unwrap(),
        (Some(ledger.head()), false)
    );
    assert_agree(&ledger, 6);
    drop(ledger);
    assert_eq!(queried(&path, &games), Some(after));
}

#[test]
fn a_query_trusts_the_model_alone_while_no_writer_died_mid_way() {
    let dir = tempfile::tempdir().unwrap();
    let (path, games, table) = bundled(dir.path());
    assert_eq!(queried(&path, &games).as_ref(), Some(&table));
    let head = Ledger::open(&path, false).unwrap().head();
    // A writer at work (its intent recorded, the log held): queries answer
    // from the model's last commit.
    plant_intent(&path);
    {
        let _held = sled::open(&path).unwrap();
        assert_eq!(queried(&path, &games).as_ref(), Some(&table));
    }
    // The writer gone, its intent left: not trusted alone.
    assert!(queried(&path, &games).is_none());
    // A failed append leaves the model at its head, without intent; a
    // successful one moves it on.
    let award = |games: &str| {
        format!(
            r#"{{"id":"{}","type":"medal_awarded","date":"2024-08-01","games":"{games}","sport":"S","event":"E","medal":"gold","noc":"AZE","athletes":["X"]}}"#,
            uuid::Uuid::new_v4()
        )
    };
    let mut ledger = Ledger::open(&path, false).unwrap();
    assert!(ledger
        .append_all(events(award("nowhere-2024").as_bytes(), "bad.jsonl"))
        .is_err());
    assert_eq!(ledger.model().state().unwrap(), (Some(head), false));
    ledger
        .append_all(events(award("paris-2024").as_bytes(), "good.jsonl"))
        .unwrap();
    let after =
        query::games_table_replay(&ledger, &games, Bounds::default(), RankBy::Gold).unwrap();
    assert_eq!(ledger.model().state().unwrap().0.unwrap().seq, head.seq + 1);
    drop(ledger);
    assert_eq!(queried(&path, &games), Some(after));
    // An unknown games is refused as the log refuses it.
    let model = query::current_model(&path).unwrap().unwrap();
    let unknown: GamesId = "tokyo-2021".parse().unwrap();
    let e = query::games_table(
        &model.view().unwrap(),
        &unknown,
        Bounds::default(),
        RankBy::Gold,
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown games tokyo-2021"), "{e}");
}

#[test]
fn ledgers_of_layouts_1_and_2_are_upgraded_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let (path, games, before) = bundled(dir.path());
    for (layout, tables) in [("podium-ledger-1", false), ("podium-ledger-2", true)] {
        std::fs::remove_dir_all(path.join("model")).unwrap();
        if tables {
            // Layout 2: derived state in its own sled database, tables/.
            let db = sled::open(&path).unwrap();
            db.insert("layout", layout).unwrap();
            let t = sled::open(path.join("tables")).unwrap();
            t.insert("state", &[1u8; 8]).unwrap();
            t.flush().unwrap();
            db.flush().unwrap();
        } else {
            common::plant_layout_1(&path);
        }
        let ledger = Ledger::open(&path, false).unwrap();
        assert_eq!(
            query::games_table(
                &ledger.model().view().unwrap(),
                &games,
                Bounds::default(),
                RankBy::Gold
            )
            .unwrap(),
            before
        );
        drop(ledger);
        common::assert_upgraded(&path, &format!("from {layout}"));
        assert!(!path.join("tables").exists());
    }
}

#[test]
fn a_long_import_that_fails_at_its_end_leaves_nothing_in_either_store() {
    small_epochs();
    // More events than the model writes in one transaction (65,536), so the
    // failure comes after several of its commits, all beyond its head.
    let text = world(70_000, 11);
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("l"), true).unwrap();
    let broken = format!("{text}{{\"id\":\"broken\"}}\n");
    assert!(ledger
        .append_all(events(broken.as_bytes(), "broken.jsonl"))
        .is_err());
    assert_eq!(ledger.len(), 0);
    assert_eq!(
        ledger.model().state().unwrap(),
        (Some(podium::record::Head::EMPTY), false)
    );
    let view = ledger.model().view().unwrap();
    assert!(
        query::all_time_table(&view, Bounds::default(), RankBy::Gold)
            .unwrap()
            .is_empty()
    );
    let mut games = 0;
    view.each_games(u64::MAX, |_| {
        games += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(games, 0, "no games registered");
    drop(view);
    import(&mut ledger, text.as_bytes(), "world.jsonl");
    let mut rng = Rng(7);
    let known = known_ats(&ledger, 3, &mut rng);
    assert_all_time_agrees(&ledger, &known, 12, &mut rng);
}

#[test]
fn a_revocation_dated_by_its_month_counts_from_its_award_day() {
    small_epochs();
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("l"), true).unwrap();
    // AZE's silver of 15 July is revoked by a decision dated only "2030-07":
    // it leaves the tables from the 15th, not from the 1st, when the silver
    // was not yet won (else AZE's tally of ranked medals would fall to 0 and
    // AZE would lose its rank on the 10th).
    let lines = [
        r#"{"id":"00000000-0000-4000-8000-0000000000a1","type":"games_registered","date":"2030-07-01","games":"g-2030","name":"G","closes":"2030-07-20","unranked":[]}"#,
        r#"{"id":"00000000-0000-4000-8000-0000000000a2","type":"medal_awarded","date":"2030-07-02","games":"g-2030","sport":"S","event":"E1","medal":"gold","noc":"AZE","athletes":[]}"#,
        r#"{"id":"00000000-0000-4000-8000-0000000000a3","type":"medal_awarded","date":"2030-07-15","games":"g-2030","sport":"S","event":"E2","medal":"silver","noc":"AZE","athletes":[]}"#,
        r#"{"id":"00000000-0000-4000-8000-0000000000a4","type":"medal_revoked","date":"2030-07","award":"00000000-0000-4000-8000-0000000000a3","reason":"r"}"#,
    ];
    import(&mut ledger, (lines.join("\n") + "\n").as_bytes(), "g.jsonl");
    let view = ledger.model().view().unwrap();
    for day in [1, 10, 14, 15, 16, 31] {
        let b = Bounds {
            as_of: Some(jiff::civil::date(2030, 7, day)),
            known_at: None,
        };
        let all = query::all_time_table(&view, b, RankBy::Gold).unwrap();
        assert_eq!(
            all,
            query::all_time_table_replay(&ledger, b, RankBy::Gold).unwrap(),
            "all-time as of 2030-07-{day}"
        );
        if day >= 2 {
            assert_eq!(all[0].rank, Some(1), "AZE ranked on 2030-07-{day}");
        }
    }
}
