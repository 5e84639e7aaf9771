//! Forcing the worst timing between processes that share memory, so that a lost update is certain, not likely.
//!
//! [`WriteGate::hold_first_write`] makes the shared mapping of a file read-only in this process. The first write
//! into it traps (SIGSEGV); the handler waits there until every party (the other processes of the check) has
//! trapped too — or a patience runs out — then makes the mapping writable again and lets the write happen.
//! Reads are never held. So with two processes each running `value = load(); store(value + 1)`, both loads
//! happen before either store: both store 1, and one increment is lost on every run. An atomic read-modify-write
//! (`fetch_add`, `compare_exchange`) is a write from its first instruction: it traps before reading, and after
//! the release each one reads what the other wrote. A lock in the shared region works the same way (taking it is a
//! write). Linux only; elsewhere the gate reports that it cannot arm.
//!
//! ```ignore
//! c.role("worker", |args| {
//!     let mut counter = SharedCounter::open(Path::new(&args[0])).unwrap();
//!     let gate = WriteGate::hold_first_write(Path::new(&args[0]), Path::new(&args[1]), 2).unwrap();
//!     counter.increment(); // held at its first write until the other worker's first write is held too
//!     gate.finish();
//! });
//! ```

#![cfg_attr(not(target_os = "linux"), allow(dead_code, unused_imports))]

use crate::force::proc::{nap, now_ns};
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long a held write waits for the other parties before going ahead anyway (a correct solution that takes a
/// lock outside the region never reaches its write while another process holds the lock).
pub const PATIENCE: Duration = Duration::from_secs(2);
/// How long the parties wait for each other to arm before starting.
const START_PATIENCE: Duration = Duration::from_secs(5);
const MAX_RANGES: usize = 8;

static RANGES: [AtomicUsize; MAX_RANGES * 2] = [const { AtomicUsize::new(0) }; MAX_RANGES * 2];
static RANGE_COUNT: AtomicUsize = AtomicUsize::new(0);
static ARMED: AtomicBool = AtomicBool::new(false);
static HELD: AtomicBool = AtomicBool::new(false);
static ARRIVED: AtomicPtr<AtomicU32> = AtomicPtr::new(std::ptr::null_mut());
static PARTIES: AtomicU32 = AtomicU32::new(0);
static PATIENCE_NS: AtomicU64 = AtomicU64::new(0);

/// An armed gate; [`WriteGate::finish`] disarms it.
pub struct WriteGate {
    _control: memmap2::MmapMut,
    #[cfg(target_os = "linux")]
    previous: nix::sys::signal::SigAction,
}

impl WriteGate {
    /// Holds this process's first write into its shared mapping(s) of `shared_file` until `parties` processes
    /// (which use the same `control_file`, a scratch file the check names) have each been held, or [`PATIENCE`]
    /// runs out. Returns once all parties have armed (or after a few seconds), so that they start together.
    /// Errors if `shared_file` is not mapped in this process yet.
    pub fn hold_first_write(
        shared_file: &Path,
        control_file: &Path,
        parties: u32,
    ) -> io::Result<WriteGate> {
        arm(shared_file, control_file, parties)
    }

    /// Whether a write was held (the code under test wrote into the region).
    pub fn held(&self) -> bool {
        HELD.load(Ordering::SeqCst)
    }

    /// Disarms: the mapping is writable again and SIGSEGV means what it meant before. Returns [`Self::held`].
    pub fn finish(self) -> bool {
        let held = self.held();
        ARMED.store(false, Ordering::SeqCst);
        unprotect();
        #[cfg(target_os = "linux")]
        // SAFETY: restores the action that was in place before `arm`.
        unsafe {
            let _ = nix::sys::signal::sigaction(nix::sys::signal::Signal::SIGSEGV, &self.previous);
        }
        ARRIVED.store(std::ptr::null_mut(), Ordering::SeqCst);
        held
    }
}

/// The address ranges where `file` is mapped shared in this process, from `/proc/self/maps`.
fn mapped_ranges(file: &Path) -> io::Result<Vec<(usize, usize)>> {
    Ok(crate::force::shared_mappings(file)?
        .iter()
        .map(|m| (m.start, m.len))
        .collect())
}

fn protect(writable: bool) {
    use nix::sys::mman::{ProtFlags, mprotect};
    let prot = if writable {
        ProtFlags::PROT_READ | ProtFlags::PROT_WRITE
    } else {
        ProtFlags::PROT_READ
    };
    for i in 0..RANGE_COUNT.load(Ordering::SeqCst) {
        let start = RANGES[2 * i].load(Ordering::SeqCst);
        let len = RANGES[2 * i + 1].load(Ordering::SeqCst);
        if let Some(addr) = std::ptr::NonNull::new(start as *mut std::ffi::c_void) {
            // SAFETY: the range is a mapping of this process (from /proc/self/maps); only its protection changes.
            // mprotect is async-signal-safe, so this also runs in the handler.
            let _ = unsafe { mprotect(addr, len, prot) };
        }
    }
}

fn unprotect() {
    protect(true)
}

#[cfg(target_os = "linux")]
extern "C" fn on_segv(
    _signal: libc::c_int,
    info: *mut libc::siginfo_t,
    _context: *mut libc::c_void,
) {
    // Only async-signal-safe things here: atomics, clock_gettime, nanosleep, mprotect, sigaction.
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers.
    let addr = unsafe { (*info).si_addr() } as usize;
    let ours = (0..RANGE_COUNT.load(Ordering::SeqCst)).any(|i| {
        let start = RANGES[2 * i].load(Ordering::SeqCst);
        addr >= start && addr < start + RANGES[2 * i + 1].load(Ordering::SeqCst)
    });
    if !(ours && ARMED.swap(false, Ordering::SeqCst)) {
        // A real crash: put the default action back and let the faulting instruction run again.
        // SAFETY: sigaction(2) with a zeroed sigaction means SIG_DFL.
        unsafe {
            let mut dfl: libc::sigaction = std::mem::zeroed();
            dfl.sa_sigaction = libc::SIG_DFL;
            libc::sigaction(libc::SIGSEGV, &dfl, std::ptr::null_mut());
        }
        unprotect();
        return;
    }
    HELD.store(true, Ordering::SeqCst);
    let arrived = ARRIVED.load(Ordering::SeqCst);
    if !arrived.is_null() {
        // SAFETY: points into the control mapping, which lives until `finish`.
        let arrived = unsafe { &*arrived };
        arrived.fetch_add(1, Ordering::SeqCst);
        let until = now_ns() + PATIENCE_NS.load(Ordering::SeqCst);
        while arrived.load(Ordering::SeqCst) < PARTIES.load(Ordering::SeqCst) && now_ns() < until {
            nap(100_000);
        }
    }
    unprotect();
}

#[cfg(target_os = "linux")]
fn arm(shared_file: &Path, control_file: &Path, parties: u32) -> io::Result<WriteGate> {
    use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
    let ranges = mapped_ranges(shared_file)?;
    if ranges.is_empty() {
        return Err(io::Error::other(format!(
            "{} is not mapped (shared) in this process",
            shared_file.display()
        )));
    }
    let control = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(control_file)?;
    control.set_len(4096)?;
    // SAFETY: a scratch file only gate processes map; it is accessed through atomics only.
    let mut control = unsafe { memmap2::MmapMut::map_mut(&control)? };
    let words = control.as_mut_ptr().cast::<AtomicU32>();
    // SAFETY: the mapping is page-aligned and 4096 bytes long; [0] counts armed parties, [1] held ones.
    let (armed, arrived) = unsafe { (&*words, &*words.add(1)) };

    RANGE_COUNT.store(0, Ordering::SeqCst);
    for (i, (start, len)) in ranges.iter().take(MAX_RANGES).enumerate() {
        RANGES[2 * i].store(*start, Ordering::SeqCst);
        RANGES[2 * i + 1].store(*len, Ordering::SeqCst);
    }
    RANGE_COUNT.store(ranges.len().min(MAX_RANGES), Ordering::SeqCst);
    PARTIES.store(parties, Ordering::SeqCst);
    PATIENCE_NS.store(PATIENCE.as_nanos() as u64, Ordering::SeqCst);
    ARRIVED.store(std::ptr::from_ref(arrived).cast_mut(), Ordering::SeqCst);
    HELD.store(false, Ordering::SeqCst);

    let action = SigAction::new(
        SigHandler::SigAction(on_segv),
        SaFlags::SA_SIGINFO,
        SigSet::empty(),
    );
    // SAFETY: the handler only uses async-signal-safe operations.
    let previous = unsafe { sigaction(Signal::SIGSEGV, &action) }.map_err(io::Error::from)?;
    ARMED.store(true, Ordering::SeqCst);
    protect(false);

    armed.fetch_add(1, Ordering::SeqCst);
    let until = Instant::now() + START_PATIENCE;
    while armed.load(Ordering::SeqCst) < parties && Instant::now() < until {
        std::thread::sleep(Duration::from_micros(200));
    }
    Ok(WriteGate {
        _control: control,
        previous,
    })
}

#[cfg(not(target_os = "linux"))]
fn arm(_shared_file: &Path, _control_file: &Path, _parties: u32) -> io::Result<WriteGate> {
    Err(io::Error::other(
        "the write gate needs Linux (/proc/self/maps)",
    ))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_write_into_the_region_is_held_and_then_happens() {
        let path = std::env::temp_dir().join(format!("gate-test-{}", std::process::id()));
        let control =
            std::env::temp_dir().join(format!("gate-test-{}-control", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        file.set_len(4096).unwrap();
        // SAFETY: a private test file.
        let mut map = unsafe { memmap2::MmapMut::map_mut(&file).unwrap() };
        let gate = WriteGate::hold_first_write(&path, &control, 1).unwrap();
        assert_eq!(map[0], 0, "reads are not held");
        map[0] = 7;
        assert!(gate.finish(), "the write was held");
        assert_eq!(map[0], 7);
        map[1] = 8; // writable again
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_file(&control);
    }
}
