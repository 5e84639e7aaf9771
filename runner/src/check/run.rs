//! Running built check programs: supervised, time-limited, several at once, each in its own temp folder.

use super::{Options, Outcome, Target, timeout};
use crate::exercise::Workspace;
use conc_check::channel::{self, Channel, Tampered};
use conc_check::report::{CheckResult, Failure, Outcome as CheckOutcome, SourceLine};
use conc_check::{sandbox, supervise};
use std::collections::HashMap;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;
use std::sync::mpsc::Receiver;

/// What running one program concluded: the outcome, the checks it reported, how long it ran (ms).
type RunResult = (Outcome, Vec<CheckResult>, u64);

/// Output kept per stream of a check program.
const OUTPUT_CAP: usize = 64 * 1024;

/// Runs each program that arrives on `queue` (a target's index and its program), `options.jobs` at a time,
/// until the queue is closed; the results by target index.
pub(super) fn run_many(
    ws: &Workspace,
    queue: Receiver<(usize, PathBuf)>,
    targets: &[Target<'_>],
    options: &Options,
) -> HashMap<usize, RunResult> {
    let queue = Mutex::new(queue);
    let results = Mutex::new(HashMap::new());
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| {
                loop {
                    // One worker waits on the queue at a time; the others wait for the lock.
                    let next = queue.lock().unwrap().recv();
                    let Ok((target, program)) = next else {
                        break;
                    };
                    let result = run_program(ws, &program, &targets[target], options);
                    results.lock().unwrap().insert(target, result);
                }
            });
        }
    });
    results.into_inner().unwrap()
}

fn run_program(
    ws: &Workspace,
    program: &PathBuf,
    target: &Target<'_>,
    options: &Options,
) -> RunResult {
    let marker = options.marker.clone().unwrap_or_else(supervise::new_marker);
    let scratch = super::compile::build_root(ws).join("runs").join(&marker);
    let tmp = scratch.join("tmp");
    let _ = std::fs::create_dir_all(&tmp);
    let limit = timeout(target.exercise);

    // Verdicts come back sealed through a pipe only the check program holds (see conc_check::channel).
    let mut channel = match Channel::new() {
        Ok(channel) => channel,
        Err(e) => return cannot_start(program, &e),
    };
    let mut command = Command::new(program);
    let child_fds = channel.child_fds();
    let limits = Limits::for_exercise(target.exercise, limit);
    // SAFETY: `keep_across_exec` and `Limits::apply` make fcntl and setrlimit calls and allocate nothing.
    unsafe {
        command.pre_exec(move || {
            channel::keep_across_exec(child_fds)?;
            limits.apply()
        });
    }
    command
        .arg(conc_check::CHECKS_ARG)
        .env(channel::CHANNEL_ENV, channel.env_value())
        .env(
            conc_check::LANG_ENV,
            if options.lang == conc_check::Lang::Ko {
                "ko"
            } else {
                "en"
            },
        )
        .env("TMPDIR", &tmp)
        .env(
            sandbox::SANDBOX_ENV,
            policy(ws, program, &tmp, target).to_env(),
        )
        // When this program will be killed: process checks end their roles before, with a diagnosis.
        .env(conc_check::process::DEADLINE_ENV, deadline_ms(limit))
        .current_dir(&tmp)
        .stdin(std::process::Stdio::null());
    let spawned = supervise::spawn(&mut command, &marker, OUTPUT_CAP);
    // Only the check program holds the pipe's write end from now on: end-of-file comes when it ends.
    channel.close_child_ends();
    let outcome = match spawned {
        Err(e) => cannot_start(program, &e),
        Ok(child) => {
            let report = receive(channel.take_report().expect("the report's read end"));
            let finished = child.wait(limit, |_| {});
            let run_ms = finished.elapsed.as_millis() as u64;
            let text = report
                .recv_timeout(std::time::Duration::from_secs(5))
                .unwrap_or_default();
            match channel.open(&String::from_utf8_lossy(&text)) {
                Ok(lines) => {
                    let checks = read_report(&lines, &format!("{}/", ws.root.display()));
                    (
                        outcome_of(finished, &checks, limit.as_secs()),
                        checks,
                        run_ms,
                    )
                }
                Err(Tampered::BadLine { line }) => (
                    Outcome::Tampered {
                        line,
                        stdout: finished.stdout,
                        stderr: finished.stderr,
                    },
                    vec![],
                    run_ms,
                ),
            }
        }
    };
    let _ = std::fs::remove_dir_all(&scratch);
    outcome
}

/// What every process of a check program may use, inherited by all it starts (see docs/SECURITY.md). The number
/// of processes is capped by `supervise` (`task_cap`), the output by its pipes.
#[derive(Clone, Copy)]
pub struct Limits {
    /// Bytes of data (heap, anonymous memory, thread stacks) per process: an allocation past it fails.
    pub memory: u64,
    /// Bytes any one file may grow to: a write past it fails with SIGXFSZ.
    pub file_size: u64,
    /// Seconds of CPU per process: a backstop far above the time limit (SIGXCPU).
    pub cpu_seconds: u64,
}

/// The largest file a check's processes may write.
pub const FILE_SIZE_LIMIT: u64 = 256 << 20;

impl Limits {
    pub fn for_exercise(
        exercise: &crate::info_file::ExerciseInfo,
        time: std::time::Duration,
    ) -> Limits {
        Limits {
            memory: exercise
                .memory_mb
                .unwrap_or(crate::info_file::DEFAULT_MEMORY_MB)
                << 20,
            file_size: FILE_SIZE_LIMIT,
            cpu_seconds: 4 * time.as_secs() + 30,
        }
    }

    /// Sets the limits in this process (for `pre_exec`: setrlimit only, no allocation). No core files either.
    pub fn apply(self) -> std::io::Result<()> {
        let set = |resource, value: u64| {
            let mut now = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            // SAFETY: getrlimit writes into the struct. A hard limit already lower stays (raising it needs root).
            unsafe { libc::getrlimit(resource, &mut now) };
            let value = value.min(now.rlim_max);
            let limit = libc::rlimit {
                rlim_cur: value,
                rlim_max: value,
            };
            // SAFETY: setrlimit reads the struct; lowering a limit needs no privilege.
            if unsafe { libc::setrlimit(resource, &limit) } == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        };
        set(libc::RLIMIT_DATA, self.memory)?;
        set(libc::RLIMIT_FSIZE, self.file_size)?;
        set(libc::RLIMIT_CPU, self.cpu_seconds)?;
        set(libc::RLIMIT_CORE, 0)
    }
}

/// What the check program and everything it starts may touch (see conc_check::sandbox): write in the run's
/// scratch folder, read the workspace and the program's own folder.
fn policy(
    ws: &Workspace,
    program: &std::path::Path,
    tmp: &std::path::Path,
    target: &Target<'_>,
) -> sandbox::Policy {
    let mut read = vec![ws.root.clone()];
    read.extend(program.parent().map(|p| p.to_path_buf()));
    sandbox::Policy {
        write: vec![tmp.to_path_buf()],
        read,
        tcp: target.exercise.tcp,
        mqueue: target.exercise.mqueue,
    }
}

fn cannot_start(program: &std::path::Path, e: &std::io::Error) -> RunResult {
    let stderr = supervise::Captured {
        head: format!("cannot start {}: {e}", program.display()),
        ..Default::default()
    };
    (
        Outcome::Crashed {
            code: None,
            signal: None,
            stdout: Default::default(),
            stderr,
        },
        vec![],
        0,
    )
}

/// Reads the report pipe to its end in a thread (the check program must never wait for the runner to read).
fn receive(pipe: std::os::fd::OwnedFd) -> std::sync::mpsc::Receiver<Vec<u8>> {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = std::fs::File::from(pipe).read_to_end(&mut bytes);
        let _ = send.send(bytes);
    });
    receive
}

fn deadline_ms(limit: std::time::Duration) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (now + limit).as_millis().to_string()
}

/// The check results, with source paths made relative to the workspace (`exercises/…`, `runner/checks/…`).
fn read_report(lines: &[String], root_prefix: &str) -> Vec<CheckResult> {
    let relative = |line: &mut SourceLine| {
        if let Some(rest) = line.file.strip_prefix(root_prefix) {
            line.file = rest.to_string();
        }
    };
    let mut results: Vec<CheckResult> = lines
        .iter()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    for result in &mut results {
        let CheckOutcome::Failed(failure) = &mut result.outcome else {
            continue;
        };
        let trace = match failure {
            Failure::Panic {
                location, trace, ..
            } => {
                location.as_mut().map(relative);
                trace
            }
            Failure::Deadlock { trace } | Failure::StepLimit { trace } => trace,
            Failure::Process(_) => continue,
        };
        for event in trace.iter_mut().flat_map(|t| t.events.iter_mut()) {
            event.at.as_mut().map(relative);
        }
        for object in trace.iter_mut().flat_map(|t| t.objects.iter_mut()) {
            relative(&mut object.created_at);
        }
    }
    results
}

/// A pass needs every check reported passed *and* a clean exit: a program that exits early, even with status 0,
/// has not passed.
fn outcome_of(finished: supervise::Finished, checks: &[CheckResult], seconds: u64) -> Outcome {
    use std::os::unix::process::ExitStatusExt;
    if finished.runaway.is_some() {
        return Outcome::TooManyProcesses {
            limit: supervise::MAX_PROCESSES,
            stdout: finished.stdout,
            stderr: finished.stderr,
        };
    }
    if finished.timed_out {
        return Outcome::TimedOut {
            seconds,
            stdout: finished.stdout,
            stderr: finished.stderr,
        };
    }
    if let Some(CheckOutcome::Failed(failure)) = checks.last().map(|c| &c.outcome) {
        return Outcome::Failed {
            failure: Box::new(failure.clone()),
        };
    }
    let all_ran =
        checks.last().is_some_and(|c| c.index + 1 == c.total) && checks.len() == checks[0].total;
    let status = finished.status;
    if all_ran && status.is_some_and(|s| s.success()) {
        return Outcome::Passed;
    }
    Outcome::Crashed {
        code: status.and_then(|s| s.code()),
        signal: status.and_then(|s| s.signal()),
        stdout: finished.stdout,
        stderr: finished.stderr,
    }
}
