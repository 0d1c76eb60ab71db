//! The last line of defence of the binary: a panic, or a fault on a mapped
//! page, ends the process with one line on stderr and exit code 1, never a
//! multi-line dump or a signal. sled 0.34.7 panics on some damaged files
//! (seen: 6 `podium verify` runs in 60 on a ledger copy with random bits
//! flipped), and LMDB reads its map directly, so a truncated or damaged model
//! can fault with SIGBUS or SIGSEGV before any check of podium's runs. This
//! module never touches the ledger; it only reports.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};

/// The first panic of the process: where, and its message.
static PANIC: Mutex<Option<(String, String)>> = Mutex::new(None);

/// The pipeline's reading thread, whose panic `pipeline` turns into an error.
const READING_THREAD: &str = "podium-read";

/// Installs the panic hook and the fault handlers. Call once, first thing.
pub fn install() {
    panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = payload_text(info.payload());
        // No flush on the way out: a store that panicked is not written again.
        crate::log::note_store_failure();
        let name = std::thread::current().name().map(str::to_owned);
        match name.as_deref() {
            Some("main") | Some(READING_THREAD) => {
                let mut first = PANIC.lock().unwrap_or_else(|p| p.into_inner());
                first.get_or_insert((location, message));
            }
            // A thread of sled's: nothing waits for it, so the process ends here.
            _ => {
                eprintln!("podium: {}", describe(&location, &message));
                std::process::exit(1);
            }
        }
    }));
    install_fault_handlers();
}

/// Runs `f`, turning a panic into an error (`Storage` when sled panicked,
/// else `Internal`).
///
/// # Errors
/// `f`'s own, or the panic's.
pub fn catch<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let first = PANIC.lock().unwrap_or_else(|p| p.into_inner()).take();
            let (location, message) =
                first.unwrap_or_else(|| (String::new(), payload_text(payload.as_ref())));
            Err(if in_sled(&location) {
                Error::new(ErrorKind::Storage(describe(&location, &message)))
            } else {
                Error::internal(describe(&location, &message))
            })
        }
    }
}

fn in_sled(location: &str) -> bool {
    location.contains("/sled-")
}

fn describe(location: &str, message: &str) -> String {
    if in_sled(location) {
        format!(
            "the log cannot be read, its files are damaged (sled failed at {location}: {message})"
        )
    } else {
        format!("panicked at {location}: {message}")
    }
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic".to_owned()
    }
}

/// The one line a fault prints: written by the handler with `write(2)`, the
/// only output that is safe in a signal handler.
const FAULT_LINE: &[u8] = b"podium: a file of the ledger cannot be read (a damaged page of its \
read model, or a fault reading the disk); removing the ledger's model/ directory rebuilds the \
read model from the log\n";

extern "C" fn on_fault(_signal: libc::c_int) {
    // SAFETY: write(2) and _exit(2) are async-signal-safe.
    unsafe {
        libc::write(2, FAULT_LINE.as_ptr().cast(), FAULT_LINE.len());
        libc::_exit(1);
    }
}

fn install_fault_handlers() {
    for signal in [libc::SIGBUS, libc::SIGSEGV] {
        // SAFETY: a handler that only calls async-signal-safe functions.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_fault as *const () as usize;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_an_error_of_one_line() {
        let e = catch(|| -> Result<()> { panic!("boom\nsecond line") }).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Internal(_)), "{e}");
        assert!(e.to_string().contains("boom"), "{e}");
    }

    #[test]
    fn a_panic_inside_sled_says_the_log_cannot_be_read() {
        let line = describe(
            "/root/.cargo/registry/src/index/sled-0.34.7/src/node.rs:1234",
            "index out of bounds",
        );
        assert!(
            line.starts_with("the log cannot be read, its files are damaged (sled failed at "),
            "{line}"
        );
        assert!(!describe("src/log/mod.rs:1", "x").contains("damaged"));
    }
}
