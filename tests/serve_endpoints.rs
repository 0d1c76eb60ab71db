//! Where `podium serve` listens besides plain HTTP: the local socket in the
//! ledger's directory (mode 0600, a stale one replaced, removed on stop) and
//! HTTPS with a certificate made in the test. The real binary, on loopback.

mod common;

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::Arc;

use common::server::Server;
use common::Ledger;
use tokio_rustls::rustls;

/// One HTTP/1.1 request on `stream` (closed after); the whole answer.
fn exchange(stream: &mut impl ReadWrite, request: &str) -> String {
    stream
        .write_all(request.as_bytes())
        .expect("the request is sent");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

const HEAD: &str = "GET /api/head HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

#[test]
fn the_local_socket_is_private_answers_like_tcp_and_goes_with_the_server() {
    let ledger = Ledger::new();
    std::fs::create_dir_all(&ledger.path).unwrap();
    let socket = ledger.path.join("podium.sock");
    // A socket left by a killed server: nobody answers on it.
    drop(UnixListener::bind(&socket).expect("a stale socket is made"));
    assert!(socket.exists());
    let server = Server::start(&ledger, false);
    let mode = std::fs::metadata(&socket)
        .expect("the socket")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "only the owner may connect");
    let mut stream = UnixStream::connect(&socket).expect("the local socket answers");
    let answer = exchange(&mut stream, HEAD);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(body).unwrap(),
        server.get("/api/head").json()
    );
    assert_eq!(server.stop(), Some(0));
    assert!(
        !socket.exists(),
        "the socket is removed when the server stops"
    );
}

#[test]
fn https_with_the_certificate_given() {
    let ledger = Ledger::new();
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert = ledger.write("cert.pem", made.cert.pem());
    let key = ledger.write("key.pem", made.signing_key.serialize_pem());
    let server = Server::start_with(
        &ledger,
        false,
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    assert!(
        server.log().iter().any(|l| l.contains(" at https://")),
        "{:?}",
        server.log()
    );
    let mut roots = rustls::RootCertStore::empty();
    roots.add(made.cert.der().clone()).unwrap();
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let tcp = std::net::TcpStream::connect(server.addr()).unwrap();
    let mut stream = rustls::StreamOwned::new(tls, tcp);
    let answer = exchange(&mut stream, HEAD);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"seq\":"), "{answer}");
    // Plain HTTP on the HTTPS port is not answered as HTTP.
    let mut plain = std::net::TcpStream::connect(server.addr()).unwrap();
    let answer = exchange(&mut plain, HEAD);
    assert!(!answer.contains("\"seq\""), "{answer}");
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn unusable_tls_files_are_one_line_at_start() {
    let ledger = Ledger::new();
    let junk = ledger.write("junk.pem", "not a certificate\n");
    let run = ledger.run(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--tls-cert",
        junk.to_str().unwrap(),
        "--tls-key",
        junk.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("junk.pem"), "{}", run.stderr);
}

#[test]
fn serve_help_states_the_limits_the_server_defaults_to() {
    let limits = podium::serve::Limits::default();
    let out = std::process::Command::new(common::BIN)
        .args(["serve", "--help"])
        .output()
        .expect("podium serve --help");
    let help = String::from_utf8(out.stdout).unwrap();
    let secs = |d: std::time::Duration| d.as_secs().to_string();
    for (flag, default) in [
        ("--header-timeout", secs(limits.header_timeout)),
        ("--idle-timeout", secs(limits.idle_timeout)),
        ("--write-timeout", secs(limits.write_timeout)),
        ("--body-idle-timeout", secs(limits.body_idle_timeout)),
        ("--body-timeout", secs(limits.body_timeout)),
        ("--max-body-bytes", limits.body_bytes_max.to_string()),
        ("--max-connections", limits.connections_max.to_string()),
        (
            "--max-connections-per-address",
            limits.connections_per_address_max.to_string(),
        ),
        ("--max-streams", limits.streams_max.to_string()),
        ("--queue", limits.queue_max.to_string()),
        ("--shutdown-timeout", secs(limits.shutdown_timeout)),
    ] {
        let at = help
            .find(&format!("{flag} <"))
            .unwrap_or_else(|| panic!("{flag} in {help}"));
        let entry = help[at..].split("\n      --").next().unwrap();
        assert!(
            entry.contains(&format!("[default: {default}]")),
            "{flag}: {entry}"
        );
    }
}
