//! `podium serve`: one process holds the ledger and answers many HTTP clients
//! at once (axum's `Router` on hyper and tokio, through our own accept loop).
//!
//! - The accept loop (`listen`) takes connections on TCP (plain, or HTTPS
//!   with `tls`) and on the ledger's local socket (`local`), and holds every
//!   client to the `limits`.
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
mod auth;
mod cache;
mod events;
mod headers;
mod html;
mod html_games;
pub mod limits;
mod listen;
mod local;
mod page;
mod page_ask;
mod pool;
mod question;
mod state;
mod streamed;
mod tls;
mod verified;
mod writes;

pub use limits::Limits;
pub use listen::Peer;
pub use local::SOCKET_NAME;

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
use crate::tokens::{Tokens, TOKEN_VAR};
use state::Shared;

/// How to serve.
pub struct Options {
    pub listen: SocketAddr,
    /// The tokens writes (and a private server's questions) need; `None`:
    /// the server takes no writes over TCP.
    pub tokens: Option<Tokens>,
    /// The file they came from, read again on SIGHUP.
    pub token_file: Option<PathBuf>,
    /// Questions need a token with the `read` scope (the local socket excepted).
    pub private: bool,
    /// HTTPS on `listen` with this certificate chain and key (PEM files).
    pub tls: Option<TlsFiles>,
    pub limits: Limits,
    /// Drop every kept answer at every commit, as the server did before
    /// answers were kept by games: the live-Games benchmark's baseline.
    pub forget_on_commit: bool,
}

/// The PEM files of a TLS certificate chain and its private key.
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Where the server listens, once bound.
pub struct Bound {
    pub addr: SocketAddr,
    /// Whether `addr` speaks HTTPS.
    pub https: bool,
    /// The local socket, `<ledger>/podium.sock`.
    pub local: PathBuf,
}

impl Bound {
    /// The base URL of `addr`, e.g. `http://127.0.0.1:8024`.
    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }
}

/// The tokens of `file`, else the one secret of `$PODIUM_TOKEN`; none
/// configured means the server takes no writes over TCP.
///
/// # Errors
/// An unreadable token file, or one that does not parse (a malformed line,
/// a secret shorter than 16 bytes: `crate::tokens`), naming file and line.
pub fn tokens(file: Option<&Path>) -> Result<Option<Tokens>> {
    match file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            Tokens::parse(&text, &path.display().to_string()).map(Some)
        }
        None => match std::env::var(TOKEN_VAR) {
            Ok(secret) if !secret.trim().is_empty() => Tokens::single(secret.trim())
                .map(Some)
                .map_err(|e| Error::invalid(format!("${TOKEN_VAR}: {e}"))),
            _ => Ok(None),
        },
    }
}

/// Serves `ledger` until SIGINT or SIGTERM, on `options.listen` and on the
/// local socket in the ledger's directory; then stops taking connections,
/// lets requests under way finish within `limits.shutdown_timeout`, drops
/// what is left (an import cut short is rolled back) and closes the ledger.
/// `ready` is called once both are bound.
///
/// # Errors
/// When the address or the local socket cannot be bound, the TLS files
/// cannot be used, or the runtime cannot start.
pub fn serve(ledger: Ledger, options: Options, ready: impl FnOnce(&Bound)) -> Result<()> {
    let Options {
        listen,
        tokens,
        token_file,
        private,
        tls,
        limits,
        forget_on_commit,
    } = options;
    let acceptor = match &tls {
        Some(files) => Some(tls::acceptor(&files.cert, &files.key)?),
        None => None,
    };
    let mut local = local::LocalSocket::bind(ledger.path())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::internal(format!("cannot start the server's runtime: {e}")))?;
    let auth = auth::Auth::new(tokens, token_file, private);
    let (shared, writer) = Shared::start(ledger, auth, &limits, forget_on_commit);
    let shared = Arc::new(shared);
    let result = runtime.block_on(async {
        let address = || PathBuf::from(listen.to_string());
        let tcp = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| Error::io(address(), e))?;
        let addr = tcp.local_addr().map_err(|e| Error::io(address(), e))?;
        let unix = match local.take_listener() {
            Some(l) => {
                Some(tokio::net::UnixListener::from_std(l).map_err(|e| Error::io(&local.path, e))?)
            }
            None => None,
        };
        ready(&Bound {
            addr,
            https: acceptor.is_some(),
            local: local.path.clone(),
        });
        let stopping = Arc::clone(&shared);
        tokio::spawn(async move {
            signalled().await;
            tracing::info!("stopping: finishing the requests under way");
            stopping.stop();
        });
        tokio::spawn(reload_on_hangup(Arc::clone(&shared)));
        let listeners = listen::Listeners {
            tcp,
            tls: acceptor,
            local: unix,
        };
        listen::run(
            listeners,
            router(Arc::clone(&shared)),
            limits,
            shared.stopping(),
        )
        .await;
        Ok(())
    });
    // No connection is open: close the writer (an import cut short rolls
    // back), then the ledger, and only then take the local socket away.
    drop(shared);
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    writer.finish();
    drop(local);
    result
}

/// Reads the token file again on each SIGHUP: new tokens take effect for
/// the next request; a file that does not read keeps the old ones.
async fn reload_on_hangup(shared: Arc<Shared>) {
    let Ok(mut hangups) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
    else {
        return;
    };
    while hangups.recv().await.is_some() {
        match shared.auth.reload() {
            Ok(n) => tracing::info!("SIGHUP: read the token file again: {n} token(s)"),
            Err(e) => tracing::error!("SIGHUP: {e}; the tokens in force stay"),
        }
    }
}

/// Every route: the API under /api/, the page at /.
fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(events::routes())
        .merge(writes::routes())
        .merge(question::routes())
        .merge(page::routes())
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&shared),
            readers,
        ))
        .layer(axum::middleware::from_fn(headers::outgoing))
        .layer(axum::middleware::from_fn(request_log))
        .with_state(shared)
}

/// Questions, pages and streams (anything but a write, which checks its
/// own token and scopes) need a reader's token on a private server.
async fn readers(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let writes =
        request.method() == axum::http::Method::POST && request.uri().path() == "/api/events";
    if !writes {
        // Every connection tags its requests; one without a tag is nobody's.
        let nobody = Peer::Tcp(std::net::SocketAddr::from(([0, 0, 0, 0], 0)));
        let peer = request
            .extensions()
            .get::<Peer>()
            .copied()
            .unwrap_or(nobody);
        if let Err(refusal) = shared.auth.reader(peer, request.headers()) {
            return axum::response::IntoResponse::into_response(refusal);
        }
    }
    next.run(request).await
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
