// break_it_first — race condition (경쟁 상태)
//
// EN: Be the scheduler. Threads A and B share `x`, which starts at 0, and each runs `x = x + 1`. The CPU does that
//     in three steps, each thread with a register of its own:
//         1. load   reg = x        2. add   reg = reg + 1        3. store   x = reg
//     `LOST_UPDATE` is a schedule: one entry per step, naming the thread that takes its next step, so each thread
//     appears exactly three times. As shipped it runs all of A, then all of B, and x ends at 2.
//     Part 1: reorder `LOST_UPDATE` so that x ends at 1. Every step is on its own safe (no data race), yet an
//     increment is lost.
//     Part 2: now A runs `x = x + 1` and B runs `x = x * 2`, with x starting at 1. List in `OUTCOMES` every value x
//     can end with, over all schedules (in any order).
//     `cargo run -p exercises --bin break_it_first` prints what your schedule does, step by step; change `main` to
//     try other schedules.
//
// KO: 여러분이 스케줄러입니다. 스레드 A와 B가 0에서 시작하는 `x`를 공유하고, 각자 `x = x + 1`을 실행합니다.
//     CPU는 이것을 세 단계로 하며, 스레드마다 자기 레지스터가 있습니다:
//         1. load   reg = x        2. add   reg = reg + 1        3. store   x = reg
//     `LOST_UPDATE`는 스케줄입니다. 단계마다 한 항목씩, 다음 단계를 실행할 스레드를 적습니다. 그래서 각 스레드는
//     정확히 세 번 나옵니다. 처음 상태는 A를 모두 실행한 뒤 B를 모두 실행하고, x는 2로 끝납니다.
//     1부: x가 1로 끝나도록 `LOST_UPDATE`의 순서를 바꾸세요. 각 단계는 그 자체로 안전한데도(데이터 경쟁 없음)
//     증가 하나가 사라집니다.
//     2부: 이제 A는 `x = x + 1`, B는 `x = x * 2`를 실행하고 x는 1에서 시작합니다. 모든 스케줄에서 x가 끝날 수 있는
//     값을 빠짐없이 `OUTCOMES`에 적으세요 (순서는 상관없음).
//     `cargo run -p exercises --bin break_it_first`가 여러분의 스케줄을 단계별로 보여 줍니다. 다른 스케줄을
//     시험하려면 `main`을 바꾸세요.

/// The thread that takes the next step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Thread {
    A,
    B,
}
use Thread::{A, B};

// TODO (part 1): reorder the steps so that x ends at 1.
// 할 일 (1부): x가 1로 끝나도록 단계들의 순서를 바꾸세요.
pub const LOST_UPDATE: &[Thread] = &[A, A, A, B, B, B];

// TODO (part 2): every value x can end with when A runs `x = x + 1` and B runs `x = x * 2`, from x = 1.
// 할 일 (2부): x = 1에서 시작해 A가 `x = x + 1`을, B가 `x = x * 2`를 실행할 때 x가 끝에 가질 수 있는 모든 값.
pub const OUTCOMES: &[i64] = &[4];

/// Runs `schedule` on a shared `x` starting at `start`: A's add step computes `a(reg)`, B's computes `b(reg)`.
/// Prints every step and returns the final x.
pub fn run(schedule: &[Thread], start: i64, a: fn(i64) -> i64, b: fn(i64) -> i64) -> i64 {
    let mut x = start;
    // (step taken so far, register) per thread
    let mut state = [(0, 0), (0, 0)];
    for &thread in schedule {
        let (i, op) = match thread {
            A => (0, a),
            B => (1, b),
        };
        let (step, reg) = &mut state[i];
        match *step {
            0 => {
                *reg = x;
                println!("  {thread:?}: load   reg = x       → reg = {reg}");
            }
            1 => {
                *reg = op(*reg);
                println!("  {thread:?}: add    reg = op(reg) → reg = {reg}");
            }
            2 => {
                x = *reg;
                println!("  {thread:?}: store  x = reg       → x = {x}");
            }
            _ => println!("  {thread:?}: (has no steps left)"),
        }
        *step += 1;
    }
    x
}

fn main() {
    println!("Part 1: LOST_UPDATE, both threads run x = x + 1, from x = 0");
    let x = run(LOST_UPDATE, 0, |r| r + 1, |r| r + 1);
    println!("x = {x} (the goal is 1)\n");

    println!("Part 2: A runs x = x + 1, B runs x = x * 2, from x = 1; A then B:");
    let x = run(&[A, A, A, B, B, B], 1, |r| r + 1, |r| r * 2);
    println!("x = {x}; OUTCOMES lists {OUTCOMES:?}");
}
