// Hidden check for `break_it_first`. The check simulates the steps itself.
//
// | requirement (header)                                                    | check                           |
// |-------------------------------------------------------------------------|---------------------------------|
// | each thread appears exactly three times in `LOST_UPDATE`                | 1                               |
// | part 1: `LOST_UPDATE` ends with x = 1                                   | 2                               |
// | part 2: `OUTCOMES` lists every final x of `x + 1 ‖ x * 2` from 1, only  | 3                               |
// | `run` (what `cargo run` shows) plays the three steps as described       | 4: every schedule, both parts   |
use super::*;
use conc_check::prelude::*;
use std::collections::BTreeSet;

/// Runs a schedule of the three-step read-modify-write; returns the final x and a readable log.
fn simulate(schedule: &[Thread], start: i64, ops: [fn(i64) -> i64; 2]) -> (i64, String) {
    let mut x = start;
    let mut steps = [0usize; 2];
    let mut regs = [0i64; 2];
    let mut log = String::new();
    for &thread in schedule {
        let i = if thread == Thread::A { 0 } else { 1 };
        let line = match steps[i] {
            0 => {
                regs[i] = x;
                format!("{thread:?} load → reg = {}", regs[i])
            }
            1 => {
                regs[i] = ops[i](regs[i]);
                format!("{thread:?} add → reg = {}", regs[i])
            }
            _ => {
                x = regs[i];
                format!("{thread:?} store → x = {x}")
            }
        };
        steps[i] += 1;
        log.push_str("\n    ");
        log.push_str(&line);
    }
    (x, log)
}

/// Every schedule of two three-step threads.
fn all_schedules() -> Vec<Vec<Thread>> {
    fn extend(prefix: Vec<Thread>, a: usize, b: usize, out: &mut Vec<Vec<Thread>>) {
        if a == 0 && b == 0 {
            out.push(prefix);
            return;
        }
        for (left, thread, na, nb) in [
            (a, Thread::A, a.wrapping_sub(1), b),
            (b, Thread::B, a, b.wrapping_sub(1)),
        ] {
            if left > 0 {
                let mut next = prefix.clone();
                next.push(thread);
                extend(next, na, nb, out);
            }
        }
    }
    let mut out = Vec::new();
    extend(Vec::new(), 3, 3, &mut out);
    out
}

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

pub fn checks(c: &mut Checks) {
    c.plain(
        (
            "part 1: LOST_UPDATE gives each thread its three steps",
            "1부: LOST_UPDATE가 각 스레드에 세 단계씩 줌",
        ),
        || {
            let a = LOST_UPDATE.iter().filter(|&&t| t == Thread::A).count();
            let b = LOST_UPDATE.len() - a;
            assert!(
                a == 3 && b == 3,
                "{}",
                msg(
                    format!(
                        "each thread takes exactly three steps (load, add, store), so A and B must each appear three times; \
                         LOST_UPDATE names A {a} and B {b} times"
                    ),
                    format!(
                        "각 스레드는 정확히 세 단계(load, add, store)를 거치므로 A와 B가 각각 세 번 나와야 합니다. \
                         LOST_UPDATE에는 A가 {a}번, B가 {b}번 나옵니다"
                    ),
                )
            );
        },
    );
    c.plain(
        (
            "part 1: LOST_UPDATE ends with x = 1 (an increment is lost)",
            "1부: LOST_UPDATE가 x = 1로 끝남 (증가 하나가 사라짐)",
        ),
        || {
            let (x, log) = simulate(LOST_UPDATE, 0, [|r| r + 1, |r| r + 1]);
            assert!(
                x == 1,
                "{}",
                msg(
                    format!("your schedule ends with x = {x}, not 1:{log}"),
                    format!("여러분의 스케줄이 끝났을 때 x는 1이 아니라 {x}입니다:{log}"),
                )
            );
        },
    );
    c.plain(
        (
            "part 2: OUTCOMES lists every final x of `x = x + 1` ‖ `x = x * 2` from 1, and nothing else",
            "2부: OUTCOMES가 1에서 시작한 `x = x + 1` ‖ `x = x * 2`의 모든 최종 x를 빠짐없이, 그것만 담음",
        ),
        || {
            let possible: BTreeSet<i64> = all_schedules()
                .iter()
                .map(|s| simulate(s, 1, [|r| r + 1, |r| r * 2]).0)
                .collect();
            let listed: BTreeSet<i64> = OUTCOMES.iter().copied().collect();
            let impossible: Vec<i64> = listed.difference(&possible).copied().collect();
            assert!(
                impossible.is_empty(),
                "{}",
                msg(
                    format!("no schedule ends with x = {impossible:?}"),
                    format!("끝났을 때 x가 {impossible:?} 중 하나인 스케줄은 없습니다"),
                )
            );
            let missing = possible.difference(&listed).count();
            assert!(
                missing == 0,
                "{}",
                msg(
                    format!(
                        "OUTCOMES misses {missing} value(s) that some schedule produces. Serial schedules are not the \
                         only ones: what if both threads load before either stores?"
                    ),
                    format!(
                        "어떤 스케줄이 만들어 내는 값 {missing}개가 OUTCOMES에 빠졌습니다. 차례대로 실행하는 스케줄만 있는 \
                         것이 아닙니다. 두 스레드가 모두 store 전에 load하면 어떻게 됩니까?"
                    ),
                )
            );
        },
    );
    c.plain(
        (
            "`run`, the simulator `cargo run` uses, still plays each step as described",
            "`cargo run`이 쓰는 시뮬레이터 `run`이 여전히 설명대로 각 단계를 실행함",
        ),
        || {
            let parts: [(i64, [fn(i64) -> i64; 2]); 2] =
                [(0, [|r| r + 1, |r| r + 1]), (1, [|r| r + 1, |r| r * 2])];
            for schedule in all_schedules() {
                for (start, ops) in parts {
                    let (expected, log) = simulate(&schedule, start, ops);
                    let got = run(&schedule, start, ops[0], ops[1]);
                    assert!(
                        got == expected,
                        "{}",
                        msg(
                            format!(
                                "`run({schedule:?}, {start}, …)` returned {got}, but these steps end with x = \
                                 {expected}:{log}\nLeave `run` as it was shipped: `cargo run` shows your schedules \
                                 through it"
                            ),
                            format!(
                                "`run({schedule:?}, {start}, …)`의 결과가 {got}인데, 이 단계들이 끝났을 때 x는 \
                                 {expected}입니다:{log}\n`run`은 처음 상태 그대로 두세요. `cargo run`이 그것으로 여러분의 \
                                 스케줄을 보여 줍니다"
                            ),
                        )
                    );
                }
            }
        },
    );
}
