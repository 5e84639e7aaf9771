// Hidden check for `share_with_arc` (kind `compile`, so it runs on real threads): every job's line comes back, and
// every job runs on a thread of its own, all of them at the same time.
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

pub fn checks(c: &mut Checks) {
    c.plain(
        (
            "three jobs: the line of every job comes back",
            "작업 셋: 모든 작업의 줄이 돌아옴",
        ),
        || {
            let jobs: Vec<Job> = (1..=3)
                .map(|n| {
                    Box::new(move || {
                        // A little work, so that a caller who does not wait for its threads is caught.
                        std::thread::sleep(Duration::from_millis(50));
                        format!("job {n}")
                    }) as Job
                })
                .collect();
            let mut lines = run_jobs(jobs);
            lines.sort();
            assert!(
                lines == ["job 1", "job 2", "job 3"],
                "{}",
                msg(
                    format!("`run_jobs` returned {lines:?}; expected the lines of all three jobs"),
                    format!(
                        "`run_jobs`의 결과가 {lines:?}입니다. 세 작업의 줄이 모두 있어야 합니다"
                    ),
                )
            );
        },
    );
    c.plain(
        (
            "every job runs on a thread of its own, all at the same time",
            "모든 작업이 각자의 스레드에서 동시에 실행됨",
        ),
        || {
            let meeting = Meeting::new(3);
            let jobs: Vec<Job> = (1..=3)
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
                    "`run_jobs`를 부른 스레드에서 작업이 실행되었습니다: 모든 작업에 자기 스레드가 있어야 합니다"
                )
            );
            assert!(
                !meeting.gave_up.load(Ordering::SeqCst),
                "{}",
                tr(
                    "the jobs did not all run at the same time (one waited 2 s for the others to start): \
                     start every thread before joining any",
                    "작업들이 동시에 실행되지 않았습니다 (한 작업이 다른 작업의 시작을 2초 기다렸습니다): \
                     어떤 스레드든 join 하기 전에 모든 스레드를 시작하세요"
                )
            );
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
