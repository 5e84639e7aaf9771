use crate::backend::sync as imp;
use crate::trace::{self, Op};
use std::panic::Location;

/// Lets `n` threads wait until all of them have arrived, as `std::sync::Barrier`.
pub struct Barrier {
    id: usize,
    inner: imp::Barrier,
}

/// Returned by [`Barrier::wait`]; exactly one thread of each round is the leader.
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl Barrier {
    #[track_caller]
    pub fn new(n: usize) -> Self {
        Barrier {
            id: trace::object("Barrier", Location::caller()),
            inner: imp::Barrier::new(n),
        }
    }

    #[track_caller]
    pub fn wait(&self) -> BarrierWaitResult {
        trace::here(|| Op::BarrierWait { obj: self.id });
        BarrierWaitResult(self.inner.wait().is_leader())
    }
}
