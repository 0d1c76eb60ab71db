//! Embeds events/*.jsonl into the binary, so a fresh ledger can be seeded
//! with the bundled history (see `podium::seed`).
//!
//! The folder is found from the manifest directory cargo gives this script
//! when it runs (not when it was compiled: a build script reused from another
//! checkout sharing the target directory would read that checkout's folder),
//! and a folder that is missing or holds no event fails the build: a podium
//! that would seed a default ledger with nothing must not be built.

use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = PathBuf::from(manifest).join("events");
    println!("cargo:rerun-if-changed={}", dir.display());
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => fail(&format!("cannot read {}: {e}", dir.display())),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut events = 0usize;
    let mut out = String::from(
        "/// The bundled events/ files, in name order.\npub const FILES: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
        events += text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    if events == 0 {
        fail(&format!(
            "{} holds no events ({} .jsonl files): podium would seed an empty default ledger",
            dir.display(),
            files.len()
        ));
    }
    out.push_str("];\n");
    writeln!(
        out,
        "/// How many events the bundled files hold.\npub const EVENTS: usize = {events};"
    )
    .unwrap();
    let target = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("seed.rs");
    std::fs::write(target, out).unwrap();
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
