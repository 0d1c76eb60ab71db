//! What every request shares: the read model, the log as last committed,
//! the way to the writer thread, the token, and whether the server is
//! stopping. The writer thread owns the `Ledger`; it is the only code of the
//! server that writes, and it publishes each commit to readers.

use std::sync::mpsc;
use std::thread::JoinHandle;

use tokio::sync::{oneshot, watch};

use super::cache::Answers;
use super::writes::{write_loop, Job};
use crate::log::{Head, Ledger, LogReader};
use crate::model::Model;

/// The state of the server, shared by every request.
pub(super) struct Shared {
    pub model: Model,
    /// Answers already given at the last commit.
    pub answers: Answers,
    /// The log as of the last commit: readers take it and never wait.
    pub committed: watch::Receiver<LogReader>,
    /// Imports, one at a time, to the writer thread.
    jobs: mpsc::Sender<Job>,
    pub token: Option<String>,
    /// Set when the server stops: streams end, so shutdown does not wait for them.
    stopping: watch::Sender<bool>,
}

/// The writer thread, to close when the server has stopped.
pub(super) struct Writer {
    thread: JoinHandle<()>,
}

impl Writer {
    /// Waits for the writer to finish the import under way and close the
    /// ledger (every `Shared` must have been dropped, closing its queue).
    pub fn finish(self) {
        if self.thread.join().is_err() {
            tracing::error!("the writer thread panicked");
        }
    }
}

impl Shared {
    /// Starts the writer thread on `ledger`.
    pub fn start(ledger: Ledger, token: Option<String>) -> (Shared, Writer) {
        let model = ledger.model().clone();
        let (published, committed) = watch::channel(ledger.reader());
        let (jobs, queue) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("podium-writer".into())
            .spawn(move || write_loop(ledger, &queue, &published))
            .expect("the writer thread starts");
        let (stopping, _) = watch::channel(false);
        let shared = Shared {
            model,
            answers: Answers::default(),
            committed,
            jobs,
            token,
            stopping,
        };
        (shared, Writer { thread })
    }

    /// The log as last committed.
    pub fn log(&self) -> LogReader {
        self.committed.borrow().clone()
    }

    /// The head of the last commit.
    pub fn head(&self) -> Head {
        self.committed.borrow().head()
    }

    /// Queues an import; the answer comes on the job's reply.
    pub fn submit(&self, job: Job) -> Result<(), Job> {
        self.jobs.send(job).map_err(|e| e.0)
    }

    /// Resolves when the server starts stopping.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.stopping.subscribe()
    }

    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }
}

/// A reply to a job: what the writer did, and the head after it.
pub(super) type Reply = oneshot::Sender<crate::error::Result<(crate::log::Appended, Head)>>;
