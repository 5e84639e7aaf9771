use crate::backend::sync as imp;
use crate::trace::{self, Op};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

/// A mutual-exclusion lock, as `std::sync::Mutex`.
pub struct Mutex<T: ?Sized> {
    pub(crate) id: usize,
    pub(crate) inner: imp::Mutex<T>,
}

/// Proof that the current thread holds a [`Mutex`]; the lock is released when the guard is dropped.
pub struct MutexGuard<'a, T: ?Sized> {
    // `None` only while a `Condvar` has the backend guard during a wait.
    pub(crate) inner: Option<imp::MutexGuard<'a, T>>,
    pub(crate) lock: &'a Mutex<T>,
}

impl<T> Mutex<T> {
    #[track_caller]
    pub fn new(value: T) -> Self {
        Mutex {
            id: trace::object("Mutex", Location::caller()),
            inner: imp::Mutex::new(value),
        }
    }

    pub fn into_inner(self) -> LockResult<T> {
        self.inner
            .into_inner()
            .map_err(|e| PoisonError::new(e.into_inner()))
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Blocks until the lock is free, then takes it.
    #[track_caller]
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        let at = Location::caller();
        trace::here(|| Op::Lock {
            obj: self.id,
            shared: false,
        });
        let result = self.inner.lock();
        trace::event(
            Op::Locked {
                obj: self.id,
                shared: false,
            },
            Some(at),
        );
        self.wrap(result)
    }

    #[track_caller]
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        let result = self.inner.try_lock();
        let ok = !matches!(result, Err(TryLockError::WouldBlock));
        trace::here(|| Op::TryLock {
            obj: self.id,
            shared: false,
            ok,
        });
        match result {
            Ok(guard) => Ok(self.guard(guard)),
            Err(TryLockError::Poisoned(p)) => Err(TryLockError::Poisoned(PoisonError::new(
                self.guard(p.into_inner()),
            ))),
            Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
        }
    }

    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.inner
            .get_mut()
            .map_err(|e| PoisonError::new(e.into_inner()))
    }

    pub(crate) fn wrap<'a>(
        &'a self,
        result: LockResult<imp::MutexGuard<'a, T>>,
    ) -> LockResult<MutexGuard<'a, T>> {
        match result {
            Ok(guard) => Ok(self.guard(guard)),
            Err(p) => Err(PoisonError::new(self.guard(p.into_inner()))),
        }
    }

    fn guard<'a>(&'a self, inner: imp::MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        // A check on real threads may stretch the time a lock is held (see `conc::stress`).
        crate::stress::pause();
        MutexGuard {
            inner: Some(inner),
            lock: self,
        }
    }
}

impl<T: Default> Default for Mutex<T> {
    #[track_caller]
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T> From<T> for Mutex<T> {
    #[track_caller]
    fn from(value: T) -> Self {
        Mutex::new(value)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner.try_lock() {
            Ok(guard) => f.debug_struct("Mutex").field("data", &&*guard).finish(),
            Err(_) => f
                .debug_struct("Mutex")
                .field("data", &format_args!("<locked>"))
                .finish(),
        }
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_deref().expect("guard is held")
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_deref_mut().expect("guard is held")
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            // Release first, record after: under shuttle the release begins with a scheduling point, and a thread
            // that runs there still finds the lock taken. Recorded before, the trace would show the lock free
            // and then another thread's `try_lock` failing on it.
            drop(inner);
            trace::event(
                Op::Unlock {
                    obj: self.lock.id,
                    shared: false,
                },
                None,
            );
        }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
