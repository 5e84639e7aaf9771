// implement_the_semaphore — semaphore (세마포어)
//
// EN: A counting semaphore holds a number of permits. `wait()` (Dijkstra's P, "down") takes a permit, sleeping
//     while there is none; `signal()` (V, "up") gives one back and wakes a sleeper. Any thread may signal, even
//     one that never waited: a semaphore has no owner. Build it from a `Mutex<usize>` (the count) and a
//     `Condvar` (where waiters sleep). This version loses sleepers and lets too many threads through. It must:
//     never let more threads hold a permit than there are permits; remember a `signal()` made before anyone
//     waits; and wake every waiter once enough signals have been made. Keep `Semaphore::new(permits)`, `wait`
//     and `signal`.
//
// KO: 카운팅 세마포어는 허가(permit) 여러 개를 가집니다. `wait()`(Dijkstra의 P, "down")은 허가를 하나 가져가고,
//     없으면 잠듭니다. `signal()`(V, "up")은 허가를 하나 돌려주고 잠든 스레드를 깨웁니다. 기다린 적 없는 스레드도
//     signal할 수 있습니다. 세마포어에는 소유자가 없습니다. `Mutex<usize>`(개수)와 `Condvar`(기다리는 스레드가
//     자는 곳)로 만드세요. 지금 버전은 잠든 스레드를 잃어버리고, 너무 많은 스레드를 통과시킵니다. 이렇게 되어야
//     합니다. 허가를 가진 스레드가 허가 수보다 많아지면 안 되고, 아무도 기다리기 전에 한 `signal()`도 기억해야 하며,
//     signal이 충분히 오면 기다리는 스레드가 모두 깨어나야 합니다. `Semaphore::new(permits)`, `wait`, `signal`은
//     유지하세요.
//
// Run it yourself: `cargo run -p exercises --bin implement_the_semaphore`. The checker tries every interleaving
// that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin implement_the_semaphore`. 검사기는 결과에 영향을 주는 모든 실행
// 순서를 시도합니다.

use conc::sync::atomic::{AtomicUsize, Ordering};
use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;

/// A counting semaphore.
pub struct Semaphore {
    /// How many permits are free right now.
    permits: Mutex<usize>,
    /// Where `wait()` sleeps until a permit may be free.
    available: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Semaphore {
            permits: Mutex::new(permits),
            available: Condvar::new(),
        }
    }

    /// P / down / acquire: takes a permit, sleeping while there is none.
    pub fn wait(&self) {
        let mut permits = self.permits.lock().unwrap();
        // TODO: after waking up, is a permit really still there?
        // 할 일: 깨어난 뒤에 허가가 정말 아직 남아 있습니까?
        if *permits == 0 {
            permits = self.available.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    /// V / up / release: gives a permit back.
    pub fn signal(&self) {
        let mut permits = self.permits.lock().unwrap();
        *permits += 1;
        // TODO: a thread sleeping in `wait()` is never told.
        // 할 일: `wait()`에서 잠든 스레드에게 아무도 알리지 않습니다.
    }
}

fn main() {
    // If this program hangs, that is the bug at work: press Ctrl-C and run `conc-lings run implement_the_semaphore` to see why.
    // Six downloads, at most two at a time.
    let slots = Arc::new(Semaphore::new(2));
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let downloads: Vec<_> = (0..6)
        .map(|i| {
            let (slots, running, most) = (slots.clone(), running.clone(), most.clone());
            thread::spawn(move || {
                slots.wait();
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                println!("download {i} running ({now} at once)");
                thread::sleep(std::time::Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
                slots.signal();
            })
        })
        .collect();
    for download in downloads {
        download.join().unwrap();
    }
    println!(
        "at most {} downloads ran at once (2 allowed)",
        most.load(Ordering::SeqCst)
    );
}
