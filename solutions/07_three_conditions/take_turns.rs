// take_turns — progress (진행의 융통성)
//
// EN: Two threads, numbered 0 and 1, share a lock built from plain atomics. `lock(me)` enters, `unlock(me)`
//     leaves. This version takes strict turns: 0, then 1, then 0… Only one thread is ever inside, but the lock
//     violates *progress*: a thread that wants in while nobody is inside must get in. If thread 1 is done (or
//     busy elsewhere) and thread 0 wants in a second time, thread 0 waits forever for a turn that never comes.
//     Make the lock let a thread in whenever the other one is not inside and not waiting, and still never both
//     (Peterson's algorithm: an "I want in" flag per thread, plus whose turn it is to give way).
//
// KO: 0번과 1번 두 스레드가 평범한 원자 변수로 만든 락을 함께 사용합니다. `lock(me)`로 들어가고 `unlock(me)`로
//     나옵니다. 지금 버전은 0, 1, 0… 하는 식으로 엄격하게 번갈아 들어갑니다. 두 스레드가 함께 안에 있는 일은
//     없지만 *진행의 융통성*을 어깁니다. 아무도 안에 없을 때 들어가려는 스레드는 들어갈 수 있어야 합니다. 1번
//     스레드가 일을 마쳤거나 다른 일을 하는 중에 0번이 두 번째로 들어가려 하면, 0번은 오지 않을 차례를 영원히
//     기다립니다. 상대가 안에 있지도 않고 기다리지도 않으면 언제든 들어갈 수 있게 고치되, 둘이 동시에 들어가지는
//     않게 하세요. Peterson 알고리즘은 스레드마다 "들어가고 싶다"는 플래그를 하나씩 두고, 누가 양보할 차례인지를
//     함께 기록합니다.
//
// Memory orderings: use `Ordering::SeqCst` on every atomic. Peterson's lock needs it: with `Release` stores and
// `Acquire` loads, a thread's "I want in" may still sit in its core's store buffer when it reads the other's flag,
// and both get in. The checker runs each thread's memory accesses in program order, so it cannot see that, and
// refuses any other ordering here.
// 메모리 순서: 모든 원자 변수에 `Ordering::SeqCst`를 쓰세요. Peterson 락에는 이 순서가 필요합니다. `Release` 쓰기와
// `Acquire` 읽기만으로는, 한 스레드의 "들어가고 싶다"가 아직 코어의 저장 버퍼에 남아 있는 동안 그 스레드가 상대의
// 플래그를 읽을 수 있어서 둘 다 들어가게 됩니다. 검사기는 각 스레드의 메모리 접근을 프로그램 순서대로 실행하므로
// 이 문제를 볼 수 없습니다. 그래서 여기서는 다른 순서를 받아들이지 않습니다.
//
// Run it yourself: `cargo run -p exercises --bin take_turns`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin take_turns`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

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
        // First say "I want in", then offer the other thread to go first. The order matters: the flag must be
        // up before the offer, or both threads can see the other's flag down and walk in together.
        self.wants(me).store(true, Ordering::SeqCst);
        self.turn.store(other, Ordering::SeqCst);
        // Wait only while the other thread wants in *and* it is its turn. A thread alone (the other's flag
        // down) never waits: that is progress. The other thread can go first at most once: that is bounded
        // waiting.
        while self.wants(other).load(Ordering::SeqCst) && self.turn.load(Ordering::SeqCst) == other
        {
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
