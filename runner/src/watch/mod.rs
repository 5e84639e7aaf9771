//! `conc-lings watch`: the learner's loop. Save in any editor; the current exercise is checked again at once.
//!
//! One event loop owns all state and blocks on one channel: file events (notify), keys, and check results
//! arrive there from their own threads, so an idle watch uses no CPU. A save made while a check runs cancels
//! that check (every process it started carries a marker and is killed) and starts a new one: the verdict on
//! screen always belongs to the file as last saved, and no save is ever dropped.

mod events;
mod screen;

use crate::app_state::AppState;
use crate::check::{self, Target, Verdict};
use crate::cmd::Ctx;
use crate::exercise::Source;
use crate::i18n::{Lang, t};
use anyhow::Result;
use events::{Command, Event};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// Editors save in bursts (write a temp file, rename, touch): wait this long after the last event of a burst.
/// Short enough not to be felt, unlike a fixed 200 ms debounce.
const GRACE: Duration = Duration::from_millis(10);

/// What is shown below the verdict.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Panel {
    None,
    /// Hint levels 1..=n are shown.
    Hints(usize),
    Concept,
    List {
        selected: usize,
    },
    ConfirmReset,
    /// The result of checking every exercise: (passed, total).
    CheckedAll(usize, usize),
}

/// Everything the screen shows.
pub struct WatchState {
    pub current: usize,
    pub verdict: Option<Verdict>,
    /// A check of the current file is running (the old verdict stays on screen meanwhile).
    pub checking: bool,
    /// What the one-time build of the checker is compiling right now.
    pub building: Option<String>,
    pub panel: Panel,
    pub state: AppState,
    /// A one-line message: a notice, an error, "reset done".
    pub message: Option<String>,
    /// The interleaving is shown as lanes (one column per thread), with this step selected.
    pub lanes: bool,
    pub selected: usize,
    /// The first line of the verdict on screen, when it is longer than the screen.
    pub scroll: usize,
}

struct Running {
    generation: u64,
    marker: String,
}

pub fn run(ctx: Ctx, start_at: Option<&str>) -> Result<ExitCode> {
    if let Some(name) = start_at {
        ctx.ws.info.find(name, ctx.lang)?;
    }
    let interactive =
        console::Term::stdout().is_term() && std::io::IsTerminal::is_terminal(&std::io::stdin());
    let (tx, rx) = mpsc::channel::<Event>();
    let _watcher = events::watch_files(&ctx.ws.exercises_dir, tx.clone(), ctx.lang)?;
    // Shared with the check threads: the curriculum is read once, not on every save.
    let ctx = Arc::new(ctx);
    if interactive {
        events::read_keys(tx.clone());
    } else {
        events::read_stdin_commands(tx.clone());
    }

    let state = AppState::load(&ctx.ws.root, &ctx.ws.info, ctx.lang);
    let current_name =
        start_at.map_or_else(|| state.current(&ctx.ws.info).to_string(), String::from);
    let current = ctx
        .ws
        .info
        .exercises
        .iter()
        .position(|e| e.name == current_name)
        .unwrap_or(0);
    let mut w = WatchState {
        current,
        verdict: None,
        checking: false,
        building: None,
        panel: Panel::None,
        message: (!state.notices.is_empty()).then(|| state.notices.join("; ")),
        state,
        lanes: false,
        selected: 0,
        scroll: 0,
    };
    // What the last drawing showed: how far the verdict scrolls, how many steps the lanes can select.
    let mut shown = screen::Shown::default();
    // Builds started by this watch carry this marker: quitting stops them too.
    let builds = conc_check::supervise::new_marker();
    let mut screen = screen::Screen::new(interactive, ctx.color, ctx.lang);
    let mut generation = 0u64;
    let mut running: Option<Running> = None;
    // A save (or a switch of exercise) not yet checked, and when its burst of events last moved.
    let mut pending: Option<Instant> = Some(Instant::now() - GRACE);
    // The background build of the checkers of the other exercise kinds: running (its marker), or done.
    let mut prebuild = Prebuild::NotYet;

    loop {
        if let Some(since) = pending {
            if since.elapsed() >= GRACE {
                pending = None;
                if let Some(old) = running.take() {
                    conc_check::supervise::kill_marked(&old.marker);
                }
                // The learner's check must not wait for cargo's lock: the background build stops (cargo keeps
                // every crate it finished) and starts again after this verdict.
                prebuild.stop();
                generation += 1;
                running = Some(start_check(
                    &ctx,
                    w.current,
                    generation,
                    &builds,
                    tx.clone(),
                ));
                w.checking = true;
                shown = screen.draw(&ctx, &w);
            }
        }
        let event = match pending {
            Some(since) => match rx.recv_timeout(GRACE.saturating_sub(since.elapsed())) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => break,
            },
            None => match rx.recv() {
                Ok(event) => event,
                Err(_) => break,
            },
        };
        match event {
            Event::FileChanged(paths) => {
                let file = ctx.ws.exercise_file(&ctx.ws.info.exercises[w.current]);
                if paths.iter().any(|p| same_file(p, &file)) {
                    pending = Some(Instant::now());
                }
            }
            Event::BuildProgress(what) => {
                w.building = Some(what);
                shown = screen.draw(&ctx, &w);
            }
            Event::Checked(generation_done, result) => {
                if running
                    .as_ref()
                    .is_some_and(|r| r.generation == generation_done)
                {
                    running = None;
                    w.checking = false;
                    w.building = None;
                    match *result {
                        Ok(verdict) => record(&mut w, verdict),
                        Err(e) => w.message = Some(format!("{e:#}")),
                    }
                    shown = screen.draw(&ctx, &w);
                    if prebuild == Prebuild::NotYet {
                        prebuild = start_prebuild(&ctx, w.current, tx.clone());
                    }
                }
            }
            Event::Prebuilt(marker) => {
                // Built, or failed (the verdicts will say why): either way not again. One that was stopped
                // is `NotYet` already, and says so late.
                if prebuild == Prebuild::Running(marker) {
                    prebuild = Prebuild::Done;
                }
            }
            Event::CheckedAll(result) => {
                match result {
                    Ok(verdicts) => {
                        // Checking every exercise built every checker: nothing is left for the background.
                        if prebuild == Prebuild::NotYet {
                            prebuild = Prebuild::Done;
                        }
                        let passed = verdicts.iter().filter(|v| v.passed()).count();
                        for v in &verdicts {
                            w.state.set_done(&v.exercise, v.passed());
                        }
                        save(&mut w);
                        w.panel = Panel::CheckedAll(passed, verdicts.len());
                    }
                    Err(e) => w.message = Some(format!("{e:#}")),
                }
                shown = screen.draw(&ctx, &w);
            }
            Event::Command(command) => {
                let before = w.current;
                if handle(&ctx, &mut w, command, &tx, shown, &builds, &mut prebuild) {
                    break;
                }
                if w.current != before {
                    w.verdict = None;
                    w.state.progress.current = Some(ctx.ws.info.exercises[w.current].name.clone());
                    save(&mut w);
                    pending = Some(Instant::now() - GRACE);
                }
                shown = screen.draw(&ctx, &w);
            }
        }
    }
    if let Some(old) = running.take() {
        conc_check::supervise::kill_marked(&old.marker);
    }
    prebuild.stop();
    conc_check::supervise::kill_marked(&builds);
    screen.restore();
    Ok(ExitCode::SUCCESS)
}

/// The background build of the checkers that exercises of other kinds need: the first verdict waits only for
/// the current exercise's checker, and the others must not make the learner wait later.
#[derive(PartialEq, Eq)]
enum Prebuild {
    NotYet,
    Running(String),
    Done,
}

impl Prebuild {
    /// Stops a background build that is running; it starts again after the next verdict.
    fn stop(&mut self) {
        if let Prebuild::Running(marker) = self {
            conc_check::supervise::kill_marked(marker);
            *self = Prebuild::NotYet;
        }
    }
}

/// After a verdict: builds, at the lowest CPU priority, the program of the next exercise of every other kind of
/// checker, so that each model checker and its dependencies are built before the learner gets there. Ends with
/// `Event::Prebuilt`; cheap when everything is built already (cargo finds it fresh).
fn start_prebuild(ctx: &Arc<Ctx>, current: usize, tx: Sender<Event>) -> Prebuild {
    let exercises = &ctx.ws.info.exercises;
    let ahead = prebuild_targets(exercises, current);
    if ahead.is_empty() {
        return Prebuild::Done;
    }
    let marker = conc_check::supervise::new_marker();
    let mut options = ctx.check_options(None);
    options.build_marker = Some(marker.clone());
    options.low_priority = true;
    let ctx = Arc::clone(ctx);
    std::thread::spawn(move || {
        let ws = &ctx.ws;
        let targets: Vec<Target<'_>> = ahead
            .iter()
            .map(|&i| Target {
                exercise: &ws.info.exercises[i],
                source: Source::Exercise,
            })
            .collect();
        let _ = check::compile::build(ws, &targets, &options, &mut |_| {}, &mut |_, _| {});
        let _ = tx.send(Event::Prebuilt(options.build_marker.unwrap_or_default()));
    });
    Prebuild::Running(marker)
}

/// For each checker backend other than the current exercise's, the next exercise (after `current`, wrapping
/// around) that uses it. Not the compile exercises: their files as shipped do not compile.
fn prebuild_targets(exercises: &[crate::info_file::ExerciseInfo], current: usize) -> Vec<usize> {
    use check::compile::Backend;
    let mut seen = vec![Backend::of(exercises[current].kind)];
    let mut ahead = Vec::new();
    for step in 1..exercises.len() {
        let i = (current + step) % exercises.len();
        let backend = Backend::of(exercises[i].kind);
        if !seen.contains(&backend) && exercises[i].kind != crate::info_file::CheckKind::Compile {
            seen.push(backend);
            ahead.push(i);
        }
    }
    ahead
}

/// Starts checking exercise `index` on a thread; its verdict comes back as `Event::Checked(generation, …)`.
fn start_check(
    ctx: &Arc<Ctx>,
    index: usize,
    generation: u64,
    builds: &str,
    tx: Sender<Event>,
) -> Running {
    let marker = conc_check::supervise::new_marker();
    let mut options = ctx.check_options(None);
    options.marker = Some(marker.clone());
    options.build_marker = Some(builds.to_string());
    let ctx = Arc::clone(ctx);
    std::thread::spawn(move || {
        let result = {
            let ws = &ctx.ws;
            let exercise = &ws.info.exercises[index];
            let target = Target {
                exercise,
                source: Source::Exercise,
            };
            let progress_tx = tx.clone();
            let started = Instant::now();
            let lang = ctx.lang;
            let mut on_progress = move |step: check::compile::BuildStep<'_>| {
                let status = build_status(&step, started.elapsed(), lang);
                let _ = progress_tx.send(Event::BuildProgress(status));
            };
            check::check_one(ws, target, &options, &mut on_progress)
        };
        let _ = tx.send(Event::Checked(generation, Box::new(result)));
    });
    Running { generation, marker }
}

/// What the checker build is at: `[done/total] crate`, and once the pace shows, about how long it has left
/// (the crates still to build, at the pace of those built so far, rounded up to 5 s).
fn build_status(step: &check::compile::BuildStep<'_>, elapsed: Duration, lang: Lang) -> String {
    let Some(total) = step.total else {
        return format!("[{}] {}", step.done, step.krate);
    };
    let mut status = format!("[{}/{total}] {}", step.done, step.krate);
    if step.done >= 5 && elapsed >= Duration::from_secs(5) && step.done < total {
        let left = elapsed.as_secs_f64() * (total - step.done) as f64 / step.done as f64;
        let left = ((left / 5.0).ceil() as u64).max(1) * 5;
        status.push_str(&match lang {
            Lang::Ko => format!(", 약 {left}초 남음"),
            Lang::En => format!(", about {left} s left"),
        });
    }
    status
}

fn record(w: &mut WatchState, verdict: Verdict) {
    let passed = verdict.passed();
    if w.state.set_done(&verdict.exercise, passed) {
        save(w);
    }
    if passed {
        w.panel = Panel::None;
    }
    w.verdict = Some(verdict);
    w.selected = 0;
    w.scroll = 0;
}

fn save(w: &mut WatchState) {
    if let Err(e) = w.state.save() {
        w.message = Some(format!("{e:#}"));
    }
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    a == b
        || std::fs::canonicalize(a)
            .ok()
            .zip(std::fs::canonicalize(b).ok())
            .is_some_and(|(x, y)| x == y)
}

/// Applies a key or command; returns true to quit. `shown` is what the screen last showed.
fn handle(
    ctx: &Arc<Ctx>,
    w: &mut WatchState,
    command: Command,
    tx: &Sender<Event>,
    shown: screen::Shown,
    builds: &str,
    prebuild: &mut Prebuild,
) -> bool {
    let count = ctx.ws.info.exercises.len();
    let lang = ctx.lang;
    w.message = None;
    if let Panel::ConfirmReset = w.panel {
        w.panel = Panel::None;
        if command == Command::Yes {
            let ex = &ctx.ws.info.exercises[w.current];
            match crate::cmd::reset_one(ctx, &mut w.state, ex) {
                Ok(()) => {
                    save(w);
                    w.message = Some(format!("{} {}", t(lang, "reset", "되돌림:"), ex.path));
                }
                Err(e) => w.message = Some(format!("{e:#}")),
            }
        }
        return false;
    }
    if let Panel::List { selected } = w.panel {
        match command {
            Command::Up => {
                w.panel = Panel::List {
                    selected: selected.saturating_sub(1),
                }
            }
            Command::Down => {
                w.panel = Panel::List {
                    selected: (selected + 1).min(count - 1),
                }
            }
            Command::Enter => {
                w.current = selected;
                w.panel = Panel::None;
            }
            Command::Quit => return true,
            _ => w.panel = Panel::None,
        }
        return false;
    }
    match command {
        Command::Next => w.current = (w.current + 1).min(count - 1),
        Command::Previous => w.current = w.current.saturating_sub(1),
        Command::Hint => {
            let levels = ctx.ws.info.exercises[w.current].hints.len();
            w.panel = match w.panel {
                Panel::Hints(n) if n < levels => Panel::Hints(n + 1),
                Panel::Hints(n) => {
                    w.message =
                        Some(t(lang, "that was the last hint", "마지막 힌트였습니다").to_string());
                    Panel::Hints(n)
                }
                _ => Panel::Hints(1),
            };
        }
        Command::Concept => {
            w.panel = if w.panel == Panel::Concept {
                Panel::None
            } else {
                Panel::Concept
            }
        }
        Command::List => {
            w.panel = Panel::List {
                selected: w.current,
            }
        }
        Command::CheckAll => {
            w.message = Some(
                t(
                    lang,
                    "checking every exercise…",
                    "모든 연습 문제를 검사하는 중…",
                )
                .to_string(),
            );
            // Checking every exercise builds every checker at normal priority; the low-priority background
            // build would only hold cargo's lock ahead of it.
            prebuild.stop();
            check_all(ctx, builds, tx.clone());
        }
        Command::Reset => w.panel = Panel::ConfirmReset,
        Command::Quit => return true,
        Command::Lanes => {
            w.lanes = !w.lanes;
            w.selected = 0;
            w.scroll = 0;
        }
        Command::Up
        | Command::Down
        | Command::PageUp
        | Command::PageDown
        | Command::Home
        | Command::End => {
            // In the lanes the keys choose a step (the screen keeps it in view); otherwise they scroll.
            let (position, last) = if w.lanes && shown.steps > 0 {
                (&mut w.selected, shown.steps - 1)
            } else {
                (&mut w.scroll, shown.max_scroll)
            };
            let page = shown.page.max(1);
            *position = match command {
                Command::Up => position.saturating_sub(1),
                Command::Down => *position + 1,
                Command::PageUp => position.saturating_sub(page),
                Command::PageDown => *position + page,
                Command::Home => 0,
                _ => last,
            }
            .min(last);
        }
        Command::Yes | Command::Enter | Command::Other => {}
    }
    false
}

fn check_all(ctx: &Arc<Ctx>, builds: &str, tx: Sender<Event>) {
    let mut options = ctx.check_options(None);
    options.build_marker = Some(builds.to_string());
    let ctx = Arc::clone(ctx);
    std::thread::spawn(move || {
        let result = {
            let ws = &ctx.ws;
            let targets = Target::every_exercise(ws);
            check::check_all(ws, &targets, &options, &mut |_| {})
        };
        let _ = tx.send(Event::CheckedAll(result));
    });
}

/// The exercise file's path, for the screen.
pub fn exercise_path(ctx: &Ctx, w: &WatchState) -> PathBuf {
    ctx.ws.exercise_file(&ctx.ws.info.exercises[w.current])
}

#[cfg(test)]
mod tests {
    use super::{build_status, prebuild_targets};
    use crate::check::compile::{Backend, BuildStep};
    use crate::i18n::Lang;
    use crate::info_file::{CheckKind, InfoFile};
    use std::time::Duration;

    #[test]
    fn the_build_status_says_how_long_is_left_once_the_pace_shows() {
        // (crates done, of how many, seconds so far, language, the status)
        let cases = [
            // Too early to tell: the first crates and the first seconds.
            (4, Some(40), 20, Lang::En, "[4/40] syn"),
            (10, Some(40), 4, Lang::En, "[10/40] syn"),
            // 10 of 40 crates in 20 s: 30 more at that pace, 60 s.
            (10, Some(40), 20, Lang::En, "[10/40] syn, about 60 s left"),
            // Rounded up to 5 s: 30 * 21 / 10 = 63 s.
            (10, Some(40), 21, Lang::Ko, "[10/40] syn, 약 65초 남음"),
            // The last crate, or a build whose size cargo did not say: no estimate.
            (40, Some(40), 80, Lang::En, "[40/40] syn"),
            (10, None, 20, Lang::En, "[10] syn"),
        ];
        for (done, total, secs, lang, status) in cases {
            let step = BuildStep {
                done,
                total,
                krate: "syn",
            };
            assert_eq!(
                build_status(&step, Duration::from_secs(secs), lang),
                status,
                "{done}/{total:?} in {secs} s"
            );
        }
    }

    #[test]
    fn the_background_build_takes_the_next_exercise_of_each_other_checker_and_never_a_compile_exercise()
     {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let info = InfoFile::load(root).unwrap();
        let exercises = &info.exercises;
        for current in 0..exercises.len() {
            let ahead = prebuild_targets(exercises, current);
            let mine = Backend::of(exercises[current].kind);
            let mut backends: Vec<Backend> = ahead
                .iter()
                .map(|&i| Backend::of(exercises[i].kind))
                .collect();
            assert!(!backends.contains(&mine), "not the current checker again");
            assert!(
                ahead
                    .iter()
                    .all(|&i| exercises[i].kind != CheckKind::Compile)
            );
            backends.sort();
            backends.dedup();
            assert_eq!(backends.len(), ahead.len(), "one exercise per checker");
            // All three checkers are built once the first verdict has been shown.
            assert_eq!(ahead.len(), 2, "from {}", exercises[current].name);
            // The nearest one ahead: no exercise between `current` and it uses that checker.
            for &i in &ahead {
                let between = (1..exercises.len())
                    .map(|s| (current + s) % exercises.len())
                    .take_while(|&j| j != i);
                for j in between {
                    assert!(
                        Backend::of(exercises[j].kind) != Backend::of(exercises[i].kind)
                            || exercises[j].kind == CheckKind::Compile,
                        "{} comes before {}",
                        exercises[j].name,
                        exercises[i].name
                    );
                }
            }
        }
    }
}
