//! Reading the news: `podium::news::read` on an article of 1,000 words (the
//! five seed texts and three of tests/data/news/articles, about 1,000
//! words together), with the lexicon of the bundled events/ built once, as
//! `podium check --text` and `POST /api/check/text` build it once per
//! question. The lexicon's own construction is measured apart.
//!
//! `cargo bench --bench news` (a minute).

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use podium::event::Recorded;
use podium::news::{self, Lexicon};

fn bundled() -> Vec<Recorded> {
    podium::seed::recorded().expect("the bundled events parse")
}

/// About 1,000 words of news: whole texts until the count is reached.
fn article() -> String {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/news");
    let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("seeds"))
        .expect("seeds")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for name in [
        "03-kenya-roundup.txt",
        "06-norway-beijing-2022.txt",
        "07-japan-hosts-tokyo.txt",
    ] {
        files.push(data.join("articles").join(name));
    }
    let mut text = String::new();
    for f in files {
        let body = std::fs::read_to_string(&f).expect("UTF-8");
        // Each text's first line is its date; the article keeps the first one only.
        let body = if text.is_empty() {
            body.as_str()
        } else {
            body.split_once('\n').map_or("", |(_, b)| b)
        };
        text.push_str(body);
        text.push_str("\n\n");
        if text.split_whitespace().count() >= 1_000 {
            break;
        }
    }
    text
}

fn reading(c: &mut Criterion) {
    let events = bundled();
    let lexicon = Lexicon::from_events(&events);
    let text = article();
    let words = text.split_whitespace().count();
    let mut g = c.benchmark_group("news");
    g.throughput(Throughput::Elements(words as u64));
    g.bench_function(format!("read an article of {words} words"), |b| {
        b.iter(|| news::read(black_box(&text), None, &lexicon).expect("reads"))
    });
    g.finish();
    let mut g = c.benchmark_group("news lexicon");
    g.sample_size(10);
    g.bench_function(format!("build from {} events", events.len()), |b| {
        b.iter(|| Lexicon::from_events(black_box(&events)))
    });
    g.finish();
}

criterion_group! {
    name = news;
    config = Criterion::default().measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = reading
}
criterion_main!(news);
