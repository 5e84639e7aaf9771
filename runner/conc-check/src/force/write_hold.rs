//! Holding a process at its k-th write into page 0 of a shared mapping: a lock taken in the region writes it (a
//! `compare_exchange`, a releasing store), so holding the k-th write puts the process at a chosen step of its lock
//! protocol — just before its first write (after whatever it loaded to decide), or between two critical sections
//! — while another process does its part. Used to hold a *reader* mid-read (the other direction from
//! [`super::page_pause`], which holds the writer mid-write), and to hold one incrementer mid-increment.
//!
//! How: page 0 is made read-only; every write traps (SIGSEGV). Before the k-th, the handler counts it, makes the
//! page writable and returns with the trap flag set, so that exactly that one instruction runs; the trap
//! (SIGTRAP) that follows makes the page read-only again. At the k-th (just before it, or in the trap just after
//! it) the handler marks `held` in a control file and waits there until `release` is set (or [`PATIENCE`] runs
//! out), then lets every later write through.
//!
//! [`arm_lockstep`] is the other use: among n processes, each one's first k writes wait until every party has
//! reached the same write, so two processes that each load and then store load both before either stores.
//!
//! Linux on x86-64 only (the trap flag); elsewhere [`arm`] and [`arm_lockstep`] report that they cannot arm.
//!
//! ```ignore
//! // reader role: held just before its first write into the header (its lock)
//! let (hold, _map) = write_hold::control(control_path)?;
//! let armed = write_hold::arm(path, control_path, 1, false)?;
//! let reading = std::thread::spawn(move || board.read());
//! proc::wait_for(|| hold.held.load(SeqCst) != 0 || reading.is_finished());
//! proc::wait_for(|| hold.settled.load(SeqCst) != 0); // the writer published, or is seen waiting
//! hold.release.store(1, SeqCst);
//! let text = reading.join().unwrap();
//! armed.finish();
//! ```

#![cfg_attr(
    not(all(target_os = "linux", target_arch = "x86_64")),
    allow(dead_code, unused_imports)
)]

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use super::proc::{nap, now_ns};

/// The page size the hold assumes.
pub const PAGE: usize = 4096;
/// How long a held write waits for `release`.
pub const PATIENCE: Duration = Duration::from_secs(3);

/// In the control file, shared by the held process and the other party. The hold sets `held` and waits for
/// `release`; `ready` and `settled` are for the roles' own handshake (the hold never reads them).
#[repr(C)]
pub struct Control {
    /// The other party is ready for the held one to start (1).
    pub ready: AtomicU32,
    /// The process is held at its k-th write (1, set by the hold), or its call returned without one (2, set by
    /// the role).
    pub held: AtomicU32,
    /// The other party has done its part, is held, or is seen waiting (1).
    pub settled: AtomicU32,
    /// The held process may go on (1).
    pub release: AtomicU32,
    /// Lockstep: how many parties have reached their k-th write (index k - 1).
    pub arrived: [AtomicU32; 4],
    /// Lockstep: how many parties are done.
    pub done: AtomicU32,
}

/// Maps the control file (creating it, zeroed, if it does not exist). The check creates it before starting the
/// roles; each role maps it again and keeps the map as long as it uses the `Control`.
pub fn control(path: &Path) -> io::Result<(&'static Control, memmap2::MmapMut)> {
    super::map_control(path)
}

const MAX_RANGES: usize = 4;
static HEADER: [AtomicUsize; MAX_RANGES] = [const { AtomicUsize::new(0) }; MAX_RANGES];
static ARMED: AtomicBool = AtomicBool::new(false);
static TARGET: AtomicU32 = AtomicU32::new(0);
static COUNT: AtomicU32 = AtomicU32::new(0);
/// Hold right after the k-th write instead of just before it.
static AFTER: AtomicBool = AtomicBool::new(false);
/// Lockstep mode: every party's first k writes wait for every other party's (see `arm_lockstep`).
static LOCKSTEP: AtomicBool = AtomicBool::new(false);
static PARTIES: AtomicU32 = AtomicU32::new(0);
static CONTROL: AtomicPtr<Control> = AtomicPtr::new(std::ptr::null_mut());

/// The start of page 0 of `file` in each of this process's shared mappings of it.
fn header_pages(file: &Path) -> io::Result<Vec<usize>> {
    Ok(super::shared_mappings(file)?
        .iter()
        .filter_map(|m| m.address_of(0))
        .collect())
}

fn protect(writable: bool) {
    let prot = if writable {
        libc::PROT_READ | libc::PROT_WRITE
    } else {
        libc::PROT_READ
    };
    for p in &HEADER {
        let start = p.load(SeqCst);
        if start != 0 {
            // SAFETY: a page of a mapping of this process; only its protection changes. Async-signal-safe.
            unsafe { libc::mprotect(start as *mut libc::c_void, PAGE, prot) };
        }
    }
}

fn in_header(addr: usize) -> bool {
    HEADER.iter().any(|p| {
        let start = p.load(SeqCst);
        start != 0 && addr >= start && addr < start + PAGE
    })
}

fn hold() {
    let c = CONTROL.load(SeqCst);
    if c.is_null() {
        return;
    }
    // SAFETY: the control mapping lives until `finish`.
    let c = unsafe { &*c };
    c.held.store(1, SeqCst);
    let until = now_ns() + PATIENCE.as_nanos() as u64;
    while c.release.load(SeqCst) == 0 && now_ns() < until {
        nap(100_000);
    }
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
const TRAP_FLAG: libc::greg_t = 0x100;

/// Lockstep: waits at this party's `n`-th write until every party has reached its own `n`-th write or is done
/// (100 ms at most: a party that waits without writing — asleep in a lock, or spinning on loads — never will).
fn lockstep(n: usize) {
    let c = CONTROL.load(SeqCst);
    if c.is_null() || n == 0 || n > 4 {
        return;
    }
    // SAFETY: the control mapping lives until `finish`.
    let c = unsafe { &*c };
    c.arrived[n - 1].fetch_add(1, SeqCst);
    let parties = PARTIES.load(SeqCst);
    let until = now_ns() + 100_000_000;
    while c.arrived[n - 1].load(SeqCst) + c.done.load(SeqCst) < parties && now_ns() < until {
        nap(50_000);
    }
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
extern "C" fn on_segv(
    _signal: libc::c_int,
    info: *mut libc::siginfo_t,
    context: *mut libc::c_void,
) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers.
    let addr = unsafe { (*info).si_addr() } as usize;
    if ARMED.load(SeqCst) && in_header(addr) && LOCKSTEP.load(SeqCst) {
        let n = COUNT.fetch_add(1, SeqCst) + 1;
        protect(true);
        lockstep(n as usize);
        if n >= TARGET.load(SeqCst) {
            ARMED.store(false, SeqCst);
        } else {
            // SAFETY: as below.
            unsafe {
                let context = &mut *(context as *mut libc::ucontext_t);
                context.uc_mcontext.gregs[libc::REG_EFL as usize] |= TRAP_FLAG;
            }
        }
        return;
    }
    if ARMED.load(SeqCst) && in_header(addr) {
        let n = COUNT.fetch_add(1, SeqCst) + 1;
        protect(true);
        if n >= TARGET.load(SeqCst) && !AFTER.load(SeqCst) {
            hold();
            ARMED.store(false, SeqCst);
        } else {
            // Run just this one instruction, then trap again (SIGTRAP) to make the page read-only again.
            // SAFETY: the kernel passes the interrupted context; only the flags register changes.
            unsafe {
                let context = &mut *(context as *mut libc::ucontext_t);
                context.uc_mcontext.gregs[libc::REG_EFL as usize] |= TRAP_FLAG;
            }
        }
        return;
    }
    // Not ours: a real crash. Put the default action back and let the faulting instruction run again.
    // SAFETY: sigaction(2) with a zeroed sigaction means SIG_DFL.
    unsafe {
        let mut dfl: libc::sigaction = std::mem::zeroed();
        dfl.sa_sigaction = libc::SIG_DFL;
        libc::sigaction(libc::SIGSEGV, &dfl, std::ptr::null_mut());
    }
    protect(true);
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
extern "C" fn on_trap(
    _signal: libc::c_int,
    _info: *mut libc::siginfo_t,
    context: *mut libc::c_void,
) {
    // SAFETY: the kernel passes the interrupted context; only the flags register changes.
    unsafe {
        let context = &mut *(context as *mut libc::ucontext_t);
        context.uc_mcontext.gregs[libc::REG_EFL as usize] &= !TRAP_FLAG;
    }
    if ARMED.load(SeqCst) {
        if AFTER.load(SeqCst) && COUNT.load(SeqCst) >= TARGET.load(SeqCst) {
            // The k-th write has happened: hold here, right after it.
            hold();
            ARMED.store(false, SeqCst);
        } else {
            protect(false);
        }
    }
}

/// An armed hold; `finish` disarms it.
pub struct Armed {
    _control: memmap2::MmapMut,
    previous: [libc::sigaction; 2],
}

impl Armed {
    /// Lockstep: this party is done (the others stop waiting for it), then disarms.
    pub fn done(self) {
        let c = CONTROL.load(SeqCst);
        if !c.is_null() {
            // SAFETY: the control mapping lives until `finish`.
            unsafe { &*c }.done.fetch_add(1, SeqCst);
        }
        self.finish();
    }

    /// Disarms: page 0 is writable again, SIGSEGV and SIGTRAP mean what they meant before.
    pub fn finish(self) {
        ARMED.store(false, SeqCst);
        protect(true);
        // SAFETY: restores the actions that were in place before `arm`.
        unsafe {
            libc::sigaction(libc::SIGSEGV, &self.previous[0], std::ptr::null_mut());
            libc::sigaction(libc::SIGTRAP, &self.previous[1], std::ptr::null_mut());
        }
        CONTROL.store(std::ptr::null_mut(), SeqCst);
    }
}

/// Lockstep among `parties` processes: each one's first `k` (at most 4) writes into page 0 of `shared_file` wait
/// until every party has reached the same write (or is done, or 100 ms passed). Two parties that each load and
/// then store are thereby forced to load both before either stores, at each of those writes.
pub fn arm_lockstep(
    shared_file: &Path,
    control_file: &Path,
    parties: u32,
    k: u32,
) -> io::Result<Armed> {
    PARTIES.store(parties, SeqCst);
    LOCKSTEP.store(true, SeqCst);
    arm(shared_file, control_file, k.min(4), false)
}

/// Holds this process just before (or, with `after`, just after) its `k`-th write (1 = the first) into page 0 of
/// `shared_file` (mapped already), reporting through `control_file`: sets `held` there and waits for `release`.
/// Linux on x86-64 only.
#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
pub fn arm(_shared_file: &Path, _control_file: &Path, _k: u32, _after: bool) -> io::Result<Armed> {
    Err(io::Error::other(
        "holding a process at its k-th write needs Linux on x86-64 (the trap flag)",
    ))
}

/// Holds this process just before (or, with `after`, just after) its `k`-th write (1 = the first) into page 0 of
/// `shared_file` (mapped already), reporting through `control_file`: sets `held` there and waits for `release`.
/// Linux on x86-64 only.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
pub fn arm(shared_file: &Path, control_file: &Path, k: u32, after: bool) -> io::Result<Armed> {
    let header = header_pages(shared_file)?;
    if header.is_empty() {
        return Err(io::Error::other(format!(
            "{} is not mapped (shared) in this process",
            shared_file.display()
        )));
    }
    let (c, map) = control(control_file)?;
    for (i, slot) in HEADER.iter().enumerate() {
        slot.store(header.get(i).copied().unwrap_or(0), SeqCst);
    }
    CONTROL.store(std::ptr::from_ref(c).cast_mut(), SeqCst);
    TARGET.store(k, SeqCst);
    AFTER.store(after, SeqCst);
    COUNT.store(0, SeqCst);
    // SAFETY: an all-zero sigaction is a valid value (SIG_DFL, no flags, empty mask).
    let mut previous: [libc::sigaction; 2] = unsafe { std::mem::zeroed() };
    for (i, (signal, handler)) in [
        (libc::SIGSEGV, on_segv as *const () as usize),
        (libc::SIGTRAP, on_trap as *const () as usize),
    ]
    .into_iter()
    .enumerate()
    {
        // SAFETY: installs a handler that only uses async-signal-safe operations.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = handler;
            action.sa_flags = libc::SA_SIGINFO;
            if libc::sigaction(signal, &action, &mut previous[i]) != 0 {
                return Err(io::Error::last_os_error());
            }
        }
    }
    ARMED.store(true, SeqCst);
    protect(false);
    Ok(Armed {
        _control: map,
        previous,
    })
}
