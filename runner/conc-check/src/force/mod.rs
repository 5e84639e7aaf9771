//! Forcing interleavings between the processes of a check: tools that put a process at the worst moment on
//! every run, instead of hoping that the scheduler does.
//!
//! | tool | forces |
//! |---|---|
//! | [`crate::gate::WriteGate`] | "everyone reads, then everyone writes" on a shared mapping (first write held) |
//! | [`page_pause`] | a writer held in the middle of an update to a two-page shared mapping, while a reader looks |
//! | [`write_hold`] | a process held just before / after its k-th write into page 0 of a mapping; lockstep writes |
//! | [`turns`] | processes taking turns, one file operation each ([`interpose_file_turns!`](crate::interpose_file_turns)) |
//! | [`durable`] | which files were synced before a rename; a name that vanished ([`interpose_durability!`](crate::interpose_durability)) |
//! | [`mq_hold`] | a queue opener that waits until its parent has settled ([`interpose_mq_open_hold!`](crate::interpose_mq_open_hold)) |
//! | [`proc`] | the /proc sampler the others use: thread and process state, CPU time, "seen waiting", polling |
//!
//! Force both directions: hold the reader mid-read as well as the writer mid-write. A check that only pauses the
//! writer passes a reader that copies outside its lock; one that only pauses the reader passes a writer that
//! publishes in two steps.
//!
//! The tools that replace C library functions (`turns`, `durable`, `mq_hold`) keep their logic here, but the
//! `#[no_mangle]` definitions come from a macro that the check file invokes at its top level: only that check's
//! program gets them (this library is also linked into the runner and into every other check program, whose
//! `read` and `write` must stay the C library's). Each macro defines its functions at most once per program, and
//! two macros that define the same function (`turns` and `durable` both define `rename`) cannot be combined.

pub mod durable;
pub mod mq_hold;
pub mod page_pause;
pub mod proc;
pub mod turns;
pub mod write_hold;

/// For the interposing macros: the C types and calls, without requiring the check program to name `libc`.
#[doc(hidden)]
pub use libc;
