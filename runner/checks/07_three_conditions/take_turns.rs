// Hidden check for `take_turns`: mutual exclusion for threads 0 and 1, and progress: a thread that wants in
// while the other is not inside and not waiting gets in, however often it asks.
use super::*;
use conc_check::prelude::*;

/// Threads 0 and 1 enter `rounds[0]` and `rounds[1]` times; inside, the check counts who else is inside.
fn rounds(rounds: [usize; 2]) {
    let lock = Arc::new(TwoThreadLock::new());
    let inside = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..2)
        .map(|me| {
            let (lock, inside) = (lock.clone(), inside.clone());
            thread::spawn(move || {
                for _ in 0..rounds[me] {
                    lock.lock(me);
                    let others = inside.fetch_add(1, Ordering::SeqCst);
                    assert!(
                        others == 0,
                        "{}",
                        tr(
                            "threads 0 and 1 are inside the critical section at once",
                            "0번과 1번 스레드가 동시에 임계 영역 안에 있습니다"
                        )
                    );
                    inside.fetch_sub(1, Ordering::SeqCst);
                    lock.unlock(me);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "progress: thread 0 alone enters twice in a row (thread 1 never wants in)",
            "진행: 0번 스레드가 혼자 연달아 두 번 들어감 (1번은 들어갈 생각이 없음)",
        ),
        || {
            let lock = TwoThreadLock::new();
            for _ in 0..2 {
                lock.lock(0);
                lock.unlock(0);
            }
        },
    )
    .max_steps(2_000);
    c.model(
        (
            "progress: thread 1 alone enters (thread 0 never wants in)",
            "진행: 1번 스레드 혼자 들어감 (0번은 들어갈 생각이 없음)",
        ),
        || {
            let lock = TwoThreadLock::new();
            lock.lock(1);
            lock.unlock(1);
        },
    )
    .max_steps(2_000);
    c.model(
        (
            "threads 0 and 1 enter twice each: never both inside, and both get through",
            "0번과 1번이 두 번씩 들어감: 동시에 안에 있으면 안 되고, 둘 다 끝까지 가야 함",
        ),
        || rounds([2, 2]),
    )
    .max_steps(2_000);
    c.model(
        (
            "progress: thread 1 enters once and is done; thread 0 goes on for three rounds",
            "진행: 1번은 한 번 들어가고 끝남, 0번은 세 번 들어감",
        ),
        || rounds([3, 1]),
    )
    .max_steps(2_000);
}
