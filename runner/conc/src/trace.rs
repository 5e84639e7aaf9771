//! A record of what every thread did in the current execution, with the source line that did it.
//!
//! Facade operations are `#[track_caller]`, so each event knows the learner's file and line without debug info
//! or backtraces. The hidden checks clear the record when an execution starts and read it when one fails: the
//! model checker runs all threads of an execution on one OS thread, so the record is a plain thread-local.
//! Without the `trace` feature (a learner's own `cargo run`) every function here is an empty inline stub.

use std::borrow::Cow;
use std::panic::Location;

/// Something a thread did through the facade.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "op", rename_all = "snake_case"))]
pub enum Op {
    Spawn {
        child: usize,
    },
    /// Waits for `child` to finish (recorded before blocking, so a stuck join shows up last).
    Join {
        child: usize,
    },
    /// Asks for a lock (recorded before blocking). `shared` is a read lock of an `RwLock`.
    Lock {
        obj: usize,
        shared: bool,
    },
    /// Got the lock asked for by the thread's previous `Lock`.
    Locked {
        obj: usize,
        shared: bool,
    },
    TryLock {
        obj: usize,
        shared: bool,
        ok: bool,
    },
    /// A guard was dropped. Drop cannot be `#[track_caller]`, so this event has no source line.
    Unlock {
        obj: usize,
        shared: bool,
    },
    /// Releases `lock` and sleeps on condition variable `cv`.
    Wait {
        cv: usize,
        lock: usize,
    },
    /// Woke up from `cv` holding `lock` again.
    Woken {
        cv: usize,
        lock: usize,
        timed_out: bool,
        /// Woke without a notify (std allows it; the model checker makes it happen).
        #[cfg_attr(feature = "serde", serde(default))]
        spurious: bool,
    },
    Notify {
        cv: usize,
        all: bool,
    },
    Load {
        obj: usize,
        value: String,
    },
    Store {
        obj: usize,
        value: String,
    },
    /// A read-modify-write such as `fetch_add`: `old` was read and `new` written in one atomic step.
    Update {
        obj: usize,
        method: Cow<'static, str>,
        old: String,
        new: String,
    },
    /// A `compare_exchange` that found `current`; it wrote `new` only if `ok`.
    CompareExchange {
        obj: usize,
        current: String,
        new: String,
        ok: bool,
    },
    Fence,
    /// Sends on a channel (recorded before blocking on a full channel).
    Send {
        obj: usize,
    },
    /// Waits for a message (recorded before blocking).
    Recv {
        obj: usize,
    },
    /// Got a message (`ok`), or did not: the channel was empty (`try_recv`, `try_iter`, a timed-out
    /// `recv_timeout`) or closed, every sender gone (`closed`).
    Received {
        obj: usize,
        ok: bool,
        #[cfg_attr(feature = "serde", serde(default))]
        closed: bool,
    },
    BarrierWait {
        obj: usize,
    },
    /// Reads or writes the contents of a `conc::cell::UnsafeCell`.
    CellAccess {
        obj: usize,
        write: bool,
    },
    /// The thread's function returned.
    Exit,
}

#[derive(Clone, Debug)]
pub struct Event {
    /// 0 is the thread that started the check; spawned threads count up in spawn order.
    pub thread: usize,
    pub op: Op,
    /// `None` for events with no caller, such as a guard dropped at the end of a scope.
    pub location: Option<&'static Location<'static>>,
}

/// A lock, atomic, condition variable or channel, and where it was created.
#[derive(Clone, Debug)]
pub struct Object {
    pub kind: &'static str,
    pub created_at: &'static Location<'static>,
}

/// Everything recorded in one execution.
#[derive(Clone, Debug, Default)]
pub struct Record {
    pub events: Vec<Event>,
    pub objects: Vec<Object>,
    /// Events left out because an execution ran very long (a spin loop, say): they happened after
    /// `events[..kept]` and before `events[kept..]`.
    pub dropped: usize,
    /// How many events at the front are a selection from the left-out part: the ones that the rest of the
    /// execution still depends on (see [`still_needed`]), so that a long spin does not hide its cause.
    pub kept: usize,
}

/// Which of `events` (the front of a record about to be cut) the rest of the execution still depends on, in
/// order: every spawn and exit, each thread's last event (where it was), the taking of every lock still held
/// at the end, and the last write to each atomic or cell, the last send, receive and notify on each channel and
/// condition variable (what a spinning or waiting thread is reading or waiting for).
pub fn still_needed(events: &[Event]) -> Vec<usize> {
    use std::collections::{BTreeSet, HashMap};
    let mut keep = BTreeSet::new();
    let mut last_of_thread: HashMap<usize, usize> = HashMap::new();
    // (object, what) → the last such event: a write, a send, a receive, a notify.
    let mut last_on: HashMap<(usize, u8), usize> = HashMap::new();
    // lock → (thread, index of the event that took it), for the holders at this point.
    let mut held: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        last_of_thread.insert(e.thread, i);
        match &e.op {
            Op::Spawn { .. } | Op::Exit => {
                keep.insert(i);
            }
            Op::Locked { obj, .. }
            | Op::TryLock { obj, ok: true, .. }
            | Op::Woken { lock: obj, .. } => held.entry(*obj).or_default().push((e.thread, i)),
            Op::Unlock { obj, .. } | Op::Wait { lock: obj, .. } => {
                if let Some(h) = held.get_mut(obj) {
                    if let Some(at) = h.iter().rposition(|&(t, _)| t == e.thread) {
                        h.remove(at);
                    }
                }
            }
            Op::Store { obj, .. }
            | Op::Update { obj, .. }
            | Op::CompareExchange { obj, ok: true, .. }
            | Op::CellAccess { obj, write: true } => {
                last_on.insert((*obj, 0), i);
            }
            Op::Notify { cv, .. } => {
                last_on.insert((*cv, 1), i);
            }
            Op::Send { obj } => {
                last_on.insert((*obj, 2), i);
            }
            Op::Received { obj, .. } => {
                last_on.insert((*obj, 3), i);
            }
            _ => {}
        }
    }
    keep.extend(last_of_thread.into_values());
    keep.extend(last_on.into_values());
    keep.extend(held.into_values().flatten().map(|(_, i)| i));
    keep.into_iter().collect()
}

/// Runs a spawned thread's body, noting which thread it was if it panics (the panic hook runs before the
/// unwind reaches here and cannot tell model threads apart).
#[inline(always)]
pub fn run_thread<T>(index: usize, body: impl FnOnce() -> T) -> T {
    enter_thread(index);
    if !ENABLED {
        return body();
    }
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(value) => {
            event(Op::Exit, None);
            value
        }
        Err(panic) => {
            note_panic(index);
            std::panic::resume_unwind(panic)
        }
    }
}

#[cfg(feature = "trace")]
mod imp {
    use super::*;
    use std::cell::{Cell, RefCell};

    /// Keep the last this many events: enough to explain any failure a small check can produce.
    const MAX_EVENTS: usize = 4096;

    thread_local! {
        static RECORD: RefCell<Record> = RefCell::new(Record::default());
        static THREADS: Cell<usize> = const { Cell::new(1) };
        static PANICKED: Cell<Option<usize>> = const { Cell::new(None) };
    }

    pub fn note_panic(index: usize) {
        if PANICKED.get().is_none() {
            PANICKED.set(Some(index));
        }
    }

    /// The first spawned thread that panicked in this execution, if any.
    pub fn panicked_thread() -> Option<usize> {
        PANICKED.get()
    }

    // The current model thread's index lives in the backend's thread-local, which is per model thread.
    #[cfg(feature = "loom")]
    loom::thread_local! { static INDEX: Cell<usize> = Cell::new(0); }
    #[cfg(feature = "shuttle")]
    shuttle::thread_local! { static INDEX: Cell<usize> = Cell::new(0); }
    #[cfg(not(any(feature = "loom", feature = "shuttle")))]
    thread_local! { static INDEX: Cell<usize> = const { Cell::new(0) }; }

    pub fn begin_execution() {
        RECORD.with_borrow_mut(|r| *r = Record::default());
        THREADS.set(1);
        PANICKED.set(None);
    }

    pub fn take() -> Record {
        RECORD.with_borrow_mut(std::mem::take)
    }

    /// A copy of the record so far, or `None` if it is being written (safe to call from a panic hook).
    pub fn snapshot() -> Option<Record> {
        RECORD.with(|r| r.try_borrow().ok().map(|r| r.clone()))
    }

    pub fn current_thread() -> usize {
        INDEX.with(|i| i.get())
    }

    pub fn new_thread() -> usize {
        let n = THREADS.get();
        THREADS.set(n + 1);
        n
    }

    pub fn enter_thread(index: usize) {
        INDEX.with(|i| i.set(index));
    }

    pub fn object(kind: &'static str, created_at: &'static Location<'static>) -> usize {
        RECORD.with_borrow_mut(|r| {
            r.objects.push(Object { kind, created_at });
            r.objects.len() - 1
        })
    }

    pub fn event(op: Op, location: Option<&'static Location<'static>>) {
        let thread = current_thread();
        RECORD.with_borrow_mut(|r| {
            if r.events.len() == MAX_EVENTS {
                // Rare (only runaway executions get here), so the O(n) work is fine. Cut the older half, but
                // keep what the rest still depends on (at most a quarter of the room; a check is small).
                let cut = MAX_EVENTS / 2;
                let mut needed = still_needed(&r.events[..cut]);
                needed.drain(..needed.len().saturating_sub(MAX_EVENTS / 4));
                let kept: Vec<Event> = needed.iter().map(|&i| r.events[i].clone()).collect();
                r.dropped += cut - kept.len();
                r.kept = kept.len();
                r.events.splice(..cut, kept);
            }
            r.events.push(Event {
                thread,
                op,
                location,
            });
        });
    }
}

#[cfg(not(feature = "trace"))]
mod imp {
    use super::*;
    #[inline(always)]
    pub fn begin_execution() {}
    #[inline(always)]
    pub fn take() -> Record {
        Record::default()
    }
    #[inline(always)]
    pub fn snapshot() -> Option<Record> {
        None
    }
    #[inline(always)]
    pub fn note_panic(_index: usize) {}
    #[inline(always)]
    pub fn panicked_thread() -> Option<usize> {
        None
    }
    #[inline(always)]
    pub fn current_thread() -> usize {
        0
    }
    #[inline(always)]
    pub fn new_thread() -> usize {
        0
    }
    #[inline(always)]
    pub fn enter_thread(_index: usize) {}
    #[inline(always)]
    pub fn object(_kind: &'static str, _created_at: &'static Location<'static>) -> usize {
        0
    }
    #[inline(always)]
    pub fn event(_op: Op, _location: Option<&'static Location<'static>>) {}
}

pub use imp::{
    begin_execution, current_thread, enter_thread, event, new_thread, note_panic, object,
    panicked_thread, snapshot, take,
};

/// Whether operations are being recorded; lets callers skip formatting values for nobody.
pub const ENABLED: bool = cfg!(feature = "trace");

/// Records `op` at the caller's caller (the learner's line, through `#[track_caller]` facade methods).
#[inline(always)]
#[track_caller]
pub(crate) fn here(op: impl FnOnce() -> Op) {
    if ENABLED {
        event(op(), Some(Location::caller()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(thread: usize, op: Op) -> Event {
        Event {
            thread,
            op,
            location: None,
        }
    }

    #[test]
    fn a_cut_keeps_the_lock_still_held_and_the_last_write_a_spinner_reads() {
        let (m, other, flag) = (0, 1, 2);
        let mut events = vec![
            ev(0, Op::Spawn { child: 1 }),
            ev(
                1,
                Op::Locked {
                    obj: other,
                    shared: false,
                },
            ),
            ev(
                1,
                Op::Unlock {
                    obj: other,
                    shared: false,
                },
            ),
            ev(
                1,
                Op::Locked {
                    obj: m,
                    shared: false,
                },
            ),
            ev(
                1,
                Op::Store {
                    obj: flag,
                    value: "false".into(),
                },
            ),
            ev(
                1,
                Op::Store {
                    obj: flag,
                    value: "true".into(),
                },
            ),
        ];
        // Thread 2 spins, reading the flag and failing to get `m`.
        for _ in 0..100 {
            events.push(ev(
                2,
                Op::Load {
                    obj: flag,
                    value: "true".into(),
                },
            ));
            events.push(ev(
                2,
                Op::TryLock {
                    obj: m,
                    shared: false,
                    ok: false,
                },
            ));
        }
        let kept = still_needed(&events);
        // The spawn, the lock thread 1 still holds, its last write (also its last event), thread 2's last event.
        assert_eq!(kept, vec![0, 3, 5, events.len() - 1]);
    }
}
