// priority_mailbox — message queue (메시지 큐)
//
// EN: `PriorityMailbox` is a message queue between threads in which every message has a priority: an alarm must
//     not wait behind a thousand log lines. The rule is the one of POSIX message queues: `recv` takes a message
//     of the HIGHEST priority number waiting (0 is the lowest), and among messages of equal priority the one
//     sent first. Right now the mailbox is a plain first-in, first-out queue: it ignores the priorities.
//     TODO: make `recv` follow the rule. Keep `new()`, `send(priority, text)` and `recv() -> (priority, text)`;
//     `recv` still waits while the mailbox is empty.
//
// KO: `PriorityMailbox`는 메시지마다 우선순위가 있는 스레드 사이의 메시지 큐입니다. 경보가 로그 천 줄 뒤에서 기다리면
//     안 됩니다. 규칙은 POSIX 메시지 큐의 것입니다. `recv`는 기다리는 메시지 중 우선순위 숫자가 *가장 큰* 것(0이 가장
//     낮습니다)을 꺼내고, 우선순위가 같으면 먼저 보낸 것을 꺼냅니다. 지금 우편함은 평범한 선입선출 큐라서 우선순위를
//     무시합니다.
//     TODO: `recv`가 규칙을 따르게 하세요. `new()`, `send(priority, text)`, `recv() -> (priority, text)`는 유지하세요.
//     `recv`는 여전히 우편함이 비어 있는 동안 기다립니다.
//
// Run it yourself: `cargo run -p exercises --bin priority_mailbox`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin priority_mailbox`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;
use std::collections::VecDeque;

/// A queue of `(priority, text)` messages: highest priority first, first sent first within a priority.
pub struct PriorityMailbox {
    // TODO: a plain queue, in the order of sending.
    // 할 일: 보낸 순서대로 꺼내는 평범한 큐입니다.
    queue: Mutex<VecDeque<(u32, String)>>,
    not_empty: Condvar,
}

impl PriorityMailbox {
    pub fn new() -> Self {
        PriorityMailbox {
            queue: Mutex::new(VecDeque::new()),
            not_empty: Condvar::new(),
        }
    }

    /// Puts a message of `priority` (0 is the lowest) into the mailbox.
    pub fn send(&self, priority: u32, text: &str) {
        let mut queue = self.queue.lock().unwrap();
        queue.push_back((priority, text.to_string()));
        self.not_empty.notify_one();
    }

    /// Takes the message of the highest priority waiting (of those, the one sent first), waiting while the
    /// mailbox is empty.
    pub fn recv(&self) -> (u32, String) {
        let mut queue = self.queue.lock().unwrap();
        while queue.is_empty() {
            queue = self.not_empty.wait(queue).unwrap();
        }
        // TODO: the oldest message, whatever its priority.
        // 할 일: 우선순위와 상관없이 가장 오래된 메시지를 꺼냅니다.
        queue.pop_front().unwrap()
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
