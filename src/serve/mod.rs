//! `podium serve`: one process holds the ledger and answers many HTTP clients
//! at once (axum on tokio).
//!
//! - Reads (`api`) answer through `cli::answer`, the very code the command
//!   line runs, from the read model and from the log as last committed; they
//!   never wait for a write.
//! - Writes (`writes`) go to one thread that owns the `Ledger`, one import at
//!   a time, all or nothing, as `podium import` does.
//! - Followers (`events`) page through the log or stream it as Server-Sent
//!   Events, each line with its link in the hash chain.
//! - The page (`page`) is HTML, CSS and a little JavaScript compiled into the
//!   binary.
//!
//! Nothing here computes an answer or touches storage itself.

mod api;
mod cache;
mod events;
mod html;
mod html_games;
mod page;
mod page_ask;
mod state;
mod writes;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;

use crate::error::{Error, Result};
use crate::ledger::Ledger;
use state::Shared;

/// The environment variable that may hold the write token.
pub const TOKEN_VAR: &str = "PODIUM_TOKEN";

/// How to serve.
pub struct Options {
    pub listen: SocketAddr,
    /// The bearer token writes need; `None`: the server is read-only.
    pub token: Option<String>,
}

/// The write token: the first line of `file`, else `$PODIUM_TOKEN`; none
/// configured means read-only.
///
/// # Errors
/// An unreadable or empty token file.
pub fn token(file: Option<&Path>) -> Result<Option<String>> {
    let token = match file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            let token = text.lines().next().unwrap_or_default().trim().to_owned();
            if token.is_empty() {
                return Err(Error::invalid(format!(
                    "{}: the token file is empty",
                    path.display()
                )));
            }
            Some(token)
        }
        None => std::env::var(TOKEN_VAR)
            .ok()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty()),
    };
    Ok(token)
}

/// Serves `ledger` until SIGINT or SIGTERM, then stops taking requests,
/// lets those under way finish (an import under way commits or not, as
/// always) and closes the ledger. `ready` is called with the bound address.
///
/// # Errors
/// When the address cannot be bound, or the runtime cannot start.
pub fn serve(ledger: Ledger, options: Options, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::internal(format!("cannot start the server's runtime: {e}")))?;
    let (shared, writer) = Shared::start(ledger, options.token);
    let shared = Arc::new(shared);
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|e| Error::io(PathBuf::from(options.listen.to_string()), e))?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::io(PathBuf::from(options.listen.to_string()), e))?;
        ready(bound);
        let app = router(Arc::clone(&shared));
        let stopping = Arc::clone(&shared);
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                signalled().await;
                tracing::info!("stopping: finishing the requests under way");
                stopping.stop();
            })
            .await
            .map_err(|e| Error::internal(format!("server: {e}")))
    });
    // No request holds the writer any more: close it, and with it the ledger.
    drop(shared);
    writer.finish();
    result
}

/// Every route: the API under /api/, the page at /.
fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(events::routes())
        .merge(writes::routes())
        .merge(page::routes())
        .layer(axum::middleware::from_fn(request_log))
        .with_state(shared)
}

/// One line per request: method, path, status, duration.
async fn request_log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::info!(
        "{method} {path} {} {:.2} ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1e3
    );
    response
}

/// Resolves on SIGINT or SIGTERM.
async fn signalled() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = interrupt => {},
            _ = terminate.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
