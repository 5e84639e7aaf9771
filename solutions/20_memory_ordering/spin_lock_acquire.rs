// spin_lock_acquire — atomics and memory ordering (원자적 연산, 메모리 순서)
//
// EN: A tiny spin lock: `locked` is an `AtomicBool`, and the value lives in an `UnsafeCell` that only the holder
//     may touch. `with_lock(f)` spins until its `compare_exchange` turns `locked` from false to true, runs `f`
//     on the value, and stores `false` to unlock. The `compare_exchange` makes sure only one thread gets in at a
//     time — but it is `Relaxed`. Getting the lock is not enough: the new holder must also *see* what the last
//     holder wrote inside. That is what `Acquire` on taking the lock does, paired with the `Release` of the
//     unlock that is already here. Without it the two critical sections are a data race, one after the other
//     or not (the checker says "Causality violation: Concurrent … accesses to `UnsafeCell`"). Fix the
//     orderings (only the ones that need it). Keep the `compare_exchange` loop: the checker (loom) cannot
//     explore a spin loop whose failed attempts *write* (`swap(true)`), and would report it as spinning forever.
//
// KO: 작은 스핀 락입니다. `locked`는 `AtomicBool`이고, 값은 락을 가진 스레드만 만질 수 있는 `UnsafeCell` 안에
//     있습니다. `with_lock(f)`는 `compare_exchange`가 `locked`를 false에서 true로 바꿀 때까지 돌고, 값에 `f`를
//     실행한 뒤, `false`를 저장해 락을 풉니다. `compare_exchange`는 한 번에 한 스레드만 들어가게 해 주지만,
//     `Relaxed`입니다. 락을 얻는 것만으로는 부족합니다. 새 주인은 이전 주인이 안에 쓴 것을 *보기도* 해야 합니다.
//     락을 잡을 때의 `Acquire`가 바로 그 일을 하고, 이미 있는 락 해제의 `Release`와 짝을 이룹니다. 이것이
//     없으면 두 임계 영역은, 차례로 실행되더라도 데이터 경쟁입니다 (검사기는 "Causality violation: Concurrent …
//     accesses to `UnsafeCell`"이라고 알립니다). 순서(ordering)를 고치세요 (필요한 것만). `compare_exchange`
//     반복문은 그대로 두세요. 검사기(loom)는 실패한 시도가 *쓰기*를 하는 스핀 반복문(`swap(true)`)을 탐색하지 못해서,
//     영원히 도는 것으로 보고합니다.
//
// Run it yourself: `cargo run -p exercises --bin spin_lock_acquire`. On x86 it will look fine: the hardware
// orders more than Rust promises. The checker (loom) explores what the memory model allows, as on ARM.
// 직접 실행해 보기: `cargo run -p exercises --bin spin_lock_acquire`. x86에서는 문제없어 보일 것입니다. 하드웨어가
// Rust의 약속보다 순서를 더 많이 지키기 때문입니다. 검사기(loom)는 ARM에서처럼 메모리 모델이 허용하는 모든 경우를
// 탐색합니다.

use conc::cell::UnsafeCell;
use conc::sync::Arc;
use conc::sync::atomic::{AtomicBool, Ordering};
use conc::thread;

pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the value is only touched by the thread holding the lock (if the lock works).
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    pub fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Runs `f` on the value, with the lock held.
    pub fn with_lock<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // Acquire on success: reading the `false` that the last holder stored with Release, this thread now sees
        // everything it wrote inside. A failed attempt takes nothing, so it can stay Relaxed.
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            thread::yield_now();
        }
        // SAFETY: we hold the lock, so no other thread is inside.
        let result = self.value.with_mut(|value| f(unsafe { &mut *value }));
        // Release: publishes our writes inside to whoever acquires the lock next.
        self.locked.store(false, Ordering::Release);
        result
    }
}

fn main() {
    let total = Arc::new(SpinLock::new(0u64));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let total = Arc::clone(&total);
            thread::spawn(move || {
                for _ in 0..100_000 {
                    total.with_lock(|n| *n += 1);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    println!("{} (expected 400000)", total.with_lock(|n| *n));
}
