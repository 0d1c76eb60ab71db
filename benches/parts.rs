//! Criterion benchmarks of podium's parts: the record codec, JSON line
//! parsing, a durable single append, a 10k-event batch import, and the folds
//! (one games' table, the all-time table) over records already in memory.
//!
//! `cargo bench --bench parts` takes a few minutes: small samples and short
//! measurement times, since each part is measured on its own elsewhere too
//! (`benches/vs_sqlite.rs` times whole operations against SQLite).
//!
//! Every input comes from `podium::generate` (seed 1), so runs compare.

use std::collections::HashMap;
use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use jiff::civil::Date;
use jiff::Timestamp;
use podium::alltime::{AllTimeFold, RevokedAward};
use podium::event::{Day, Event, GamesId, Kind, Medal, MedalAwarded, Recorded};
use podium::jsonl::{self, Incoming};
use podium::ledger::{Ledger, Origin};
use podium::record::codec::{decode_record, encode_record};
use podium::table::{Bounds, RankBy, TableFold};

/// Events in the batch import and in the folded log.
const WORLD_EVENTS: u64 = 10_000;
const SEED: u64 = 1;

/// The generated world as lines, and as parsed events.
struct World {
    lines: Vec<String>,
    incoming: Vec<Incoming>,
}

fn world() -> World {
    let mut bytes = Vec::new();
    podium::generate::generate(WORLD_EVENTS, SEED, &mut bytes).expect("generate");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let incoming = lines
        .iter()
        .map(|l| jsonl::parse_line(l).expect("parses").expect("an event"))
        .collect();
    World { lines, incoming }
}

fn input(events: Vec<Incoming>) -> impl Iterator<Item = podium::Result<(Origin, Incoming)>> {
    events.into_iter().map(|e| Ok((Origin::default(), e)))
}

/// A ledger in a temporary directory holding the world.
fn ledger_with(world: &World) -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ledger = Ledger::open(&dir.path().join("ledger"), true).expect("open");
    ledger
        .append_all(input(world.incoming.clone()))
        .expect("import");
    (dir, ledger)
}

/// A team medal from the world (the longest kind of record it holds).
fn sample_award(records: &[Recorded]) -> &Recorded {
    records
        .iter()
        .filter(|r| matches!(r.event.kind, Kind::MedalAwarded(_)))
        .max_by_key(|r| match &r.event.kind {
            Kind::MedalAwarded(m) => m.athletes.len(),
            _ => 0,
        })
        .expect("the world has awards")
}

fn codec(c: &mut Criterion) {
    let world = world();
    let (_dir, ledger) = ledger_with(&world);
    let records: Vec<Recorded> = ledger.iter().map(|r| r.expect("decodes")).collect();
    let record = sample_award(&records).clone();
    let bytes = encode_record(&record);
    let line = world
        .lines
        .iter()
        .find(|l| l.contains(&record.event.id.to_string()))
        .expect("the award's line")
        .clone();

    let mut g = c.benchmark_group("record");
    g.throughput(Throughput::Elements(1));
    g.bench_function("encode", |b| b.iter(|| encode_record(black_box(&record))));
    g.bench_function("decode", |b| {
        b.iter(|| decode_record(black_box(&bytes)).expect("decodes"))
    });
    g.bench_function("parse JSON line", |b| {
        b.iter(|| jsonl::parse_line(black_box(&line)).expect("parses"))
    });
    g.finish();
}

fn appends(c: &mut Criterion) {
    let world = world();
    let games = world
        .incoming
        .iter()
        .find_map(|i| match &i.event.kind {
            Kind::GamesRegistered(g) => Some((g.games.clone(), i.event.date.first())),
            _ => None,
        })
        .expect("a games");

    let mut g = c.benchmark_group("append");
    g.throughput(Throughput::Elements(1));
    let (_dir, mut ledger) = ledger_with(&world);
    g.bench_function("single durable append", |b| {
        b.iter_batched(
            || new_medal(&games.0, games.1),
            |medal| ledger.append(medal).expect("append"),
            BatchSize::SmallInput,
        )
    });
    drop(ledger);

    g.throughput(Throughput::Elements(WORLD_EVENTS));
    g.bench_function("batch import of 10k events", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("tempdir");
                let ledger = Ledger::open(&dir.path().join("ledger"), true).expect("open");
                (dir, ledger, world.incoming.clone())
            },
            |(dir, mut ledger, events)| {
                ledger.append_all(input(events)).expect("import");
                (dir, ledger)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn folds(c: &mut Criterion) {
    let world = world();
    let (_dir, ledger) = ledger_with(&world);
    let records: Vec<Recorded> = ledger.iter().map(|r| r.expect("decodes")).collect();
    let awards: HashMap<uuid::Uuid, RevokedAward> = records
        .iter()
        .filter_map(|r| match &r.event.kind {
            Kind::MedalAwarded(m) => Some((
                r.event.id,
                RevokedAward {
                    games: m.games.clone(),
                    noc: m.noc,
                    medal: m.medal,
                    date: r.event.date.first(),
                },
            )),
            _ => None,
        })
        .collect();
    let games: GamesId = records
        .iter()
        .find_map(|r| match &r.event.kind {
            Kind::GamesRegistered(g) => Some(g.games.clone()),
            _ => None,
        })
        .expect("a games");
    let bounds = Bounds {
        as_of: None,
        known_at: Some(Timestamp::now()),
    };

    let mut g = c.benchmark_group("fold");
    g.throughput(Throughput::Elements(records.len() as u64));
    g.bench_function("one games' table over 10k records", |b| {
        b.iter(|| {
            let mut fold = TableFold::new(games.clone(), bounds);
            for r in &records {
                fold.apply(r);
            }
            fold.table(RankBy::Gold)
        })
    });
    g.bench_function("all-time table over 10k records", |b| {
        b.iter(|| {
            let mut fold = AllTimeFold::new(bounds);
            for r in &records {
                fold.apply(r, |id| awards.get(id).cloned());
            }
            fold.table(RankBy::Gold)
        })
    });
    g.finish();
}

/// A new bronze for `games` on its opening day, with a fresh id.
fn new_medal(games: &GamesId, opens: Date) -> Incoming {
    Incoming {
        event: Event {
            id: uuid::Uuid::new_v4(),
            date: Day::new(opens).expect("a valid day"),
            source: None,
            kind: Kind::MedalAwarded(MedalAwarded {
                games: games.clone(),
                sport: "Athletics".into(),
                event: "Benchmark relay".into(),
                medal: Medal::Bronze,
                noc: "ZZZ".parse().expect("a code"),
                athletes: vec!["Bench MARK".into()],
            }),
        },
        recorded: None,
        recorded_by: None,
    }
}

fn quick() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = parts;
    config = quick();
    targets = codec, appends, folds
}
criterion_main!(parts);
