//! Sampling what a thread or process is doing, from `/proc` and the CPU clocks (Linux): the part of forcing
//! that decides "this party is *waiting* now, let the other one go on".
//!
//! A party that waits for a lock either spins (it uses CPU) or sleeps in the kernel (state `S` or `D`); a party
//! that does not wait finishes. [`watch`] tells these apart for a thread of this process, [`settled`] for
//! another process. [`now_ns`] and [`nap`] are async-signal-safe (the page-protection holds call them in their
//! signal handlers); the rest allocate and are for ordinary code.
//!
//! ```ignore
//! static TID: AtomicI32 = AtomicI32::new(0);
//! let reading = std::thread::spawn(move || {
//!     TID.store(proc::gettid(), SeqCst);
//!     board.read()
//! });
//! proc::watch(&reading, &TID, || false); // returned, spinning for 20 ms of CPU, or asleep for 20 ms
//! control.resume.store(1, SeqCst);        // now let the held writer go on
//! ```

use std::sync::atomic::{AtomicI32, Ordering::SeqCst};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How much CPU a watched thread may use before it counts as spinning (waiting on the CPU).
pub const SPINNING: Duration = Duration::from_millis(20);
/// How long a watched thread must be asleep in the kernel before it counts as waiting.
pub const ASLEEP: Duration = Duration::from_millis(20);
/// How long [`watch`] watches at most.
pub const WATCH_LIMIT: Duration = Duration::from_secs(2);
/// How long [`wait_for`] waits at most.
pub const WAIT_LIMIT: Duration = Duration::from_secs(3);

/// Nanoseconds on the monotonic clock. Async-signal-safe (unlike `Instant`, in principle).
pub fn now_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: writes into `ts`; clock_gettime is async-signal-safe.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Sleeps `nanos` nanoseconds (under a second) with nanosleep. Async-signal-safe.
pub fn nap(nanos: u32) {
    let ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: nanos.min(999_999_999) as _,
    };
    // SAFETY: a valid timespec; nanosleep is async-signal-safe.
    unsafe { libc::nanosleep(&ts, std::ptr::null_mut()) };
}

/// The id of the calling thread (what `/proc/self/task/<tid>` names); 0 elsewhere than Linux.
#[cfg(target_os = "linux")]
pub fn gettid() -> i32 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::gettid() }
}

/// The id of the calling thread (what `/proc/self/task/<tid>` names); 0 elsewhere than Linux.
#[cfg(not(target_os = "linux"))]
pub fn gettid() -> i32 {
    0
}

/// The state letter in a `/proc/…/stat` text: the first field after the command name's closing parenthesis.
fn state_of_stat(stat: &str) -> Option<char> {
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.trim_start().chars().next())
}

/// The scheduler state of thread `tid` of this process (`R`, `S`, `D`, …); `?` when it cannot be read.
pub fn thread_state(tid: i32) -> char {
    std::fs::read_to_string(format!("/proc/self/task/{tid}/stat"))
        .ok()
        .and_then(|s| state_of_stat(&s))
        .unwrap_or('?')
}

/// The scheduler state of process `pid` (`R`, `S`, `D`, `Z`, …); `None` once it is gone (or unreadable).
pub fn process_state(pid: u32) -> Option<char> {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| state_of_stat(&s))
}

/// The kernel function process `pid` sleeps in (`/proc/<pid>/wchan`; empty or `0` when running or unknown).
pub fn wchan(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default()
}

/// CPU time `thread` (alive: not joined yet) has used, from its pthread CPU clock; zero elsewhere than Linux.
#[cfg(target_os = "linux")]
pub fn cpu_time(thread: libc::pthread_t) -> Duration {
    let mut clock: libc::clockid_t = 0;
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: the caller keeps `thread` alive (not joined); both calls write into locals.
    unsafe {
        if libc::pthread_getcpuclockid(thread, &mut clock) != 0 {
            return Duration::ZERO;
        }
        libc::clock_gettime(clock, &mut ts);
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// CPU time `thread` (alive: not joined yet) has used, from its pthread CPU clock; zero elsewhere than Linux.
#[cfg(not(target_os = "linux"))]
pub fn cpu_time(_thread: libc::pthread_t) -> Duration {
    Duration::ZERO
}

/// Watches the thread `running` (whose [`gettid`] it stored in `tid`) until it has finished, is seen waiting
/// ([`SPINNING`] of CPU used, or asleep in the kernel for [`ASLEEP`]), or `also` says so; [`WATCH_LIMIT`] at
/// most. Returns nothing: whichever it was, the caller lets the other party go on now.
pub fn watch<T>(running: &JoinHandle<T>, tid: &AtomicI32, also: impl Fn() -> bool) {
    let handle = std::os::unix::thread::JoinHandleExt::as_pthread_t(running);
    let started = Instant::now();
    let cpu_before = cpu_time(handle);
    let mut asleep_since: Option<Instant> = None;
    while !running.is_finished() && !also() {
        if cpu_time(handle).saturating_sub(cpu_before) >= SPINNING {
            break;
        }
        let tid = tid.load(SeqCst);
        if tid != 0 && matches!(thread_state(tid), 'S' | 'D') {
            let since = *asleep_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= ASLEEP {
                break;
            }
        } else {
            asleep_since = None;
        }
        if started.elapsed() > WATCH_LIMIT {
            break;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

/// Polls `ready` every 200 µs until it is true, [`WAIT_LIMIT`] at most. Returns whether it became true.
pub fn wait_for(ready: impl Fn() -> bool) -> bool {
    wait_for_at_most(WAIT_LIMIT, ready)
}

/// Polls `ready` every 200 µs until it is true, `limit` at most. Returns whether it became true.
pub fn wait_for_at_most(limit: Duration, ready: impl Fn() -> bool) -> bool {
    let until = Instant::now() + limit;
    loop {
        if ready() {
            return true;
        }
        if Instant::now() >= until {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Waits (every 10 ms, `limit` at most) until process `pid` is gone (or a zombie) or has been asleep in the
/// kernel (`S` or `D`) for three samples in a row: whatever it does before it blocks, it has done. Returns
/// whether it settled before `limit`. Elsewhere than Linux (no /proc), returns at once.
pub fn settled(pid: u32, limit: Duration) -> bool {
    let until = Instant::now() + limit;
    let mut asleep = 0;
    while Instant::now() < until {
        match process_state(pid) {
            Some('Z' | 'X') | None => return true,
            Some('S' | 'D') => {
                asleep += 1;
                if asleep >= 3 {
                    return true;
                }
            }
            _ => asleep = 0,
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn states_are_read_from_proc() {
        assert_eq!(thread_state(gettid()), 'R', "this thread is running");
        assert!(
            process_state(std::process::id()).is_some(),
            "this process (its main thread) is there"
        );
        assert_eq!(process_state(u32::MAX), None, "no such process");
        assert_eq!(
            state_of_stat("12 (a) b) S 1 2"),
            Some('S'),
            "a name with ')' in it"
        );
    }

    #[test]
    fn watch_sees_a_sleeping_thread_waiting() {
        static TID: AtomicI32 = AtomicI32::new(0);
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let waiting = std::thread::spawn(move || {
            TID.store(gettid(), SeqCst);
            let _ = rx.recv();
        });
        let started = Instant::now();
        watch(&waiting, &TID, || false);
        assert!(!waiting.is_finished());
        assert!(
            started.elapsed() < WATCH_LIMIT,
            "seen asleep, not timed out"
        );
        tx.send(()).unwrap();
        waiting.join().unwrap();
    }

    #[test]
    fn settled_sees_a_sleeping_child() {
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        assert!(settled(child.id(), Duration::from_secs(2)));
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(settled(child.id(), Duration::from_millis(100)), "gone");
    }
}
