//! Processes taking turns, one file operation each: the file-system cousin of [`crate::gate::WriteGate`]. It
//! forces the worst interleaving of file operations instead of hoping for it.
//!
//! How: the check file invokes [`interpose_file_turns!`](crate::interpose_file_turns) at its top level, which
//! defines `read`, `write`, `pread64`, `pwrite64`, `readv`, `writev`, `ftruncate(64)`, `flock`, `fcntl` (record
//! locks), `close` (which releases `fcntl` record locks, and `flock` locks with the last descriptor) and `rename`
//! in that check's program. The program is linked statically against Rust's std, so std's
//! calls to those C functions bind to these definitions instead of the C library's. Disarmed, each one is the
//! plain system call. Armed (in a check role, with [`arm`]), every such operation on a file inside the watched
//! folder is a *step*, and a step waits for its turn:
//!
//! - a step may run only when every party (every process of the scenario) is parked at a step of its own or done;
//! - then exactly one runs, round-robin from the party after the one that ran last.
//!
//! So the processes take turns, one file operation each, in a fixed order, on every run: with two processes
//! doing read-modify-write, both read before either writes — a lost update every time, not one time in twenty.
//! Code that is correct under every interleaving is correct under this one too.
//!
//! Sections: a role may run a call of the learner's code as a *section* (`turns::section(|| balance(path))`):
//! once its first step has run, its further steps run one after another while the other parties stay parked. So
//! a reader in a loop of sections makes one whole call at every step of a writer: whatever half-done state the
//! writer leaves between two of its operations, the reader sees it.
//!
//! Locks: a blocking `flock` is a step that tries the lock without blocking; if someone else holds it, the party
//! parks again and retries at its next turn (so who gets a released lock is decided by the turnstile, not by the
//! kernel's wake-up order). `fcntl` record locks (`F_SETLKW`, `F_OFD_SETLKW`) are taken the same way. A lock
//! outside the folder (or taken by other means, such as glibc's `lockf`) blocks for real; the turnstile then waits
//! [`PATIENCE`] for that party before moving on (slower, still correct).
//!
//! Everything that runs inside the replaced functions is allocation-free: raw system calls, atomics in a shared
//! mapping, nanosleep. Linux with glibc (elsewhere [`arm`] reports that it cannot arm).
//!
//! ```ignore
//! conc_check::interpose_file_turns!(); // at the top level of the check file
//! use conc_check::force::turns;
//!
//! c.role("append", |args| {
//!     let turnstile = turns::arm(Path::new(&args[1]), Path::new(&args[0]).parent().unwrap()).unwrap();
//!     let mut log = Log::open(Path::new(&args[0])).unwrap();
//!     log.append("a line").unwrap();        // each read/write/lock of the log: one turn
//!     turnstile.finish();
//! });
//! // in the check: turns::prepare(&control, 2)?, then start two "append" roles with the control file's path
//! ```

#![cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]

use libc::{c_char, c_int};
use std::io;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering::SeqCst};
use std::time::Duration;

use super::proc::{nap, now_ns};

/// The most processes one turnstile orders.
pub const MAX_PARTIES: usize = 8;
/// How long a parked step waits for a party that neither parks nor finishes (blocked in a lock the turnstile
/// cannot see, or very slow) before running anyway.
pub const PATIENCE: Duration = Duration::from_millis(1500);
/// How long `arm` waits for the other parties to arm.
const START_PATIENCE: Duration = Duration::from_secs(5);

const RUNNING: u32 = 0;
const PARKED: u32 = 1;
const DONE: u32 = 2;
const NOBODY: u32 = u32::MAX;

/// Lives in a shared mapping of the control file, one for all parties.
#[repr(C)]
struct Control {
    /// How many parties have armed (the next one's index).
    armed: AtomicU32,
    /// How many parties there are.
    parties: AtomicU32,
    /// The party that ran last.
    last: AtomicU32,
    /// Steps that ran because patience ran out.
    forced: AtomicU32,
    /// (generation << 32) | the party allowed to run next (NOBODY: not decided). The generation changes every
    /// time a party takes its turn, so a decision made on an outdated view of the states cannot land.
    go: AtomicU64,
    /// Steps run so far.
    steps: AtomicU64,
    state: [AtomicU32; MAX_PARTIES],
    /// 0: not in a section; 1: in a section whose first step has not run yet; 2: in a running section.
    section: [AtomicU32; MAX_PARTIES],
}

static ARMED: AtomicBool = AtomicBool::new(false);
static CONTROL: AtomicPtr<Control> = AtomicPtr::new(std::ptr::null_mut());
static ME: AtomicU32 = AtomicU32::new(0);
/// The watched folder, with a trailing '/'.
static FOLDER: OnceLock<Vec<u8>> = OnceLock::new();

/// Creates the control file for `parties` processes (call once, before they arm).
pub fn prepare(control: &Path, parties: u32) -> io::Result<()> {
    assert!(parties as usize <= MAX_PARTIES && parties > 0);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(control)?;
    file.set_len(4096)?;
    // SAFETY: a scratch file that only the turnstile maps; accessed through atomics only.
    let map = unsafe { memmap2::MmapMut::map_mut(&file)? };
    // SAFETY: page-aligned, 4096 bytes, all zeros: a valid `Control`.
    let c = unsafe { &*(map.as_ptr() as *const Control) };
    c.parties.store(parties, SeqCst);
    c.last.store(parties - 1, SeqCst);
    c.go.store(NOBODY as u64, SeqCst);
    map.flush()?;
    Ok(())
}

/// An armed party; `finish` marks it done (so the others no longer wait for it).
pub struct Turnstile {
    _map: memmap2::MmapMut,
}

impl Turnstile {
    /// Marks this party done and disarms. Returns how many steps ran because patience ran out (0 when every
    /// party parked or finished at every step).
    pub fn finish(self) -> u32 {
        let c = control();
        ARMED.store(false, SeqCst);
        c.state[ME.load(SeqCst) as usize].store(DONE, SeqCst);
        c.forced.load(SeqCst)
    }
}

/// Runs `call` as a section: once its first step has run, its steps run back to back (see the module's documentation).
/// Outside an armed role, simply runs `call`.
pub fn section<T>(call: impl FnOnce() -> T) -> T {
    if !ARMED.load(SeqCst) {
        return call();
    }
    let c = control();
    let me = ME.load(SeqCst) as usize;
    c.section[me].store(1, SeqCst);
    let result = call();
    c.section[me].store(0, SeqCst);
    result
}

/// Whether every other party has finished.
pub fn others_done() -> bool {
    ARMED.load(SeqCst) && alone()
}

/// Arms the turnstile in this process: from now on every read, write, truncate, lock and rename of a file in
/// `folder` takes turns with the other parties of `control`. Waits (a few seconds at most) until every party
/// has armed, so that they start together.
pub fn arm(control: &Path, folder: &Path) -> io::Result<Turnstile> {
    if !cfg!(all(target_os = "linux", target_env = "gnu")) {
        return Err(io::Error::other(
            "the turnstile needs Linux with glibc (it replaces the C library's file functions)",
        ));
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(control)?;
    // SAFETY: as in `prepare`.
    let map = unsafe { memmap2::MmapMut::map_mut(&file)? };
    let c = map.as_ptr() as *mut Control;
    // SAFETY: see `prepare`; the mapping lives in the returned `Turnstile`, which the role keeps until `finish`.
    let cref = unsafe { &*c };
    let parties = cref.parties.load(SeqCst);
    let me = cref.armed.fetch_add(1, SeqCst);
    if me >= parties {
        return Err(io::Error::other("more parties armed than prepared"));
    }
    let mut folder = std::fs::canonicalize(folder)?
        .into_os_string()
        .into_encoded_bytes();
    folder.push(b'/');
    if FOLDER.set(folder).is_err() {
        return Err(io::Error::other("the turnstile arms once per process"));
    }
    ME.store(me, SeqCst);
    CONTROL.store(c, SeqCst);
    ARMED.store(true, SeqCst);
    let until = std::time::Instant::now() + START_PATIENCE;
    while cref.armed.load(SeqCst) < parties && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_micros(200));
    }
    Ok(Turnstile { _map: map })
}

fn control() -> &'static Control {
    // SAFETY: set by `arm` to a mapping that lives until `finish` (after which ARMED is false and nobody
    // calls this).
    unsafe { &*CONTROL.load(SeqCst) }
}

/// The party to run next, if every party is parked or done: the party in a running section, else round-robin
/// after the last one.
fn choose(c: &Control) -> Option<u32> {
    let parties = c.parties.load(SeqCst);
    for i in 0..parties as usize {
        if c.state[i].load(SeqCst) == RUNNING {
            return None;
        }
    }
    if let Some(i) = (0..parties).find(|&i| {
        c.state[i as usize].load(SeqCst) == PARKED && c.section[i as usize].load(SeqCst) == 2
    }) {
        return Some(i);
    }
    let last = c.last.load(SeqCst);
    (1..=parties)
        .map(|k| (last + k) % parties)
        .find(|&i| c.state[i as usize].load(SeqCst) == PARKED)
}

/// Parks this party until it is its turn (or patience runs out).
fn take_turn() {
    let c = control();
    let me = ME.load(SeqCst);
    c.state[me as usize].store(PARKED, SeqCst);
    let until = now_ns() + PATIENCE.as_nanos() as u64;
    loop {
        let go = c.go.load(SeqCst);
        let (generation, who) = (go >> 32, go as u32);
        if who == me {
            let _ = c.section[me as usize].compare_exchange(1, 2, SeqCst, SeqCst);
            c.state[me as usize].store(RUNNING, SeqCst);
            c.last.store(me, SeqCst);
            c.steps.fetch_add(1, SeqCst);
            c.go.store(((generation + 1) << 32) | NOBODY as u64, SeqCst);
            return;
        }
        if who == NOBODY {
            if let Some(next) = choose(c) {
                let _ =
                    c.go.compare_exchange(go, (generation << 32) | next as u64, SeqCst, SeqCst);
                continue;
            }
        }
        if now_ns() > until {
            c.forced.fetch_add(1, SeqCst);
            c.state[me as usize].store(RUNNING, SeqCst);
            return;
        }
        nap(20_000);
    }
}

/// Whether every other party is done (then nobody can release a lock this party waits for).
fn alone() -> bool {
    let c = control();
    let me = ME.load(SeqCst);
    (0..c.parties.load(SeqCst))
        .filter(|&i| i != me)
        .all(|i| c.state[i as usize].load(SeqCst) == DONE)
}

/// Whether `bytes` (a path) is inside the watched folder.
fn watched(bytes: &[u8]) -> bool {
    FOLDER.get().is_some_and(|f| bytes.starts_with(f))
}

/// Whether descriptor `fd` is a file inside the watched folder (read from /proc/self/fd, no allocation).
fn watched_fd(fd: c_int) -> bool {
    if !ARMED.load(SeqCst) || fd < 0 {
        return false;
    }
    let mut link = *b"/proc/self/fd/\0\0\0\0\0\0\0\0\0\0\0\0";
    let mut digits = [0u8; 11];
    let mut n = fd as u32;
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for i in 0..len {
        link[14 + i] = digits[len - 1 - i];
    }
    let mut target = [0u8; 512];
    // SAFETY: `link` is NUL-terminated; `target` is a writable buffer of the given size.
    let got = unsafe {
        libc::readlink(
            link.as_ptr() as *const c_char,
            target.as_mut_ptr() as *mut c_char,
            target.len(),
        )
    };
    got > 0 && watched(&target[..got as usize])
}

fn watched_path(path: *const c_char) -> bool {
    if !ARMED.load(SeqCst) || path.is_null() {
        return false;
    }
    // SAFETY: a NUL-terminated path from the caller.
    let bytes = unsafe { std::ffi::CStr::from_ptr(path) }.to_bytes();
    if bytes.starts_with(b"/") {
        return watched(bytes);
    }
    // Relative: resolve against the working directory.
    let mut cwd = [0u8; 512];
    // SAFETY: a writable buffer of the given size.
    if unsafe { libc::getcwd(cwd.as_mut_ptr() as *mut c_char, cwd.len()) }.is_null() {
        return false;
    }
    let n = cwd.iter().position(|&b| b == 0).unwrap_or(0);
    let folder = match FOLDER.get() {
        Some(f) => f,
        None => return false,
    };
    // cwd + '/' + relative path starts with the folder?
    let mut joined = [0u8; 1024];
    if n + 1 + bytes.len() > joined.len() {
        return false;
    }
    joined[..n].copy_from_slice(&cwd[..n]);
    joined[n] = b'/';
    joined[n + 1..n + 1 + bytes.len()].copy_from_slice(bytes);
    joined[..n + 1 + bytes.len()].starts_with(folder)
}

fn errno() -> c_int {
    io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// What the functions defined by [`interpose_file_turns!`](crate::interpose_file_turns) do: the raw system call,
/// preceded by a turn when armed and about the folder. Not for checks to call.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[doc(hidden)]
pub mod shim {
    use super::*;
    use libc::{c_void, iovec, off64_t, size_t, ssize_t};

    /// # Safety
    /// `read(2)`'s contract.
    pub unsafe fn read(fd: c_int, buf: *mut c_void, count: size_t) -> ssize_t {
        if watched_fd(fd) {
            take_turn();
        }
        // SAFETY: the caller's contract.
        unsafe { libc::syscall(libc::SYS_read, fd, buf, count) as ssize_t }
    }

    /// # Safety
    /// `write(2)`'s contract.
    pub unsafe fn write(fd: c_int, buf: *const c_void, count: size_t) -> ssize_t {
        if watched_fd(fd) {
            take_turn();
        }
        // SAFETY: the caller's contract.
        unsafe { libc::syscall(libc::SYS_write, fd, buf, count) as ssize_t }
    }

    /// # Safety
    /// `pread(2)`'s contract.
    pub unsafe fn pread64(fd: c_int, buf: *mut c_void, count: size_t, offset: off64_t) -> ssize_t {
        if watched_fd(fd) {
            take_turn();
        }
        // SAFETY: the caller's contract.
        unsafe { libc::syscall(libc::SYS_pread64, fd, buf, count, offset) as ssize_t }
    }

    /// # Safety
    /// `pwrite(2)`'s contract.
    pub unsafe fn pwrite64(
        fd: c_int,
        buf: *const c_void,
        count: size_t,
        offset: off64_t,
    ) -> ssize_t {
        if watched_fd(fd) {
            take_turn();
        }
        // SAFETY: the caller's contract.
        unsafe { libc::syscall(libc::SYS_pwrite64, fd, buf, count, offset) as ssize_t }
    }

    /// # Safety
    /// `readv(2)`'s contract.
    pub unsafe fn readv(fd: c_int, iov: *const iovec, iovcnt: c_int) -> ssize_t {
        if watched_fd(fd) {
            take_turn();
        }
        // SAFETY: the caller's contract.
        unsafe { libc::syscall(libc::SYS_readv, fd, iov, iovcnt) as ssize_t }
    }

    /// # Safety
    /// `writev(2)`'s contract.
    pub unsafe fn writev(fd: c_int, iov: *const iovec, iovcnt: c_int) -> ssize_t {
        if watched_fd(fd) {
            take_turn();
        }
        // SAFETY: the caller's contract.
        unsafe { libc::syscall(libc::SYS_writev, fd, iov, iovcnt) as ssize_t }
    }

    /// # Safety
    /// `ftruncate(2)`'s contract.
    pub unsafe fn ftruncate64(fd: c_int, length: off64_t) -> c_int {
        if watched_fd(fd) {
            take_turn();
        }
        // SAFETY: the caller's contract.
        unsafe { libc::syscall(libc::SYS_ftruncate, fd, length) as c_int }
    }

    /// # Safety
    /// `close(2)`'s contract.
    pub unsafe fn close(fd: c_int) -> c_int {
        // A step: closing any descriptor of a file releases the process's record locks on it.
        if watched_fd(fd) {
            take_turn();
        }
        // SAFETY: the caller's contract.
        unsafe { libc::syscall(libc::SYS_close, fd) as c_int }
    }

    /// # Safety
    /// `rename(2)`'s contract: two NUL-terminated paths.
    pub unsafe fn rename(old: *const c_char, new: *const c_char) -> c_int {
        if watched_path(old) || watched_path(new) {
            take_turn();
        }
        // SAFETY: the caller's contract.
        unsafe {
            libc::syscall(libc::SYS_renameat, libc::AT_FDCWD, old, libc::AT_FDCWD, new) as c_int
        }
    }

    /// # Safety
    /// `flock(2)`'s contract.
    pub unsafe fn flock(fd: c_int, operation: c_int) -> c_int {
        // SAFETY: the caller's contract.
        let raw = |op: c_int| unsafe { libc::syscall(libc::SYS_flock, fd, op) as c_int };
        if !watched_fd(fd) {
            return raw(operation);
        }
        if operation & (libc::LOCK_UN | libc::LOCK_NB) != 0 {
            take_turn();
            return raw(operation);
        }
        // A blocking lock: try it at each turn; who gets a contended lock is the turnstile's decision.
        loop {
            take_turn();
            let result = raw(operation | libc::LOCK_NB);
            if result == 0 || errno() != libc::EWOULDBLOCK {
                return result;
            }
            // Blocked: a section pauses until the lock is had, and the others take their turns meanwhile.
            let c = control();
            let _ = c.section[ME.load(SeqCst) as usize].compare_exchange(2, 1, SeqCst, SeqCst);
            if alone() {
                // Nobody left to release it under the turnstile: wait for real (a deadlock shows as one).
                return raw(operation);
            }
        }
    }

    /// `fcntl` is variadic in C; its third argument, when there is one, is a single integer or pointer, passed
    /// in the same register as a fixed third argument on these architectures.
    ///
    /// # Safety
    /// `fcntl(2)`'s contract.
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    pub unsafe fn fcntl(fd: c_int, cmd: c_int, arg: usize) -> c_int {
        // SAFETY: the caller's contract.
        let raw = |cmd: c_int| unsafe { libc::syscall(libc::SYS_fcntl, fd, cmd, arg) as c_int };
        let trying = match cmd {
            libc::F_SETLKW => libc::F_SETLK,
            libc::F_OFD_SETLKW => libc::F_OFD_SETLK,
            libc::F_SETLK | libc::F_OFD_SETLK => {
                if watched_fd(fd) {
                    take_turn();
                }
                return raw(cmd);
            }
            _ => return raw(cmd),
        };
        if !watched_fd(fd) {
            return raw(cmd);
        }
        // A blocking record lock: tried at each turn, like `flock`.
        loop {
            take_turn();
            let result = raw(trying);
            if result == 0 || !matches!(errno(), libc::EAGAIN | libc::EACCES) {
                return result;
            }
            let c = control();
            let _ = c.section[ME.load(SeqCst) as usize].compare_exchange(2, 1, SeqCst, SeqCst);
            if alone() {
                return raw(cmd);
            }
        }
    }
}

/// Defines, in the check program that invokes it (at the top level of the check file), the C library's `read`,
/// `write`, `pread64`, `pwrite64`, `readv`, `writev`, `ftruncate`, `ftruncate64`, `close`, `rename`, `flock` and `fcntl`
/// as [`force::turns`](crate::force::turns) needs them: each one the raw system call, preceded by a turn when the
/// turnstile is armed and the file is in its folder. Linux with glibc; elsewhere it defines nothing. Once per
/// program; not together with [`interpose_durability!`](crate::interpose_durability) (both define `rename`).
#[macro_export]
macro_rules! interpose_file_turns {
    () => {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        #[doc(hidden)]
        #[allow(clippy::missing_safety_doc)]
        pub mod __conc_check_file_turns {
            use $crate::force::libc::{c_char, c_int, c_void, iovec, off64_t, size_t, ssize_t};
            use $crate::force::turns::shim;

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn read(fd: c_int, buf: *mut c_void, count: size_t) -> ssize_t {
                unsafe { shim::read(fd, buf, count) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn write(
                fd: c_int,
                buf: *const c_void,
                count: size_t,
            ) -> ssize_t {
                unsafe { shim::write(fd, buf, count) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn pread64(
                fd: c_int,
                buf: *mut c_void,
                count: size_t,
                offset: off64_t,
            ) -> ssize_t {
                unsafe { shim::pread64(fd, buf, count, offset) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn pwrite64(
                fd: c_int,
                buf: *const c_void,
                count: size_t,
                offset: off64_t,
            ) -> ssize_t {
                unsafe { shim::pwrite64(fd, buf, count, offset) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn readv(fd: c_int, iov: *const iovec, iovcnt: c_int) -> ssize_t {
                unsafe { shim::readv(fd, iov, iovcnt) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn writev(
                fd: c_int,
                iov: *const iovec,
                iovcnt: c_int,
            ) -> ssize_t {
                unsafe { shim::writev(fd, iov, iovcnt) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn ftruncate64(fd: c_int, length: off64_t) -> c_int {
                unsafe { shim::ftruncate64(fd, length) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn ftruncate(fd: c_int, length: off64_t) -> c_int {
                unsafe { shim::ftruncate64(fd, length) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn rename(old: *const c_char, new: *const c_char) -> c_int {
                unsafe { shim::rename(old, new) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn close(fd: c_int) -> c_int {
                unsafe { shim::close(fd) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn flock(fd: c_int, operation: c_int) -> c_int {
                unsafe { shim::flock(fd, operation) }
            }

            #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn fcntl(fd: c_int, cmd: c_int, arg: usize) -> c_int {
                unsafe { shim::fcntl(fd, cmd, arg) }
            }
        }
    };
}
