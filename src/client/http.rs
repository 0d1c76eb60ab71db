//! One HTTP/1.1 exchange with a podium server: hyper's client over TCP,
//! over TLS (rustls with the system's roots, or a CA file of one's own), or
//! over the ledger's local socket; a request body read from a blocking
//! reader as it is sent, and the answer's body handed on as it arrives. On
//! a runtime of one thread that lives as long as the `Connection`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::Request;
use hyper_util::rt::TokioIo;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls;

use crate::error::{Error, Result};

/// How long connecting (and a TLS handshake) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a server may send nothing while it answers.
const READ_IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// Bytes of a request body read at once.
const CHUNK_BYTES: usize = 64 << 10;

/// Where a server is.
#[derive(Clone, Debug)]
pub enum Endpoint {
    /// `http://` or `https://` HOST[:PORT][/PREFIX].
    Url {
        tls: bool,
        host: String,
        port: u16,
        /// A path the server is mounted under behind a proxy ("" for none).
        prefix: String,
    },
    /// The local socket of a ledger's server.
    Local(PathBuf),
}

impl Endpoint {
    /// Parses a server's URL.
    ///
    /// # Errors
    /// `Invalid` for anything but `http://` or `https://` with a host.
    pub fn url(url: &str) -> Result<Endpoint> {
        let bad = |why: &str| Error::invalid(format!("--server {url:?}: {why}"));
        let (tls, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err(bad("give a URL that begins with https:// or http://"));
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(bad("no host (and no user:password@ in it)"));
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => {
                let port = port.parse().map_err(|_| bad("the port is not a number"))?;
                (host, port)
            }
            _ => (authority, if tls { 443 } else { 80 }),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        Ok(Endpoint::Url {
            tls,
            host: host.to_owned(),
            port,
            prefix: path.trim_end_matches('/').to_owned(),
        })
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Url {
                tls,
                host,
                port,
                prefix,
            } => {
                let scheme = if *tls { "https" } else { "http" };
                write!(f, "{scheme}://{host}:{port}{prefix}")
            }
            Endpoint::Local(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A request body: none, a few bytes, or a reader sent as it is read.
pub enum Body {
    Empty,
    Bytes(Vec<u8>),
    Reader(Box<dyn Read + Send>),
}

/// The connection to one server (a new socket per exchange).
pub struct Connection {
    runtime: tokio::runtime::Runtime,
    endpoint: Endpoint,
    tls: Option<tokio_rustls::TlsConnector>,
}

/// A server's answer: its status, and the body, read by `each_chunk`.
pub struct Answer<'c> {
    pub status: u16,
    body: Incoming,
    connection: &'c Connection,
}

impl Answer<'_> {
    /// Hands on each piece of the body as it arrives.
    ///
    /// # Errors
    /// The server going silent or away before the end; `each`'s errors.
    pub fn each_chunk(mut self, mut each: impl FnMut(&[u8]) -> Result<()>) -> Result<()> {
        let endpoint = self.connection.endpoint.to_string();
        self.connection.runtime.block_on(async {
            loop {
                let frame = tokio::time::timeout(READ_IDLE_TIMEOUT, self.body.frame())
                    .await
                    .map_err(|_| {
                        Error::invalid(format!(
                            "{endpoint} sent nothing for {} s",
                            READ_IDLE_TIMEOUT.as_secs()
                        ))
                    })?;
                match frame {
                    None => return Ok(()),
                    Some(Ok(frame)) => {
                        if let Some(data) = frame.data_ref() {
                            each(data)?;
                        }
                    }
                    Some(Err(e)) => {
                        return Err(Error::invalid(format!(
                            "{endpoint} broke off its answer: {e}"
                        )))
                    }
                }
            }
        })
    }

    /// The whole body (an answer known to be short: an error, a receipt).
    ///
    /// # Errors
    /// As `each_chunk`.
    pub fn bytes(self) -> Result<Vec<u8>> {
        let mut all = Vec::new();
        self.each_chunk(|chunk| {
            all.extend_from_slice(chunk);
            Ok(())
        })?;
        Ok(all)
    }
}

impl Connection {
    /// A connection to `endpoint`; `ca_cert` (PEM) replaces the system's
    /// roots for HTTPS.
    ///
    /// # Errors
    /// A CA file that cannot be read or holds no certificate; no roots.
    pub fn new(endpoint: Endpoint, ca_cert: Option<&Path>) -> Result<Connection> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::internal(format!("cannot start the client's runtime: {e}")))?;
        let tls = match &endpoint {
            Endpoint::Url { tls: true, .. } => Some(tls_connector(ca_cert)?),
            _ => None,
        };
        Ok(Connection {
            runtime,
            endpoint,
            tls,
        })
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Sends `method path` with `headers` and `body`; the answer's head.
    ///
    /// # Errors
    /// The server cannot be reached, or breaks off.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: Body,
    ) -> Result<Answer<'_>> {
        let (host, prefix) = match &self.endpoint {
            Endpoint::Url {
                host, port, prefix, ..
            } => (format!("{host}:{port}"), prefix.as_str()),
            Endpoint::Local(_) => ("localhost".to_owned(), ""),
        };
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{prefix}{path}"))
            .header(hyper::header::HOST, host);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let (body, reader) = match body {
            Body::Empty => (Full::new(Bytes::new()).map_err(never).boxed(), None),
            Body::Bytes(bytes) => (Full::new(Bytes::from(bytes)).map_err(never).boxed(), None),
            Body::Reader(reader) => {
                let (frames, body) = tokio::sync::mpsc::channel(4);
                let stream = tokio_stream_of(body);
                (
                    BodyExt::boxed(StreamBody::new(stream)),
                    Some((reader, frames)),
                )
            }
        };
        let request = request
            .body(body)
            .map_err(|e| Error::invalid(format!("a request podium cannot send: {e}")))?;
        // A reader is read on a thread of its own, so a slow file or pipe
        // never stalls the runtime, and what it reads goes out as it comes.
        // The thread ends at the reader's end, or when the body is dropped
        // (the server answered before reading it all).
        let streaming = reader.is_some();
        if let Some((mut reader, frames)) = reader {
            std::thread::spawn(move || loop {
                let mut buffer = vec![0u8; CHUNK_BYTES];
                let sent = match reader.read(&mut buffer) {
                    Ok(0) => return,
                    Ok(n) => {
                        buffer.truncate(n);
                        frames.blocking_send(Ok(Frame::data(Bytes::from(buffer))))
                    }
                    Err(e) => frames.blocking_send(Err(e)),
                };
                if sent.is_err() {
                    return;
                }
            });
        }
        let response = self.runtime.block_on(async {
            let mut sender = self.handshake().await?;
            let sent = sender.send_request(request);
            // A body still being sent may take as long as it takes (the
            // server bounds it); a question's answer begins within the bound.
            let response = if streaming {
                sent.await
            } else {
                tokio::time::timeout(READ_IDLE_TIMEOUT, sent)
                    .await
                    .map_err(|_| self.unreachable("no answer in time"))?
            };
            response.map_err(|e| self.unreachable(&e.to_string()))
        })?;
        let status = response.status().as_u16();
        Ok(Answer {
            status,
            body: response.into_body(),
            connection: self,
        })
    }

    async fn handshake(
        &self,
    ) -> Result<hyper::client::conn::http1::SendRequest<BoxBody<Bytes, std::io::Error>>> {
        let connect = async {
            match &self.endpoint {
                Endpoint::Local(path) => {
                    let stream = tokio::net::UnixStream::connect(path)
                        .await
                        .map_err(|e| self.unreachable(&e.to_string()))?;
                    start(TokioIo::new(stream)).await
                }
                Endpoint::Url { host, port, .. } => {
                    let stream = tokio::net::TcpStream::connect((host.as_str(), *port))
                        .await
                        .map_err(|e| self.unreachable(&e.to_string()))?;
                    let _ = stream.set_nodelay(true);
                    match &self.tls {
                        None => start(TokioIo::new(stream)).await,
                        Some(tls) => {
                            let name = ServerName::try_from(host.clone())
                                .map_err(|_| self.unreachable("not a host name for TLS"))?;
                            let stream = tls
                                .connect(name, stream)
                                .await
                                .map_err(|e| self.unreachable(&format!("TLS: {e}")))?;
                            start(TokioIo::new(stream)).await
                        }
                    }
                }
            }
        };
        tokio::time::timeout(CONNECT_TIMEOUT, connect)
            .await
            .map_err(|_| self.unreachable("no connection in time"))?
    }

    fn unreachable(&self, why: &str) -> Error {
        Error::new(crate::error::ErrorKind::Served(format!(
            "cannot reach the server at {}: {why}",
            self.endpoint
        )))
    }
}

/// The HTTP/1 handshake on a connected socket, its driver spawned.
async fn start<T>(
    io: T,
) -> Result<hyper::client::conn::http1::SendRequest<BoxBody<Bytes, std::io::Error>>>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| Error::invalid(format!("HTTP: {e}")))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

fn never(e: std::convert::Infallible) -> std::io::Error {
    match e {}
}

/// The frames a feeding thread sends, as a stream for `StreamBody`.
fn tokio_stream_of(
    mut frames: tokio::sync::mpsc::Receiver<std::io::Result<Frame<Bytes>>>,
) -> impl futures_util::Stream<Item = std::io::Result<Frame<Bytes>>> + Send + Sync + 'static {
    futures_util::stream::poll_fn(move |cx| frames.poll_recv(cx))
}

/// rustls with the system's roots, or the certificates of `ca_cert` alone.
fn tls_connector(ca_cert: Option<&Path>) -> Result<tokio_rustls::TlsConnector> {
    let mut roots = rustls::RootCertStore::empty();
    match ca_cert {
        Some(path) => {
            let bad = |e: rustls_pki_types::pem::Error| {
                Error::invalid(format!(
                    "{}: not a PEM certificate file: {e}",
                    path.display()
                ))
            };
            for cert in CertificateDer::pem_file_iter(path).map_err(bad)? {
                roots
                    .add(cert.map_err(bad)?)
                    .map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
            }
            if roots.is_empty() {
                return Err(Error::invalid(format!(
                    "{}: no certificate in it",
                    path.display()
                )));
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            for cert in found.certs {
                let _ = roots.add(cert);
            }
            if roots.is_empty() {
                return Err(Error::invalid(
                    "no root certificates on this system for https://: give --ca-cert FILE",
                ));
            }
        }
    }
    // ring, as the server's TLS: no system packages to build.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::internal(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_give_scheme_host_port_and_prefix() {
        match Endpoint::url("https://ledger.example").unwrap() {
            Endpoint::Url {
                tls,
                host,
                port,
                prefix,
            } => assert_eq!(
                (tls, host.as_str(), port, prefix.as_str()),
                (true, "ledger.example", 443, "")
            ),
            e => panic!("{e:?}"),
        }
        match Endpoint::url("http://127.0.0.1:8024/podium/").unwrap() {
            Endpoint::Url { port, prefix, .. } => {
                assert_eq!((port, prefix.as_str()), (8024, "/podium"))
            }
            e => panic!("{e:?}"),
        }
        assert!(Endpoint::url("ftp://x").is_err());
        assert!(Endpoint::url("https://user:pw@x").is_err());
        assert!(Endpoint::url("http://x:port").is_err());
    }
}
