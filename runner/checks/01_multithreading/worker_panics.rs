// Hidden check for `worker_panics` (kind `compile`: panics inside the model checker always fail an execution, so this
// runs on real threads): `run_all` never panics, counts the jobs that panicked, and keeps every other result.
use super::*;
use conc_check::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind};

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
}
