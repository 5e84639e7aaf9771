use crate::backend::sync as imp;
use crate::trace::{self, Op};
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

/// A reader-writer lock, as `std::sync::RwLock`: many readers or one writer.
pub struct RwLock<T: ?Sized> {
    id: usize,
    inner: imp::RwLock<T>,
}

pub struct RwLockReadGuard<'a, T: ?Sized> {
    id: usize,
    // `None` only while the guard is being dropped: the lock is released before the release is recorded.
    inner: Option<imp::RwLockReadGuard<'a, T>>,
}

pub struct RwLockWriteGuard<'a, T: ?Sized> {
    id: usize,
    // As in `RwLockReadGuard`.
    inner: Option<imp::RwLockWriteGuard<'a, T>>,
}

fn map<G, W>(result: LockResult<G>, wrap: impl FnOnce(G) -> W) -> LockResult<W> {
    match result {
        Ok(g) => Ok(wrap(g)),
        Err(p) => Err(PoisonError::new(wrap(p.into_inner()))),
    }
}

fn map_try<G, W>(result: TryLockResult<G>, wrap: impl FnOnce(G) -> W) -> TryLockResult<W> {
    match result {
        Ok(g) => Ok(wrap(g)),
        Err(TryLockError::Poisoned(p)) => Err(TryLockError::Poisoned(PoisonError::new(wrap(
            p.into_inner(),
        )))),
        Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
    }
}

impl<T> RwLock<T> {
    #[track_caller]
    pub fn new(value: T) -> Self {
        RwLock {
            id: trace::object("RwLock", Location::caller()),
            inner: imp::RwLock::new(value),
        }
    }

    pub fn into_inner(self) -> LockResult<T> {
        self.inner
            .into_inner()
            .map_err(|e| PoisonError::new(e.into_inner()))
    }
}

impl<T: ?Sized> RwLock<T> {
    #[track_caller]
    pub fn read(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        let at = Location::caller();
        trace::here(|| Op::Lock {
            obj: self.id,
            shared: true,
        });
        let result = self.inner.read();
        trace::event(
            Op::Locked {
                obj: self.id,
                shared: true,
            },
            Some(at),
        );
        map(result, |inner| RwLockReadGuard {
            id: self.id,
            inner: Some(inner),
        })
    }

    #[track_caller]
    pub fn write(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        let at = Location::caller();
        trace::here(|| Op::Lock {
            obj: self.id,
            shared: false,
        });
        let result = self.inner.write();
        trace::event(
            Op::Locked {
                obj: self.id,
                shared: false,
            },
            Some(at),
        );
        map(result, |inner| RwLockWriteGuard {
            id: self.id,
            inner: Some(inner),
        })
    }

    #[track_caller]
    pub fn try_read(&self) -> TryLockResult<RwLockReadGuard<'_, T>> {
        let result = self.inner.try_read();
        let ok = !matches!(result, Err(TryLockError::WouldBlock));
        trace::here(|| Op::TryLock {
            obj: self.id,
            shared: true,
            ok,
        });
        map_try(result, |inner| RwLockReadGuard {
            id: self.id,
            inner: Some(inner),
        })
    }

    #[track_caller]
    pub fn try_write(&self) -> TryLockResult<RwLockWriteGuard<'_, T>> {
        let result = self.inner.try_write();
        let ok = !matches!(result, Err(TryLockError::WouldBlock));
        trace::here(|| Op::TryLock {
            obj: self.id,
            shared: false,
            ok,
        });
        map_try(result, |inner| RwLockWriteGuard {
            id: self.id,
            inner: Some(inner),
        })
    }
}

impl<T: Default> Default for RwLock<T> {
    #[track_caller]
    fn default() -> Self {
        RwLock::new(T::default())
    }
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_deref().expect("guard is held")
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_deref().expect("guard is held")
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_deref_mut().expect("guard is held")
    }
}

// As for `MutexGuard`: release first, then record the release, so that no thread is shown failing to get a lock
// that the trace already shows free.
impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        drop(self.inner.take());
        trace::event(
            Op::Unlock {
                obj: self.id,
                shared: true,
            },
            None,
        );
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        drop(self.inner.take());
        trace::event(
            Op::Unlock {
                obj: self.id,
                shared: false,
            },
            None,
        );
    }
}
