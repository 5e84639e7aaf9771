// job_stack — critical section (임계 영역)
//
// EN: Workers take jobs from a shared stack. `push(job)` adds one on top; `pop()` takes the top job away and
//     returns it, or `None` when the stack is empty. Every job must go to exactly one worker. `pop()` below looks
//     at the length, reads the top job and shortens the stack as three separate critical sections: between them
//     the lock is free, and another worker can pop the same job. Make the whole of `pop()` one critical section.
//
// KO: 작업자들이 공유 스택에서 작업을 가져갑니다. `push(job)`은 맨 위에 하나를 올리고, `pop()`은 맨 위 작업을
//     꺼내 돌려주며 스택이 비었으면 `None`을 돌려줍니다. 모든 작업은 정확히 한 작업자에게 가야 합니다. 아래의
//     `pop()`은 길이 보기, 맨 위 작업 읽기, 스택 줄이기를 서로 다른 세 임계 영역에서 합니다. 그 사이에 락이 풀려
//     있어서 다른 작업자가 같은 작업을 꺼낼 수 있습니다. `pop()` 전체를 하나의 임계 영역으로 만드세요.
//
// Run it yourself: `cargo run -p exercises --bin job_stack`. The checker tries every interleaving that matters.
// 직접 실행해 보기: `cargo run -p exercises --bin job_stack`. 검사기는 결과에 영향을 주는 모든 실행 순서를
// 시도합니다.

use conc::sync::{Arc, Mutex};
use conc::thread;

/// A stack of job numbers shared by every worker.
pub struct JobStack {
    jobs: Mutex<Vec<u32>>,
}

impl JobStack {
    pub fn new() -> Self {
        JobStack {
            jobs: Mutex::new(Vec::new()),
        }
    }

    /// Puts `job` on top.
    pub fn push(&self, job: u32) {
        self.jobs.lock().unwrap().push(job);
    }

    /// Takes the top job away and returns it; `None` only when the stack is empty.
    pub fn pop(&self) -> Option<u32> {
        // TODO: three critical sections; between them another worker can take the same job.
        // 할 일: 임계 영역이 셋입니다. 그 사이에 다른 작업자가 같은 작업을 가져갈 수 있습니다.
        let len = self.jobs.lock().unwrap().len();
        if len == 0 {
            return None;
        }
        let top = self.jobs.lock().unwrap()[len - 1];
        self.jobs.lock().unwrap().truncate(len - 1);
        Some(top)
    }

    /// How many jobs are waiting.
    pub fn len(&self) -> usize {
        self.jobs.lock().unwrap().len()
    }
}

fn main() {
    let stack = Arc::new(JobStack::new());
    for job in 1..=1000 {
        stack.push(job);
    }
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let stack = Arc::clone(&stack);
            thread::spawn(move || {
                let mut done = Vec::new();
                while let Some(job) = stack.pop() {
                    done.push(job);
                }
                done
            })
        })
        .collect();
    let mut all: Vec<u32> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let taken = all.len();
    all.sort();
    all.dedup();
    println!(
        "{taken} jobs taken, {} different ones; 1000 and 1000 expected",
        all.len()
    );
}
