// Hidden check for `append_the_log`: lines appended by several processes all end up in the log, whole and in
// each process's order. The interleaving is forced, not hoped for: in the concurrent scenarios the processes
// take turns one file operation each (conc_check::force::turns), so a seek-then-write lands on a line another process appended
// in between, and a line written in two pieces gets another process's line in its middle — on every run.
//
// requirement (header)                                   → check
// every appended line ends up in the log, in order        → "one process appends 5 lines"
// O_APPEND: no line overwrites another's                  → "both opening the log before either writes"
// one write per line: lines stay whole                    → "taking turns write by write", "three processes"
// the demo's workers all finish before the log is counted → "the demo program"
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, fail_check, pick, secs};
use std::path::{Path, PathBuf};

use conc_check::force::turns;

// This program's read, write, lock and rename calls go through the turnstile (see conc_check::force::turns).
conc_check::interpose_file_turns!();

fn or_exit<T>(result: std::io::Result<T>, what: &str) -> T {
    result.unwrap_or_else(|e| {
        eprintln!("{what}: {e}");
        std::process::exit(1)
    })
}

fn line(worker: usize, i: usize) -> String {
    format!("worker {worker}: event {i}")
}

/// Runs `workers` processes appending `lines` lines each (taking turns when `turns`), after `before` lines
/// appended by an earlier process; returns the log's text.
fn append(ex: &Exercise, workers: usize, lines: usize, turns: bool) -> String {
    let folder = ex.file_path("logs");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("the check's folder");
    let log = folder.join("app.log");
    let control = ex.file_path("turns.ctl");
    if turns {
        turns::prepare(&control, workers as u32).expect("the check's turnstile");
    }
    let (log_s, control_s) = (log.display().to_string(), control.display().to_string());
    let lines_s = lines.to_string();
    let running = (0..workers)
        .map(|w| {
            let w = w.to_string();
            let control_arg = if turns { control_s.as_str() } else { "-" };
            ex.check_role("append", &[&log_s, &w, &lines_s, control_arg])
                .timeout(secs(8))
                .start()
        })
        .collect();
    for out in ex.wait_all(running, secs(8)) {
        out.expect_success();
    }
    std::fs::read_to_string(&log).unwrap_or_else(|e| {
        fail_check(&pick(
            format!("cannot read the log {}: {e}", log.display()),
            format!("로그 파일({})을 읽을 수 없습니다: {e}", log.display()),
        ))
    })
}

/// Fails unless `text` holds every line of `workers` × `lines`, whole, each worker's in order.
fn expect_log(text: &str, workers: usize, lines: usize, turns: bool) {
    let got: Vec<&str> = text.lines().collect();
    let expected: Vec<String> = (0..workers)
        .flat_map(|w| (0..lines).map(move |i| line(w, i)))
        .collect();
    let missing: Vec<&String> = expected
        .iter()
        .filter(|l| !got.contains(&l.as_str()))
        .collect();
    let broken: Vec<&&str> = got
        .iter()
        .filter(|l| !expected.iter().any(|e| e == **l))
        .collect();
    // Missing and not even a piece of a broken line: overwritten.
    let gone: Vec<&&String> = missing
        .iter()
        .filter(|m| !broken.iter().any(|b| b.contains(m.as_str())))
        .collect();
    let how = if turns {
        tr(
            " (The processes took turns, one file operation each.)",
            " (프로세스들이 파일 연산 하나씩 번갈아 실행했습니다.)",
        )
    } else {
        ""
    };
    let total = expected.len();
    if !missing.is_empty() || !broken.is_empty() || !text.ends_with('\n') {
        let mut message = pick(
            format!(
                "the log should hold {total} whole lines, one per append; it holds {} line(s).{how}",
                got.len()
            ),
            format!(
                "로그에는 append 한 번에 한 줄씩, 온전한 줄 {total}개가 있어야 하는데 {}줄이 있습니다.{how}",
                got.len()
            ),
        );
        if let Some(first) = gone.first() {
            message += &pick(
                format!(
                    " {} appended line(s) are gone, e.g. {first:?}: overwritten — a process wrote where the end \
                     of the file was before another process appended. Only append mode moves to the end and writes \
                     in one step.",
                    gone.len()
                ),
                format!(
                    " 덧붙인 줄 {}개가 사라졌습니다. 예: {first:?}. 덮어써졌습니다. 한 프로세스가, 다른 프로세스가 \
                     덧붙이기 전에 파일 끝이었던 자리에 썼습니다. 덧붙이기 모드만이 끝으로 이동과 쓰기를 한 단계로 \
                     합니다.",
                    gone.len()
                ),
            );
        }
        if let Some(first) = broken.first() {
            message += &pick(
                format!(
                    " {} line(s) are not lines any process wrote, e.g. {first:?}: a line went to the kernel in more \
                     than one write, and another process's write landed in between.",
                    broken.len()
                ),
                format!(
                    " 어느 프로세스도 쓰지 않은 줄이 {}개 있습니다. 예: {first:?}. 한 줄이 여러 번의 쓰기로 커널에 \
                     넘어갔고, 그 사이에 다른 프로세스의 쓰기가 끼어들었습니다.",
                    broken.len()
                ),
            );
        }
        fail_check(&message);
    }
    for w in 0..workers {
        let mine: Vec<&str> = got
            .iter()
            .copied()
            .filter(|l| l.starts_with(&format!("worker {w}:")))
            .collect();
        let in_order: Vec<String> = (0..lines).map(|i| line(w, i)).collect();
        if mine != in_order {
            fail_check(&pick(
                format!("worker {w}'s lines are not in the order it appended them: {mine:?}"),
                format!("작업 프로세스 {w}의 줄이 덧붙인 순서가 아닙니다: {mine:?}"),
            ));
        }
    }
}

pub fn checks(c: &mut Checks) {
    // append LOG WORKER LINES CONTROL|-
    c.role("append", |args| {
        let log_path = PathBuf::from(&args[0]);
        let worker: usize = args[1].parse().expect("a worker number");
        let lines: usize = args[2].parse().expect("a number of lines");
        let turnstile = (args[3] != "-").then(|| {
            or_exit(
                turns::arm(Path::new(&args[3]), log_path.parent().expect("a folder")),
                "the check could not arm its turnstile",
            )
        });
        let mut log = or_exit(Log::open(&log_path), tr("Log::open failed", "Log::open 호출 실패"));
        for i in 0..lines {
            or_exit(log.append(&line(worker, i)), tr("Log::append failed", "Log::append 호출 실패"));
        }
        drop(log);
        if let Some(t) = turnstile {
            t.finish();
        }
    });

    c.process(
        (
            "one process appends 5 lines: the log holds them, in order",
            "프로세스 하나가 5줄을 덧붙임: 로그에 순서대로 있습니다",
        ),
        |ex| expect_log(&append(ex, 1, 5, false), 1, 5, false),
    );
    c.process(
        (
            "two processes append one line each, both opening the log before either writes: both lines are there",
            "두 프로세스가 한 줄씩 덧붙임, 둘 다 쓰기 전에 로그를 엶: 두 줄 다 있습니다",
        ),
        |ex| expect_log(&append(ex, 2, 1, true), 2, 1, true),
    );
    c.process(
        (
            "two processes append 3 lines each, taking turns write by write: all 6 lines, whole",
            "두 프로세스가 3줄씩, 쓰기 한 번씩 번갈아 덧붙임: 6줄 모두 온전히",
        ),
        |ex| expect_log(&append(ex, 2, 3, true), 2, 3, true),
    );
    c.process(
        (
            "three processes append 30 lines each, taking turns: all 90 lines, whole, each process's in order",
            "세 프로세스가 30줄씩 번갈아 덧붙임: 90줄 모두 온전히, 프로세스마다 순서대로",
        ),
        |ex| expect_log(&append(ex, 3, 30, true), 3, 30, true),
    );
    c.process(("the demo program", "데모 프로그램"), |ex| {
        let out = ex.run(&[], secs(5));
        out.expect_success();
        out.expect_lines(
            &["4 workers wrote 8000 lines; the log holds 8000 whole lines (163560 bytes)"],
            tr("the demo's report", "데모의 보고"),
        );
    });
}
