//! Holding a writer *in the middle* of an update to a shared mapping, so that a reader looks at the half-done
//! state on every run. A cousin of [`crate::gate::WriteGate`], which holds the *first* write into a whole
//! mapping; this one holds a write into one page of a two-page mapping, after others have happened:
//!
//! - [`Stop::TextPage`]: hold the first write into page 1 (the data). Whatever the writer wrote into page 0
//!   before (a length, a lock) has happened; nothing of the data has.
//! - [`Stop::HeaderAfterText`]: let the first write into page 1 through, then hold the first write into page 0
//!   that comes after it. The data has been (partly) written; whatever follows it in page 0 (a length, an
//!   unlock) has not.
//!
//! Any update that writes both pages with no synchronisation is caught half-done by one of the two. How: the page
//! is made read-only; the write traps (SIGSEGV); the handler marks `paused` in a control file and waits there until
//! the reader process sets `resume` (or [`PATIENCE`] runs out), then makes the page writable again and the write
//! happens. The reader decides when to resume with [`super::proc::watch`]: once its own call has returned or is
//! seen waiting (for a lock the held writer has). Linux only.
//!
//! ```ignore
//! // writer role: the board is mapped already
//! let armed = page_pause::arm(path, control_path, page_pause::Stop::TextPage)?;
//! board.publish("new text");                 // held at its first write into page 1
//! armed.finish();                            // sets `done`
//! // reader role
//! let (control, _map) = page_pause::control(control_path)?;
//! proc::wait_for(|| control.paused.load(SeqCst) != 0 || control.done.load(SeqCst) != 0);
//! let reading = std::thread::spawn(move || board.read());
//! proc::watch(&reading, &TID, || false);     // returned, or waits for the writer
//! control.resume.store(1, SeqCst);
//! ```

#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use super::proc::{nap, now_ns};

/// The page size the pause assumes.
pub const PAGE: usize = 4096;
/// How long a held write waits for the reader to say `resume`.
pub const PATIENCE: Duration = Duration::from_secs(3);

/// Where the writer is held (see the module's documentation).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Stop {
    /// At the first write into page 1.
    TextPage,
    /// At the first write into page 0 after the first write into page 1.
    HeaderAfterText,
}

/// In the control file, shared by the writer and the reader.
#[repr(C)]
pub struct Control {
    /// The writer is held at a write (1).
    pub paused: AtomicU32,
    /// The reader has looked: go on (1).
    pub resume: AtomicU32,
    /// The writer's update is over, whether or not it was ever held (1).
    pub done: AtomicU32,
}

/// Maps the control file (creating it, zeroed, if it does not exist). The check creates it before starting the
/// roles (and drops the mapping); each role maps it again and keeps the map as long as it uses the `Control`.
pub fn control(path: &Path) -> io::Result<(&'static Control, memmap2::MmapMut)> {
    super::map_control(path)
}

const MAX_RANGES: usize = 4;
/// (start address of the page in this process, for each mapping of the shared file), per page index 0 and 1.
static HEADER: [AtomicUsize; MAX_RANGES] = [const { AtomicUsize::new(0) }; MAX_RANGES];
static TEXT: [AtomicUsize; MAX_RANGES] = [const { AtomicUsize::new(0) }; MAX_RANGES];
static ARMED: AtomicBool = AtomicBool::new(false);
/// 0: the text page is protected; 1: (HeaderAfterText) the text was written, the header page is protected.
static STAGE: AtomicU32 = AtomicU32::new(0);
static MODE_HEADER_AFTER_TEXT: AtomicBool = AtomicBool::new(false);
static CONTROL: AtomicPtr<Control> = AtomicPtr::new(std::ptr::null_mut());
static HELD: AtomicBool = AtomicBool::new(false);

/// The start of page `page` of `file` in each of this process's shared mappings of it.
fn pages_of(file: &Path, page: usize) -> io::Result<Vec<usize>> {
    Ok(super::shared_mappings(file)?
        .iter()
        .filter_map(|m| m.address_of(page * PAGE))
        .collect())
}

fn protect(pages: &[AtomicUsize], writable: bool) {
    let prot = if writable {
        libc::PROT_READ | libc::PROT_WRITE
    } else {
        libc::PROT_READ
    };
    for p in pages {
        let start = p.load(SeqCst);
        if start != 0 {
            // SAFETY: a page of a mapping of this process; only its protection changes. Async-signal-safe.
            unsafe { libc::mprotect(start as *mut libc::c_void, PAGE, prot) };
        }
    }
}

fn in_page(pages: &[AtomicUsize], addr: usize) -> bool {
    pages.iter().any(|p| {
        let start = p.load(SeqCst);
        start != 0 && addr >= start && addr < start + PAGE
    })
}

/// Holds this thread (in the signal handler) until the reader says resume.
fn hold() {
    HELD.store(true, SeqCst);
    let c = CONTROL.load(SeqCst);
    if c.is_null() {
        return;
    }
    // SAFETY: the control mapping lives until `finish`.
    let c = unsafe { &*c };
    c.paused.store(1, SeqCst);
    let until = now_ns() + PATIENCE.as_nanos() as u64;
    while c.resume.load(SeqCst) == 0 && now_ns() < until {
        nap(100_000);
    }
}

#[cfg(target_os = "linux")]
extern "C" fn on_segv(
    _signal: libc::c_int,
    info: *mut libc::siginfo_t,
    _context: *mut libc::c_void,
) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers.
    let addr = unsafe { (*info).si_addr() } as usize;
    let armed = ARMED.load(SeqCst);
    if armed && in_page(&TEXT, addr) && STAGE.load(SeqCst) == 0 {
        if MODE_HEADER_AFTER_TEXT.load(SeqCst) {
            // The text is being written: let it, and hold the next write into the header.
            protect(&TEXT, true);
            protect(&HEADER, false);
            STAGE.store(1, SeqCst);
        } else {
            hold();
            ARMED.store(false, SeqCst);
            protect(&TEXT, true);
        }
        return;
    }
    if armed && in_page(&HEADER, addr) && STAGE.load(SeqCst) == 1 {
        hold();
        ARMED.store(false, SeqCst);
        protect(&HEADER, true);
        return;
    }
    // Not ours: a real crash. Put the default action back and let the faulting instruction run again.
    // SAFETY: sigaction(2) with a zeroed sigaction means SIG_DFL.
    unsafe {
        let mut dfl: libc::sigaction = std::mem::zeroed();
        dfl.sa_sigaction = libc::SIG_DFL;
        libc::sigaction(libc::SIGSEGV, &dfl, std::ptr::null_mut());
    }
    protect(&TEXT, true);
    protect(&HEADER, true);
}

/// An armed stop; `finish` disarms it and says whether the writer was held.
pub struct Armed {
    _control: memmap2::MmapMut,
    previous: libc::sigaction,
}

impl Armed {
    /// Disarms (the pages are writable again, SIGSEGV means what it meant before), sets `done` in the control
    /// file, and says whether the writer was held.
    pub fn finish(self) -> bool {
        ARMED.store(false, SeqCst);
        protect(&TEXT, true);
        protect(&HEADER, true);
        // SAFETY: restores the action that was in place before `arm`.
        unsafe { libc::sigaction(libc::SIGSEGV, &self.previous, std::ptr::null_mut()) };
        let c = CONTROL.swap(std::ptr::null_mut(), SeqCst);
        if !c.is_null() {
            // SAFETY: still mapped (`self._control`).
            unsafe { &*c }.done.store(1, SeqCst);
        }
        HELD.load(SeqCst)
    }
}

/// Arms `stop` on this process's mapping(s) of `shared_file` (it must be mapped already), reporting through the
/// control file `control_file`. Linux only (/proc/self/maps, the fault address of SIGSEGV).
#[cfg(not(target_os = "linux"))]
pub fn arm(_shared_file: &Path, _control_file: &Path, _stop: Stop) -> io::Result<Armed> {
    Err(io::Error::other("holding a write needs Linux"))
}

/// Arms `stop` on this process's mapping(s) of `shared_file` (it must be mapped already), reporting through the
/// control file `control_file`.
#[cfg(target_os = "linux")]
pub fn arm(shared_file: &Path, control_file: &Path, stop: Stop) -> io::Result<Armed> {
    let header = pages_of(shared_file, 0)?;
    let text = pages_of(shared_file, 1)?;
    if header.is_empty() || text.is_empty() {
        return Err(io::Error::other(format!(
            "{} is not mapped (shared, two pages) in this process",
            shared_file.display()
        )));
    }
    let (c, map) = control(control_file)?;
    for (slots, found) in [(&HEADER, &header), (&TEXT, &text)] {
        for (i, slot) in slots.iter().enumerate() {
            slot.store(found.get(i).copied().unwrap_or(0), SeqCst);
        }
    }
    CONTROL.store(std::ptr::from_ref(c).cast_mut(), SeqCst);
    STAGE.store(0, SeqCst);
    HELD.store(false, SeqCst);
    MODE_HEADER_AFTER_TEXT.store(stop == Stop::HeaderAfterText, SeqCst);
    // SAFETY: installs a handler that only uses async-signal-safe operations.
    let previous = unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_segv as *const () as usize;
        action.sa_flags = libc::SA_SIGINFO;
        let mut previous: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGSEGV, &action, &mut previous) != 0 {
            return Err(io::Error::last_os_error());
        }
        previous
    };
    ARMED.store(true, SeqCst);
    protect(&TEXT, false);
    Ok(Armed {
        _control: map,
        previous,
    })
}
