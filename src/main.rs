//! The `podium` binary: parses arguments, runs the command, and turns an
//! error into one line on stderr and an exit code (0 ok, 1 error, 2 usage).
//! Output to a closed pipe is not an error.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use podium::cli::{run, Cli};
use podium::ErrorKind;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result =
        run(cli, &mut out).and_then(|()| out.flush().map_err(|e| podium::Error::io("stdout", e)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("podium: {e}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &podium::Error) -> bool {
    matches!(e.kind(), ErrorKind::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}
