// Known-wrong: copies, and a full mailbox makes `send` wait on `not_full` — but `recv` never signals it. A sender
// that waits for room sleeps for ever, however many messages are taken.

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;
use std::collections::VecDeque;

/// A sender's reusable text buffer.
pub type Buffer = Arc<Mutex<String>>;

/// A first-in, first-out queue of at most `capacity` text messages.
pub struct Mailbox {
    /// The messages themselves: copies, owned by the mailbox.
    queue: Mutex<VecDeque<String>>,
    capacity: usize,
    not_empty: Condvar,
    not_full: Condvar,
}

impl Mailbox {
    pub fn new(capacity: usize) -> Self {
        Mailbox {
            queue: Mutex::new(VecDeque::new()),
            capacity,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    /// Puts the message now in `message` at the back of the mailbox, waiting while the mailbox is full.
    pub fn send(&self, message: &Buffer) {
        // The copy is taken now: what the sender writes into its buffer afterwards is its own business.
        let text = message.lock().unwrap().clone();
        let mut queue = self.queue.lock().unwrap();
        while queue.len() == self.capacity {
            queue = self.not_full.wait(queue).unwrap();
        }
        queue.push_back(text);
        self.not_empty.notify_one();
    }

    /// Takes the oldest message, waiting while the mailbox is empty.
    pub fn recv(&self) -> String {
        let mut queue = self.queue.lock().unwrap();
        while queue.is_empty() {
            queue = self.not_empty.wait(queue).unwrap();
        }
        queue.pop_front().unwrap()
    }

    /// How many messages are waiting.
    pub fn len(&self) -> usize {
        self.queue.lock().unwrap().len()
    }
}

fn main() {
    let mailbox = Arc::new(Mailbox::new(2));
    let producer = thread::spawn({
        let mailbox = Arc::clone(&mailbox);
        move || {
            // One buffer, reused for every message.
            let buffer: Buffer = Arc::new(Mutex::new(String::new()));
            for i in 0..6 {
                *buffer.lock().unwrap() = format!("message {i}");
                mailbox.send(&buffer);
            }
        }
    });
    let received: Vec<String> = (0..6).map(|_| mailbox.recv()).collect();
    producer.join().unwrap();
    println!("received {received:?}");
}
