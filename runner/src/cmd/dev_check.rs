//! `dev check`: the authors' gate. Every solution and alternative right answer passes (several times), every
//! exercise as shipped fails, every known-wrong variant fails *by a check* (not by a compile error), and
//! info.toml, the package manifests and the texts agree. A variant listed as a known gap in the exercise's
//! `gate.toml` is reported, not failed: it is the work list of the checks.

use super::Ctx;
use crate::check::{self, Outcome, Target, Verdict};
use crate::exercise::Source;
use crate::gate_file::GateFile;
use crate::info_file::{CheckKind, ExerciseInfo};
use crate::render;
use anyhow::Result;
use std::collections::BTreeSet;
use std::process::ExitCode;

/// How many CPUs this machine has.
fn cpus() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The fewest known-wrong variants an exercise may have.
const MIN_WRONG_VARIANTS: usize = 2;

pub fn run(ctx: &Ctx, repeat: usize, only: &[String], jobs: Option<usize>) -> Result<ExitCode> {
    let ws = &ctx.ws;
    ws.require_solutions("dev check", ctx.lang)?;
    for name in only {
        ws.info.find(name, ctx.lang)?;
    }
    let exercises: Vec<&ExerciseInfo> = ws
        .info
        .exercises
        .iter()
        .filter(|e| only.is_empty() || only.contains(&e.name))
        .collect();
    let mut problems = static_problems(ctx, &exercises);

    // Every version runs `repeat` times: the model checker's seed is fixed, so the verdict must not move.
    // Four at a time per CPU (watch and verify run two): most wrong versions of process exercises wait for their
    // time limit, doing nothing. Measured on 2 CPUs, every version once, built: 79 s with 4 at once, 51 s with 8,
    // same verdicts (correct process answers were measured passing at load averages up to 14).
    let repeat = repeat.max(1);
    let mut targets = Vec::new();
    for ex in &exercises {
        for source in ws.sources(ex) {
            targets.extend(std::iter::repeat_n(
                Target {
                    exercise: ex,
                    source,
                },
                repeat,
            ));
        }
    }
    let verdicts = check::check_all(
        ws,
        &targets,
        &ctx.check_options(jobs.or(Some(4 * cpus()))),
        &mut super::build_progress(ctx.color, ctx.lang),
    )?;
    let plain = ctx.render_options(false);

    for ex in &exercises {
        let gate = match GateFile::load(ws, ex) {
            Ok(gate) => gate,
            Err(e) => {
                problems.push(format!("{}: {e:#}", ex.name));
                GateFile::default()
            }
        };
        let mine: Vec<&Verdict> = verdicts.iter().filter(|v| v.exercise == ex.name).collect();
        let mut sources: Vec<&Source> = Vec::new();
        for v in &mine {
            if !sources.contains(&&v.source) {
                sources.push(&v.source);
            }
        }
        let mut ok = true;
        let (mut wrong_ok, mut wrong_total, mut right_ok, mut right_total) = (0, 0, 0, 0);
        let mut gaps = 0;
        let mut summary = Vec::new();
        for source in sources {
            let runs: Vec<&&Verdict> = mine.iter().filter(|v| &v.source == source).collect();
            let expected = |v: &Verdict| match source {
                Source::Solution | Source::Right(_) => v.passed(),
                Source::Exercise => fails_properly(v, ex.kind == CheckKind::Compile),
                Source::Wrong(_) | Source::Mutant(_) => fails_properly(v, false),
            };
            let good = runs.iter().filter(|v| expected(v)).count();
            let all_good = good == runs.len();
            match source {
                Source::Solution => summary.push(format!("solution passes {good}/{}", runs.len())),
                Source::Exercise => summary.push(format!("exercise fails {good}/{}", runs.len())),
                Source::Wrong(_) | Source::Mutant(_) => {
                    wrong_total += 1;
                    wrong_ok += usize::from(all_good);
                }
                Source::Right(_) => {
                    right_total += 1;
                    right_ok += usize::from(all_good);
                }
            }
            let variant = match source {
                Source::Wrong(v) | Source::Right(v) => Some(v.as_str()),
                _ => None,
            };
            if let Some(gap) = variant.and_then(|v| gate.gap(v)) {
                if all_good {
                    println!(
                        "  note: {}: known gap `{}` now gets the expected verdict every run; remove it from gate.toml",
                        ex.name, gap.variant
                    );
                } else {
                    gaps += 1;
                }
                continue;
            }
            if let Some(bad) = runs.iter().find(|v| !expected(v)) {
                ok = false;
                let what = match source {
                    Source::Solution => "the solution does not pass".to_string(),
                    Source::Right(r) => format!("right answer `{r}` does not pass"),
                    Source::Exercise if bad.passed() => {
                        "the exercise as shipped already passes".to_string()
                    }
                    Source::Exercise => {
                        "the exercise as shipped fails, but not by a check".to_string()
                    }
                    Source::Wrong(w) | Source::Mutant(w) if bad.passed() => {
                        format!("wrong variant `{w}` passes: the check misses it")
                    }
                    Source::Wrong(w) | Source::Mutant(w) => {
                        format!("wrong variant `{w}` must compile and fail a check")
                    }
                };
                problems.push(format!(
                    "{}: {what} ({} of {} runs)\n{}",
                    ex.name,
                    runs.len() - good,
                    runs.len(),
                    indent(&render::verdict(ws, bad, &plain))
                ));
            }
        }
        summary.push(format!(
            "{wrong_ok}/{wrong_total} wrong variants fail every run"
        ));
        if right_total > 0 {
            summary.push(format!(
                "{right_ok}/{right_total} right answers pass every run"
            ));
        }
        if gaps > 0 {
            summary.push(format!("{gaps} known gaps (gate.toml)"));
        }
        if let Some(bar) = gate.mutation_bar {
            summary.push(format!("mutation bar {bar}%"));
        }
        let slowest = mine
            .iter()
            .filter(|v| v.source == Source::Solution)
            .map(|v| v.run_ms)
            .max()
            .unwrap_or(0);
        summary.push(format!("slowest solution run {slowest} ms"));
        let mark = if ok {
            console::style("✓").green()
        } else {
            console::style("✗").red()
        };
        println!(
            "{} {:<30} {:<9} {}",
            mark.force_styling(ctx.color),
            ex.name,
            ex.kind.as_str(),
            summary.join(", ")
        );
    }

    if problems.is_empty() {
        println!("\ndev check: {} exercises, all good.", exercises.len());
        Ok(ExitCode::SUCCESS)
    } else {
        println!("\ndev check found {} problem(s):", problems.len());
        for p in &problems {
            println!("- {p}");
        }
        Ok(ExitCode::FAILURE)
    }
}

/// A failing version must fail because a check caught it (or ran out of time), not because it is broken
/// in some other way: otherwise the check is not what rejects it.
fn fails_properly(v: &Verdict, compile_error_ok: bool) -> bool {
    match &v.outcome {
        Outcome::Failed { .. }
        | Outcome::TimedOut { .. }
        | Outcome::TooManyProcesses { .. }
        | Outcome::Tampered { .. }
        | Outcome::Pinned { .. }
        | Outcome::Exposed { .. } => true,
        Outcome::CompileError { .. } => compile_error_ok,
        _ => false,
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What can be checked without building anything.
fn static_problems(ctx: &Ctx, exercises: &[&ExerciseInfo]) -> Vec<String> {
    let ws = &ctx.ws;
    let mut problems = Vec::new();
    for concept in &ws.info.concepts {
        for (what, text) in [("title", &concept.title), ("summary", &concept.summary)] {
            if text.en.trim().is_empty() || text.ko.trim().is_empty() {
                problems.push(format!(
                    "concept `{}`: {what} needs both English and Korean",
                    concept.id
                ));
            }
        }
    }
    let mut topics = BTreeSet::new();
    for ex in exercises {
        if ex.hints.len() < 2 {
            problems.push(format!("{}: needs at least 2 hint levels", ex.name));
        }
        if ex
            .hints
            .iter()
            .any(|h| h.en.trim().is_empty() || h.ko.trim().is_empty())
        {
            problems.push(format!(
                "{}: every hint needs both English and Korean",
                ex.name
            ));
        }
        let wrong = ws.wrong_variants(ex).len();
        if wrong < MIN_WRONG_VARIANTS {
            problems.push(format!(
                "{}: has {wrong} known-wrong variants, needs at least {MIN_WRONG_VARIANTS}",
                ex.name
            ));
        }
        if let Some(topic) = std::path::Path::new(&ex.path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            topics.insert(topic.to_path_buf());
        }
    }
    for topic in topics {
        for readme in ["README.md", "README.ko.md"] {
            let path = ws.root.join("exercises").join(&topic).join(readme);
            if !path.is_file() {
                problems.push(format!("exercises/{}/{readme} is missing", topic.display()));
            }
        }
    }
    for package in ["exercises", "solutions"] {
        problems.extend(manifest_problems(ctx, package));
    }
    // The Korean keeps to docs' style rules (the whole curriculum: terms are shared across exercises).
    problems.extend(
        super::korean_style::curriculum_problems(&ws.root, &ws.info)
            .into_iter()
            .map(|p| format!("Korean style: {p}")),
    );
    problems
}

/// The `exercises` and `solutions` packages (for rust-analyzer and `cargo run`) list exactly info.toml's
/// exercises, at the right paths.
fn manifest_problems(ctx: &Ctx, package: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(default)]
        bin: Vec<Bin>,
    }
    #[derive(serde::Deserialize)]
    struct Bin {
        name: String,
        path: String,
    }
    let path = ctx.ws.root.join(package).join("Cargo.toml");
    let manifest: Manifest = match std::fs::read_to_string(&path).map(|t| toml::from_str(&t)) {
        Ok(Ok(m)) => m,
        Ok(Err(e)) => return vec![format!("{package}/Cargo.toml: {e}")],
        Err(e) => return vec![format!("{package}/Cargo.toml: {e}")],
    };
    let listed: BTreeSet<(String, String)> =
        manifest.bin.into_iter().map(|b| (b.name, b.path)).collect();
    let expected: BTreeSet<(String, String)> = ctx
        .ws
        .info
        .exercises
        .iter()
        .map(|e| (e.name.clone(), e.path.clone()))
        .collect();
    let mut problems = Vec::new();
    for (name, path) in expected.difference(&listed) {
        problems.push(format!(
            "{package}/Cargo.toml lacks [[bin]] name = \"{name}\", path = \"{path}\""
        ));
    }
    for (name, path) in listed.difference(&expected) {
        problems.push(format!(
            "{package}/Cargo.toml has [[bin]] {name} ({path}), which info.toml does not"
        ));
    }
    problems
}
