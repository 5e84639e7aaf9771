//! The check pipeline: guard → build → run → verdict.

pub mod compile;
pub mod guard;
pub mod run;

use crate::exercise::{Source, Workspace};
use crate::info_file::ExerciseInfo;
use anyhow::Result;
use conc_check::report::{CheckResult, Failure, Outcome as CheckOutcome};
use conc_check::supervise::Captured;
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// One version of one exercise to check.
#[derive(Clone)]
pub struct Target<'a> {
    pub exercise: &'a ExerciseInfo,
    pub source: Source,
}

impl<'a> Target<'a> {
    /// Every exercise of the curriculum, as the learner has it.
    pub fn every_exercise(ws: &'a Workspace) -> Vec<Target<'a>> {
        ws.info
            .exercises
            .iter()
            .map(|exercise| Target {
                exercise,
                source: Source::Exercise,
            })
            .collect()
    }
}

/// What the runner concluded about one target.
#[derive(Debug, Serialize)]
pub struct Verdict {
    pub exercise: String,
    #[serde(flatten)]
    pub source: Source,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Every check that ran, in order; the last one is the failure, if any.
    pub checks: Vec<CheckResult>,
    pub build_ms: u64,
    pub run_ms: u64,
}

#[derive(Debug, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    /// The file does not exist (deleted or renamed).
    Missing {
        path: String,
    },
    /// The file is a link that leads outside `exercises/`.
    Outside {
        path: String,
    },
    /// Threads or locks from `std` in a model-checked exercise.
    Rejected {
        escapes: Vec<guard::Escape>,
    },
    /// What no exercise may do (code before `main`, replaced symbols, other files, assembly), or, in a
    /// model-checked exercise, what it has no business with (files, processes, the OS, other crates).
    Forbidden {
        escapes: Vec<guard::Escape>,
    },
    /// A memory ordering the exercise does not allow on one of its atomics (info.toml's `orderings`).
    Pinned {
        escapes: Vec<guard::Escape>,
    },
    /// A field of a type whose state must be private is not (info.toml's `private_state`).
    Exposed {
        escapes: Vec<guard::Escape>,
    },
    CompileError {
        rendered: String,
    },
    /// A check failed; `checks.last()` has the details.
    Failed {
        failure: Box<Failure>,
    },
    /// The program ended without telling why (a crash, `process::exit`, an abort).
    Crashed {
        code: Option<i32>,
        signal: Option<i32>,
        stdout: Captured,
        stderr: Captured,
    },
    /// The verdict channel held line `line` (from 0) that the checks did not write: something in the program
    /// wrote into it. Only the checks can report a result, so the run fails.
    Tampered {
        line: usize,
        stdout: Captured,
        stderr: Captured,
    },
    /// The program had more than `limit` processes alive at once and was killed with all of them.
    TooManyProcesses {
        limit: usize,
        stdout: Captured,
        stderr: Captured,
    },
    /// The program ran past its time limit and was killed with everything it started.
    TimedOut {
        seconds: u64,
        stdout: Captured,
        stderr: Captured,
    },
}

impl Verdict {
    pub fn passed(&self) -> bool {
        matches!(self.outcome, Outcome::Passed)
    }

    /// The title of the check that failed, if one did.
    pub fn failed_check(&self) -> Option<&CheckResult> {
        self.checks
            .last()
            .filter(|c| matches!(c.outcome, CheckOutcome::Failed(_)))
    }
}

/// How to run checks.
pub struct Options {
    pub lang: conc_check::Lang,
    /// Keep rustc's colours in compile errors.
    pub color: bool,
    /// How many check programs may run at once.
    pub jobs: usize,
    /// Marks the check program and every process it starts, so that watch mode can cancel it with
    /// `supervise::kill_marked` when the file changes again. `None`: a fresh marker per program.
    pub marker: Option<String>,
    /// Marks cargo and the compilers it runs (watch kills them when it quits). Not `marker`: a save during the
    /// first build must not throw away the dependencies compiled so far.
    pub build_marker: Option<String>,
    /// Build at the lowest CPU priority (watch's background build of the checkers the next exercises need).
    pub low_priority: bool,
}

/// Checks every target: the guard first (cheap), then one build for all, each program run (`jobs` at a time) as
/// soon as it is built.
/// Verdicts come back in the order of `targets`.
pub fn check_all(
    ws: &Workspace,
    targets: &[Target<'_>],
    options: &Options,
    on_progress: &mut dyn FnMut(compile::BuildStep<'_>),
) -> Result<Vec<Verdict>> {
    let mut verdicts: Vec<Option<Verdict>> = targets
        .iter()
        .map(|t| materialize(ws, t).or_else(|| precheck(ws, t)))
        .collect();
    warn_if_unconfined(options.lang);
    let to_build: Vec<Target<'_>> = targets
        .iter()
        .zip(&verdicts)
        .filter(|(_, v)| v.is_none())
        .map(|(t, _)| t.clone())
        .collect();
    // Each program runs as soon as it is built, while cargo builds the rest.
    let mut waiting: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, target) in targets.iter().enumerate() {
        if verdicts[i].is_none() {
            let bin = compile::bin_name(ws, &target.exercise.name, &target.source);
            waiting.entry(bin).or_default().push(i);
        }
    }
    let started = Instant::now();
    let (ready, queue) = std::sync::mpsc::channel::<(usize, PathBuf)>();
    let (built, results) = std::thread::scope(|scope| {
        let runner = scope.spawn(|| run::run_many(ws, queue, targets, options));
        let built = compile::build(ws, &to_build, options, on_progress, &mut |bin, program| {
            for &i in waiting.get(bin).into_iter().flatten() {
                // The runner lives until this sender is dropped, so the queue is open.
                let _ = ready.send((i, program.to_path_buf()));
            }
        });
        drop(ready);
        (
            built,
            runner.join().expect("the runner's threads do not panic"),
        )
    });
    let built = built?;
    let build_ms = started.elapsed().as_millis() as u64;

    for (i, target) in targets.iter().enumerate() {
        if verdicts[i].is_some() || results.contains_key(&i) {
            continue;
        }
        let bin = compile::bin_name(ws, &target.exercise.name, &target.source);
        let rendered = built.errors.get(&bin).cloned().unwrap_or_else(|| {
            "cargo built nothing and reported no error for this exercise".to_string()
        });
        verdicts[i] = Some(verdict(
            target,
            Outcome::CompileError { rendered },
            vec![],
            build_ms,
            0,
        ));
    }
    for (i, (outcome, checks, run_ms)) in results {
        // Visibility is judged last: a file whose checks fail learns from the failing interleaving first.
        let outcome = match outcome {
            Outcome::Passed => exposed(ws, &targets[i]).unwrap_or(Outcome::Passed),
            other => other,
        };
        verdicts[i] = Some(verdict(&targets[i], outcome, checks, build_ms, run_ms));
    }
    Ok(verdicts
        .into_iter()
        .map(|v| v.expect("every target has a verdict"))
        .collect())
}

/// Checks one target.
pub fn check_one(
    ws: &Workspace,
    target: Target<'_>,
    options: &Options,
    on_progress: &mut dyn FnMut(compile::BuildStep<'_>),
) -> Result<Verdict> {
    Ok(check_all(ws, std::slice::from_ref(&target), options, on_progress)?.remove(0))
}

/// Writes out a known-wrong variant kept as a patch; a patch that no longer applies is the variant's error.
fn materialize(ws: &Workspace, target: &Target<'_>) -> Option<Verdict> {
    if !matches!(target.source, Source::Wrong(_) | Source::Right(_)) {
        return None;
    }
    let patch = ws.defining_file(target.exercise, &target.source);
    if patch.extension().is_none_or(|e| e != "patch") {
        return None;
    }
    let error = crate::variant::materialize(ws, &patch).err()?;
    Some(verdict(
        target,
        Outcome::CompileError {
            rendered: format!("{error:#}"),
        },
        vec![],
        0,
        0,
    ))
}

/// Says once per process when this kernel cannot confine learner code (no Landlock): checks still run.
fn warn_if_unconfined(lang: conc_check::Lang) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    if conc_check::sandbox::available() {
        return;
    }
    ONCE.call_once(|| {
        eprintln!(
            "{}",
            match lang {
                conc_check::Lang::En => "note: this kernel has no Landlock, so learner code is not confined to its scratch folder (checks still run; see docs/SECURITY.md)",
                conc_check::Lang::Ko => "참고: 이 커널에는 Landlock이 없어서 학습자 코드를 작업 폴더 안에 가두지 못합니다 (검사는 그대로 실행됩니다. docs/SECURITY.md 참고)",
            }
        );
    });
}

/// What can be decided without building: a missing file, or the honesty guard.
fn precheck(ws: &Workspace, target: &Target<'_>) -> Option<Verdict> {
    let file = ws.source_file(target.exercise, &target.source);
    if target.source == Source::Exercise && !ws.exercise_file_is_confined(target.exercise) {
        let path = ws.display(&file).into_owned();
        return Some(verdict(target, Outcome::Outside { path }, vec![], 0, 0));
    }
    let source = match std::fs::read_to_string(&file) {
        Ok(s) => s,
        Err(_) => {
            let path = ws.display(&file).into_owned();
            return Some(verdict(target, Outcome::Missing { path }, vec![], 0, 0));
        }
    };
    // Whatever the kind: no code before `main`, no replaced symbols, no other files, no assembly.
    let escapes = guard::trust_escapes(&source);
    if !escapes.is_empty() {
        return Some(verdict(
            target,
            Outcome::Forbidden { escapes },
            vec![],
            0,
            0,
        ));
    }
    if !target.exercise.kind.needs_facade() {
        // Real processes on this machine cannot show what a weaker ordering lets other hardware reorder either.
        let escapes = guard::ordering_escapes(&source, &target.exercise.orderings);
        return (!escapes.is_empty())
            .then(|| verdict(target, Outcome::Pinned { escapes }, vec![], 0, 0));
    }
    // `unsafe` is allowed where the exercise as shipped uses it (building a lock on an UnsafeCell).
    let shipped = ws.shipped_text(target.exercise);
    let allow_unsafe = guard::uses_unsafe(&shipped);
    let escapes = guard::scan(&source, allow_unsafe);
    if !escapes.is_empty() {
        return Some(verdict(target, Outcome::Rejected { escapes }, vec![], 0, 0));
    }
    let escapes = guard::allowlist_escapes(&source, &compile::other_crates(ws));
    if !escapes.is_empty() {
        return Some(verdict(
            target,
            Outcome::Forbidden { escapes },
            vec![],
            0,
            0,
        ));
    }
    let escapes = guard::ordering_escapes(&source, &target.exercise.orderings);
    (!escapes.is_empty()).then(|| verdict(target, Outcome::Pinned { escapes }, vec![], 0, 0))
}

/// Fields that the exercise wants private (info.toml's `private_state`) but the file makes public.
fn exposed(ws: &Workspace, target: &Target<'_>) -> Option<Outcome> {
    if target.exercise.private_state.is_empty() {
        return None;
    }
    let file = ws.source_file(target.exercise, &target.source);
    let source = std::fs::read_to_string(file).ok()?;
    let escapes = guard::visibility_escapes(&source, &target.exercise.private_state);
    (!escapes.is_empty()).then_some(Outcome::Exposed { escapes })
}

fn verdict(
    target: &Target<'_>,
    outcome: Outcome,
    checks: Vec<CheckResult>,
    build_ms: u64,
    run_ms: u64,
) -> Verdict {
    Verdict {
        exercise: target.exercise.name.clone(),
        source: target.source.clone(),
        outcome,
        checks,
        build_ms,
        run_ms,
    }
}

/// The time limit of one exercise's check program.
pub fn timeout(exercise: &ExerciseInfo) -> Duration {
    Duration::from_secs(
        exercise
            .timeout
            .unwrap_or_else(|| exercise.kind.default_timeout()),
    )
}
