//! Process checks: drive the exercise as real processes, each role a re-execution of the check program.
//!
//! ```ignore
//! use super::*;
//! use conc_check::prelude::*;
//! use conc_check::process::{Exercise, secs};
//!
//! pub fn checks(c: &mut Checks) {
//!     // A helper process the check itself defines: it calls the learner's functions.
//!     c.role("talk", |args| for reply in talk(args[0].parse().unwrap()).unwrap() { println!("{reply}") });
//!     c.process(("100 round trips", "왕복 100번"), |ex: &Exercise| {
//!         let out = ex.check_role("talk", &["100"]).timeout(secs(3)).run();
//!         out.expect_success();
//!         let expected: Vec<String> = (0..100).map(|i| format!("PING {i}")).collect();
//!         out.expect_lines(&expected, tr("the replies", "응답"));
//!     });
//! }
//! ```
//!
//! What the harness does for every check:
//! - a fresh directory for the check, `TMPDIR` and working directory of every role, and unique names for named
//!   objects: [`Exercise::fifo_path`], [`Exercise::socket_path`], [`Exercise::shm_path`], [`Exercise::mq_name`];
//! - every role in its own process group, its output drained on threads and capped (head + tail + how much was
//!   cut), a timeout (clamped so the whole check program never outlives the runner's limit);
//! - on a timeout, before the kill, a [`Diagnosis`] of every stuck process (why it waits), then the whole group
//!   and every process carrying the role's marker is killed; after a normal exit the same, and a process the role
//!   left running (a child it did not wait for, a `setsid` grandchild) fails the check by name;
//! - afterwards, a FIFO or socket left in the directory, a `/dev/shm` file or POSIX queue with the check's prefix
//!   fails the check by name ([`Leaked`]); everything is removed either way.

use crate::diagnose::{self, Diagnosis, Who};
use crate::report::{Failure, Outcome};
use crate::supervise::{self, Captured, Supervised};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Set by the runner: the time (Unix milliseconds) at which it kills the check program. Role timeouts are
/// clamped to end a second before, so a stuck role is always diagnosed by the check, not killed by the runner.
pub const DEADLINE_ENV: &str = "CONC_LINGS_DEADLINE_MS";
/// The start of the first argument of a helper process that runs one of the check's own roles
/// ([`crate::Checks::role`]): `--conc-lings-role=NAME`, then the role's arguments.
pub const ROLE_ARG: &str = "--conc-lings-role=";

/// A role's timeout unless the check says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Output kept per stream of a role unless the check says otherwise.
pub const DEFAULT_OUTPUT_CAP: usize = 64 * 1024;
/// How long processes a role left behind get to end on their own before they count as left running.
const LEFT_RUNNING_GRACE: Duration = Duration::from_millis(250);
/// Time kept back before the runner's deadline to diagnose, kill and report.
const DEADLINE_MARGIN: Duration = Duration::from_millis(1200);

pub use crate::text::lang;

/// Picks a formatted message in the learner's language: `pick(format!("{n} lost"), format!("{n}개 사라짐"))`.
pub fn pick(en: String, ko: String) -> String {
    match lang() {
        crate::Lang::En => en,
        crate::Lang::Ko => ko,
    }
}

/// `Duration::from_secs`, shorter to write in checks.
pub fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// `Duration::from_millis`.
pub fn millis(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

/// What went wrong in a process check, for the runner to explain.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ProcessFailure {
    /// The check's own words (an assertion message), if it failed that way.
    pub message: String,
    /// The role arguments of the run that failed, such as `parent`.
    pub role: Option<String>,
    pub timed_out: bool,
    pub timeout_ms: Option<u64>,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    /// Output, diagnosis, left-running processes, leaked objects and the other roles (boxed: reports are moved
    /// around a lot).
    #[serde(flatten, default)]
    pub details: Box<ProcessDetails>,
}

/// The parts of a [`ProcessFailure`] beyond how one role ended.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ProcessDetails {
    pub stdout: Option<Captured>,
    pub stderr: Option<Captured>,
    /// Why the stuck processes were waiting when they were stopped (Linux; `None` elsewhere).
    #[serde(default)]
    pub diagnosis: Option<Diagnosis>,
    /// Processes the role left running after it exited (killed since).
    #[serde(default)]
    pub left_running: Vec<Who>,
    /// Children that had exited but were never waited for when the role exited (zombies; reaped since).
    #[serde(default)]
    pub unreaped: Vec<Who>,
    /// Named objects left behind (removed since).
    #[serde(default)]
    pub leaked: Vec<Leaked>,
    /// The other roles that ran at the same time, and how they ended.
    #[serde(default)]
    pub others: Vec<RoleReport>,
}

/// A named object a check left behind.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Leaked {
    pub kind: ObjectKind,
    /// The name as the check handed it out (`requests`, `counter`, `/jobs`…).
    pub name: String,
    /// Where it was: the file's path, or the queue's full name.
    pub path: String,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Fifo,
    Socket,
    SharedMemory,
    MessageQueue,
    /// A regular file (or link) in the check's directory that the check did not make.
    File,
}

/// How one role of a multi-role run ended.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RoleReport {
    pub role: String,
    pub timed_out: bool,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub stdout: Captured,
    pub stderr: Captured,
}

/// The exercise program, ready to be started in any role.
pub struct Exercise {
    program: PathBuf,
    tmp: PathBuf,
    marker: String,
    prefix: String,
    queues: RefCell<Vec<String>>,
    /// Paths in `tmp` the check itself makes or expects ([`Exercise::file_path`]): never reported as left behind.
    owned: RefCell<Vec<PathBuf>>,
    deadline: Option<Instant>,
}

/// The result of one finished role.
#[derive(Debug)]
pub struct RoleOutput {
    pub role: String,
    pub finished: supervise::Finished,
    /// Processes it left running after it exited (they have been killed since).
    pub left_running: Vec<Who>,
    /// Children that had ended but that it never waited for (zombies; reaped since).
    pub unreaped: Vec<Who>,
    stdout: String,
    stderr: String,
}

impl RoleOutput {
    fn new(role: String, finished: supervise::Finished, left_running: Vec<Who>) -> Self {
        RoleOutput {
            stdout: finished.stdout.text(),
            stderr: finished.stderr.text(),
            role,
            finished,
            left_running,
            unreaped: Vec::new(),
        }
    }

    /// Everything the role printed (with a note in the middle if it was cut).
    pub fn stdout(&self) -> &str {
        &self.stdout
    }

    pub fn stderr(&self) -> &str {
        &self.stderr
    }

    /// The lines of stdout.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    pub fn success(&self) -> bool {
        self.finished.status.is_some_and(|s| s.success())
    }

    pub fn exit_code(&self) -> Option<i32> {
        self.finished.status.and_then(|s| s.code())
    }

    /// Fails the check unless the role exited with status 0.
    pub fn expect_success(&self) -> &Self {
        if !self.success() {
            fail(
                self,
                crate::tr(
                    "the program did not exit successfully",
                    "프로그램이 정상 종료하지 않았습니다",
                ),
            );
        }
        self
    }

    /// Fails the check unless stdout is exactly `expected`, line by line; the message names `what` and the
    /// first line that differs.
    pub fn expect_lines<S: AsRef<str>>(&self, expected: &[S], what: &str) -> &Self {
        let got = self.lines();
        let first_diff = (0..got.len().max(expected.len()))
            .find(|&i| got.get(i).copied() != expected.get(i).map(|s| s.as_ref()));
        if let Some(i) = first_diff {
            let show = |s: Option<&str>| s.map_or("(nothing)".to_string(), |s| format!("{s:?}"));
            let message = match crate::text::lang() {
                crate::Lang::En => format!(
                    "{what}: line {} should be {} but is {} ({} lines expected, {} printed)",
                    i + 1,
                    show(expected.get(i).map(|s| s.as_ref())),
                    show(got.get(i).copied()),
                    expected.len(),
                    got.len()
                ),
                crate::Lang::Ko => format!(
                    "{what}: {}번째 줄은 {}이어야 하는데 {}입니다 (기대한 줄 수 {}, 출력된 줄 수 {})",
                    i + 1,
                    show(expected.get(i).map(|s| s.as_ref())).replace("(nothing)", "(없음)"),
                    show(got.get(i).copied()).replace("(nothing)", "(없음)"),
                    expected.len(),
                    got.len()
                ),
            };
            fail(self, &message);
        }
        self
    }

    /// Ends the check with a structured failure about this role.
    pub fn fail(&self, message: &str) -> ! {
        fail(self, message)
    }
}

/// Ends the check with a structured failure about `output`.
pub fn fail(output: &RoleOutput, message: &str) -> ! {
    std::panic::panic_any(failure_of(output, message))
}

fn failure_of(output: &RoleOutput, message: &str) -> ProcessFailure {
    use std::os::unix::process::ExitStatusExt;
    let status = output.finished.status;
    ProcessFailure {
        message: message.to_string(),
        role: Some(output.role.clone()),
        timed_out: output.finished.timed_out,
        exit_code: status.and_then(|s| s.code()),
        signal: status.and_then(|s| s.signal()),
        details: Box::new(ProcessDetails {
            stdout: Some(output.finished.stdout.clone()),
            stderr: Some(output.finished.stderr.clone()),
            left_running: output.left_running.clone(),
            unreaped: output.unreaped.clone(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Ends the check with a failure that is about no role in particular.
pub fn fail_check(message: &str) -> ! {
    std::panic::panic_any(ProcessFailure {
        message: message.to_string(),
        ..Default::default()
    })
}

/// One role, about to be started: the exercise's own (its `main` with these arguments) or one of the check's
/// ([`crate::Checks::role`]).
#[must_use = "a role does nothing until `.run()` or `.start()`"]
pub struct Role<'a> {
    exercise: &'a Exercise,
    args: Vec<String>,
    check_role: Option<String>,
    stdin: Option<Vec<u8>>,
    timeout: Duration,
    output_cap: usize,
    env: Vec<(String, String)>,
    allow_left_running: bool,
}

impl Role<'_> {
    /// Bytes to feed on stdin (then end-of-file). Without this, stdin is empty.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// How long the role may run (default 10 s); on a timeout it is diagnosed, killed and the check fails.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Bytes kept per stream (default 64 KiB): half from the start, half from the end.
    pub fn output_cap(mut self, bytes: usize) -> Self {
        self.output_cap = bytes;
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.env.push((
            key.to_string(),
            value.as_ref().to_string_lossy().into_owned(),
        ));
        self
    }

    /// Do not fail when the role exits leaving processes running (they are killed either way).
    pub fn allow_left_running(mut self) -> Self {
        self.allow_left_running = true;
        self
    }

    fn name(&self) -> String {
        let mut words = Vec::new();
        words.extend(self.check_role.iter().cloned());
        words.extend(self.args.iter().map(|a| short_arg(a)));
        if words.is_empty() {
            "main".to_string()
        } else {
            words.join(" ")
        }
    }

    /// Starts the role and returns at once; finish it with [`Exercise::wait_all`] (or [`Running::wait`]).
    pub fn start(self) -> Running {
        let ex = self.exercise;
        let mut command = Command::new(&ex.program);
        // Without a role of the check's own, no first argument of its own: the learner's `main`.
        if let Some(name) = &self.check_role {
            as_check_role(&mut command, name);
        }
        command
            .args(&self.args)
            .env("TMPDIR", &ex.tmp)
            .env_remove(crate::channel::CHANNEL_ENV)
            .current_dir(&ex.tmp)
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            });
        for (k, v) in &self.env {
            command.env(k, v);
        }
        let role = self.name();
        let marker = format!("{}/{}", ex.marker, supervise::new_marker());
        let mut supervised = match supervise::spawn(&mut command, &marker, self.output_cap) {
            Ok(s) => s,
            Err(e) => fail_check(&format!(
                "{} `{role}`: {e}",
                crate::tr(
                    "cannot start the program as",
                    "다음 역할로 프로그램을 시작할 수 없습니다:"
                )
            )),
        };
        let feeder = self.stdin.and_then(|bytes| {
            let mut pipe = supervised.take_stdin()?;
            Some(std::thread::spawn(move || {
                // EPIPE when the role stops reading early: its business, not ours.
                let _ = pipe.write_all(&bytes);
            }))
        });
        Running {
            role,
            supervised,
            feeder,
            timeout: ex.clamp(self.timeout),
            allow_left_running: self.allow_left_running,
        }
    }

    /// Runs the role to its end (or its timeout). Fails the check if it timed out or left processes running.
    pub fn run(self) -> RoleOutput {
        let timeout = self.timeout;
        let ex = self.exercise;
        ex.wait_all(vec![self.start()], timeout)
            .pop()
            .expect("one role, one output")
    }
}

/// A started role.
pub struct Running {
    role: String,
    supervised: Supervised,
    feeder: Option<JoinHandle<()>>,
    timeout: Duration,
    allow_left_running: bool,
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.supervised.pid()
    }

    pub fn role(&self) -> &str {
        &self.role
    }

    /// Whether the role's process has exited, without blocking and without reaping it: its exit status if it has,
    /// `None` while it runs. For a check that polls a role while forcing an interleaving ("is the server gone
    /// yet?"); finish the role with [`Exercise::wait_all`] or [`Running::wait`] as usual, which still reports how
    /// it ended and what it left running. Only the role's own process (the group's leader) counts, not its
    /// children. Linux (`waitid` with `WNOWAIT`); elsewhere always `None`.
    pub fn try_wait(&self) -> Option<ExitStatus> {
        self.supervised.peek_exited()
    }

    /// Waits for this role alone, up to the timeout it was started with.
    pub fn wait(self) -> RoleOutput {
        let timeout = self.timeout;
        wait_all(vec![self], timeout)
            .pop()
            .expect("one role, one output")
    }

    /// Ends a role whose leader exited with `status`: processes it left behind get a short grace to end, then
    /// are named and killed with the rest of its group.
    fn finish_exited(mut self, status: ExitStatus) -> (RoleOutput, bool) {
        // First, before anything else can end: children that had already ended and were never waited for.
        let unreaped: Vec<Who> = supervise::group_zombies(self.supervised.pgid())
            .into_iter()
            .map(|pid| Who {
                role: diagnose::role_of(pid),
                pid,
            })
            .collect();
        let mut left = self.supervised.others_alive();
        let until = Instant::now() + LEFT_RUNNING_GRACE;
        while !left.is_empty() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(5));
            left = self.supervised.others_alive();
        }
        let left_running: Vec<Who> = left
            .iter()
            .map(|&pid| Who {
                role: diagnose::role_of(pid),
                pid,
            })
            .collect();
        let finished = self.supervised.finish(Some(status));
        if let Some(feeder) = self.feeder.take() {
            let _ = feeder.join();
        }
        let left_nothing = left_running.is_empty() && unreaped.is_empty();
        let complain = !left_nothing && !self.allow_left_running;
        let mut output = RoleOutput::new(self.role, finished, left_running);
        output.unreaped = unreaped;
        (output, complain)
    }

    fn finish_killed(mut self) -> RoleOutput {
        let finished = self.supervised.finish(None);
        if let Some(feeder) = self.feeder.take() {
            let _ = feeder.join();
        }
        RoleOutput::new(self.role, finished, Vec::new())
    }
}

/// The failure of a role whose process group passed [`supervise::MAX_PROCESSES`] and was killed.
fn runaway_failure(output: &RoleOutput) -> ProcessFailure {
    let limit = supervise::MAX_PROCESSES;
    let message = match crate::text::lang() {
        crate::Lang::En => format!(
            "the program had more than {limit} processes alive at once, so all of them were killed: a fork or \
             spawn in a loop that never ends, or a child that starts the program again?"
        ),
        crate::Lang::Ko => format!(
            "프로그램의 프로세스가 한꺼번에 {limit}개를 넘게 살아 있어서 모두 종료했습니다. 끝나지 않는 \
             반복문 안의 fork나 spawn, 또는 프로그램을 다시 시작하는 자식 프로세스?"
        ),
    };
    failure_of(output, &message)
}

fn report_of(o: &RoleOutput) -> RoleReport {
    let f = failure_of(o, "");
    RoleReport {
        role: o.role.clone(),
        timed_out: o.finished.timed_out,
        exit_code: f.exit_code,
        signal: f.signal,
        stdout: o.finished.stdout.clone(),
        stderr: o.finished.stderr.clone(),
    }
}

/// Waits for every role, at most `timeout` from now (and each at most its own timeout). If some are still
/// running then, they are diagnosed together (which process waits for which), killed, and the check fails.
fn wait_all(mut running: Vec<Running>, timeout: Duration) -> Vec<RoleOutput> {
    let started = Instant::now();
    let deadline = started
        + running
            .iter()
            .map(|r| r.timeout)
            .min()
            .unwrap_or(timeout)
            .min(timeout);
    let n = running.len();
    let mut outputs: Vec<Option<RoleOutput>> = (0..n).map(|_| None).collect();
    let mut complaints = Vec::new();
    let mut slots: Vec<Option<Running>> = running.drain(..).map(Some).collect();
    loop {
        for i in 0..n {
            let exited = slots[i].as_mut().and_then(|r| r.supervised.try_exited());
            if let Some(status) = exited {
                let r = slots[i].take().expect("still running");
                let (out, complain) = r.finish_exited(status);
                if out.finished.runaway.is_some() {
                    // The other roles end when `slots` is dropped by the unwinding.
                    std::panic::panic_any(runaway_failure(&out));
                }
                if complain {
                    complaints.push(i);
                }
                outputs[i] = Some(out);
            }
        }
        if slots.iter().all(Option::is_none) || Instant::now() >= deadline {
            break;
        }
        std::thread::sleep(supervise::poll_interval(started.elapsed()));
    }
    let stuck: Vec<usize> = (0..n).filter(|&i| slots[i].is_some()).collect();
    if !stuck.is_empty() {
        // Look before killing: every live process of every stuck role, together (a server and its client wait
        // for each other across groups).
        let mut pids: Vec<i32> = Vec::new();
        for r in slots.iter().flatten() {
            pids.push(r.supervised.pgid());
            pids.extend(r.supervised.others_alive());
        }
        pids.sort_unstable();
        pids.dedup();
        let diagnosis = diagnose::diagnose(&pids);
        for i in &stuck {
            outputs[*i] = Some(slots[*i].take().expect("stuck").finish_killed());
        }
        let outputs: Vec<RoleOutput> = outputs.into_iter().map(|o| o.expect("finished")).collect();
        let first = &outputs[stuck[0]];
        let mut failure = failure_of(
            first,
            crate::tr(
                "the program did not finish in time",
                "프로그램이 제한 시간 안에 끝나지 않았습니다",
            ),
        );
        failure.role = Some(
            stuck
                .iter()
                .map(|&i| outputs[i].role.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
        failure.timed_out = true;
        failure.timeout_ms = Some(deadline.duration_since(started).as_millis() as u64);
        failure.details.diagnosis = diagnosis;
        failure.details.others = (0..n)
            .filter(|&i| i != stuck[0])
            .map(|i| report_of(&outputs[i]))
            .collect();
        std::panic::panic_any(failure);
    }
    let outputs: Vec<RoleOutput> = outputs.into_iter().map(|o| o.expect("finished")).collect();
    if let Some(&i) = complaints.first() {
        let message = if outputs[i].left_running.is_empty() {
            crate::tr(
                "the program exited without waiting for a child that had ended (it stayed a zombie until the check reaped it): wait for every child you start",
                "프로그램이 이미 끝난 자식 프로세스를 기다리지 않고 끝났습니다 (검사가 거둘 때까지 좀비로 남았습니다). 시작한 자식은 모두 기다리세요",
            )
        } else {
            crate::tr(
                "the program exited but left processes running (a child it did not wait for?)",
                "프로그램은 끝났지만 프로세스를 남겨 두었습니다 (기다리지 않은 자식 프로세스?)",
            )
        };
        let mut failure = failure_of(&outputs[i], message);
        failure.details.others = (0..n)
            .filter(|&j| j != i)
            .map(|j| report_of(&outputs[j]))
            .collect();
        std::panic::panic_any(failure);
    }
    outputs
}

impl Exercise {
    /// A fresh, private temporary directory for this check: `TMPDIR` and working directory of every role.
    /// A regular file still in it when the check ends fails the check, unless it is under a path the check
    /// claimed with [`Exercise::file_path`]: use that for every file or folder the check makes here.
    pub fn tmp_dir(&self) -> &Path {
        &self.tmp
    }

    /// A path in this check's directory for a file or folder the check makes, or expects the program to make
    /// and keep (`"port"`, `"etc"`, `"logs/app.log"`): anything under it is the check's business, so it is
    /// never reported as left behind. Any other regular file the program leaves in its working directory or
    /// `TMPDIR` fails the check once everything else passed.
    pub fn file_path(&self, relative: &str) -> PathBuf {
        let relative = Path::new(relative);
        assert!(
            relative.components().count() > 0
                && relative
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_))),
            "a path in the check's directory is relative and plain: {relative:?}"
        );
        let full = self.tmp.join(relative);
        self.owned.borrow_mut().push(full.clone());
        full
    }

    /// The start of every name this check hands out (unique to this run).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Runs the exercise with `args` (the role) and waits for it, at most `timeout`.
    pub fn run(&self, args: &[&str], timeout: Duration) -> RoleOutput {
        self.role(args).timeout(timeout).run()
    }

    /// The exercise's own program (its `main`) with `args`, to configure and `.run()` or `.start()`.
    pub fn role(&self, args: &[&str]) -> Role<'_> {
        Role {
            exercise: self,
            args: args.iter().map(|a| a.to_string()).collect(),
            check_role: None,
            stdin: None,
            timeout: DEFAULT_TIMEOUT,
            output_cap: DEFAULT_OUTPUT_CAP,
            env: Vec::new(),
            allow_left_running: false,
        }
    }

    /// A role the check registered with [`crate::Checks::role`], run in its own process with `args`. Inside it,
    /// the learner's code re-executing itself (`current_exe()`) runs the learner's `main`, as usual.
    pub fn check_role(&self, name: &str, args: &[&str]) -> Role<'_> {
        Role {
            check_role: Some(name.to_string()),
            ..self.role(args)
        }
    }

    /// Waits for all `running` roles, at most `timeout`. If any is still running then, all stuck ones are
    /// diagnosed together, killed, and the check fails. Outputs come back in the order of `running`.
    pub fn wait_all(&self, running: Vec<Running>, timeout: Duration) -> Vec<RoleOutput> {
        wait_all(running, self.clamp(timeout))
    }

    /// A path for a FIFO in this check's directory. A FIFO (or socket) still there when the check ends fails it.
    pub fn fifo_path(&self, name: &str) -> PathBuf {
        self.tmp.join(checked(name))
    }

    /// A path for a Unix socket in this check's directory (short enough for `sockaddr_un`).
    pub fn socket_path(&self, name: &str) -> PathBuf {
        self.tmp.join(checked(name))
    }

    /// A unique path in `/dev/shm` for a shared-memory file. Still there when the check ends: fails the check
    /// (so remove what the check itself made once it is done).
    pub fn shm_path(&self, name: &str) -> PathBuf {
        Path::new(supervise::SHM_DIR).join(format!("{}{}", self.prefix, checked(name)))
    }

    /// A unique POSIX message queue name (`/…`). A queue still there when the check ends fails the check.
    pub fn mq_name(&self, name: &str) -> String {
        let full = format!("/{}{}", self.prefix, checked(name));
        self.queues.borrow_mut().push(full.clone());
        // Listed where the runner's clean-up finds it even if this program is killed.
        let list = Path::new(supervise::SHM_DIR).join(format!(
            "{}{}",
            self.prefix,
            supervise::QUEUES_FILE
        ));
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(list)
        {
            let _ = writeln!(file, "{full}");
        }
        full
    }

    /// A unique name for anything else (`<prefix><name>`).
    pub fn unique_name(&self, name: &str) -> String {
        format!("{}{}", self.prefix, checked(name))
    }

    fn clamp(&self, timeout: Duration) -> Duration {
        match self.deadline {
            Some(deadline) => timeout.min(
                deadline
                    .saturating_duration_since(Instant::now())
                    .saturating_sub(DEADLINE_MARGIN)
                    .max(Duration::from_millis(200)),
            ),
            None => timeout,
        }
    }

    /// Named objects of this check still present.
    fn leftovers(&self) -> Vec<Leaked> {
        let mut out = Vec::new();
        walk_special(&self.tmp, &self.tmp, &self.owned.borrow(), &mut out);
        if let Ok(entries) = std::fs::read_dir(supervise::SHM_DIR) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(short) = name.strip_prefix(&self.prefix) {
                    if short == supervise::QUEUES_FILE {
                        continue;
                    }
                    out.push(Leaked {
                        kind: ObjectKind::SharedMemory,
                        name: short.to_string(),
                        path: entry.path().display().to_string(),
                    });
                }
            }
        }
        let mut queues = self.queues.borrow().clone();
        if let Ok(entries) = std::fs::read_dir(supervise::MQUEUE_DIR) {
            queues.extend(
                entries
                    .flatten()
                    .map(|e| format!("/{}", e.file_name().to_string_lossy()))
                    .filter(|n| n[1..].starts_with(&self.prefix)),
            );
        }
        queues.sort();
        queues.dedup();
        for queue in queues {
            if queue_exists(&queue) {
                out.push(Leaked {
                    kind: ObjectKind::MessageQueue,
                    name: format!("/{}", &queue[1 + self.prefix.len()..]),
                    path: queue,
                });
            }
        }
        out
    }

    /// Removes everything of this check: its directory, its `/dev/shm` files and its queues.
    fn clean_up(&self) {
        for queue in self.queues.borrow().iter() {
            supervise::unlink_queue(queue);
        }
        supervise::sweep_objects(&self.marker);
        let _ = std::fs::remove_dir_all(&self.tmp);
    }
}

/// Shortens a path argument to its file name, for role names.
fn short_arg(a: &str) -> String {
    if a.starts_with('/') && a.len() > 1 {
        format!("…/{}", a.rsplit('/').next().unwrap_or(a))
    } else {
        a.to_string()
    }
}

fn checked(name: &str) -> &str {
    assert!(
        !name.is_empty() && !name.contains('/') && name != "." && name != "..",
        "a named object's name is one path component: {name:?}"
    );
    name
}

/// FIFOs and sockets under `dir`, and regular files (and links) that are not under a path in `owned`.
fn walk_special(root: &Path, dir: &Path, owned: &[PathBuf], out: &mut Vec<Leaked>) {
    use std::os::unix::fs::FileTypeExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        let name = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        if kind.is_dir() {
            walk_special(root, &path, owned, out);
        } else if kind.is_fifo() {
            out.push(Leaked {
                kind: ObjectKind::Fifo,
                name,
                path: path.display().to_string(),
            });
        } else if kind.is_socket() {
            out.push(Leaked {
                kind: ObjectKind::Socket,
                name,
                path: path.display().to_string(),
            });
        } else if (kind.is_file() || kind.is_symlink())
            && !owned.iter().any(|o| path.starts_with(o))
        {
            out.push(Leaked {
                kind: ObjectKind::File,
                name,
                path: path.display().to_string(),
            });
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "freebsd"))]
fn queue_exists(name: &str) -> bool {
    use nix::mqueue::{MQ_OFlag, mq_close, mq_open};
    use nix::sys::stat::Mode;
    match mq_open(name, MQ_OFlag::O_RDONLY, Mode::empty(), None) {
        Ok(q) => {
            let _ = mq_close(q);
            true
        }
        // EACCES: it exists, we just may not open it.
        Err(e) => e == nix::errno::Errno::EACCES,
    }
}

#[cfg(not(any(target_os = "linux", target_os = "freebsd")))]
fn queue_exists(_name: &str) -> bool {
    false
}

/// The check's own roles, by name.
type RoleBody = Box<dyn Fn(&[String]) + Send>;
static ROLES: Mutex<Vec<(String, RoleBody)>> = Mutex::new(Vec::new());

impl crate::Checks {
    /// A helper process the check defines, started with [`Exercise::check_role`]: `body` gets the arguments and
    /// runs in a fresh process (so it may call the learner's functions that start children, block or crash
    /// without taking the check down). A panic ends it with status 101 and the message on stderr.
    pub fn role(&mut self, name: &str, body: impl Fn(&[String]) + Send + 'static) {
        ROLES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((name.to_string(), Box::new(body)));
    }
}

/// The role named by a program's first argument, if it is a role's ([`ROLE_ARG`]).
pub(crate) fn role_of_arg(first: &std::ffi::OsStr) -> Option<String> {
    first.to_str()?.strip_prefix(ROLE_ARG).map(String::from)
}

/// In a helper process started by [`Exercise::check_role`]: runs role `name` and says how it ended. Called by
/// [`crate::main`] after the checks are registered. The learner's code in this process that starts the program
/// again starts the learner's `main`: the role is in this process's arguments, which children do not inherit.
pub(crate) fn run_check_role(name: &str) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let roles = ROLES.lock().unwrap_or_else(|e| e.into_inner());
    let Some((_, body)) = roles.iter().find(|(n, _)| *n == name) else {
        eprintln!("the check has no role named {name:?}");
        return ExitCode::from(2);
    };
    body(&args);
    let _ = std::io::stdout().flush();
    ExitCode::SUCCESS
}

/// A short directory for the check (socket paths are limited to 108 bytes): in `TMPDIR` if that is short,
/// else in `/tmp`.
fn check_dir(prefix: &str) -> PathBuf {
    let tmp = std::env::temp_dir();
    if tmp.as_os_str().len() + prefix.len() + 40 <= 100 {
        return tmp.join(prefix.trim_end_matches('.'));
    }
    // Inside the short folder made before confinement: a name unique within this run is enough.
    if let Some(base) = SHORT_BASE.get() {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return base.join(format!("c{n}"));
    }
    PathBuf::from("/tmp").join(prefix.trim_end_matches('.'))
}

/// A short folder in `/tmp` for the checks' private directories, when `TMPDIR` is too long for socket paths.
static SHORT_BASE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Makes the short folder the checks' private directories go in when `TMPDIR` is too long for socket paths
/// (`/tmp/cl-<run>.s`, removed with the run's named objects), so that a confined check program may write
/// there. Returns it, if one was needed and made.
pub(crate) fn prepare_short_base() -> Option<&'static Path> {
    let prefix = supervise::object_prefix(&supervise::nested_marker());
    if std::env::temp_dir().as_os_str().len() + prefix.len() + 40 <= 100 {
        return None;
    }
    let marker = std::env::var(supervise::MARKER_ENV).ok()?;
    let dir = PathBuf::from("/tmp").join(format!("{}s", supervise::object_prefix(&marker)));
    std::fs::create_dir_all(&dir).ok()?;
    Some(SHORT_BASE.get_or_init(|| dir).as_path())
}

fn deadline_from_env() -> Option<Instant> {
    let at_ms: u64 = std::env::var(DEADLINE_ENV).ok()?.parse().ok()?;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_millis() as u64;
    Some(Instant::now() + Duration::from_millis(at_ms.saturating_sub(now_ms)))
}

/// Becomes the parent of orphaned descendants, so that what a role leaves behind is re-parented here and can be
/// reaped after it is killed.
fn become_subreaper() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let _ = nix::sys::prctl::set_child_subreaper(true);
        });
    }
}

fn message_of(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panicked".into())
}

pub(crate) fn run(body: &dyn Fn(&Exercise)) -> Outcome {
    become_subreaper();
    let marker = supervise::nested_marker();
    let prefix = supervise::object_prefix(&marker);
    let tmp = check_dir(&prefix);
    if let Err(e) = std::fs::create_dir_all(&tmp) {
        return Outcome::Failed(Failure::Process(ProcessFailure {
            message: format!("cannot create {}: {e}", tmp.display()),
            ..Default::default()
        }));
    }
    let exercise = Exercise {
        program: std::env::current_exe().expect("the check program knows its path"),
        tmp,
        marker,
        prefix,
        queues: RefCell::new(Vec::new()),
        owned: RefCell::new(Vec::new()),
        deadline: deadline_from_env(),
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(&exercise)));
    // Roles started and never waited for were killed when dropped; anything else marked goes now.
    supervise::kill_marked(&exercise.marker);
    let leaked = exercise.leftovers();
    exercise.clean_up();
    let result_passed = result.is_ok();
    // Leaks are reported only when everything else passed: after a failure, the program's own clean-up may
    // never have run, and the failure is the story.
    let mut failure = match result {
        Ok(()) if leaked.is_empty() => return Outcome::Passed,
        Ok(()) => ProcessFailure {
            message: crate::tr(
                "the program left files or named objects behind (remove a temporary file, FIFO, socket, shared-memory file or queue when done with it)",
                "프로그램이 파일이나 이름 있는 객체를 남겨 두었습니다 (다 쓴 임시 파일, FIFO, 소켓, 공유 메모리 파일, 큐는 지우세요)",
            )
            .to_string(),
            ..Default::default()
        },
        Err(payload) => match payload.downcast::<ProcessFailure>() {
            Ok(failure) => *failure,
            Err(payload) => ProcessFailure {
                message: message_of(payload.as_ref()),
                ..Default::default()
            },
        },
    };
    if result_passed {
        failure.details.leaked = leaked;
    }
    Outcome::Failed(Failure::Process(failure))
}

/// Runs `body`; if it fails because roles timed out, the failure says `message` instead — the check's own
/// explanation of what should have happened — and keeps the diagnosis of what each process was doing.
pub fn explain_timeout<T>(message: impl Into<String>, body: impl FnOnce() -> T) -> T {
    explain(message.into(), None, body)
}

/// Like [`explain_timeout`], and reports `waited` as the time limit (for a check that waited in steps).
pub fn explain_timeout_after<T>(
    message: impl Into<String>,
    waited: Duration,
    body: impl FnOnce() -> T,
) -> T {
    explain(message.into(), Some(waited), body)
}

fn explain<T>(message: String, waited: Option<Duration>, body: impl FnOnce() -> T) -> T {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(value) => value,
        Err(payload) => match payload.downcast::<ProcessFailure>() {
            Ok(mut failure) => {
                if failure.timed_out {
                    failure.message = message;
                    if let Some(waited) = waited {
                        failure.timeout_ms = Some(waited.as_millis() as u64);
                    }
                }
                std::panic::resume_unwind(failure)
            }
            Err(payload) => std::panic::resume_unwind(payload),
        },
    }
}

/// A command that runs this check program as its check role `name` (registered with `Checks::role`) with
/// `args`: for handing to the learner's code when it is the one that spawns processes (a job runner, a shell
/// pipeline). Everything it starts still carries the run's marker, so nothing outlives the check.
pub fn role_command(name: &str, args: &[&str]) -> Command {
    let mut command =
        Command::new(std::env::current_exe().expect("the check program knows its path"));
    as_check_role(&mut command, name);
    command.args(args);
    command
}

fn as_check_role(command: &mut Command, name: &str) {
    command.arg(format!("{ROLE_ARG}{name}"));
}
