//! Standard input for an import, read on a thread of its own. An import that
//! stops early (a line the ledger refuses) must end at once, but a thread
//! blocked reading a pipe that is open and silent cannot be told to stop:
//! that thread is detached, and the import reads what it forwards, waiting
//! for it a bounded time at once and asking whether the import has stopped
//! (`stop`) between waits. Never touches the ledger.

use std::io::{BufRead, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::time::Duration;

/// Bytes the reading thread forwards at once.
const CHUNK_BYTES: usize = 1 << 16;
/// Chunks waiting to be read: bounds memory.
const CHUNKS_MAX: usize = 16;
/// How long a read waits before it asks whether the import has stopped.
const POLL_MS: u64 = 50;

/// Set when the import has stopped: reads of stdin end.
static STOPPED: AtomicBool = AtomicBool::new(false);

/// Tells every `Stdin` reader that the import has stopped.
pub(super) fn stop() {
    STOPPED.store(true, Ordering::SeqCst);
}

/// Standard input, forwarded by a detached thread.
pub(super) struct Stdin {
    chunks: Receiver<std::io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    at: usize,
}

impl Stdin {
    pub(super) fn new() -> Stdin {
        let (sender, chunks) = sync_channel(CHUNKS_MAX);
        // Detached: it ends with its input, with a failed send once the
        // import is done, or with the process.
        std::thread::spawn(move || {
            let mut input = std::io::stdin().lock();
            loop {
                let mut chunk = vec![0; CHUNK_BYTES];
                let read = input.read(&mut chunk).map(|n| {
                    chunk.truncate(n);
                    chunk
                });
                let end = read.as_ref().map_or(true, Vec::is_empty);
                if sender.send(read).is_err() || end {
                    return;
                }
            }
        });
        Stdin {
            chunks,
            chunk: Vec::new(),
            at: 0,
        }
    }
}

impl Read for Stdin {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Stdin {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        while self.at == self.chunk.len() {
            match self.chunks.recv_timeout(Duration::from_millis(POLL_MS)) {
                Ok(chunk) => {
                    self.chunk = chunk?;
                    self.at = 0;
                    if self.chunk.is_empty() {
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) if !STOPPED.load(Ordering::SeqCst) => {}
                // Stopped, or the reading thread has ended: the end of the input.
                Err(_) => {
                    self.chunk.clear();
                    self.at = 0;
                    break;
                }
            }
        }
        Ok(&self.chunk[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at = (self.at + n).min(self.chunk.len());
    }
}
