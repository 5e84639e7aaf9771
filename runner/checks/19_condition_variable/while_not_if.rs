// Hidden check for `while_not_if`.
//
// requirement (header)                                             → check
// push adds a job, pop returns jobs first in first out              → 1 "one thread"
// pop waits while empty and open, and gets a job pushed meanwhile    → 2 "a worker waits"
// pop returns None only once closed and drained (every job once,     → 3 "two workers, two jobs", 5 "two pushers,
//   no worker stops early), re-checking after every wake-up             two workers" (spurious wake-ups included)
// close wakes every waiting worker                                   → 4 "two workers wait, then close()"
use super::*;
use conc_check::prelude::*;

fn expect_pop(got: Option<u32>, expected: Option<u32>) {
    assert!(
        got == expected,
        "{}",
        trf!(
            "pop() should have returned {expected:?}, but returned {got:?}",
            "`pop()`이 돌려줘야 했던 값: {expected:?}, 실제로 돌려준 값: {got:?}"
        ),
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
            "큐가 닫히지 않았는데 pop()이 None을 돌려주었습니다. 이 작업자는 아직 올 작업을 두고 그만두었습니다"
        ),
    );
    got
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: push 1, push 2, pop, close, pop, pop — Some(1), Some(2), None",
            "스레드 하나: push 1, push 2, pop, close, pop, pop → Some(1), Some(2), None",
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
                    "작업 1과 2를 한 번씩 push했는데, 작업자들이 한 것:"
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
    c.model(
        (
            "two pushers push three jobs each while two workers pop, then close(): every job done once, each \
             pusher's in order",
            "push하는 쪽 둘이 작업을 셋씩 넣는 동안 작업자 둘이 pop, 그다음 close(): 모든 작업이 한 번씩, push 한 \
             쪽마다 순서대로",
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
            let pushers: Vec<_> = [10, 20]
                .into_iter()
                .map(|first| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || (first..first + 3).for_each(|job| queue.push(job)))
                })
                .collect();
            for p in pushers {
                p.join().unwrap();
            }
            closing.store(true, Ordering::SeqCst);
            queue.close();
            let mut done = Vec::new();
            for w in workers {
                let got = w.join().unwrap();
                for tens in [10, 20] {
                    let mine: Vec<u32> = got.iter().copied().filter(|j| j / 10 * 10 == tens).collect();
                    assert!(
                        mine.windows(2).all(|w| w[0] < w[1]),
                        "{}",
                        trf!(
                            "one worker got {got:?}: one pusher's jobs out of the order pushed",
                            "한 작업자가 받은 작업은 {got:?}입니다. 한 push하는 쪽의 작업이 넣은 순서와 다릅니다",
                        )
                    );
                }
                done.extend(got);
            }
            done.sort();
            assert!(
                done == [10, 11, 12, 20, 21, 22],
                "{}",
                trf!(
                    "jobs 10, 11, 12, 20, 21, 22 were pushed once each; the workers did {done:?}",
                    "작업 10, 11, 12, 20, 21, 22를 한 번씩 push했는데, 작업자들이 한 것: {done:?}",
                )
            );
        },
    );
}
