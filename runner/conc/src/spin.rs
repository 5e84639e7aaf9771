//! Spin loops under loom, made to end as they do on a real machine.
//!
//! loom keeps a partial modification order per atomic and lets a load read any store its thread has not yet
//! seen superseded, for as long as it likes; a thread spinning on a flag (`while locked.load(..) { yield_now() }`)
//! may then read the old value forever, and a correct lock is reported as spinning forever. Real machines make a
//! store visible to every thread "within a reasonable amount of time" (C++ [intro.progress]), so here: once a
//! thread has yielded twice without storing anything since, its next load reads the latest value. The stale read
//! after the first yield is still explored, and nothing changes for code that does not spin.

use std::cell::Cell;

loom::thread_local! {
    static YIELDS: Cell<u32> = Cell::new(0);
}

/// The thread gave up its turn (`yield_now`, `sleep`): it may be spinning.
pub(crate) fn yielded() {
    YIELDS.with(|y| y.set(y.get().saturating_add(1)));
}

/// The thread wrote an atomic: whatever it waited for may have changed.
pub(crate) fn progressed() {
    YIELDS.with(|y| y.set(0));
}

/// The next load should read the latest value: the thread has spun for a while.
pub(crate) fn spinning() -> bool {
    YIELDS.with(|y| y.get() >= 2)
}
