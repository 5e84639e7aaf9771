// ticket_lock — bounded waiting (한정 대기)
//
// EN: Two workers share a job queue guarded by `FairLock`, a test-and-set spin lock: `lock()` retries
//     `compare_exchange(false, true)` until it wins. It is mutually exclusive and a thread alone always gets in,
//     but it is not fair: when the holder unlocks and at once locks again, it can win the race every time while
//     the other worker spins, unserved, for as long as the scheduler likes. That violates *bounded waiting*: once
//     a thread has asked, the others may go first only a bounded number of times. Make the lock serve threads in
//     the order they asked, like the ticket machine at a bakery: take a number, wait until it is called.
//
// KO: 두 작업자가 `FairLock`으로 보호되는 작업 큐를 함께 씁니다. `FairLock`은 test-and-set 스핀 락이어서
//     `lock()`은 `compare_exchange(false, true)`가 성공할 때까지 다시 시도합니다. 상호 배제도 되고 혼자인 스레드는
//     늘 들어가지만, 공정하지 않습니다. 락을 가진 스레드가 풀자마자 다시 잠그면 매번 경쟁에서 이길 수 있고, 다른
//     작업자는 스케줄러 마음대로 한없이 돌며 기다립니다. 이것은 *한정 대기*를 어깁니다. 한 스레드가 요청한 뒤에는
//     다른 스레드가 먼저 들어가는 횟수에 한계가 있어야 합니다. 빵집의 번호표처럼 요청한 순서대로 들여보내게
//     고치세요. 번호를 뽑고, 그 번호가 불릴 때까지 기다립니다.
//
// Memory orderings: read `now_serving` with `Acquire` while waiting and advance it with `Release` (`SeqCst` is
// always allowed). The checker runs each thread's memory accesses in program order, so it cannot judge a weaker
// ordering on `now_serving`, and refuses it.
// 메모리 순서: 기다리며 `now_serving`을 읽을 때는 `Acquire`, 다음 번호로 넘길 때는 `Release`를 씁니다(`SeqCst`는
// 언제나 됩니다). 검사기는 각 스레드의 메모리 접근을 프로그램 순서대로 실행하므로 `now_serving`에 대한 더 약한
// 순서는 판정할 수 없어서 받지 않습니다.
//
// Run it yourself: `cargo run -p exercises --bin ticket_lock`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin ticket_lock`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::Arc;
use conc::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use conc::thread;

/// A spin lock that should let threads in in the order they asked.
pub struct FairLock {
    // TODO: a single flag cannot remember who came first.
    // 할 일: 플래그 하나로는 누가 먼저 왔는지 기억할 수 없습니다.
    locked: AtomicBool,
}

impl FairLock {
    pub fn new() -> Self {
        FairLock {
            locked: AtomicBool::new(false),
        }
    }

    /// Waits until it is this thread's turn, then enters.
    pub fn lock(&self) {
        // TODO: whoever happens to run right after an unlock wins; a waiting thread can lose every time.
        // 할 일: unlock 직후에 마침 실행되는 스레드가 이깁니다. 기다리는 스레드는 매번 질 수도 있습니다.
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
    // Two workers lock and unlock as fast as they can for half a second. Each notes how many times the other
    // got in while it was waiting inside `lock()`.
    let lock = Arc::new(FairLock::new());
    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let longest_wait = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..2)
        .map(|me| {
            let (lock, stop, served, longest_wait) = (
                lock.clone(),
                stop.clone(),
                served.clone(),
                longest_wait.clone(),
            );
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let before = served[1 - me].load(Ordering::Relaxed);
                    lock.lock();
                    let overtaken = served[1 - me].load(Ordering::Relaxed) - before;
                    longest_wait.fetch_max(overtaken, Ordering::Relaxed);
                    served[me].fetch_add(1, Ordering::Relaxed);
                    lock.unlock();
                }
            })
        })
        .collect();
    thread::sleep(std::time::Duration::from_millis(500));
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().unwrap();
    }
    println!(
        "worker 0 got in {} times, worker 1 {} times",
        served[0].load(Ordering::Relaxed),
        served[1].load(Ordering::Relaxed)
    );
    println!(
        "while one worker waited, the other got in up to {} times (a fair lock: 1)",
        longest_wait.load(Ordering::Relaxed)
    );
}
