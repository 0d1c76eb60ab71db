//! The accept loop: TCP (plain or TLS) and the local Unix socket, each
//! connection served by hyper's HTTP/1 with the `Router` as its service,
//! and every connection watched so that no client can hold it beyond the
//! `Limits`: the header within its timeout (hyper's timer), no idle
//! connection past the idle timeout, no answer unread past the write
//! timeout, no more connections than allowed (the one waiting longest
//! without a request makes room, else a quick 503), and on shutdown a
//! bounded wait before every connection is dropped.
//!
//! Every request carries a [`Peer`] extension: where it came from. This
//! module never looks inside a request beyond that.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::Router;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::{watch, Notify};
use tokio_rustls::TlsAcceptor;
use tower_service::Service;

use super::limits::Limits;

/// Where a request came from: a TCP peer (plain or TLS), or the local
/// socket in the ledger's directory, which only the ledger owner's
/// processes can open (its mode is 0600).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Peer {
    Tcp(SocketAddr),
    Local,
}

/// The largest buffer hyper keeps per connection, for reading a header and
/// for an answer waiting to be written: what a stalled client can pin.
const CONNECTION_BUFFER_BYTES_MAX: usize = 64 << 10;
/// How often a connection checks its idle and write deadlines, at most.
const CHECK_INTERVAL_MAX: Duration = Duration::from_secs(1);
/// After a failed accept (no file descriptor left), the pause before the
/// next, so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(20);

/// How long a connection has been open before it may be closed to make
/// room for a new one: long enough for its first request to be read.
const ROOM_AFTER_MS: u64 = 1_000;

/// What is said, at once, to a connection over the limit when no other can
/// make room.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
retry-after: 1\r\nconnection: close\r\ncontent-length: 69\r\n\r\n\
{\"error\":\"the server has too many connections; try again\",\"status\":503}";

/// Refused connections being told 503 and closed gently at once, at most;
/// how long each is given, and how much of what it sends is read.
const REFUSING_MAX: usize = 256;
const REFUSE_LINGER: Duration = Duration::from_secs(2);
const REFUSE_READ_MAX: usize = 64 << 10;

/// The listening sockets.
pub(super) struct Listeners {
    pub tcp: TcpListener,
    pub tls: Option<TlsAcceptor>,
    pub local: Option<UnixListener>,
}

/// One connection's state, as its watcher and the registry see it.
struct Conn {
    /// Requests whose answers have not been sent whole.
    in_flight: AtomicUsize,
    /// When the connection last received a byte or finished an answer
    /// (milliseconds since the registry's epoch).
    quiet_since_ms: AtomicU64,
    /// Since when a write has been waiting for the client to read (0: none).
    write_blocked_since_ms: AtomicU64,
    /// Told to close now (to make room, or at the end of shutdown).
    close: Notify,
    /// The client's address (none on the local socket).
    ip: Option<IpAddr>,
    /// When it was accepted (milliseconds since the registry's epoch).
    opened_ms: u64,
}

/// Every open connection.
struct Registry {
    epoch: Instant,
    next_id: AtomicU64,
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
    /// How many are open, for shutdown to wait on.
    open: watch::Sender<usize>,
    /// Connections closed since memory was last handed back.
    closed: AtomicU64,
}

impl Registry {
    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64 + 1
    }

    fn len(&self) -> usize {
        self.conns.lock().map_or(0, |c| c.len())
    }

    /// Connections open from `ip`.
    fn count_from(&self, ip: IpAddr) -> usize {
        self.conns
            .lock()
            .map_or(0, |c| c.values().filter(|c| c.ip == Some(ip)).count())
    }

    fn add(&self, ip: Option<IpAddr>) -> (u64, Arc<Conn>) {
        let conn = Arc::new(Conn {
            in_flight: AtomicUsize::new(0),
            quiet_since_ms: AtomicU64::new(self.now_ms()),
            write_blocked_since_ms: AtomicU64::new(0),
            close: Notify::new(),
            ip,
            opened_ms: self.now_ms(),
        });
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut conns) = self.conns.lock() {
            conns.insert(id, Arc::clone(&conn));
            self.open.send_replace(conns.len());
        }
        (id, conn)
    }

    fn remove(&self, id: u64) {
        if let Ok(mut conns) = self.conns.lock() {
            conns.remove(&id);
            self.open.send_replace(conns.len());
        }
        self.closed.fetch_add(1, Ordering::Relaxed);
    }

    /// Closes the connection (from `ip`, when given) that has waited
    /// longest without a request under way, among those open for at least
    /// `ROOM_AFTER_MS` (one accepted a moment ago may not have been read
    /// yet: closing it would drop its request unanswered); false when every
    /// such connection is busy.
    fn make_room(&self, ip: Option<IpAddr>) -> bool {
        let now = self.now_ms();
        let Ok(conns) = self.conns.lock() else {
            return false;
        };
        let victim = conns
            .values()
            .filter(|c| ip.is_none() || c.ip == ip)
            .filter(|c| now.saturating_sub(c.opened_ms) >= ROOM_AFTER_MS)
            .filter(|c| c.in_flight.load(Ordering::Acquire) == 0)
            .min_by_key(|c| c.quiet_since_ms.load(Ordering::Relaxed));
        match victim {
            Some(conn) => {
                // Not counted as quiet any more, so the next call picks another.
                conn.quiet_since_ms.store(u64::MAX, Ordering::Relaxed);
                conn.close.notify_one();
                true
            }
            None => false,
        }
    }

    fn close_all(&self) {
        if let Ok(conns) = self.conns.lock() {
            for conn in conns.values() {
                conn.close.notify_one();
            }
        }
    }
}

/// Counts a request as under way until its answer's body is dropped (sent
/// whole, or the connection gone).
struct InFlight {
    conn: Arc<Conn>,
    registry: Arc<Registry>,
}

impl InFlight {
    fn begin(conn: &Arc<Conn>, registry: &Arc<Registry>) -> InFlight {
        conn.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight {
            conn: Arc::clone(conn),
            registry: Arc::clone(registry),
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.conn
            .quiet_since_ms
            .store(self.registry.now_ms(), Ordering::Relaxed);
        self.conn.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A socket that tells its connection's watcher when bytes arrive and
/// when a write waits for the client.
struct Watched<T> {
    io: T,
    conn: Arc<Conn>,
    registry: Arc<Registry>,
}

impl<T> Watched<T> {
    fn wrote(&self, result: &Poll<io::Result<usize>>) {
        match result {
            Poll::Pending => {
                let _ = self.conn.write_blocked_since_ms.compare_exchange(
                    0,
                    self.registry.now_ms(),
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
            }
            Poll::Ready(_) => self.conn.write_blocked_since_ms.store(0, Ordering::Relaxed),
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.io).poll_read(cx, buf);
        if buf.filled().len() > before && self.conn.in_flight.load(Ordering::Relaxed) == 0 {
            let now = self.registry.now_ms();
            self.conn.quiet_since_ms.store(now, Ordering::Relaxed);
        }
        result
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.io).poll_write(cx, buf);
        self.wrote(&result);
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.wrote(&result);
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// What every connection task needs.
#[derive(Clone)]
struct Serving {
    router: Router,
    limits: Arc<Limits>,
    registry: Arc<Registry>,
    stopping: watch::Receiver<bool>,
}

/// Accepts and serves until `stopping` turns true, then lets requests under
/// way finish for at most `limits.shutdown_timeout` and drops what is left.
/// Returns when no connection is open.
pub(super) async fn run(
    listeners: Listeners,
    router: Router,
    limits: Limits,
    mut stopping: watch::Receiver<bool>,
) {
    let (open, _) = watch::channel(0);
    let registry = Arc::new(Registry {
        epoch: Instant::now(),
        next_id: AtomicU64::new(0),
        conns: Mutex::new(HashMap::new()),
        open,
        closed: AtomicU64::new(0),
    });
    let bounds = Bounds {
        total: limits.connections_allowed(),
        per_address: limits.connections_per_address_allowed(),
    };
    let serving = Serving {
        router,
        limits: Arc::new(limits),
        registry: Arc::clone(&registry),
        stopping: stopping.clone(),
    };
    let refusing = Arc::new(tokio::sync::Semaphore::new(REFUSING_MAX));
    let trimmer = tokio::spawn(hand_back_memory(Arc::clone(&registry)));
    let Listeners { tcp, tls, local } = listeners;
    loop {
        tokio::select! {
            accepted = tcp.accept() => match accepted {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    let peer = Peer::Tcp(addr);
                    match (admit(&registry, bounds, Some(addr.ip())), &tls) {
                        (Some(entry), Some(acceptor)) => {
                            let acceptor = acceptor.clone();
                            tokio::spawn(serve_tls(stream, acceptor, peer, entry, serving.clone()));
                        }
                        (Some(entry), None) => {
                            tokio::spawn(serve_connection(stream, peer, entry, serving.clone()));
                        }
                        // A TLS client just sees the socket close.
                        (None, Some(_)) => {}
                        (None, None) => refuse(stream, &refusing),
                    }
                }
                Err(e) => accept_failed(&registry, &e).await,
            },
            accepted = accept_local(local.as_ref()) => match accepted {
                Ok(stream) => {
                    match admit(&registry, bounds, None) {
                        Some(entry) => {
                            tokio::spawn(serve_connection(stream, Peer::Local, entry, serving.clone()));
                        }
                        None => refuse(stream, &refusing),
                    }
                }
                Err(e) => accept_failed(&registry, &e).await,
            },
            _ = stopping.changed() => break,
        }
    }
    // No new connections; each open one has been told to stop (hyper ends
    // it after the request under way). Wait, within the bound, then drop.
    drop(tcp);
    drop(local);
    let mut open = registry.open.subscribe();
    let grace = serving.limits.shutdown_timeout;
    drop(serving);
    if tokio::time::timeout(grace, open.wait_for(|n| *n == 0))
        .await
        .is_err()
    {
        tracing::warn!(
            "stopping: {} connections still busy after {:.1} s; closing them",
            registry.len(),
            grace.as_secs_f64()
        );
        registry.close_all();
        let _ = tokio::time::timeout(Duration::from_secs(1), open.wait_for(|n| *n == 0)).await;
    }
    trimmer.abort();
}

/// Waits for a connection on the local socket, or forever when there is none.
async fn accept_local(local: Option<&UnixListener>) -> io::Result<tokio::net::UnixStream> {
    match local {
        Some(listener) => listener.accept().await.map(|(stream, _)| stream),
        None => std::future::pending().await,
    }
}

/// A connection admitted: its place in the registry, given up when dropped.
struct Entry {
    id: u64,
    conn: Arc<Conn>,
    registry: Arc<Registry>,
}

impl Drop for Entry {
    fn drop(&mut self) {
        self.registry.remove(self.id);
    }
}

/// How many connections may be open, in all and from one address.
#[derive(Clone, Copy)]
struct Bounds {
    total: usize,
    per_address: usize,
}

/// Registers a new connection if it may be served: under the limits, or
/// once the connection waiting longest without a request (from the same
/// address, when that address is at its limit) has been told to close.
/// Else none: the caller refuses the connection.
fn admit(registry: &Arc<Registry>, bounds: Bounds, ip: Option<IpAddr>) -> Option<Entry> {
    let crowded = ip.filter(|ip| registry.count_from(*ip) >= bounds.per_address);
    let room = if crowded.is_some() {
        registry.make_room(crowded)
    } else {
        registry.len() < bounds.total || registry.make_room(None)
    };
    if room {
        let (id, conn) = registry.add(ip);
        return Some(Entry {
            id,
            conn,
            registry: Arc::clone(registry),
        });
    }
    match crowded {
        Some(ip) => tracing::warn!(
            "refused a connection from {ip}: {} of its connections are open and busy",
            bounds.per_address
        ),
        None => tracing::warn!(
            "refused a connection: {} connections are open and busy",
            bounds.total
        ),
    }
    None
}

/// Tells a refused plain connection 503 and closes it gently: what the
/// client sent is read and thrown away first, so the close does not reset
/// the connection and lose the answer on its way. At most
/// `REFUSING_MAX` are closed so at once, each for at most `REFUSE_LINGER`;
/// past that, the answer is written if the socket takes it and the
/// connection dropped.
fn refuse<S>(stream: S, refusing: &Arc<tokio::sync::Semaphore>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let Ok(permit) = Arc::clone(refusing).try_acquire_owned() else {
        return;
    };
    tokio::spawn(async move {
        let _permit = permit;
        let _ = tokio::time::timeout(REFUSE_LINGER, say_busy(stream)).await;
    });
}

/// Writes the 503, ends the sending side, and reads what the client sends
/// until it closes (or `REFUSE_READ_MAX` bytes).
async fn say_busy<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S) -> io::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(BUSY).await?;
    stream.shutdown().await?;
    let mut sink = [0u8; 4096];
    let mut read = 0;
    while read < REFUSE_READ_MAX {
        match stream.read(&mut sink).await? {
            0 => break,
            n => read += n,
        }
    }
    Ok(())
}

/// An accept that failed: out of descriptors (make room by closing a
/// quiet connection), or anything else; either way a short pause.
async fn accept_failed(registry: &Registry, e: &io::Error) {
    let no_files = matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE));
    if no_files {
        registry.make_room(None);
    }
    tracing::warn!("accept failed: {e}");
    tokio::time::sleep(ACCEPT_BACKOFF).await;
}

/// A TLS connection: the handshake within the header timeout (and cut
/// short by shutdown), then HTTP.
async fn serve_tls(
    stream: tokio::net::TcpStream,
    acceptor: TlsAcceptor,
    peer: Peer,
    entry: Entry,
    serving: Serving,
) {
    let watched = Watched {
        io: stream,
        conn: Arc::clone(&entry.conn),
        registry: Arc::clone(&entry.registry),
    };
    let timeout = serving.limits.header_timeout;
    let mut stopping = serving.stopping.clone();
    tokio::select! {
        handshake = tokio::time::timeout(timeout, acceptor.accept(watched)) => match handshake {
            Ok(Ok(tls)) => serve_http(tls, peer, entry, serving).await,
            Ok(Err(e)) => tracing::debug!("TLS handshake failed: {e}"),
            Err(_) => tracing::debug!("TLS handshake timed out"),
        },
        () = entry.conn.close.notified() => {}
        () = async { let _ = stopping.wait_for(|s| *s).await; } => {}
    }
}

/// A plain connection (TCP or the local socket).
async fn serve_connection<IO>(io: IO, peer: Peer, entry: Entry, serving: Serving)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let watched = Watched {
        io,
        conn: Arc::clone(&entry.conn),
        registry: Arc::clone(&entry.registry),
    };
    serve_http(watched, peer, entry, serving).await;
}

/// Serves HTTP on one connection until the client leaves, a limit closes
/// it, or shutdown ends it.
async fn serve_http<IO>(io: IO, peer: Peer, entry: Entry, serving: Serving)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let Serving {
        router,
        limits,
        registry,
        mut stopping,
    } = serving;
    let conn = Arc::clone(&entry.conn);
    let service = {
        let conn = Arc::clone(&conn);
        let registry = Arc::clone(&registry);
        hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(peer);
            let in_flight = InFlight::begin(&conn, &registry);
            let mut router = router.clone();
            async move {
                let response = router.call(request).await?;
                Ok::<_, std::convert::Infallible>(response.map(|body| {
                    Body::new(body.map_frame(move |frame| {
                        let _ = &in_flight;
                        frame
                    }))
                }))
            }
        })
    };
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true)
        .max_buf_size(CONNECTION_BUFFER_BYTES_MAX);
    let connection = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    let check_every = (limits.idle_timeout.min(limits.write_timeout) / 4)
        .clamp(Duration::from_millis(50), CHECK_INTERVAL_MAX);
    let mut check = tokio::time::interval(check_every);
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut graceful = *stopping.borrow();
    if graceful {
        connection.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            ended = connection.as_mut() => {
                if let Err(e) = ended {
                    tracing::debug!("connection ended: {e}");
                }
                break;
            }
            () = conn.close.notified() => break,
            _ = stopping.changed(), if !graceful => {
                graceful = true;
                if conn.in_flight.load(Ordering::Acquire) == 0 {
                    break;
                }
                connection.as_mut().graceful_shutdown();
            }
            _ = check.tick() => {
                if let Some(why) = expired(&conn, &limits, registry.now_ms()) {
                    tracing::debug!("closing a connection: {why}");
                    break;
                }
            }
        }
    }
    drop(entry);
}

/// Why a connection must close now, if it must.
fn expired(conn: &Conn, limits: &Limits, now_ms: u64) -> Option<&'static str> {
    let blocked = conn.write_blocked_since_ms.load(Ordering::Relaxed);
    if blocked != 0 && now_ms.saturating_sub(blocked) >= limits.write_timeout.as_millis() as u64 {
        return Some("the client has not read its answer");
    }
    let quiet = conn.quiet_since_ms.load(Ordering::Relaxed);
    if conn.in_flight.load(Ordering::Acquire) == 0
        && now_ms.saturating_sub(quiet) >= limits.idle_timeout.as_millis() as u64
    {
        return Some("idle");
    }
    None
}

/// Hands freed memory back to the system after connections close: the
/// allocator otherwise keeps the buffers of thousands of closed streams.
async fn hand_back_memory(registry: Arc<Registry>) {
    let mut seen = 0;
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let closed = registry.closed.load(Ordering::Relaxed);
        if closed != seen {
            seen = closed;
            let _ = tokio::task::spawn_blocking(trim).await;
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    // SAFETY: malloc_trim only returns free memory to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}
