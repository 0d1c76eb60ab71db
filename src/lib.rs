//! podium: an event-sourced results ledger for Olympic and Paralympic sport.
//!
//! Facts are immutable, dated events in an append-only log ([`log`]); medal
//! tables and everything else are pure folds over it ([`table`]). See
//! ARCHITECTURE.md for the map.

pub mod error;
pub mod event;
pub mod failpoint;
pub mod follow;
pub mod generate;
pub mod guard;
pub mod identity;
pub mod jsonl;
pub mod ledger;

pub use error::{Error, ErrorKind, Result};
pub mod alltime;
pub mod answer;
pub mod chart;
pub mod claims;
pub mod cli;
pub mod client;
pub mod drill;
pub mod entries;
pub mod event_history;
pub mod label;
pub mod log;
pub mod memberships;
pub mod model;
pub mod news;
pub mod people;
pub mod pipeline;
pub mod query;
pub mod record;
pub mod seed;
pub mod serve;
pub mod sports;
pub mod successions;
pub mod table;
pub mod tokens;
pub mod wire;
