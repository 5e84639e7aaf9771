// Hidden check for `torn_message`: a reader gets the old message or the new one, whole — even when it reads while
// the writer is in the middle of publishing. That moment is forced, not hoped for (conc_check::force::page_pause): the writer is
// held at its first write into the text page (everything it wrote into the header before has happened), or at
// its first write into the header after the text (the text is in, whatever comes after it is not). Meanwhile the
// reader calls `read`. A `read` that does not wait returns at once, with whatever half-done state it found; a
// `read` that waits for a lock is seen waiting (spinning on the CPU, or asleep), and then the writer goes on.
// The reader's side of the lock is forced too (conc_check::force::write_hold): the reader is held just before, or just after, its
// k-th write into the header (a compare_exchange or a releasing store) while the writer publishes.
//
// requirement (header)                                   → check
// a reader gets a published message, whole               → "one process publishes…", "3000 messages"
// publish takes the lock (length and text together)      → "about to write a longer/shorter text", "before it
//                                                            finished with the header"
// read takes it, for all its copying (length, text, the  → "held just after its second write" (copy after unlock),
//   String), once                                          "held just before its third write" (two sections)
// the lock is one atomic step (compare_exchange), not a  → "held just before its first write into the header"
//   load then a store                                        (both see 0)
// a lock in the region, not in the process               → every check (writer and reader are two processes)
// Acquire / Release on the lock word                     → not checkable on x86-64 (gate.toml: rt_relaxed_lock)
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, fail_check, pick, secs};
use std::path::Path;
use std::sync::atomic::{AtomicI32, Ordering::SeqCst};
use std::time::{Duration, Instant};

use conc_check::force::proc::{gettid, wait_for, watch};
use conc_check::force::{page_pause, write_hold};

/// A message of `len` bytes for version `n`: its number first, so that any mix of two versions is seen.
fn version(n: usize, len: usize) -> String {
    let mut text = format!("v{n}:");
    let filler = char::from(b'a' + (n % 26) as u8);
    while text.len() < len {
        text.push(filler);
    }
    text
}

fn or_exit<T>(result: std::io::Result<T>, what: &str) -> T {
    result.unwrap_or_else(|e| {
        eprintln!("{what}: {e}");
        std::process::exit(1)
    })
}

/// The writer: publishes `first`, then — held where `stop` says (`-`: not held) — `second`.
fn write_role(args: &[String]) {
    let path = Path::new(&args[0]);
    let mut board = or_exit(Board::open(path), tr("Board::open failed", "Board::open 호출 실패"));
    board.publish(&args[1]);
    let stop = match args[3].as_str() {
        "text" => Some(page_pause::Stop::TextPage),
        "header" => Some(page_pause::Stop::HeaderAfterText),
        _ => None,
    };
    let armed = stop.map(|stop| {
        page_pause::arm(path, Path::new(&args[4]), stop)
            .unwrap_or_else(|e| panic!("the check could not arm its pause: {e}"))
    });
    board.publish(&args[2]);
    match armed {
        Some(armed) => {
            armed.finish();
        }
        None => {
            let (control, _map) = or_exit(
                page_pause::control(Path::new(&args[4])),
                "the check's control file",
            );
            control.done.store(1, SeqCst);
        }
    }
}

/// The reader: once the writer is held (or done), calls `read` on a thread; lets the writer go on as soon as that
/// call has returned or is seen waiting; prints what it returned.
fn read_role(args: &[String]) {
    let path = Path::new(&args[0]);
    let (control, _map) = or_exit(
        page_pause::control(Path::new(&args[1])),
        "the check's control file",
    );
    let until = Instant::now() + Duration::from_secs(5);
    while control.paused.load(SeqCst) == 0 && control.done.load(SeqCst) == 0 {
        if Instant::now() > until {
            eprintln!(
                "{}",
                tr("the writer was neither held nor done", "쓰는 쪽이 붙잡혀 있지도 않고 끝나지도 않았습니다")
            );
            std::process::exit(1);
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let board = or_exit(Board::open(path), tr("Board::open failed", "Board::open 호출 실패"));
    static TID: AtomicI32 = AtomicI32::new(0);
    let reading = std::thread::spawn(move || {
        TID.store(gettid(), SeqCst);
        board.read()
    });
    watch(&reading, &TID, || false);
    control.resume.store(1, SeqCst);
    let text = reading.join().expect(tr("read() panicked", "read()가 패닉했습니다"));
    print!("{text}");
}

/// The writer of a held read: publishes `first`; once the reader is held at its k-th write into the header (or
/// its `read` returned), publishes `second` (held where `stop` says); says `settled` once that has returned, is
/// held, or is seen waiting.
fn held_write_role(args: &[String]) {
    let path = Path::new(&args[0]);
    let mut board = or_exit(Board::open(path), tr("Board::open failed", "Board::open 호출 실패"));
    board.publish(&args[1]);
    let (hold, _hold_map) = or_exit(
        write_hold::control(Path::new(&args[5])),
        "the check's control file",
    );
    let (pause, _pause_map) = or_exit(
        page_pause::control(Path::new(&args[4])),
        "the check's control file",
    );
    hold.ready.store(1, SeqCst);
    wait_for(|| hold.held.load(SeqCst) != 0);
    let stop = match args[3].as_str() {
        "text" => Some(page_pause::Stop::TextPage),
        _ => None,
    };
    let armed = stop.map(|stop| {
        page_pause::arm(path, Path::new(&args[4]), stop)
            .unwrap_or_else(|e| panic!("the check could not arm its pause: {e}"))
    });
    static TID: AtomicI32 = AtomicI32::new(0);
    let second = args[2].clone();
    let publishing = std::thread::spawn(move || {
        TID.store(gettid(), SeqCst);
        board.publish(&second);
        board
    });
    watch(&publishing, &TID, || pause.paused.load(SeqCst) != 0);
    hold.settled.store(1, SeqCst);
    let _board = publishing.join().expect(tr("publish() panicked", "publish()가 패닉했습니다"));
    match armed {
        Some(armed) => {
            armed.finish();
        }
        None => pause.done.store(1, SeqCst),
    }
}

/// The reader of a held read: calls `read`, held at its k-th write into the header until the writer has
/// published (or is held, or waits); then lets the writer go on once `read` has returned or is seen waiting;
/// prints what it returned.
fn held_read_role(args: &[String]) {
    let path = Path::new(&args[0]);
    let (pause, _pause_map) = or_exit(
        page_pause::control(Path::new(&args[1])),
        "the check's control file",
    );
    let (hold, _hold_map) = or_exit(
        write_hold::control(Path::new(&args[2])),
        "the check's control file",
    );
    let (k, after) = match args[3].strip_suffix('+') {
        Some(k) => (k, true),
        None => (args[3].as_str(), false),
    };
    let k: u32 = k.parse().expect("a number");
    wait_for(|| hold.ready.load(SeqCst) != 0);
    let board = or_exit(Board::open(path), tr("Board::open failed", "Board::open 호출 실패"));
    let armed = write_hold::arm(path, Path::new(&args[2]), k, after)
        .unwrap_or_else(|e| panic!("the check could not arm its hold: {e}"));
    static TID: AtomicI32 = AtomicI32::new(0);
    let reading = std::thread::spawn(move || {
        TID.store(gettid(), SeqCst);
        board.read()
    });
    wait_for(|| hold.held.load(SeqCst) != 0 || reading.is_finished());
    if hold.held.load(SeqCst) == 0 {
        // `read` returned before its k-th write: the writer publishes after it.
        hold.held.store(2, SeqCst);
    } else {
        wait_for(|| hold.settled.load(SeqCst) != 0);
        hold.release.store(1, SeqCst);
        watch(&reading, &TID, || false);
    }
    pause.resume.store(1, SeqCst);
    let text = reading.join().expect(tr("read() panicked", "read()가 패닉했습니다"));
    armed.finish();
    print!("{text}");
}

/// Runs a held read: the reader held at its `k`-th write into the header while the writer publishes `second`
/// (held at `stop`); fails unless the reader got `first` or `second`, whole.
fn read_held(ex: &Exercise, first: &str, second: &str, k: &str, stop: &str) {
    let board = ex.shm_path("board");
    let pause = ex.file_path("pause.ctl");
    let hold = ex.file_path("hold.ctl");
    let _ = std::fs::remove_file(&pause);
    let _ = std::fs::remove_file(&hold);
    let [board_s, pause_s, hold_s] = [&board, &pause, &hold].map(|p| p.display().to_string());
    ex.check_role("create", &[&board_s])
        .timeout(secs(5))
        .run()
        .expect_success();
    drop(page_pause::control(&pause).expect("the check's control file"));
    drop(write_hold::control(&hold).expect("the check's control file"));
    let writer = ex
        .check_role(
            "held-write",
            &[&board_s, first, second, stop, &pause_s, &hold_s],
        )
        .timeout(secs(6))
        .start();
    let reader = ex
        .check_role("held-read", &[&board_s, &pause_s, &hold_s, k])
        .timeout(secs(6))
        .start();
    let outs = ex.wait_all(vec![writer, reader], secs(6));
    let _ = std::fs::remove_file(&board);
    outs[0].expect_success();
    outs[1].expect_success();
    let step = match k {
        "1" => tr("held just before its first write", "첫 번째 쓰기 직전"),
        "2+" => tr("held just after its second write", "두 번째 쓰기 직후"),
        _ => tr("held just before its third write", "세 번째 쓰기 직전"),
    };
    let during = if stop == "text" {
        tr(
            "started publishing a new message (held before its text)",
            "새 메시지 게시를 시작했을 때 (텍스트 앞에서 붙잡힘)",
        )
    } else {
        tr("published a new message", "새 메시지를 게시했을 때")
    };
    let moment = pick(
        format!(
            "{step} into the header (a lock's compare_exchange or store), while the writer {during}"
        ),
        format!(
            "헤더에 하는 {step}(락의 compare_exchange나 store)에 붙잡혀 있는 동안 쓰는 쪽이 {during}"
        ),
    );
    judge(outs[1].stdout(), first, second, &moment);
}

/// Runs writer (publishing `first`, then `second`, held at `stop`) and reader at once; fails unless the reader got
/// `first` or `second`, whole.
fn read_during(ex: &Exercise, first: &str, second: &str, stop: &str) {
    let board = ex.shm_path("board");
    let control = ex.file_path("pause.ctl");
    let _ = std::fs::remove_file(&control);
    let (board_s, control_s) = (board.display().to_string(), control.display().to_string());
    ex.check_role("create", &[&board_s])
        .timeout(secs(5))
        .run()
        .expect_success();
    // The control file exists before either starts.
    drop(page_pause::control(&control).expect("the check's control file"));
    let writer = ex
        .check_role("write", &[&board_s, first, second, stop, &control_s])
        .timeout(secs(6))
        .start();
    let reader = ex
        .check_role("read", &[&board_s, &control_s])
        .timeout(secs(6))
        .start();
    let outs = ex.wait_all(vec![writer, reader], secs(6));
    let _ = std::fs::remove_file(&board);
    outs[0].expect_success();
    outs[1].expect_success();
    let moment = match stop {
        "text" => tr(
            "while the writer was about to write the new text (anything it writes into the header first had \
             happened)",
            "쓰는 쪽이 새 텍스트를 막 쓰려던 때 (헤더에 먼저 쓰는 것은 이미 일어남)",
        ),
        _ => tr(
            "while the writer had written the new text but not what comes after it in the header",
            "쓰는 쪽이 새 텍스트는 썼지만 헤더에서 그 뒤에 오는 것은 아직 쓰지 않았을 때",
        ),
    };
    judge(outs[1].stdout(), first, second, moment);
}

/// Fails unless `got` is `first` or `second`, whole; `moment` says when the reader read.
fn judge(got: &str, first: &str, second: &str, moment: &str) {
    if got != first && got != second {
        let shown = |s: &str| {
            let start = if s.len() > 24 {
                format!("{:?}…", &s[..24])
            } else {
                format!("{s:?}")
            };
            pick(
                format!("{start} ({} bytes)", s.len()),
                format!("{start} ({}바이트)", s.len()),
            )
        };
        let (old_text, new_text) = (got.starts_with("v1:"), got.starts_with("v2:"));
        let what = if old_text && got.len() == second.len() && got.len() != first.len() {
            pick(
                format!(
                    "the new length ({} bytes) over the old text — {}",
                    got.len(),
                    shown(got)
                ),
                format!("새 길이({}바이트)에 옛 텍스트: {}", got.len(), shown(got)),
            )
        } else if new_text && got.len() == first.len() && got.len() != second.len() {
            pick(
                format!(
                    "the new text under the old length ({} bytes) — {}",
                    got.len(),
                    shown(got)
                ),
                format!("옛 길이({}바이트)에 새 텍스트: {}", got.len(), shown(got)),
            )
        } else {
            shown(got)
        };
        fail_check(&pick(
            format!(
                "a reader that read {moment} got {what}: neither the old message {} nor the new one {}, whole. The \
                 kernel does not synchronise shared memory: publish and read must exclude each other with a lock \
                 that lives in the region.",
                shown(first),
                shown(second)
            ),
            format!(
                "{moment} 읽은 쪽이 받은 것은 {what}입니다. 온전한 옛 메시지 {}도 새 메시지 {}도 아닙니다. 커널은 \
                 공유 메모리를 동기화하지 않습니다. publish와 read는 영역 안에 사는 락으로 서로를 배제해야 합니다.",
                shown(first),
                shown(second)
            ),
        ));
    }
}

pub fn checks(c: &mut Checks) {
    c.role("create", |args| {
        or_exit(Board::create(Path::new(&args[0])), tr("Board::create failed", "Board::create 호출 실패"));
    });
    // write BOARD FIRST SECOND text|header|- CONTROL
    c.role("write", write_role);
    // read BOARD CONTROL
    c.role("read", read_role);
    // held-write BOARD FIRST SECOND text|- PAUSE_CONTROL HOLD_CONTROL
    c.role("held-write", held_write_role);
    // held-read BOARD PAUSE_CONTROL HOLD_CONTROL K
    c.role("held-read", held_read_role);
    // hammer BOARD writer|reader N: publishes or reads N messages; a reader prints the first torn one
    c.role("hammer", |args| {
        let mut board = or_exit(Board::open(Path::new(&args[0])), tr("Board::open failed", "Board::open 호출 실패"));
        let n: usize = args[2].parse().expect("a number");
        if args[1] == "writer" {
            for i in 1..=n {
                board.publish(&version(i, 10 + (i * 53) % 900));
            }
        } else {
            for _ in 0..n {
                let text = board.read();
                let i: usize = text
                    .strip_prefix('v')
                    .and_then(|t| t.split(':').next())
                    .and_then(|i| i.parse().ok())
                    .unwrap_or(usize::MAX);
                let whole =
                    text.is_empty() || (i != usize::MAX && text == version(i, 10 + (i * 53) % 900));
                if !whole {
                    println!("{text}");
                    return;
                }
            }
        }
    });

    c.process(
        (
            "one process publishes a message, another reads it: the same text",
            "한 프로세스가 메시지를 게시하고 다른 프로세스가 읽음: 같은 텍스트",
        ),
        |ex| read_during(ex, &version(1, 30), &version(2, 50), "-"),
    );
    c.process(
        (
            "a reader reads while the writer is about to write a longer text: old message or new, whole",
            "쓰는 쪽이 더 긴 텍스트를 막 쓰려 할 때 읽음: 옛 메시지나 새 메시지, 온전히",
        ),
        |ex| read_during(ex, &version(1, 30), &version(2, 300), "text"),
    );
    c.process(
        (
            "a reader reads while the writer is about to write a shorter text: old message or new, whole",
            "쓰는 쪽이 더 짧은 텍스트를 막 쓰려 할 때 읽음: 옛 메시지나 새 메시지, 온전히",
        ),
        |ex| read_during(ex, &version(1, 300), &version(2, 30), "text"),
    );
    c.process(
        (
            "a reader reads after the writer wrote the text but before it finished with the header: old or new, whole",
            "쓰는 쪽이 텍스트는 썼지만 헤더를 마치기 전에 읽음: 옛 메시지나 새 메시지, 온전히",
        ),
        |ex| read_during(ex, &version(1, 300), &version(2, 30), "header"),
    );
    for (k, stop, en, ko) in [
        (
            "1",
            "text",
            "a reader held just before its first write into the header (its lock) while the writer starts \
             publishing: old message or new, whole",
            "헤더에 하는 첫 쓰기(락) 직전에 붙잡힌 읽는 쪽, 그동안 쓰는 쪽이 게시를 시작함: 옛 메시지나 새 메시지, \
             온전히",
        ),
        (
            "1",
            "-",
            "a reader held just before its first write into the header while the writer publishes: old or new, whole",
            "헤더에 하는 첫 쓰기 직전에 붙잡힌 읽는 쪽, 그동안 쓰는 쪽이 게시함: 옛 메시지나 새 메시지, 온전히",
        ),
        (
            "2+",
            "-",
            "a reader held just after its second write into the header (a lock, then an unlock) while the writer \
             publishes: old or new, whole",
            "헤더에 하는 두 번째 쓰기(락, 그다음 언락) 직후에 붙잡힌 읽는 쪽, 그동안 쓰는 쪽이 게시함: 옛 메시지나 새 \
             메시지, 온전히",
        ),
        (
            "3",
            "-",
            "a reader held just before its third write into the header (after a lock and an unlock) while the \
             writer publishes: old or new, whole",
            "헤더에 하는 세 번째 쓰기(락과 언락 뒤) 직전에 붙잡힌 읽는 쪽, 그동안 쓰는 쪽이 게시함: 옛 메시지나 새 \
             메시지, 온전히",
        ),
    ] {
        c.process((en, ko), move |ex| {
            read_held(ex, &version(1, 300), &version(2, 30), k, stop)
        });
    }
    c.process(
        (
            "a writer publishes 3000 messages while a reader reads 3000 times: no read is torn, nobody gets stuck",
            "쓰는 쪽이 메시지 3,000개를 게시하는 동안 읽는 쪽이 3,000번 읽음: 찢어진 읽기 없음, 멈추는 쪽 없음",
        ),
        |ex| {
            let board = ex.shm_path("board");
            let board_s = board.display().to_string();
            ex.check_role("create", &[&board_s]).timeout(secs(5)).run().expect_success();
            let writer = ex.check_role("hammer", &[&board_s, "writer", "3000"]).timeout(secs(5)).start();
            let reader = ex.check_role("hammer", &[&board_s, "reader", "3000"]).timeout(secs(5)).start();
            let outs = ex.wait_all(vec![writer, reader], secs(5));
            let _ = std::fs::remove_file(&board);
            outs[0].expect_success();
            outs[1].expect_success();
            if !outs[1].stdout().is_empty() {
                outs[1].fail(tr(
                    "a read returned a message nobody published (shown below)",
                    "읽기가 아무도 게시하지 않은 메시지를 돌려주었습니다 (아래)",
                ));
            }
        },
    );
}
