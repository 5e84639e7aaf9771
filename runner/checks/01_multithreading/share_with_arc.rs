// Hidden check for `share_with_arc` (kind `compile`, so it runs on real threads).
//
// | requirement (header)                                     | check                                              |
// |----------------------------------------------------------|----------------------------------------------------|
// | returns the line each job produced                       | 1 (duplicates too), 3, 4                           |
// | ... even a job that is still running long after the rest | 1: two jobs held until `run_jobs` returns (or 0.4 s)|
// | every job on a thread of its own, all at the same time   | 2: more jobs than cores must all be running at once |
// | the log is shared, one thread at a time (no line lost)   | 3: pairs of jobs that finish at the same moment,   |
// |                                                          | every lock held longer (`conc::stress`): they meet |
// | no jobs                                                  | 4                                                  |
use super::*;
use conc_check::prelude::*;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

/// Jobs that each wait until all of them are running at once (or give up after 2 s), and note their thread.
struct Meeting {
    expected: usize,
    arrived: AtomicUsize,
    gave_up: AtomicBool,
    threads: Mutex<Vec<ThreadId>>,
}

impl Meeting {
    fn new(expected: usize) -> Arc<Meeting> {
        Arc::new(Meeting {
            expected,
            arrived: AtomicUsize::new(0),
            gave_up: AtomicBool::new(false),
            threads: Mutex::new(Vec::new()),
        })
    }

    /// True once all `expected` jobs have arrived; false if they were not all running within 2 seconds.
    fn meet(&self) -> bool {
        self.threads
            .lock()
            .unwrap()
            .push(std::thread::current().id());
        self.arrived.fetch_add(1, Ordering::SeqCst);
        let start = Instant::now();
        while self.arrived.load(Ordering::SeqCst) < self.expected {
            if self.gave_up.load(Ordering::SeqCst) || start.elapsed() > Duration::from_secs(2) {
                self.gave_up.store(true, Ordering::SeqCst);
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        true
    }
}

/// Held shut until `run_jobs` has returned (or 0.4 s have passed): a job waiting here is still running when a
/// `run_jobs` that does not wait for its threads reads the log.
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn wait(&self) {
        let open = self.open.lock().unwrap();
        let _open = self
            .opened
            .wait_timeout_while(open, Duration::from_millis(400), |open| !*open)
            .unwrap();
    }

    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }
}

pub fn checks(c: &mut Checks) {
    c.plain(
        (
            "five jobs, two of them still running long after the others: every line comes back",
            "작업 다섯, 그중 둘은 나머지보다 한참 늦게 끝남: 모든 줄이 돌아옴",
        ),
        || {
            let gate = Arc::new(Gate {
                open: Mutex::new(false),
                opened: Condvar::new(),
            });
            // Two jobs produce the same line: each job's line counts, not each distinct line.
            let names = ["job 1", "job 2", "job 2", "slow 1", "slow 2"];
            let jobs: Vec<Job> = names
                .iter()
                .map(|&name| {
                    let gate = Arc::clone(&gate);
                    Box::new(move || {
                        if name.starts_with("slow") {
                            gate.wait();
                        }
                        name.to_string()
                    }) as Job
                })
                .collect();
            let mut lines = run_jobs(jobs);
            gate.open();
            lines.sort();
            assert!(
                lines == names,
                "{}",
                msg(
                    format!(
                        "`run_jobs` returned {lines:?}; expected {names:?}. A job still running when `run_jobs` \
                         reads the log loses its line: wait for (join) every thread first, never a fixed sleep"
                    ),
                    format!(
                        "`run_jobs`의 결과가 {lines:?}입니다. {names:?}이어야 합니다. `run_jobs`가 기록을 읽을 때 \
                         아직 실행 중인 작업의 줄은 사라집니다. 고정된 sleep이 아니라 모든 스레드를 먼저 기다리세요 (join)"
                    ),
                )
            );
        },
    );
    c.plain(
        (
            "every job runs on a thread of its own, all at the same time (more jobs than cores)",
            "모든 작업이 각자의 스레드에서 동시에 실행됨 (코어보다 많은 작업)",
        ),
        || {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            let count = cores.max(2) + 2;
            let meeting = Meeting::new(count);
            let jobs: Vec<Job> = (1..=count)
                .map(|n| {
                    let meeting = Arc::clone(&meeting);
                    Box::new(move || format!("job {n}: {}", meeting.meet())) as Job
                })
                .collect();
            run_jobs(jobs);
            let threads = meeting.threads.lock().unwrap().clone();
            let caller = std::thread::current().id();
            assert!(
                !threads.contains(&caller),
                "{}",
                tr(
                    "a job ran on the thread that called `run_jobs`: every job needs a thread of its own",
                    "`run_jobs`를 부른 스레드에서 작업이 실행되었습니다. 모든 작업에 자기 스레드가 있어야 합니다"
                )
            );
            assert!(
                !meeting.gave_up.load(Ordering::SeqCst),
                "{}",
                msg(
                    format!(
                        "the {count} jobs did not all run at the same time (one waited 2 s for the others to \
                         start): start a thread for every job before joining any"
                    ),
                    format!(
                        "작업 {count}개가 동시에 실행되지 않았습니다 (한 작업이 다른 작업의 시작을 2초 \
                         기다렸습니다). 어떤 스레드든 join하기 전에 작업마다 스레드를 시작하세요"
                    ),
                )
            );
        },
    );
    c.plain(
        (
            "two jobs that finish at the same moment, three times over: both lines come back every time",
            "같은 순간에 끝나는 두 작업, 세 번: 매번 두 줄이 모두 돌아옴",
        ),
        || {
            // Each round, both jobs spin until the other has arrived, so both threads reach the log at (nearly)
            // the same instant; and every lock is held 30 ms longer after it is taken, as on a busy machine that
            // pauses the holder. So one thread always finds the log taken: `lock()` waits its turn, a `try_lock()`
            // that gives up loses a line in the first round. The jobs' own bookkeeping is `std`, never stretched.
            let _stretch = conc::stress::stretch(Duration::from_millis(30));
            for rounds in 1..=3 {
                let arrived = Arc::new(std::sync::atomic::AtomicUsize::new(0));
                let jobs: Vec<Job> = (1..=2)
                    .map(|n| {
                        let arrived = Arc::clone(&arrived);
                        let line = format!("job {n}");
                        Box::new(move || {
                            arrived.fetch_add(1, Ordering::SeqCst);
                            let waiting = Instant::now();
                            let mut spins = 0u32;
                            while arrived.load(Ordering::SeqCst) < 2
                                && waiting.elapsed() < Duration::from_millis(100)
                            {
                                spins += 1;
                                if spins % 1024 == 0 {
                                    std::thread::yield_now();
                                }
                                std::hint::spin_loop();
                            }
                            line
                        }) as Job
                    })
                    .collect();
                let mut lines = run_jobs(jobs);
                lines.sort();
                assert!(
                    lines == ["job 1", "job 2"],
                    "{}",
                    msg(
                        format!(
                            "round {rounds}: two jobs finished at the same moment and `run_jobs` returned \
                             {lines:?}: a line is lost when a thread does not wait its turn at the log \
                             (`lock()` waits; `try_lock()` gives up)"
                        ),
                        format!(
                            "{rounds}번째: 두 작업이 같은 순간에 끝났는데 `run_jobs`의 결과가 {lines:?}입니다. \
                             스레드가 기록 앞에서 차례를 기다리지 않으면 줄이 사라집니다 (`lock()`은 기다리고, \
                             `try_lock()`은 포기합니다)"
                        ),
                    )
                );
            }
        },
    );
    c.plain(
        ("no jobs: no lines", "작업 없음: 줄도 없음"),
        || {
            let lines = run_jobs(Vec::new());
            assert!(
                lines.is_empty(),
                "{}",
                msg(
                    format!("`run_jobs(vec![])` returned {lines:?}"),
                    format!("`run_jobs(vec![])`의 결과가 {lines:?}입니다"),
                )
            );
        },
    );
}
