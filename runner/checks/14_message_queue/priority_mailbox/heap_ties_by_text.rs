// Known-wrong: a `BinaryHeap` of `(priority, text)`. The highest priority does come first — but between equal
// priorities the heap compares the texts, so `zebra` overtakes `apple` and `mango` no matter who was sent first.

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;
use std::collections::BinaryHeap;

/// A queue of `(priority, text)` messages: highest priority first, first sent first within a priority.
pub struct PriorityMailbox {
    /// A max-heap: the greatest `(priority, text)` on top.
    heap: Mutex<BinaryHeap<(u32, String)>>,
    not_empty: Condvar,
}

impl PriorityMailbox {
    pub fn new() -> Self {
        PriorityMailbox {
            heap: Mutex::new(BinaryHeap::new()),
            not_empty: Condvar::new(),
        }
    }

    /// Puts a message of `priority` (0 is the lowest) into the mailbox.
    pub fn send(&self, priority: u32, text: &str) {
        let mut heap = self.heap.lock().unwrap();
        heap.push((priority, text.to_string()));
        self.not_empty.notify_one();
    }

    /// Takes the message of the highest priority waiting (of those, the one sent first), waiting while the
    /// mailbox is empty.
    pub fn recv(&self) -> (u32, String) {
        let mut heap = self.heap.lock().unwrap();
        while heap.is_empty() {
            heap = self.not_empty.wait(heap).unwrap();
        }
        heap.pop().unwrap()
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
