// Hidden check for `borrow_with_scope` (kind `compile`, so it runs on real threads): results come back in the order
// of `files` even when the threads finish in another order, and every checksum runs on a thread of its own, all
// at the same time.
use super::*;
use conc_check::prelude::*;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

fn files(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// Waits (polling, at most 2 s) until `done()`; false if it never was.
fn wait_for(done: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > Duration::from_secs(2) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    true
}

pub fn checks(c: &mut Checks) {
    c.plain(
        (
            "three files: one checksum each, in the order of `files`",
            "파일 셋: 파일마다 체크섬 하나, `files`의 순서대로",
        ),
        || {
            let sums = checksum_all(&files(&["a", "bb", "ccc"]), |f| f.len() as u64);
            assert!(
                sums == [1, 2, 3],
                "{}",
                msg(
                    format!("with checksum = length, `checksum_all([\"a\", \"bb\", \"ccc\"])` returned {sums:?}; expected [1, 2, 3]"),
                    format!("checksum = 길이일 때 `checksum_all([\"a\", \"bb\", \"ccc\"])`의 결과가 {sums:?}입니다. 기대한 값은 [1, 2, 3]"),
                )
            );
        },
    );
    c.plain(
        (
            "every checksum runs on a thread of its own, all at the same time",
            "모든 체크섬이 각자의 스레드에서 동시에 실행됨",
        ),
        || {
            let arrived = AtomicUsize::new(0);
            let alone = AtomicBool::new(false);
            let threads: Mutex<Vec<ThreadId>> = Mutex::new(Vec::new());
            checksum_all(&files(&["a", "b", "c"]), |_| {
                threads.lock().unwrap().push(std::thread::current().id());
                arrived.fetch_add(1, Ordering::SeqCst);
                // Wait for the other two to be running too; give up (once, for everyone) after 2 s.
                if alone.load(Ordering::SeqCst) || !wait_for(|| arrived.load(Ordering::SeqCst) >= 3) {
                    alone.store(true, Ordering::SeqCst);
                }
                0
            });
            let threads = threads.lock().unwrap().clone();
            let caller = std::thread::current().id();
            assert!(
                !threads.contains(&caller),
                "{}",
                tr(
                    "a checksum ran on the thread that called `checksum_all`: every file needs a thread of its own",
                    "`checksum_all`을 부른 스레드에서 체크섬이 실행되었습니다: 파일마다 자기 스레드가 있어야 합니다"
                )
            );
            let mut distinct = threads.clone();
            distinct.sort_by_key(|t| format!("{t:?}"));
            distinct.dedup();
            assert!(
                distinct.len() == 3,
                "{}",
                msg(
                    format!("three checksums ran on {} thread(s): every file needs a thread of its own", distinct.len()),
                    format!("체크섬 세 개가 스레드 {}개에서 실행되었습니다: 파일마다 자기 스레드가 있어야 합니다", distinct.len()),
                )
            );
            assert!(
                !alone.load(Ordering::SeqCst),
                "{}",
                tr(
                    "the checksums did not all run at the same time (one waited 2 s for the others to start): \
                     spawn every thread before joining any (a lazy `map(spawn).map(join)` chain joins each \
                     thread before it spawns the next)",
                    "체크섬들이 동시에 실행되지 않았습니다 (하나가 다른 것들의 시작을 2초 기다렸습니다): 어떤 \
                     스레드든 join 하기 전에 모든 스레드를 spawn 하세요 (게으른 `map(spawn).map(join)` 연쇄는 다음 \
                     스레드를 spawn 하기 전에 각 스레드를 join 합니다)"
                )
            );
        },
    );
    c.plain(
        (
            "the first file finishes last: the results still come in the order of `files`",
            "첫 파일이 가장 늦게 끝남: 결과는 그래도 `files`의 순서대로",
        ),
        || {
            let finished = AtomicUsize::new(0);
            let sums = checksum_all(&files(&["slow", "b", "cc"]), |f| {
                if f == "slow" {
                    // Finish only after the other two have.
                    wait_for(|| finished.load(Ordering::SeqCst) >= 2);
                }
                finished.fetch_add(1, Ordering::SeqCst);
                f.len() as u64
            });
            assert!(
                sums == [4, 1, 2],
                "{}",
                msg(
                    format!(
                        "the results must follow `files` ([\"slow\", \"b\", \"cc\"] → [4, 1, 2]), not the order in which \
                         the threads finished; `checksum_all` returned {sums:?}"
                    ),
                    format!(
                        "결과는 스레드가 끝난 순서가 아니라 `files`의 순서를 따라야 합니다 ([\"slow\", \"b\", \"cc\"] → \
                         [4, 1, 2]). `checksum_all`의 결과: {sums:?}"
                    ),
                )
            );
        },
    );
    c.plain(
        ("no files: no results", "파일 없음: 결과도 없음"),
        || {
            let sums = checksum_all(&[], |_| 0);
            assert!(
                sums.is_empty(),
                "{}",
                tr(
                    "`checksum_all(&[], …)` returned results",
                    "`checksum_all(&[], …)`이 결과를 돌려주었습니다"
                )
            );
        },
    );
}
