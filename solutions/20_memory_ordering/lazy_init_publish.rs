// lazy_init_publish — atomics and memory ordering (원자적 연산, 메모리 순서)
//
// EN: `Lazy<T>` computes a value on first use, once, and hands every caller a reference to it (what `OnceLock`
//     does for you). A `state` atomic goes EMPTY → RUNNING → READY: the thread that wins the
//     `compare_exchange` from EMPTY runs `init` and writes the value into an `UnsafeCell`, then sets READY;
//     the others wait for READY, and later callers see READY at once and skip everything. Only one thread ever
//     runs `init` — but every access is `Relaxed`, so READY does not publish the value: a thread can see READY
//     and read the cell while the write is not yet visible to it, which is a data race (the checker says
//     "Causality violation: Concurrent … accesses to `UnsafeCell`"). Every path that reads the value after
//     seeing READY must synchronise with the store of READY.
//
// KO: `Lazy<T>`는 값을 처음 쓸 때 한 번만 계산하고, 부르는 모두에게 그 값의 참조를 줍니다 (`OnceLock`이 해 주는
//     일). `state` 원자 변수는 EMPTY → RUNNING → READY로 갑니다. EMPTY에서 `compare_exchange`에 이긴 스레드가
//     `init`을 실행해 값을 `UnsafeCell`에 쓰고 READY를 세웁니다. 나머지는 READY를 기다리고, 나중에 부르는
//     스레드는 곧바로 READY를 보고 모두 건너뜁니다. `init`을 실행하는 스레드는 언제나 하나뿐이지만, 모든 접근이
//     `Relaxed`라서 READY가 값을 내보내지(publish) 못합니다. 어떤 스레드는 READY를 보고도, 쓰기가 아직 보이지
//     않는 셀을 읽을 수 있고, 이것은 데이터 경쟁입니다 (검사기는 "Causality violation: Concurrent … accesses to
//     `UnsafeCell`"이라고 알립니다). READY를 본 뒤 값을 읽는 모든 경로가 READY 저장과 동기화되어야 합니다.
//
// Run it yourself: `cargo run -p exercises --bin lazy_init_publish`. On x86 it will look fine: the hardware
// orders more than Rust promises. The checker (loom) explores what the memory model allows, as on ARM.
// 직접 실행해 보기: `cargo run -p exercises --bin lazy_init_publish`. x86에서는 문제없어 보일 것입니다. 하드웨어가
// Rust의 약속보다 순서를 더 많이 지키기 때문입니다. 검사기(loom)는 ARM에서처럼 메모리 모델이 허용하는 모든 경우를
// 탐색합니다.

use conc::cell::UnsafeCell;
use conc::sync::Arc;
use conc::sync::atomic::{AtomicU8, Ordering};
use conc::thread;

const EMPTY: u8 = 0;
const RUNNING: u8 = 1;
const READY: u8 = 2;

pub struct Lazy<T> {
    state: AtomicU8,
    value: UnsafeCell<Option<T>>,
}

// SAFETY: the value is written once, by one thread, before READY; after READY it is only read.
unsafe impl<T: Send + Sync> Sync for Lazy<T> {}

impl<T> Lazy<T> {
    pub fn new() -> Self {
        Lazy {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(None),
        }
    }

    /// The value, computed by `init` on the first call. `init` runs at most once, whoever calls.
    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        // Acquire: a caller that sees READY here reads the value below, so it must see the write before READY.
        if self.state.load(Ordering::Acquire) != READY {
            // Relaxed is enough here: winning only gives the right to write; losing leads to the Acquire loop.
            match self
                .state
                .compare_exchange(EMPTY, RUNNING, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => {
                    let value = init();
                    // SAFETY: only the thread that moved EMPTY → RUNNING gets here, once.
                    self.value.with_mut(|slot| unsafe { *slot = Some(value) });
                    // Release: publishes the write above to every thread whose Acquire load reads READY.
                    self.state.store(READY, Ordering::Release);
                }
                Err(_) => {
                    while self.state.load(Ordering::Acquire) != READY {
                        thread::yield_now();
                    }
                }
            }
        }
        // SAFETY: READY: written once, never again.
        let value = self.value.with(|slot| unsafe { (*slot).as_ref() });
        value.expect("READY means the value is there")
    }
}

fn main() {
    let table = Arc::new(Lazy::new());
    let readers: Vec<_> = (0..4)
        .map(|r| {
            let table = Arc::clone(&table);
            thread::spawn(move || {
                let squares = table.get_or_init(|| {
                    println!("reader {r} computes the table");
                    (0..10u64).map(|i| i * i).collect::<Vec<_>>()
                });
                println!("reader {r}: 9² = {}", squares[9]);
            })
        })
        .collect();
    for reader in readers {
        reader.join().unwrap();
    }
}
