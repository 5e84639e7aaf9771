//! Watching what a replace-by-rename does, from inside the process that does it: which files were made durable
//! (`fsync`, `fdatasync`) before they were renamed, and whether, right after an `unlink` or a `rename`, no file
//! had the watched name (a remove-then-rename leaves a moment with no config at all).
//!
//! How: the check file invokes [`interpose_durability!`](crate::interpose_durability) at its top level, which
//! defines `fsync`, `fdatasync`, `close`, `unlink` and `rename` in that check's program (std's calls bind to them,
//! as with [`super::turns`]). Each is the raw system call; once [`watch`] was called, a sync notes the file's
//! inode, and so does closing a file opened with `O_SYNC` or `O_DSYNC` (every write through it was durable when it
//! returned); a rename of a regular file whose inode was never synced, and that no open `O_SYNC`/`O_DSYNC`
//! descriptor refers to, is noted; after every unlink and rename the watched path is looked up. Linux with glibc;
//! elsewhere nothing is noted (both questions answer `false`).
//!
//! ```ignore
//! conc_check::interpose_durability!(); // at the top level of the check file
//! use conc_check::force::durable;
//!
//! c.role("install", |args| {
//!     durable::watch(Path::new(&args[0]));
//!     install(Path::new(&args[0]), new_config()).unwrap();
//!     if durable::was_gone() { println!("config missing for a moment") }
//!     if durable::renamed_unsynced() { println!("renamed before sync") }
//! });
//! ```

#![cfg_attr(
    not(all(target_os = "linux", target_env = "gnu")),
    allow(dead_code, unused_imports)
)]

use std::ffi::CString;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};

static WATCHING: AtomicBool = AtomicBool::new(false);
/// The inodes of the last 32 files synced.
static SYNCED: [AtomicU64; 32] = [const { AtomicU64::new(0) }; 32];
static NEXT: AtomicUsize = AtomicUsize::new(0);
/// A file was renamed that had not been synced.
static UNSYNCED_RENAME: AtomicBool = AtomicBool::new(false);
/// The watched path, NUL-terminated: after every `unlink` and `rename`, is there still a file by that name?
static WATCHED: OnceLock<CString> = OnceLock::new();
/// Right after an `unlink` or a `rename`, no file had the watched name.
static GONE: AtomicBool = AtomicBool::new(false);

/// Starts watching: from now on syncs and renames are noted, and `path` is looked up after every unlink and
/// rename. Once per process (a second call keeps the first path).
pub fn watch(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let _ = WATCHED.set(CString::new(path.as_os_str().as_bytes()).expect("a path without NUL"));
    WATCHING.store(true, SeqCst);
}

/// Whether, at some moment since [`watch`], a process opening the watched path would have found nothing.
pub fn was_gone() -> bool {
    GONE.load(SeqCst)
}

/// Whether a regular file that had not been synced (since [`watch`]) was renamed.
pub fn renamed_unsynced() -> bool {
    UNSYNCED_RENAME.load(SeqCst)
}

/// What the functions defined by [`interpose_durability!`](crate::interpose_durability) do. Not for checks to
/// call.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[doc(hidden)]
pub mod shim {
    use super::*;
    use libc::{c_char, c_int};

    fn synced(fd: c_int) {
        // SAFETY: fstat writes into a zeroed stat.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        if unsafe { libc::fstat(fd, &mut st) } == 0 {
            let slot = NEXT.fetch_add(1, SeqCst) % SYNCED.len();
            SYNCED[slot].store(st.st_ino, SeqCst);
        }
    }

    /// Whether `fd` was opened with `O_SYNC` or `O_DSYNC` (`O_SYNC` includes the `O_DSYNC` bit).
    fn synchronous(fd: c_int) -> bool {
        // SAFETY: F_GETFL only reads the descriptor's flags.
        let flags = unsafe { libc::syscall(libc::SYS_fcntl, fd, libc::F_GETFL) } as c_int;
        flags >= 0 && flags & libc::O_DSYNC != 0
    }

    /// Whether an open descriptor of this process refers to inode `ino` with synchronous writes.
    fn open_synchronously(ino: u64) -> bool {
        use std::os::unix::fs::MetadataExt;
        let Ok(fds) = std::fs::read_dir("/proc/self/fd") else {
            return false;
        };
        fds.flatten().any(|entry| {
            let fd: Option<c_int> = entry.file_name().to_str().and_then(|n| n.parse().ok());
            fd.is_some_and(|fd| {
                std::fs::metadata(entry.path()).is_ok_and(|m| m.ino() == ino) && synchronous(fd)
            })
        })
    }

    /// # Safety
    /// `close(2)`'s contract.
    pub unsafe fn close(fd: c_int) -> c_int {
        if WATCHING.load(SeqCst) && synchronous(fd) {
            synced(fd);
        }
        // SAFETY: the caller's contract.
        unsafe { libc::syscall(libc::SYS_close, fd) as c_int }
    }

    /// Looks whether a file has the watched name right now.
    fn look() {
        if let Some(path) = WATCHED.get() {
            // SAFETY: a NUL-terminated path; stat writes into a zeroed stat.
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            if unsafe { libc::stat(path.as_ptr(), &mut st) } != 0 {
                GONE.store(true, SeqCst);
            }
        }
    }

    /// # Safety
    /// `fsync(2)`'s contract.
    pub unsafe fn fsync(fd: c_int) -> c_int {
        if WATCHING.load(SeqCst) {
            synced(fd);
        }
        // SAFETY: the caller's contract.
        unsafe { libc::syscall(libc::SYS_fsync, fd) as c_int }
    }

    /// # Safety
    /// `fdatasync(2)`'s contract.
    pub unsafe fn fdatasync(fd: c_int) -> c_int {
        if WATCHING.load(SeqCst) {
            synced(fd);
        }
        // SAFETY: the caller's contract.
        unsafe { libc::syscall(libc::SYS_fdatasync, fd) as c_int }
    }

    /// # Safety
    /// `unlink(2)`'s contract: a NUL-terminated path.
    pub unsafe fn unlink(path: *const c_char) -> c_int {
        // SAFETY: the caller's contract.
        let r = unsafe { libc::syscall(libc::SYS_unlinkat, libc::AT_FDCWD, path, 0) as c_int };
        if WATCHING.load(SeqCst) {
            look();
        }
        r
    }

    /// # Safety
    /// `rename(2)`'s contract: two NUL-terminated paths.
    pub unsafe fn rename(old: *const c_char, new: *const c_char) -> c_int {
        if WATCHING.load(SeqCst) {
            // SAFETY: `old` is a NUL-terminated path from the caller; stat writes into a zeroed stat.
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            if unsafe { libc::stat(old, &mut st) } == 0
                && (st.st_mode & libc::S_IFMT) == libc::S_IFREG
                && !SYNCED.iter().any(|i| i.load(SeqCst) == st.st_ino)
                && !open_synchronously(st.st_ino)
            {
                UNSYNCED_RENAME.store(true, SeqCst);
            }
        }
        // SAFETY: the caller's contract.
        let r = unsafe {
            libc::syscall(libc::SYS_renameat, libc::AT_FDCWD, old, libc::AT_FDCWD, new) as c_int
        };
        if WATCHING.load(SeqCst) {
            look();
        }
        r
    }
}

/// Defines, in the check program that invokes it (at the top level of the check file), the C library's `fsync`,
/// `fdatasync`, `close`, `unlink` and `rename` as [`force::durable`](crate::force::durable) needs them: each the raw
/// system call, noting syncs and renames once [`watch`](crate::force::durable::watch) was called. Linux with
/// glibc; elsewhere it defines nothing. Once per program; not together with
/// [`interpose_file_turns!`](crate::interpose_file_turns) (both define `rename`).
#[macro_export]
macro_rules! interpose_durability {
    () => {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        #[doc(hidden)]
        #[allow(clippy::missing_safety_doc)]
        pub mod __conc_check_durability {
            use $crate::force::durable::shim;
            use $crate::force::libc::{c_char, c_int};

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn fsync(fd: c_int) -> c_int {
                unsafe { shim::fsync(fd) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn fdatasync(fd: c_int) -> c_int {
                unsafe { shim::fdatasync(fd) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn close(fd: c_int) -> c_int {
                unsafe { shim::close(fd) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn unlink(path: *const c_char) -> c_int {
                unsafe { shim::unlink(path) }
            }

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn rename(old: *const c_char, new: *const c_char) -> c_int {
                unsafe { shim::rename(old, new) }
            }
        }
    };
}
