//! The history bundled with podium: the events/ files compiled into the
//! binary, used to seed a new default ledger.

include!(concat!(env!("OUT_DIR"), "/seed.rs"));
