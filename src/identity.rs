//! Who is recording: the name a direct write is recorded by, `--as NAME`
//! or the operating-system user running podium (the command line's, or, for
//! a write through the local socket that names no one, the server's: only
//! its owner can open that socket).

use std::ffi::CStr;

use crate::error::{Error, Result};
use crate::event::check_recorder;

/// The name this command's writes are recorded by: `as_name` when given,
/// else the operating-system user.
///
/// # Errors
/// `Invalid` for a name `check_recorder` refuses, or when there is no user
/// name to be found (then `--as NAME` is needed).
pub fn recorder_name(as_name: Option<&str>) -> Result<String> {
    let name = match as_name {
        Some(name) => name.to_owned(),
        None => os_user().ok_or_else(|| {
            Error::invalid("no user name for this process: say who records with --as NAME")
        })?,
    };
    check_recorder(&name).map_err(|e| Error::invalid(format!("--as: {e}")))?;
    Ok(name)
}

/// The login name of the effective user (the password database's entry),
/// else `$USER` or `$LOGNAME`.
pub fn os_user() -> Option<String> {
    // SAFETY: geteuid never fails.
    let uid = unsafe { libc::geteuid() };
    let mut entry = std::mem::MaybeUninit::<libc::passwd>::uninit();
    let mut buffer = vec![0 as libc::c_char; 4096];
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the sizes given; on success `found`
    // points at `entry`, whose strings live in `buffer`.
    let status = unsafe {
        libc::getpwuid_r(
            uid,
            entry.as_mut_ptr(),
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut found,
        )
    };
    let from_database = (status == 0 && !found.is_null())
        .then(|| {
            // SAFETY: getpwuid_r succeeded and filled `entry`.
            let name = unsafe { CStr::from_ptr((*found).pw_name) };
            name.to_str().ok().map(str::to_owned)
        })
        .flatten()
        .filter(|n| !n.is_empty());
    from_database.or_else(|| {
        ["USER", "LOGNAME"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|n| !n.trim().is_empty()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_wins_and_is_checked() {
        assert_eq!(recorder_name(Some("desk 2")).unwrap(), "desk 2");
        assert!(recorder_name(Some(" ")).is_err());
        assert!(recorder_name(Some("a\nb")).is_err());
    }

    #[test]
    fn the_user_has_a_name() {
        let name = recorder_name(None).unwrap();
        assert!(!name.is_empty());
    }
}
