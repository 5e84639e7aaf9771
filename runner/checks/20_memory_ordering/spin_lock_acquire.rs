// Hidden check for `spin_lock_acquire`: under weak memory (loom), critical sections of the spin lock never
// overlap or race, and each holder sees every earlier holder's writes.
use super::*;
use conc_check::prelude::*;

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: with_lock(+1) twice, then the value is 2",
            "스레드 하나: with_lock(+1) 두 번, 그러면 값은 2",
        ),
        || {
            let lock = SpinLock::new(0u64);
            lock.with_lock(|n| *n += 1);
            lock.with_lock(|n| *n += 1);
            let got = lock.with_lock(|n| *n);
            assert!(
                got == 2,
                "{} {got}",
                tr(
                    "after two increments the value should be 2, but is",
                    "두 번 더했으니 값은 2여야 하는데, 실제:"
                ),
            );
        },
    );
    c.model(
        (
            "two threads: one writes 1 under the lock, the other reads 0 or 1 — and then sees it under the lock",
            "스레드 둘: 하나가 락 아래에서 1을 쓰고, 다른 하나는 0 또는 1을 읽음 → 그 뒤에는 락 아래에서 보임",
        ),
        || {
            let lock = Arc::new(SpinLock::new(0u64));
            let writer = thread::spawn({
                let lock = Arc::clone(&lock);
                move || lock.with_lock(|n| *n = 1)
            });
            let first = lock.with_lock(|n| *n);
            assert!(
                first == 0 || first == 1,
                "{} {first}",
                tr("read a value nobody wrote:", "아무도 쓰지 않은 값을 읽었습니다:"),
            );
            writer.join().unwrap();
            let after = lock.with_lock(|n| *n);
            assert!(
                after == 1,
                "{} {after}",
                tr(
                    "after the writer finished, the value under the lock should be 1, but is",
                    "쓰는 스레드가 끝난 뒤 락 아래의 값은 1이어야 하는데, 실제:"
                ),
            );
        },
    );
    c.model(
        (
            "two threads add 1 each under the lock: the total is 2",
            "두 스레드가 락 아래에서 1씩 더함: 합계는 2",
        ),
        || {
            let lock = Arc::new(SpinLock::new(0u64));
            let other = thread::spawn({
                let lock = Arc::clone(&lock);
                move || lock.with_lock(|n| *n += 1)
            });
            lock.with_lock(|n| *n += 1);
            other.join().unwrap();
            let total = lock.with_lock(|n| *n);
            assert!(
                total == 2,
                "{} {total}",
                tr(
                    "two increments under the lock, but the total is",
                    "락 아래에서 두 번 더했는데 합계는:"
                ),
            );
        },
    );
}
