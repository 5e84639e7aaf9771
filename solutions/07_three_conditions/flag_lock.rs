// flag_lock — mutual exclusion (상호 배제)
//
// EN: Print jobs share one printer, so only one job may print at a time. `FlagLock` is a spin lock made of one
//     flag: `lock()` waits until the flag is down and then raises it; `unlock()` lowers it. Yet two jobs still
//     print at once: "is the flag down?" and "raise the flag" are two separate steps, and both threads can see
//     the flag down before either raises it. Make `lock()` let in exactly one thread at a time (mutual
//     exclusion): testing the flag and raising it must be one indivisible step.
//
// KO: 인쇄 작업들이 프린터 하나를 함께 쓰므로 한 번에 한 작업만 인쇄해야 합니다. `FlagLock`은 플래그 하나로 만든
//     스핀 락입니다. `lock()`은 플래그가 내려가기를 기다렸다가 올리고, `unlock()`은 플래그를 내립니다. 그런데도 두 작업이
//     동시에 인쇄합니다. "플래그가 내려져 있나?"와 "플래그를 올린다"가 따로 떨어진 두 단계여서, 두 스레드가 모두 플래그가
//     내려진 것을 본 뒤에 올릴 수 있기 때문입니다. `lock()`이 한 번에 정확히 한 스레드만 들여보내게(상호 배제)
//     고치세요. 플래그 확인과 올리기가 나눌 수 없는 한 단계여야 합니다.
//
// Memory orderings: take the lock with `Acquire` (a successful compare-exchange or swap on `locked`), give it back
// with `Release`, and read `locked` with `Acquire` (`SeqCst` is always allowed). The checker runs each thread's
// memory accesses in program order, so it cannot judge a weaker ordering on `locked`, and refuses it.
// 메모리 순서: `locked`로 락을 잡을 때(성공한 compare-exchange나 swap)는 `Acquire`, 놓을 때는 `Release`, 읽을 때는
// `Acquire`를 씁니다(`SeqCst`는 언제나 됩니다). 검사기는 각 스레드의 메모리 접근을 프로그램 순서대로 실행하므로
// `locked`에 대한 더 약한 순서는 판정할 수 없어서 받지 않습니다.
//
// Run it yourself: `cargo run -p exercises --bin flag_lock`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin flag_lock`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::Arc;
use conc::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use conc::thread;

/// A spin lock made of one flag: `true` while some thread is inside.
pub struct FlagLock {
    locked: AtomicBool,
}

impl FlagLock {
    pub fn new() -> Self {
        FlagLock {
            locked: AtomicBool::new(false),
        }
    }

    /// Waits until no thread is inside, then enters.
    pub fn lock(&self) {
        // `compare_exchange` tests and raises the flag in one indivisible step: it writes `true` only if the
        // flag is still `false`, and tells us whether it did. If another thread got there first, try again.
        while self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            thread::yield_now();
        }
    }

    /// Leaves, letting the next thread in.
    pub fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
    }
}

fn main() {
    let lock = Arc::new(FlagLock::new());
    let printing = Arc::new(AtomicUsize::new(0)); // jobs printing right now
    let clashes = Arc::new(AtomicUsize::new(0));
    let jobs: Vec<_> = (0..4)
        .map(|_| {
            let (lock, printing, clashes) = (lock.clone(), printing.clone(), clashes.clone());
            thread::spawn(move || {
                for _ in 0..10_000 {
                    lock.lock();
                    if printing.fetch_add(1, Ordering::Relaxed) > 0 {
                        clashes.fetch_add(1, Ordering::Relaxed);
                    }
                    printing.fetch_sub(1, Ordering::Relaxed);
                    lock.unlock();
                }
            })
        })
        .collect();
    for job in jobs {
        job.join().unwrap();
    }
    // On real hardware the gap between the test and the act lasts nanoseconds, so this may well print 0 even
    // when the lock is broken. The checker does not rely on luck: it finds the interleaving on every run.
    println!(
        "{} times a job started while another was printing (0 expected)",
        clashes.load(Ordering::Relaxed)
    );
}
