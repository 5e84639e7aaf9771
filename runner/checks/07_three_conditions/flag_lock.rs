// Hidden check for `flag_lock`: at most one thread is ever between `lock()` and `unlock()`, and a thread alone
// always gets in.
use super::*;
use conc_check::prelude::*;

/// `threads` threads each enter `rounds` times; inside, the check counts who else is inside.
fn one_at_a_time(threads: usize, rounds: usize) {
    let lock = Arc::new(FlagLock::new());
    let inside = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (lock, inside) = (lock.clone(), inside.clone());
            thread::spawn(move || {
                for _ in 0..rounds {
                    lock.lock();
                    let others = inside.fetch_add(1, Ordering::SeqCst);
                    assert!(
                        others == 0,
                        "{}",
                        tr(
                            "two threads are inside the critical section at once: `lock()` let a second thread in",
                            "두 스레드가 동시에 임계 영역 안에 있습니다. `lock()`이 두 번째 스레드를 들여보냈습니다"
                        )
                    );
                    inside.fetch_sub(1, Ordering::SeqCst);
                    lock.unlock();
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
            "one thread alone locks and unlocks three times",
            "스레드 하나가 혼자서 세 번 잠그고 풉니다",
        ),
        || {
            let lock = FlagLock::new();
            for _ in 0..3 {
                lock.lock();
                lock.unlock();
            }
        },
    );
    c.model(
        (
            "two threads, one entry each: never both inside",
            "두 스레드가 한 번씩 들어감: 둘이 동시에 안에 있으면 안 됨",
        ),
        || one_at_a_time(2, 1),
    );
    c.model(
        (
            "three threads, two entries each: never two inside",
            "세 스레드가 두 번씩 들어감: 둘 이상이 동시에 안에 있으면 안 됨",
        ),
        || one_at_a_time(3, 2),
    );
}
