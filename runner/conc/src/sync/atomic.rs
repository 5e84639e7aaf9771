//! `conc::sync::atomic`: atomic integers and booleans, as `std::sync::atomic`, with every access recorded
//! together with the value it read or wrote.

use crate::backend::sync::atomic as imp;
use crate::trace::{self, Op};
use std::panic::Location;
pub use std::sync::atomic::Ordering;

/// A memory fence, as `std::sync::atomic::fence`.
#[track_caller]
pub fn fence(order: Ordering) {
    imp::fence(order);
    trace::here(|| Op::Fence);
}

/// Methods every atomic type has, whatever its value type.
macro_rules! atomic_common {
    ($name:ident, $ty:ty) => {
        impl $name {
            #[track_caller]
            pub fn new(value: $ty) -> Self {
                $name {
                    id: trace::object(stringify!($name), Location::caller()),
                    inner: imp::$name::new(value),
                }
            }

            #[track_caller]
            pub fn load(&self, order: Ordering) -> $ty {
                #[cfg(feature = "loom")]
                let value = if crate::spin::spinning() {
                    // A read that writes nothing: it reads the latest value (see `crate::spin`).
                    match self.inner.fetch_update(order, order, |_| None) {
                        Ok(v) | Err(v) => v,
                    }
                } else {
                    self.inner.load(order)
                };
                #[cfg(not(feature = "loom"))]
                let value = self.inner.load(order);
                trace::here(|| Op::Load {
                    obj: self.id,
                    value: value.to_string(),
                });
                crate::stress::pause();
                value
            }

            #[track_caller]
            pub fn store(&self, value: $ty, order: Ordering) {
                #[cfg(feature = "loom")]
                crate::spin::progressed();
                // Recorded after the store: the scheduler may switch threads just before it takes effect.
                self.inner.store(value, order);
                trace::here(|| Op::Store {
                    obj: self.id,
                    value: value.to_string(),
                });
            }

            #[track_caller]
            pub fn swap(&self, value: $ty, order: Ordering) -> $ty {
                #[cfg(feature = "loom")]
                let old = match order {
                    // loom's modification order is partial: a thread's own earlier `swap(true)` and another
                    // thread's later `store(false)` can both count as newest, so a spinning `swap(true)` may read
                    // its own `true` forever. Without Release, a swap that finds its own value changes nothing
                    // another thread could observe (it releases nothing, and a release sequence goes on through
                    // the store it read): so it is a read that writes nothing, which reads the latest value.
                    Ordering::Acquire | Ordering::Relaxed => {
                        match self
                            .inner
                            .fetch_update(order, order, |v| (v != value).then_some(value))
                        {
                            Ok(v) | Err(v) => v,
                        }
                    }
                    _ => self.inner.swap(value, order),
                };
                #[cfg(not(feature = "loom"))]
                let old = self.inner.swap(value, order);
                self.updated("swap", old, value);
                old
            }

            /// Stores `new` if the value is `current`; returns the value found, `Ok` if it was `current`.
            #[track_caller]
            pub fn compare_exchange(
                &self,
                current: $ty,
                new: $ty,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$ty, $ty> {
                let result = self.inner.compare_exchange(current, new, success, failure);
                self.compared(result, new);
                result
            }

            /// Like [`Self::compare_exchange`], but may fail even when the value is `current`; use it in a loop.
            #[track_caller]
            pub fn compare_exchange_weak(
                &self,
                current: $ty,
                new: $ty,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$ty, $ty> {
                let result = self
                    .inner
                    .compare_exchange_weak(current, new, success, failure);
                self.compared(result, new);
                result
            }

            /// Applies `f` until it succeeds atomically (a compare-exchange loop); returns the previous value.
            #[track_caller]
            pub fn fetch_update<F>(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                mut f: F,
            ) -> Result<$ty, $ty>
            where
                F: FnMut($ty) -> Option<$ty>,
            {
                let mut last_new = None;
                let result = self.inner.fetch_update(set_order, fetch_order, |v| {
                    last_new = f(v);
                    last_new
                });
                match (result, last_new) {
                    (Ok(old), Some(new)) => self.updated("fetch_update", old, new),
                    (Err(old), _) | (Ok(old), None) => trace::here(|| Op::Load {
                        obj: self.id,
                        value: old.to_string(),
                    }),
                }
                result
            }

            pub fn into_inner(self) -> $ty {
                self.inner.into_inner()
            }

            #[track_caller]
            fn updated(&self, method: &'static str, old: $ty, new: $ty) {
                #[cfg(feature = "loom")]
                crate::spin::progressed();
                trace::here(|| Op::Update {
                    obj: self.id,
                    method: method.into(),
                    old: old.to_string(),
                    new: new.to_string(),
                });
            }

            #[track_caller]
            fn compared(&self, result: Result<$ty, $ty>, new: $ty) {
                let (current, ok) = match result {
                    Ok(v) => (v, true),
                    Err(v) => (v, false),
                };
                #[cfg(feature = "loom")]
                if ok {
                    crate::spin::progressed();
                }
                trace::here(|| Op::CompareExchange {
                    obj: self.id,
                    current: current.to_string(),
                    new: new.to_string(),
                    ok,
                });
            }
        }

        impl Default for $name {
            #[track_caller]
            fn default() -> Self {
                $name::new(Default::default())
            }
        }

        impl From<$ty> for $name {
            #[track_caller]
            fn from(value: $ty) -> Self {
                $name::new(value)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // Reading for Debug must not count as a step of the program under test.
                f.write_str(concat!(stringify!($name), " { .. }"))
            }
        }
    };
}

macro_rules! atomic_int {
    ($name:ident, $ty:ty) => {
        /// An integer shared between threads, as the `std::sync::atomic` type of the same name.
        pub struct $name {
            id: usize,
            inner: imp::$name,
        }

        atomic_common!($name, $ty);

        impl $name {
            atomic_int_rmw!(
                $name, $ty, fetch_add, fetch_sub, fetch_and, fetch_or, fetch_xor, fetch_nand,
                fetch_max, fetch_min
            );
        }
    };
}

macro_rules! atomic_int_rmw {
    ($name:ident, $ty:ty, $($method:ident),*) => {$(
        /// Atomically reads the value, combines it with `value`, and writes the result; returns the old value.
        #[track_caller]
        pub fn $method(&self, value: $ty, order: Ordering) -> $ty {
            let old = self.inner.$method(value, order);
            #[cfg(feature = "loom")]
            crate::spin::progressed();
            if trace::ENABLED {
                // Recompute what was written, for the record only, on a private copy.
                let scratch = std::sync::atomic::$name::new(old);
                scratch.$method(value, Ordering::Relaxed);
                self.updated(stringify!($method), old, scratch.into_inner());
            }
            old
        }
    )*};
}

atomic_int!(AtomicUsize, usize);
atomic_int!(AtomicIsize, isize);
atomic_int!(AtomicU8, u8);
atomic_int!(AtomicI8, i8);
atomic_int!(AtomicU16, u16);
atomic_int!(AtomicI16, i16);
atomic_int!(AtomicU32, u32);
atomic_int!(AtomicI32, i32);
atomic_int!(AtomicU64, u64);
atomic_int!(AtomicI64, i64);

/// A boolean shared between threads, as `std::sync::atomic::AtomicBool`.
pub struct AtomicBool {
    id: usize,
    inner: imp::AtomicBool,
}

atomic_common!(AtomicBool, bool);

impl AtomicBool {
    atomic_int_rmw!(AtomicBool, bool, fetch_and, fetch_or, fetch_xor, fetch_nand);
}
