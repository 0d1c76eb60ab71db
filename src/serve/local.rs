//! The local endpoint: a Unix socket in the ledger's directory,
//! `<ledger>/podium.sock`, created with mode 0600 so that only the ledger
//! owner's processes can connect (the file's permissions are the
//! authority). A socket left by a server that was killed is replaced, once
//! nothing answers on it; the socket is removed when the server stops.

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The socket's name in the ledger's directory.
pub const SOCKET_NAME: &str = "podium.sock";

/// The bound socket; removes its file when dropped (unless another has
/// taken its place).
pub(super) struct LocalSocket {
    pub path: PathBuf,
    listener: Option<UnixListener>,
    /// The socket file's device and inode, to remove only our own.
    identity: (u64, u64),
}

impl LocalSocket {
    /// Binds `<ledger>/podium.sock` with mode 0600, replacing a stale one.
    ///
    /// # Errors
    /// The path exists and is not a socket, a server answers on it, or it
    /// cannot be bound.
    pub fn bind(ledger: &Path) -> Result<LocalSocket> {
        let path = ledger.join(SOCKET_NAME);
        clear_stale(&path)?;
        // The socket is made with the mode the umask leaves: closed to group
        // and others from its first instant, not after a chmod.
        // SAFETY: umask(2) only swaps the process's file-creation mask.
        let previous = unsafe { libc::umask(0o177) };
        let bound = UnixListener::bind(&path);
        // SAFETY: as above, restoring the mask.
        unsafe { libc::umask(previous) };
        let listener = bound.map_err(|e| Error::io(&path, e))?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(&path, e))?;
        let meta = std::fs::symlink_metadata(&path).map_err(|e| Error::io(&path, e))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::io(&path, e))?;
        Ok(LocalSocket {
            path,
            listener: Some(listener),
            identity: (meta.dev(), meta.ino()),
        })
    }

    /// The listener, for the runtime (once).
    pub fn take_listener(&mut self) -> Option<UnixListener> {
        self.listener.take()
    }
}

impl Drop for LocalSocket {
    fn drop(&mut self) {
        let ours = std::fs::symlink_metadata(&self.path)
            .is_ok_and(|m| (m.dev(), m.ino()) == self.identity);
        if ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Removes a socket that nobody answers on (a killed server's); refuses a
/// path that is not a socket, or one a server still answers on.
fn clear_stale(path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !meta.file_type().is_socket() {
        return Err(Error::invalid(format!(
            "{} exists and is not a socket; move it away to serve this ledger",
            path.display()
        )));
    }
    if UnixStream::connect(path).is_ok() {
        return Err(Error::invalid(format!(
            "a server already answers on {}",
            path.display()
        )));
    }
    std::fs::remove_file(path).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_is_private_replaces_a_stale_one_and_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let socket = LocalSocket::bind(dir.path()).unwrap();
        let meta = std::fs::symlink_metadata(&socket.path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        // One that answers is not taken over.
        assert!(LocalSocket::bind(dir.path()).is_err());
        // A stale one (bound, then its listener gone, the file left) is replaced.
        let path = socket.path.clone();
        let stale = {
            let mut s = socket;
            drop(s.take_listener());
            std::mem::forget(s);
            path.clone()
        };
        assert!(stale.exists());
        let again = LocalSocket::bind(dir.path()).unwrap();
        drop(again);
        assert!(!path.exists());
        // A file that is not a socket is left alone.
        std::fs::write(&path, "x").unwrap();
        assert!(LocalSocket::bind(dir.path()).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "x");
    }
}
