//! Forcing interleavings between the processes of a check: tools that put a process at the worst moment on
//! every run, instead of hoping that the scheduler does.
//!
//! | tool | forces |
//! |---|---|
//! | [`crate::gate::WriteGate`] | "everyone reads, then everyone writes" on a shared mapping (first write held) |
//! | [`page_pause`] | a writer held in the middle of an update to a two-page shared mapping, while a reader looks |
//! | [`write_hold`] | a process held just before / after its k-th write into page 0 of a mapping; lockstep writes |
//! | [`turns`] | processes taking turns, one file operation each ([`interpose_file_turns!`](crate::interpose_file_turns)) |
//! | [`durable`] | which files were synced before a rename; a name that vanished ([`interpose_durability!`](crate::interpose_durability)) |
//! | [`mq_hold`] | a queue opener that waits until its parent has settled ([`interpose_mq_open_hold!`](crate::interpose_mq_open_hold)) |
//! | [`proc`] | the /proc sampler the others use: thread and process state, CPU time, "seen waiting", polling |
//!
//! Force both directions: hold the reader mid-read as well as the writer mid-write. A check that only pauses the
//! writer passes a reader that copies outside its lock; one that only pauses the reader passes a writer that
//! publishes in two steps.
//!
//! The tools that replace C library functions (`turns`, `durable`, `mq_hold`) keep their logic here, but the
//! `#[no_mangle]` definitions come from a macro that the check file invokes at its top level: only that check's
//! program gets them (this library is also linked into the runner and into every other check program, whose
//! `read` and `write` must stay the C library's). Each macro defines its functions at most once per program, and
//! two macros that define the same function (`turns` and `durable` both define `rename`) cannot be combined.

pub mod durable;
pub mod mq_hold;
pub mod page_pause;
pub mod proc;
pub mod turns;
pub mod write_hold;

/// For the interposing macros: the C types and calls, without requiring the check program to name `libc`.
#[doc(hidden)]
pub use libc;

use std::io;
use std::path::Path;

/// One shared mapping of a file in this process: where it starts, its length, and the file offset it starts at.
#[derive(Clone, Copy, Debug)]
pub struct SharedMapping {
    pub start: usize,
    pub len: usize,
    pub offset: usize,
}

impl SharedMapping {
    /// Where the byte at file offset `at` is in this mapping, if the mapping covers it.
    pub fn address_of(&self, at: usize) -> Option<usize> {
        (at >= self.offset && at < self.offset + self.len).then(|| self.start + at - self.offset)
    }
}

/// Every shared (`MAP_SHARED`) mapping of `file` in this process, from `/proc/self/maps` (Linux).
pub fn shared_mappings(file: &Path) -> io::Result<Vec<SharedMapping>> {
    let wanted = std::fs::canonicalize(file)?;
    let maps = std::fs::read_to_string("/proc/self/maps")?;
    let hex = |s: &str| usize::from_str_radix(s, 16).ok();
    Ok(maps
        .lines()
        .filter_map(|line| {
            // start-end perms offset dev inode   path
            let mut fields = line.splitn(6, ' ');
            let (range, perms, offset) = (fields.next()?, fields.next()?, fields.next()?);
            let path = fields.nth(2).unwrap_or("").trim_start();
            if Path::new(path) != wanted || !perms.contains('s') {
                return None;
            }
            let (a, b) = range.split_once('-')?;
            let (start, end, offset) = (hex(a)?, hex(b)?, hex(offset)?);
            Some(SharedMapping {
                start,
                len: end - start,
                offset,
            })
        })
        .collect())
}

/// Maps a tool's control file (creating it, zeroed, if it does not exist) as a `T` made of atomics. The check
/// creates it before starting the roles; each role maps it again and keeps the map as long as it uses the `T`
/// (the `'static` is a promise the callers keep by holding the map until they are done).
pub fn map_control<T>(path: &Path) -> io::Result<(&'static T, memmap2::MmapMut)> {
    const { assert!(std::mem::size_of::<T>() <= 4096) };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    file.set_len(4096)?;
    // SAFETY: a scratch file only the forcing tools map, accessed through atomics only.
    let map = unsafe { memmap2::MmapMut::map_mut(&file)? };
    // SAFETY: page-aligned and zero-initialised (a valid value for atomics), and it lives as long as the map.
    let control = unsafe { &*(map.as_ptr() as *const T) };
    Ok((control, map))
}
