//! `podium serve` under load, on loopback, its clients and the server sharing
//! the machine: many clients asking for one games' medal table, first alone,
//! then while 1 M events import through the API.
//!
//! `cargo bench --bench serve_load -- [IMPORT_EVENTS]` (default 1,000,000).
//! It generates `podium generate --events 100000+IMPORT_EVENTS --seed 7`,
//! serves an empty ledger in a temporary directory, imports the first 100,000
//! events, then:
//! 1. alone: `PODIUM_LOAD_CLIENTS` clients (default 16, each a thread with a
//!    keep-alive HTTP/1.1 connection, all on one client thread) ask `GET /api/table/{games}` for
//!    `PODIUM_LOAD_SECONDS` (default 10) seconds;
//! 2. alone, no two alike: the same, each request with a known-at time of
//!    its own, so every answer is computed (none is served from the answers
//!    kept at the head);
//! 3. during an import: the same clients ask the same question while the
//!    other IMPORT_EVENTS events are POSTed to `/api/events` in batches of
//!    100,000, until the last batch is acknowledged.
//! 4. a live Games: the clients ask 200 different questions (the table,
//!    the table by total, the sports and the race of each games, in turn)
//!    while 10 medals of the busiest games are committed every second, first
//!    on a new server holding the first 100,000 events (a commit drops only
//!    the answers it can change), then, as the baseline in the same run, on
//!    another started with `--forget-answers-on-commit` (every commit drops every kept answer, as
//!    before issue 20);
//!
//! For each phase it prints requests per second, the median, 99th percentile
//! and worst latency, and the errors (a status other than 200, or a failed
//! request). Every answer to one question is checked to be a table (a JSON
//! array whose first row has rank 1); in the live Games, to be answered. It never writes outside its temporary directory, and
//! binds 127.0.0.1 only.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PODIUM: &str = env!("CARGO_BIN_EXE_podium");
const TOKEN: &str = "serve-load-bench";
const WARM_EVENTS: usize = 100_000;
const BATCH_EVENTS: usize = 100_000;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let _ = self.child.wait();
    }
}

/// `podium serve` on `ledger`, its request log going to a file beside it (a
/// pipe would make this process read every line, on the clients' core).
fn serve(ledger: &std::path::Path, args: &[&str]) -> Server {
    let log_path = ledger.with_extension("log");
    let log = std::fs::File::create(&log_path).expect("the request log");
    let child = Command::new(PODIUM)
        .arg("--ledger")
        .arg(ledger)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .env("PODIUM_TOKEN", TOKEN)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("podium serve starts");
    let started = Instant::now();
    let base = loop {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        if let Some(at) = text.lines().find_map(|l| l.split(" at http://").nth(1)) {
            break format!("http://{}", at.split('/').next().unwrap_or_default());
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "podium serve did not say where it listens: {text}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    Server { child, base }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into()
}

fn post(base: &str, body: &str) {
    let mut response = agent()
        .post(&format!("{base}/api/events"))
        .header("Authorization", &format!("Bearer {TOKEN}"))
        .send(body)
        .expect("the import answers");
    let text = response.body_mut().read_to_string().unwrap_or_default();
    assert_eq!(response.status().as_u16(), 200, "{text}");
}

/// What one phase measured.
struct Phase {
    seconds: f64,
    latencies_us: Vec<u64>,
    errors: u64,
}

impl Phase {
    fn report(&self, name: &str) {
        let mut l = self.latencies_us.clone();
        l.sort_unstable();
        let at = |q: f64| {
            l.get(((l.len() as f64 - 1.0) * q) as usize)
                .copied()
                .unwrap_or(0)
        };
        println!(
            "| {name} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {} |",
            l.len(),
            l.len() as f64 / self.seconds,
            at(0.5) as f64 / 1e3,
            at(0.99) as f64 / 1e3,
            l.last().copied().unwrap_or(0) as f64 / 1e3,
            self.errors
        );
    }
}

/// `clients` connections, each asking for `path` again as soon as it has
/// its answer, until `stop` is set: one tokio thread drives them all, so the
/// clients take at most one core.
fn load(base: &str, paths: &[String], clients: usize, stop: &Arc<AtomicBool>, vary: bool) -> Phase {
    let address = base.trim_start_matches("http://").to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a client runtime");
    let started = Instant::now();
    let results = runtime.block_on(async {
        let tasks: Vec<_> = (0..clients)
            .map(|i| {
                let (address, stop) = (address.clone(), Arc::clone(stop));
                let asks = Asks {
                    paths: paths.to_vec(),
                    first: i,
                    vary: vary.then_some(i),
                };
                tokio::spawn(async move { client(&address, &asks, &stop).await })
            })
            .collect();
        let mut results = Vec::new();
        for t in tasks {
            results.push(t.await.expect("a client"));
        }
        results
    });
    let mut phase = Phase {
        seconds: started.elapsed().as_secs_f64(),
        latencies_us: Vec::new(),
        errors: 0,
    };
    for (latencies, errors) in results {
        phase.latencies_us.extend(latencies);
        phase.errors += errors;
    }
    phase
}

/// What one client asks: `paths` in turn, from the `first`; with `vary`
/// (the client's number), every request asks with a known-at time of its
/// own (after the last commit, so the same table), which no answer kept at
/// the head can serve.
struct Asks {
    paths: Vec<String>,
    first: usize,
    vary: Option<usize>,
}

/// One keep-alive connection asking until `stop`; reconnects after an
/// error (counted). One path asked is a table and checked to be one; many
/// are checked to be answered.
async fn client(address: &str, asks: &Asks, stop: &AtomicBool) -> (Vec<u64>, u64) {
    use http_body_util::{BodyExt, Empty};
    let mut latencies = Vec::with_capacity(1 << 16);
    let mut errors = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let Ok(stream) = tokio::net::TcpStream::connect(address).await else {
            errors += 1;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let io = hyper_util::rt::TokioIo::new(stream);
        let Ok((mut sender, connection)) = hyper::client::conn::http1::handshake(io).await else {
            errors += 1;
            continue;
        };
        tokio::spawn(connection);
        while !stop.load(Ordering::Relaxed) {
            let path = &asks.paths[(asks.first + latencies.len()) % asks.paths.len()];
            let uri = match asks.vary {
                Some(i) => format!(
                    "{path}?known_at=2100-01-01T00:{:02}:{:02}.{:09}Z",
                    i % 60,
                    latencies.len() / 1_000_000_000 % 60,
                    latencies.len() % 1_000_000_000
                ),
                None => path.to_owned(),
            };
            let one_table = asks.paths.len() == 1;
            let request = hyper::Request::get(uri)
                .header("host", address)
                .body(Empty::<hyper::body::Bytes>::new())
                .expect("a request");
            let asked = Instant::now();
            let answered = match sender.send_request(request).await {
                Ok(response) if response.status() == 200 => {
                    match response.into_body().collect().await {
                        Ok(body) if one_table => {
                            body.to_bytes().starts_with(b"[\n  {\n    \"rank\": 1,")
                        }
                        Ok(body) => !body.to_bytes().is_empty(),
                        Err(_) => false,
                    }
                }
                _ => false,
            };
            if answered {
                latencies.push(asked.elapsed().as_micros() as u64);
            } else {
                errors += 1;
                break;
            }
        }
    }
    (latencies, errors)
}

/// A flag set after `seconds`, and the thread that sets it.
fn stop_after(seconds: u64) -> (Arc<AtomicBool>, std::thread::JoinHandle<()>) {
    let stop = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&stop);
    let timer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(seconds));
        set.store(true, Ordering::Relaxed);
    });
    (stop, timer)
}

fn main() {
    let import_events = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(1_000_000);
    let clients = env_or("PODIUM_LOAD_CLIENTS", 16) as usize;
    let seconds = env_or("PODIUM_LOAD_SECONDS", 10);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let world = Command::new(PODIUM)
        .args([
            "generate",
            "--events",
            &(WARM_EVENTS + import_events).to_string(),
            "--seed",
            "7",
        ])
        .output()
        .expect("podium generate");
    let world = String::from_utf8(world.stdout).expect("utf-8");
    let lines: Vec<&str> = world.lines().collect();
    let (warm, rest) = lines.split_at(WARM_EVENTS.min(lines.len()));
    let server = serve(&dir.path().join("ledger"), &[]);
    post(&server.base, &(warm.join("\n") + "\n"));
    let games: serde_json::Value = serde_json::from_str(
        &agent()
            .get(&format!("{}/api/games", server.base))
            .call()
            .expect("games")
            .body_mut()
            .read_to_string()
            .expect("a body"),
    )
    .expect("JSON");
    // The games with the most medals so far: a full table.
    let busiest = games
        .as_array()
        .and_then(|g| g.iter().max_by_key(|g| g["medals"].as_u64()))
        .and_then(|g| g["games"].as_str())
        .expect("a games")
        .to_owned();
    let path = vec![format!("/api/table/{busiest}")];
    println!(
        "podium serve: {clients} clients asking GET {} ({} events before the import)\n",
        path[0],
        warm.len()
    );
    println!("| phase | requests | per second | median ms | p99 ms | worst ms | errors |");
    println!("|---|---|---|---|---|---|---|");
    let (stop, timer) = stop_after(seconds);
    load(&server.base, &path, clients, &stop, false).report("alone");
    timer.join().expect("the timer");
    let (stop, timer) = stop_after(seconds);
    load(&server.base, &path, clients, &stop, true)
        .report("alone, no two requests alike (none kept)");
    timer.join().expect("the timer");

    let stop = Arc::new(AtomicBool::new(false));
    let importer = {
        let stop = Arc::clone(&stop);
        let base = server.base.clone();
        let batches: Vec<String> = rest
            .chunks(BATCH_EVENTS)
            .map(|c| c.join("\n") + "\n")
            .collect();
        std::thread::spawn(move || {
            let started = Instant::now();
            for batch in &batches {
                post(&base, batch);
            }
            stop.store(true, Ordering::Relaxed);
            started.elapsed()
        })
    };
    load(&server.base, &path, clients, &stop, false)
        .report(&format!("during an import of {} events", rest.len()));
    let took = importer.join().expect("the importer");
    drop(server);

    // The live Games, each on a server of its own holding the first events
    // only (its commits are recorded now, after every generated event).
    let questions = questions(&games);
    let medals = medals_of(warm, &busiest);
    for (name, args, report) in [
        (
            "live",
            &[][..],
            "a live Games: 200 questions, 10 medals committed a second",
        ),
        (
            "baseline",
            &["--forget-answers-on-commit"][..],
            "the same, every commit dropping every kept answer (before)",
        ),
    ] {
        let server = serve(&dir.path().join(name), args);
        post(&server.base, &(warm.join("\n") + "\n"));
        live(&server.base, &questions, &medals, clients, seconds).report(report);
    }
    println!(
        "\nimport through the API: {} events in {:.2} s ({:.0} events/s) while the clients asked",
        rest.len(),
        took.as_secs_f64(),
        rest.len() as f64 / took.as_secs_f64()
    );
}

/// 200 questions: the table, the table by total, the sports and the race of
/// the games, the busiest first, in turn.
fn questions(games: &serde_json::Value) -> Vec<String> {
    let mut by_medals: Vec<&serde_json::Value> = games
        .as_array()
        .map(|g| g.iter().collect())
        .unwrap_or_default();
    by_medals.sort_by_key(|g| std::cmp::Reverse(g["medals"].as_u64()));
    let mut questions = Vec::new();
    for g in by_medals.iter().filter_map(|g| g["games"].as_str()).cycle() {
        for path in [
            format!("/api/table/{g}"),
            format!("/api/table/{g}?rank_by=total"),
            format!("/api/sports/{g}"),
            format!("/api/race/{g}"),
        ] {
            if questions.len() < 200 && !questions.contains(&path) {
                questions.push(path);
            }
        }
        if questions.len() >= 200 || questions.len() >= 4 * by_medals.len() {
            break;
        }
    }
    questions
}

/// The medals of `games` among `lines`, as new events: each a copy with an
/// id of its own and no recorded time (the server records it).
fn medals_of(lines: &[&str], games: &str) -> Vec<serde_json::Value> {
    lines
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|e| e["type"] == "medal_awarded" && e["games"] == games)
        .enumerate()
        .map(|(i, mut e)| {
            e["id"] = format!("7e57c0de-0000-4000-8000-{i:012x}").into();
            if let Some(fields) = e.as_object_mut() {
                fields.remove("recorded");
            }
            e
        })
        .collect()
}

/// The clients asking `questions` for `seconds` while 10 of `medals` are
/// committed every second.
fn live(
    base: &str,
    questions: &[String],
    medals: &[serde_json::Value],
    clients: usize,
    seconds: u64,
) -> Phase {
    let (stop, timer) = stop_after(seconds);
    let committer = {
        let (stop, base) = (Arc::clone(&stop), base.to_owned());
        let batches: Vec<String> = medals
            .chunks(10)
            .map(|c| c.iter().map(|m| format!("{m}\n")).collect())
            .collect();
        std::thread::spawn(move || {
            let mut commits = 0;
            for batch in batches.iter().cycle() {
                let next = Instant::now() + Duration::from_secs(1);
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                post(&base, batch);
                commits += 1;
                std::thread::sleep(next.saturating_duration_since(Instant::now()));
            }
            commits
        })
    };
    let phase = load(base, questions, clients, &stop, false);
    timer.join().expect("the timer");
    let commits = committer.join().expect("the committer");
    assert!(commits >= seconds / 2, "only {commits} commits");
    phase
}
