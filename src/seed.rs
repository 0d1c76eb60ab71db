//! The history bundled with podium: the events/ files compiled into the
//! binary, used to seed a new default ledger.

include!(concat!(env!("OUT_DIR"), "/seed.rs"));

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
