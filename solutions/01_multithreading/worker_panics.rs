// worker_panics — multithreading (멀티스레딩)
//
// EN: `run_all(inputs, job)` runs `job(input)` for every input on a thread of its own and returns a `Summary`: the
//     results of the jobs that finished (in any order) and how many jobs failed. A job may panic on bad input. A
//     panic unwinds only the thread it happens in: the other threads keep running, and `join` on the failed thread
//     returns `Err`, which `unwrap` turns into a panic of the caller. Here the job also runs while its thread holds
//     the results lock, so the panic *poisons* that mutex: every later `lock()` returns `Err` too. Make `run_all`
//     survive failed jobs: count them in `failed`, keep every other result, and never panic itself.
//
// KO: `run_all(inputs, job)`는 입력마다 `job(input)`을 각자의 스레드에서 실행하고 `Summary`(끝난 작업들의
//     결과(순서 상관없음)와 실패한 작업 수)를 돌려줍니다. 작업은 잘못된 입력에 패닉할 수 있습니다. 패닉은 그것이 일어난 스레드
//     하나만 풀어냅니다(unwind). 다른 스레드는 계속 실행되고, 실패한 스레드의 `join`은 `Err`를 돌려주는데 `unwrap`이
//     그것을 호출자의 패닉으로 바꿉니다. 게다가 여기서는 스레드가 결과 락을 쥔 채 작업을 실행하므로, 패닉이 그
//     뮤텍스를 *오염*(poison)시킵니다. 그 뒤의 모든 `lock()`도 `Err`를 돌려줍니다. `run_all`이 실패한 작업을 견디게
//     하세요. 실패는 `failed`에 세고, 다른 결과는 모두 지키고, 자기 자신은 절대 패닉하지 마세요.
//
// Run it yourself: `cargo run -p exercises --bin worker_panics`.
// 직접 실행해 보기: `cargo run -p exercises --bin worker_panics`.

use conc::sync::{Arc, Mutex, PoisonError};
use conc::thread;

/// What became of a batch of jobs.
#[derive(Debug)]
pub struct Summary {
    /// The result of every job that finished, in any order.
    pub results: Vec<u64>,
    /// How many jobs panicked.
    pub failed: usize,
}

/// Runs `job(input)` for every input, each on its own thread. Never panics, whatever the jobs do.
pub fn run_all(inputs: Vec<u64>, job: fn(u64) -> u64) -> Summary {
    let results = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = inputs
        .into_iter()
        .map(|input| {
            let results = Arc::clone(&results);
            thread::spawn(move || {
                // Run the job before taking the lock: if it panics, this thread unwinds holding nothing, and the
                // lock is not poisoned for the others.
                let result = job(input);
                results.lock().unwrap().push(result);
            })
        })
        .collect();
    // A panic unwinds only its own thread; `join` hands it to us as an `Err`, which we count instead of
    // re-raising with `unwrap`.
    let mut failed = 0;
    for worker in workers {
        if worker.join().is_err() {
            failed += 1;
        }
    }
    // No job runs under the lock any more, so it cannot be poisoned; if it could, `PoisonError::into_inner`
    // would still give us the data, and we would have to decide whether that data can be trusted. Here it can:
    // a push either happened completely or not at all.
    let results = results
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    Summary { results, failed }
}

/// Parses a sensor reading; panics on the broken sensor number 13.
fn calibrate(reading: u64) -> u64 {
    if reading == 13 {
        panic!("sensor 13 is broken");
    }
    reading * 2
}

fn main() {
    let summary = run_all(vec![4, 8, 13, 15], calibrate);
    println!("{summary:?} (three results and one failure expected)");
}
