//! The threads that answer questions: a fixed number of workers and a
//! bounded queue. A question that finds the queue full is refused at once
//! (503 with Retry-After) instead of waiting, so a flood of costly questions
//! cannot make the server start threads without end or delay the answers
//! it already keeps (those never come here).

use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::error::{Error, ErrorKind, Result};

type Task = Box<dyn FnOnce() + Send>;

/// Workers and their queue; the workers end when the pool is dropped.
pub(super) struct Pool {
    queue: SyncSender<Task>,
}

impl Pool {
    /// Starts `workers` threads, with room for `queue_max` waiting tasks.
    pub fn start(workers: usize, queue_max: usize) -> Pool {
        let (queue, tasks) = mpsc::sync_channel::<Task>(queue_max);
        let tasks = Arc::new(Mutex::new(tasks));
        for i in 0..workers.max(1) {
            let tasks = Arc::clone(&tasks);
            std::thread::Builder::new()
                .name(format!("podium-query-{i}"))
                .spawn(move || loop {
                    let task = match tasks.lock() {
                        Ok(tasks) => tasks.recv(),
                        Err(_) => return,
                    };
                    match task {
                        // A panic drops this task's answer (the asker sees it
                        // fail) and the worker goes on, unless a panic hook
                        // ends the process first, as podium's guard does.
                        Ok(task) => {
                            let _ = std::panic::catch_unwind(AssertUnwindSafe(task));
                        }
                        Err(_) => return,
                    }
                })
                .expect("a worker thread starts");
        }
        Pool { queue }
    }

    /// Runs `work` on a worker and waits for its result.
    ///
    /// # Errors
    /// `Overloaded` when the queue is full; `Internal` when the work panicked.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        self.submit(work)?
            .await
            .map_err(|_| Error::internal("the question failed"))
    }

    /// Queues `work`; its result comes on the receiver (closed if it panicked).
    ///
    /// # Errors
    /// `Overloaded` when the queue is full.
    pub fn submit<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<oneshot::Receiver<T>> {
        let (reply, result) = oneshot::channel();
        let task: Task = Box::new(move || {
            let _ = reply.send(work());
        });
        match self.queue.try_send(task) {
            Ok(()) => Ok(result),
            Err(TrySendError::Full(_)) => Err(overloaded()),
            Err(TrySendError::Disconnected(_)) => {
                Err(Error::internal("the query threads have stopped"))
            }
        }
    }
}

/// The server is answering as many questions as it may.
pub(super) fn overloaded() -> Error {
    Error::new(ErrorKind::Overloaded(
        "the server is answering as many questions as it can; try again in a moment".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_queue_refuses_at_once_and_a_panic_fails_one_task() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            let pool = Pool::start(1, 1);
            let (release, gate) = std::sync::mpsc::channel::<()>();
            let (started, running) = std::sync::mpsc::channel::<()>();
            // One task holds the worker, one waits in the queue, a third is refused.
            let busy = pool
                .submit(move || {
                    started.send(()).unwrap();
                    gate.recv().unwrap();
                    1
                })
                .unwrap();
            running.recv().unwrap();
            let queued = pool.submit(|| 2).unwrap();
            let refused = pool.submit(|| 3).unwrap_err();
            assert!(matches!(refused.kind(), ErrorKind::Overloaded(_)));
            assert!(refused.to_string().contains("try again"));
            release.send(()).unwrap();
            assert_eq!(busy.await.unwrap(), 1);
            assert_eq!(queued.await.unwrap(), 2);
            assert!(pool.run(|| panic!("on purpose")).await.is_err());
            assert_eq!(pool.run(|| 4).await.unwrap(), 4);
        });
    }
}
