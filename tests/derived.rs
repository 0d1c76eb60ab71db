//! Derived state never disagrees with the log: for every day of every games
//! and for dates around them, the tables answered from the snapshot trees
//! equal those of a full replay, after imports, after retroactive
//! revocations, and after the derived trees are lost or left stale.

use std::path::Path;

use jiff::civil::Date;
use podium::event::GamesId;
use podium::jsonl::{Incoming, Reader};
use podium::log::{Ledger, Origin, Tables};
use podium::query;
use podium::table::{Bounds, RankBy};

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
fn bundled(dir: &Path) -> (std::path::PathBuf, GamesId, Vec<podium::table::Row>) {
    let path = dir.join("l");
    let mut ledger = Ledger::open(&path, true).unwrap();
    for (name, text) in podium::seed::FILES {
        import(&mut ledger, text.as_bytes(), name);
    }
    let games: GamesId = "paris-2024".parse().unwrap();
    let table = query::games_table(&ledger, &games, Bounds::default(), RankBy::Gold).unwrap();
    (path, games, table)
}

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

/// Every table the derived state answers equals the replay's.
fn assert_agree(ledger: &Ledger) {
    assert!(
        ledger.derived_answers(None).unwrap(),
        "derived state is fresh"
    );
    let bounds = |as_of| Bounds {
        as_of,
        known_at: None,
    };
    let mut dates: Vec<Option<Date>> = vec![None];
    for (games, opens, closes) in games_of(ledger) {
        // Every day of a games, the days either side, and years later; one
        // fold per games answers them all on the replay side.
        let mut days = vec![opens.yesterday().unwrap()];
        let mut day = opens;
        while day <= closes.tomorrow().unwrap() {
            days.push(day);
            day = day.tomorrow().unwrap();
        }
        days.push(closes.checked_add(jiff::Span::new().years(3)).unwrap());
        let fold = query::fold_games(ledger, &games, bounds(None)).unwrap();
        for day in &days {
            for by in [RankBy::Gold, RankBy::Total] {
                let derived = query::games_table(ledger, &games, bounds(Some(*day)), by).unwrap();
                assert_eq!(
                    derived,
                    fold.table_as_of(Some(*day), by),
                    "{games} as of {day} by {by:?}"
                );
            }
        }
        dates.extend(days.into_iter().map(Some));
    }
    // The all-time table on a sample of days (every one would replay the log thousands of times).
    let step = (dates.len() / 25).max(1);
    for as_of in dates.iter().step_by(step).chain(dates.last()) {
        let derived = query::all_time_table(ledger, bounds(*as_of), RankBy::Gold).unwrap();
        let replay = query::all_time_table_replay(ledger, bounds(*as_of), RankBy::Gold).unwrap();
        assert_eq!(derived, replay, "all-time as of {as_of:?}");
    }
}

#[test]
fn derived_tables_equal_the_replay_on_the_bundled_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("l"), true).unwrap();
    for (name, text) in podium::seed::FILES {
        import(&mut ledger, text.as_bytes(), name);
    }
    assert_agree(&ledger);
}

#[test]
fn derived_tables_equal_the_replay_on_a_synthetic_world_with_revocations() {
    let dir = tempfile::tempdir().unwrap();
    let mut world = Vec::new();
    podium::generate::generate(15_000, 7, &mut world).unwrap();
    let text = String::from_utf8(world).unwrap();
    assert!(
        text.contains("\"medal_revoked\""),
        "the world has revocations"
    );
    let lines: Vec<&str> = text.lines().collect();
    let (first, second) = lines.split_at(lines.len() / 2);
    let mut ledger = Ledger::open(&dir.path().join("l"), true).unwrap();
    // Two imports: the second's deltas land on snapshots the first wrote.
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
    assert_agree(&ledger);
}

#[test]
fn a_retroactive_revocation_reaches_every_later_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("l"), true).unwrap();
    for (name, text) in podium::seed::FILES {
        import(&mut ledger, text.as_bytes(), name);
    }
    // Revoke Azerbaijan's first judo gold (2024-07-29) back to its day.
    let award = ledger
        .iter()
        .map(Result::unwrap)
        .find(|r| {
            matches!(&r.event.kind, podium::event::Kind::MedalAwarded(m)
            if m.noc.as_str() == "AZE" && m.medal == podium::event::Medal::Gold)
        })
        .unwrap();
    let line = format!(
        r#"{{"id":"6f0c1a52-8f1d-4d0e-9a3c-2b7e5d4c3b2a","type":"medal_revoked","date":"{}","award":"{}","reason":"test"}}"#,
        award.event.date, award.event.id
    );
    let incoming: Incoming = podium::jsonl::parse_line(&line).unwrap().unwrap();
    ledger.append(incoming).unwrap();
    let games: GamesId = "paris-2024".parse().unwrap();
    let table = query::games_table(&ledger, &games, Bounds::default(), RankBy::Gold).unwrap();
    let aze = table.iter().find(|r| r.noc.as_str() == "AZE").unwrap();
    assert_eq!((aze.gold, aze.silver, aze.bronze), (1, 2, 3));
    assert_agree(&ledger);
}

#[test]
fn lost_or_stale_derived_state_is_rebuilt_from_the_log_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let (path, games, before) = bundled(dir.path());
    // Damage the tables store behind podium's back: drop a tree, and leave the
    // state claiming an older head, then no state at all, then no store.
    let tables = Tables::path(&path);
    let state = {
        let db = sled::open(&tables).unwrap();
        db.get("state")
            .unwrap()
            .expect("a current store has a state")
    };
    let mut older = state.to_vec();
    older[..8].copy_from_slice(&1u64.to_be_bytes());
    for damage in [Some(older), None] {
        {
            let db = sled::open(&tables).unwrap();
            db.drop_tree("games_days").unwrap();
            match &damage {
                Some(state) => db.insert("state", state.as_slice()).unwrap(),
                None => db.remove("state").unwrap(),
            };
            db.flush().unwrap();
        }
        if damage.is_none() {
            assert!(
                Tables::open_current(&path).unwrap().is_none(),
                "a store without a state is not trusted alone"
            );
        }
        let ledger = Ledger::open(&path, false).unwrap();
        assert!(ledger.derived_answers(None).unwrap());
        let after = query::games_table(&ledger, &games, Bounds::default(), RankBy::Gold).unwrap();
        assert_eq!(before, after);
        assert_agree(&ledger);
    }
    std::fs::remove_dir_all(&tables).unwrap();
    let ledger = Ledger::open(&path, false).unwrap();
    assert_eq!(
        query::games_table(&ledger, &games, Bounds::default(), RankBy::Gold).unwrap(),
        before
    );
    drop(ledger);
    // Current again: the store alone answers, as the log does.
    let (_, head) = Tables::open_current(&path).unwrap().expect("current");
    assert_eq!(head.seq, 2_871);
    let alone = query::table_without_log(&path, Some(&games), Bounds::default(), RankBy::Gold)
        .unwrap()
        .expect("answered without the log");
    assert_eq!(alone, before);
}

#[test]
fn a_query_trusts_the_tables_store_alone_only_while_it_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let (path, games, table) = bundled(dir.path());
    let (all, head) = {
        let ledger = Ledger::open(&path, false).unwrap();
        let all = query::all_time_table(&ledger, Bounds::default(), RankBy::Gold).unwrap();
        (all, ledger.head())
    };
    let alone = |games: Option<&GamesId>, bounds: Bounds| {
        query::table_without_log(&path, games, bounds, RankBy::Gold)
    };
    assert_eq!(alone(None, Bounds::default()).unwrap(), Some(all));
    assert_eq!(alone(Some(&games), Bounds::default()).unwrap(), Some(table));
    // Known before the latest event: only the log can answer.
    let earlier = Bounds {
        as_of: None,
        known_at: Some("2024-08-10T00:00:00Z".parse().unwrap()),
    };
    assert!(alone(Some(&games), earlier).unwrap().is_none());
    // An unknown games is refused as the log refuses it.
    let unknown: GamesId = "tokyo-2020".parse().unwrap();
    let e = alone(Some(&unknown), Bounds::default()).unwrap_err();
    assert!(e.to_string().contains("unknown games tokyo-2020"), "{e}");
    // A failed append leaves the store current; a successful one moves it on.
    let award = |games: &str| {
        format!(
            r#"{{"id":"{}","type":"medal_awarded","date":"2024-08-01","games":"{games}","sport":"S","event":"E","medal":"gold","noc":"AZE","athletes":["X"]}}"#,
            uuid::Uuid::new_v4()
        )
    };
    let mut ledger = Ledger::open(&path, false).unwrap();
    let bad = award("nowhere-2024");
    assert!(ledger
        .append_all(events(bad.as_bytes(), "bad.jsonl"))
        .is_err());
    drop(ledger);
    assert_eq!(Tables::open_current(&path).unwrap().unwrap().1, head);
    let mut ledger = Ledger::open(&path, false).unwrap();
    let good = award("paris-2024");
    ledger
        .append_all(events(good.as_bytes(), "good.jsonl"))
        .unwrap();
    let after =
        query::games_table_replay(&ledger, &games, Bounds::default(), RankBy::Gold).unwrap();
    drop(ledger);
    assert_eq!(
        Tables::open_current(&path).unwrap().unwrap().1.seq,
        head.seq + 1
    );
    assert_eq!(alone(Some(&games), Bounds::default()).unwrap(), Some(after));
}

#[test]
fn a_ledger_of_layout_1_is_upgraded_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let (path, games, before) = bundled(dir.path());
    // Layout 1: no tables store; derived trees and their marker in the log's database.
    std::fs::remove_dir_all(Tables::path(&path)).unwrap();
    {
        let db = sled::open(&path).unwrap();
        db.insert("layout", "podium-ledger-1").unwrap();
        db.insert("derived", &2_871u64.to_be_bytes()).unwrap();
        db.open_tree("snap_all")
            .unwrap()
            .insert([7u8; 4], &[1u8; 19])
            .unwrap();
        db.flush().unwrap();
    }
    let ledger = Ledger::open(&path, false).unwrap();
    assert_eq!(
        query::games_table(&ledger, &games, Bounds::default(), RankBy::Gold).unwrap(),
        before
    );
    assert_agree(&ledger);
    drop(ledger);
    let db = sled::open(&path).unwrap();
    assert_eq!(
        db.get("layout").unwrap().unwrap().as_ref(),
        b"podium-ledger-2"
    );
    assert!(db.get("derived").unwrap().is_none());
    assert!(!db.tree_names().iter().any(|n| n.as_ref() == b"snap_all"));
}

#[test]
fn a_long_import_spills_derived_changes_and_still_agrees() {
    // Enough games that the import applies its derived changes before it commits.
    let mut world = Vec::new();
    podium::generate::generate(60_000, 11, &mut world).unwrap();
    let text = String::from_utf8(world).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("l"), true).unwrap();
    // A failure at the very end, after changes were spilled: nothing stays.
    let broken = format!("{text}{{\"id\":\"broken\"}}\n");
    let mut reader = Reader::new(broken.as_bytes(), "broken.jsonl");
    let path = Path::new("broken.jsonl").to_path_buf();
    let input = std::iter::from_fn(move || {
        reader
            .next_event()
            .transpose()
            .map(|r| r.map(|(line, incoming)| (Origin::line(&path, line), incoming)))
    });
    assert!(ledger.append_all(input).is_err());
    assert_eq!(ledger.len(), 0);
    assert!(
        ledger.derived_answers(None).unwrap(),
        "rebuilt after the failure"
    );
    let all = query::all_time_table(&ledger, Bounds::default(), RankBy::Gold).unwrap();
    assert!(all.is_empty(), "{all:?}");
    import(&mut ledger, text.as_bytes(), "world.jsonl");
    assert_agree(&ledger);
}

#[test]
fn appends_dated_decades_back_reach_every_later_all_time_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut world = Vec::new();
    podium::generate::generate(15_000, 3, &mut world).unwrap();
    let mut ledger = Ledger::open(&dir.path().join("l"), true).unwrap();
    import(&mut ledger, &world, "world.jsonl");
    let games = games_of(&ledger);
    assert!(games.len() > 10, "{} games", games.len());
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
    assert_agree(&ledger);
    // And around each change: the days either side and the ends of their months.
    let bounds = |as_of| Bounds {
        as_of: Some(as_of),
        known_at: None,
    };
    for (g, opens, closes) in [first, middle] {
        let mut day = opens.yesterday().unwrap().first_of_month();
        let end = closes.last_of_month().tomorrow().unwrap();
        while day <= end {
            let derived = query::all_time_table(&ledger, bounds(day), RankBy::Gold).unwrap();
            let replay = query::all_time_table_replay(&ledger, bounds(day), RankBy::Gold).unwrap();
            assert_eq!(derived, replay, "all-time as of {day} (near {g})");
            day = day.tomorrow().unwrap();
        }
    }
}
