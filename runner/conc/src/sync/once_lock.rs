use crate::backend::sync as imp;
use crate::trace::{self, Op};
use std::panic::Location;

/// A cell written at most once, as `std::sync::OnceLock`: readers either see nothing or the finished value.
pub struct OnceLock<T> {
    id: usize,
    // Boxed so a `&T` handed out stays valid after the lock is released: once set, the box is never replaced.
    slot: imp::Mutex<Option<Box<T>>>,
}

impl<T> OnceLock<T> {
    #[track_caller]
    pub fn new() -> Self {
        OnceLock {
            id: trace::object("OnceLock", Location::caller()),
            slot: imp::Mutex::new(None),
        }
    }

    /// The value, if it has been set.
    #[track_caller]
    pub fn get(&self) -> Option<&T> {
        let value = self.peek();
        trace::here(|| Op::Load {
            obj: self.id,
            value: if value.is_some() { "set" } else { "empty" }.into(),
        });
        value
    }

    /// Sets the value if nobody has; gives it back otherwise.
    #[track_caller]
    pub fn set(&self, value: T) -> Result<(), T> {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_some() {
            trace::here(|| Op::Load {
                obj: self.id,
                value: "set".into(),
            });
            return Err(value);
        }
        trace::here(|| Op::Store {
            obj: self.id,
            value: "set".into(),
        });
        *slot = Some(Box::new(value));
        Ok(())
    }

    /// The value, computing it first if nobody has yet. Only one thread runs `init`; the others wait for it.
    #[track_caller]
    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(Box::new(init()));
            trace::here(|| Op::Store {
                obj: self.id,
                value: "set".into(),
            });
        } else {
            trace::here(|| Op::Load {
                obj: self.id,
                value: "set".into(),
            });
        }
        let value: *const T = &**slot.as_ref().expect("just set");
        drop(slot);
        // SAFETY: the box is set at most once and freed only with `self`, so it outlives `&self`.
        unsafe { &*value }
    }

    pub fn into_inner(self) -> Option<T> {
        self.slot
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .map(|b| *b)
    }

    fn peek(&self) -> Option<&T> {
        let slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        let value: Option<*const T> = slot.as_deref().map(|v| v as *const T);
        drop(slot);
        // SAFETY: as in `get_or_init`.
        value.map(|v| unsafe { &*v })
    }
}

impl<T> Default for OnceLock<T> {
    #[track_caller]
    fn default() -> Self {
        OnceLock::new()
    }
}
