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

/// A first-in, first-out buffer with room for `capacity` items, filled a batch at a time: a monitor. All state
/// is behind one lock; threads sleep on a condition variable until the state is what they need.
pub struct BatchBuffer<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
    /// Signalled whenever an item is taken: there is more room.
    room: Condvar,
    /// Signalled whenever items are put.
    filled: Condvar,
}

impl<T> BatchBuffer<T> {
    pub fn new(capacity: usize) -> Self {
        BatchBuffer {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            room: Condvar::new(),
            filled: Condvar::new(),
        }
    }

    /// Adds all of `batch` at the back, together, waiting until there is room for all of it.
    pub fn put_all(&self, batch: Vec<T>) {
        assert!(
            batch.len() <= self.capacity,
            "a batch larger than the buffer never fits"
        );
        let mut items = self.items.lock().unwrap();
        // One condition over the whole state, checked and acted on under one lock: nothing is held while waiting
        // (`wait` releases the lock), so no producer can sit on half of the room.
        while self.capacity - items.len() < batch.len() {
            items = self.room.wait(items).unwrap();
        }
        items.extend(batch);
        // Several items may have arrived: wake every consumer, each re-checks.
        self.filled.notify_all();
    }

    /// Removes the item at the front, waiting while the buffer is empty.
    pub fn take(&self) -> T {
        let mut items = self.items.lock().unwrap();
        while items.is_empty() {
            items = self.filled.wait(items).unwrap();
        }
        let item = items.pop_front().expect("checked not empty");
        // Producers wait for different amounts of room: `notify_one` might wake one whose batch still does not
        // fit, and not the one whose batch would. Wake them all; each re-checks its own condition.
        self.room.notify_all();
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
