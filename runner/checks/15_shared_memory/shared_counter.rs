// Hidden check for `shared_counter`: two processes incrementing one counter in shared memory never lose an
// increment — not even when both read the counter before either writes. That timing is forced, not hoped for:
// each worker's first write into the region is held (conc_check::gate) until the other worker got to its first
// write too. A load-then-store increment has read by then and loses one increment on every run; an atomic
// read-modify-write has not read yet, and counts both.
// A lock in the region is forced too (conc_check::force::write_hold): one worker is held just before its second write into the
// region (a lock taken, the counter read, not written yet) while the other makes a whole increment; a lock that
// lets the other in then (taken without waiting for it) loses an increment.
//
// requirement (header)                                   → check
// increments from several processes are never lost       → "two processes, one increment each, both reading…",
//                                                            "20 000 increments each"
// a lock in the region, if any, keeps the other out       → "one held in the middle of its increment"
// …and is taken in one atomic step                        → "first two writes into the region in lockstep"
// get() reads what was counted                           → every check (a `read` process calls get())
// (the demo, `main`, is not run: 2 × 1 000 000 increments take seconds with a file lock per increment)
use super::*;
use conc_check::gate::WriteGate;
use conc_check::prelude::*;
use conc_check::process::{Exercise, fail_check, pick, secs};
use std::path::Path;
use std::sync::atomic::{AtomicI32, Ordering::SeqCst};

use conc_check::force::proc::{gettid, wait_for, watch};
use conc_check::force::write_hold;

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
                "카운터가 {expected}이어야 하는데 {total}입니다. 증가 {lost}번이 사라졌습니다. 두 프로세스가 둘 다 다시 \
                 쓰기 전에 카운터를 읽어서 같은 값을 썼습니다. 커널은 공유 메모리를 동기화하지 않습니다. 갱신 자체가 \
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
            tr("SharedCounter::create failed", "SharedCounter::create 호출 실패"),
        );
    });
    // worker COUNTER GATE|- PARTIES N
    c.role("worker", |args| {
        let path = Path::new(&args[0]);
        let parties: u32 = args[2].parse().expect("a number of workers");
        let n: u64 = args[3].parse().expect("a number of increments");
        let mut counter = or_exit(SharedCounter::open(path), tr("SharedCounter::open failed", "SharedCounter::open 호출 실패"));
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
    // held-inc COUNTER HOLD_CONTROL: one increment, held just before its second write into the region until the
    // other worker has incremented (or is seen waiting)
    c.role("held-inc", |args| {
        let path = Path::new(&args[0]);
        let (hold, _map) = or_exit(
            write_hold::control(Path::new(&args[1])),
            "the check's control file",
        );
        let mut counter = or_exit(SharedCounter::open(path), tr("SharedCounter::open failed", "SharedCounter::open 호출 실패"));
        let armed = write_hold::arm(path, Path::new(&args[1]), 2, false)
            .unwrap_or_else(|e| panic!("the check could not arm its hold: {e}"));
        static TID: AtomicI32 = AtomicI32::new(0);
        let incrementing = std::thread::spawn(move || {
            TID.store(gettid(), SeqCst);
            counter.increment();
        });
        wait_for(|| hold.held.load(SeqCst) != 0 || incrementing.is_finished());
        if hold.held.load(SeqCst) == 0 {
            hold.held.store(2, SeqCst);
        } else {
            wait_for(|| hold.settled.load(SeqCst) != 0);
            hold.release.store(1, SeqCst);
        }
        incrementing.join().expect(tr("increment() panicked", "increment()가 패닉했습니다"));
        armed.finish();
    });
    // lockstep-inc COUNTER CONTROL PARTIES: one increment whose first two writes into the region wait for the
    // other workers' (lockstep)
    c.role("lockstep-inc", |args| {
        let path = Path::new(&args[0]);
        let parties: u32 = args[2].parse().expect("a number of workers");
        let mut counter = or_exit(SharedCounter::open(path), tr("SharedCounter::open failed", "SharedCounter::open 호출 실패"));
        let armed = write_hold::arm_lockstep(path, Path::new(&args[1]), parties, 2)
            .unwrap_or_else(|e| panic!("the check could not arm its lockstep: {e}"));
        counter.increment();
        armed.done();
    });
    // other-inc COUNTER HOLD_CONTROL: once the held worker is held (or done), one increment; says `settled` once it
    // has returned or is seen waiting
    c.role("other-inc", |args| {
        let path = Path::new(&args[0]);
        let (hold, _map) = or_exit(
            write_hold::control(Path::new(&args[1])),
            "the check's control file",
        );
        let mut counter = or_exit(SharedCounter::open(path), tr("SharedCounter::open failed", "SharedCounter::open 호출 실패"));
        wait_for(|| hold.held.load(SeqCst) != 0);
        static TID: AtomicI32 = AtomicI32::new(0);
        let incrementing = std::thread::spawn(move || {
            TID.store(gettid(), SeqCst);
            counter.increment();
        });
        watch(&incrementing, &TID, || false);
        hold.settled.store(1, SeqCst);
        incrementing.join().expect(tr("increment() panicked", "increment()가 패닉했습니다"));
    });
    c.role("read", |args| {
        let counter = or_exit(
            SharedCounter::open(Path::new(&args[0])),
            tr("SharedCounter::open failed", "SharedCounter::open 호출 실패"),
        );
        println!("{}", counter.get());
    });

    c.process(
        (
            "one process, 1000 increments: the counter reads 1000",
            "프로세스 하나가 1,000번 증가: 카운터는 1,000",
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
            "두 프로세스가 동시에 20,000번씩 증가: 카운터는 정확히 40,000",
        ),
        |ex| expect_total(count(ex, 2, 20_000, true), 40_000),
    );
    c.process(
        (
            "one process held in the middle of its increment (before its second write) while another increments: \
             the counter reads 2",
            "한 프로세스가 증가 도중(두 번째 쓰기 전)에 붙잡힌 동안 다른 프로세스가 증가: 카운터는 2",
        ),
        |ex| {
            let counter = ex.shm_path("counter");
            let hold = ex.file_path("hold.ctl");
            let _ = std::fs::remove_file(&hold);
            let (counter_s, hold_s) = (counter.display().to_string(), hold.display().to_string());
            ex.check_role("create", &[&counter_s]).timeout(secs(5)).run().expect_success();
            drop(write_hold::control(&hold).expect("the check's control file"));
            let a = ex.check_role("held-inc", &[&counter_s, &hold_s]).timeout(secs(6)).start();
            let b = ex.check_role("other-inc", &[&counter_s, &hold_s]).timeout(secs(6)).start();
            for out in ex.wait_all(vec![a, b], secs(6)) {
                out.expect_success();
            }
            let out = ex.check_role("read", &[&counter_s]).timeout(secs(5)).run();
            let _ = std::fs::remove_file(&counter);
            out.expect_success();
            let total: u64 = out.stdout().trim().parse().unwrap_or(0);
            if total != 2 {
                fail_check(&pick(
                    format!(
                        "one process was held in the middle of its increment (it had written once into the region \
                         — taken a lock, say — and not yet written the counter) while another process incremented; \
                         the counter reads {total}, not 2. The other process got in: whatever guards the update must \
                         make it wait until the first one is done."
                    ),
                    format!(
                        "한 프로세스가 증가 도중에 붙잡혀 있는 동안 (영역에 한 번 썼지만(이를테면 락을 잡음) 카운터는 아직 \
                         쓰지 않음) 다른 프로세스가 증가했습니다. 카운터는 2가 아니라 {total}입니다. 다른 프로세스가 \
                         들어왔습니다. 갱신을 지키는 것이 무엇이든, 첫 프로세스가 끝날 때까지 기다리게 해야 합니다."
                    ),
                ));
            }
        },
    );
    c.process(
        (
            "two processes, one increment each, their first two writes into the region in lockstep: the counter \
             reads 2",
            "두 프로세스가 한 번씩 증가, 영역에 하는 처음 두 쓰기를 서로 맞춰서: 카운터는 2",
        ),
        |ex| {
            let counter = ex.shm_path("counter");
            let control = ex.file_path("lockstep.ctl");
            let _ = std::fs::remove_file(&control);
            let (counter_s, control_s) = (counter.display().to_string(), control.display().to_string());
            ex.check_role("create", &[&counter_s]).timeout(secs(5)).run().expect_success();
            drop(write_hold::control(&control).expect("the check's control file"));
            let running = (0..2)
                .map(|_| {
                    ex.check_role("lockstep-inc", &[&counter_s, &control_s, "2"])
                        .timeout(secs(6))
                        .start()
                })
                .collect();
            for out in ex.wait_all(running, secs(6)) {
                out.expect_success();
            }
            let out = ex.check_role("read", &[&counter_s]).timeout(secs(5)).run();
            let _ = std::fs::remove_file(&counter);
            out.expect_success();
            let total: u64 = out.stdout().trim().parse().unwrap_or(0);
            if total != 2 {
                fail_check(&pick(
                    format!(
                        "two processes incremented once each, their first and second writes into the region made \
                         together (both had read before either wrote, twice); the counter reads {total}, not 2. \
                         Taking a lock by loading it and then storing it is two steps: both can see it free. Take \
                         it with one atomic step (`compare_exchange`), or make the increment itself one \
                         (`fetch_add`)."
                    ),
                    format!(
                        "두 프로세스가 한 번씩 증가했고, 영역에 하는 첫째와 둘째 쓰기를 함께 했습니다 (두 번 다, 둘 다 읽은 \
                         뒤에 썼음). 카운터는 2가 아니라 {total}입니다. 락을 읽고 나서 쓰는 것은 두 단계입니다. 둘 다 \
                         락이 비었다고 볼 수 있습니다. 원자적인 한 단계(`compare_exchange`)로 잡거나, 증가 자체를 한 \
                         단계(`fetch_add`)로 하세요."
                    ),
                ));
            }
        },
    );
}
