//! `conc::thread`: spawning and joining threads, as `std::thread`, numbered so a failing schedule can say
//! which thread did what.

use crate::backend::thread as imp;
use crate::trace::{self, Op};
use std::time::Duration;

pub use std::thread::Result;

/// An owned permission to join a thread, as `std::thread::JoinHandle`.
pub struct JoinHandle<T> {
    index: usize,
    inner: imp::JoinHandle<T>,
}

impl<T> JoinHandle<T> {
    /// Waits for the thread to finish; `Err` carries its panic.
    #[track_caller]
    pub fn join(self) -> Result<T> {
        trace::here(|| Op::Join { child: self.index });
        self.inner.join()
    }
}

/// Starts a thread running `f`.
#[track_caller]
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let index = trace::new_thread();
    trace::here(|| Op::Spawn { child: index });
    let inner = imp::spawn(move || trace::run_thread(index, f));
    JoinHandle { index, inner }
}

/// Lets the scheduler run another thread.
pub fn yield_now() {
    #[cfg(feature = "loom")]
    crate::spin::yielded();
    imp::yield_now();
}

/// Sleeps. Under the model checker time does not pass: this only lets other threads run.
pub fn sleep(duration: Duration) {
    #[cfg(feature = "loom")]
    {
        let _ = duration;
        crate::spin::yielded();
        imp::yield_now();
    }
    #[cfg(not(feature = "loom"))]
    imp::sleep(duration);
}

#[cfg(not(feature = "loom"))]
mod scoped {
    use super::*;

    /// A scope whose threads may borrow from the enclosing function, as `std::thread::Scope`.
    #[repr(transparent)]
    pub struct Scope<'scope, 'env: 'scope> {
        inner: imp::Scope<'scope, 'env>,
    }

    pub struct ScopedJoinHandle<'scope, T> {
        index: usize,
        inner: imp::ScopedJoinHandle<'scope, T>,
    }

    /// Runs `f` with a scope; every thread spawned in it is joined before `scope` returns.
    pub fn scope<'env, F, T>(f: F) -> T
    where
        F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
    {
        imp::scope(|s| {
            // SAFETY: `Scope` is a `repr(transparent)` wrapper around the backend's scope.
            let s: &Scope<'_, 'env> =
                unsafe { &*(s as *const imp::Scope<'_, 'env> as *const Scope<'_, 'env>) };
            f(s)
        })
    }

    impl<'scope> Scope<'scope, '_> {
        #[track_caller]
        pub fn spawn<F, T>(&'scope self, f: F) -> ScopedJoinHandle<'scope, T>
        where
            F: FnOnce() -> T + Send + 'scope,
            T: Send + 'scope,
        {
            let index = trace::new_thread();
            trace::here(|| Op::Spawn { child: index });
            let inner = self.inner.spawn(move || trace::run_thread(index, f));
            ScopedJoinHandle { index, inner }
        }
    }

    impl<T> ScopedJoinHandle<'_, T> {
        #[track_caller]
        pub fn join(self) -> Result<T> {
            trace::here(|| Op::Join { child: self.index });
            self.inner.join()
        }
    }
}

#[cfg(feature = "loom")]
mod scoped {
    //! loom has no scoped threads: spawn ordinary ones and join them all before `scope` returns, which is what
    //! makes lending them borrowed data sound.
    use super::*;
    use std::cell::RefCell;
    use std::marker::PhantomData;
    use std::sync::{Arc, Mutex};

    pub struct Scope<'scope, 'env: 'scope> {
        threads: RefCell<Vec<imp::JoinHandle<()>>>,
        _scope: PhantomData<&'scope mut &'scope ()>,
        _env: PhantomData<&'env mut &'env ()>,
    }

    pub struct ScopedJoinHandle<'scope, T> {
        index: usize,
        done: imp::JoinHandle<()>,
        result: Arc<Mutex<Option<Result<T>>>>,
        _scope: PhantomData<&'scope ()>,
    }

    pub fn scope<'env, F, T>(f: F) -> T
    where
        F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
    {
        let scope = Scope {
            threads: RefCell::new(Vec::new()),
            _scope: PhantomData,
            _env: PhantomData,
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&scope)));
        for thread in scope.threads.take() {
            let _ = thread.join();
        }
        result.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }

    impl<'scope> Scope<'scope, '_> {
        #[track_caller]
        pub fn spawn<F, T>(&'scope self, f: F) -> ScopedJoinHandle<'scope, T>
        where
            F: FnOnce() -> T + Send + 'scope,
            T: Send + 'scope,
        {
            let index = trace::new_thread();
            trace::here(|| Op::Spawn { child: index });
            let result = Arc::new(Mutex::new(None));
            let slot = result.clone();
            let body: Box<dyn FnOnce() + Send + 'scope> = Box::new(move || {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    trace::run_thread(index, f)
                }));
                *slot.lock().unwrap() = Some(outcome);
            });
            // SAFETY: `scope` joins this thread before 'scope ends, so nothing it borrows outlives its use.
            let body: Box<dyn FnOnce() + Send + 'static> = unsafe { std::mem::transmute(body) };
            let done = imp::spawn(body);
            let handle = ScopedJoinHandle {
                index,
                done,
                result,
                _scope: PhantomData,
            };
            handle
        }
    }

    impl<T> ScopedJoinHandle<'_, T> {
        #[track_caller]
        pub fn join(self) -> Result<T> {
            trace::here(|| Op::Join { child: self.index });
            let _ = self.done.join();
            self.result
                .lock()
                .unwrap()
                .take()
                .expect("scoped thread finished")
        }
    }
}

pub use scoped::{Scope, ScopedJoinHandle, scope};
