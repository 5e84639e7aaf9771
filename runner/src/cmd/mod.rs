//! The one-shot commands: list, run, hint, progress, reset (verify and dev check have their own modules).

pub mod class_report;
pub mod classroom_workflow;
pub mod dev_check;
pub mod dev_mutate;
pub mod korean_style;
pub mod template;
pub mod verify;

use crate::app_state::AppState;
use crate::check::{self, Target};
use crate::exercise::{Source, Workspace};
use crate::i18n::{self, Lang, t};
use crate::info_file::ExerciseInfo;
use crate::render;
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::process::ExitCode;

/// What every command gets.
pub struct Ctx {
    pub ws: Workspace,
    pub lang: Lang,
    pub color: bool,
}

impl Ctx {
    pub fn state(&self) -> AppState {
        let state = AppState::load(&self.ws.root, &self.ws.info, self.lang);
        for notice in &state.notices {
            eprintln!(
                "{} {notice}",
                console::style(t(self.lang, "note:", "알림:"))
                    .yellow()
                    .bold()
                    .force_styling(self.color)
            );
        }
        state
    }

    pub fn check_options(&self, jobs: Option<usize>) -> check::Options {
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        // Two per CPU: process checks spend most of their time waiting (for a peer, or for a deadlock to be
        // diagnosed at its time limit), so one per CPU leaves the machine idle. Measured: verify of every
        // exercise on 2 CPUs, 7.1 s with 2 at once, 3.8 s with 4, same verdicts.
        check::Options {
            lang: self.lang,
            color: self.color,
            jobs: jobs.unwrap_or(2 * cpus),
            marker: None,
            build_marker: None,
            low_priority: false,
        }
    }

    pub fn render_options(&self, verbose: bool) -> render::Options {
        render::Options {
            lang: self.lang,
            color: self.color,
            verbose,
            width: None,
            view: render::interleaving::View::List,
        }
    }

    /// The named exercise, or the current one.
    pub fn exercise(&self, name: Option<&str>, state: &AppState) -> Result<&ExerciseInfo> {
        match name {
            Some(name) => self.ws.info.find(name, self.lang),
            None => self.ws.info.find(state.current(&self.ws.info), self.lang),
        }
    }
}

/// Shows, on stderr, what the first build is doing (it compiles the model checkers once per machine): a
/// progress bar in a terminal, one line otherwise.
pub fn build_progress(color: bool, lang: Lang) -> impl FnMut(check::compile::BuildStep<'_>) {
    struct Bar(Option<indicatif::ProgressBar>);
    impl Drop for Bar {
        fn drop(&mut self) {
            if let Some(bar) = &self.0 {
                bar.finish_and_clear();
            }
        }
    }
    let mut bar = Bar(None);
    move |step: check::compile::BuildStep<'_>| {
        let bar = bar.0.get_or_insert_with(|| {
            eprintln!(
                "{}",
                console::style(t(
                    lang,
                    "Building the checker (once per machine; about a minute)…",
                    "검사기를 빌드하는 중입니다 (기계마다 한 번, 1분쯤 걸립니다)…"
                ))
                .dim()
                .force_styling(color)
            );
            let bar = indicatif::ProgressBar::new(step.total.unwrap_or(0) as u64);
            let template = if step.total.is_some() {
                "  [{bar:30}] {pos}/{len} {msg}"
            } else {
                "  {spinner} {pos} {msg}"
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template(template)
                    .expect("valid")
                    .progress_chars("#>-"),
            );
            bar
        });
        if let Some(total) = step.total {
            // The estimate can be a little short; never show more done than planned.
            bar.set_length(total.max(step.done) as u64);
        }
        bar.set_position(step.done as u64);
        bar.set_message(step.krate.to_string());
    }
}

#[derive(Serialize)]
struct ListEntry<'a> {
    name: &'a str,
    concept: &'a str,
    kind: &'a str,
    exercise_path: String,
    /// None in a copy without solutions (a class template).
    solution_path: Option<String>,
    state: &'a str,
}

pub fn list(ctx: &Ctx, json: bool) -> Result<ExitCode> {
    let state = ctx.state();
    let ws = &ctx.ws;
    let entries: Vec<ListEntry<'_>> = ws
        .info
        .exercises
        .iter()
        .map(|ex| ListEntry {
            name: &ex.name,
            concept: &ex.concept,
            kind: ex.kind.as_str(),
            exercise_path: format!("exercises/{}", ex.path),
            solution_path: ws.has_solutions().then(|| format!("solutions/{}", ex.path)),
            state: if state.is_done(&ex.name) {
                "done"
            } else {
                "pending"
            },
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&entries)?);
        return Ok(ExitCode::SUCCESS);
    }
    let current = state.current(&ws.info);
    let name_width = entries.iter().map(|e| e.name.len()).max().unwrap_or(4);
    let label = |e: &ListEntry<'_>| -> &'static str {
        ws.info
            .exercise(e.name)
            .map_or("", |ex| ex.kind.label(ctx.lang))
    };
    let label_width = entries
        .iter()
        .map(|e| console::measure_text_width(label(e)))
        .max()
        .unwrap_or(8);
    let mut last_concept = "";
    for e in &entries {
        if e.concept != last_concept {
            let concept = ws.info.concept(e.concept);
            println!(
                "{}",
                console::style(i18n::pick(ctx.lang, &concept.title))
                    .bold()
                    .force_styling(ctx.color)
            );
            last_concept = e.concept;
        }
        let mark = if e.state == "done" { "✓" } else { " " };
        let here = if e.name == current { "▶" } else { " " };
        let state = if e.state == "done" {
            t(ctx.lang, "done", "완료")
        } else {
            t(ctx.lang, "pending", "미완료")
        };
        // Padded by display width: Korean takes two columns a character.
        let kind = label(e);
        let pad = |text: &str, width: usize| {
            " ".repeat(width.saturating_sub(console::measure_text_width(text)))
        };
        println!(
            "  {here} {mark} {:<name_width$}  {kind}{}  {state}{}  {}",
            e.name,
            pad(kind, label_width),
            pad(state, 8),
            e.exercise_path
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(ctx: &Ctx, name: Option<&str>, verbose: bool, lanes: bool) -> Result<ExitCode> {
    let mut state = ctx.state();
    let ex = ctx.exercise(name, &state)?;
    let target = Target {
        exercise: ex,
        source: Source::Exercise,
    };
    let verdict = check::check_one(
        &ctx.ws,
        target,
        &ctx.check_options(None),
        &mut build_progress(ctx.color, ctx.lang),
    )?;
    let term = console::Term::stdout();
    let options = render::Options {
        // Lanes divide the terminal's width (80 columns through a pipe); the list keeps whole lines there.
        width: term.is_term().then(|| usize::from(term.size().1)),
        view: if lanes {
            render::interleaving::View::Lanes { selected: None }
        } else {
            render::interleaving::View::List
        },
        ..ctx.render_options(verbose)
    };
    println!("{}", render::verdict(&ctx.ws, &verdict, &options));
    if state.set_done(&ex.name, verdict.passed()) {
        if let Err(e) = state.save() {
            warn(ctx, &format!("{e:#}"));
        }
    }
    Ok(if verdict.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub fn hint(ctx: &Ctx, name: Option<&str>, level: usize) -> Result<ExitCode> {
    let state = ctx.state();
    let ex = ctx.exercise(name, &state)?;
    let levels = ex.hints.len();
    if level == 0 || level > levels {
        bail!(
            "{}",
            match ctx.lang {
                Lang::En => format!("`{}` has hint levels 1 to {levels}", ex.name),
                Lang::Ko => format!("`{}`의 힌트 단계는 1부터 {levels}까지입니다", ex.name),
            }
        );
    }
    let heading = match ctx.lang {
        Lang::En => format!("Hint {level} of {levels} for {}", ex.name),
        Lang::Ko => format!("{} 힌트 {levels}개 중 {level}번째", ex.name),
    };
    println!(
        "{}",
        console::style(heading).bold().force_styling(ctx.color)
    );
    println!("{}", i18n::pick(ctx.lang, &ex.hints[level - 1]).trim_end());
    if level < levels {
        let more = match ctx.lang {
            Lang::En => format!("(more: conc-lings hint {} --level {})", ex.name, level + 1),
            Lang::Ko => format!(
                "(다음 힌트: conc-lings hint {} --level {})",
                ex.name,
                level + 1
            ),
        };
        println!("{}", console::style(more).dim().force_styling(ctx.color));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn progress(ctx: &Ctx) -> Result<ExitCode> {
    let state = ctx.state();
    let info = &ctx.ws.info;
    let mut concepts_passed = 0;
    for concept in &info.concepts {
        let exercises: Vec<&ExerciseInfo> = info
            .exercises
            .iter()
            .filter(|e| e.concept == concept.id)
            .collect();
        let done = exercises.iter().filter(|e| state.is_done(&e.name)).count();
        let passed = done == exercises.len();
        concepts_passed += usize::from(passed);
        let mark = if passed { "✓" } else { " " };
        let bar = crate::term::bar(done, exercises.len(), 10);
        println!(
            "{mark} {bar} {done:>2}/{:<2}  {}",
            exercises.len(),
            i18n::pick(ctx.lang, &concept.title)
        );
    }
    let done = info
        .exercises
        .iter()
        .filter(|e| state.is_done(&e.name))
        .count();
    println!(
        "{}",
        match ctx.lang {
            Lang::En => format!(
                "\n{done} of {} exercises done; {concepts_passed} of {} concepts passed.",
                info.exercises.len(),
                info.concepts.len()
            ),
            Lang::Ko => format!(
                "\n연습 문제 {}개 중 {done}개 완료, 개념 {}개 중 {concepts_passed}개 통과.",
                info.exercises.len(),
                info.concepts.len()
            ),
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub fn reset(ctx: &Ctx, name: Option<&str>, all: bool) -> Result<ExitCode> {
    let mut state = ctx.state();
    let exercises: Vec<&ExerciseInfo> = if all {
        ctx.ws.info.exercises.iter().collect()
    } else {
        let Some(name) = name else {
            bail!(
                "{}",
                t(
                    ctx.lang,
                    "say which exercise to reset, or --all",
                    "되돌릴 연습 문제 이름이나 --all을 주세요"
                )
            )
        };
        vec![ctx.ws.info.find(name, ctx.lang)?]
    };
    // Carry on past an exercise that cannot be reset: restore and record all the others, then say what failed.
    let mut failed = Vec::new();
    for ex in exercises {
        match reset_one(ctx, &mut state, ex) {
            Ok(()) => println!(
                "{}",
                match ctx.lang {
                    Lang::En => format!("reset exercises/{}", ex.path),
                    Lang::Ko => format!("exercises/{} 파일을 처음 상태로 되돌렸습니다", ex.path),
                }
            ),
            Err(e) => failed.push(format!("{e:#}")),
        }
    }
    if let Err(e) = state.save() {
        warn(ctx, &format!("{e:#}"));
    }
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        bail!("{}", failed.join("\n"))
    }
}

/// A warning on stderr, labelled in the learner's language.
pub fn warn(ctx: &Ctx, message: &str) {
    let label = console::style(t(ctx.lang, "warning:", "경고:"))
        .yellow()
        .bold()
        .force_styling(ctx.color);
    eprintln!("{label} {message}");
}

/// Puts back the original text of one exercise (only ever writes inside `exercises/`).
pub fn reset_one(ctx: &Ctx, state: &mut AppState, ex: &ExerciseInfo) -> Result<()> {
    let original = state.original(&ex.path).with_context(|| {
        format!(
            "no original of exercises/{} was kept, so it cannot be reset",
            ex.path
        )
    })?;
    let file = ctx.ws.exercise_file(ex);
    let exercises_dir = ctx.ws.root.join("exercises");
    // info.toml paths are checked when loaded; check the real location once more right before writing.
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent)?;
        let real_parent = std::fs::canonicalize(parent)?;
        if !real_parent.starts_with(std::fs::canonicalize(&exercises_dir)?) {
            bail!(
                "refusing to reset {}: it is outside exercises/",
                file.display()
            );
        }
    }
    if std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::remove_file(&file)?;
    }
    crate::app_state::write_atomically(&file, &original)
        .with_context(|| format!("cannot write {}", file.display()))?;
    state.set_done(&ex.name, false);
    Ok(())
}
