// Hidden check for `shared_counter`: two processes incrementing one counter in shared memory never lose an
// increment — not even when both read the counter before either writes. That timing is forced, not hoped for:
// each worker's first write into the region is held (conc_check::gate) until the other worker got to its first
// write too. A load-then-store increment has read by then and loses one increment on every run; an atomic
// read-modify-write has not read yet, and counts both.
use super::*;
use conc_check::gate::WriteGate;
use conc_check::prelude::*;
use conc_check::process::{Exercise, fail_check, pick, secs};
use std::path::Path;

fn or_exit<T>(result: std::io::Result<T>, what: &str) -> T {
    result.unwrap_or_else(|e| {
        eprintln!("{what}: {e}");
        std::process::exit(1)
    })
}

/// Creates the counter, runs `workers` processes of `each` increments (the first one held at its write until
/// every worker got there when `gated`), then reads the counter.
fn count(ex: &Exercise, workers: usize, each: u64, gated: bool) -> u64 {
    let counter = ex.shm_path("counter");
    let gate = ex.shm_path("gate");
    let (counter_s, gate_s) = (counter.display().to_string(), gate.display().to_string());
    ex.check_role("create", &[&counter_s])
        .timeout(secs(5))
        .run()
        .expect_success();
    let each_s = each.to_string();
    let gate_arg = if gated { gate_s.as_str() } else { "-" };
    let n = workers.to_string();
    let running = (0..workers)
        .map(|_| {
            ex.check_role("worker", &[&counter_s, gate_arg, &n, &each_s])
                .timeout(secs(10))
                .start()
        })
        .collect();
    for out in ex.wait_all(running, secs(10)) {
        out.expect_success();
    }
    let out = ex.check_role("read", &[&counter_s]).timeout(secs(5)).run();
    out.expect_success();
    let total = out.stdout().trim().parse().unwrap_or_else(|_| {
        out.fail(tr(
            "`get()` did not give a number",
            "`get()`이 숫자를 돌려주지 않았습니다",
        ))
    });
    let _ = std::fs::remove_file(&counter);
    let _ = std::fs::remove_file(&gate);
    total
}

fn expect_total(total: u64, expected: u64) {
    if total != expected {
        let lost = expected.saturating_sub(total);
        let message = pick(
            format!(
                "expected the counter to be {expected}, but it is {total}: {lost} increment(s) lost. Both processes \
                 read the counter before either wrote it back, so both wrote the same value. The kernel does not \
                 synchronise shared memory: the update itself must be one atomic step in the shared region.",
            ),
            format!(
                "카운터가 {expected}이어야 하는데 {total}입니다: 증가 {lost}번이 사라졌습니다. 두 프로세스가 둘 다 다시 \
                 쓰기 전에 카운터를 읽어서 같은 값을 썼습니다. 커널은 공유 메모리를 동기화하지 않습니다: 갱신 자체가 \
                 공유 영역 안에서 원자적인 한 단계여야 합니다.",
            ),
        );
        fail_check(&message);
    }
}

pub fn checks(c: &mut Checks) {
    c.role("create", |args| {
        or_exit(
            SharedCounter::create(Path::new(&args[0])),
            "SharedCounter::create failed",
        );
    });
    // worker COUNTER GATE|- PARTIES N
    c.role("worker", |args| {
        let path = Path::new(&args[0]);
        let parties: u32 = args[2].parse().expect("a number of workers");
        let n: u64 = args[3].parse().expect("a number of increments");
        let mut counter = or_exit(SharedCounter::open(path), "SharedCounter::open failed");
        if n == 0 {
            return;
        }
        if args[1] == "-" {
            counter.increment();
        } else {
            let gate = WriteGate::hold_first_write(path, Path::new(&args[1]), parties)
                .unwrap_or_else(|e| panic!("the check could not arm its write gate: {e}"));
            counter.increment(); // held at its first write until every worker has reached its own
            gate.finish();
        }
        for _ in 1..n {
            counter.increment();
        }
    });
    c.role("read", |args| {
        let counter = or_exit(
            SharedCounter::open(Path::new(&args[0])),
            "SharedCounter::open failed",
        );
        println!("{}", counter.get());
    });

    c.process(
        (
            "one process, 1000 increments: the counter reads 1000",
            "프로세스 하나가 1000번 증가: 카운터는 1000",
        ),
        |ex| expect_total(count(ex, 1, 1000, false), 1000),
    );
    c.process(
        (
            "two processes, one increment each, both reading before either writes: the counter reads 2",
            "두 프로세스가 한 번씩 증가, 둘 다 쓰기 전에 읽음: 카운터는 2",
        ),
        |ex| expect_total(count(ex, 2, 1, true), 2),
    );
    c.process(
        (
            "two processes, 20 000 increments each, at the same time: the counter reads exactly 40 000",
            "두 프로세스가 동시에 20 000번씩 증가: 카운터는 정확히 40 000",
        ),
        |ex| expect_total(count(ex, 2, 20_000, true), 40_000),
    );
}
