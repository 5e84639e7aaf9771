// fix_the_race — race condition (경쟁 상태)
//
// EN: A web server counts page hits. Every request thread calls `hit()`, and `total()` reports the count. Under
//     load the total comes out too low: two threads can both read the same old value, both add one, and both
//     write the same new value back. One hit is lost. Make `hit()` lose nothing, whatever the interleaving.
//
// KO: 웹 서버가 페이지 방문 수를 셉니다. 요청을 처리하는 스레드마다 `hit()`을 부르고 `total()`이 합계를 알려 줍니다.
//     부하가 걸리면 합계가 모자랍니다. 두 스레드가 같은 옛 값을 함께 읽고, 각자 1을 더한 뒤, 같은 새 값을 씁니다.
//     방문 한 번이 사라집니다. 어떤 순서로 실행되어도 `hit()`이 아무것도 잃지 않게 고치세요.
//
// Run it yourself: `cargo run -p exercises --bin fix_the_race`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin fix_the_race`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::Arc;
use conc::sync::atomic::{AtomicUsize, Ordering};
use conc::thread;

/// A hit counter shared by every request thread.
pub struct HitCounter {
    hits: AtomicUsize,
}

impl HitCounter {
    pub fn new() -> Self {
        HitCounter {
            hits: AtomicUsize::new(0),
        }
    }

    /// Records one hit.
    pub fn hit(&self) {
        // TODO: reading and writing are two separate steps here; another thread can run in between.
        // 할 일: 여기서는 읽기와 쓰기가 따로 떨어진 두 단계여서, 그 사이에 다른 스레드가 실행될 수 있습니다.
        let seen = self.hits.load(Ordering::Relaxed);
        self.hits.store(seen + 1, Ordering::Relaxed);
    }

    /// How many hits were recorded.
    pub fn total(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }
}

fn main() {
    let counter = Arc::new(HitCounter::new());
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..100_000 {
                    counter.hit();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    println!("{} hits recorded, 400000 expected", counter.total());
}
