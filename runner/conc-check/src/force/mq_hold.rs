//! Holding a POSIX queue's opener until its parent has settled: whatever the parent does before it blocks (an
//! early `mq_unlink`, say), it has done by the time the child opens the queue — on every run, not when the
//! scheduler happens to run the parent first.
//!
//! How: the check file invokes [`interpose_mq_open_hold!`](crate::interpose_mq_open_hold)`(ENV)` at its top
//! level, which defines glibc's `mq_open` in that check's program (nix's call binds to it). It is the raw system
//! call; but when the environment variable named `ENV` is set (the check sets it on a role, so the role's
//! children inherit it), an open without `O_CREAT` first waits (1.5 s at most) until the parent process has been
//! asleep in the kernel for three samples in a row, or is gone ([`super::proc::settled`]). Linux with glibc;
//! elsewhere it defines nothing (the C library's `mq_open` runs, without the wait).
//!
//! ```ignore
//! const HOLD_OPEN_ENV: &str = "JOB_QUEUE_HOLD_OPEN";
//! conc_check::interpose_mq_open_hold!(HOLD_OPEN_ENV); // at the top level of the check file
//!
//! let out = ex.check_role("dispatch", &[&name]).env(HOLD_OPEN_ENV, "1").timeout(secs(5)).run();
//! // the dispatcher's worker (its child) opens the queue only once the dispatcher is blocked or done
//! ```

/// How long an opener waits for its parent to settle.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_millis(1500);

/// What the `mq_open` defined by [`interpose_mq_open_hold!`](crate::interpose_mq_open_hold) does. Not for checks
/// to call.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[doc(hidden)]
pub mod shim {
    use libc::{c_char, c_int};

    /// glibc's `mq_open`: variadic in C; `mode` and `attr` are read only with `O_CREAT`, as glibc does.
    ///
    /// # Safety
    /// `mq_open(3)`'s contract: `name` is a NUL-terminated string.
    pub unsafe fn mq_open(
        name: *const c_char,
        oflag: c_int,
        mode: libc::mode_t,
        attr: *mut libc::mq_attr,
        hold_env: &str,
    ) -> libc::mqd_t {
        let creating = oflag & libc::O_CREAT != 0;
        if !creating && std::env::var_os(hold_env).is_some() {
            super::super::proc::settled(std::os::unix::process::parent_id(), super::PATIENCE);
        }
        // SAFETY: `name` is a C string (the caller's contract); the kernel takes the name without its `/`.
        unsafe {
            if *name != b'/' as c_char {
                *libc::__errno_location() = libc::EINVAL;
                return -1;
            }
            let (mode, attr) = if creating {
                (mode, attr)
            } else {
                (0, std::ptr::null_mut())
            };
            libc::syscall(libc::SYS_mq_open, name.add(1), oflag, mode, attr) as libc::mqd_t
        }
    }
}

/// Defines, in the check program that invokes it (at the top level of the check file), glibc's `mq_open` as
/// [`force::mq_hold`](crate::force::mq_hold) describes: with the environment variable named by `$env` (a `&str`
/// expression) set, an open without `O_CREAT` waits until the parent process has settled. Linux with glibc;
/// elsewhere it defines nothing. Once per program.
#[macro_export]
macro_rules! interpose_mq_open_hold {
    ($env:expr) => {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        const __CONC_CHECK_MQ_HOLD_ENV: &str = $env;

        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        #[doc(hidden)]
        #[allow(clippy::missing_safety_doc)]
        pub mod __conc_check_mq_open_hold {
            use $crate::force::libc::{c_char, c_int, mode_t, mq_attr, mqd_t};

            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn mq_open(
                name: *const c_char,
                oflag: c_int,
                mode: mode_t,
                attr: *mut mq_attr,
            ) -> mqd_t {
                unsafe {
                    $crate::force::mq_hold::shim::mq_open(
                        name,
                        oflag,
                        mode,
                        attr,
                        super::__CONC_CHECK_MQ_HOLD_ENV,
                    )
                }
            }
        }
    };
}
