//! What an atomic method does with each of its `Ordering` arguments. The honesty guard's ordering pins and the
//! `weaken_ordering` mutation operator both read a call's orderings by it.

/// The names of `std::sync::atomic::Ordering`'s variants.
pub const ORDERINGS: [&str; 5] = ["SeqCst", "AcqRel", "Acquire", "Release", "Relaxed"];

/// What the operation does under one ordering argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Load,
    Store,
    /// A read-modify-write (`swap`, `fetch_*`, a compare-exchange that succeeds).
    Update,
    /// A compare-exchange's (or `fetch_update`'s) ordering when it fails: a load.
    Failure,
}

/// The ordering arguments of an atomic method, by position.
pub fn ordering_args(method: &str) -> &'static [(usize, Access)] {
    match method {
        "load" => &[(0, Access::Load)],
        "store" => &[(1, Access::Store)],
        "compare_exchange" | "compare_exchange_weak" => {
            &[(2, Access::Update), (3, Access::Failure)]
        }
        "fetch_update" => &[(0, Access::Update), (1, Access::Failure)],
        m if m == "swap" || m.starts_with("fetch_") => &[(1, Access::Update)],
        _ => &[],
    }
}
