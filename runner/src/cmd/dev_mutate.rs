//! `dev mutate`: verdict truth, measured. Every mutation operator is applied to each exercise's reference
//! solution and to its alternative right answers; every mutant is built and checked. A mutant the check fails
//! is killed; one it passes survived, and is either listed as equivalent in the exercise's `gate.toml` (with
//! the reason) or a gap. The score, killed / (killed + survivors not listed), may not fall below the bar
//! recorded in `gate.toml`.

use super::Ctx;
use crate::check::{self, Outcome, Target, Verdict};
use crate::exercise::Source;
use crate::gate_file::GateFile;
use crate::info_file::{CheckKind, ExerciseInfo};
use crate::mutate::{self, Mutant};
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::process::ExitCode;

pub struct Args<'a> {
    pub only: &'a [String],
    pub jobs: Option<usize>,
    /// Write each exercise's score as its new bar.
    pub record: bool,
    /// Only list the mutants; build nothing.
    pub list: bool,
}

/// One mutant of one base file (the solution or a right answer), and what became of it.
struct Made<'a> {
    exercise: &'a ExerciseInfo,
    /// `op:fn#n`, prefixed with `<right answer>/` for a right answer's mutants.
    id: String,
    mutant: Mutant,
    hash: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Fate {
    Killed,
    Survived,
    Equivalent,
    /// Does not compile (or is refused before building): not a mutant that counts.
    Stillborn,
}

#[derive(Serialize)]
struct ExerciseScore {
    exercise: String,
    kind: &'static str,
    made: usize,
    stillborn: usize,
    killed: usize,
    survived: usize,
    equivalent: usize,
    /// Percent of the non-equivalent mutants killed (floored).
    score: u32,
    bar: Option<u32>,
    survivors: Vec<Survivor>,
}

#[derive(Serialize)]
struct Survivor {
    id: String,
    line: usize,
    before: String,
    after: String,
}

pub fn run(ctx: &Ctx, args: Args<'_>) -> Result<ExitCode> {
    let ws = &ctx.ws;
    ws.require_solutions("dev mutate", ctx.lang)?;
    for name in args.only {
        ws.info.find(name, ctx.lang)?;
    }
    let exercises: Vec<&ExerciseInfo> = ws
        .info
        .exercises
        .iter()
        .filter(|e| args.only.is_empty() || args.only.contains(&e.name))
        .collect();

    let mut made: Vec<Made<'_>> = Vec::new();
    for ex in &exercises {
        made.extend(mutants_of(ctx, ex)?);
    }
    if args.list {
        println!("The operators:");
        for op in mutate::OPERATORS {
            println!("  {:<22} {}", op.name, op.what);
        }
        println!();
        for m in &made {
            println!(
                "{:<28} {:<50} line {:>3}: {}  →  {}",
                m.exercise.name,
                m.id,
                m.mutant.line,
                shorten(&m.mutant.before),
                shorten(&m.mutant.after)
            );
        }
        println!("{} mutants of {} exercises", made.len(), exercises.len());
        return Ok(ExitCode::SUCCESS);
    }

    let targets: Vec<Target<'_>> = made
        .iter()
        .map(|m| Target {
            exercise: m.exercise,
            source: Source::Mutant(m.hash.clone()),
        })
        .collect();
    eprintln!(
        "dev mutate: building and checking {} mutants of {} exercises…",
        targets.len(),
        exercises.len()
    );
    let verdicts = check::check_all(
        ws,
        &targets,
        &ctx.check_options(args.jobs),
        &mut super::build_progress(ctx.color, ctx.lang),
    )?;

    let mut scores = Vec::new();
    let mut below_bar = Vec::new();
    for ex in &exercises {
        let mut gate = GateFile::load(ws, ex)?;
        let mut score = ExerciseScore {
            exercise: ex.name.clone(),
            kind: ex.kind.as_str(),
            made: 0,
            stillborn: 0,
            killed: 0,
            survived: 0,
            equivalent: 0,
            score: 100,
            bar: gate.mutation_bar,
            survivors: Vec::new(),
        };
        let mut listed_but_killed = Vec::new();
        for (m, v) in made
            .iter()
            .zip(&verdicts)
            .filter(|(m, _)| m.exercise.name == ex.name)
        {
            score.made += 1;
            match fate(v, &gate, &m.id) {
                Fate::Killed => {
                    score.killed += 1;
                    if gate.equivalent(&m.id).is_some() {
                        listed_but_killed.push(m.id.clone());
                    }
                }
                Fate::Survived => {
                    score.survived += 1;
                    score.survivors.push(Survivor {
                        id: m.id.clone(),
                        line: m.mutant.line,
                        before: m.mutant.before.clone(),
                        after: m.mutant.after.clone(),
                    });
                }
                Fate::Equivalent => score.equivalent += 1,
                Fate::Stillborn => score.stillborn += 1,
            }
        }
        let counted = score.killed + score.survived;
        score.score = (score.killed * 100).checked_div(counted).unwrap_or(100) as u32;
        for id in listed_but_killed {
            println!(
                "  note: {}: `{id}` is listed as equivalent in gate.toml but the check kills it; remove it",
                ex.name
            );
        }
        if let Some(bar) = gate.mutation_bar
            && score.score < bar
        {
            below_bar.push(format!(
                "{}: mutation score {}% is below its bar {bar}%",
                ex.name, score.score
            ));
        }
        if args.record {
            gate.mutation_bar = Some(score.score);
            gate.save(ws, ex)?;
            score.bar = gate.mutation_bar;
        }
        scores.push(score);
    }

    print_table(&scores);
    let report = crate::check::compile::build_root(ws).join("mutate-report.json");
    std::fs::write(&report, serde_json::to_string_pretty(&scores)?)
        .with_context(|| format!("cannot write {}", report.display()))?;
    println!(
        "(the whole report, with every survivor: {})",
        ws.display(&report)
    );

    if below_bar.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "\ndev mutate: {} exercise(s) below their bar:",
            below_bar.len()
        );
        for line in &below_bar {
            println!("- {line}");
        }
        Ok(ExitCode::FAILURE)
    }
}

/// The mutants of an exercise's solution and of each of its alternative right answers, written out as files
/// named by a hash of their text (so a mutant that did not change is not rebuilt).
fn mutants_of<'a>(ctx: &Ctx, ex: &'a ExerciseInfo) -> Result<Vec<Made<'a>>> {
    let ws = &ctx.ws;
    let options = mutate::Options {
        // A thread exercise's `main` is the learner's demo; process exercises are their `main`.
        skip_main: ex.kind != CheckKind::Process,
    };
    let mut bases = vec![(String::new(), ws.solution_file(ex))];
    for (name, file) in ws.right_variants(ex) {
        let path = if file.extension().is_some_and(|e| e == "patch") {
            crate::variant::materialize(ws, &file)?
        } else {
            file
        };
        bases.push((format!("{name}/"), path));
    }
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (prefix, file) in bases {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", ws.display(&file)))?;
        let mutants = mutate::mutants(&text, options)
            .with_context(|| format!("{}: cannot mutate", ws.display(&file)))?;
        for mutant in mutants {
            let hash = content_hash(&mutant.source);
            if !seen.insert(hash.clone()) {
                continue;
            }
            let path = ws.mutant_file(ex, &hash);
            if !path.exists() {
                std::fs::create_dir_all(path.parent().expect("has a folder"))?;
                crate::app_state::write_atomically(&path, &mutant.source)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            out.push(Made {
                exercise: ex,
                id: format!("{prefix}{}", mutant.id),
                mutant,
                hash,
            });
        }
    }
    Ok(out)
}

fn fate(v: &Verdict, gate: &GateFile, id: &str) -> Fate {
    match &v.outcome {
        Outcome::Passed if gate.equivalent(id).is_some() => Fate::Equivalent,
        Outcome::Passed => Fate::Survived,
        // Refused before building: the learner is told it is wrong, so it is killed.
        Outcome::Failed { .. }
        | Outcome::TimedOut { .. }
        | Outcome::TooManyProcesses { .. }
        | Outcome::Tampered { .. }
        | Outcome::Crashed { .. }
        | Outcome::Pinned { .. }
        | Outcome::Exposed { .. } => Fate::Killed,
        Outcome::CompileError { .. }
        | Outcome::Rejected { .. }
        | Outcome::Forbidden { .. }
        | Outcome::Missing { .. }
        | Outcome::Outside { .. } => Fate::Stillborn,
    }
}

/// FNV-1a, 64 bits: stable across runs and Rust versions, which a cache key must be.
fn content_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn shorten(text: &str) -> String {
    const MAX: usize = 70;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

fn print_table(scores: &[ExerciseScore]) {
    println!(
        "\n{:<28} {:<8} {:>5} {:>9} {:>6} {:>8} {:>10} {:>6} {:>5}",
        "exercise", "kind", "made", "stillborn", "killed", "survived", "equivalent", "score", "bar"
    );
    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for s in scores {
        let bar = s.bar.map_or("-".to_string(), |b| format!("{b}%"));
        println!(
            "{:<28} {:<8} {:>5} {:>9} {:>6} {:>8} {:>10} {:>5}% {:>5}",
            s.exercise,
            s.kind,
            s.made,
            s.stillborn,
            s.killed,
            s.survived,
            s.equivalent,
            s.score,
            bar
        );
        let entry = by_kind.entry(s.kind).or_default();
        entry.0 += s.killed;
        entry.1 += s.killed + s.survived;
    }
    for (kind, (killed, counted)) in by_kind {
        println!(
            "{kind}: {killed} of {counted} non-equivalent mutants killed ({}%)",
            killed * 100 / counted.max(1)
        );
    }
    for s in scores.iter().filter(|s| !s.survivors.is_empty()) {
        println!("\n{} survivors:", s.exercise);
        for m in &s.survivors {
            println!(
                "  {:<48} line {:>3}: {}  →  {}",
                m.id,
                m.line,
                shorten(&m.before),
                shorten(&m.after)
            );
        }
    }
}
