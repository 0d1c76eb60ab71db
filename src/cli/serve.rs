//! `podium serve`: the ledger over HTTP (`crate::serve`), with its request
//! log on stderr.

use std::net::SocketAddr;

use crate::error::Result;
use crate::ledger::Ledger;

/// Serves `ledger` at `listen` until SIGINT or SIGTERM.
///
/// # Errors
/// As `serve::serve`.
pub(super) fn serve(ledger: Ledger, listen: SocketAddr, token: Option<String>) -> Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    let path = ledger.path().display().to_string();
    let writes = if token.is_some() {
        "writes need the bearer token"
    } else {
        "read-only: no token configured"
    };
    let options = crate::serve::Options { listen, token };
    crate::serve::serve(ledger, options, |bound| {
        tracing::info!("serving {path} at http://{bound}/ ({writes})");
    })
}
