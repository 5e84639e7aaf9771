//! `conc::cell::UnsafeCell`: interior mutability for building your own locks, with loom's closure-based API so
//! the `ordering` checker can see every access (and report two unsynchronised ones as a data race).

use crate::trace::{self, Op};
use std::panic::Location;

#[cfg(feature = "loom")]
use loom::cell::UnsafeCell as Imp;

/// A value that may be changed through a shared reference; you must make sure accesses do not overlap.
pub struct UnsafeCell<T> {
    id: usize,
    #[cfg(feature = "loom")]
    inner: Imp<T>,
    #[cfg(not(feature = "loom"))]
    inner: std::cell::UnsafeCell<T>,
}

impl<T> UnsafeCell<T> {
    #[track_caller]
    pub fn new(value: T) -> Self {
        let id = trace::object("UnsafeCell", Location::caller());
        #[cfg(feature = "loom")]
        let inner = Imp::new(value);
        #[cfg(not(feature = "loom"))]
        let inner = std::cell::UnsafeCell::new(value);
        UnsafeCell { id, inner }
    }

    /// Reads through a raw pointer. Calling it is safe; dereferencing the pointer is up to you.
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        trace::here(|| Op::CellAccess {
            obj: self.id,
            write: false,
        });
        #[cfg(feature = "loom")]
        return self.inner.with(f);
        #[cfg(not(feature = "loom"))]
        f(self.inner.get())
    }

    /// Writes through a raw pointer. Calling it is safe; dereferencing the pointer is up to you.
    #[track_caller]
    pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        trace::here(|| Op::CellAccess {
            obj: self.id,
            write: true,
        });
        #[cfg(feature = "loom")]
        return self.inner.with_mut(f);
        #[cfg(not(feature = "loom"))]
        f(self.inner.get())
    }

    pub fn into_inner(self) -> T {
        self.inner.into_inner()
    }
}

impl<T: Default> Default for UnsafeCell<T> {
    #[track_caller]
    fn default() -> Self {
        UnsafeCell::new(T::default())
    }
}
