//! Reading ahead: an input is read on a second thread while the calling
//! thread consumes it, so both cores work: an import's lines are parsed (JSON,
//! CSV) while the ledger appends, and during a rebuild of the read model the
//! log's blocks are read and their hash links checked while the model is
//! written.
//!
//! The reading thread sends its items in batches of `BATCH_ITEMS` over a
//! channel that holds at most `CHANNEL_BATCHES` batches, so memory is bounded
//! whatever the size of the input. Items arrive in their order; the first
//! error arrives in its place and nothing is read after it. The thread never
//! outlives `read_ahead`: a consumer that stops early closes the channel, the
//! reader's next send fails and it stops, and it is joined before
//! `read_ahead` returns. (A reader blocked in a read, on a stdin pipe that is
//! open but silent, notices only when that read returns: the join waits for
//! it.) A panic on the reading thread becomes an error in the stream, never a
//! silent end of the input. This module never touches the ledger.

use std::any::Any;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::{self, ScopedJoinHandle};

use crate::error::{Error, Result};

/// Items per batch sent between the threads: one send per item would cost a
/// synchronisation per event.
pub const BATCH_ITEMS: usize = 512;

/// Batches the channel holds before the reading thread waits. At most
/// `CHANNEL_BATCHES + 2` batches exist at once: these, the one the reader
/// fills (or is blocked sending) and the one the consumer is taking from.
pub const CHANNEL_BATCHES: usize = 4;

/// Runs `input` on a second thread and gives its items, in order, to
/// `consume` on this one. Returns what `consume` returns once the reading
/// thread has been joined.
///
/// # Errors
/// `consume`'s error; the input's own errors reach `consume` as items. An
/// `Internal` error when the reading thread cannot start, or when it panicked
/// after `consume` stopped taking items (a panic before that is an item).
pub fn read_ahead<I, T, R>(
    input: I,
    consume: impl FnOnce(&mut Ahead<'_, T>) -> Result<R>,
) -> Result<R>
where
    I: Iterator<Item = Result<T>> + Send,
    T: Send,
{
    read_ahead_in_batches(input, BATCH_ITEMS, consume)
}

/// `read_ahead` with batches of `batch_items` items: fewer for large items
/// (blocks of the log), so that memory stays bounded.
///
/// # Errors
/// As `read_ahead`.
pub fn read_ahead_in_batches<I, T, R>(
    input: I,
    batch_items: usize,
    consume: impl FnOnce(&mut Ahead<'_, T>) -> Result<R>,
) -> Result<R>
where
    I: Iterator<Item = Result<T>> + Send,
    T: Send,
{
    let batch_items = batch_items.max(1);
    thread::scope(|scope| {
        let (sender, receiver) = sync_channel(CHANNEL_BATCHES);
        let reader = thread::Builder::new()
            .name("podium-read".to_owned())
            .spawn_scoped(scope, move || send_batches(input, batch_items, &sender))
            .map_err(|e| Error::internal(format!("cannot start the reading thread: {e}")))?;
        let mut ahead = Ahead {
            receiver,
            batch: Vec::new().into_iter(),
            reader: Some(reader),
        };
        let result = consume(&mut ahead);
        let Ahead {
            receiver, reader, ..
        } = ahead;
        // Closing the channel makes the reader's next send fail, so the join is prompt.
        drop(receiver);
        let unseen_panic = reader.and_then(|r| r.join().err());
        match (result, unseen_panic) {
            (Ok(_), Some(payload)) => Err(panicked(payload)),
            (result, _) => result,
        }
    })
}

/// The items of a `read_ahead` input, as the consumer sees them.
pub struct Ahead<'scope, T> {
    receiver: Receiver<Vec<Result<T>>>,
    batch: std::vec::IntoIter<Result<T>>,
    /// `None` once joined: the input has ended.
    reader: Option<ScopedJoinHandle<'scope, ()>>,
}

impl<T> Iterator for Ahead<'_, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        loop {
            if let Some(item) = self.batch.next() {
                return Some(item);
            }
            match self.receiver.recv() {
                Ok(batch) => self.batch = batch.into_iter(),
                // The reader has dropped its sender: it returned, or it panicked, which
                // must not read as the end of the input (an import would commit a prefix).
                Err(_) => {
                    let reader = self.reader.take()?;
                    return reader.join().err().map(|payload| Err(panicked(payload)));
                }
            }
        }
    }
}

/// The reading thread: fills batches and sends them until the input ends,
/// an error has been sent, or the consumer has gone.
fn send_batches<T>(
    input: impl Iterator<Item = Result<T>>,
    batch_items: usize,
    sender: &SyncSender<Vec<Result<T>>>,
) {
    let mut batch = Vec::with_capacity(batch_items);
    for item in input {
        let failed = item.is_err();
        batch.push(item);
        if failed || batch.len() == batch_items {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_items));
            if sender.send(full).is_err() || failed {
                return;
            }
        }
    }
    if !batch.is_empty() {
        // A consumer gone by now has stopped anyway.
        let _ = sender.send(batch);
    }
}

fn panicked(payload: Box<dyn Any + Send>) -> Error {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    Error::internal(format!("the thread reading the input panicked: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts the items the reading thread has taken from its input.
    fn counted<'a, T>(
        input: impl Iterator<Item = Result<T>> + Send + 'a,
        taken: &'a AtomicUsize,
    ) -> impl Iterator<Item = Result<T>> + Send + 'a {
        input.inspect(move |_| {
            taken.fetch_add(1, Ordering::SeqCst);
        })
    }

    fn values(n: usize) -> impl Iterator<Item = Result<usize>> + Send {
        (0..n).map(Ok)
    }

    #[test]
    fn order_is_kept_across_batches() {
        for n in [
            1,
            BATCH_ITEMS - 1,
            BATCH_ITEMS,
            BATCH_ITEMS + 1,
            7 * BATCH_ITEMS + 3,
        ] {
            let got = read_ahead(values(n), |items| items.collect::<Result<Vec<_>>>()).unwrap();
            assert_eq!(got, (0..n).collect::<Vec<_>>(), "{n} items");
        }
    }

    #[test]
    fn empty_input_gives_nothing() {
        let got = read_ahead(values(0), |items| Ok(items.count())).unwrap();
        assert_eq!(got, 0);
    }

    #[test]
    fn an_error_arrives_in_its_place_and_nothing_after_it() {
        let bad = BATCH_ITEMS + 100;
        let taken = AtomicUsize::new(0);
        let input = (0..3 * BATCH_ITEMS).map(|i| {
            if i == bad {
                Err(Error::invalid(format!("bad item {i}")))
            } else {
                Ok(i)
            }
        });
        let got: Vec<Result<usize>> =
            read_ahead(counted(input, &taken), |items| Ok(items.collect())).unwrap();
        assert_eq!(got.len(), bad + 1);
        for (i, item) in got[..bad].iter().enumerate() {
            assert_eq!(*item.as_ref().unwrap(), i);
        }
        let error = got[bad].as_ref().unwrap_err();
        assert_eq!(error.to_string(), format!("bad item {bad}"));
        assert_eq!(
            taken.load(Ordering::SeqCst),
            bad + 1,
            "nothing read after the error"
        );
    }

    #[test]
    fn a_consumer_that_stops_early_stops_and_joins_the_reader() {
        // An endless input: if the reader did not stop, read_ahead would never return.
        let taken = AtomicUsize::new(0);
        let bound = (CHANNEL_BATCHES + 2) * BATCH_ITEMS;
        let result: Result<()> = read_ahead(counted((0..).map(Ok), &taken), |items| {
            for (consumed, item) in items.enumerate() {
                assert!(
                    taken.load(Ordering::SeqCst) <= consumed + bound,
                    "memory is bounded"
                );
                if item? == 3 {
                    return Err(Error::refused("the fourth event is refused"));
                }
            }
            unreachable!("the input is endless")
        });
        assert_eq!(
            result.unwrap_err().to_string(),
            "the fourth event is refused"
        );
        assert!(taken.load(Ordering::SeqCst) <= 4 + bound);
    }

    #[test]
    fn a_panic_while_reading_is_an_error_not_the_end() {
        let input = (0..BATCH_ITEMS + 10).map(|i| {
            assert!(i < BATCH_ITEMS + 5, "reader broke at {i}");
            Ok(i)
        });
        let got: Vec<Result<usize>> = read_ahead(input, |items| Ok(items.collect())).unwrap();
        // The full batch was sent before the panic; the partial one is lost with it.
        assert_eq!(got.len(), BATCH_ITEMS + 1);
        let error = got.last().unwrap().as_ref().unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Internal(_)), "{error}");
        assert!(
            error
                .to_string()
                .contains(&format!("reader broke at {}", BATCH_ITEMS + 5)),
            "{error}"
        );
    }

    #[test]
    fn a_panic_after_the_consumer_stopped_is_an_error() {
        // The consumer takes nothing and returns; the reader panics before any send.
        let input = (0..).map(|i| -> Result<usize> { panic!("reader broke at {i}") });
        let error = read_ahead(input, |_| Ok(())).unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Internal(_)), "{error}");
    }

    #[test]
    fn a_panicking_consumer_does_not_hang_the_reader() {
        let outcome = std::panic::catch_unwind(|| {
            read_ahead(
                (0..).map(Ok),
                |items: &mut Ahead<'_, usize>| -> Result<()> {
                    items.next();
                    panic!("consumer broke");
                },
            )
        });
        assert!(outcome.is_err());
    }
}
