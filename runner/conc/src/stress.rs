//! `conc::stress`: for hidden checks on real threads (kinds `compile` and `process`, the `std` backend). A race
//! between two real threads shows only when one of them is paused at the wrong moment, which the operating system
//! does rarely and by chance; [`stretch`] makes that pause certain. Every pause it adds is one the operating system
//! could have made (a thread preempted right there), so it never fails a correct program, and it works on whatever
//! the learner built from `conc`, never on their code's names.
//!
//! Under a model checker (`shuttle`, `loom`) it does nothing: there the checker chooses every interleaving itself.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The pause, in nanoseconds; 0 when nothing is stretched.
static PAUSE_NANOS: AtomicU64 = AtomicU64::new(0);

/// Until the returned guard is dropped, every thread pauses for `pause` right after it takes a `conc` [`Mutex`]
/// (by `lock` or `try_lock`, so it pauses holding it) and right after an atomic `load` (so a `load` and the
/// `store` meant to follow it are `pause` apart). Two threads that reach a lock, or a load-then-store, within
/// `pause` of each other then always meet there.
///
/// [`Mutex`]: crate::sync::Mutex
#[must_use = "the pause lasts only until the guard is dropped"]
pub fn stretch(pause: Duration) -> Stretch {
    let nanos = u64::try_from(pause.as_nanos()).unwrap_or(u64::MAX);
    Stretch {
        previous: PAUSE_NANOS.swap(nanos, Ordering::SeqCst),
    }
}

/// Ends a [`stretch`] when dropped (also when a check panics).
pub struct Stretch {
    previous: u64,
}

impl Drop for Stretch {
    fn drop(&mut self) {
        PAUSE_NANOS.store(self.previous, Ordering::SeqCst);
    }
}

/// Where the facade lets a thread be paused: after taking a lock, after an atomic load.
#[inline]
pub(crate) fn pause() {
    #[cfg(not(any(feature = "shuttle", feature = "loom")))]
    {
        let nanos = PAUSE_NANOS.load(Ordering::Relaxed);
        if nanos != 0 {
            std::thread::sleep(Duration::from_nanos(nanos));
        }
    }
}

#[cfg(all(test, not(any(feature = "shuttle", feature = "loom"))))]
mod tests {
    use super::*;
    use crate::sync::atomic::{AtomicBool, AtomicUsize};
    use crate::sync::{Arc, Mutex};
    use std::time::Instant;

    // One test: the pause is global, and tests run in parallel.
    #[test]
    fn a_stretch_makes_load_then_store_lose_an_update_and_a_held_lock_busy_until_its_guard_drops() {
        let stretched = stretch(Duration::from_millis(200));
        let count = Arc::new(AtomicUsize::new(0));
        let bumpers: Vec<_> = (0..2)
            .map(|_| {
                let count = Arc::clone(&count);
                std::thread::spawn(move || {
                    let old = count.load(Ordering::SeqCst);
                    count.store(old + 1, Ordering::SeqCst);
                })
            })
            .collect();
        for b in bumpers {
            b.join().unwrap();
        }
        // Both loads happen within the first thread's pause: the second increment overwrites the first.
        assert_eq!(count.load(Ordering::SeqCst), 1);

        let log = Arc::new(Mutex::new(()));
        let (locking, about_to_lock) = std::sync::mpsc::channel();
        let holder = {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                locking.send(()).unwrap();
                drop(log.lock().unwrap());
            })
        };
        // The holder pauses with the lock taken.
        about_to_lock.recv().unwrap();
        std::thread::sleep(Duration::from_millis(50));
        assert!(log.try_lock().is_err());
        holder.join().unwrap();

        drop(stretched);
        let start = Instant::now();
        let _ = AtomicBool::new(false).load(Ordering::SeqCst);
        drop(log.lock().unwrap());
        assert!(start.elapsed() < Duration::from_millis(100));
    }
}
