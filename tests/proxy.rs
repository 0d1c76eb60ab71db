//! The command line through HTTPS (issue 17): a real nginx in front of
//! `podium serve`, with a certificate made in the test, and podium's own
//! TLS. Every question through `--server https://localhost:PORT --ca-cert
//! cert.pem` prints what it prints on the ledger's files; writes with a
//! token, an import long enough to stream through the proxy, and the errors
//! (file:line of a bad line, a missing token) are the local ones.
//!
//! nginx is Debian's package (`.ci/run` installs it). Without it the nginx
//! test prints a note and checks nothing of nginx, unless
//! `PODIUM_REQUIRE_NGINX=1` (set by `.ci/run`), when it fails.

mod common;

use std::ffi::OsString;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::server::Server;
use common::team::{
    add_token, as_is, membership, on_ledger, questions, revoke, same_everywhere, serve,
    without_recorders, without_times_and_digests, words, Place, Remote, DESK,
};
use common::{copy_dir, parse_verify, Ledger};

/// A certificate for `localhost`, and its key, as PEM files in `dir`.
fn certificate(dir: &Path) -> (PathBuf, PathBuf) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    (cert, key)
}

/// The nginx binary, if installed.
fn nginx_binary() -> Option<PathBuf> {
    [
        "/usr/sbin/nginx",
        "/usr/bin/nginx",
        "/usr/local/sbin/nginx",
        "/usr/local/bin/nginx",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}

/// An nginx that proxies HTTPS on a loopback port to a podium server;
/// stopped when dropped.
struct Nginx {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Nginx {
    /// nginx (in `dir`, its own pid, logs and temporary files there) on a
    /// free port of 127.0.0.1 with `cert` and `key`, to `upstream` (`HOST:PORT`).
    fn start(binary: &Path, dir: &Path, cert: &Path, key: &Path, upstream: &str) -> Nginx {
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let root = unsafe { libc::geteuid() } == 0;
            let conf = format!(
                r#"{user}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 512; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_max_body_size 0;
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location / {{
            proxy_pass http://{upstream};
            proxy_http_version 1.1;
            proxy_request_buffering off;
            proxy_buffering off;
            proxy_read_timeout 300s;
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"#,
                user = if root { "user root;" } else { "" },
                dir = dir.display(),
                cert = cert.display(),
                key = key.display(),
            );
            std::fs::write(dir.join("nginx.conf"), conf).unwrap();
            let mut child = Command::new(binary)
                .arg("-p")
                .arg(dir)
                .arg("-e")
                .arg(dir.join("error.log"))
                .args(["-c", "nginx.conf", "-g", "daemon off;"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("nginx starts");
            let started = Instant::now();
            loop {
                if let Some(status) = child.try_wait().unwrap() {
                    let log = std::fs::read_to_string(dir.join("error.log")).unwrap_or_default();
                    if log.contains("Address already in use") {
                        break; // another port
                    }
                    panic!("nginx exited ({status}): {log}");
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Nginx {
                        child,
                        port,
                        dir: dir.to_owned(),
                    };
                }
                assert!(
                    started.elapsed() < Duration::from_secs(20),
                    "nginx did not listen on {port}"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        panic!("no free port for nginx in five tries");
    }

    fn url(&self) -> String {
        format!("https://localhost:{}", self.port)
    }

    fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("access.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGQUIT: a graceful stop of the master and its workers.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGQUIT);
        }
        let started = Instant::now();
        while self.child.try_wait().ok().flatten().is_none() {
            if started.elapsed() > Duration::from_secs(10) {
                let _ = self.child.kill();
                let _ = self.child.wait();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn every_command_through_nginx_over_tls_answers_as_on_the_ledger() {
    let Some(nginx) = nginx_binary() else {
        if std::env::var("PODIUM_REQUIRE_NGINX").is_ok_and(|v| v == "1") {
            panic!("PODIUM_REQUIRE_NGINX=1 but nginx is not installed (apt-get install nginx)");
        }
        eprintln!("note: nginx is not installed; podium was not checked behind it (PODIUM_REQUIRE_NGINX=1 makes this a failure)");
        return;
    };
    let direct = Ledger::bundled();
    let served = Ledger::new();
    copy_dir(&direct.path, &served.path);
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = certificate(dir.path());
    let tokens = dir.path().join("tokens");
    let (_, desk) = add_token(&tokens, DESK, &["append", "revoke"]);
    // Behind a proxy every client has the proxy's address.
    let server = serve(
        &served,
        Some(&tokens),
        &["--max-connections-per-address", "1024"],
    );
    let proxy_dir = dir.path().join("nginx");
    std::fs::create_dir(&proxy_dir).unwrap();
    let proxy = Nginx::start(&nginx, &proxy_dir, &cert, &key, server.addr());
    let mut remote = Remote::new(&proxy.url());
    remote.ca_cert = Some(cert.clone());
    let (_, digest) = parse_verify(&direct.ok(&["verify"]));

    let charts = dir.path().join("charts");
    std::fs::create_dir(&charts).unwrap();
    let places = [
        ("the ledger", Place::Ledger(&direct)),
        ("through nginx", Place::Remote(&remote)),
    ];
    for question in questions(&digest) {
        same_everywhere(&places, &question, None, &charts, &as_is);
    }
    assert!(
        proxy.access_log().matches("POST /api/question").count() >= 39,
        "the questions went through nginx: {}",
        proxy.access_log()
    );

    // Without the CA, the certificate is refused: one line.
    let line = Remote::new(&proxy.url())
        .run(&words(&["games"]), None)
        .fails(1);
    assert!(
        line.contains("cannot reach the server at https://localhost:") && line.contains("TLS"),
        "{line}"
    );

    // Writes with a token, as on the ledger's files (--as the token's name).
    let writer = remote.with_token(&desk);
    let places = [
        ("the ledger", Place::Ledger(&direct)),
        ("through nginx", Place::Remote(&writer)),
    ];
    let input = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let good = input(
        "good.jsonl",
        r#"{"id":"00000000-0000-4000-8000-000000000011","type":"games_registered","date":"2025-06-01","recorded":"2026-11-01T00:00:00Z","games":"proxy-2025","name":"Proxy Games","closes":"2025-06-10"}
{"id":"00000000-0000-4000-8000-000000000012","type":"medal_awarded","date":"2025-06-02","recorded":"2026-11-02T00:00:00Z","games":"proxy-2025","sport":"Judo","event":"Men -73 kg","medal":"gold","noc":"AZE","athletes":["Hidayat HEYDAROV"]}
"#,
    );
    let bad = input(
        "bad.jsonl",
        "{\"id\":\"00000000-0000-4000-8000-000000000013\",\"type\":\"medal_awarded\",\"date\":\"2025-06-02\",\"games\":\"proxy-2025\",\"sport\":\"Judo\",\"event\":\"Men -81 kg\",\"medal\":\"gold\",\"noc\":\"AZE\",\"athletes\":[\"A B\"]}\n{\"id\": 12}\n",
    );
    let csv = input(
        "medals.csv",
        "date,games,sport,event,medal,noc,athletes\n2025-06-03,proxy-2025,Judo,Women -57 kg,silver,GEO,Cleo THREE\n",
    );
    let s = |w: &[&str]| w.iter().map(|x| (*x).to_owned()).collect::<Vec<String>>();
    let writes: Vec<(Vec<String>, Option<&str>, i32)> = vec![
        (s(&["import", &good]), None, 0),
        (s(&["import", &good]), None, 0),
        (s(&["import", &good, &bad]), None, 1),
        (s(&["import", "-"]), Some("\n\n{\"id\":\n"), 1),
        (
            s(&[
                "append",
                "membership",
                "--date",
                "2025",
                "--member",
                "AZE",
                "--organisation",
                "Proxy Union",
                "--id",
                &common::id(14),
            ]),
            None,
            0,
        ),
        (
            revoke(
                &common::id(0x12),
                "2025-06-05",
                "a re-test",
                Some(&common::id(15)),
            ),
            None,
            0,
        ),
        (
            revoke(
                &common::id(0x12),
                "2025-06-06",
                "again",
                Some(&common::id(16)),
            ),
            None,
            1,
        ),
        (s(&["import-csv", &csv]), None, 0),
    ];
    for (args, stdin, code) in &writes {
        let run = same_everywhere(&places, args, stdin.map(str::as_bytes), &charts, &as_is);
        assert_eq!(run.code, *code, "podium {args:?}: {run:?}");
        if args.contains(&bad) {
            assert!(
                run.stderr.starts_with(&format!("podium: {bad}:2:")),
                "{run:?}"
            );
        }
    }
    // The token recorded what it wrote; otherwise the same events.
    assert_eq!(
        served
            .ok(&["log", "--recorded-by", DESK, "--format", "jsonl"])
            .lines()
            .count(),
        5
    );
    assert_eq!(
        without_times_and_digests(&without_recorders(&served.ok(&["export"]))),
        without_times_and_digests(&without_recorders(&direct.ok(&["export"])))
    );
    // No token: one line, exit 1.
    let line = remote.run(&words(&["import", &good]), None).fails(1);
    assert!(line.contains("needs a token"), "{line}");

    // A long import streams through the proxy (unbuffered both ways).
    let big = Ledger::new();
    let world = big.write(
        "world.jsonl",
        big.ok(&["generate", "--events", "20000", "--seed", "7"]),
    );
    let long_served = Ledger::new();
    let long_server = serve(
        &long_served,
        Some(&tokens),
        &["--max-connections-per-address", "1024"],
    );
    drop(proxy);
    let proxy = Nginx::start(&nginx, &proxy_dir, &cert, &key, long_server.addr());
    let mut remote = Remote::new(&proxy.url()).with_token(&desk);
    remote.ca_cert = Some(cert);
    let started = Instant::now();
    let out = remote
        .run(&[OsString::from("import"), world.clone().into()], None)
        .ok();
    let took = started.elapsed();
    assert_eq!(
        out,
        "20000 new, 0 already recorded; 20000 events in the ledger\n"
    );
    big.ok(&[OsString::from("import"), world.into()]);
    assert_eq!(remote.ok(&["table", "--all"]), big.ok(&["table", "--all"]));
    assert_eq!(remote.ok(&["verify"]), long_served.ok(&["verify"]));
    eprintln!("20,000 events imported through nginx in {took:?}");
    assert_eq!(long_server.stop(), Some(0));
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn the_command_line_through_podiums_own_tls() {
    let ledger = Ledger::new();
    ledger.import_text(
        "base.jsonl",
        &[
            common::line(&common::games_event(&common::id(1), "2024-07-01T00:00:00Z")),
            common::line(&common::award(
                &common::id(2),
                "2024-07-02",
                "gold",
                "AZE",
                Some("2024-07-02T00:00:00Z"),
            )),
        ]
        .concat(),
    );
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = certificate(dir.path());
    let tokens = dir.path().join("tokens");
    let (_, desk) = add_token(&tokens, DESK, &["append"]);
    let server: Server = serve(
        &ledger,
        Some(&tokens),
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    let url = format!(
        "https://localhost:{}",
        server.addr().rsplit(':').next().unwrap()
    );
    let mut remote = Remote::new(&url).with_token(&desk);
    remote.ca_cert = Some(cert.clone());
    for question in [
        &["table", common::GAMES][..],
        &["log"],
        &["verify"],
        &["export"],
    ] {
        assert_eq!(
            remote.ok(question),
            ledger.ok(question),
            "podium {question:?}"
        );
    }
    let id = common::id(3);
    let append = membership("AZE", "Union", Some(&id));
    assert_eq!(remote.run(&append, None).ok(), format!("{id}\n"));
    assert!(ledger.ok(&["log"]).contains("(recorded by desk)"));
    // Plain HTTP to the HTTPS port, or HTTPS without the CA: one line.
    let line = Remote::new(&url).run(&words(&["games"]), None).fails(1);
    assert!(line.contains("TLS"), "{line}");
    let plain = format!("http://{}", server.addr());
    let line = Remote::new(&plain).run(&words(&["games"]), None).fails(1);
    assert!(line.contains(&plain.replace("http://", "")), "{line}");
    // The local socket beside it still takes the owner's writes.
    on_ledger(
        &ledger,
        Some("ana"),
        &membership("GEO", "Union", None),
        None,
    )
    .ok();
    assert_eq!(server.stop(), Some(0));
}
