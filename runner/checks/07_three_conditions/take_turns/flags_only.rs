// Known-wrong: flags without a turn. Each thread raises its flag, then waits while the other's flag is up. If
// both raise their flags before either checks, each waits for the other forever: nobody is inside, yet nobody
// gets in (progress violated).
// take_turns — progress (진행의 융통성)
//
// EN: Two threads, numbered 0 and 1, share a lock built from plain atomics. `lock(me)` enters, `unlock(me)`
//     leaves. This version takes strict turns: 0, then 1, then 0… Only one thread is ever inside, but the lock
//     violates *progress*: a thread that wants in while nobody is inside must get in. If thread 1 is done (or
//     busy elsewhere) and thread 0 wants in a second time, thread 0 waits forever for a turn that never comes.
//     Make the lock let a thread in whenever the other one is not inside and not waiting, and still never both
//     (Peterson's algorithm: an "I want in" flag per thread, plus whose turn it is to give way).
//
// KO: 0번과 1번 두 스레드가 평범한 원자 변수로 만든 락을 함께 씁니다. `lock(me)`로 들어가고 `unlock(me)`로
//     나옵니다. 지금 버전은 엄격하게 번갈아 들어갑니다: 0, 1, 0… 안에는 늘 한 스레드뿐이지만 *진행의 융통성*을
//     어깁니다: 아무도 안에 없을 때 들어가려는 스레드는 들어가야 합니다. 1번 스레드가 일을 마쳤는데(또는 다른 일을
//     하는 중인데) 0번이 두 번째로 들어가려 하면, 0번은 오지 않을 차례를 영원히 기다립니다. 상대가 안에 있지도 않고
//     기다리지도 않으면 언제든 들어갈 수 있게, 그러면서도 둘이 동시에 들어가지는 않게 고치세요 (Peterson 알고리즘:
//     스레드마다 "들어가고 싶다" 깃발 하나, 그리고 양보할 차례가 누구인지).
//
// Run it yourself: `cargo run -p exercises --bin take_turns`. The checker tries every interleaving that matters.

use conc::sync::Arc;
use conc::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use conc::thread;

/// A lock for exactly two threads, numbered 0 and 1.
pub struct TwoThreadLock {
    /// Thread 0 wants to enter (or is inside).
    wants0: AtomicBool,
    /// Thread 1 wants to enter (or is inside).
    wants1: AtomicBool,
    /// Who gives way when both want in: the thread that wrote `turn` last.
    turn: AtomicUsize,
}

impl TwoThreadLock {
    pub fn new() -> Self {
        TwoThreadLock {
            wants0: AtomicBool::new(false),
            wants1: AtomicBool::new(false),
            turn: AtomicUsize::new(0),
        }
    }

    /// The flag of thread `i`.
    fn wants(&self, i: usize) -> &AtomicBool {
        if i == 0 { &self.wants0 } else { &self.wants1 }
    }

    /// Thread `me` (0 or 1) enters; waits while the other thread is inside.
    pub fn lock(&self, me: usize) {
        let other = 1 - me;
        self.wants(me).store(true, Ordering::SeqCst);
        while self.wants(other).load(Ordering::SeqCst) {
            thread::yield_now();
        }
    }

    /// Thread `me` leaves.
    pub fn unlock(&self, me: usize) {
        self.wants(me).store(false, Ordering::SeqCst);
    }
}

fn main() {
    let lock = Arc::new(TwoThreadLock::new());
    let other = thread::spawn({
        let lock = lock.clone();
        move || {
            lock.lock(1);
            println!("thread 1 is in, once, and done");
            lock.unlock(1);
        }
    });
    for round in 1..=3 {
        lock.lock(0);
        println!("thread 0 is in, round {round}");
        lock.unlock(0);
    }
    other.join().unwrap();
    println!("both finished");
}
