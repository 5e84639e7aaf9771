//! `conc::sync`: the synchronisation primitives of `std::sync`, observable by the model checker.

pub mod atomic;
mod barrier;
mod condvar;
pub mod mpsc;
mod mutex;
mod once_lock;
mod rwlock;

pub use barrier::{Barrier, BarrierWaitResult};
pub use condvar::{Condvar, WaitTimeoutResult};
pub use mutex::{Mutex, MutexGuard};
pub use once_lock::OnceLock;
pub use rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
// `Arc` does no synchronisation a scheduler needs to see; every backend uses std's.
pub use std::sync::{Arc, LockResult, PoisonError, TryLockError, TryLockResult, Weak};
