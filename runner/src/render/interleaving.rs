//! The failing interleaving, in the learner's own source lines: one line per step, indented by thread, with
//! the value read or written, who holds which lock, and — for a deadlock — what every thread is waiting for.

use super::calls::{CallSite, Functions};
use super::names::{Sources, object_names};
use crate::i18n::{Lang, t};
use conc_check::report::{Op, SourceLine, Trace, TraceEvent};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Steps shown when not verbose; the rest are summarised in one line.
const SHOWN_STEPS: usize = 30;

pub struct Options<'a> {
    pub lang: Lang,
    pub verbose: bool,
    /// The workspace root: trace paths are relative to it.
    pub root: &'a Path,
    /// The file the learner edits, relative to the root: its steps are the ones that matter.
    pub learner_file: &'a str,
    /// The terminal's width, when known: the list shortens code to fit it, the lanes divide it.
    pub width: Option<usize>,
    pub view: View,
}

/// How the interleaving is laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// One line per step, threads indented.
    #[default]
    List,
    /// One column per thread, time downwards; the code of the selected step (or of every line, once) below.
    Lanes { selected: Option<usize> },
}

/// One rendered step.
pub(super) struct Step {
    pub thread: usize,
    pub at: Option<SourceLine>,
    pub effect: String,
    /// Steps that only set the scene (spawn, join, exit) are dropped first when cutting.
    scenery: bool,
    /// The event it shows, as an index into the trace's events.
    pub index: usize,
}

/// The steps of a trace that are shown, and what is left out of it.
pub(super) struct Shown {
    /// For an execution too long to record whole: the earlier steps the end still depends on.
    pub kept: Vec<(Step, usize)>,
    /// The last steps (each with how many times it repeated).
    pub recorded: Vec<(Step, usize)>,
    /// Steps recorded but not shown (not verbose).
    pub hidden: usize,
    /// Steps never recorded.
    pub dropped: usize,
}

impl Shown {
    pub(super) fn of(
        trace: &Trace,
        names: &HashMap<usize, String>,
        options: &Options<'_>,
    ) -> Shown {
        // A very long execution was recorded in part: first the earlier steps that the rest still depends on,
        // then a gap, then the last steps. The two parts are folded separately: the gap lies between them.
        let (kept, recorded): (Vec<Step>, Vec<Step>) = steps(trace, names, options)
            .into_iter()
            .partition(|s| s.index < trace.kept);
        let kept = collapse_repeats(kept);
        let mut recorded = collapse_repeats(recorded);
        let mut hidden = 0;
        if !options.verbose && recorded.len() > SHOWN_STEPS {
            // The end of an execution is where it went wrong: keep the last steps.
            let cut = recorded.len() - SHOWN_STEPS;
            hidden = recorded[..cut].iter().map(|(_, n)| n).sum::<usize>();
            recorded.drain(..cut);
        }
        Shown {
            kept,
            recorded,
            hidden,
            dropped: trace.dropped,
        }
    }

    /// What lies between the kept steps and the last ones, in words.
    pub(super) fn gap_lines(&self, lang: Lang) -> Vec<String> {
        let (dropped, hidden) = (self.dropped, self.hidden);
        let mut lines = Vec::new();
        if dropped > 0 {
            // These steps are gone for good: `--verbose` cannot show them, so do not say it can.
            lines.push(match (lang, self.kept.is_empty()) {
                (Lang::En, false) => format!(
                    "… {dropped} more steps not recorded (too long to keep them all); above: the earlier steps the end still depends on"
                ),
                (Lang::Ko, false) => format!(
                    "… 그다음 {dropped}단계는 기록하지 않았습니다 (너무 길어 모두 남길 수 없음). 위는 끝까지 영향을 주는 앞선 단계들입니다"
                ),
                (Lang::En, true) => {
                    format!("… {dropped} earlier steps not recorded (too long to keep them all)")
                }
                (Lang::Ko, true) => format!(
                    "… 앞선 {dropped}단계는 기록하지 않았습니다 (너무 길어 모두 남길 수 없음)"
                ),
            });
        }
        if hidden > 0 {
            lines.push(match lang {
                Lang::En => format!("… {hidden} earlier steps not shown (--verbose shows them)"),
                Lang::Ko => {
                    format!("… 앞선 {hidden}단계는 생략했습니다 (--verbose로 모두 볼 수 있습니다)")
                }
            });
        }
        lines
    }
}

/// The interleaving as text lines (no trailing newline): a list of steps, or lanes (one column per thread).
pub fn render(trace: &Trace, options: &Options<'_>) -> Vec<String> {
    let names = object_names(trace, options.root);
    let shown = Shown::of(trace, &names, options);
    match options.view {
        View::List => list(&shown, trace, options),
        View::Lanes { selected } => super::lanes::render(&shown, trace, options, selected),
    }
}

/// How many steps the interleaving shows (the rows a learner can select in the lanes view).
pub fn shown_steps(trace: &Trace, options: &Options<'_>) -> usize {
    let names = object_names(trace, options.root);
    let shown = Shown::of(trace, &names, options);
    shown.kept.len() + shown.recorded.len()
}

/// One line per step: the thread, what it did (values first, so they are never cut), then the line of code.
fn list(shown: &Shown, trace: &Trace, options: &Options<'_>) -> Vec<String> {
    let lang = options.lang;
    let mut sources = Sources::new(options.root);
    let threads: BTreeSet<usize> = trace.events.iter().map(|e| e.thread).collect();
    let width = threads
        .iter()
        .map(|&th| console::measure_text_width(&thread_label(th, lang)))
        .max()
        .unwrap_or(4);

    let row = |(step, repeat): &(Step, usize), sources: &mut Sources| {
        let label = thread_label(step.thread, lang);
        let indent = "  ".repeat(step.thread.min(6));
        let place = match &step.at {
            Some(at) => {
                let file = file_label(&at.file, options);
                let code = sources.line(&at.file, at.line).unwrap_or_default();
                format!("{file}:{:<4} {code}", at.line)
            }
            None => String::new(),
        };
        let times = if *repeat > 1 {
            format!("  (×{repeat})")
        } else {
            String::new()
        };
        let label_pad = width.saturating_sub(console::measure_text_width(&label));
        (
            format!("{label}{}", " ".repeat(label_pad)),
            format!("{indent}{}{times}", step.effect),
            place,
        )
    };
    let kept_rows: Vec<(String, String, String)> =
        shown.kept.iter().map(|s| row(s, &mut sources)).collect();
    let rows: Vec<(String, String, String)> = shown
        .recorded
        .iter()
        .map(|s| row(s, &mut sources))
        .collect();
    // Line the code up in one column, unless a very long effect would push it off the screen.
    let column = kept_rows
        .iter()
        .chain(&rows)
        .map(|(_, effect, _)| console::measure_text_width(effect))
        .filter(|&n| n <= 56)
        .max()
        .unwrap_or(0);
    let line = |(label, effect, place): &(String, String, String)| {
        let head = format!("  {label} │ {effect}");
        if place.is_empty() {
            return head;
        }
        let pad = column.saturating_sub(console::measure_text_width(effect));
        let head = format!("{head}{}   ", " ".repeat(pad));
        let place = match options.width {
            // Code is shortened from the right to fit; the place itself (file:line) always shows.
            Some(width) => {
                let room = width.saturating_sub(console::measure_text_width(&head));
                let at = place.split_whitespace().next().unwrap_or_default();
                if console::measure_text_width(place) <= room {
                    place.clone()
                } else if room > console::measure_text_width(at) + 4 {
                    console::truncate_str(place, room, "…").into_owned()
                } else {
                    at.to_string()
                }
            }
            None => place.clone(),
        };
        format!("{head}{place}").trim_end().to_string()
    };

    let mut lines: Vec<String> = kept_rows.iter().map(line).collect();
    lines.extend(shown.gap_lines(lang).into_iter().map(|l| format!("  {l}")));
    lines.extend(rows.iter().map(line));
    lines
}

/// What every thread still alive is stuck on at the end of the trace (for a deadlock).
pub fn stuck(trace: &Trace, options: &Options<'_>) -> Vec<String> {
    let names = object_names(trace, options.root);
    let lang = options.lang;
    let holders = lock_holders(&trace.events);
    let mut last: BTreeMap<usize, &TraceEvent> = BTreeMap::new();
    for e in &trace.events {
        last.insert(e.thread, e);
    }
    let mut parsed = HashMap::new();
    let mut lines = Vec::new();
    for (thread, event) in last {
        let name = |obj: &usize| names.get(obj).cloned().unwrap_or_else(|| format!("#{obj}"));
        let what = match &event.op {
            Op::Exit => continue,
            Op::Lock { obj, .. } => {
                let held_by: Vec<String> = holders
                    .get(obj)
                    .map(|h| {
                        h.iter()
                            .filter(|&&o| o != thread)
                            .map(|&o| thread_label(o, lang))
                            .collect()
                    })
                    .unwrap_or_default();
                match (lang, held_by.is_empty()) {
                    (Lang::En, false) => format!(
                        "waits for lock `{}`, held by {}",
                        name(obj),
                        held_by.join(", ")
                    ),
                    (Lang::Ko, false) => format!(
                        "락 `{}` 대기 중 (잡고 있는 스레드: {})",
                        name(obj),
                        held_by.join(", ")
                    ),
                    (Lang::En, true) => {
                        format!("waits for lock `{}`, which it holds itself", name(obj))
                    }
                    (Lang::Ko, true) => {
                        format!("락 `{}` 대기 중: 이미 자기가 잡고 있는 락입니다", name(obj))
                    }
                }
            }
            Op::Wait { cv, .. } => match lang {
                Lang::En => format!(
                    "sleeps on `{}`, and no thread is left to notify it",
                    name(cv)
                ),
                Lang::Ko => format!(
                    "`{}`에서 잠들었고, 깨워 줄 스레드가 남아 있지 않습니다",
                    name(cv)
                ),
            },
            Op::Join { child } => match lang {
                Lang::En => format!("waits for {} to finish", thread_label(*child, lang)),
                Lang::Ko => format!("{} 종료를 기다립니다", thread_label(*child, lang)),
            },
            Op::Recv { obj } => match lang {
                Lang::En => format!("waits for a message on `{}`", name(obj)),
                Lang::Ko => format!("`{}`에서 메시지를 기다립니다", name(obj)),
            },
            Op::Send { obj } => match lang {
                Lang::En => format!("waits for room in `{}`", name(obj)),
                Lang::Ko => format!("`{}`에 빈자리가 나기를 기다립니다", name(obj)),
            },
            Op::BarrierWait { obj } => match lang {
                Lang::En => format!(
                    "waits at barrier `{}` for threads that never arrive",
                    name(obj)
                ),
                Lang::Ko => format!("배리어 `{}`에서 오지 않는 스레드를 기다립니다", name(obj)),
            },
            _ => continue,
        };
        let at = match &event.at {
            Some(a) => {
                let file = file_label(&a.file, options);
                match call_site(trace, event, options, &mut parsed) {
                    Some(call) => match lang {
                        Lang::En => format!(
                            " ({file}:{} in `{}`, called at {file}:{})",
                            a.line, call.callee, call.line
                        ),
                        Lang::Ko => format!(
                            " ({file}:{}의 `{}`, 호출한 곳 {file}:{})",
                            a.line, call.callee, call.line
                        ),
                    },
                    None => format!(" ({file}:{})", a.line),
                }
            }
            None => String::new(),
        };
        let colon = if lang == Lang::Ko { ":" } else { "" };
        lines.push(format!(
            "  {}{colon} {what}{at}",
            thread_label(thread, lang)
        ));
    }
    lines
}

/// For a thread's last step inside a function that it entered from another one (a helper such as `in_stock()`
/// called from `sell()`): that function and the line of the call, read from the source.
/// `parsed` keeps each file's functions, read once for all the threads.
fn call_site(
    trace: &Trace,
    last: &TraceEvent,
    options: &Options<'_>,
    parsed: &mut HashMap<String, Option<Functions>>,
) -> Option<CallSite> {
    let at = last.at.as_ref()?;
    let functions = parsed
        .entry(at.file.clone())
        .or_insert_with(|| Functions::of_file(&options.root.join(&at.file)))
        .as_ref()?;
    let line = at.line as usize;
    // The thread's steps before, latest first, in the same file: the first one outside the step's function is
    // where the thread came from.
    let earlier = trace
        .events
        .iter()
        .rev()
        .filter(|e| e.thread == last.thread && !std::ptr::eq(*e, last))
        .filter_map(|e| e.at.as_ref())
        .filter(|a| a.file == at.file)
        .map(|a| a.line as usize)
        .find(|&before| !functions.same_function(line, before))?;
    functions.call_into(line, earlier)
}

/// Where each thread still alive was at the end of an execution that never finished: the lines it kept running,
/// or that it did not run at all, with its last step (what it read, what it failed to take).
pub fn whereabouts(trace: &Trace, options: &Options<'_>) -> Vec<String> {
    let names = object_names(trace, options.root);
    let lang = options.lang;
    let all = steps(trace, &names, options);
    let recorded: Vec<&Step> = all.iter().filter(|s| s.index >= trace.kept).collect();
    let total = recorded.len();
    let mut last_op: BTreeMap<usize, &Op> = BTreeMap::new();
    for e in &trace.events {
        last_op.insert(e.thread, &e.op);
    }
    let place = |at: &SourceLine| format!("{}:{}", file_label(&at.file, options), at.line);
    let mut lines = Vec::new();
    for (thread, op) in last_op {
        if matches!(op, Op::Exit) {
            continue;
        }
        let Some(last) = all.iter().rev().find(|s| s.thread == thread) else {
            continue;
        };
        let label = thread_label(thread, lang);
        let last_at = last.at.as_ref().map(place).unwrap_or_default();
        let mine: Vec<&&Step> = recorded.iter().filter(|s| s.thread == thread).collect();
        let line = if mine.is_empty() {
            match lang {
                Lang::En => format!(
                    "{label} did not run in the last {total} steps; its last step: {} ({last_at})",
                    last.effect
                ),
                Lang::Ko => format!(
                    "{label}: 마지막 {total}단계 동안 실행되지 않았습니다. 마지막 단계는 {last_at}의 {}",
                    last.effect
                ),
            }
        } else {
            let mut at: Vec<String> = Vec::new();
            for s in &mine {
                if let Some(p) = s.at.as_ref().map(place)
                    && !at.contains(&p)
                {
                    at.push(p);
                }
            }
            let more = at.len().saturating_sub(3);
            at.truncate(3);
            let mut at = at.join(", ");
            if more > 0 {
                at.push_str(&match lang {
                    Lang::En => format!(" and {more} more lines"),
                    Lang::Ko => format!(" 외 {more}줄"),
                });
            }
            let n = mine.len();
            match lang {
                Lang::En => format!(
                    "{label} ran {n} of the last {total} steps, over and over at {at}; its last step: {}",
                    last.effect
                ),
                Lang::Ko => format!(
                    "{label}: 마지막 {total}단계 중 {n}단계를 {at}에서 되풀이했습니다. 마지막 단계는 {}",
                    last.effect
                ),
            }
        };
        lines.push(format!("  {line}"));
    }
    lines
}

/// Which thread holds which lock at the end of the trace (for an execution that never finished).
pub fn holding(trace: &Trace, options: &Options<'_>) -> Vec<String> {
    let names = object_names(trace, options.root);
    let mut held: Vec<(usize, usize)> = lock_holders(&trace.events)
        .into_iter()
        .flat_map(|(obj, threads)| threads.into_iter().map(move |t| (t, obj)))
        .collect();
    held.sort();
    held.into_iter()
        .map(|(thread, obj)| {
            let name = names
                .get(&obj)
                .cloned()
                .unwrap_or_else(|| format!("#{obj}"));
            match options.lang {
                Lang::En => format!("  {} holds `{name}`", thread_label(thread, options.lang)),
                Lang::Ko => format!("  {}: `{name}` 보유", thread_label(thread, options.lang)),
            }
        })
        .collect()
}

/// The last access to an UnsafeCell (where loom saw the data race).
pub fn last_cell_access(trace: &Trace) -> Option<&TraceEvent> {
    trace
        .events
        .iter()
        .rev()
        .find(|e| matches!(e.op, Op::CellAccess { .. }))
}

/// "T1 at file:line  <code>" for one event.
pub fn describe_at(event: &TraceEvent, options: &Options<'_>) -> String {
    let label = thread_label(event.thread, options.lang);
    match &event.at {
        Some(at) => {
            let code = Sources::new(options.root)
                .line(&at.file, at.line)
                .unwrap_or_default();
            format!(
                "{label} @ {}:{}   {code}",
                file_label(&at.file, options),
                at.line
            )
        }
        None => label,
    }
}

pub fn thread_label(thread: usize, lang: Lang) -> String {
    match (thread, lang) {
        (0, Lang::En) => "main".into(),
        (0, Lang::Ko) => "메인".into(),
        (n, _) => format!("T{n}"),
    }
}

/// The learner's file by its name; anything else is the check's.
pub(super) fn file_label(file: &str, options: &Options<'_>) -> String {
    if file == options.learner_file {
        short(file)
    } else {
        t(options.lang, "check", "검사").to_string()
    }
}

pub fn short(file: &str) -> String {
    Path::new(file)
        .file_name()
        .map_or(file.to_string(), |f| f.to_string_lossy().into_owned())
}

/// Which threads hold each lock at the end of the trace.
fn lock_holders(events: &[TraceEvent]) -> HashMap<usize, Vec<usize>> {
    let mut holders = Holders::default();
    for e in events {
        holders.track(e);
    }
    holders
        .held
        .into_iter()
        .map(|(obj, h)| (obj, h.into_iter().map(|(t, _)| t).collect()))
        .collect()
}

/// Who holds which lock, kept up to date event by event.
#[derive(Default)]
pub(super) struct Holders {
    /// lock → (thread, the line that took it), in the order taken.
    pub held: HashMap<usize, Vec<(usize, Option<SourceLine>)>>,
    /// lock → (thread, condition variable, the line that took the lock): the thread was recorded going to sleep,
    /// which releases the lock, but the model checker may run other threads before the release itself. Until
    /// someone takes the lock again, a thread that fails to get it failed because this one still had it.
    releasing: HashMap<usize, (usize, usize, Option<SourceLine>)>,
}

impl Holders {
    /// Updates who holds which lock after one event.
    pub(super) fn track(&mut self, e: &TraceEvent) {
        match &e.op {
            Op::Locked { obj, .. }
            | Op::TryLock { obj, ok: true, .. }
            | Op::Woken { lock: obj, .. } => {
                self.held
                    .entry(*obj)
                    .or_default()
                    .push((e.thread, e.at.clone()));
                self.releasing.remove(obj);
            }
            Op::Unlock { obj, .. } => {
                self.release(*obj, e.thread);
            }
            Op::Wait { cv, lock } => {
                if let Some(at) = self.release(*lock, e.thread) {
                    self.releasing.insert(*lock, (e.thread, *cv, at));
                }
            }
            _ => {}
        }
    }

    /// `thread` lets go of `obj`; returns where it had taken it, if it held it.
    fn release(&mut self, obj: usize, thread: usize) -> Option<Option<SourceLine>> {
        let h = self.held.get_mut(&obj)?;
        let i = h.iter().rposition(|(t, _)| *t == thread)?;
        Some(h.remove(i).1)
    }
}

/// Turns events into steps: a lock taken at once is one step; a lock that had to wait is two ("waits", "gets").
fn steps(trace: &Trace, names: &HashMap<usize, String>, options: &Options<'_>) -> Vec<Step> {
    let lang = options.lang;
    let name = |obj: &usize| {
        format!(
            "`{}`",
            names.get(obj).cloned().unwrap_or_else(|| format!("#{obj}"))
        )
    };
    let events = &trace.events;
    let mut waiting_on: HashMap<usize, BTreeSet<usize>> = HashMap::new(); // condvar → sleeping threads
    // Who holds which lock before event `i`, kept up to date as the loop goes (the arms below may `continue`).
    let mut holders = Holders::default();
    // The stores to each atomic before event `i`, in order (a load may read an older one), kept the same way.
    let mut stores: HashMap<usize, Vec<&TraceEvent>> = HashMap::new();
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if let Some(previous) = i.checked_sub(1).map(|p| &events[p]) {
            holders.track(previous);
            if let Some((obj, _)) = stored(&previous.op) {
                stores.entry(obj).or_default().push(previous);
            }
        }
        let en_ko = |en: String, ko: String| if lang == Lang::En { en } else { ko };
        let (effect, scenery) = match &e.op {
            Op::Spawn { child } => (
                en_ko(
                    format!("starts {}", thread_label(*child, lang)),
                    format!("{} 시작", thread_label(*child, lang)),
                ),
                true,
            ),
            Op::Join { child } => (
                en_ko(
                    format!("waits for {} to finish", thread_label(*child, lang)),
                    format!("{} 종료를 기다림", thread_label(*child, lang)),
                ),
                true,
            ),
            Op::Exit => (en_ko("finishes".into(), "끝남".into()), true),
            Op::Lock { obj, shared } => {
                // Taken at once if this thread's very next event is getting it, or if nobody else holds it (the
                // thread was only preempted): then the `Locked` step says all there is to say.
                let next_is_locked = matches!(events.get(i + 1), Some(n) if n.thread == e.thread && matches!(n.op, Op::Locked { .. }));
                let held_by_other = holders
                    .held
                    .get(obj)
                    .is_some_and(|h| h.iter().any(|(t, _)| *t != e.thread));
                if next_is_locked || !held_by_other {
                    continue;
                }
                let kind = if *shared {
                    t(lang, "read lock", "읽기 락")
                } else {
                    t(lang, "lock", "락")
                };
                (
                    en_ko(
                        format!("waits for {kind} {}", name(obj)),
                        format!("{kind} {} 대기", name(obj)),
                    ),
                    false,
                )
            }
            Op::Locked { obj, shared } => {
                let kind = if *shared {
                    t(lang, "read-locks", "읽기 락 획득")
                } else {
                    t(lang, "locks", "락 획득")
                };
                (format!("{kind} {}", name(obj)), false)
            }
            Op::TryLock { obj, ok: true, .. } => (
                en_ko(
                    format!("try_lock {} succeeds", name(obj)),
                    format!("try_lock {} 성공", name(obj)),
                ),
                false,
            ),
            Op::TryLock { obj, ok: false, .. } => (
                failed_try_lock(&name(obj), e.thread, &holders, *obj, names, options),
                false,
            ),
            Op::Unlock { obj, .. } => (
                en_ko(
                    format!("releases {}", name(obj)),
                    format!("{} 해제", name(obj)),
                ),
                false,
            ),
            Op::Wait { cv, lock } => {
                waiting_on.entry(*cv).or_default().insert(e.thread);
                (
                    en_ko(
                        format!("releases {} and sleeps on {}", name(lock), name(cv)),
                        format!("{} 해제 후 {}에서 잠듦", name(lock), name(cv)),
                    ),
                    false,
                )
            }
            Op::Woken {
                cv,
                lock,
                timed_out,
                spurious,
            } => {
                if let Some(w) = waiting_on.get_mut(cv) {
                    w.remove(&e.thread);
                }
                let how = if *timed_out {
                    t(lang, "times out", "시간 초과")
                } else if *spurious {
                    t(
                        lang,
                        "wakes up with no notify (a spurious wake-up, which std allows)",
                        "notify 없이 깨어남 (std가 허용하는 가짜 깨어남)",
                    )
                } else {
                    t(lang, "wakes up", "깨어남")
                };
                (
                    en_ko(
                        format!("{how}, holds {} again", name(lock)),
                        format!("{how}, {} 다시 획득", name(lock)),
                    ),
                    false,
                )
            }
            Op::Notify { cv, all } => {
                let method = if *all { "notify_all" } else { "notify_one" };
                let sleepers: Vec<usize> = waiting_on
                    .get(cv)
                    .map(|w| w.iter().copied().collect())
                    .unwrap_or_default();
                // A thread records "sleeps" just before it really waits; a notify in that gap reaches nobody.
                // If none of the sleepers ever wakes from this condvar afterwards, the signal was lost.
                let ever_woken = events[i + 1..].iter().any(|later| {
                    matches!(later.op, Op::Woken { cv: c, .. } if c == *cv)
                        && sleepers.contains(&later.thread)
                });
                let effect = if sleepers.is_empty() {
                    en_ko(
                        format!(
                            "{method} on {}: nobody is sleeping there, so nothing happens",
                            name(cv)
                        ),
                        format!(
                            "{} {method}: 잠든 스레드가 없어 아무 일도 일어나지 않음",
                            name(cv)
                        ),
                    )
                } else if !ever_woken {
                    let who: Vec<String> =
                        sleepers.iter().map(|&t| thread_label(t, lang)).collect();
                    en_ko(
                        format!(
                            "{method} on {}: {} was not asleep yet, so the signal is lost",
                            name(cv),
                            who.join(", ")
                        ),
                        format!(
                            "{} {method}: 스레드({})가 아직 잠들기 전이라 신호가 사라짐",
                            name(cv),
                            who.join(", ")
                        ),
                    )
                } else {
                    en_ko(
                        format!("{method} on {}", name(cv)),
                        format!("{} {method}", name(cv)),
                    )
                };
                (effect, false)
            }
            Op::Load { obj, value } => {
                let read = en_ko(
                    format!("reads {} = {value}", name(obj)),
                    format!("{} 읽음 = {value}", name(obj)),
                );
                // Only with the whole execution recorded: a store left out would make any read look stale.
                let stale = (trace.dropped == 0)
                    .then(|| stale_read(stores.get(obj).map_or(&[], Vec::as_slice), value))
                    .flatten();
                let effect = match stale {
                    None => read,
                    Some((latest, Some(older))) => en_ko(
                        format!(
                            "{read}: an older value (stored by {}); the latest store, by {}, wrote {}",
                            place(older, options),
                            place(latest, options),
                            written(latest)
                        ),
                        format!(
                            "{read} (옛 값: {}에서 저장. 가장 최근 저장은 {}의 {})",
                            place(older, options),
                            place(latest, options),
                            written(latest)
                        ),
                    ),
                    Some((latest, None)) => en_ko(
                        format!(
                            "{read}: the initial value; the latest store, by {}, wrote {}",
                            place(latest, options),
                            written(latest)
                        ),
                        format!(
                            "{read} (처음 값. 가장 최근 저장은 {}의 {})",
                            place(latest, options),
                            written(latest)
                        ),
                    ),
                };
                (effect, false)
            }
            Op::Store { obj, value } => (
                en_ko(
                    format!("writes {} = {value}", name(obj)),
                    format!("{}에 씀 = {value}", name(obj)),
                ),
                false,
            ),
            Op::Update {
                obj,
                method,
                old,
                new,
            } => (format!("{method}: {} {old} → {new}", name(obj)), false),
            Op::CompareExchange {
                obj,
                current,
                new,
                ok,
            } => (
                if *ok {
                    en_ko(
                        format!("compare_exchange succeeds: {} {current} → {new}", name(obj)),
                        format!("compare_exchange 성공: {} {current} → {new}", name(obj)),
                    )
                } else {
                    en_ko(
                        format!("compare_exchange fails: {} is {current}", name(obj)),
                        format!("compare_exchange 실패: {} = {current}", name(obj)),
                    )
                },
                false,
            ),
            Op::Fence => ("fence".into(), false),
            Op::Send { obj } => (
                en_ko(
                    format!("sends on {}", name(obj)),
                    format!("{} 채널로 보냄", name(obj)),
                ),
                false,
            ),
            Op::Recv { obj } => {
                if matches!(events.get(i + 1), Some(n) if n.thread == e.thread && matches!(n.op, Op::Received { .. }))
                {
                    continue;
                }
                (
                    en_ko(
                        format!("waits for a message on {}", name(obj)),
                        format!("{}에서 메시지 대기", name(obj)),
                    ),
                    false,
                )
            }
            Op::Received { obj, ok, closed } => (
                if *ok {
                    en_ko(
                        format!("receives from {}", name(obj)),
                        format!("{}에서 받음", name(obj)),
                    )
                } else if *closed {
                    en_ko(
                        format!("finds {} closed: every sender is gone", name(obj)),
                        format!("{}: 닫힘 (보내는 쪽이 모두 사라짐)", name(obj)),
                    )
                } else {
                    en_ko(
                        format!("finds {} empty (a sender may still send)", name(obj)),
                        format!("{}: 비어 있음 (보내는 쪽은 아직 보낼 수 있음)", name(obj)),
                    )
                },
                false,
            ),
            Op::BarrierWait { obj } => (
                en_ko(
                    format!("waits at {}", name(obj)),
                    format!("{}에서 대기", name(obj)),
                ),
                false,
            ),
            Op::CellAccess { obj, write } => (
                if *write {
                    en_ko(
                        format!("writes inside {}", name(obj)),
                        format!("{} 내부에 씀", name(obj)),
                    )
                } else {
                    en_ko(
                        format!("reads inside {}", name(obj)),
                        format!("{} 내부를 읽음", name(obj)),
                    )
                },
                false,
            ),
        };
        out.push(Step {
            thread: e.thread,
            at: e.at.clone(),
            effect,
            scenery,
            index: i,
        });
    }
    out
}

/// The atomic an event writes into and the value it writes, if it writes one.
fn stored(op: &Op) -> Option<(usize, &str)> {
    match op {
        Op::Store { obj, value } => Some((*obj, value)),
        Op::Update { obj, new, .. }
        | Op::CompareExchange {
            obj, new, ok: true, ..
        } => Some((*obj, new)),
        _ => None,
    }
}

/// The value a store event wrote.
fn written(store: &TraceEvent) -> &str {
    stored(&store.op).map_or("", |(_, value)| value)
}

/// For a load of `value` after `stores` (the stores to its atomic, in order): when the latest one wrote something
/// else (weak memory: the load read an older store), that latest store and the older one that wrote `value`
/// (None: the value the atomic was created with).
fn stale_read<'t>(
    stores: &[&'t TraceEvent],
    value: &str,
) -> Option<(&'t TraceEvent, Option<&'t TraceEvent>)> {
    let (&latest, older) = stores.split_last()?;
    if written(latest) == value {
        return None;
    }
    Some((
        latest,
        older.iter().rev().find(|e| written(e) == value).copied(),
    ))
}

/// "T1 at bank.rs:19" (KO "T1 bank.rs:19"): who did an event, and where.
fn place(e: &TraceEvent, options: &Options<'_>) -> String {
    let who = thread_label(e.thread, options.lang);
    match (&e.at, options.lang) {
        (Some(a), Lang::En) => format!("{who} at {}:{}", file_label(&a.file, options), a.line),
        (Some(a), Lang::Ko) => format!("{who} {}:{}", file_label(&a.file, options), a.line),
        (None, _) => who,
    }
}

/// "try_lock `m` fails", and why: who holds the lock, and since which line.
fn failed_try_lock(
    lock: &str,
    thread: usize,
    holders: &Holders,
    obj: usize,
    names: &HashMap<usize, String>,
    options: &Options<'_>,
) -> String {
    let lang = options.lang;
    let place = |at: &Option<SourceLine>| {
        at.as_ref()
            .map(|a| format!("{}:{}", file_label(&a.file, options), a.line))
    };
    let held = holders
        .held
        .get(&obj)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let others: Vec<String> = held
        .iter()
        .filter(|(t, _)| *t != thread)
        .map(|(t, at)| match (lang, place(at)) {
            (Lang::En, Some(p)) => format!("{} since {p}", thread_label(*t, lang)),
            (Lang::Ko, Some(p)) => format!("{}({p}부터)", thread_label(*t, lang)),
            (_, None) => thread_label(*t, lang),
        })
        .collect();
    if !others.is_empty() {
        return match lang {
            Lang::En => format!(
                "try_lock {lock} fails: it is taken (held by {})",
                others.join(", ")
            ),
            Lang::Ko => format!(
                "try_lock {lock} 실패: 이미 잡혀 있음 (잡은 스레드: {})",
                others.join(", ")
            ),
        };
    }
    if let Some((_, at)) = held.iter().find(|(t, _)| *t == thread) {
        let since = place(at);
        return match (lang, since) {
            (Lang::En, Some(p)) => {
                format!("try_lock {lock} fails: this thread already holds it (since {p})")
            }
            (Lang::En, None) => format!("try_lock {lock} fails: this thread already holds it"),
            (Lang::Ko, Some(p)) => {
                format!("try_lock {lock} 실패: 이 스레드가 이미 잡고 있음 ({p}부터)")
            }
            (Lang::Ko, None) => format!("try_lock {lock} 실패: 이 스레드가 이미 잡고 있음"),
        };
    }
    if let Some((sleeper, cv, _)) = holders.releasing.get(&obj) {
        let cv = names.get(cv).cloned().unwrap_or_else(|| format!("#{cv}"));
        let who = thread_label(*sleeper, lang);
        return match lang {
            Lang::En => format!(
                "try_lock {lock} fails: it is taken (held by {who}, which has not let go of it yet to sleep on `{cv}`)"
            ),
            Lang::Ko => format!(
                "try_lock {lock} 실패: 이미 잡혀 있음 (잡은 스레드: {who}, `{cv}`에서 잠들려고 아직 놓는 중)"
            ),
        };
    }
    match lang {
        Lang::En => format!("try_lock {lock} fails: it is taken"),
        Lang::Ko => format!("try_lock {lock} 실패: 이미 잡혀 있음"),
    }
}

/// A thread spinning in a loop repeats the same steps: show each run of identical steps once, with a count.
fn collapse_repeats(steps: Vec<Step>) -> Vec<(Step, usize)> {
    let mut out: Vec<(Step, usize)> = Vec::new();
    for step in steps {
        match out.last_mut() {
            Some((last, n))
                if last.thread == step.thread
                    && last.at == step.at
                    && last.effect == step.effect =>
            {
                *n += 1
            }
            _ => out.push((step, 1)),
        }
    }
    // Two-step loops (load, compare) alternate: fold an A B A B … run into "A B (×n)".
    let mut folded: Vec<(Step, usize)> = Vec::new();
    for item in out {
        let len = folded.len();
        if len >= 3 {
            let same =
                |a: &Step, b: &Step| a.thread == b.thread && a.at == b.at && a.effect == b.effect;
            if same(&folded[len - 2].0, &item.0)
                && same(&folded[len - 3].0, &folded[len - 1].0)
                && !item.0.scenery
            {
                // Each side may already be a run of several identical steps: add their counts, not 1.
                let (a, b) = (folded[len - 1].1, item.1);
                folded[len - 3].1 += a;
                folded[len - 2].1 += b;
                folded.pop();
                continue;
            }
        }
        folded.push(item);
    }
    folded
}

#[cfg(test)]
mod snapshots {
    //! The rendered interleaving is the product: these pin down what a learner reads for the classic failures.
    use super::*;
    use conc_check::report::{TraceEvent, TraceObject};

    const EXERCISE: &str = "exercises/t/bank.rs";
    const SOURCE: &str = "\
use conc::sync::{Arc, Mutex, Condvar};
pub struct Bank { from: Mutex<u32>, to: Mutex<u32> }
impl Bank {
    pub fn new() -> Self { Bank { from: Mutex::new(10), to: Mutex::new(0) } }
    pub fn transfer(&self) {
        let a = self.from.lock().unwrap();
        let b = self.to.lock().unwrap();
    }
    pub fn back(&self) {
        let b = self.to.lock().unwrap();
        let a = self.from.lock().unwrap();
    }
}
fn signal(ready: &Condvar) { ready.notify_one(); }
fn wait(ready: &Condvar, m: &Mutex<bool>) { let g = ready.wait(m.lock().unwrap()); }
let ready = Condvar::new();
let hits = AtomicUsize::new(0);
let seen = hits.load(Ordering::Relaxed);
hits.store(seen + 1, Ordering::Relaxed);
let (tx, rx) = mpsc::channel::<u32>();
let got = rx.try_recv();
let m = Mutex::new(false);
";

    fn at(line: u32) -> Option<SourceLine> {
        Some(SourceLine {
            file: EXERCISE.into(),
            line,
        })
    }

    fn ev(thread: usize, op: Op, line: Option<u32>) -> TraceEvent {
        TraceEvent {
            thread,
            op,
            at: line.and_then(at),
        }
    }

    fn object(kind: &str, line: u32) -> TraceObject {
        TraceObject {
            kind: kind.into(),
            created_at: SourceLine {
                file: EXERCISE.into(),
                line,
            },
        }
    }

    fn render_both(trace: &Trace, lang: Lang) -> String {
        render_as(trace, lang, false)
    }

    fn render_as(trace: &Trace, lang: Lang, verbose: bool) -> String {
        let (mut lines, stuck) = render_in(trace, lang, verbose, None, View::List);
        lines.push("--- stuck ---".into());
        lines.extend(stuck);
        lines.join("\n")
    }

    /// The interleaving and the stuck threads, laid out as `view` for a terminal `width` columns wide.
    fn render_in(
        trace: &Trace,
        lang: Lang,
        verbose: bool,
        width: Option<usize>,
        view: View,
    ) -> (Vec<String>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("exercises/t")).unwrap();
        std::fs::write(dir.path().join(EXERCISE), SOURCE).unwrap();
        let options = Options {
            lang,
            verbose,
            root: dir.path(),
            learner_file: EXERCISE,
            width,
            view,
        };
        (render(trace, &options), stuck(trace, &options))
    }

    fn lanes(trace: &Trace, lang: Lang, width: usize, selected: Option<usize>) -> String {
        let (lines, _) = render_in(trace, lang, false, Some(width), View::Lanes { selected });
        for line in &lines {
            assert!(
                console::measure_text_width(line) <= width,
                "wider than {width}: {line:?}"
            );
        }
        lines.join("\n")
    }

    #[test]
    fn lanes_show_a_lost_update_one_column_per_thread_with_the_code_once_below() {
        insta::assert_snapshot!(format!(
            "{}\n\n{}",
            lanes(&lost_update(), Lang::En, 80, None),
            lanes(&lost_update(), Lang::Ko, 80, None)
        ));
    }

    #[test]
    fn lanes_show_the_selected_steps_code_and_a_bar_while_a_lock_is_held() {
        insta::assert_snapshot!(format!(
            "{}\n\n{}",
            lanes(&lock_order_deadlock(), Lang::En, 60, Some(2)),
            lanes(&lock_order_deadlock(), Lang::Ko, 60, Some(99))
        ));
    }

    #[test]
    fn lanes_fit_80_columns_for_four_threads_and_keep_every_value() {
        let v = |s: &str| s.to_string();
        let mut events: Vec<TraceEvent> = (1..=4)
            .map(|c| ev(0, Op::Spawn { child: c }, None))
            .collect();
        for thread in 1..=4 {
            events.push(ev(
                thread,
                Op::Load {
                    obj: 0,
                    value: v("41"),
                },
                Some(18),
            ));
        }
        for thread in 1..=4 {
            events.push(ev(
                thread,
                Op::Store {
                    obj: 0,
                    value: v("42"),
                },
                Some(19),
            ));
        }
        let trace = Trace {
            events,
            objects: vec![object("AtomicUsize", 17)],
            dropped: 0,
            kept: 0,
        };
        for lang in [Lang::En, Lang::Ko] {
            let text = lanes(&trace, lang, 80, None);
            let values: Vec<&str> = console::strip_ansi_codes(&text)
                .split_whitespace()
                .filter(|w| *w == "41" || *w == "42")
                .map(|_| "")
                .collect();
            assert_eq!(values.len(), 8, "every value is shown whole: {text}");
        }
    }

    #[test]
    fn the_list_shortens_code_to_the_width_never_the_values() {
        let (lines, _) = render_in(&lost_update(), Lang::En, false, Some(60), View::List);
        for line in &lines {
            assert!(console::measure_text_width(line) <= 60, "{line:?}");
        }
        let text = lines.join("\n");
        assert_eq!(text.matches("reads `hits` = 0").count(), 2, "{text}");
        assert_eq!(text.matches("writes `hits` = 1").count(), 2, "{text}");
        assert!(text.contains('…'), "code shortened: {text}");
    }

    fn lost_update() -> Trace {
        let v = |s: &str| s.to_string();
        Trace {
            events: vec![
                ev(0, Op::Spawn { child: 1 }, None),
                ev(0, Op::Spawn { child: 2 }, None),
                ev(
                    1,
                    Op::Load {
                        obj: 0,
                        value: v("0"),
                    },
                    Some(18),
                ),
                ev(
                    2,
                    Op::Load {
                        obj: 0,
                        value: v("0"),
                    },
                    Some(18),
                ),
                ev(
                    1,
                    Op::Store {
                        obj: 0,
                        value: v("1"),
                    },
                    Some(19),
                ),
                ev(
                    2,
                    Op::Store {
                        obj: 0,
                        value: v("1"),
                    },
                    Some(19),
                ),
                ev(1, Op::Exit, None),
                ev(2, Op::Exit, None),
            ],
            objects: vec![object("AtomicUsize", 17)],
            dropped: 0,
            kept: 0,
        }
    }

    fn lock_order_deadlock() -> Trace {
        let lock = |obj| Op::Lock { obj, shared: false };
        let locked = |obj| Op::Locked { obj, shared: false };
        Trace {
            events: vec![
                ev(1, lock(0), Some(6)),
                ev(1, locked(0), Some(6)),
                ev(2, lock(1), Some(10)),
                ev(2, locked(1), Some(10)),
                ev(1, lock(1), Some(7)),
                ev(2, lock(0), Some(11)),
            ],
            objects: vec![object("Mutex", 4), object("Mutex", 4)],
            dropped: 0,
            kept: 0,
        }
    }

    fn lost_wakeup() -> Trace {
        Trace {
            events: vec![
                ev(1, Op::Notify { cv: 0, all: false }, Some(14)),
                ev(
                    2,
                    Op::Lock {
                        obj: 1,
                        shared: false,
                    },
                    Some(15),
                ),
                ev(
                    2,
                    Op::Locked {
                        obj: 1,
                        shared: false,
                    },
                    Some(15),
                ),
                ev(2, Op::Wait { cv: 0, lock: 1 }, Some(15)),
            ],
            objects: vec![object("Condvar", 16), object("Mutex", 15)],
            dropped: 0,
            kept: 0,
        }
    }

    #[test]
    fn a_lost_update_shows_both_reads_before_both_writes() {
        insta::assert_snapshot!(render_both(&lost_update(), Lang::En));
    }

    #[test]
    fn a_lock_order_deadlock_says_who_holds_what() {
        insta::assert_snapshot!(render_both(&lock_order_deadlock(), Lang::En));
    }

    #[test]
    fn a_lock_order_deadlock_in_korean() {
        insta::assert_snapshot!(render_both(&lock_order_deadlock(), Lang::Ko));
    }

    #[test]
    fn a_notify_with_nobody_waiting_is_called_out() {
        insta::assert_snapshot!(render_both(&lost_wakeup(), Lang::En));
    }

    #[test]
    fn where_the_check_waits_is_labelled_as_the_check_not_the_learners_file() {
        let mut trace = lock_order_deadlock();
        let join = TraceEvent {
            thread: 0,
            op: Op::Join { child: 1 },
            at: Some(SourceLine {
                file: "runner/checks/t/bank.rs".into(),
                line: 50,
            }),
        };
        trace.events.insert(0, join);
        let text = render_both(&trace, Lang::En);
        assert!(
            text.contains("main waits for T1 to finish (check:50)"),
            "{text}"
        );
    }

    #[test]
    fn a_spin_loop_is_folded_into_one_line_with_a_count() {
        let spin = Trace {
            events: (0..40)
                .map(|_| {
                    ev(
                        1,
                        Op::Load {
                            obj: 0,
                            value: "0".into(),
                        },
                        Some(18),
                    )
                })
                .collect(),
            objects: vec![object("AtomicUsize", 17)],
            dropped: 0,
            kept: 0,
        };
        insta::assert_snapshot!(render_both(&spin, Lang::En));
    }

    fn try_lock(obj: usize, ok: bool) -> Op {
        Op::TryLock {
            obj,
            shared: false,
            ok,
        }
    }

    /// T1 holds `from` (taken at line 6) while T2 spins on `try_lock`; T1 lets go, T2 gets it.
    fn try_lock_spin() -> Trace {
        let mut events = vec![
            ev(
                1,
                Op::Lock {
                    obj: 0,
                    shared: false,
                },
                Some(6),
            ),
            ev(
                1,
                Op::Locked {
                    obj: 0,
                    shared: false,
                },
                Some(6),
            ),
        ];
        events.extend((0..5).map(|_| ev(2, try_lock(0, false), Some(11))));
        events.push(ev(
            1,
            Op::Unlock {
                obj: 0,
                shared: false,
            },
            None,
        ));
        events.push(ev(2, try_lock(0, true), Some(11)));
        Trace {
            events,
            objects: vec![object("Mutex", 4), object("Mutex", 4)],
            dropped: 0,
            kept: 0,
        }
    }

    #[test]
    fn a_failed_try_lock_says_who_holds_the_lock_and_since_when() {
        insta::assert_snapshot!(render_both(&try_lock_spin(), Lang::En));
    }

    #[test]
    fn a_failed_try_lock_says_who_holds_the_lock_in_korean() {
        insta::assert_snapshot!(render_both(&try_lock_spin(), Lang::Ko));
    }

    #[test]
    fn a_failed_try_lock_on_a_lock_the_thread_holds_itself_says_so() {
        let trace = Trace {
            events: vec![
                ev(
                    1,
                    Op::Locked {
                        obj: 0,
                        shared: false,
                    },
                    Some(6),
                ),
                ev(1, try_lock(0, false), Some(11)),
            ],
            objects: vec![object("Mutex", 4), object("Mutex", 4)],
            dropped: 0,
            kept: 0,
        };
        let text = render_both(&trace, Lang::En);
        assert!(
            text.contains("try_lock `from` fails: this thread already holds it (since bank.rs:6)"),
            "{text}"
        );
    }

    #[test]
    fn a_failed_try_lock_while_the_holder_goes_to_sleep_names_the_sleeper() {
        // T1 is recorded going to sleep (which releases `m`), but the model checker runs T2 before the release.
        let trace = Trace {
            events: vec![
                ev(
                    1,
                    Op::Locked {
                        obj: 1,
                        shared: false,
                    },
                    Some(15),
                ),
                ev(1, Op::Wait { cv: 0, lock: 1 }, Some(15)),
                ev(2, try_lock(1, false), Some(15)),
            ],
            objects: vec![object("Condvar", 16), object("Mutex", 22)],
            dropped: 0,
            kept: 0,
        };
        insta::assert_snapshot!(format!(
            "{}\n{}",
            render_both(&trace, Lang::En),
            render_both(&trace, Lang::Ko)
        ));
    }

    /// A spin that ran past what the recorder keeps: two earlier steps kept (the lock still held, the last
    /// write), 6000 left out, then the last steps.
    fn long_spin() -> Trace {
        let mut events = vec![
            ev(
                1,
                Op::Locked {
                    obj: 0,
                    shared: false,
                },
                Some(6),
            ),
            ev(
                1,
                Op::Store {
                    obj: 2,
                    value: "1".into(),
                },
                Some(19),
            ),
        ];
        events.extend((0..40).flat_map(|_| {
            [
                ev(
                    2,
                    Op::Load {
                        obj: 2,
                        value: "1".into(),
                    },
                    Some(18),
                ),
                ev(2, try_lock(0, false), Some(11)),
            ]
        }));
        Trace {
            events,
            objects: vec![
                object("Mutex", 4),
                object("Mutex", 4),
                object("AtomicUsize", 17),
            ],
            dropped: 6000,
            kept: 2,
        }
    }

    #[test]
    fn a_load_that_reads_an_older_store_says_which_one() {
        let v = |s: &str| s.to_string();
        let store = |thread, value: &str, line| {
            ev(
                thread,
                Op::Store {
                    obj: 0,
                    value: v(value),
                },
                Some(line),
            )
        };
        let load = |thread, value: &str| {
            ev(
                thread,
                Op::Load {
                    obj: 0,
                    value: v(value),
                },
                Some(18),
            )
        };
        let trace = Trace {
            events: vec![
                store(1, "1", 19),
                store(1, "2", 19),
                load(2, "1"), // an older store
                load(2, "2"), // the latest: nothing to say
            ],
            objects: vec![object("AtomicUsize", 17)],
            dropped: 0,
            kept: 0,
        };
        let initial = Trace {
            events: vec![store(1, "1", 19), load(2, "0")],
            ..trace.clone()
        };
        insta::assert_snapshot!(format!(
            "{}\n{}\n{}",
            render_both(&trace, Lang::En),
            render_both(&trace, Lang::Ko),
            render_both(&initial, Lang::En)
        ));
    }

    #[test]
    fn a_deadlock_inside_a_helper_names_the_call_that_led_into_it() {
        // The learner's file: `sell` holds the lock and calls `in_stock`, which locks it again.
        const SHOP: &str = "\
pub struct Shop { shelf: Mutex<u32> }
impl Shop {
    pub fn new() -> Self { Shop { shelf: Mutex::new(3) } }
    pub fn in_stock(&self) -> u32 {
        *self.shelf.lock().unwrap()
    }
    pub fn sell(&self, n: u32) -> bool {
        let mut shelf = self.shelf.lock().unwrap();
        if self.in_stock() < n {
            return false;
        }
        *shelf -= n;
        true
    }
}
";
        let lock = |op| ev(0, op, None);
        let trace = Trace {
            events: vec![
                TraceEvent {
                    at: at(8),
                    ..lock(Op::Lock {
                        obj: 0,
                        shared: false,
                    })
                },
                TraceEvent {
                    at: at(8),
                    ..lock(Op::Locked {
                        obj: 0,
                        shared: false,
                    })
                },
                TraceEvent {
                    at: at(5),
                    ..lock(Op::Lock {
                        obj: 0,
                        shared: false,
                    })
                },
            ],
            objects: vec![object("Mutex", 3)],
            dropped: 0,
            kept: 0,
        };
        let text = |lang| shown_with(SHOP, lang, |options| stuck(&trace, options));
        let (en, ko) = (text(Lang::En), text(Lang::Ko));
        assert!(en.contains("in `in_stock`, called at bank.rs:9"), "{en}");
        insta::assert_snapshot!(format!("{en}\n{ko}"));
    }

    /// What `show` says with the learner's file holding `source`, in `lang` (a list, not verbose, any width).
    fn shown_with(source: &str, lang: Lang, show: impl Fn(&Options<'_>) -> Vec<String>) -> String {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("exercises/t")).unwrap();
        std::fs::write(dir.path().join(EXERCISE), source).unwrap();
        let options = Options {
            lang,
            verbose: false,
            root: dir.path(),
            learner_file: EXERCISE,
            width: None,
            view: View::List,
        };
        show(&options).join("\n")
    }

    #[test]
    fn a_long_spin_says_where_each_thread_was() {
        let text = |lang| shown_with(SOURCE, lang, |options| whereabouts(&long_spin(), options));
        insta::assert_snapshot!(format!("{}\n{}", text(Lang::En), text(Lang::Ko)));
    }

    #[test]
    fn steps_that_were_not_recorded_are_not_promised_to_verbose() {
        let verbose = render_as(&long_spin(), Lang::En, true);
        assert!(!verbose.contains("--verbose"), "{verbose}");
        insta::assert_snapshot!(verbose);
    }

    #[test]
    fn a_long_spin_keeps_its_cause_in_korean() {
        insta::assert_snapshot!(render_as(&long_spin(), Lang::Ko, false));
    }

    #[test]
    fn a_receive_says_whether_the_channel_was_empty_or_closed() {
        let received = |ok, closed| Op::Received { obj: 0, ok, closed };
        let trace = Trace {
            events: vec![
                ev(1, received(false, false), Some(21)),
                ev(1, received(true, false), Some(21)),
                ev(1, received(false, true), Some(21)),
            ],
            objects: vec![object("channel", 20)],
            dropped: 0,
            kept: 0,
        };
        insta::assert_snapshot!(format!(
            "{}\n{}",
            render_both(&trace, Lang::En),
            render_both(&trace, Lang::Ko)
        ));
    }

    #[test]
    fn alternating_runs_are_folded_with_their_real_counts() {
        // T1 T1 T2 T1 T2 T2 T1 T2: four steps each, whatever the runs they came in.
        let one = |thread| Step {
            thread,
            at: at(18),
            effect: format!("spins {thread}"),
            scenery: false,
            index: 0,
        };
        let steps = [1, 1, 2, 1, 2, 2, 1, 2].into_iter().map(one).collect();
        let folded: Vec<(usize, usize)> = collapse_repeats(steps)
            .iter()
            .map(|(s, n)| (s.thread, *n))
            .collect();
        assert_eq!(folded, vec![(1, 4), (2, 4)]);
    }
}
