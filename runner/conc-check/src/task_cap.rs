//! A cap on how many tasks (processes and threads) one run may have, enforced by the kernel, so that a fork
//! loop in learner code cannot fill the machine's process table before anyone looks. The runner's watchdog
//! (in [`crate::supervise`]) then finds the run over its limit, kills it and says why.
//!
//! Two kernel mechanisms, because neither works everywhere:
//! - as a normal user, `RLIMIT_NPROC`: the user's tasks may grow by at most [`TASK_LIMIT`] while the run lives;
//! - as root, to whom `RLIMIT_NPROC` does not apply, a cgroup of the `pids` controller with `pids.max`, where
//!   the cgroup file system can be written (a CI container); elsewhere root runs are capped by the watchdog only.

use std::ffi::CString;
use std::path::{Path, PathBuf};

/// How many tasks a run may add: far above any exercise (a few workers and their threads, the check's roles),
/// far below what slows a machine down.
pub const TASK_LIMIT: u64 = 512;

/// The cap prepared for one child, applied between its fork and its exec ([`TaskCap::enter`]).
#[derive(Default)]
pub struct TaskCap {
    /// The run's own cgroup directory, removed by [`TaskCap::release`].
    cgroup: Option<PathBuf>,
    /// Its `cgroup.procs`, for the child to move itself in.
    procs: Option<CString>,
    /// The `RLIMIT_NPROC` to set in the child.
    nproc: Option<libc::rlim_t>,
}

impl TaskCap {
    /// A cap for a run named `name` (a file-name-safe marker).
    pub fn prepare(name: &str) -> TaskCap {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return TaskCap {
                cgroup: None,
                procs: None,
                nproc: nproc_limit(),
            };
        }
        let Some(parent) = own_pids_cgroup() else {
            return TaskCap::default();
        };
        let dir = parent.join(format!("cl-{name}"));
        let made = std::fs::create_dir(&dir).is_ok()
            && std::fs::write(dir.join("pids.max"), TASK_LIMIT.to_string()).is_ok();
        let procs = CString::new(dir.join("cgroup.procs").as_os_str().as_encoded_bytes()).ok();
        if !made || procs.is_none() {
            let _ = std::fs::remove_dir(&dir);
            return TaskCap::default();
        }
        TaskCap {
            cgroup: Some(dir),
            procs,
            nproc: None,
        }
    }

    /// A copy of what the child needs, for `pre_exec` (which must own what it uses).
    pub fn for_child(&self) -> TaskCap {
        TaskCap {
            cgroup: None,
            procs: self.procs.clone(),
            nproc: self.nproc,
        }
    }

    /// In the child, after fork and before exec: enter the cgroup or lower the limit. Only async-signal-safe
    /// calls (open, write, close, setrlimit); a failure leaves the child uncapped rather than unstarted.
    pub fn enter(&self) {
        if let Some(procs) = &self.procs {
            // SAFETY: a valid C string; writing "0" to cgroup.procs moves the writing process.
            unsafe {
                let fd = libc::open(procs.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
                if fd >= 0 {
                    libc::write(fd, b"0".as_ptr().cast(), 1);
                    libc::close(fd);
                }
            }
        }
        if let Some(n) = self.nproc {
            let limit = libc::rlimit {
                rlim_cur: n,
                rlim_max: n,
            };
            // SAFETY: setrlimit with a valid struct.
            unsafe { libc::setrlimit(libc::RLIMIT_NPROC, &limit) };
        }
    }

    /// After the run has ended and its processes are reaped: whether the kernel refused a fork for the cap
    /// (cgroup only; `false` when unknown), and the cgroup removed.
    pub fn release(&mut self) -> bool {
        let Some(dir) = self.cgroup.take() else {
            return false;
        };
        let refused = refused_forks(&dir) > 0;
        // Killed tasks leave the cgroup as they finish dying: a few tries.
        for _ in 0..50 {
            if std::fs::remove_dir(&dir).is_ok() || !dir.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        refused
    }
}

impl Drop for TaskCap {
    fn drop(&mut self) {
        self.release();
    }
}

/// The user's task count may grow by [`TASK_LIMIT`] from now: the machine's tasks (which include the user's)
/// plus that, or the current hard limit if lower.
fn nproc_limit() -> Option<libc::rlim_t> {
    let tasks = crate::supervise::tasks_on_machine()? as libc::rlim_t;
    let mut current = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit with a valid out-pointer.
    if unsafe { libc::getrlimit(libc::RLIMIT_NPROC, &mut current) } != 0 {
        return None;
    }
    Some((tasks + TASK_LIMIT as libc::rlim_t).min(current.rlim_max))
}

/// This process's cgroup directory of the `pids` controller, if that hierarchy is mounted (cgroup v1 `pids`, or
/// v2 with `pids` among its controllers).
fn own_pids_cgroup() -> Option<PathBuf> {
    let membership = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    for line in membership.lines() {
        let mut parts = line.splitn(3, ':');
        let (_, controllers, path) = (parts.next()?, parts.next()?, parts.next()?);
        let v1 = controllers.split(',').any(|c| c == "pids");
        if !v1 && !controllers.is_empty() {
            continue;
        }
        let Some(mount) = cgroup_mount(&mountinfo, v1) else {
            continue;
        };
        let dir = mount.join(path.trim_start_matches('/'));
        if (v1 && dir.is_dir()) || (!v1 && has_pids_controller(&dir)) {
            return Some(dir);
        }
    }
    None
}

/// Where the cgroup hierarchy is mounted: the v1 one with the `pids` controller, or the v2 one.
fn cgroup_mount(mountinfo: &str, v1: bool) -> Option<PathBuf> {
    mountinfo.lines().find_map(|line| {
        let (before, after) = line.split_once(" - ")?;
        let mut fields = after.split_whitespace();
        let fstype = fields.next()?;
        let options = fields.nth(1)?;
        let root = before.split_whitespace().nth(3)?;
        let mount = before.split_whitespace().nth(4)?;
        let wanted = if v1 {
            fstype == "cgroup" && options.split(',').any(|o| o == "pids")
        } else {
            fstype == "cgroup2"
        };
        // A mount of a sub-tree would need the path translated; the whole tree is the common case.
        (wanted && root == "/").then(|| PathBuf::from(mount))
    })
}

fn has_pids_controller(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("cgroup.subtree_control"))
        .is_ok_and(|c| c.split_whitespace().any(|c| c == "pids"))
}

/// How many forks the cgroup refused for its `pids.max` (`pids.events`: `max N`).
fn refused_forks(dir: &Path) -> u64 {
    std::fs::read_to_string(dir.join("pids.events"))
        .ok()
        .and_then(|e| {
            e.lines()
                .find_map(|l| l.strip_prefix("max ")?.trim().parse().ok())
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;
    use std::process::Command;

    fn run_capped(cap: &TaskCap, script: &str) -> String {
        let in_child = cap.for_child();
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        // SAFETY: `enter` makes only async-signal-safe calls.
        unsafe {
            command.pre_exec(move || {
                in_child.enter();
                Ok(())
            });
        }
        String::from_utf8(command.output().unwrap().stdout).unwrap()
    }

    #[test]
    fn the_child_gets_the_process_limit() {
        let cap = TaskCap {
            cgroup: None,
            procs: None,
            nproc: Some(4321),
        };
        let limits = run_capped(&cap, "cat /proc/self/limits");
        assert!(
            limits
                .lines()
                .any(|l| l.starts_with("Max processes")
                    && l.split_whitespace().nth(2) == Some("4321")),
            "{limits}"
        );
    }

    #[test]
    fn a_normal_users_limit_is_the_tasks_now_plus_the_run_s_room() {
        let limit = nproc_limit().expect("/proc/loadavg and getrlimit work on Linux");
        let tasks = crate::supervise::tasks_on_machine().unwrap() as libc::rlim_t;
        let room = TASK_LIMIT as libc::rlim_t;
        let mut hard = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit with a valid out-pointer.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NPROC, &mut hard) }, 0);
        // Other programs start and end threads meanwhile: within 64 of the machine's count plus the room.
        let expected = (tasks + room).min(hard.rlim_max);
        assert!(
            limit + 64 >= expected && limit <= expected + 64,
            "limit {limit} for {tasks} tasks (hard limit {})",
            hard.rlim_max
        );
    }

    #[test]
    fn as_root_with_a_writable_pids_hierarchy_the_run_has_its_own_cgroup() {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 || own_pids_cgroup().is_none() {
            eprintln!("skipped: not root, or no pids cgroup here (RLIMIT_NPROC is used instead)");
            return;
        }
        let name = format!("test-{}", std::process::id());
        let mut cap = TaskCap::prepare(&name);
        let dir = cap
            .cgroup
            .clone()
            .expect("a cgroup where the hierarchy is writable");
        assert_eq!(
            std::fs::read_to_string(dir.join("pids.max"))
                .unwrap()
                .trim(),
            TASK_LIMIT.to_string()
        );
        let membership = run_capped(&cap, "cat /proc/self/cgroup");
        assert!(membership.contains(&format!("cl-{name}")), "{membership}");
        assert!(!cap.release(), "no fork was refused");
        assert!(!dir.exists(), "{} is left", dir.display());
    }
}
