//! Running built check programs: supervised, time-limited, several at once, each in its own temp folder.

use super::{Options, Outcome, Target, timeout};
use crate::exercise::Workspace;
use conc_check::report::{CheckResult, Failure, Outcome as CheckOutcome, SourceLine};
use conc_check::supervise;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What running one program concluded: the outcome, the checks it reported, how long it ran (ms).
type RunResult = (Outcome, Vec<CheckResult>, u64);

/// Output kept per stream of a check program.
const OUTPUT_CAP: usize = 64 * 1024;

/// Runs `runs` (target index, program), at most `options.jobs` at a time; results in the same order.
pub(super) fn run_many(
    ws: &Workspace,
    runs: &[(usize, PathBuf)],
    targets: &[Target<'_>],
    options: &Options,
) -> Vec<RunResult> {
    let results: Vec<Mutex<Option<RunResult>>> = runs.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.clamp(1, runs.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((target, program)) = runs.get(i) else {
                        break;
                    };
                    let result = run_program(ws, program, &targets[*target], options);
                    *results[i].lock().unwrap() = Some(result);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap().expect("every run finished"))
        .collect()
}

fn run_program(
    ws: &Workspace,
    program: &PathBuf,
    target: &Target<'_>,
    options: &Options,
) -> RunResult {
    let marker = options.marker.clone().unwrap_or_else(supervise::new_marker);
    let scratch = super::compile::build_root(ws).join("runs").join(&marker);
    let report = scratch.join("report.jsonl");
    let tmp = scratch.join("tmp");
    let _ = std::fs::create_dir_all(&tmp);
    let limit = timeout(target.exercise);

    let mut command = Command::new(program);
    command
        .arg(conc_check::CHECKS_ARG)
        .env(conc_check::REPORT_ENV, &report)
        .env(
            conc_check::LANG_ENV,
            if options.lang == conc_check::Lang::Ko {
                "ko"
            } else {
                "en"
            },
        )
        .env("TMPDIR", &tmp)
        // When this program will be killed: process checks end their roles before, with a diagnosis.
        .env(conc_check::process::DEADLINE_ENV, deadline_ms(limit))
        .current_dir(&tmp)
        .stdin(std::process::Stdio::null());
    let outcome = match supervise::spawn(&mut command, &marker, OUTPUT_CAP) {
        Err(e) => {
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
        Ok(child) => {
            let finished = child.wait(limit, |_| {});
            let checks = read_report(&report, &format!("{}/", ws.root.display()));
            let run_ms = finished.elapsed.as_millis() as u64;
            (
                outcome_of(finished, &checks, limit.as_secs()),
                checks,
                run_ms,
            )
        }
    };
    let _ = std::fs::remove_dir_all(&scratch);
    outcome
}

fn deadline_ms(limit: std::time::Duration) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (now + limit).as_millis().to_string()
}

/// The check results, with source paths made relative to the workspace (`exercises/…`, `runner/checks/…`).
fn read_report(path: &PathBuf, root_prefix: &str) -> Vec<CheckResult> {
    let relative = |line: &mut SourceLine| {
        if let Some(rest) = line.file.strip_prefix(root_prefix) {
            line.file = rest.to_string();
        }
    };
    let mut results: Vec<CheckResult> = std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
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
