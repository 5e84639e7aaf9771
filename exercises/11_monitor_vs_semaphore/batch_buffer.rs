// batch_buffer — monitor vs semaphore (모니터 vs 세마포어)
//
// EN: The bounded buffer of `semaphore_buffer` gets a new method: `put_all(batch)` puts a whole batch (never
//     more items than the capacity) at the back, *together*: no other producer's item may land in the middle
//     of it, and it waits until there is room for all of it. Items still come out first in, first out, each
//     exactly once, and the buffer never holds more than its capacity. Built from semaphores, `put_all` takes
//     the free slots one permit at a time; two producers can each get some of the slots and wait forever for
//     the rest (hold and wait). A semaphore can only wait for "one more permit". A monitor can wait for any
//     condition on its state, such as "room for the whole batch". Rewrite the buffer as a monitor: the queue
//     in one `Mutex`, and condition variables to sleep on.
//
// KO: `semaphore_buffer`의 유한 버퍼에 새 메서드가 생겼습니다. `put_all(batch)`는 묶음 하나(용량보다 많지 않음)를
//     통째로 뒤에 넣습니다. 다른 생산자의 항목이 그 사이에 끼어들면 안 되고, 묶음 전체가 들어갈 자리가 생길
//     때까지 기다립니다. 항목은 여전히 선입선출로 정확히 한 번씩 나오고, 버퍼에는 용량보다 많이 들어 있을 수
//     없습니다. 세마포어로 만든 `put_all`은 빈 칸을 허가 하나씩 가져가므로, 두 생산자가 빈 칸을 나눠 가진 채
//     나머지를 영원히 기다릴 수 있습니다 (점유 대기). 세마포어는 "허가 하나 더"만 기다릴 수 있습니다. 모니터는
//     "묶음 전체가 들어갈 자리"처럼 상태에 대한 어떤 조건이든 기다릴 수 있습니다. 버퍼를 모니터로 다시 쓰세요.
//     큐는 `Mutex` 하나 안에 두고, 잠들 때는 조건 변수를 씁니다.
//
// Run it yourself: `cargo run -p exercises --bin batch_buffer` (as shipped it may hang: that is the deadlock).
// 직접 실행해 보기: `cargo run -p exercises --bin batch_buffer` (처음 상태로는 멈출 수 있는데, 그것이 바로 교착
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

/// A first-in, first-out buffer with room for `capacity` items, filled a batch at a time.
// TODO: make it a monitor: the queue (and what you need to know about it) in one `Mutex`, plus `Condvar`s.
// 할 일: 모니터로 만드세요. 큐(와 큐에 대해 알아야 하는 것)를 `Mutex` 하나에 넣고 `Condvar`를 더하세요.
pub struct BatchBuffer<T> {
    items: Mutex<VecDeque<T>>,
    /// Free slots.
    empty: Semaphore,
    /// Filled slots.
    full: Semaphore,
}

impl<T> BatchBuffer<T> {
    pub fn new(capacity: usize) -> Self {
        BatchBuffer {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            empty: Semaphore::new(capacity),
            full: Semaphore::new(0),
        }
    }

    /// Adds all of `batch` at the back, together, waiting until there is room for all of it.
    pub fn put_all(&self, batch: Vec<T>) {
        // TODO: one free slot at a time: another producer can take the slots this one still needs.
        // 할 일: 빈칸을 한 번에 하나씩 가져가므로, 이 생산자에게 아직 필요한 빈칸을 다른 생산자가 가져갈 수 있습니다.
        for _ in 0..batch.len() {
            self.empty.acquire();
        }
        let n = batch.len();
        self.items.lock().unwrap().extend(batch);
        for _ in 0..n {
            self.full.release();
        }
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

fn main() {
    let buffer = Arc::new(BatchBuffer::new(2));
    let producers: Vec<_> = [[1, 2], [3, 4]]
        .into_iter()
        .map(|batch| {
            let buffer = Arc::clone(&buffer);
            thread::spawn(move || {
                buffer.put_all(batch.to_vec());
                println!("put  {batch:?}");
            })
        })
        .collect();
    for _ in 0..4 {
        let item = buffer.take();
        println!("took {item}");
    }
    for producer in producers {
        producer.join().unwrap();
    }
}
