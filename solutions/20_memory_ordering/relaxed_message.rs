// relaxed_message — atomics and memory ordering (원자적 연산, 메모리 순서)
//
// EN: A `Mailbox` passes one number from a sender thread to a receiver without a lock: `send(value)` writes
//     `data`, then sets `ready`; `try_recv()` returns `None` until it sees `ready`, then `Some(data)`. It must
//     never return `Some` of anything but the value sent. All accesses are `Relaxed`: each one is atomic, but
//     `Relaxed` promises nothing about the *order* in which another thread sees two different variables. The
//     receiver can see `ready == true` and still read the old `data`. Make the flag carry the data with it:
//     a `Release` store of the flag publishes every write before it to a thread whose `Acquire` load reads
//     that store.
//
// KO: `Mailbox`는 락 없이, 보내는 스레드에서 받는 스레드로 숫자 하나를 전달합니다. `send(value)`는 `data`를 쓴
//     다음 `ready`를 세웁니다. `try_recv()`는 `ready`를 보기 전까지는 `None`을, 본 뒤에는 `Some(data)`를
//     돌려줍니다. 보낸 값이 아닌 것을 `Some`으로 돌려주면 절대 안 됩니다. 지금은 모든 접근이 `Relaxed`입니다. 각
//     접근은 원자적이지만, `Relaxed`는 다른 스레드가 서로 다른 두 변수를 어떤 *순서*로 보게 되는지 아무것도
//     약속하지 않습니다. 그래서 받는 쪽은 `ready == true`를 보고도 옛 `data`를 읽을 수 있습니다. 플래그가 데이터를
//     함께 실어 나르게 하세요. 플래그를 `Release`로 쓰면, 그 쓰기를 `Acquire`로 읽은 스레드에게는 플래그보다 앞선
//     모든 쓰기가 보입니다.
//
// Run it yourself: `cargo run -p exercises --bin relaxed_message`. On x86 it will look fine: the hardware orders
// more than Rust promises. The checker (loom) explores what the memory model allows, as on ARM.
// 직접 실행해 보기: `cargo run -p exercises --bin relaxed_message`. x86에서는 문제없어 보일 것입니다. 하드웨어가
// Rust의 약속보다 순서를 더 많이 지키기 때문입니다. 검사기(loom)는 ARM에서처럼 메모리 모델이 허용하는 모든 경우를
// 탐색합니다.

use conc::sync::Arc;
use conc::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use conc::thread;

pub struct Mailbox {
    data: AtomicU64,
    ready: AtomicBool,
}

impl Mailbox {
    pub fn new() -> Self {
        Mailbox {
            data: AtomicU64::new(0),
            ready: AtomicBool::new(false),
        }
    }

    /// Leaves `value` for the receiver. Called once.
    pub fn send(&self, value: u64) {
        // `data` itself can stay Relaxed: the flag orders it.
        self.data.store(value, Ordering::Relaxed);
        // Release: every write this thread made before this store is visible to a thread whose Acquire load
        // reads `true` here.
        self.ready.store(true, Ordering::Release);
    }

    /// `Some(value sent)` once the message is there, `None` before.
    pub fn try_recv(&self) -> Option<u64> {
        // Acquire: having read the Release store of `true`, this thread now sees everything before it,
        // including `data`. The pair is what synchronises: Release alone or Acquire alone does nothing.
        if self.ready.load(Ordering::Acquire) {
            Some(self.data.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}

fn main() {
    for _ in 0..1000 {
        let mailbox = Arc::new(Mailbox::new());
        let sender = thread::spawn({
            let mailbox = Arc::clone(&mailbox);
            move || mailbox.send(42)
        });
        let got = loop {
            if let Some(value) = mailbox.try_recv() {
                break value;
            }
            thread::yield_now();
        };
        sender.join().unwrap();
        assert_eq!(got, 42, "received a stale value");
    }
    println!("1000 messages received, each 42");
}
