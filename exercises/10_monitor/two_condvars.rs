// two_condvars — monitor (모니터)
//
// EN: `BoundedBuffer` is a monitor for producers and consumers: `put()` waits while the buffer is full, `take()`
//     waits while it is empty. It has one condition variable, `changed`, for both kinds of waiting, checks its
//     condition with `if`, and wakes one thread with `notify_one`. With one producer and one consumer that
//     works. With two of each it breaks: a woken consumer does not look again and takes from an empty buffer
//     (another consumer got there first), and a `notify_one` meant for a producer can wake a consumer instead.
//     Make it correct for any number of producers and consumers: re-check in a `while` (Mesa semantics), and
//     give each kind of waiter its own condition variable, `not_full` and `not_empty`.
//     Keep `BoundedBuffer::new(capacity)`, `put` and `take`.
//
// KO: `BoundedBuffer`는 생산자와 소비자를 위한 모니터입니다. `put()`은 버퍼가 가득 차 있으면 기다리고, `take()`는
//     비어 있으면 기다립니다. 두 종류의 기다림에 조건 변수 하나 `changed`를 쓰고, 조건을 `if`로 확인하며,
//     `notify_one`으로 한 스레드를 깨웁니다. 생산자 하나, 소비자 하나일 때는 됩니다. 둘씩이면 깨집니다. 깨어난
//     소비자가 다시 확인하지 않고 빈 버퍼에서 꺼내려 하고(다른 소비자가 먼저 가져갔습니다), 생산자에게 가야 할
//     `notify_one`이 소비자를 깨울 수도 있습니다. 생산자와 소비자가 몇이든 맞게 고치세요. `while`로 다시 확인하고
//     (Mesa 방식), 기다리는 종류마다 조건 변수(`not_full`과 `not_empty`)를 따로 두세요.
//     `BoundedBuffer::new(capacity)`, `put`, `take`는 유지하세요.
//
// Run it yourself: `cargo run -p exercises --bin two_condvars`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin two_condvars`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;
use std::collections::VecDeque;

/// A first-in, first-out buffer of at most `capacity` items.
pub struct BoundedBuffer {
    items: Mutex<VecDeque<u32>>,
    capacity: usize,
    // TODO: one condition variable for two different conditions.
    // 할 일: 조건 변수 하나로 서로 다른 두 조건을 기다립니다.
    changed: Condvar,
}

impl BoundedBuffer {
    pub fn new(capacity: usize) -> Self {
        BoundedBuffer {
            items: Mutex::new(VecDeque::new()),
            capacity,
            changed: Condvar::new(),
        }
    }

    /// Adds `item` at the back, waiting while the buffer is full.
    pub fn put(&self, item: u32) {
        let mut items = self.items.lock().unwrap();
        // TODO: is there room *now*, after waking up?
        // 할 일: 깨어난 *지금*도 자리가 있습니까?
        if items.len() == self.capacity {
            items = self.changed.wait(items).unwrap();
        }
        items.push_back(item);
        self.changed.notify_one();
    }

    /// Removes the item at the front, waiting while the buffer is empty.
    pub fn take(&self) -> u32 {
        let mut items = self.items.lock().unwrap();
        // TODO: is there an item *now*, after waking up?
        // 할 일: 깨어난 *지금*도 항목이 있습니까?
        if items.is_empty() {
            items = self.changed.wait(items).unwrap();
        }
        let item = items
            .pop_front()
            .expect("take() woke up to an empty buffer");
        self.changed.notify_one();
        item
    }
}

fn main() {
    // If this program hangs, that is the bug at work: press Ctrl-C and run `conc-lings run two_condvars` to see why.
    let buffer = Arc::new(BoundedBuffer::new(2));
    let producers: Vec<_> = (0..2)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                for i in 0..1000 {
                    buffer.put(p * 1000 + i);
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || (0..1000).map(|_| buffer.take() as u64).sum::<u64>())
        })
        .collect();
    for producer in producers {
        producer.join().unwrap();
    }
    let total: u64 = consumers.into_iter().map(|c| c.join().unwrap()).sum();
    println!("sum of everything taken: {total} (1999000 expected)");
}
