// share_with_arc — multithreading (멀티스레딩)
//
// EN: `run_jobs(jobs)` runs every job on a thread of its own, all at the same time, and returns the line each job
//     produced (in any order). It does not compile. `Rc` counts its owners with ordinary, non-atomic additions, and
//     `RefCell` tracks borrows without any lock, so two threads using them at once would corrupt them: Rust
//     refuses to move an `Rc<RefCell<…>>` to another thread (it is not `Send`). Read the compiler's error, then
//     share the log with the thread-safe pair: `Arc` (an atomic reference count) and `Mutex` (one thread at a time).
//
// KO: `run_jobs(jobs)`는 모든 작업을 각자의 스레드에서 동시에 실행하고, 각 작업이 만든 줄을 (순서 상관없이)
//     돌려줍니다. 그런데 컴파일되지 않습니다. `Rc`는 소유자 수를 원자적이지 않은 보통 덧셈으로 세고, `RefCell`은
//     락 없이 빌림을 추적하므로, 두 스레드가 동시에 쓰면 망가집니다. 그래서 Rust는 `Rc<RefCell<…>>`를 다른 스레드로
//     옮기는 것을 거부합니다 (`Send`가 아님). 컴파일러의 오류를 읽은 뒤, 스레드 안전한 짝인
//     `Arc`(원자적 참조 카운트)와 `Mutex`(한 번에 한 스레드)로 기록을 공유하세요.
//
// Run it yourself: `cargo run -p exercises --bin share_with_arc`.
// 직접 실행해 보기: `cargo run -p exercises --bin share_with_arc`.

use conc::thread;
use std::cell::RefCell;
use std::rc::Rc;

/// A job: some work that produces one line for the log.
pub type Job = Box<dyn FnOnce() -> String + Send>;

/// Runs every job on its own thread, all at once; returns the line of each (in any order).
pub fn run_jobs(jobs: Vec<Job>) -> Vec<String> {
    // TODO: `Rc` and `RefCell` are for one thread only.
    // 할 일: `Rc`와 `RefCell`은 한 스레드 안에서만 쓰는 타입입니다.
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut workers = Vec::new();
    for job in jobs {
        let log = Rc::clone(&log);
        workers.push(thread::spawn(move || {
            let line = job();
            log.borrow_mut().push(line);
        }));
    }
    for worker in workers {
        worker.join().unwrap();
    }
    let lines = log.borrow().clone();
    lines
}

fn main() {
    let jobs: Vec<Job> = (1..=3)
        .map(|n| Box::new(move || format!("job {n}: {n} squared is {}", n * n)) as Job)
        .collect();
    for line in run_jobs(jobs) {
        println!("{line}");
    }
}
