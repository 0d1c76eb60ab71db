//! The history bundled with podium: the events/ files compiled into the
//! binary, used to seed a new default ledger.

include!(concat!(env!("OUT_DIR"), "/seed.rs"));

/// Every bundled event, parsed, in the order a new ledger records them:
/// seq from 1, `recorded` as the line gives it (else the Unix epoch), and
/// who recorded it. For callers that fold the history without a ledger
/// (the news reader's lexicon in its tests and benchmark).
///
/// # Errors
/// A line that does not parse, named by its file and line.
pub fn recorded() -> crate::error::Result<Vec<crate::event::Recorded>> {
    let mut out = Vec::with_capacity(EVENTS);
    for (name, text) in FILES {
        for (n, line) in text.lines().enumerate() {
            let parsed = crate::jsonl::parse_line(line)
                .map_err(|e| e.at_line(std::path::Path::new(name), n as u64 + 1))?;
            if let Some(incoming) = parsed {
                out.push(crate::event::Recorded {
                    seq: out.len() as u64 + 1,
                    recorded: incoming.recorded.unwrap_or(jiff::Timestamp::UNIX_EPOCH),
                    recorded_by: incoming.recorded_by,
                    event: incoming.event,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    /// The binary's seed is the events/ folder as it is now: every file, and
    /// every event line (a build script run in another checkout would differ).
    #[test]
    fn the_seed_is_the_events_folder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("events");
        let mut on_disk: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&p).unwrap())
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<(String, String)> = super::FILES
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
            .collect();
        assert_eq!(embedded, on_disk);
        let events = on_disk
            .iter()
            .flat_map(|(_, t)| t.lines())
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(super::EVENTS, events);
        assert!(events > 25_000, "{events} bundled events");
    }
}
