//! Running a program that may misbehave: its own process group, output drained on threads and capped, a hard
//! timeout, and nothing left behind afterwards.
//!
//! Every process started here carries `CONC_LINGS_RUN=<marker>` in its environment, which its children inherit.
//! After a run, every process with that marker is killed — even one that left the process group (`setsid`) or
//! was orphaned — so a learner's stray grandchild never outlives the check that started it. Markers nest: a run
//! started from inside a run gets `<outer>/<inner>`, so ending the outer run ends the inner ones too. Named
//! objects a run created in `/dev/shm` under its prefix ([`object_prefix`]) are removed with it.

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

/// The most processes one run's process group may have alive at once: far above what any exercise starts (a
/// handful of workers, their shells, the check's roles), below the kernel's cap on the run's tasks
/// ([`crate::task_cap`]), which holds a fork loop back until this is noticed. A run that passes it (a fork loop, a
/// program that starts itself from `main`) is killed at once and told why.
pub const MAX_PROCESSES: usize = 128;

/// How often the process count is looked at while a run is alive.
const WATCH_INTERVAL: Duration = Duration::from_millis(20);

/// Output kept from one stream: the start and the end, with how much was cut in between.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Captured {
    /// All of the output when it fit the cap; otherwise its first half-cap bytes.
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
            format!("{}{}", self.head, self.tail)
        }
    }
}

/// How a supervised run ended.
#[derive(Debug)]
pub struct Finished {
    /// `None` when the run was killed at its timeout.
    pub status: Option<ExitStatus>,
    pub timed_out: bool,
    /// Set when the group was killed for having more than [`MAX_PROCESSES`] processes: how many were counted.
    pub runaway: Option<usize>,
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
    watchdog: Watchdog,
    cap: crate::task_cap::TaskCap,
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

/// A new marker nested under the run this process belongs to, if any: ending that run ends this one too.
pub fn nested_marker() -> String {
    match std::env::var(MARKER_ENV) {
        Ok(outer) if !outer.is_empty() => format!("{outer}/{}", new_marker()),
        _ => new_marker(),
    }
}

/// The start of the names a run's named objects get (`/dev/shm/<prefix>…`, POSIX queue `/<prefix>…`): the
/// marker with `/` made safe, so sweeping a run also sweeps the runs nested in it.
pub fn object_prefix(marker: &str) -> String {
    format!("cl-{}.", marker.replace('/', "."))
}

/// Starts `command` in a new process group, marked with `marker`, its stdout and stderr captured up to
/// `output_cap` bytes each. Stdin is closed unless the command set it.
pub fn spawn(command: &mut Command, marker: &str, output_cap: usize) -> io::Result<Supervised> {
    let cap = crate::task_cap::TaskCap::prepare(&object_prefix(marker));
    let in_child = cap.for_child();
    // SAFETY: `enter` makes only async-signal-safe calls and allocates nothing.
    unsafe {
        command.pre_exec(move || {
            in_child.enter();
            Ok(())
        });
    }
    command
        .env(MARKER_ENV, marker)
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn()?;
    let stdout = child.stdout.take().map(|s| drain(s, output_cap));
    let stderr = child.stderr.take().map(|s| drain(s, output_cap));
    let watchdog = Watchdog::start(child.id() as i32);
    Ok(Supervised {
        child,
        marker: marker.to_string(),
        started: Instant::now(),
        stdout,
        stderr,
        watchdog,
        cap,
    })
}

impl Supervised {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The process group: the same number as the leader's pid.
    pub fn pgid(&self) -> i32 {
        self.child.id() as i32
    }

    pub fn marker(&self) -> &str {
        &self.marker
    }

    pub fn started(&self) -> Instant {
        self.started
    }

    /// The leader's stdin, if the command asked for a pipe.
    pub fn take_stdin(&mut self) -> Option<std::process::ChildStdin> {
        self.child.stdin.take()
    }

    /// The leader's exit status if it has exited (and is now reaped); never blocks.
    pub fn try_exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// The leader's exit status if it has exited, leaving it unreaped (a zombie keeps its pid and group id
    /// taken until [`Self::finish`]); never blocks.
    #[cfg(target_os = "linux")]
    pub fn peek_exited(&self) -> Option<ExitStatus> {
        use std::os::unix::process::ExitStatusExt;
        // SAFETY: an all-zero siginfo is valid; waitid writes into it.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: `info` is writable; WNOWAIT leaves the child waitable, WNOHANG never blocks.
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                self.child.id() as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            )
        };
        // SAFETY: filled in by waitid for a child that exited (si_pid 0: none has).
        let (pid, status) = unsafe { (info.si_pid(), info.si_status()) };
        if r != 0 || pid == 0 {
            return None;
        }
        // As a wait status: exited with `status`, or killed by signal `status` (with a core when dumped).
        Some(ExitStatus::from_raw(match info.si_code {
            libc::CLD_EXITED => (status & 0xff) << 8,
            libc::CLD_DUMPED => status | 0x80,
            _ => status,
        }))
    }

    /// Elsewhere than Linux: `None` (not known without reaping).
    #[cfg(not(target_os = "linux"))]
    pub fn peek_exited(&self) -> Option<ExitStatus> {
        None
    }

    /// Processes of this run still alive besides the leader: its process group and everything carrying its
    /// marker (which finds those that left the group with `setsid`).
    pub fn others_alive(&self) -> Vec<i32> {
        let leader = self.pgid();
        let mut pids = group_pids(leader);
        pids.extend(marked_pids(&self.marker));
        pids.sort_unstable();
        pids.dedup();
        pids.retain(|&p| p != leader);
        pids
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
        if status.is_none() {
            before_kill(self.child.id());
        }
        self.finish(status)
    }

    /// Ends the run: the leader exited with `status`, or (`None`) it is stuck and is killed now. Either way the
    /// whole group and every marked straggler is killed and reaped, the named objects under the run's prefix are
    /// removed, and the output read to its end.
    pub fn finish(mut self, status: Option<ExitStatus>) -> Finished {
        let timed_out = status.is_none();
        let runaway = self.watchdog.stop();
        let pgid = self.pgid();
        let mut victims = self.others_alive();
        // The group leader is gone or stuck; end its group and every marked straggler either way.
        terminate_group(pgid, timed_out);
        victims.extend(kill_marked(&self.marker));
        let _ = self.child.wait();
        reap(&victims);
        // Children the leader never waited for were handed to this process (the subreaper) when it exited.
        reap(&group_zombies(pgid));
        sweep_objects(&self.marker);
        // The kernel refused forks past the run's cap: a fork loop, even if the watchdog did not see it.
        let runaway = match (runaway, self.cap.release()) {
            (None, true) => Some(crate::task_cap::TASK_LIMIT as usize),
            (seen, _) => seen,
        };
        let elapsed = self.started.elapsed();
        // A grandchild may still have held the pipes open; it has just been killed, so the readers end.
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
            timed_out: timed_out && runaway.is_none(),
            runaway,
            elapsed,
            stdout,
            stderr,
        }
    }

    /// Kills the run now (the runner cancelling a check because the file changed).
    pub fn kill(mut self) {
        self.end_now();
    }

    /// Kills the group and every marked straggler, reaps them, and removes the run's named objects.
    fn end_now(&mut self) {
        self.watchdog.stop();
        let victims = self.others_alive();
        terminate_group(self.pgid(), false);
        kill_marked(&self.marker);
        let _ = self.child.wait();
        reap(&victims);
        sweep_objects(&self.marker);
    }
}

impl Drop for Supervised {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.end_now();
        }
    }
}

/// A thread that counts a run's processes while it is alive and kills its whole group when they pass
/// [`MAX_PROCESSES`]. Cheap while nothing happens: it reads the machine's task count (`/proc/loadavg`, one small
/// file) and only lists the group when that count has grown by more than the limit since the run started.
/// A process group is killed as one: the kernel makes a `fork` racing with the kill fail, so no child escapes.
struct Watchdog {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The group's size when it was killed; 0 while it has not been.
    runaway: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Watchdog {
    fn start(pgid: i32) -> Watchdog {
        use std::sync::atomic::Ordering::SeqCst;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let runaway = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (stopped, seen) = (stop.clone(), runaway.clone());
        let mut baseline = tasks_on_machine();
        let _ = std::thread::Builder::new()
            .name("conc-lings-watchdog".into())
            .spawn(move || {
                while !stopped.load(SeqCst) {
                    std::thread::sleep(WATCH_INTERVAL);
                    let now = tasks_on_machine();
                    let grew = match (baseline, now) {
                        (Some(before), Some(now)) => now > before + MAX_PROCESSES,
                        _ => true,
                    };
                    if !grew || stopped.load(SeqCst) {
                        continue;
                    }
                    // Something grew (maybe other programs): look again only after as much growth again.
                    baseline = now;
                    let alive = group_size_past(pgid, MAX_PROCESSES);
                    if alive > MAX_PROCESSES {
                        // Recorded before the kill, so whoever sees the leader die also sees why.
                        seen.store(alive, SeqCst);
                        // SAFETY: kill(2) on a process group; no memory is involved.
                        unsafe { libc::kill(-pgid, libc::SIGKILL) };
                        return;
                    }
                }
            });
        Watchdog { stop, runaway }
    }

    /// Stops watching; the group's size if it was killed for having too many processes.
    fn stop(&self) -> Option<usize> {
        use std::sync::atomic::Ordering::SeqCst;
        self.stop.store(true, SeqCst);
        match self.runaway.load(SeqCst) {
            0 => None,
            n => Some(n),
        }
    }
}

/// Tasks (processes and threads) on the machine: the last number of `/proc/loadavg`'s fourth field.
pub(crate) fn tasks_on_machine() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace()
        .nth(3)?
        .split_once('/')?
        .1
        .parse()
        .ok()
}

/// Short sleeps at first (most checks end in milliseconds), longer ones later: quick verdicts, little CPU.
pub fn poll_interval(elapsed: Duration) -> Duration {
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
            while Instant::now() < until && !group_pids(pgid).is_empty() {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        libc::kill(-pgid, libc::SIGKILL);
    }
}

/// Kills every process whose environment carries `marker` (or a marker nested in it); repeats until none is
/// found (a dying fork bomb). Returns the pids it killed.
pub fn kill_marked(marker: &str) -> Vec<i32> {
    let mut killed = Vec::new();
    for _ in 0..50 {
        let pids = marked_pids(marker);
        if pids.is_empty() {
            break;
        }
        for pid in &pids {
            // SAFETY: plain kill(2).
            unsafe { libc::kill(*pid, libc::SIGKILL) };
        }
        killed.extend(pids);
        std::thread::sleep(Duration::from_millis(2));
    }
    killed
}

/// Reaps those of `pids` that are this process's children (orphans re-parented to a subreaper), waiting briefly
/// for the killed ones to die. Others are not ours to reap and are skipped at once.
fn reap(pids: &[i32]) {
    let until = Instant::now() + Duration::from_millis(200);
    for &pid in pids {
        loop {
            let mut status = 0;
            // SAFETY: waitpid(2) on one pid with WNOHANG; `status` is a valid out-pointer.
            let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
            if r != 0 || Instant::now() >= until {
                break; // reaped, or not our child (ECHILD), or out of patience
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// The pids in `/proc` (none where there is no `/proc`).
fn proc_pids() -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .collect()
}

/// State letter and process group of a live process, from `/proc/<pid>/stat`.
fn state_and_group(pid: i32) -> Option<(char, i32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let _ppid = fields.next()?;
    let pgrp = fields.next()?.parse().ok()?;
    Some((state, pgrp))
}

/// Live (not zombie) members of process group `pgid`.
pub fn group_pids(pgid: i32) -> Vec<i32> {
    proc_pids()
        .into_iter()
        .filter(|&pid| matches!(state_and_group(pid), Some((s, g)) if g == pgid && s != 'Z' && s != 'X'))
        .collect()
}

/// Members of process group `pgid` that have exited but were never waited for (zombies). Right after the
/// group's leader exits, these are children it started and did not reap: its exit handed them to the subreaper.
pub fn group_zombies(pgid: i32) -> Vec<i32> {
    proc_pids()
        .into_iter()
        .filter(|&pid| matches!(state_and_group(pid), Some(('Z', g)) if g == pgid))
        .collect()
}

/// How many live members process group `pgid` has, counting no further than `limit + 1` (a fork loop grows
/// while it is being counted: stopping early kills it sooner).
fn group_size_past(pgid: i32, limit: usize) -> usize {
    proc_pids()
        .into_iter()
        .filter(|&pid| matches!(state_and_group(pid), Some((s, g)) if g == pgid && s != 'Z' && s != 'X'))
        .take(limit + 1)
        .count()
}

/// Live (not zombie) processes, other than this one, whose environment carries `marker` or a marker nested in
/// it.
pub fn marked_pids(marker: &str) -> Vec<i32> {
    let me = std::process::id() as i32;
    let exact = format!("{MARKER_ENV}={marker}");
    let nested = format!("{exact}/");
    proc_pids()
        .into_iter()
        .filter(|&pid| pid != me)
        .filter(|&pid| {
            let Ok(environ) = std::fs::read(format!("/proc/{pid}/environ")) else {
                return false;
            };
            let alive = matches!(state_and_group(pid), Some((s, _)) if s != 'Z' && s != 'X');
            alive
                && environ
                    .split(|&b| b == 0)
                    .any(|var| var == exact.as_bytes() || var.starts_with(nested.as_bytes()))
        })
        .collect()
}

/// Where POSIX shared memory lives on Linux.
pub const SHM_DIR: &str = "/dev/shm";
/// Where POSIX message queues show up, when that file system is mounted.
pub const MQUEUE_DIR: &str = "/dev/mqueue";
/// A run that hands out POSIX queue names lists them in `/dev/shm/<prefix>QUEUES_FILE`, so that the queues can be
/// removed even if the run is killed (queues cannot be listed where `/dev/mqueue` is not mounted).
pub const QUEUES_FILE: &str = "queue-names";

/// Removes the named objects a killed or finished run may have left under its prefix: `/dev/shm` files, POSIX
/// queues listed in its queue-names file or visible in `/dev/mqueue`. Returns what it removed.
pub fn sweep_objects(marker: &str) -> Vec<String> {
    let prefix = object_prefix(marker);
    let mut removed = Vec::new();
    for (dir, is_queue) in [(SHM_DIR, false), (MQUEUE_DIR, true)] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with(&prefix) {
                continue;
            }
            if !is_queue && name.ends_with(QUEUES_FILE) {
                let listed = std::fs::read_to_string(entry.path()).unwrap_or_default();
                for queue in listed.lines().filter(|l| !l.is_empty()) {
                    if unlink_queue(queue) {
                        removed.push(queue.to_string());
                    }
                }
                let _ = std::fs::remove_file(entry.path());
                continue;
            }
            if is_queue {
                if unlink_queue(&format!("/{name}")) {
                    removed.push(format!("/{name}"));
                }
            } else {
                // A check may make a folder under the run's prefix too (a TMPDIR on another file system).
                let path = entry.path();
                let gone = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                if gone.is_ok() {
                    removed.push(path.display().to_string());
                }
            }
        }
    }
    // The run's private directories (see `process`), in the temp folder or `/tmp`.
    let trimmed = prefix.trim_end_matches('.');
    for base in [std::env::temp_dir(), std::path::PathBuf::from("/tmp")] {
        let Ok(entries) = std::fs::read_dir(&base) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name == trimmed || name.starts_with(&prefix);
            if ours && entry.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = std::fs::remove_dir_all(entry.path());
                removed.push(entry.path().display().to_string());
            }
        }
    }
    removed
}

/// Removes a POSIX message queue; whether one was there.
#[cfg(any(target_os = "linux", target_os = "freebsd"))]
pub fn unlink_queue(name: &str) -> bool {
    nix::mqueue::mq_unlink(name).is_ok()
}

/// Removes a POSIX message queue; whether one was there.
#[cfg(not(any(target_os = "linux", target_os = "freebsd")))]
pub fn unlink_queue(_name: &str) -> bool {
    false
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
                Ok(0) => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
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
        let mut tail: Vec<u8> = tail.into();
        let cut_bytes = total - (head.len() + tail.len()) as u64;
        if cut_bytes == 0 {
            // It all fit: one piece, so that a character split between head and tail stays whole.
            head.append(&mut tail);
        }
        Captured {
            head: String::from_utf8_lossy(&head).into_owned(),
            tail: String::from_utf8_lossy(&tail).into_owned(),
            total_bytes: total,
            cut_bytes,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_output_is_kept_whole_and_large_output_is_cut_in_the_middle() {
        let small = drain(io::Cursor::new(b"hello\n".repeat(10)), 64)
            .join()
            .unwrap();
        assert_eq!(small.head, "hello\n".repeat(10));
        assert!(small.tail.is_empty() && !small.was_cut());

        let big: Vec<u8> = (0..100_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let cut = drain(io::Cursor::new(big), 1000).join().unwrap();
        assert_eq!(cut.total_bytes, 100_000);
        assert_eq!((cut.head.len(), cut.tail.len()), (500, 500));
        assert_eq!(cut.cut_bytes, 99_000);
        assert!(cut.text().contains("99000 bytes cut"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_exit_is_seen_without_reaping_and_reported_again_at_the_finish() {
        use std::os::unix::process::ExitStatusExt;
        let marker = format!("peek-test-{}", std::process::id());
        let mut command = Command::new("sh");
        command.args(["-c", "read _; exit 3"]).stdin(Stdio::piped());
        let mut s = spawn(&mut command, &marker, 1024).unwrap();
        let stdin = s.take_stdin().unwrap();
        std::thread::sleep(Duration::from_millis(50));
        assert!(s.peek_exited().is_none(), "still running");
        drop(stdin);
        let until = Instant::now() + Duration::from_secs(5);
        let status = loop {
            if let Some(status) = s.peek_exited() {
                break status;
            }
            assert!(Instant::now() < until, "the exit was never seen");
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(status.code(), Some(3));
        assert!(s.peek_exited().is_some(), "not reaped: seen again");
        let pid = s.pid();
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        assert!(state.contains(") Z"), "a zombie until the finish: {state}");
        assert_eq!(
            s.try_exited().map(|st| st.into_raw()),
            Some(status.into_raw())
        );
        s.finish(Some(status));
    }

    #[test]
    fn nested_markers_are_found_by_their_outer_marker() {
        let prefix = object_prefix("1-2-3/4-5-6");
        assert_eq!(prefix, "cl-1-2-3.4-5-6.");
        assert!(prefix.starts_with(&object_prefix("1-2-3")));
        assert!(!object_prefix("1-2-34").starts_with(&object_prefix("1-2-3")));
    }
}
