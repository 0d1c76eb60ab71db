//! The bounds `podium serve` puts on what clients can make it hold or do:
//! time to send a request's header, to send a body, to read an answer;
//! connections, streams, queries at once and waiting. One place, with the
//! defaults of a server open to anyone; `podium serve` has a flag for each
//! (README "Serving" lists them). Nothing here acts: the accept loop
//! (`listen`), the pool (`pool`), the streams (`events`) and the writes
//! (`writes`) apply them.

use std::time::Duration;

/// Every bound of the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// A request's whole header must arrive within this, from the moment the
    /// server waits for it (a byte a second does not extend it).
    pub header_timeout: Duration,
    /// A connection with no request under way that receives nothing for
    /// this long is closed (keep-alive idle, or a header that stopped).
    pub idle_timeout: Duration,
    /// A connection whose answer (or stream) the client has not read for
    /// this long (the socket's buffer stays full) is dropped.
    pub write_timeout: Duration,
    /// A request body that sends nothing for this long ends in 408.
    pub body_idle_timeout: Duration,
    /// A request body not whole within this ends in 408.
    pub body_timeout: Duration,
    /// A request body longer than this ends in 413.
    pub body_bytes_max: u64,
    /// Connections at once (TCP and the local socket together; also kept
    /// below the open-file limit). At the limit the connection waiting
    /// longest without a request is closed for the new one, or, when every
    /// connection is busy, the new one gets 503 and is closed.
    pub connections_max: usize,
    /// Connections at once from one address: a client at its limit makes
    /// room among its own connections only, so one address cannot take
    /// every place. Set it to `connections_max` behind a proxy, where every
    /// client has the proxy's address.
    pub connections_per_address_max: usize,
    /// Event streams (`/api/events/stream`) at once; more get 503.
    pub streams_max: usize,
    /// Threads that answer questions (queries, scans of the log).
    pub workers: usize,
    /// Questions waiting for a worker at most; more get 503.
    pub queue_max: usize,
    /// On SIGTERM, how long requests under way may take to finish before
    /// their connections are dropped (an unfinished import is rolled back).
    pub shutdown_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(5),
            write_timeout: Duration::from_secs(30),
            body_idle_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(120),
            body_bytes_max: 256 << 20,
            connections_max: 1024,
            connections_per_address_max: 256,
            streams_max: 256,
            workers: default_workers(),
            queue_max: 64,
            shutdown_timeout: Duration::from_secs(5),
        }
    }
}

/// One worker per core, and at least two.
pub fn default_workers() -> usize {
    std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(2)
        .max(2)
}

/// File descriptors kept out of the connection budget: the ledger's files,
/// the local socket, the listeners, and room to spare.
const FILES_RESERVED: u64 = 128;

impl Limits {
    /// Connections at once, kept under the process's open-file limit so
    /// that an accept never fails for want of a descriptor while the
    /// ledger still needs some.
    pub fn connections_allowed(&self) -> usize {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit(2) writes into the struct we own.
        let files = if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
            limit.rlim_cur
        } else {
            u64::MAX
        };
        let budget = files.saturating_sub(FILES_RESERVED).max(16);
        self.connections_max.min(budget as usize).max(1)
    }
}

impl Limits {
    /// Connections at once from one address.
    pub fn connections_per_address_allowed(&self) -> usize {
        self.connections_per_address_max
            .min(self.connections_allowed())
            .max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_stay_under_the_open_file_limit() {
        let limits = Limits {
            connections_max: usize::MAX,
            ..Limits::default()
        };
        let allowed = limits.connections_allowed();
        assert!((1..usize::MAX).contains(&allowed));
    }
}
