//! What every request shares: the read model, the log as last committed,
//! the way to the writer thread, who may do what, and whether the server is
//! stopping. The writer thread owns the `Ledger`; it is the only code of the
//! server that writes, and it publishes each commit to readers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;

use tokio::sync::{oneshot, watch, Semaphore};

use super::auth::Auth;
use super::cache::Answers;
use super::limits::Limits;
use super::pool::Pool;
use super::verified::Verifications;
use super::writes::{write_loop, Job, Outputs};
use crate::ledger::Ledger;
use crate::log::LogReader;
use crate::model::Model;
use crate::record::Head;

/// The state of the server, shared by every request.
pub(super) struct Shared {
    pub model: Model,
    /// Answers already given, kept while no commit can have changed them.
    pub answers: Arc<Answers>,
    /// The log as of the last commit: readers take it and never wait.
    pub committed: watch::Receiver<LogReader>,
    /// Imports, one at a time, to the writer thread.
    jobs: mpsc::Sender<Job>,
    /// Who may do what: tokens, the local socket, the throttle.
    pub auth: Auth,
    /// The bounds on what a client can make the server hold or do.
    pub limits: Limits,
    /// The threads that answer questions.
    pub pool: Pool,
    /// `verify`'s walk of the chain at the last head asked about.
    pub verifications: Verifications,
    /// Long answers under way (event streams, the log): one permit each.
    pub streams: Arc<Semaphore>,
    /// Set when the server stops: streams end, so shutdown does not wait for them.
    stopping: watch::Sender<bool>,
    /// Rebuilds of the read model begun and ended: odd while one runs.
    rebuilds: Arc<AtomicU64>,
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
    pub fn start(
        ledger: Ledger,
        auth: Auth,
        limits: &Limits,
        forget_on_commit: bool,
    ) -> (Shared, Writer) {
        let model = ledger.model().clone();
        let (published, committed) = watch::channel(ledger.reader());
        let answers = Arc::new(Answers::new(ledger.head()));
        let (jobs, queue) = mpsc::channel();
        let rebuilds = Arc::new(AtomicU64::new(0));
        let thread = std::thread::Builder::new()
            .name("podium-writer".into())
            .spawn({
                let rebuilds = Arc::clone(&rebuilds);
                let answers = Arc::clone(&answers);
                move || {
                    let outputs = Outputs {
                        published: &published,
                        answers: &answers,
                        forget_on_commit,
                    };
                    write_loop(ledger, &queue, &outputs, &rebuilds);
                }
            })
            .expect("the writer thread starts");
        let (stopping, _) = watch::channel(false);
        let shared = Shared {
            model,
            answers,
            committed,
            jobs,
            auth,
            limits: limits.clone(),
            pool: Pool::start(limits.workers, limits.queue_max),
            streams: Arc::new(Semaphore::new(limits.streams_max)),
            verifications: Verifications::default(),
            stopping,
            rebuilds,
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

    /// How many rebuilds of the read model have begun and ended (odd: one
    /// is running). An answer read from the model is sound only if this was
    /// even and unchanged from before it was read to after.
    pub fn rebuilds(&self) -> u64 {
        self.rebuilds.load(Ordering::SeqCst)
    }

    /// Has the writer rebuild the read model from the log (a query found it
    /// damaged); waits for it.
    ///
    /// # Errors
    /// The rebuild's; `Busy` when the writer has stopped.
    pub async fn rebuild_model(&self) -> crate::error::Result<u64> {
        let (reply, done) = oneshot::channel();
        if self.jobs.send(Job::Rebuild { reply }).is_err() {
            return Err(crate::error::Error::new(crate::error::ErrorKind::Busy(0)));
        }
        done.await
            .unwrap_or_else(|_| Err(crate::error::Error::internal("the writer stopped")))
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
