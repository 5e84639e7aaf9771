// Hidden check for `borrow_with_scope` (kind `compile`, so it runs on real threads).
//
// | requirement (header)                                        | check                                         |
// |-------------------------------------------------------------|-----------------------------------------------|
// | `checksum(file)` for every file, results in order of `files`| 1, 3 (finish in reverse order), 5 (none)      |
// | every file on a thread of its own, all at the same time     | 2: more files than cores all running at once  |
// | don't copy the data: the threads borrow `files`             | 4: `checksum` sees the caller's own strings   |
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
            "every checksum runs on a thread of its own, all at the same time (more files than cores)",
            "모든 체크섬이 각자의 스레드에서 동시에 실행됨 (코어보다 많은 파일)",
        ),
        || {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            let count = cores.max(2) + 2;
            let names: Vec<String> = (0..count).map(|n| format!("file {n}")).collect();
            let arrived = AtomicUsize::new(0);
            let alone = AtomicBool::new(false);
            let threads: Mutex<Vec<ThreadId>> = Mutex::new(Vec::new());
            checksum_all(&names, |_| {
                threads.lock().unwrap().push(std::thread::current().id());
                arrived.fetch_add(1, Ordering::SeqCst);
                // Wait for all the others to be running too; give up (once, for everyone) after 2 s.
                if alone.load(Ordering::SeqCst) || !wait_for(|| arrived.load(Ordering::SeqCst) >= count) {
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
                    "`checksum_all`을 부른 스레드에서 체크섬이 실행되었습니다. 파일마다 자기 스레드가 있어야 합니다"
                )
            );
            let mut distinct = threads.clone();
            distinct.sort_by_key(|t| format!("{t:?}"));
            distinct.dedup();
            assert!(
                distinct.len() == count,
                "{}",
                msg(
                    format!(
                        "{count} checksums ran on {} thread(s): every file needs a thread of its own",
                        distinct.len()
                    ),
                    format!(
                        "체크섬 {count}개가 스레드 {}개에서 실행되었습니다. 파일마다 자기 스레드가 있어야 합니다",
                        distinct.len()
                    ),
                )
            );
            assert!(
                !alone.load(Ordering::SeqCst),
                "{}",
                tr(
                    "the checksums did not all run at the same time (one waited 2 s for the others to start): \
                     spawn every thread before joining any (a lazy `map(spawn).map(join)` chain joins each \
                     thread before it spawns the next)",
                    "체크섬들이 동시에 실행되지 않았습니다 (하나가 다른 것들의 시작을 2초 기다렸습니다). 어떤 \
                     스레드든 join하기 전에 모든 스레드를 spawn하세요 (게으른 `map(spawn).map(join)` 연쇄는 다음 \
                     스레드를 spawn하기 전에 각 스레드를 join합니다)"
                )
            );
        },
    );
    c.plain(
        (
            "the files finish in reverse order: the results still come in the order of `files`",
            "파일들이 거꾸로 된 순서로 끝남: 결과는 그래도 `files`의 순서대로",
        ),
        || {
            let names = files(&["slow", "b", "cc", "ddd"]);
            let finished = AtomicUsize::new(0);
            let sums = checksum_all(&names, |f| {
                let index = names.iter().position(|n| n == f).unwrap_or(0);
                // The file at `index` finishes only after every file after it has.
                wait_for(|| finished.load(Ordering::SeqCst) >= names.len() - 1 - index);
                finished.fetch_add(1, Ordering::SeqCst);
                f.len() as u64
            });
            assert!(
                sums == [4, 1, 2, 3],
                "{}",
                msg(
                    format!(
                        "the results must follow `files` ([\"slow\", \"b\", \"cc\", \"ddd\"] → [4, 1, 2, 3]), \
                         not the order in which the threads finished (last file first); `checksum_all` returned \
                         {sums:?}"
                    ),
                    format!(
                        "결과는 스레드가 끝난 순서(마지막 파일부터)가 아니라 `files`의 순서를 따라야 합니다 \
                         ([\"slow\", \"b\", \"cc\", \"ddd\"] → [4, 1, 2, 3]). `checksum_all`의 결과: {sums:?}"
                    ),
                )
            );
        },
    );
    c.plain(
        (
            "the threads borrow the caller's file names: no copies",
            "스레드가 호출자의 파일 이름을 빌림: 복사 없음",
        ),
        || {
            let names = files(&["notes.txt", "photo.jpg", "song.mp3"]);
            let seen: Mutex<Vec<usize>> = Mutex::new(Vec::new());
            checksum_all(&names, |f| {
                seen.lock().unwrap().push(f.as_ptr() as usize);
                0
            });
            let seen = seen.lock().unwrap().clone();
            let copied = names
                .iter()
                .filter(|n| !seen.contains(&(n.as_ptr() as usize)))
                .count();
            assert!(
                copied == 0,
                "{}",
                msg(
                    format!(
                        "`checksum` was given a copy of {copied} of the {} file names, not the caller's own \
                         string: don't copy `files` (`to_vec`, `clone`, `to_string`); threads spawned in \
                         `thread::scope` may borrow it",
                        names.len()
                    ),
                    format!(
                        "`checksum`이 파일 이름 {}개 중 {copied}개를 호출자의 문자열이 아닌 복사본으로 받았습니다. \
                         `files`를 복사하지 마세요 (`to_vec`, `clone`, `to_string`). `thread::scope`에서 spawn 한 \
                         스레드는 그것을 빌릴 수 있습니다",
                        names.len()
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
