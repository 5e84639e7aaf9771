use super::mutex::MutexGuard;
use crate::backend::sync as imp;
use crate::trace::{self, Op};
use std::panic::Location;
use std::sync::{LockResult, PoisonError};
use std::time::Duration;

/// A condition variable, as `std::sync::Condvar`: it remembers nothing, so always wait in a loop on a condition
/// kept under the mutex. Wake-ups may be spurious.
///
/// Under the model checker it is exactly as permissive as std, never kinder: the scheduler (from its fixed seed,
/// so a verdict never changes between runs) lets a `wait` return without any notify (a spurious wake-up), lets a
/// `wait_timeout` time out at any moment, and lets `notify_one` wake any one of the waiters.
pub struct Condvar {
    id: usize,
    inner: imp::Condvar,
    /// How many notifies were made, for timed waits, which the model checker runs as a poll (see `timed_wait`).
    #[cfg(feature = "shuttle")]
    notified: std::sync::atomic::AtomicUsize,
}

/// Under the model checker: one wait in this many returns without a notify.
#[cfg(feature = "shuttle")]
const SPURIOUS_ONE_IN: u32 = 8;
/// Under the model checker: at each scheduling point, a timed wait times out with chance one in this many.
#[cfg(feature = "shuttle")]
const TIMEOUT_ONE_IN: u32 = 4;

/// A choice the model checker's scheduler makes (and replays from its seed): true one time in `n`.
#[cfg(feature = "shuttle")]
fn scheduler_chooses(n: u32) -> bool {
    use shuttle::rand::Rng;
    shuttle::rand::thread_rng().gen_ratio(1, n)
}

/// Whether a [`Condvar::wait_timeout`] returned because the time ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Condvar {
    #[track_caller]
    pub fn new() -> Self {
        Condvar {
            id: trace::object("Condvar", Location::caller()),
            inner: imp::Condvar::new(),
            #[cfg(feature = "shuttle")]
            notified: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Releases the guard's lock, sleeps until notified, and takes the lock again before returning.
    #[track_caller]
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        self.wait_at(guard, Location::caller())
    }

    /// Waits while `condition` holds for the protected value.
    #[track_caller]
    pub fn wait_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        let at = Location::caller();
        while condition(&mut *guard) {
            guard = self.wait_at(guard, at)?;
        }
        Ok(guard)
    }

    /// Like [`Condvar::wait`], but gives up after `timeout`. Under the model checker time does not pass: the
    /// scheduler decides when the time runs out, so a timeout may happen at any moment (before a notify that
    /// came later, or while the condition is still false).
    #[track_caller]
    pub fn wait_timeout<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        let at = Location::caller();
        let lock = guard.lock;
        let inner = guard.inner.take().expect("guard is held");
        trace::event(
            Op::Wait {
                cv: self.id,
                lock: lock.id,
            },
            Some(at),
        );
        let (result, timed_out) = self.timed_wait(lock, inner, timeout);
        trace::event(
            Op::Woken {
                cv: self.id,
                lock: lock.id,
                timed_out,
                spurious: false,
            },
            Some(at),
        );
        let result = lock.wrap(result);
        let timeout_result = WaitTimeoutResult(timed_out);
        match result {
            Ok(g) => Ok((g, timeout_result)),
            Err(p) => Err(PoisonError::new((p.into_inner(), timeout_result))),
        }
    }

    /// Waits while `condition` holds, or until `timeout` runs out (then the condition may still hold).
    #[track_caller]
    pub fn wait_timeout_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        timeout: Duration,
        mut condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        let started = std::time::Instant::now();
        loop {
            if !condition(&mut *guard) {
                return Ok((guard, WaitTimeoutResult(false)));
            }
            let left = timeout.saturating_sub(started.elapsed());
            let (g, result) = self.wait_timeout(guard, left)?;
            guard = g;
            if result.timed_out() {
                let still = condition(&mut *guard);
                return Ok((guard, WaitTimeoutResult(still)));
            }
        }
    }

    /// The timed wait itself: std's, or, under the model checker, a poll. The lock is released, and at each
    /// scheduling point the waiter either sees that a notify came (woken), or the scheduler lets its time run
    /// out (timed out). It never blocks for good, as a timed wait never does.
    #[cfg(feature = "shuttle")]
    fn timed_wait<'a, T>(
        &self,
        lock: &'a super::mutex::Mutex<T>,
        inner: imp::MutexGuard<'a, T>,
        _timeout: Duration,
    ) -> (LockResult<imp::MutexGuard<'a, T>>, bool) {
        use std::sync::atomic::Ordering::SeqCst;
        let seen = self.notified.load(SeqCst);
        drop(inner);
        let timed_out = loop {
            crate::backend::thread::yield_now();
            if self.notified.load(SeqCst) != seen {
                break false;
            }
            if scheduler_chooses(TIMEOUT_ONE_IN) {
                break true;
            }
        };
        (lock.inner.lock(), timed_out)
    }

    #[cfg(not(feature = "shuttle"))]
    fn timed_wait<'a, T>(
        &self,
        _lock: &'a super::mutex::Mutex<T>,
        inner: imp::MutexGuard<'a, T>,
        timeout: Duration,
    ) -> (LockResult<imp::MutexGuard<'a, T>>, bool) {
        match self.inner.wait_timeout(inner, timeout) {
            Ok((g, t)) => (Ok(g), t.timed_out()),
            Err(p) => {
                let (g, t) = p.into_inner();
                (Err(PoisonError::new(g)), t.timed_out())
            }
        }
    }

    #[track_caller]
    pub fn notify_one(&self) {
        #[cfg(feature = "shuttle")]
        self.notified
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.notify_one();
        trace::here(|| Op::Notify {
            cv: self.id,
            all: false,
        });
    }

    #[track_caller]
    pub fn notify_all(&self) {
        #[cfg(feature = "shuttle")]
        self.notified
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.notify_all();
        trace::here(|| Op::Notify {
            cv: self.id,
            all: true,
        });
    }

    fn wait_at<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        at: &'static Location<'static>,
    ) -> LockResult<MutexGuard<'a, T>> {
        let lock = guard.lock;
        let inner = guard.inner.take().expect("guard is held");
        trace::event(
            Op::Wait {
                cv: self.id,
                lock: lock.id,
            },
            Some(at),
        );
        // Under the model checker the scheduler may wake the waiter without a notify, as std may: the lock is
        // released, other threads run, and the waiter takes the lock again.
        #[cfg(feature = "shuttle")]
        let (result, spurious) = if scheduler_chooses(SPURIOUS_ONE_IN) {
            drop(inner);
            crate::backend::thread::yield_now();
            (lock.inner.lock(), true)
        } else {
            (self.inner.wait(inner), false)
        };
        #[cfg(not(feature = "shuttle"))]
        let (result, spurious) = (self.inner.wait(inner), false);
        trace::event(
            Op::Woken {
                cv: self.id,
                lock: lock.id,
                timed_out: false,
                spurious,
            },
            Some(at),
        );
        lock.wrap(result)
    }
}

impl Default for Condvar {
    #[track_caller]
    fn default() -> Self {
        Condvar::new()
    }
}

impl std::fmt::Debug for Condvar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Condvar { .. }")
    }
}
