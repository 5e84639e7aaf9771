// Hidden check for `while_not_if`: `pop()` returns every job exactly once, returns `None` only after `close()`,
// and never sleeps through a push or a close.
use super::*;
use conc_check::prelude::*;

fn expect_pop(got: Option<u32>, expected: Option<u32>) {
    assert!(
        got == expected,
        "{} {expected:?}, {} {got:?}",
        tr(
            "pop() should have returned",
            "pop()은 이 값을 돌려줘야 했습니다:"
        ),
        tr("but returned", "그러나 돌려준 값:"),
    );
}

/// A worker: pops until `None`, which must not come before `close()` was called. Returns the jobs it got.
fn worker(queue: Arc<JobQueue<u32>>, closing: Arc<AtomicBool>) -> Vec<u32> {
    let mut got = Vec::new();
    while let Some(job) = queue.pop() {
        got.push(job);
    }
    assert!(
        closing.load(Ordering::SeqCst),
        "{}",
        tr(
            "pop() returned None, but the queue was not closed: this worker stopped with jobs still to come",
            "큐가 닫히지 않았는데 pop()이 None을 돌려주었습니다: 이 작업자는 아직 올 작업을 두고 그만두었습니다"
        ),
    );
    got
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: push 1, push 2, pop, close, pop, pop — Some(1), Some(2), None",
            "스레드 하나: push 1, push 2, pop, close, pop, pop — Some(1), Some(2), None",
        ),
        || {
            let queue = JobQueue::new();
            queue.push(1);
            queue.push(2);
            expect_pop(queue.pop(), Some(1));
            queue.close();
            expect_pop(queue.pop(), Some(2));
            expect_pop(queue.pop(), None);
        },
    );
    c.model(
        (
            "a worker waits in pop() while a job is pushed: it gets the job",
            "작업자가 pop()에서 기다리는 동안 작업이 push됨: 작업자가 그 작업을 받음",
        ),
        || {
            let queue = Arc::new(JobQueue::new());
            let waiter = thread::spawn({
                let queue = Arc::clone(&queue);
                move || queue.pop()
            });
            queue.push(7);
            expect_pop(waiter.join().unwrap(), Some(7));
        },
    );
    c.model(
        (
            "two workers, two jobs, then close(): each job done once, and no worker stops before the close",
            "작업자 둘, 작업 둘, 그다음 close(): 각 작업은 한 번씩, close 전에 그만두는 작업자는 없음",
        ),
        || {
            let queue = Arc::new(JobQueue::new());
            let closing = Arc::new(AtomicBool::new(false));
            let workers: Vec<_> = (0..2)
                .map(|_| {
                    let (queue, closing) = (Arc::clone(&queue), Arc::clone(&closing));
                    thread::spawn(move || worker(queue, closing))
                })
                .collect();
            queue.push(1);
            queue.push(2);
            closing.store(true, Ordering::SeqCst);
            queue.close();
            let mut done: Vec<u32> = workers
                .into_iter()
                .flat_map(|w| w.join().unwrap())
                .collect();
            done.sort();
            assert!(
                done == [1, 2],
                "{} {done:?}",
                tr(
                    "jobs 1 and 2 were pushed once each; the workers did",
                    "작업 1과 2를 한 번씩 push 했는데, 작업자들이 한 것:"
                ),
            );
        },
    );
    c.model(
        (
            "two workers wait on an empty queue, then close(): both stop",
            "작업자 둘이 빈 큐에서 기다리다 close(): 둘 다 멈춤",
        ),
        || {
            let queue = Arc::new(JobQueue::<u32>::new());
            let closing = Arc::new(AtomicBool::new(false));
            let workers: Vec<_> = (0..2)
                .map(|_| {
                    let (queue, closing) = (Arc::clone(&queue), Arc::clone(&closing));
                    thread::spawn(move || worker(queue, closing))
                })
                .collect();
            closing.store(true, Ordering::SeqCst);
            queue.close();
            for w in workers {
                w.join().unwrap();
            }
        },
    );
}
