// Hidden check for `implement_the_semaphore`: a signal made before anyone waits is remembered, a sleeping waiter
// is woken by a signal from another thread, never more holders than permits (counted by the check), and every
// waiter gets through once enough signals are made (a lost wake-up shows up as a deadlock).
//
// Requirement (header)                                  → check
// remember a signal() made before anyone waits           → "a signal made before anyone waits is remembered"
// signal() wakes a sleeper; any thread may signal        → "T1 waits on new(0)", "two waiters, two signallers"
// wake every waiter once enough signals have been made   → "two waiters on new(0); main signals twice",
//                                                          "two waiters, two signallers" (signals at once)
// never more holders than permits                        → "one permit, three threads", "two permits, three"
// counting: new(n) lets n threads hold a permit at once  → "counting: new(2) lets two threads hold a permit"
use super::*;
use conc_check::prelude::*;

/// Whether the learner reads Korean (`tr` picks between fixed texts; these messages carry numbers).
fn korean() -> bool {
    tr("en", "ko") == "ko"
}

/// `threads` threads each take a permit of a semaphore made with `permits`, hold it briefly, and give it back.
/// The check counts how many hold one at the same time.
fn never_more_holders_than_permits(permits: usize, threads: usize) {
    let semaphore = Arc::new(Semaphore::new(permits));
    let holding = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (semaphore, holding) = (semaphore.clone(), holding.clone());
            thread::spawn(move || {
                semaphore.wait();
                let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                assert!(
                    now <= permits,
                    "{}",
                    if korean() {
                        format!("스레드 {now}개가 동시에 허가를 가졌는데, 세마포어는 허가 {permits}개로 만들어졌습니다")
                    } else {
                        format!("{now} threads hold a permit at once, but the semaphore was made with {permits}")
                    }
                );
                holding.fetch_sub(1, Ordering::SeqCst);
                semaphore.signal();
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
            "a signal made before anyone waits is remembered: new(0), signal(), then wait() returns",
            "아무도 기다리기 전에 한 signal도 기억됨: new(0), signal(), 그다음 wait()이 돌아옴",
        ),
        || {
            let semaphore = Semaphore::new(0);
            semaphore.signal();
            semaphore.wait();
        },
    );
    c.model(
        (
            "T1 waits on new(0); main signals once: T1 gets through",
            "T1이 new(0)에서 기다림; main이 한 번 signal: T1이 통과함",
        ),
        || {
            let semaphore = Arc::new(Semaphore::new(0));
            let waiter = thread::spawn({
                let semaphore = semaphore.clone();
                move || semaphore.wait()
            });
            semaphore.signal();
            waiter.join().unwrap();
        },
    );
    c.model(
        (
            "one permit, three threads: never two holders at once",
            "허가 하나, 스레드 셋: 동시에 둘이 가지면 안 됨",
        ),
        || never_more_holders_than_permits(1, 3),
    )
    .executions(2_000);
    c.model(
        (
            "two waiters on new(0); main signals twice: both get through",
            "new(0)에서 둘이 기다림; main이 두 번 signal: 둘 다 통과함",
        ),
        || {
            let semaphore = Arc::new(Semaphore::new(0));
            let waiters: Vec<_> = (0..2)
                .map(|_| {
                    let semaphore = semaphore.clone();
                    thread::spawn(move || semaphore.wait())
                })
                .collect();
            semaphore.signal();
            semaphore.signal();
            for waiter in waiters {
                waiter.join().unwrap();
            }
        },
    );
    c.model(
        (
            "counting: new(2) lets two threads hold a permit at the same time",
            "카운팅: new(2)는 두 스레드가 동시에 허가를 갖게 해 줌",
        ),
        || {
            let semaphore = Arc::new(Semaphore::new(2));
            let both_inside = Arc::new(Barrier::new(2));
            let other = thread::spawn({
                let (semaphore, both_inside) = (semaphore.clone(), both_inside.clone());
                move || {
                    semaphore.wait();
                    both_inside.wait();
                    semaphore.signal();
                }
            });
            semaphore.wait();
            both_inside.wait();
            semaphore.signal();
            other.join().unwrap();
        },
    );
    c.model(
        (
            "two permits, three threads: never three holders at once",
            "허가 둘, 스레드 셋: 동시에 셋이 가지면 안 됨",
        ),
        || never_more_holders_than_permits(2, 3),
    )
    .executions(2_000);
    c.model(
        (
            "two waiters on new(0); T3 and T4 signal once each, at the same time: both waiters get through",
            "new(0)에서 둘이 기다림; T3과 T4가 동시에 한 번씩 signal: 둘 다 통과함",
        ),
        || {
            let semaphore = Arc::new(Semaphore::new(0));
            let threads: Vec<_> = (0..4)
                .map(|i| {
                    let semaphore = semaphore.clone();
                    thread::spawn(move || {
                        if i < 2 {
                            semaphore.wait()
                        } else {
                            semaphore.signal()
                        }
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap();
            }
        },
    );
}
