// match_deadlock — critical section (임계 영역)
//
// EN: A cache remembers results that are expensive to compute. `get(key, compute)` returns the cached value for
//     `key`, or calls `compute(key)`, remembers the result and returns it; a key already cached is never computed
//     again. The first `get` of any new key never returns: the guard made in the `match` scrutinee lives until the
//     end of the whole `match`, so the `None` arm locks a mutex its own thread still holds. A `Mutex` is not
//     reentrant: that `lock()` never returns (std's deadlocks or panics). End the first critical section first.
//
// KO: 캐시가 계산 비용이 큰 결과를 기억합니다. `get(key, compute)`는 `key`에 캐시된 값을 돌려주거나, 없으면
//     `compute(key)`를 불러 결과를 기억하고 돌려줍니다. 이미 캐시된 키는 다시 계산하지 않습니다. 그런데 새 키로
//     처음 `get`을 부르면 돌아오지 않습니다. `match`의 검사 대상 식에서 만든 가드는 `match` 전체가 끝날 때까지
//     살아 있어서, `None` 갈래가 자기 스레드가 아직 쥐고 있는 뮤텍스를 잠급니다. `Mutex`는 재진입 가능하지 않으므로
//     그 `lock()`은 돌아오지 않습니다 (std의 것은 교착 상태가 되거나 패닉합니다). 첫 번째 임계 영역을 먼저 끝내세요.
//
// Run it yourself: `cargo run -p exercises --bin match_deadlock` (it hangs until you fix it: press Ctrl-C).
// 직접 실행해 보기: `cargo run -p exercises --bin match_deadlock` (고치기 전에는 멈추므로 Ctrl-C를 누르세요).

use conc::sync::{Arc, Mutex};
use conc::thread;
use std::collections::HashMap;

/// Results computed once and remembered.
pub struct Cache {
    values: Mutex<HashMap<u64, u64>>,
}

impl Cache {
    pub fn new() -> Self {
        Cache {
            values: Mutex::new(HashMap::new()),
        }
    }

    /// The value for `key`: the remembered one, or `compute(key)`, which is then remembered.
    pub fn get(&self, key: u64, compute: impl FnOnce(u64) -> u64) -> u64 {
        // TODO: the guard locked in the scrutinee is still alive in the `None` arm.
        // 할 일: 검사 대상 식에서 잠근 가드가 `None` 갈래에서도 아직 살아 있습니다.
        match self.values.lock().unwrap().get(&key) {
            Some(value) => *value,
            None => {
                let value = compute(key);
                self.values.lock().unwrap().insert(key, value);
                value
            }
        }
    }
}

fn slow_square(n: u64) -> u64 {
    thread::sleep(std::time::Duration::from_millis(100));
    n * n
}

fn main() {
    let cache = Arc::new(Cache::new());
    let workers: Vec<_> = [3, 4, 3]
        .into_iter()
        .map(|n| {
            let cache = Arc::clone(&cache);
            thread::spawn(move || (n, cache.get(n, slow_square)))
        })
        .collect();
    for worker in workers {
        let (n, square) = worker.join().unwrap();
        println!("{n}² = {square}");
    }
    println!(
        "and again from the cache: 3² = {}",
        cache.get(3, slow_square)
    );
}
