// rendezvous — semaphore (세마포어)
//
// EN: Two threads, A and B, each prepare something and then must meet before either goes on: A may not continue
//     until B has arrived, and B may not continue until A has arrived (a rendezvous). `Rendezvous` uses two
//     semaphores, both starting at 0: `a_arrived` ("A is here") and `b_arrived` ("B is here"). `Semaphore` is
//     given and correct. But each side waits for the other before announcing itself, so each waits for an
//     announcement that never comes: a deadlock. Fix `arrive_a` and `arrive_b`. Signalling is what a semaphore
//     can do and a mutex cannot: the thread that signals is not the one that waited. They may meet many times.
//
// KO: 두 스레드 A와 B가 각자 무언가를 준비한 뒤, 둘 중 누구든 계속하기 전에 만나야 합니다. B가 도착하기 전에는 A가
//     계속하면 안 되고, A가 도착하기 전에는 B가 계속하면 안 됩니다 (랑데부). `Rendezvous`는 둘 다 0에서 시작하는
//     세마포어 두 개, `a_arrived`("A 도착")와 `b_arrived`("B 도착")를 씁니다. `Semaphore`는 주어진 그대로 올바릅니다.
//     그런데 양쪽 모두 자기 도착을 알리기 전에 상대를 기다려서, 서로 오지 않을 알림을 기다립니다. 교착 상태입니다.
//     `arrive_a`와 `arrive_b`를 고치세요. signal은 세마포어는 할 수 있고 뮤텍스는 못 하는 일입니다. signal하는
//     스레드가 기다린 스레드가 아닙니다. 둘은 여러 번 만날 수 있습니다.
//
// Run it yourself: `cargo run -p exercises --bin rendezvous`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin rendezvous`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;

/// A counting semaphore (as in `implement_the_semaphore`). Correct: do not change it.
pub struct Semaphore {
    permits: Mutex<usize>,
    available: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Semaphore {
            permits: Mutex::new(permits),
            available: Condvar::new(),
        }
    }

    pub fn wait(&self) {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            permits = self.available.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    pub fn signal(&self) {
        *self.permits.lock().unwrap() += 1;
        self.available.notify_one();
    }
}

/// Where A and B meet, as often as they like: the n-th `arrive_a` and the n-th `arrive_b` meet each other.
pub struct Rendezvous {
    /// Signalled by A when it arrives.
    a_arrived: Semaphore,
    /// Signalled by B when it arrives.
    b_arrived: Semaphore,
}

impl Rendezvous {
    pub fn new() -> Self {
        // The checker names a semaphore's parts after its fields: `permits#1` and `available#1` belong to
        // `a_arrived` (made first), `permits#2` and `available#2` to `b_arrived`.
        Rendezvous {
            a_arrived: Semaphore::new(0),
            b_arrived: Semaphore::new(0),
        }
    }

    /// Called by A at the meeting point; returns once B has arrived too.
    pub fn arrive_a(&self) {
        // Announce first, then wait: the announcement is never blocked, so B always gets it, and A still does
        // not go on before B has announced itself. (Waiting first on both sides deadlocks: each waits for an
        // announcement the other makes only after its own wait.)
        self.a_arrived.signal();
        self.b_arrived.wait();
    }

    /// Called by B at the meeting point; returns once A has arrived too.
    pub fn arrive_b(&self) {
        self.b_arrived.signal();
        self.a_arrived.wait();
    }
}

fn main() {
    let meeting = Arc::new(Rendezvous::new());
    let b = thread::spawn({
        let meeting = meeting.clone();
        move || {
            println!("B: packing");
            meeting.arrive_b();
            println!("B: leaving together");
        }
    });
    println!("A: packing");
    meeting.arrive_a();
    println!("A: leaving together");
    b.join().unwrap();
}
