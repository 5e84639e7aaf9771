// while_not_if — condition variable (조건 변수)
//
// EN: A `JobQueue` feeds worker threads. `push(job)` adds a job and wakes a worker; `close()` says no more jobs
//     will come; `pop()` waits while the queue is empty and still open, then returns `Some(job)` — or `None`
//     once the queue is closed *and* drained, which tells the worker to stop. Workers sometimes stop early,
//     with jobs still to come. `pop()` checks its condition once, with `if`. Waking up does not mean the
//     condition holds: `notify_one` only makes a sleeper runnable, and before it gets the lock back another
//     worker may take the job (wake-ups can also be spurious). Re-check the condition every time you wake up.
//
// KO: `JobQueue`가 작업 스레드들에게 일을 줍니다. `push(job)`은 작업을 넣고 작업자 하나를 깨우고, `close()`는 더
//     이상 작업이 없다고 알리며, `pop()`은 큐가 비어 있고 아직 열려 있는 동안 기다렸다가 `Some(job)`을 돌려주고,
//     큐가 닫혔고 *그리고* 다 비었으면 `None`을 돌려주어 작업자에게 그만하라고 알립니다. 그런데 아직 작업이 올
//     텐데도 작업자가 가끔 일찍 그만둡니다. `pop()`이 조건을 `if`로 한 번만 확인하기 때문입니다. 깨어났다고 조건이
//     참인 것은 아닙니다. `notify_one`은 잠든 스레드를 실행 가능하게 만들 뿐이고, 그 스레드가 락을 다시 잡기 전에
//     다른 작업자가 작업을 가져갈 수 있습니다 (이유 없이 깨어날 수도 있습니다). 깨어날 때마다 조건을 다시 확인하세요.
//
// Run it yourself: `cargo run -p exercises --bin while_not_if`.
// 직접 실행해 보기: `cargo run -p exercises --bin while_not_if`.

use conc::sync::{Arc, Condvar, Mutex};
use conc::thread;
use std::collections::VecDeque;

struct State<T> {
    jobs: VecDeque<T>,
    closed: bool,
}

pub struct JobQueue<T> {
    state: Mutex<State<T>>,
    ready: Condvar,
}

impl<T> JobQueue<T> {
    pub fn new() -> Self {
        JobQueue {
            state: Mutex::new(State {
                jobs: VecDeque::new(),
                closed: false,
            }),
            ready: Condvar::new(),
        }
    }

    /// Adds a job and wakes one waiting worker.
    pub fn push(&self, job: T) {
        let mut state = self.state.lock().unwrap();
        state.jobs.push_back(job);
        self.ready.notify_one();
    }

    /// No more jobs will be pushed: wakes every waiting worker so each can see it.
    pub fn close(&self) {
        let mut state = self.state.lock().unwrap();
        state.closed = true;
        self.ready.notify_all();
    }

    /// The next job; waits while there is none and the queue is open. `None` once closed and empty.
    pub fn pop(&self) -> Option<T> {
        let mut state = self.state.lock().unwrap();
        // TODO: checked once. After waking up, is the queue really non-empty (or closed)?
        // 할 일: 한 번만 확인합니다. 깨어난 뒤에 큐가 정말 비어 있지 않습니까(또는 닫혔습니까)?
        if state.jobs.is_empty() && !state.closed {
            state = self.ready.wait(state).unwrap();
        }
        state.jobs.pop_front()
    }
}

fn main() {
    let queue = Arc::new(JobQueue::new());
    let workers: Vec<_> = (0..3)
        .map(|w| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                let mut done = 0;
                while let Some(_job) = queue.pop() {
                    done += 1;
                }
                println!("worker {w} did {done} jobs");
                done
            })
        })
        .collect();
    for job in 0..30_000 {
        queue.push(job);
    }
    queue.close();
    let total: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    println!("{total} of 30000 jobs done");
}
