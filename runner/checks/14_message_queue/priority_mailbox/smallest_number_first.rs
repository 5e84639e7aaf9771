// Known-wrong: one queue per priority, in sending order — but it serves the *smallest* priority number first, as if
// priorities were `nice` values. In POSIX message queues the largest number is the most urgent.

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
        // The most urgent priority: the smallest number, as with Unix `nice`.
        let mut highest = queues.first_entry().expect("not empty");
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
