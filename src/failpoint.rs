//! Fault injection at each step of an append, for tests: built only with
//! the cargo feature `failpoints` (without it, `hit` is nothing). With
//! `PODIUM_FAILPOINT=STEP:N`, the Nth time this process reaches STEP fails
//! as a storage error would. The steps, in the order an append takes them:
//! `block` (a block written to the log), `index` (its id index entries),
//! `model` (its facts to the read model), `head` (the log's head moved),
//! `flush` (sled's flush), `sync` (the log's file and directory synced),
//! `model-head` (the read model's head moved).

use crate::error::Result;

/// Fails when `PODIUM_FAILPOINT` names `step` and this is its Nth hit.
///
/// # Errors
/// `Storage`, naming the step, when the failpoint fires.
#[cfg(feature = "failpoints")]
pub fn hit(step: &str) -> Result<()> {
    use std::collections::HashMap;
    use std::sync::Mutex;

    static HITS: Mutex<Option<HashMap<String, u64>>> = Mutex::new(None);
    let Some(spec) = std::env::var("PODIUM_FAILPOINT").ok() else {
        return Ok(());
    };
    let Some((name, nth)) = spec.split_once(':') else {
        return Ok(());
    };
    if name != step {
        return Ok(());
    }
    let mut hits = HITS.lock().unwrap_or_else(|p| p.into_inner());
    let count = hits
        .get_or_insert_with(HashMap::new)
        .entry(step.to_owned())
        .or_insert(0);
    *count += 1;
    if nth.parse() == Ok(*count) {
        return Err(crate::error::Error::new(crate::error::ErrorKind::Storage(
            format!("injected failure at {step} (hit {count})"),
        )));
    }
    Ok(())
}

#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub fn hit(_step: &str) -> Result<()> {
    Ok(())
}
