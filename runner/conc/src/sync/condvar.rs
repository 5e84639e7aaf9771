use super::mutex::MutexGuard;
use crate::backend::sync as imp;
use crate::trace::{self, Op};
use std::panic::Location;
use std::sync::{LockResult, PoisonError};
use std::time::Duration;

/// A condition variable, as `std::sync::Condvar`: it remembers nothing, so always wait in a loop on a condition
/// kept under the mutex. Wake-ups may be spurious.
pub struct Condvar {
    id: usize,
    inner: imp::Condvar,
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

    /// Like [`Condvar::wait`], but gives up after `timeout`. Under the model checker time does not pass: a
    /// timeout is just another possible wake-up.
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
        let (result, timed_out) = match self.inner.wait_timeout(inner, timeout) {
            Ok((g, t)) => (Ok(g), t.timed_out()),
            Err(p) => {
                let (g, t) = p.into_inner();
                (Err(PoisonError::new(g)), t.timed_out())
            }
        };
        trace::event(
            Op::Woken {
                cv: self.id,
                lock: lock.id,
                timed_out,
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

    #[track_caller]
    pub fn notify_one(&self) {
        self.inner.notify_one();
        trace::here(|| Op::Notify {
            cv: self.id,
            all: false,
        });
    }

    #[track_caller]
    pub fn notify_all(&self) {
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
        let result = self.inner.wait(inner);
        trace::event(
            Op::Woken {
                cv: self.id,
                lock: lock.id,
                timed_out: false,
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
