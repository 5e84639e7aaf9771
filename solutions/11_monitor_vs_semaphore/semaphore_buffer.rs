// semaphore_buffer — monitor vs semaphore (모니터 vs 세마포어)
//
// EN: The classic bounded buffer, built from semaphores: `empty` counts free slots (it starts at the capacity),
//     `full` counts filled slots (it starts at 0), and a mutex guards the queue itself. `put` waits for a free
//     slot, `take` waits for a filled one; items come out in the order they went in, each exactly once, and
//     the buffer never holds more than its capacity, not even for a moment (`len()`, given, says how many it
//     holds). The `Semaphore` below is correct: leave it alone. The buffer deadlocks: `put` and `take` lock the
//     queue first and *then* wait on a semaphore, so a consumer asleep on `full` keeps the queue locked against
//     the very producer that would release it. A semaphore's `acquire`, unlike a condition variable's `wait`,
//     does not let go of a mutex you hold. Fix the order of the waits.
//
// KO: 고전적인 유한 버퍼(bounded buffer)를 세마포어로 만들었습니다. `empty`는 빈 칸 수(처음에는 용량),
//     `full`은 찬 칸 수(처음에는 0)를 세고, 뮤텍스는 큐 자체를 보호합니다. `put`은 빈 칸을, `take`는 찬 칸을
//     기다립니다. 항목은 들어간 순서대로 정확히 한 번씩 나오고, 버퍼에는 한순간도 용량보다 많이 들어 있을 수
//     없습니다 (주어진 `len()`이 몇 개 들었는지 알려 줍니다).
//     아래 `Semaphore`는 올바르니 건드리지 마세요. 이 버퍼는 교착 상태에 빠집니다. `put`과 `take`가 큐를 먼저
//     잠그고 *그다음에* 세마포어를 기다리므로, `full`에서 잠든 소비자가 큐를 잠근 채로 있어 그것을 release해 줄
//     생산자가 들어오지 못합니다. 세마포어의 `acquire`는 조건 변수의 `wait`와 달리 쥐고 있는 뮤텍스를 놓아 주지
//     않습니다. 기다리는 순서를 고치세요.
//
// Run it yourself: `cargo run -p exercises --bin semaphore_buffer` (as shipped it may hang: that is the deadlock).
// 직접 실행해 보기: `cargo run -p exercises --bin semaphore_buffer` (처음 상태로는 멈출 수 있는데, 그것이 바로 교착
// 상태입니다).

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;
use std::collections::VecDeque;

/// A counting semaphore: `acquire` waits until a permit is free and takes it, `release` gives one back.
/// (`#[track_caller]` only makes the checker show these steps at the line that called `acquire`/`release`.)
pub struct Semaphore {
    permits: Mutex<usize>,
    freed: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Semaphore {
            permits: Mutex::new(permits),
            freed: Condvar::new(),
        }
    }

    #[track_caller]
    pub fn acquire(&self) {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            permits = self.freed.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    #[track_caller]
    pub fn release(&self) {
        let mut permits = self.permits.lock().unwrap();
        *permits += 1;
        self.freed.notify_one();
    }
}

/// A first-in, first-out buffer with room for `capacity` items.
pub struct BoundedBuffer<T> {
    items: Mutex<VecDeque<T>>,
    /// Free slots.
    empty: Semaphore,
    /// Filled slots.
    full: Semaphore,
}

impl<T> BoundedBuffer<T> {
    pub fn new(capacity: usize) -> Self {
        BoundedBuffer {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            empty: Semaphore::new(capacity),
            full: Semaphore::new(0),
        }
    }

    /// Adds `item` at the back, waiting while the buffer is full.
    pub fn put(&self, item: T) {
        // Wait for a slot *before* locking the queue: a sleeping producer must not hold what consumers need.
        self.empty.acquire();
        // The mutex only covers the queue operation itself, which never waits.
        self.items.lock().unwrap().push_back(item);
        // Release only after the item is in: a consumer woken by `full` must find it there.
        self.full.release();
    }

    /// Removes the item at the front, waiting while the buffer is empty.
    pub fn take(&self) -> T {
        self.full.acquire();
        let item = {
            let mut items = self.items.lock().unwrap();
            items.pop_front().expect("`full` promised an item")
        };
        self.empty.release();
        item
    }
}

impl<T> BoundedBuffer<T> {
    /// How many items are in the buffer right now (given: the check reads it while puts and takes run).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }
}

fn main() {
    let buffer = Arc::new(BoundedBuffer::new(2));
    let producer = thread::spawn({
        let buffer = Arc::clone(&buffer);
        move || {
            for item in 1..=5 {
                buffer.put(item);
                println!("put  {item}");
            }
        }
    });
    for _ in 1..=5 {
        let item = buffer.take();
        println!("took {item}");
    }
    producer.join().unwrap();
}
