// priority_mailbox — message queue (메시지 큐)
//
// EN: A message queue between threads that delivers by priority, as POSIX message queues do: the highest priority
//     number first, and first sent first among equal priorities. The solution keeps one first-in, first-out queue
//     per priority, in a `BTreeMap` ordered by priority: `recv` takes from the front of the last (highest) one.
//     (A `BinaryHeap` works too, if each entry also carries a sequence number so that equal priorities keep the
//     order of sending: the heap alone would break ties by comparing the texts.)
//
// KO: POSIX 메시지 큐처럼 우선순위로 배달하는 스레드 사이의 메시지 큐입니다. 우선순위 숫자가 가장 큰 것부터, 우선순위가
//     같으면 먼저 보낸 것부터. 해답은 우선순위마다 선입선출 큐를 하나씩 두고 우선순위 순으로 정렬되는 `BTreeMap`에
//     담습니다. `recv`는 마지막(가장 높은) 큐의 앞에서 꺼냅니다. (`BinaryHeap`도 됩니다. 다만 같은 우선순위가 보낸
//     순서를 지키도록 항목마다 순번도 함께 넣어야 합니다. 힙만으로는 동률을 텍스트 비교로 가릅니다.)
//
// Run it yourself: `cargo run -p solutions --bin priority_mailbox`.
// 직접 실행해 보기: `cargo run -p solutions --bin priority_mailbox`.

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;
use std::collections::{BTreeMap, VecDeque};

/// A queue of `(priority, text)` messages: highest priority first, first sent first within a priority.
pub struct PriorityMailbox {
    /// One first-in, first-out queue per priority; no empty queues are kept.
    queues: Mutex<BTreeMap<u32, VecDeque<String>>>,
    not_empty: Condvar,
}

impl PriorityMailbox {
    pub fn new() -> Self {
        PriorityMailbox {
            queues: Mutex::new(BTreeMap::new()),
            not_empty: Condvar::new(),
        }
    }

    /// Puts a message of `priority` (0 is the lowest) into the mailbox.
    pub fn send(&self, priority: u32, text: &str) {
        let mut queues = self.queues.lock().unwrap();
        queues
            .entry(priority)
            .or_default()
            .push_back(text.to_string());
        self.not_empty.notify_one();
    }

    /// Takes the message of the highest priority waiting (of those, the one sent first), waiting while the
    /// mailbox is empty.
    pub fn recv(&self) -> (u32, String) {
        let mut queues = self.queues.lock().unwrap();
        while queues.is_empty() {
            queues = self.not_empty.wait(queues).unwrap();
        }
        // The highest priority is the last key; its queue is never empty (empty ones are removed).
        let mut highest = queues.last_entry().expect("not empty");
        let priority = *highest.key();
        let text = highest.get_mut().pop_front().expect("no empty queues");
        if highest.get().is_empty() {
            highest.remove();
        }
        (priority, text)
    }
}

fn main() {
    let mailbox = Arc::new(PriorityMailbox::new());
    for (priority, text) in [
        (0, "log: started"),
        (0, "log: 1 user"),
        (9, "ALARM: disk full"),
        (0, "log: 2 users"),
    ] {
        mailbox.send(priority, text);
    }
    let reader = thread::spawn({
        let mailbox = Arc::clone(&mailbox);
        move || (0..4).map(|_| mailbox.recv()).collect::<Vec<_>>()
    });
    for (priority, text) in reader.join().unwrap() {
        println!("{priority} {text}");
    }
}
