//! Running a program that may misbehave: its own process group, output drained on threads and capped, a hard
//! timeout, and nothing left behind afterwards.
//!
//! Every process started here carries `CONC_LINGS_RUN=<marker>` in its environment, which its children inherit.
//! After a run, every process with that marker is killed — even one that left the process group (`setsid`) or
//! was orphaned — so a learner's stray grandchild never outlives the check that started it.

use serde::{Deserialize, Serialize};
use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The environment variable that marks every process of one run.
pub const MARKER_ENV: &str = "CONC_LINGS_RUN";

/// Grace between SIGTERM and SIGKILL when a run ends early.
const KILL_GRACE: Duration = Duration::from_millis(100);

/// Output kept from one stream: the start and the end, with how much was cut in between.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Captured {
    pub head: String,
    /// Empty unless the output was longer than the cap.
    pub tail: String,
    pub total_bytes: u64,
    /// Bytes dropped between `head` and `tail`.
    pub cut_bytes: u64,
}

impl Captured {
    pub fn was_cut(&self) -> bool {
        self.cut_bytes > 0
    }

    /// The kept output as one string, with a note where the middle was cut.
    pub fn text(&self) -> String {
        if self.was_cut() {
            format!(
                "{}\n[… {} bytes cut …]\n{}",
                self.head, self.cut_bytes, self.tail
            )
        } else {
            self.head.clone()
        }
    }
}

/// How a supervised run ended.
#[derive(Debug)]
pub struct Finished {
    /// `None` when the run was killed at its timeout.
    pub status: Option<ExitStatus>,
    pub timed_out: bool,
    pub elapsed: Duration,
    pub stdout: Captured,
    pub stderr: Captured,
}

/// A started process group.
pub struct Supervised {
    child: Child,
    marker: String,
    started: Instant,
    stdout: Option<JoinHandle<Captured>>,
    stderr: Option<JoinHandle<Captured>>,
}

/// A marker unique to this process and call.
pub fn new_marker() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// Starts `command` in a new process group, marked with `marker`, its stdout and stderr captured up to
/// `output_cap` bytes each. Stdin is closed unless the command set it.
pub fn spawn(command: &mut Command, marker: &str, output_cap: usize) -> io::Result<Supervised> {
    command
        .env(MARKER_ENV, marker)
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn()?;
    let stdout = child.stdout.take().map(|s| drain(s, output_cap));
    let stderr = child.stderr.take().map(|s| drain(s, output_cap));
    Ok(Supervised {
        child,
        marker: marker.to_string(),
        started: Instant::now(),
        stdout,
        stderr,
    })
}

impl Supervised {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to exit or for `timeout`, calling `before_kill` (to look at the stuck processes)
    /// before killing them. Afterwards no process of the run is left, whatever happened.
    pub fn wait(mut self, timeout: Duration, before_kill: impl FnOnce(u32)) -> Finished {
        let deadline = self.started + timeout;
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() >= deadline => break None,
                Ok(None) => std::thread::sleep(poll_interval(self.started.elapsed())),
                Err(_) => break None,
            }
        };
        let timed_out = status.is_none();
        if timed_out {
            before_kill(self.child.id());
        }
        // The group leader is gone or stuck; end its group and every marked straggler either way.
        terminate_group(self.child.id() as i32, timed_out);
        let status = status.or_else(|| self.child.wait().ok().filter(|_| !timed_out));
        kill_marked(&self.marker);
        let _ = self.child.wait();
        let elapsed = self.started.elapsed();
        // A grandchild may still hold the pipes open; it has just been killed, so the readers end.
        let stdout = self
            .stdout
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        let stderr = self
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        Finished {
            status,
            timed_out,
            elapsed,
            stdout,
            stderr,
        }
    }

    /// Kills the run now (the runner cancelling a check because the file changed).
    pub fn kill(mut self) {
        terminate_group(self.child.id() as i32, true);
        kill_marked(&self.marker);
        let _ = self.child.wait();
    }
}

impl Drop for Supervised {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            terminate_group(self.child.id() as i32, true);
            kill_marked(&self.marker);
            let _ = self.child.wait();
        }
    }
}

/// Short sleeps at first (most checks end in milliseconds), longer ones later: quick verdicts, little CPU.
fn poll_interval(elapsed: Duration) -> Duration {
    if elapsed < Duration::from_millis(50) {
        Duration::from_millis(1)
    } else if elapsed < Duration::from_secs(1) {
        Duration::from_millis(5)
    } else {
        Duration::from_millis(20)
    }
}

/// SIGTERM then, after a short grace, SIGKILL to the whole group (`gentle == false` skips straight to KILL).
fn terminate_group(pgid: i32, gentle: bool) {
    // SAFETY: kill(2) with a negative pid signals a process group; no memory is involved.
    unsafe {
        if gentle && libc::kill(-pgid, libc::SIGTERM) == 0 {
            let until = Instant::now() + KILL_GRACE;
            while Instant::now() < until && group_alive(pgid) {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        libc::kill(-pgid, libc::SIGKILL);
    }
}

fn group_alive(pgid: i32) -> bool {
    // SAFETY: signal 0 only checks for existence.
    unsafe { libc::kill(-pgid, 0) == 0 }
}

/// Kills every process whose environment carries `marker`; repeats until none is found (a dying fork bomb).
pub fn kill_marked(marker: &str) -> usize {
    let needle = format!("{MARKER_ENV}={marker}");
    let mut killed = 0;
    for _ in 0..50 {
        let pids = marked_pids(&needle);
        if pids.is_empty() {
            break;
        }
        for pid in &pids {
            // SAFETY: plain kill(2).
            unsafe { libc::kill(*pid, libc::SIGKILL) };
        }
        killed += pids.len();
        std::thread::sleep(Duration::from_millis(2));
    }
    killed
}

/// Processes still alive (not zombies) whose environment contains `needle`.
pub fn marked_pids(needle: &str) -> Vec<i32> {
    let me = std::process::id() as i32;
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| pid != me)
        .filter(|&pid| {
            let Ok(environ) = std::fs::read(format!("/proc/{pid}/environ")) else {
                return false;
            };
            let is_zombie = std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|s| {
                    s.rsplit_once(')')
                        .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
                })
                .unwrap_or(true);
            !is_zombie
                && environ
                    .split(|&b| b == 0)
                    .any(|var| var == needle.as_bytes())
        })
        .collect()
}

/// Reads a stream to its end on a thread, keeping the first and last `cap / 2` bytes.
fn drain(mut stream: impl Read + Send + 'static, cap: usize) -> JoinHandle<Captured> {
    std::thread::spawn(move || {
        let half = cap / 2;
        let mut head = Vec::new();
        let mut tail = std::collections::VecDeque::new();
        let mut total = 0u64;
        let mut buf = [0u8; 8192];
        loop {
            let n = match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            total += n as u64;
            let mut chunk = &buf[..n];
            if head.len() < half {
                let take = chunk.len().min(half - head.len());
                head.extend_from_slice(&chunk[..take]);
                chunk = &chunk[take..];
            }
            tail.extend(chunk);
            if tail.len() > half {
                let excess = tail.len() - half;
                tail.drain(..excess);
            }
        }
        let tail: Vec<u8> = tail.into();
        let cut_bytes = total - (head.len() + tail.len()) as u64;
        Captured {
            head: String::from_utf8_lossy(&head).into_owned(),
            tail: String::from_utf8_lossy(&tail).into_owned(),
            total_bytes: total,
            cut_bytes,
        }
    })
}
