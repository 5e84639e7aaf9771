// bounded_mailbox — message queue (메시지 큐)
//
// EN: `Mailbox` is a message queue between threads: `send` puts a message at the back, `recv` takes the oldest
//     one, waiting while the mailbox is empty. It holds at most `capacity` messages. Two things are wrong:
//     1. To save a copy, `send` queues a handle (`Arc`) to the sender's own buffer, and the sender goes on to
//        reuse that buffer for its next message. The receiver then reads whatever the buffer holds by the time it
//        gets there — the next message, twice. A message queue passes messages *by value*: a POSIX queue copies
//        the bytes into the kernel at `mq_send`, and the sender may overwrite its buffer the moment it returns.
//     2. When the mailbox is full, `send` throws the oldest message away to make room. Messages are lost
//        silently. A bounded queue must push back instead: `send` waits while the mailbox is full, until `recv`
//        makes room (as `mq_send` blocks on a full POSIX queue).
//     Fix both TODOs. Keep `Mailbox::new(capacity)`, `send(&Buffer)`, `recv() -> String` and `len()`.
//
// KO: `Mailbox`는 스레드 사이의 메시지 큐입니다. `send`는 메시지를 뒤에 넣고, `recv`는 가장 오래된 것을 꺼내며
//     비어 있으면 기다립니다. 메시지를 많아야 `capacity`개 담습니다. 두 가지가 잘못되었습니다:
//     1. 복사를 아끼려고 `send`는 보내는 쪽 버퍼에 대한 핸들(`Arc`)을 큐에 넣고, 보내는 쪽은 그 버퍼를 다음 메시지에
//        다시 씁니다. 그러면 받는 쪽은 자기가 꺼낼 때 버퍼에 들어 있는 것, 즉 다음 메시지를 두 번 읽습니다. 메시지
//        큐는 메시지를 *값으로* 건넵니다. POSIX 큐는 `mq_send` 때 바이트를 커널로 복사하고, 보내는 쪽은 그 함수가
//        돌아오자마자 버퍼를 덮어써도 됩니다.
//     2. 우편함이 가득 차면 `send`는 자리를 만들려고 가장 오래된 메시지를 버립니다. 메시지가 소리 없이 사라집니다.
//        크기가 정해진 큐는 대신 밀어내야(back-pressure) 합니다. 가득 차 있는 동안 `send`는 `recv`가 자리를 낼
//        때까지 기다립니다 (가득 찬 POSIX 큐에서 `mq_send`가 멈추듯이).
//     TODO 두 곳을 고치세요. `Mailbox::new(capacity)`, `send(&Buffer)`, `recv() -> String`, `len()`은 유지하세요.
//
// Run it yourself: `cargo run -p exercises --bin bounded_mailbox` (it may hang: Ctrl-C). The checker tries every
// interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin bounded_mailbox` (멈추면 Ctrl-C를 누르세요). 검사기는 결과에 영향을
// 주는 모든 실행 순서를 시도합니다.

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;
use std::collections::VecDeque;

/// A sender's reusable text buffer.
pub type Buffer = Arc<Mutex<String>>;

/// A first-in, first-out queue of at most `capacity` text messages.
pub struct Mailbox {
    // TODO(1): handles to the senders' buffers, not the messages themselves.
    // 할 일(1): 메시지 자체가 아니라 보내는 쪽 버퍼를 가리키는 핸들을 담습니다.
    queue: Mutex<VecDeque<Buffer>>,
    capacity: usize,
    not_empty: Condvar,
}

impl Mailbox {
    pub fn new(capacity: usize) -> Self {
        Mailbox {
            queue: Mutex::new(VecDeque::new()),
            capacity,
            not_empty: Condvar::new(),
        }
    }

    /// Puts the message now in `message` at the back of the mailbox.
    pub fn send(&self, message: &Buffer) {
        let mut queue = self.queue.lock().unwrap();
        // TODO(2): full? Then the oldest message is thrown away.
        // 할 일(2): 가득 찼으면 가장 오래된 메시지를 버립니다.
        if queue.len() == self.capacity {
            queue.pop_front();
        }
        queue.push_back(Arc::clone(message));
        self.not_empty.notify_one();
    }

    /// Takes the oldest message, waiting while the mailbox is empty.
    pub fn recv(&self) -> String {
        let mut queue = self.queue.lock().unwrap();
        while queue.is_empty() {
            queue = self.not_empty.wait(queue).unwrap();
        }
        let message = queue.pop_front().unwrap();
        // (The receiver copies the text out of the sender's buffer — now.)
        let text = message.lock().unwrap().clone();
        drop(queue);
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
