//! Process checks: drive the exercise as real processes, each role a re-execution of the check program.

use crate::report::{Failure, Outcome};
use crate::supervise::{self, Captured};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// What went wrong in a process check, for the runner to explain.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProcessFailure {
    /// The check's own words (an assertion message), if it failed that way.
    pub message: String,
    /// The role arguments of the run that failed, such as `parent`.
    pub role: Option<String>,
    pub timed_out: bool,
    pub timeout_ms: Option<u64>,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub stdout: Option<Captured>,
    pub stderr: Option<Captured>,
}

/// The exercise program, ready to be started in any role.
pub struct Exercise {
    program: PathBuf,
    tmp: PathBuf,
    marker: String,
}

/// The result of one finished role.
#[derive(Debug)]
pub struct RoleOutput {
    pub role: String,
    pub finished: supervise::Finished,
}

impl RoleOutput {
    pub fn stdout(&self) -> &str {
        &self.finished.stdout.head
    }

    pub fn success(&self) -> bool {
        self.finished.status.is_some_and(|s| s.success())
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
}

/// Ends the check with a structured failure about `output`.
pub fn fail(output: &RoleOutput, message: &str) -> ! {
    use std::os::unix::process::ExitStatusExt;
    let status = output.finished.status;
    std::panic::panic_any(ProcessFailure {
        message: message.to_string(),
        role: Some(output.role.clone()),
        timed_out: output.finished.timed_out,
        timeout_ms: None,
        exit_code: status.and_then(|s| s.code()),
        signal: status.and_then(|s| s.signal()),
        stdout: Some(output.finished.stdout.clone()),
        stderr: Some(output.finished.stderr.clone()),
    })
}

impl Exercise {
    /// A fresh, private temporary directory for this check: `TMPDIR` of every role.
    pub fn tmp_dir(&self) -> &Path {
        &self.tmp
    }

    /// Runs the exercise with `args` (the role) and waits for it, at most `timeout`.
    pub fn run(&self, args: &[&str], timeout: Duration) -> RoleOutput {
        let mut command = Command::new(&self.program);
        command
            .args(args)
            .env(crate::EXERCISE_ENV, "1")
            .env("TMPDIR", &self.tmp)
            .current_dir(&self.tmp);
        let role = args.join(" ");
        let child = supervise::spawn(&mut command, &self.marker, 64 * 1024)
            .expect("start the exercise program");
        let finished = child.wait(timeout, |_| {});
        let output = RoleOutput { role, finished };
        if output.finished.timed_out {
            fail(
                &output,
                crate::tr(
                    "the program did not finish in time",
                    "프로그램이 제한 시간 안에 끝나지 않았습니다",
                ),
            );
        }
        output
    }
}

pub(crate) fn run(body: &dyn Fn(&Exercise)) -> Outcome {
    let tmp = std::env::temp_dir().join(format!("conc-lings-{}", supervise::new_marker()));
    if let Err(e) = std::fs::create_dir_all(&tmp) {
        return Outcome::Failed(Failure::Panic {
            message: format!("cannot create {}: {e}", tmp.display()),
            location: None,
            thread: None,
            trace: None,
        });
    }
    let exercise = Exercise {
        program: std::env::current_exe().expect("the check program knows its path"),
        tmp: tmp.clone(),
        marker: supervise::new_marker(),
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(&exercise)));
    supervise::kill_marked(&exercise.marker);
    let _ = std::fs::remove_dir_all(&tmp);
    match result {
        Ok(()) => Outcome::Passed,
        Err(payload) => match payload.downcast::<ProcessFailure>() {
            Ok(failure) => Outcome::Failed(Failure::Process(*failure)),
            Err(payload) => {
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panicked".into());
                Outcome::Failed(Failure::Panic {
                    message,
                    location: None,
                    thread: None,
                    trace: None,
                })
            }
        },
    }
}
