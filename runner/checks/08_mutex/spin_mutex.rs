// Hidden check for `spin_mutex`, under a weak-memory model checker: dropping the guard releases the lock, and the
// next holder sees what the previous holder wrote (no data race on the `UnsafeCell`).
use super::*;
use conc_check::prelude::*;

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: lock, write, drop the guard; lock again and read",
            "스레드 하나: 잠그고, 쓰고, 가드를 버림; 다시 잠그고 읽음",
        ),
        || {
            let mutex = SpinMutex::new(0);
            {
                let mut guard = mutex.lock();
                *guard += 1;
            }
            let value = *mutex.lock();
            assert_eq!(value, 1);
        },
    )
    .max_steps(2_000);
    c.model(
        (
            "two threads add 1 each: the second sees the first's write, the total is 2",
            "두 스레드가 1씩 더함: 두 번째가 첫 번째의 쓰기를 보고, 합계는 2",
        ),
        || {
            let mutex = Arc::new(SpinMutex::new(0));
            let other = thread::spawn({
                let mutex = mutex.clone();
                move || {
                    *mutex.lock() += 1;
                }
            });
            *mutex.lock() += 1;
            other.join().unwrap();
            let total = *mutex.lock();
            assert!(
                total == 2,
                "{} {total}",
                tr("expected a total of 2, found", "합계는 2여야 하는데")
            );
        },
    )
    .max_steps(5_000);
    c.model(
        (
            "two threads push to a shared Vec: both items are there",
            "두 스레드가 공유 Vec에 push: 두 항목이 모두 있음",
        ),
        || {
            let mutex = Arc::new(SpinMutex::new(Vec::new()));
            let other = thread::spawn({
                let mutex = mutex.clone();
                move || mutex.lock().push(1)
            });
            mutex.lock().push(2);
            other.join().unwrap();
            let mut items = mutex.lock().clone();
            items.sort();
            assert_eq!(items, vec![1, 2]);
        },
    )
    .max_steps(5_000);
}
