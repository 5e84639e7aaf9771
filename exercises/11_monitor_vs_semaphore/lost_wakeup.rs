// lost_wakeup — monitor vs semaphore (모니터 vs 세마포어)
//
// EN: A print server has a `Doorbell`. A client calls `ring()` once for every job it queues; the printer calls
//     `wait()` once for every job it prints. Every `ring()` must let exactly one `wait()` through, whatever the
//     order: a ring that comes before the printer waits must not be lost, and no `wait()` may return without
//     a ring of its own. This doorbell was translated from a semaphore, `release()` → `notify_one()` and
//     `acquire()` → `wait()`. But a semaphore *counts* its releases, and a condition variable remembers
//     nothing: a `notify_one()` while nobody sleeps is simply lost, and the printer then sleeps forever.
//     Give the monitor the count it is missing, as state under its mutex, and wait on that state.
//
// KO: 프린트 서버에 `Doorbell`(초인종)이 있습니다. 클라이언트는 작업을 하나 넣을 때마다 `ring()`을 한 번 부르고,
//     프린터는 작업을 하나 인쇄할 때마다 `wait()`를 한 번 부릅니다. 어떤 순서로 일어나든 `ring()` 한 번은
//     정확히 `wait()` 한 번을 통과시켜야 합니다. 프린터가 기다리기 전에 온 ring도 사라지면 안 되고, 자기 몫의
//     ring 없이 돌아오는 `wait()`도 없어야 합니다. 이 초인종은 세마포어를 옮겨 적은 것입니다(`release()` →
//     `notify_one()`, `acquire()` → `wait()`). 그런데 세마포어는 release 횟수를 *세지만*, 조건 변수는 아무것도
//     기억하지 않습니다. 아무도 잠들어 있지 않을 때의 `notify_one()`은 그냥 사라지고, 프린터는 영원히 잠듭니다.
//     모니터에 빠진 카운트를 뮤텍스 아래의 상태로 두고, 그 상태를 보며 기다리세요.
//
// Run it yourself: `cargo run -p exercises --bin lost_wakeup` (as shipped it may hang: that is the lost wakeup).
// 직접 실행해 보기: `cargo run -p exercises --bin lost_wakeup` (처음 상태로는 멈출 수 있는데, 그것이 바로 깨우기 신호
// 유실입니다).

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;

/// Lets one `wait()` through for every `ring()`.
pub struct Doorbell {
    // TODO: a lock that protects nothing. What does the doorbell need to remember between calls?
    // 할 일: 아무것도 보호하지 않는 락입니다. 초인종은 호출과 호출 사이에 무엇을 기억해야 합니까?
    lock: Mutex<()>,
    rung: Condvar,
}

impl Doorbell {
    pub fn new() -> Self {
        Doorbell {
            lock: Mutex::new(()),
            rung: Condvar::new(),
        }
    }

    /// One job was queued: lets one `wait()` through, now or later.
    pub fn ring(&self) {
        let _guard = self.lock.lock().unwrap();
        // TODO: if the printer is not asleep yet, this wake-up goes nowhere.
        // 할 일: 프린터가 아직 잠들지 않았다면 이 깨우기는 아무에게도 닿지 않습니다.
        self.rung.notify_one();
    }

    /// Returns once for every `ring()`: at once if a ring is waiting, otherwise after the next one.
    pub fn wait(&self) {
        let guard = self.lock.lock().unwrap();
        // TODO: sleeps even when a ring already came, and wakes up without checking anything.
        // 할 일: 이미 초인종이 울렸어도 잠들고, 깨어나서는 아무것도 확인하지 않습니다.
        let _guard = self.rung.wait(guard).unwrap();
    }
}

fn main() {
    let bell = Arc::new(Doorbell::new());
    let client = thread::spawn({
        let bell = Arc::clone(&bell);
        move || {
            for job in 1..=3 {
                println!("client: queued job {job}");
                bell.ring();
            }
        }
    });
    for job in 1..=3 {
        bell.wait();
        println!("printer: printing job {job}");
    }
    client.join().unwrap();
    println!("all 3 jobs printed");
}
