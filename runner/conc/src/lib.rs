//! `conc`: the one list of threads and synchronisation primitives that conc-lings exercises use.
//!
//! A learner's own `cargo run` gets `std`. The hidden checks build the same file with the `shuttle` feature (a
//! deterministic random scheduler) or the `loom` feature (exhaustive, with weak memory), so a race or a deadlock
//! is found on every run instead of by luck. Every name here exists, with the same signature, under every
//! backend: the API is an explicit list, never a blanket re-export.

#[cfg(all(feature = "shuttle", feature = "loom"))]
compile_error!("conc: enable at most one of the features `shuttle` and `loom`");

mod backend;
pub mod cell;
#[cfg(feature = "loom")]
mod spin;
#[doc(hidden)]
pub mod stress;
pub mod sync;
pub mod thread;
#[doc(hidden)]
pub mod trace;
