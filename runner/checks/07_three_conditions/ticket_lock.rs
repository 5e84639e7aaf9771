// Hidden check for `ticket_lock`.
//
// | requirement (header)                                                 | check                               |
// |----------------------------------------------------------------------|-------------------------------------|
// | a thread alone always gets in                                        | 1                                   |
// | mutually exclusive                                                   | 2, 3, and inside 4, 5               |
// | bounded waiting: once a thread asked, each other thread goes first   | 4 (one busy thread), 5 (two busy    |
// |   only a bounded number of times (served in the order they asked)    |   threads: two waiters at once)     |
use super::*;
use conc_check::prelude::*;

/// How often the other thread may go first while one thread waits. A fair lock needs 1: the check cannot see
/// the moment inside `lock()` when a thread really asks, so it allows a little more.
const BOUND: usize = 3;
/// How many times the busy thread locks and unlocks in a row.
const BUSY_ROUNDS: usize = 6;

/// Whether the learner reads Korean (`tr` picks between fixed texts; this message carries a number).
fn korean() -> bool {
    tr("en", "ko") == "ko"
}

fn enter(inside: &AtomicUsize) {
    let others = inside.fetch_add(1, Ordering::SeqCst);
    assert!(
        others == 0,
        "{}",
        tr(
            "two threads are inside the critical section at once",
            "두 스레드가 동시에 임계 영역 안에 있습니다"
        )
    );
}

fn leave(inside: &AtomicUsize) {
    inside.fetch_sub(1, Ordering::SeqCst);
}

fn one_at_a_time(threads: usize, rounds: usize) {
    let lock = Arc::new(FairLock::new());
    let inside = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (lock, inside) = (lock.clone(), inside.clone());
            thread::spawn(move || {
                for _ in 0..rounds {
                    lock.lock();
                    enter(&inside);
                    leave(&inside);
                    lock.unlock();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
}

/// T1 asks for the lock once; `busy` other threads (T2, T3, …) each lock and unlock `BUSY_ROUNDS` times in a
/// row, and each counts how often it gets in while T1 is waiting.
fn waiting_is_bounded(busy: usize) {
    let lock = Arc::new(FairLock::new());
    let inside = Arc::new(AtomicUsize::new(0));
    let t1_waiting = Arc::new(AtomicBool::new(false));
    let waiter = thread::spawn({
        let (lock, inside, t1_waiting) = (lock.clone(), inside.clone(), t1_waiting.clone());
        move || {
            t1_waiting.store(true, Ordering::SeqCst);
            lock.lock();
            t1_waiting.store(false, Ordering::SeqCst);
            enter(&inside);
            leave(&inside);
            lock.unlock();
        }
    });
    let busy: Vec<_> = (0..busy)
        .map(|b| {
            let (lock, inside, t1_waiting) = (lock.clone(), inside.clone(), t1_waiting.clone());
            thread::spawn(move || {
                let name = b + 2;
                let mut went_first = 0;
                for _ in 0..BUSY_ROUNDS {
                    lock.lock();
                    enter(&inside);
                    if t1_waiting.load(Ordering::SeqCst) {
                        went_first += 1;
                        let times = went_first;
                        assert!(
                            times <= BOUND,
                            "{}",
                            if korean() {
                                format!(
                                    "한정 대기 위반: T1이 락을 요청했는데 T{name} 스레드가 {times}번이나 먼저 들어갔습니다. 공정한 락은 다른 스레드가 정해진 횟수(여기서는 한 번)만큼 먼저 들어간 뒤에는 기다리던 스레드를 들여보냅니다"
                                )
                            } else {
                                format!(
                                    "bounded waiting violated: T1 asked for the lock, and T{name} got in {times} times before it. A fair lock lets a waiting thread in after the others have gone first a bounded number of times (here: once each)"
                                )
                            }
                        );
                    }
                    // A little work inside the critical section.
                    thread::yield_now();
                    thread::yield_now();
                    leave(&inside);
                    lock.unlock();
                }
            })
        })
        .collect();
    waiter.join().unwrap();
    for b in busy {
        b.join().unwrap();
    }
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "progress: one thread alone locks and unlocks three times",
            "진행: 스레드 하나가 혼자서 세 번 잠그고 풂",
        ),
        || {
            let lock = FairLock::new();
            for _ in 0..3 {
                lock.lock();
                lock.unlock();
            }
        },
    )
    .max_steps(2_000);
    c.model(
        (
            "mutual exclusion: two threads, two entries each",
            "상호 배제: 두 스레드가 두 번씩 들어감",
        ),
        || one_at_a_time(2, 2),
    );
    c.model(
        (
            "mutual exclusion: three threads, one entry each",
            "상호 배제: 세 스레드가 한 번씩 들어감",
        ),
        || one_at_a_time(3, 1),
    );
    c.model(
        (
            "bounded waiting: while T1 waits, T2 (locking six times in a row) goes first at most 3 times",
            "한정 대기: T1이 기다리는 동안 T2(연달아 여섯 번 잠금)는 많아야 3번 먼저 들어감",
        ),
        || waiting_is_bounded(1),
    );
    c.model(
        (
            "bounded waiting with two others: while T1 waits, T2 and T3 (six times in a row each) each go first \
             at most 3 times",
            "다른 스레드 둘과의 한정 대기: T1이 기다리는 동안 T2와 T3(각각 연달아 여섯 번)는 각각 많아야 3번 먼저 \
             들어감",
        ),
        || waiting_is_bounded(2),
    );
}
