//! A process check's failure: the check's message, the role that failed and how it ended, what every stuck
//! process was doing when it was stopped and why (the diagnosis), processes left running, named objects left
//! behind, and the output of each role. Everything in English and Korean.

use super::{Options, output_lines};
use crate::i18n::{Lang, t};
use conc_check::diagnose::{Activity, Diagnosis, Finding, Holder, THE_CHECK, ThreadState, Who};
use conc_check::process::{Leaked, ObjectKind, ProcessFailure, RoleReport};
use conc_check::supervise::Captured;

/// A process check's failure: its message, the role, how it ended, why, its output.
pub(super) fn render(p: &ProcessFailure, o: &Options, out: &mut Vec<String>) {
    let lang = o.lang;
    let d = &p.details;
    let mut message = wrap(&p.message, prose_width(o)).into_iter();
    if let Some(first) = message.next() {
        out.push(format!("  {} {}", o.red("⟶"), o.bold(&first)));
    }
    out.extend(message.map(|l| format!("    {}", o.bold(&l))));
    if let Some(role) = &p.role {
        let how = ended(p.timed_out, p.timeout_ms, p.exit_code, p.signal, lang);
        out.push(match lang {
            Lang::En => format!("  role `{role}` {how}"),
            Lang::Ko => format!("  역할 `{role}`: {how}"),
        });
        let stderr = d.stderr.as_ref().map(|c| format!("{}{}", c.head, c.tail));
        if let Some(hint) = super::limit_hit(p.signal, stderr.as_deref().unwrap_or(""), None, lang)
        {
            out.push(format!("  {hint}"));
        }
    }
    match &d.diagnosis {
        Some(diagnosis) => render_diagnosis(diagnosis, o, out),
        None if p.timed_out => out.push(o.dim(t(
            lang,
            "  (why it was stuck cannot be read on this system: the diagnosis needs Linux's /proc)",
            "  (이 시스템에서는 왜 멈췄는지 읽을 수 없습니다. 진단에는 리눅스의 /proc이 필요합니다)",
        ))),
        None => {}
    }
    if !d.left_running.is_empty() {
        out.push(String::new());
        out.push(o.bold(t(
            lang,
            "Still running after the role exited (killed now):",
            "역할이 끝난 뒤에도 돌고 있던 프로세스 (지금 종료시킴):",
        )));
        for w in &d.left_running {
            out.push(format!("    {}", who(w, o)));
        }
        out.push(
            t(
                lang,
                "  A parent should wait for (reap) every child it starts; a process that must outlive it is a daemon,\n  \
                 which an exercise never needs.",
                "  부모는 시작한 자식을 모두 기다려(wait) 거둬야 합니다. 부모보다 오래 살아야 하는 프로세스는 데몬인데,\n  \
                 연습 문제에는 필요 없습니다.",
            )
            .to_string(),
        );
    }
    if !d.unreaped.is_empty() {
        out.push(String::new());
        out.push(o.bold(t(
            lang,
            "Ended, but never waited for (zombies until the check reaped them):",
            "끝났지만 아무도 기다리지 않은 자식 (검사가 거둘 때까지 좀비):",
        )));
        for w in &d.unreaped {
            // A zombie's command line is gone with it: name it by its pid and by the role it belonged to.
            if w.role == format!("pid {}", w.pid) {
                let role = p.role.as_deref().unwrap_or("?");
                out.push(match lang {
                    Lang::En => format!("    pid {}, a child of role `{role}`", w.pid),
                    Lang::Ko => format!("    pid {}, 역할 `{role}`의 자식", w.pid),
                });
            } else {
                out.push(format!("    {}", who(w, o)));
            }
        }
        out.push(
            t(
                lang,
                "  A child that has ended keeps its exit status, and its slot in the process table, until its parent\n  \
                 waits for it (`child.wait()`, `waitpid`). A parent that never does leaks one zombie per child.",
                "  끝난 자식은 부모가 기다려 줄 때까지(`child.wait()`, `waitpid`) 종료 상태와 프로세스 테이블의 자리를\n  \
                 그대로 차지합니다. 기다리지 않는 부모는 자식마다 좀비 하나를 남깁니다.",
            )
            .to_string(),
        );
    }
    if !d.leaked.is_empty() {
        out.push(String::new());
        out.push(o.bold(t(
            lang,
            "Left behind (removed now):",
            "남겨진 것 (지금 지움):",
        )));
        for l in &d.leaked {
            out.push(format!("    {}", leaked(l, o)));
        }
        out.push(
            t(
                lang,
                "  A file, FIFO, socket file, shared-memory file or POSIX queue outlives the processes that made it,\n  \
                 until someone removes it (`remove_file`, `mq_unlink`). Remove yours when you are done with it.",
                "  파일, FIFO, 소켓 파일, 공유 메모리 파일, POSIX 큐는 누군가 지울 때까지(`remove_file`, `mq_unlink`)\n  \
                 만든 프로세스보다 오래 남습니다. 다 쓰면 지우세요.",
            )
            .to_string(),
        );
    }
    let empty = Captured::default();
    output_lines(
        d.stdout.as_ref().unwrap_or(&empty),
        d.stderr.as_ref().unwrap_or(&empty),
        o,
        out,
    );
    for other in &d.others {
        render_other(other, o, out);
    }
}

fn ended(
    timed_out: bool,
    timeout_ms: Option<u64>,
    exit_code: Option<i32>,
    signal: Option<i32>,
    lang: Lang,
) -> String {
    if timed_out {
        match (timeout_ms, lang) {
            (Some(ms), Lang::En) => {
                format!("was stopped at its time limit ({})", seconds(ms, lang))
            }
            (Some(ms), Lang::Ko) => format!("제한 시간({})에 멈췄습니다", seconds(ms, lang)),
            (None, _) => t(
                lang,
                "was stopped at its time limit",
                "제한 시간에 멈췄습니다",
            )
            .to_string(),
        }
    } else if let Some(s) = signal {
        match lang {
            Lang::En => format!("was killed by signal {s}"),
            Lang::Ko => format!("{s}번 시그널로 죽었습니다"),
        }
    } else if let Some(c) = exit_code {
        match lang {
            Lang::En => format!("exited with status {c}"),
            Lang::Ko => format!("끝났습니다(종료 코드 {c})"),
        }
    } else {
        String::new()
    }
}

/// `3 s` in English, `3초` in Korean (the unit attached, as Korean writes it).
fn seconds(ms: u64, lang: Lang) -> String {
    let unit = t(lang, " s", "초");
    if ms % 1000 == 0 {
        format!("{}{unit}", ms / 1000)
    } else {
        format!("{:.1}{unit}", ms as f64 / 1000.0)
    }
}

/// A FIFO's path (" `path`", or nothing) as Korean puts it: before the word FIFO ("`path` FIFO를"), so that no
/// particle follows a path whose last sound is unknown.
fn ko_path(path: &str) -> String {
    match path.trim_start() {
        "" => String::new(),
        p => format!("{p} "),
    }
}

fn who(w: &Who, o: &Options) -> String {
    format!("`{}` {}", w.role, o.dim(&format!("(pid {})", w.pid)))
}

fn name(w: &Who) -> String {
    format!("`{}`", w.role)
}

fn render_diagnosis(d: &Diagnosis, o: &Options, out: &mut Vec<String>) {
    let lang = o.lang;
    if d.processes.is_empty() {
        return;
    }
    out.push(String::new());
    out.push(o.bold(t(
        lang,
        "What each process was doing when it was stopped:",
        "멈출 때 각 프로세스가 하고 있던 일:",
    )));
    let width = d
        .processes
        .iter()
        .map(|p| p.role.chars().count())
        .max()
        .unwrap_or(0)
        .min(32);
    for p in &d.processes {
        for (i, thread) in p.threads.iter().enumerate() {
            let label = if i == 0 {
                format!("{:<width$}", p.role)
            } else {
                let n = i + 1;
                format!(
                    "{:<width$}",
                    match lang {
                        Lang::En => format!("  thread {n}"),
                        Lang::Ko => format!("  스레드 {n}"),
                    }
                )
            };
            let pid = if i == 0 {
                o.dim(&format!("pid {:<7}", p.pid))
            } else {
                o.dim(&format!("tid {:<7}", thread.tid))
            };
            out.push(format!(
                "    {label}  {pid} {}  {}",
                activity(thread, lang),
                o.dim(&kernel(thread))
            ));
        }
    }
    if d.findings.is_empty() {
        return;
    }
    out.push(String::new());
    out.push(o.bold(t(lang, "Why:", "이유:")));
    // Two processes each waiting in a FIFO open is the classic open-order deadlock; one alone is a missing peer.
    let fifo_waiters = d
        .findings
        .iter()
        .filter(|f| matches!(f, Finding::FifoOpen { .. }))
        .count();
    for f in &d.findings {
        let text = finding(f, lang, fifo_waiters);
        let mut lines = wrap(&text, prose_width(o)).into_iter();
        if let Some(first) = lines.next() {
            out.push(format!("  {} {first}", o.red("•")));
        }
        out.extend(lines.map(|l| format!("    {l}")));
    }
}

/// The kernel's own words, for those who want to look further: `[anon_pipe_read, read]`.
fn kernel(thread: &ThreadState) -> String {
    let mut words: Vec<&str> = Vec::new();
    if !thread.wchan.is_empty() {
        words.push(&thread.wchan);
    }
    if let Some(s) = &thread.syscall {
        words.push(s);
    }
    if thread.cpu_ms > 0 {
        return format!("[{} {} ms CPU / 50 ms]", words.join(", "), thread.cpu_ms)
            .replace("[ ", "[");
    }
    if words.is_empty() {
        format!("[state {}]", thread.state)
    } else {
        format!("[{}]", words.join(", "))
    }
}

fn fd_note(fd: Option<i32>, lang: Lang) -> String {
    match (fd, lang) {
        (Some(fd), Lang::En) => format!(" (fd {fd})"),
        (Some(fd), Lang::Ko) => format!(" (fd {fd})"),
        (None, _) => String::new(),
    }
}

fn activity(thread: &ThreadState, lang: Lang) -> String {
    use Activity::*;
    match (&thread.activity, lang) {
        (Busy, Lang::En) => "running: using the CPU".into(),
        (Busy, Lang::Ko) => "실행 중: CPU를 쓰고 있음".into(),
        (WritingPipe { fd, fifo: Some(f) }, Lang::En) => {
            format!(
                "writing into the full FIFO `{}`{}",
                short(f),
                fd_note(*fd, lang)
            )
        }
        (WritingPipe { fd, fifo: Some(f) }, Lang::Ko) => {
            format!(
                "가득 찬 FIFO `{}`에 쓰는 중{}",
                short(f),
                fd_note(*fd, lang)
            )
        }
        (WritingPipe { fd, .. }, Lang::En) => {
            format!("writing into a full pipe{}", fd_note(*fd, lang))
        }
        (WritingPipe { fd, .. }, Lang::Ko) => {
            format!("가득 찬 파이프에 쓰는 중{}", fd_note(*fd, lang))
        }
        (ReadingPipe { fd, fifo: Some(f) }, Lang::En) => format!(
            "waiting to read from the FIFO `{}`{}",
            short(f),
            fd_note(*fd, lang)
        ),
        (ReadingPipe { fd, fifo: Some(f) }, Lang::Ko) => format!(
            "`{}` FIFO에서 읽으려고 기다리는 중{}",
            short(f),
            fd_note(*fd, lang)
        ),
        (ReadingPipe { fd, .. }, Lang::En) => {
            format!("waiting to read from a pipe{}", fd_note(*fd, lang))
        }
        (ReadingPipe { fd, .. }, Lang::Ko) => {
            format!("파이프에서 읽으려고 기다리는 중{}", fd_note(*fd, lang))
        }
        (OpeningFifo { path, for_writing }, lang) => {
            let path = path
                .as_deref()
                .map(|p| format!(" `{}`", short(p)))
                .unwrap_or_default();
            match (for_writing, lang) {
                (Some(true), Lang::En) => {
                    format!("opening the FIFO{path} to write, waiting for a reader")
                }
                (Some(false), Lang::En) => {
                    format!("opening the FIFO{path} to read, waiting for a writer")
                }
                (None, Lang::En) => format!("opening the FIFO{path}, waiting for the other end"),
                // The path goes before the word FIFO, so that the particle follows a Korean word.
                (Some(true), Lang::Ko) => {
                    format!("{}FIFO를 쓰기로 여는 중, 읽을 쪽을 기다림", ko_path(&path))
                }
                (Some(false), Lang::Ko) => {
                    format!("{}FIFO를 읽기로 여는 중, 쓸 쪽을 기다림", ko_path(&path))
                }
                (None, Lang::Ko) => format!("{}FIFO를 여는 중, 반대쪽 끝을 기다림", ko_path(&path)),
            }
        }
        (ReadingSocket { fd }, Lang::En) => {
            format!("waiting to read from a socket{}", fd_note(*fd, lang))
        }
        (ReadingSocket { fd }, Lang::Ko) => {
            format!("소켓에서 읽으려고 기다리는 중{}", fd_note(*fd, lang))
        }
        (WritingSocket { fd }, Lang::En) => {
            format!(
                "writing into a socket whose buffer is full{}",
                fd_note(*fd, lang)
            )
        }
        (WritingSocket { fd }, Lang::Ko) => {
            format!("버퍼가 가득 찬 소켓에 쓰는 중{}", fd_note(*fd, lang))
        }
        (Accepting, Lang::En) => "waiting for a connection (accept)".into(),
        (Accepting, Lang::Ko) => "연결을 기다리는 중 (accept)".into(),
        (Connecting, Lang::En) => "connecting".into(),
        (Connecting, Lang::Ko) => "연결하는 중".into(),
        (WaitingForChild, Lang::En) => "waiting for a child process to exit".into(),
        (WaitingForChild, Lang::Ko) => "자식 프로세스가 끝나기를 기다리는 중".into(),
        (WaitingOnLock, Lang::En) => {
            "waiting on a lock, condition variable, channel or thread join".into()
        }
        (WaitingOnLock, Lang::Ko) => "락, 조건 변수, 채널 또는 스레드 join을 기다리는 중".into(),
        (Sleeping, Lang::En) => "sleeping".into(),
        (Sleeping, Lang::Ko) => "잠자는 중 (sleep)".into(),
        (Polling, Lang::En) => "waiting in poll/select/epoll".into(),
        (Polling, Lang::Ko) => "poll/select/epoll에서 기다리는 중".into(),
        (
            MessageQueue {
                sending: Some(true),
            },
            Lang::En,
        ) => "waiting to send to a full message queue".into(),
        (
            MessageQueue {
                sending: Some(true),
            },
            Lang::Ko,
        ) => "가득 찬 메시지 큐에 보내려고 기다리는 중".into(),
        (
            MessageQueue {
                sending: Some(false),
            },
            Lang::En,
        ) => "waiting to receive from an empty message queue".into(),
        (
            MessageQueue {
                sending: Some(false),
            },
            Lang::Ko,
        ) => "빈 메시지 큐에서 받으려고 기다리는 중".into(),
        (MessageQueue { sending: None }, Lang::En) => "waiting on a message queue".into(),
        (MessageQueue { sending: None }, Lang::Ko) => "메시지 큐를 기다리는 중".into(),
        (FileLock, Lang::En) => "waiting for a file lock".into(),
        (FileLock, Lang::Ko) => "파일 락을 기다리는 중".into(),
        (Stopped, Lang::En) => "stopped (by a signal)".into(),
        (Stopped, Lang::Ko) => "(시그널로) 정지됨".into(),
        (Other, Lang::En) => "waiting in the kernel".into(),
        (Other, Lang::Ko) => "커널 안에서 기다리는 중".into(),
    }
}

/// A path as the learner knows it: its file name.
fn short(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// "`a` (fd 5) and `b` itself (fd 1)" — the processes holding one end of a pipe.
fn holders(list: &[Holder], me: Option<&Who>, lang: Lang) -> String {
    let words: Vec<String> = list
        .iter()
        .map(|h| {
            let itself = me.is_some_and(|m| m.pid == h.pid);
            if h.role == THE_CHECK {
                return t(lang, "the check itself", "검사 프로그램 자신").to_string();
            }
            match (itself, lang) {
                (true, Lang::En) => format!("`{}` itself (fd {})", h.role, h.fd),
                (true, Lang::Ko) => format!("`{}` 자신 (fd {})", h.role, h.fd),
                (false, _) => format!("`{}` (fd {})", h.role, h.fd),
            }
        })
        .collect();
    join(&words, lang)
}

/// Whether the check program alone holds these ends.
fn by_the_check(list: &[Holder]) -> bool {
    !list.is_empty() && list.iter().all(|h| h.role == THE_CHECK)
}

fn join(words: &[String], lang: Lang) -> String {
    let and = t(lang, " and ", ", ");
    match words.len() {
        0 => String::new(),
        1 => words[0].clone(),
        n => format!("{}{and}{}", words[..n - 1].join(", "), words[n - 1]),
    }
}

fn names(list: &[Who], lang: Lang) -> String {
    join(&list.iter().map(name).collect::<Vec<_>>(), lang)
}

fn finding(f: &Finding, lang: Lang, fifo_waiters: usize) -> String {
    match (f, lang) {
        (Finding::PipeWriteDeadlock { writers }, Lang::En) => format!(
            "Deadlock: {} are each writing into a full pipe that only the other would read. A pipe holds 64 KiB; \
             then the writer waits until someone reads. Nobody reads, so nobody can write again. Read while you \
             write (a second thread), or write less than the buffer before reading.",
            names(writers, lang)
        ),
        (Finding::PipeWriteDeadlock { writers }, Lang::Ko) => format!(
            "교착 상태: {} 프로세스가 각자 가득 찬 파이프에 쓰고 있는데, 그 파이프를 읽을 쪽은 서로뿐입니다. 파이프는 \
             64 KiB를 담고, 그 뒤로는 누군가 읽을 때까지 쓰는 쪽이 기다립니다. 아무도 읽지 않으니 아무도 더 쓸 수 \
             없습니다. 쓰는 동안 읽으세요(두 번째 스레드), 아니면 읽기 전에 버퍼보다 적게 쓰세요.",
            names(writers, lang)
        ),
        (Finding::PipeFull { writer, readers }, Lang::En) if by_the_check(readers) => format!(
            "{} writes into a full pipe (64 KiB) that only the check reads, and the check reads it later in this \
             scenario (a slow reader): this wait is part of the test, not the cause.",
            name(writer)
        ),
        (Finding::PipeFull { writer, readers }, Lang::Ko) if by_the_check(readers) => format!(
            "{} 프로세스가 가득 찬 파이프(64 KiB)에 쓰고 있습니다. 이 파이프는 검사 프로그램만 읽는데, 이 시나리오에서는 \
             나중에 읽습니다(느리게 읽는 쪽). 이 기다림은 검사의 일부이지 원인이 아닙니다.",
            name(writer)
        ),
        (Finding::PipeFull { writer, readers }, Lang::En) if readers.is_empty() => format!(
            "{} writes into a full pipe (64 KiB) and waits for a reader, but no process of the run reads it.",
            name(writer)
        ),
        (Finding::PipeFull { writer, readers }, Lang::Ko) if readers.is_empty() => format!(
            "{} 프로세스가 가득 찬 파이프(64 KiB)에 쓰며 읽을 쪽을 기다리지만, 실행 중인 어느 프로세스도 그것을 읽지 않습니다.",
            name(writer)
        ),
        (Finding::PipeFull { writer, readers }, Lang::En) => format!(
            "{} writes into a full pipe (64 KiB) and waits until it is read; its read end is open in {}, which is \
             busy with something else (above) instead of reading.",
            name(writer),
            holders(readers, Some(writer), lang)
        ),
        (Finding::PipeFull { writer, readers }, Lang::Ko) => format!(
            "{} 프로세스가 가득 찬 파이프(64 KiB)에 쓰며 누가 읽기를 기다립니다. 읽기 끝은 {}에 열려 있는데, 그쪽은 읽지 않고 \
             다른 일(위)을 하고 있습니다.",
            name(writer),
            holders(readers, Some(writer), lang)
        ),
        (Finding::EofNeverComes { reader, holders: h }, Lang::En) if by_the_check(h) => format!(
            "{} waits for data on a pipe whose write end only the check holds, and in this scenario the check \
             sends nothing more on it (a peer that stays silent).",
            name(reader)
        ),
        (Finding::EofNeverComes { reader, holders: h }, Lang::Ko) if by_the_check(h) => format!(
            "{} 프로세스가 파이프에서 데이터를 기다리는데, 그 쓰기 끝은 검사 프로그램만 쥐고 있고 이 시나리오에서 검사 \
             프로그램은 더 보내지 않습니다(말없는 상대).",
            name(reader)
        ),
        (Finding::EofNeverComes { reader, holders: h }, Lang::En) if h.is_empty() => format!(
            "{} waits to read from a pipe that no process of the run writes to.",
            name(reader)
        ),
        (Finding::EofNeverComes { reader, holders: h }, Lang::Ko) if h.is_empty() => format!(
            "{} 프로세스가 파이프에서 읽으려고 기다리지만, 실행 중인 어느 프로세스도 그 파이프에 쓰지 않습니다.",
            name(reader)
        ),
        (Finding::EofNeverComes { reader, holders: h }, Lang::En) => format!(
            "{} waits for data or end-of-file on a pipe, and neither will come: nobody writes to it, yet its write \
             end is still open in {}. End-of-file comes only when every write end is closed, so every process \
             must close (drop) the ends it does not use.",
            name(reader),
            holders(h, Some(reader), lang)
        ),
        (Finding::EofNeverComes { reader, holders: h }, Lang::Ko) => format!(
            "{} 프로세스가 파이프에서 데이터나 EOF를 기다리지만 둘 다 오지 않습니다. 아무도 쓰지 않는데 쓰기 끝이 {}에 아직 \
             열려 있습니다. EOF는 모든 쓰기 끝이 닫혀야 오므로, 프로세스마다 쓰지 않는 끝은 닫아야(drop) 합니다.",
            name(reader),
            holders(h, Some(reader), lang)
        ),
        (
            Finding::FifoOpen {
                who,
                path,
                for_writing,
            },
            lang,
        ) => {
            let path = path
                .as_deref()
                .map(|p| format!(" `{}`", short(p)))
                .unwrap_or_default();
            let (en_end, en_other) = match for_writing {
                Some(true) => (" to write", "a reader opens it"),
                Some(false) => (" to read", "a writer opens it"),
                None => ("", "the other end is opened"),
            };
            // One whole clause per case: Korean puts the particles on the words, not on pieces glued together.
            let ko_open = match for_writing {
                Some(true) => {
                    format!(
                        "{}FIFO를 쓰기로 열고, 읽는 쪽이 FIFO를 열기를 기다립니다",
                        ko_path(&path)
                    )
                }
                Some(false) => {
                    format!(
                        "{}FIFO를 읽기로 열고, 쓰는 쪽이 FIFO를 열기를 기다립니다",
                        ko_path(&path)
                    )
                }
                None => format!(
                    "{}FIFO를 열고, 반대쪽 끝이 열리기를 기다립니다",
                    ko_path(&path)
                ),
            };
            let (en_advice, ko_advice) = if fifo_waiters > 1 {
                (
                    "Check the order in which the processes open their FIFOs — two processes that each first open a \
                     different FIFO wait for each other for ever.",
                    "프로세스들이 FIFO를 여는 순서를 확인하세요. 서로 다른 FIFO를 먼저 여는 두 프로세스는 서로를 \
                     영원히 기다립니다.",
                )
            } else {
                (
                    "No process has the other end open: is the peer running, and does it open this same path?",
                    "반대쪽 끝을 연 프로세스가 없습니다. 상대 프로세스가 실행 중인지, 같은 경로를 여는지 확인하세요.",
                )
            };
            match lang {
                Lang::En => format!(
                    "{} opens the FIFO{path}{en_end} and waits until {en_other}: opening a FIFO blocks until both \
                     ends are open. {en_advice}",
                    name(who)
                ),
                Lang::Ko => format!(
                    "{} 프로세스가 {ko_open}. FIFO는 양쪽 끝이 모두 열려야 open이 끝납니다. {ko_advice}",
                    name(who)
                ),
            }
        }
        (Finding::SocketNoShutdown { reader }, Lang::En) => format!(
            "{} waits to read from a socket: the other side neither sends more nor shuts down its writing side, so \
             end-of-file never comes. A side that has sent everything should `shutdown(Shutdown::Write)` (or close \
             the socket), or the messages need a length or an end marker.",
            name(reader)
        ),
        (Finding::SocketNoShutdown { reader }, Lang::Ko) => format!(
            "{} 프로세스가 소켓에서 읽으려고 기다립니다. 상대가 더 보내지도 않고 쓰기 쪽을 닫지도(shutdown) 않아 EOF가 오지 \
             않습니다. 다 보낸 쪽은 `shutdown(Shutdown::Write)`를 하거나 소켓을 닫아야 하고, 아니면 메시지에 길이나 \
             끝 표시가 있어야 합니다.",
            name(reader)
        ),
        (Finding::WaitingForChild { parent, children }, Lang::En) if children.is_empty() => {
            format!("{} waits for a child process to exit.", name(parent))
        }
        (Finding::WaitingForChild { parent, children }, Lang::Ko) if children.is_empty() => {
            format!(
                "{} 프로세스가 자식 프로세스가 끝나기를 기다립니다.",
                name(parent)
            )
        }
        (Finding::WaitingForChild { parent, children }, Lang::En) => format!(
            "{} waits for its child {} to exit, and the child is stuck as described above.",
            name(parent),
            names(children, lang)
        ),
        (Finding::WaitingForChild { parent, children }, Lang::Ko) => format!(
            "{} 프로세스가 자식 프로세스({})가 끝나기를 기다리는데, 그 자식은 위에서 말한 대로 멈춰 있습니다.",
            name(parent),
            names(children, lang)
        ),
        (Finding::BusyLoop { who }, Lang::En) => format!(
            "{} kept using the CPU while being watched: a loop that never ends (busy-waiting for something that \
             never happens?).",
            names(who, lang)
        ),
        (Finding::BusyLoop { who }, Lang::Ko) => format!(
            "{} 프로세스가 지켜보는 동안 계속 CPU를 썼으므로 끝나지 않는 반복문입니다 (일어나지 않을 일을 바쁘게 기다리고 있지 않습니까?).",
            names(who, lang)
        ),
    }
}

fn leaked(l: &Leaked, o: &Options) -> String {
    let lang = o.lang;
    let kind = match (l.kind, lang) {
        (ObjectKind::Fifo, Lang::En) => "FIFO",
        (ObjectKind::Fifo, Lang::Ko) => "FIFO",
        (ObjectKind::Socket, Lang::En) => "socket file",
        (ObjectKind::Socket, Lang::Ko) => "소켓 파일",
        (ObjectKind::SharedMemory, Lang::En) => "shared-memory file",
        (ObjectKind::SharedMemory, Lang::Ko) => "공유 메모리 파일",
        (ObjectKind::MessageQueue, Lang::En) => "POSIX message queue",
        (ObjectKind::MessageQueue, Lang::Ko) => "POSIX 메시지 큐",
        (ObjectKind::File, Lang::En) => "file",
        (ObjectKind::File, Lang::Ko) => "파일",
    };
    format!("{kind} `{}`  {}", l.name, o.dim(&l.path))
}

fn render_other(r: &RoleReport, o: &Options, out: &mut Vec<String>) {
    let lang = o.lang;
    let how = ended(r.timed_out, None, r.exit_code, r.signal, lang);
    out.push(String::new());
    out.push(match lang {
        Lang::En => format!("  role `{}` (at the same time) {how}", r.role),
        Lang::Ko => format!("  (같은 때 실행된) 역할 `{}`: {how}", r.role),
    });
    output_lines(&r.stdout, &r.stderr, o, out);
}

/// Columns for a paragraph after its four-column indent: the terminal's width when known (watch), so that the
/// screen does not wrap an already wrapped line a second time; 100 through a pipe.
fn prose_width(o: &Options) -> usize {
    o.width.map_or(100, |w| w.saturating_sub(4).max(40))
}

/// Splits a paragraph into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && columns(&line) + 1 + columns(word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Terminal columns: Hangul and other wide characters take two.
fn columns(s: &str) -> usize {
    s.chars().map(|c| if c >= '\u{1100}' { 2 } else { 1 }).sum()
}

#[cfg(test)]
mod tests {
    use super::seconds;
    use crate::i18n::Lang;

    #[test]
    fn a_long_message_is_wrapped_to_the_terminal_not_to_100_columns() {
        let failure = conc_check::process::ProcessFailure {
            message: "자식 프로세스가 보낸 기록 두 개가 한 줄에 섞여 도착했습니다. 기록 하나는 write_all 한 번으로 \
                      보내야 PIPE_BUF(4,096바이트) 이하에서 섞이지 않습니다"
                .into(),
            role: None,
            timed_out: false,
            timeout_ms: None,
            exit_code: Some(1),
            signal: None,
            details: Default::default(),
        };
        for width in [60, 80] {
            let options = crate::render::Options {
                lang: Lang::Ko,
                color: false,
                verbose: false,
                width: Some(width),
                view: Default::default(),
            };
            let mut out = Vec::new();
            super::render(&failure, &options, &mut out);
            assert!(out.len() >= 2, "{out:?}");
            for line in &out {
                assert!(
                    console::measure_text_width(line) <= width,
                    "wider than {width}: {line:?}"
                );
            }
        }
    }

    #[test]
    fn seconds_read_as_each_language_writes_them() {
        assert_eq!(seconds(3000, Lang::En), "3 s");
        assert_eq!(seconds(1500, Lang::En), "1.5 s");
        assert_eq!(seconds(3000, Lang::Ko), "3초");
        assert_eq!(seconds(1500, Lang::Ko), "1.5초");
    }
}
