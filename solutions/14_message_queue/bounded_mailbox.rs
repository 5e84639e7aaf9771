// bounded_mailbox — message queue (메시지 큐)
//
// EN: `Mailbox` is a bounded message queue between threads. The solution stores copies: `send` takes the text out
//     of the sender's buffer while it is called, so the sender may reuse its buffer at once (a POSIX queue copies
//     into the kernel the same way). And a full mailbox pushes back: `send` waits on `not_full` while the mailbox
//     holds `capacity` messages, `recv` signals `not_full` after taking one — nothing is ever thrown away. Both
//     waits re-check their condition in a `while` (another thread may get there first after a wake-up).
//
// KO: `Mailbox`는 스레드 사이의 크기가 정해진 메시지 큐입니다. 해답은 사본을 담습니다. `send`가 불린 그 순간
//     보내는 쪽 버퍼에서 텍스트를 꺼내므로, 보내는 쪽은 곧바로 버퍼를 다시 써도 됩니다 (POSIX 큐도 똑같이 커널로
//     복사합니다). 그리고 가득 찬 우편함은 밀어냅니다. 메시지가 `capacity`개인 동안 `send`는 `not_full`에서
//     기다리고, `recv`는 하나를 꺼낸 뒤 `not_full`에 알립니다. 아무것도 버려지지 않습니다. 두 기다림 모두
//     `while`로 조건을 다시 확인합니다 (깨어난 뒤 다른 스레드가 먼저 왔을 수 있습니다).
//
// Run it yourself: `cargo run -p solutions --bin bounded_mailbox`.
// 직접 실행해 보기: `cargo run -p solutions --bin bounded_mailbox`.

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
        let text = queue.pop_front().unwrap();
        // There is room now: wake a sender waiting for it.
        self.not_full.notify_one();
        text
    }

    /// How many messages are waiting.
    pub fn len(&self) -> usize {
        self.queue.lock().unwrap().len()
    }

    /// Whether no message is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
