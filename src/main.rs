//! The `podium` binary: parses arguments, runs the command, and turns an
//! error into one line on stderr and an exit code (0 ok, 1 error, 2 usage).
//! Output to a closed pipe is not an error; a panic or a fault is one line
//! too (`podium::guard`).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use podium::cli::{run, Cli};
use podium::ErrorKind;

fn main() -> ExitCode {
    let cli = Cli::parse();
    podium::guard::install();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = podium::guard::catch(|| run(cli, &mut out))
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
