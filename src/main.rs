//! The `podium` binary: parses arguments, runs the command (`podium serve`
//! by the server, every other by the command line: the two front ends never
//! call each other), and turns an error into one line on stderr and an exit
//! code (0 ok, 1 error, 2 usage). Output to a closed pipe is not an error; a
//! panic or a fault is one line too (`podium::guard`).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use podium::cli::{run, Cli, Command, ServeArgs};
use podium::ErrorKind;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    cli.words = std::env::args_os()
        .skip(1)
        .map(|w| w.to_string_lossy().into_owned())
        .collect();
    podium::guard::install();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = podium::guard::catch(|| match cli.command {
        Command::Serve(args) => serve(cli.ledger.as_deref(), cli.token_file, args),
        _ => run(cli, &mut out),
    })
    .and_then(|()| out.flush().map_err(|e| podium::Error::io("stdout", e)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("podium: {}", one_line(&e.to_string()));
            ExitCode::from(1)
        }
    }
}

/// `podium serve`: the ledger the command line names, served until SIGINT
/// or SIGTERM, with the request log on stderr.
fn serve(
    ledger: Option<&std::path::Path>,
    token_file: Option<std::path::PathBuf>,
    args: ServeArgs,
) -> podium::Result<()> {
    let tokens = podium::serve::tokens(token_file.as_deref())?;
    let ledger = podium::cli::open_ledger(ledger, true)?;
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    let path = ledger.path().display().to_string();
    let writes = match &tokens {
        Some(t) => format!("writes need one of {} token(s)", t.len()),
        None => "no token configured: writes only through the local socket".to_owned(),
    };
    let reads = if args.private {
        "; questions need a token with read"
    } else {
        ""
    };
    let tls = match (args.tls_cert, args.tls_key) {
        (Some(cert), Some(key)) => Some(podium::serve::TlsFiles { cert, key }),
        _ => None,
    };
    let count = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let limits = podium::serve::Limits {
        header_timeout: args.header_timeout,
        idle_timeout: args.idle_timeout,
        write_timeout: args.write_timeout,
        body_idle_timeout: args.body_idle_timeout,
        body_timeout: args.body_timeout,
        body_bytes_max: args.max_body_bytes,
        connections_max: count(args.max_connections),
        connections_per_address_max: count(args.max_connections_per_address),
        streams_max: count(args.max_streams),
        workers: args
            .workers
            .map_or_else(podium::serve::limits::default_workers, count),
        queue_max: count(args.queue),
        shutdown_timeout: args.shutdown_timeout,
    };
    let options = podium::serve::Options {
        listen: args.listen,
        tokens,
        token_file,
        private: args.private,
        tls,
        limits,
        forget_on_commit: args.forget_answers_on_commit,
    };
    podium::serve::serve(ledger, options, |bound| {
        tracing::info!(
            "serving {path} at {}/ and on {} ({writes}{reads})",
            bound.url(),
            bound.local.display()
        );
    })
}

/// Escapes control characters (a newline echoed from bad input, or in a file
/// name) so an error is always one line.
fn one_line(message: &str) -> String {
    message
        .chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

fn is_broken_pipe(e: &podium::Error) -> bool {
    matches!(e.kind(), ErrorKind::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}
