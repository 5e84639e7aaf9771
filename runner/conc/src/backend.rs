//! Which implementation sits under the facade.

#[cfg(feature = "loom")]
pub use loom::{sync, thread};
#[cfg(feature = "shuttle")]
pub use shuttle::{sync, thread};
#[cfg(not(any(feature = "shuttle", feature = "loom")))]
pub use std::{sync, thread};
