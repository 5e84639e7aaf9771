// Hidden check for `worker_panics` (kind `compile`: panics inside the model checker always fail an execution, so this
// runs on real threads): `run_all` never panics, counts the jobs that panicked, and keeps every other result.
//
// | requirement (header)                                      | check                                              |
// |-----------------------------------------------------------|----------------------------------------------------|
// | the results of the jobs that finished (in any order)      | 1, 2, 3, 4                                         |
// | how many jobs failed: count them in `failed`              | 2, 3, 4                                            |
// | ... also jobs that fail at the same moment (none is lost) | 4: four jobs panic together, every lock and load   |
// |                                                           | stretched (`conc::stress`), so a count that is not |
// |                                                           | one indivisible step always loses one              |
// | never panic itself (`join` errors, a poisoned lock)       | 2, 3, 4                                            |
use super::*;
use conc_check::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::AtomicUsize as StdAtomicUsize;
use std::time::{Duration, Instant};

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

fn times_ten(x: u64) -> u64 {
    x * 10
}

fn fails_on_2(x: u64) -> u64 {
    if x == 2 {
        panic!("job 2 failed (this panic is part of the check)");
    }
    x * 10
}

fn fails_on_even(x: u64) -> u64 {
    if x % 2 == 0 {
        panic!("job {x} failed (this panic is part of the check)");
    }
    x * 10
}

/// How many of the jobs of `fail_together` have started (the check's own bookkeeping: `std`, never stretched).
static ARRIVED: StdAtomicUsize = StdAtomicUsize::new(0);
/// How many jobs `fail_together` waits for before any of them panics.
const TOGETHER: usize = 4;

/// Odd inputs fail, but only once all `TOGETHER` of them are running (or after 2 s): they panic at the same moment.
fn fail_together(x: u64) -> u64 {
    if x % 2 == 0 {
        return x * 10;
    }
    ARRIVED.fetch_add(1, Ordering::SeqCst);
    let start = Instant::now();
    while ARRIVED.load(Ordering::SeqCst) < TOGETHER && start.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_micros(200));
    }
    panic!("job {x} failed together with the others (this panic is part of the check)");
}

fn expect(inputs: &[u64], job: fn(u64) -> u64, results: &[u64], failed: usize) {
    let summary = match catch_unwind(AssertUnwindSafe(|| run_all(inputs.to_vec(), job))) {
        Ok(summary) => summary,
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!(
                "{}",
                msg(
                    format!(
                        "`run_all` itself panicked: {why}. A failed job must be counted, not passed on to the caller"
                    ),
                    format!(
                        "`run_all` 자신이 패닉했습니다: {why}. 실패한 작업은 호출자에게 넘기지 말고 세어야 합니다"
                    ),
                )
            );
        }
    };
    let mut got = summary.results.clone();
    got.sort();
    assert!(
        got == results && summary.failed == failed,
        "{}",
        msg(
            format!(
                "`run_all({inputs:?})` returned results {got:?} and failed = {}; expected results {results:?} and \
                 failed = {failed}",
                summary.failed
            ),
            format!(
                "`run_all({inputs:?})`의 결과는 {got:?}, failed = {}입니다. 기대한 값은 결과 {results:?}, failed = {failed}",
                summary.failed
            ),
        )
    );
}

pub fn checks(c: &mut Checks) {
    c.plain(
        (
            "no job panics: every result, nothing failed",
            "패닉하는 작업 없음: 모든 결과, 실패 없음",
        ),
        || expect(&[1, 2, 3], times_ten, &[10, 20, 30], 0),
    );
    c.plain(
        (
            "one job panics: `run_all` returns the other results and counts one failure",
            "작업 하나가 패닉: `run_all`은 나머지 결과를 돌려주고 실패 하나를 셈",
        ),
        || expect(&[1, 2, 3], fails_on_2, &[10, 30], 1),
    );
    c.plain(
        (
            "two of four jobs panic: the other two results, two failures",
            "작업 넷 중 둘이 패닉: 나머지 두 결과, 실패 둘",
        ),
        || expect(&[1, 2, 3, 4], fails_on_even, &[10, 30], 2),
    );
    c.plain(
        (
            "four jobs panic at the same moment: four failures, none lost, and the other results",
            "작업 넷이 같은 순간에 패닉: 실패 넷이 하나도 빠짐없이 세어지고, 나머지 결과도 돌아옴",
        ),
        || {
            ARRIVED.store(0, Ordering::SeqCst);
            // Every thread pauses right after each lock it takes and each atomic load it makes, as a busy machine
            // might pause it: failures counted in two steps (read, then write back) by threads that fail together
            // then always overwrite each other.
            let _stretch = conc::stress::stretch(Duration::from_millis(30));
            expect(
                &[1, 2, 3, 4, 5, 6, 7, 8],
                fail_together,
                &[20, 40, 60, 80],
                TOGETHER,
            );
        },
    );
}
