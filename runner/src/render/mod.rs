//! Verdicts as the learner reads them: what failed, how, and where in their own code.

mod calls;
pub mod interleaving;
mod lanes;
mod names;
mod process;

use crate::check::{Outcome, Verdict};
use crate::exercise::{Source, Workspace};
use crate::i18n::{Lang, t};
use crate::info_file::DEFAULT_MEMORY_MB;
use conc_check::report::{Failure, Trace};
use conc_check::supervise::Captured;
use console::Style;
use std::path::Path;

/// How to render.
pub struct Options {
    pub lang: Lang,
    pub color: bool,
    pub verbose: bool,
    /// The terminal's width, when known (code in the interleaving is shortened to fit it; lanes divide it).
    pub width: Option<usize>,
    pub view: interleaving::View,
}

impl Options {
    pub(crate) fn style(&self, style: Style) -> Style {
        style.force_styling(self.color)
    }
    pub(crate) fn red(&self, s: &str) -> String {
        self.style(Style::new().red().bold())
            .apply_to(s)
            .to_string()
    }
    pub(crate) fn green(&self, s: &str) -> String {
        self.style(Style::new().green().bold())
            .apply_to(s)
            .to_string()
    }
    pub(crate) fn dim(&self, s: &str) -> String {
        self.style(Style::new().dim()).apply_to(s).to_string()
    }
    pub(crate) fn bold(&self, s: &str) -> String {
        self.style(Style::new().bold()).apply_to(s).to_string()
    }

    /// The interleaving's options for a trace of `learner_file` (relative to `root`).
    fn for_trace<'a>(&self, root: &'a Path, learner_file: &'a str) -> interleaving::Options<'a> {
        interleaving::Options {
            lang: self.lang,
            verbose: self.verbose,
            root,
            learner_file,
            width: self.width,
            view: self.view,
        }
    }
}

/// The interleaving a failed verdict shows, if it has one.
pub fn trace(v: &Verdict) -> Option<&Trace> {
    match &v.outcome {
        Outcome::Failed { failure } => match failure.as_ref() {
            Failure::Panic { trace, .. }
            | Failure::Deadlock { trace }
            | Failure::StepLimit { trace } => trace.as_ref(),
            Failure::Process(_) => None,
        },
        _ => None,
    }
}

/// How many steps of the verdict's interleaving are shown (what the lanes view can select).
pub fn shown_steps(ws: &Workspace, v: &Verdict, o: &Options) -> usize {
    let Some(ex) = ws.info.exercise(&v.exercise) else {
        return 0;
    };
    let learner_file = ws.display(&ws.source_file(ex, &v.source)).into_owned();
    trace(v).map_or(0, |trace| {
        interleaving::shown_steps(trace, &o.for_trace(&ws.root, &learner_file))
    })
}

/// The whole verdict, as lines of text.
pub fn verdict(ws: &Workspace, v: &Verdict, o: &Options) -> String {
    let lang = o.lang;
    let ex = ws
        .info
        .exercise(&v.exercise)
        .expect("verdicts are for known exercises");
    let file = ws.source_file(ex, &v.source);
    let file_rel = ws.display(&file).into_owned();
    let mut out = Vec::<String>::new();
    match &v.outcome {
        Outcome::Passed => {
            let n = v.checks.len();
            out.push(format!(
                "{} {}",
                o.green("✓"),
                match lang {
                    Lang::En => format!("{} passed all {n} checks", v.exercise),
                    Lang::Ko => format!("{}: 검사 {n}개를 모두 통과했습니다", v.exercise),
                }
            ));
        }
        Outcome::Missing { path } => {
            out.push(format!(
                "{} {}",
                o.red("✗"),
                match lang {
                    Lang::En => format!("{path} is missing (deleted or renamed?). `conc-lings reset {}` brings back the original.", v.exercise),
                    Lang::Ko => format!("{path} 파일이 없습니다 (지우거나 이름을 바꿨습니까?). `conc-lings reset {}` 명령으로 원본을 되살릴 수 있습니다.", v.exercise),
                }
            ));
        }
        Outcome::Outside { path } => {
            out.push(format!(
                "{} {}",
                o.red("✗"),
                match lang {
                    Lang::En => format!("{path} is a link that leads outside exercises/; it is not checked. Make it a plain file."),
                    Lang::Ko => format!("{path} 파일은 exercises/ 밖을 가리키는 링크라 검사하지 않습니다. 일반 파일로 만드세요."),
                }
            ));
        }
        Outcome::Rejected { escapes }
        | Outcome::Forbidden { escapes }
        | Outcome::Pinned { escapes }
        | Outcome::Exposed { escapes } => {
            let why = if matches!(v.outcome, Outcome::Forbidden { .. }) {
                t(
                    lang,
                    "Not checked: this file uses something no exercise needs, and that could act outside the \
                     exercise or around its checks:",
                    "검사하지 않았습니다. 이 파일은 어떤 연습 문제에도 필요 없고, 연습 문제 밖이나 검사를 돌아서 \
                     동작할 수 있는 것을 씁니다:",
                )
            } else if matches!(v.outcome, Outcome::Exposed { .. }) {
                t(
                    lang,
                    "Not checked: the hidden check is a module inside your file and can reach private items, so it \
                     cannot tell a `pub` field from a private one. This exercise therefore asks for its monitor's \
                     state to be private:",
                    "검사하지 않았습니다. 숨은 검사는 여러분 파일 안의 모듈이라 비공개 항목에도 닿으므로, `pub` \
                     필드와 비공개 필드를 구별하지 못합니다. 그래서 이 연습 문제는 모니터의 상태를 비공개로 두라고 \
                     요구합니다:",
                )
            } else if matches!(v.outcome, Outcome::Pinned { .. }) {
                t(
                    lang,
                    "Not checked: a weaker memory ordering lets real hardware reorder memory accesses, and the \
                     checker cannot make that happen here (the model checker runs every thread's accesses in program \
                     order; this machine's CPU keeps most of its order too). This exercise therefore says which \
                     orderings its atomics must use:",
                    "검사하지 않았습니다. 더 약한 메모리 순서에서는 실제 하드웨어가 메모리 접근의 순서를 바꿀 수 \
                     있는데, 검사기는 여기서 그것을 일으킬 수 없습니다 (모델 검사기는 각 스레드의 접근을 프로그램 \
                     순서대로 실행하고, 이 기계의 CPU도 순서를 대부분 지킵니다). 그래서 이 연습 문제는 원자 변수에 \
                     쓸 순서를 정해 둡니다:",
                )
            } else {
                t(
                    lang,
                    "Not checked: this exercise must do its threading through `conc`, so the checker can see it.",
                    "검사하지 않았습니다. 이 연습 문제는 스레드와 락을 `conc`로 써야 검사기가 볼 수 있습니다.",
                )
            };
            out.push(format!("{} {why}", o.red("✗")));
            let source = std::fs::read_to_string(&file).unwrap_or_default();
            for e in escapes {
                let code = source
                    .lines()
                    .nth(e.line.saturating_sub(1))
                    .unwrap_or_default()
                    .trim();
                out.push(format!(
                    "  {file_rel}:{}:{}  {}   {}",
                    e.line,
                    e.column,
                    o.bold(&e.what),
                    o.dim(code)
                ));
            }
            out.push(String::new());
            let pinned = matches!(v.outcome, Outcome::Pinned { .. });
            out.push(if matches!(v.outcome, Outcome::Forbidden { .. }) {
                t(
                    lang,
                    "  Code that runs before `main` or replaces the check program's functions (`#[no_mangle]`,\n  \
                     `#[link_section]`, …), modules or text from other files (`mod x;`, `include_str!`), build-time\n  \
                     variables (`env!`) and assembly are refused in every exercise. An exercise checked by the\n  \
                     model checker also names only `conc` and the parts of `std` it needs (collections, fmt, mem,\n  \
                     time, …): files, processes, the environment, the OS and other crates belong to the process\n  \
                     exercises.",
                    "  `main`보다 먼저 실행되거나 검사 프로그램의 함수를 바꾸는 코드(`#[no_mangle]`, `#[link_section]`\n  \
                     등), 다른 파일의 모듈이나 내용(`mod x;`, `include_str!`), 빌드 때의 변수(`env!`), 어셈블리는\n  \
                     모든 연습 문제에서 거절됩니다. 모델 검사기로 검사하는 연습 문제는 `conc`와 필요한 `std`의 일부\n  \
                     (collections, fmt, mem, time 등)만 씁니다. 파일, 프로세스, 환경 변수, 운영체제, 다른 크레이트는\n  \
                     프로세스 연습 문제의 몫입니다.",
                )
                .to_string()
            } else if matches!(v.outcome, Outcome::Exposed { .. }) {
                t(
                    lang,
                    "  A monitor's state is reached only through its methods, under its lock: with a `pub` field,\n  \
                     any code can change it without the lock, and the lost wake-up is back. Make the field private.",
                    "  모니터의 상태에는 그 메서드를 거쳐 락 안에서만 접근합니다. `pub` 필드라면 어떤 코드든 락 없이\n  \
                     바꿀 수 있어서 깨우기 신호 유실이 다시 생깁니다. 필드를 비공개로 만드세요.",
                )
                .to_string()
            } else if pinned {
                t(
                    lang,
                    "  The exercise's header says which ordering each of its atomics needs, and why.",
                    "  연습 문제 머리말에 원자 변수마다 필요한 순서와 그 까닭이 있습니다.",
                )
                .to_string()
            } else {
                t(
                    lang,
                    "  `std::thread` and `std::sync` run outside the model checker, so a race could pass by luck.\n  \
                     Use `conc::thread` and `conc::sync` (same names, same methods). `static mut` and `unsafe`\n  \
                     shared state are invisible to it too: share through `Arc` and the `conc` types instead.",
                    "  `std::thread`와 `std::sync`는 모델 검사기 밖에서 돌아서, 경쟁 상태가 운 좋게 통과할 수 있습니다.\n  \
                     `conc::thread`와 `conc::sync`를 쓰세요 (이름과 메서드가 같습니다). `static mut`와 `unsafe`로\n  \
                     공유한 상태도 검사기가 보지 못합니다. `Arc`와 `conc` 타입으로 공유하세요.",
                )
                .to_string()
            });
        }
        Outcome::CompileError { rendered } => {
            out.push(format!(
                "{} {}",
                o.red("✗"),
                t(
                    lang,
                    "It does not compile yet:",
                    "아직 컴파일되지 않습니다:"
                )
            ));
            out.push(rendered.trim_end().to_string());
        }
        Outcome::Failed { failure } => {
            let check = v.failed_check();
            let title = check
                .map(|c| c.title.get(lang).to_string())
                .unwrap_or_default();
            let (index, total) = check.map_or((0, 0), |c| (c.index + 1, c.total));
            out.push(format!(
                "{} {} {}",
                o.red("✗"),
                match lang {
                    Lang::En => format!("check {index} of {total} failed:"),
                    Lang::Ko => format!("검사 {total}개 중 {index}번째 실패:"),
                },
                o.bold(&title)
            ));
            let executions = check.and_then(|c| c.executions).filter(|&n| n > 1);
            failure_lines(ws, failure, &file_rel, executions, o, &mut out);
        }
        Outcome::Crashed {
            code,
            signal,
            stdout,
            stderr,
        } => {
            let how = match (code, signal, lang) {
                (_, Some(s), Lang::En) => format!("was killed by signal {s}"),
                (_, Some(s), Lang::Ko) => format!("{s}번 시그널로 죽었습니다"),
                (Some(c), _, Lang::En) => format!("exited with status {c}"),
                (Some(c), _, Lang::Ko) => format!("끝났습니다(종료 코드 {c})"),
                (None, None, Lang::En) => "ended".to_string(),
                (None, None, Lang::Ko) => "끝났습니다".to_string(),
            };
            out.push(format!(
                "{} {}",
                o.red("✗"),
                match lang {
                    Lang::En => format!("The check program {how} before finishing its checks (process::exit, abort, or a crash in your code?)."),
                    Lang::Ko => format!("검사 프로그램이 검사를 마치기 전에 {how} (process::exit, abort, 또는 코드의 충돌?)."),
                }
            ));
            let text = format!("{}{}", stderr.head, stderr.tail);
            if let Some(hint) = limit_hit(
                *signal,
                &text,
                Some(ex.memory_mb.unwrap_or(DEFAULT_MEMORY_MB)),
                lang,
            ) {
                out.push(format!("  {hint}"));
            }
            output_lines(stdout, stderr, o, &mut out);
        }
        Outcome::Tampered {
            line,
            stdout,
            stderr,
        } => {
            let n = line + 1;
            out.push(format!(
                "{} {}",
                o.red("✗"),
                match lang {
                    Lang::En => format!(
                        "Line {n} of the checks' report was not written by the checks: something in the program wrote\n  \
                         into the channel the checks report through. Only the checks can report a result, so this run\n  \
                         fails. Let your code do what the exercise asks; the checks will say when it does."
                    ),
                    Lang::Ko => format!(
                        "검사 보고의 {n}번째 줄은 검사가 쓴 것이 아닙니다. 프로그램 안의 무언가가 검사가 결과를 보내는\n  \
                         통로에 썼습니다. 결과는 검사만 보낼 수 있으므로 이번 실행은 실패입니다. 코드가 연습 문제가\n  \
                         요구하는 일을 하게 하세요. 그러면 검사가 알려 줍니다."
                    ),
                }
            ));
            output_lines(stdout, stderr, o, &mut out);
        }
        Outcome::TooManyProcesses {
            limit,
            stdout,
            stderr,
        } => {
            out.push(format!(
                "{} {}",
                o.red("✗"),
                match lang {
                    Lang::En => format!(
                        "The program had more than {limit} processes alive at once, so all of them were killed.\n  \
                         Most likely a fork or spawn in a loop that never ends, or a child process that runs the\n  \
                         program's `main` again (and so starts children of its own)."
                    ),
                    Lang::Ko => format!(
                        "프로그램의 프로세스가 한꺼번에 {limit}개를 넘게 살아 있어서 모두 종료했습니다.\n  \
                         끝나지 않는 반복문 안의 fork나 spawn, 또는 프로그램의 `main`을 다시 실행하는 자식 프로세스\n  \
                         (그래서 또 자식을 만드는)일 가능성이 큽니다."
                    ),
                }
            ));
            output_lines(stdout, stderr, o, &mut out);
        }
        Outcome::TimedOut {
            seconds,
            stdout,
            stderr,
        } => {
            out.push(format!(
                "{} {}",
                o.red("✗"),
                match lang {
                    Lang::En => format!(
                        "Still running after {seconds} s, so it was stopped (with every process it started).\n  \
                         Most likely a loop that never ends and never calls a `conc` operation (the checker can only\n  \
                         switch threads at `conc` calls), or a process that waits for something that never comes."
                    ),
                    Lang::Ko => format!(
                        "{seconds}초가 지나도 끝나지 않아 멈췄습니다 (시작한 프로세스도 모두).\n  \
                         끝나지 않고 `conc` 연산도 부르지 않는 반복문(검사기는 `conc` 호출에서만 스레드를 바꿀 수 있습니다),\n  \
                         또는 오지 않는 것을 기다리는 프로세스일 가능성이 큽니다."
                    ),
                }
            ));
            output_lines(stdout, stderr, o, &mut out);
        }
    }
    if v.source != Source::Exercise && !v.passed() {
        // Name the file the author edits: a variant's patch, not the file made from it.
        let shown = match &v.source {
            Source::Wrong(_) | Source::Right(_) => ws.defining_file(ex, &v.source),
            _ => file.clone(),
        };
        out.insert(0, o.dim(&format!("[{}]", ws.display(&shown))));
    }
    out.join("\n")
}

fn failure_lines(
    ws: &Workspace,
    failure: &Failure,
    learner_file: &str,
    executions: Option<usize>,
    o: &Options,
    out: &mut Vec<String>,
) {
    let lang = o.lang;
    let trace_options = o.for_trace(&ws.root, learner_file);
    let found_after = |out: &mut Vec<String>| {
        if let Some(n) = executions {
            out.push(o.dim(&match lang {
                Lang::En => format!("  (found by the model checker among {n} interleavings; it fails the same way every run)"),
                Lang::Ko => format!("  (모델 검사기가 {n}가지 실행 순서 중에서 찾았습니다. 매번 같은 방식으로 실패합니다)"),
            }));
        }
    };
    let show_trace = |trace: &Option<Trace>, heading: (&str, &str), out: &mut Vec<String>| {
        if let Some(trace) = trace {
            out.push(String::new());
            out.push(o.bold(t(lang, heading.0, heading.1)));
            out.extend(interleaving::render(trace, &trace_options));
        }
    };
    match failure {
        Failure::Panic {
            message,
            trace: Some(trace),
            ..
        } if message.starts_with("Causality violation") => {
            // loom's words for a data race on an UnsafeCell; its location is inside loom, so point at the
            // learner's last access to a cell instead.
            show_trace(
                &Some(trace.clone()),
                (
                    "The interleaving that broke it, step by step:",
                    "실패한 실행 순서를 한 단계씩 보면:",
                ),
                out,
            );
            out.push(String::new());
            out.push(format!(
                "  {} {}",
                o.red("⟶"),
                o.bold(t(
                    lang,
                    "Data race: two threads touched the same UnsafeCell and nothing ordered one access before the other (a Release store read by an Acquire load, or a lock).",
                    "데이터 경쟁: 두 스레드가 같은 UnsafeCell에 접근했는데, 한 접근이 다른 접근보다 먼저라는 보장(Release 쓰기를 읽는 Acquire 읽기, 또는 락)이 없습니다."
                ))
            ));
            if let Some(last) = interleaving::last_cell_access(trace) {
                out.push(format!(
                    "  {}",
                    interleaving::describe_at(last, &trace_options)
                ));
            }
            found_after(out);
        }
        Failure::Panic {
            message,
            location,
            thread,
            trace,
        } => {
            show_trace(
                trace,
                (
                    "The interleaving that broke it, step by step:",
                    "실패한 실행 순서를 한 단계씩 보면:",
                ),
                out,
            );
            let who = thread
                .map(|t| interleaving::thread_label(t, lang))
                .unwrap_or_default();
            let place = location
                .as_ref()
                .map(|l| {
                    let file = if l.file == learner_file {
                        interleaving::short(&l.file)
                    } else {
                        t(lang, "check", "검사").to_string()
                    };
                    format!(" ({file}:{})", l.line)
                })
                .unwrap_or_default();
            out.push(String::new());
            let panics = t(lang, "panics", "패닉");
            out.push(format!(
                "  {} {who} {panics}{place}: {}",
                o.red("⟶"),
                o.bold(message)
            ));
            found_after(out);
        }
        Failure::Deadlock { trace } => {
            out.push(format!(
                "  {}",
                t(
                    lang,
                    "Deadlock: every thread that is left is waiting, and none can go on.",
                    "교착 상태: 남은 스레드가 모두 기다리고 있어 아무도 진행할 수 없습니다."
                )
            ));
            show_trace(trace, ("How it got there:", "이렇게 됐습니다:"), out);
            if let Some(trace) = trace {
                out.push(String::new());
                out.push(o.bold(t(
                    lang,
                    "Where each thread is stuck:",
                    "각 스레드가 멈춘 곳:",
                )));
                out.extend(interleaving::stuck(trace, &trace_options));
            }
            found_after(out);
        }
        Failure::StepLimit { trace } => {
            out.push(format!(
                "  {}",
                t(
                    lang,
                    "One interleaving never finished: a thread keeps looping, waiting for something that, in this order of events, never happens.",
                    "어떤 실행 순서에서 끝나지 않았습니다. 한 스레드가 이 순서에서는 결코 일어나지 않는 일을 기다리며 계속 돕니다."
                )
            ));
            show_trace(trace, ("The last steps:", "마지막 단계들:"), out);
            if let Some(trace) = trace {
                let whereabouts = interleaving::whereabouts(trace, &trace_options);
                if !whereabouts.is_empty() {
                    out.push(String::new());
                    out.push(o.bold(t(lang, "Where each thread was:", "각 스레드가 있던 곳:")));
                    out.extend(whereabouts);
                }
                let holding = interleaving::holding(trace, &trace_options);
                if !holding.is_empty() {
                    out.push(String::new());
                    out.push(o.bold(t(
                        lang,
                        "Locks held at that point:",
                        "그 시점에 잡혀 있던 락:",
                    )));
                    out.extend(holding);
                }
            }
            found_after(out);
        }
        Failure::Process(p) => process::render(p, o, out),
    }
}

pub(crate) fn output_lines(
    stdout: &Captured,
    stderr: &Captured,
    o: &Options,
    out: &mut Vec<String>,
) {
    for (name, captured) in [("stdout", stdout), ("stderr", stderr)] {
        let text = captured.text();
        let text = text.trim_end();
        if text.is_empty() {
            continue;
        }
        out.push(o.dim(&format!("  ── {name} ──")));
        // At most 40 lines each: the head and the tail, which is where the story is.
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() > 40 {
            out.extend(lines[..20].iter().map(|l| format!("  {l}")));
            let skipped = lines.len() - 40;
            out.push(o.dim(&match o.lang {
                Lang::En => format!("  [… {skipped} lines …]"),
                Lang::Ko => format!("  [… {skipped}줄 생략 …]"),
            }));
            out.extend(lines[lines.len() - 20..].iter().map(|l| format!("  {l}")));
        } else {
            out.extend(lines.iter().map(|l| format!("  {l}")));
        }
    }
}

/// Which of a check's resource limits a process hit, if its end says so: an allocation that failed (the memory
/// limit), SIGXFSZ (a file past the size limit) or SIGXCPU (the CPU backstop). `memory_mb`: the exercise's limit.
pub fn limit_hit(
    signal: Option<i32>,
    stderr: &str,
    memory_mb: Option<u64>,
    lang: Lang,
) -> Option<String> {
    let file_mb = crate::check::run::FILE_SIZE_LIMIT >> 20;
    if stderr.contains("memory allocation of") && stderr.contains("failed") {
        let limit = match (memory_mb, lang) {
            (Some(mb), Lang::En) => format!("{mb} MiB"),
            (Some(mb), Lang::Ko) => format!("{mb} MiB"),
            (None, Lang::En) => "the limit".to_string(),
            (None, Lang::Ko) => "제한".to_string(),
        };
        return Some(match lang {
            Lang::En => format!(
                "It ran out of memory: each process of a check may use at most {limit} (a collection that grows \
                 without end?)."
            ),
            Lang::Ko => format!(
                "메모리가 모자랐습니다. 검사의 각 프로세스는 {limit}까지만 쓸 수 있습니다 (끝없이 커지는 컬렉션?)."
            ),
        });
    }
    match (signal, lang) {
        (Some(libc::SIGXFSZ), Lang::En) => Some(format!(
            "A file it wrote grew past {file_mb} MiB, the most any file of a check may hold (a write loop that \
             never ends?)."
        )),
        (Some(libc::SIGXFSZ), Lang::Ko) => Some(format!(
            "쓰던 파일이 검사의 파일 하나가 가질 수 있는 최대 크기 {file_mb} MiB를 넘었습니다 (끝나지 않는 쓰기 반복?)."
        )),
        (Some(libc::SIGXCPU), Lang::En) => {
            Some("It used more CPU time than a check allows (a loop that never ends?).".to_string())
        }
        (Some(libc::SIGXCPU), Lang::Ko) => {
            Some("검사가 허용하는 것보다 CPU 시간을 더 썼습니다 (끝나지 않는 반복문?).".to_string())
        }
        _ => None,
    }
}
