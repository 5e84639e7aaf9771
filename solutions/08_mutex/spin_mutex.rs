// spin_mutex — mutex (뮤텍스)
//
// EN: Build your own mutex. `SpinMutex<T>` keeps its data in an `UnsafeCell` and a flag in an `AtomicBool`.
//     This version has two bugs. (1) Nothing makes callers give the lock back: `lock()` hands out `&mut T`
//     and trusts them to call `unlock()` later, and to stop using the reference after that. (2) It uses
//     `Ordering::Relaxed`, so the next holder may not see what the previous holder wrote: taking the lock must
//     be an `Acquire`, giving it back a `Release`. Make `lock()` return a guard, `SpinGuard`, that derefs to the
//     data (`Deref` / `DerefMut`) and unlocks when it is dropped (`Drop`), like `std::sync::MutexGuard`.
//     The checker runs this exercise under a weak-memory model: it reports data the next holder cannot see.
//     Keep `thread::yield_now()` in the spin loop: without it the checker sees a loop that never lets the lock's
//     holder run, and reports it as spinning forever. Any spin loop that takes the flag atomically will do: a
//     `compare_exchange` loop as given, a `swap(true)` loop (test-and-set), or a plain `load` loop before it.
//
// KO: 뮤텍스를 직접 만들어 봅니다. `SpinMutex<T>`는 데이터를 `UnsafeCell`에, 플래그를 `AtomicBool`에 둡니다. 지금
//     버전에는 버그가 둘 있습니다. (1) 호출자가 락을 돌려주게 만드는 장치가 없습니다. `lock()`은 `&mut T`를 내주고,
//     나중에 `unlock()`을 부르고 그 뒤로는 참조를 쓰지 않으리라 믿을 뿐입니다. (2) `Ordering::Relaxed`를 써서, 다음
//     소유자가 앞선 소유자가 쓴 내용을 못 볼 수 있습니다. 락을 잡을 때는 `Acquire`, 돌려줄 때는 `Release`여야
//     합니다. `lock()`이 가드 `SpinGuard`를 돌려주게 하세요. 가드는 데이터로 역참조되고(`Deref` / `DerefMut`),
//     drop될 때 락을 풉니다(`Drop`). `std::sync::MutexGuard`와 같습니다. 검사기는 이 연습 문제를 약한 메모리
//     모델로 실행해, 다음 소유자가 볼 수 없는 데이터를 찾아냅니다. 스핀 반복문의 `thread::yield_now()`는 남겨
//     두세요. 없으면 검사기는 락을 쥔 스레드에게 차례를 주지 않는 반복문으로 보고 끝없이 돈다고 보고합니다.
//     플래그를 원자적으로 잡는 스핀 반복문이면 무엇이든 됩니다. 주어진 `compare_exchange` 반복문, `swap(true)`
//     반복문(test-and-set), 그 앞에 그냥 `load`로 도는 반복문.
//
// Run it yourself: `cargo run -p exercises --bin spin_mutex`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin spin_mutex`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::cell::UnsafeCell;
use conc::sync::Arc;
use conc::sync::atomic::{AtomicBool, Ordering};
use conc::thread;
use std::ops::{Deref, DerefMut};

/// A mutual-exclusion lock that spins while it waits.
pub struct SpinMutex<T> {
    locked: AtomicBool,
    data: UnsafeCell<T>,
}

// SAFETY: the lock lets one thread at a time reach `data`, so a `SpinMutex` may be shared between threads
// whenever its data may be sent between them.
unsafe impl<T: Send> Sync for SpinMutex<T> {}

impl<T> SpinMutex<T> {
    pub fn new(value: T) -> Self {
        SpinMutex {
            locked: AtomicBool::new(false),
            data: UnsafeCell::new(value),
        }
    }

    /// Waits until the lock is free, takes it, and returns a guard: the data is reachable only through the
    /// guard, and dropping the guard gives the lock back.
    pub fn lock(&self) -> SpinGuard<'_, T> {
        // `Acquire` on success: everything the previous holder wrote before its `Release` is visible to us.
        while self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            thread::yield_now();
        }
        SpinGuard { mutex: self }
    }
}

/// Proof that the current thread holds a [`SpinMutex`]. It borrows the mutex, so it cannot outlive it, and the
/// `&T` / `&mut T` it hands out borrow the guard, so they cannot outlive the guard.
pub struct SpinGuard<'a, T> {
    mutex: &'a SpinMutex<T>,
}

impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard exists, so this thread holds the lock and nobody else touches the data.
        self.mutex.data.with(|data| unsafe { &*data })
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as above, and `&mut self` means no other reference from this guard is alive.
        self.mutex.data.with_mut(|data| unsafe { &mut *data })
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        // `Release`: our writes to the data happen-before the next holder's `Acquire`.
        self.mutex.locked.store(false, Ordering::Release);
    }
}

fn main() {
    let counter = Arc::new(SpinMutex::new(0u64));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let counter = counter.clone();
            thread::spawn(move || {
                for _ in 0..100_000 {
                    *counter.lock() += 1; // the guard is dropped at the end of the statement
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    println!("{} (400000 expected)", *counter.lock());
}
