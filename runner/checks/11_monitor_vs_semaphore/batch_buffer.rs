// Hidden check for `batch_buffer`: batches go in whole and come out in order, the buffer never holds more than
// its capacity, two producers competing for room never deadlock, and nobody sleeps while it could go on.
//
// Requirement (header)                                   → check
// items come out first in, first out, each exactly once  → "one thread", "two producers, two consumers"
// a batch goes in together (nothing lands in the middle) → "holding 0: two producers", "two producers, two consumers"
// put_all waits until there is room for all of it        → "put_all([3, 4]) waits", "two producers, two consumers"
//   (never more than the capacity, even with two producers checking room at once)
// two producers never deadlock (hold and wait)           → "holding 0: two producers"
// take waits while empty, and a put wakes every consumer  → "two consumers wait, one batch of 2"
//   it can feed (a batch of 2 feeds two sleeping consumers)
// a producer whose batch fits is not left asleep, even   → "producers of 3 and 1 wait, one take"
//   when a larger batch waits too
// take by two consumers at once never takes one item twice → "two producers, two consumers"
use super::*;
use conc_check::prelude::*;

fn expect_item(got: u32, expected: u32) {
    assert!(
        got == expected,
        "{}",
        trf!(
            "take() should have returned {expected}, but returned {got}",
            "`take()`가 돌려줘야 했던 값: {expected}, 실제로 돌려준 값: {got}"
        ),
    );
}

/// Whether `part` appears in `whole` in the same order (not necessarily next to each other).
fn in_order(part: &[u32], whole: &[u32]) -> bool {
    let mut rest = whole.iter();
    part.iter().all(|x| rest.any(|y| y == x))
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread, capacity 3: put_all([1, 2]), take, put_all([3, 4]), take three — in order",
            "스레드 하나, 용량 3: put_all([1, 2]), take, put_all([3, 4]), take 세 번 → 순서대로",
        ),
        || {
            let buffer = BatchBuffer::new(3);
            buffer.put_all(vec![1, 2]);
            expect_item(buffer.take(), 1);
            buffer.put_all(vec![3, 4]);
            for expected in 2..=4 {
                expect_item(buffer.take(), expected);
            }
        },
    );
    c.model(
        (
            "capacity 2, holding 0: two producers put_all [1, 2] and [3, 4], a consumer takes five — each batch whole, no deadlock",
            "용량 2, 0이 들어 있음: 두 생산자가 [1, 2]와 [3, 4]를 put_all, 소비자가 다섯 번 take → 묶음은 통째로, 교착 상태 없음",
        ),
        || {
            let buffer = Arc::new(BatchBuffer::new(2));
            buffer.put_all(vec![0]);
            let producers: Vec<_> = [[1, 2], [3, 4]]
                .into_iter()
                .map(|batch| {
                    let buffer = Arc::clone(&buffer);
                    thread::spawn(move || buffer.put_all(batch.to_vec()))
                })
                .collect();
            let taken: Vec<u32> = (0..5).map(|_| buffer.take()).collect();
            for producer in producers {
                producer.join().unwrap();
            }
            assert!(
                taken == [0, 1, 2, 3, 4] || taken == [0, 3, 4, 1, 2],
                "{} {taken:?}",
                tr(
                    "0 first, then the batches [1, 2] and [3, 4], each whole and in order; but the consumer took",
                    "0이 먼저, 그다음 묶음 [1, 2]와 [3, 4]가 각각 통째로, 순서대로 나와야 하는데 소비자가 take한 것:"
                ),
            );
        },
    );
    c.model(
        (
            "capacity 2: put_all([3, 4]) waits until the buffer has room for both items",
            "용량 2: put_all([3, 4])는 두 항목이 모두 들어갈 자리가 생길 때까지 기다림",
        ),
        || {
            let buffer = Arc::new(BatchBuffer::new(2));
            let takes_started = Arc::new(AtomicUsize::new(0));
            let producer = thread::spawn({
                let (buffer, takes_started) = (Arc::clone(&buffer), Arc::clone(&takes_started));
                move || {
                    for (batch, put_done) in [(vec![1, 2], 2), (vec![3, 4], 4)] {
                        buffer.put_all(batch);
                        let taking = takes_started.load(Ordering::SeqCst);
                        assert!(
                            put_done <= taking + 2,
                            "{} ({} {put_done}, {} {taking})",
                            tr(
                                "put_all() returned with more items inside than the capacity of 2",
                                "put_all()이 돌아왔을 때 버퍼 안의 항목이 용량 2보다 많습니다"
                            ),
                            tr("items put:", "넣은 항목:"),
                            tr("takes started:", "시작된 take:"),
                        );
                    }
                }
            });
            for expected in 1..=4 {
                takes_started.fetch_add(1, Ordering::SeqCst);
                expect_item(buffer.take(), expected);
            }
            producer.join().unwrap();
        },
    );
    c.model(
        (
            "capacity 2: two consumers wait on the empty buffer, then one put_all([1, 2]) — each consumer gets an item",
            "용량 2: 두 소비자가 빈 버퍼에서 기다리다가 put_all([1, 2]) 한 번 → 소비자마다 항목 하나씩 받음",
        ),
        || {
            let buffer = Arc::new(BatchBuffer::new(2));
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let buffer = Arc::clone(&buffer);
                    thread::spawn(move || buffer.take())
                })
                .collect();
            buffer.put_all(vec![1, 2]);
            let mut taken: Vec<u32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
            taken.sort();
            assert!(
                taken == [1, 2],
                "{} {taken:?}",
                tr(
                    "the two consumers should have taken 1 and 2, but took",
                    "두 소비자가 1과 2를 take해야 하는데 take한 것:"
                ),
            );
        },
    );
    c.model(
        (
            "capacity 3, holding [1, 2, 3]: producers of [5, 6, 7] and [4] wait; after one take, put_all([4]) fits and returns",
            "용량 3, [1, 2, 3]이 들어 있음: [5, 6, 7]과 [4]의 생산자가 기다림; take 한 번 뒤에는 put_all([4])가 들어가고 돌아옴",
        ),
        || {
            let buffer = Arc::new(BatchBuffer::new(3));
            buffer.put_all(vec![1, 2, 3]);
            let big = thread::spawn({
                let buffer = Arc::clone(&buffer);
                move || buffer.put_all(vec![5, 6, 7])
            });
            let small = thread::spawn({
                let buffer = Arc::clone(&buffer);
                move || buffer.put_all(vec![4])
            });
            expect_item(buffer.take(), 1);
            // Room for one now: the producer of [4] must get in without any further take.
            small.join().unwrap();
            for expected in 2..=7 {
                expect_item(buffer.take(), expected);
            }
            big.join().unwrap();
        },
    );
    c.model(
        (
            "capacity 2: two producers put_all [1, 2] and [3, 4] while two consumers take two each — never more than 2 inside, each item once, batches whole",
            "용량 2: 두 생산자가 [1, 2]와 [3, 4]를 put_all, 두 소비자가 두 번씩 take → 안에는 2개 이하, 항목은 한 번씩, 묶음은 통째로",
        ),
        || {
            let buffer = Arc::new(BatchBuffer::new(2));
            let takes_started = Arc::new(AtomicUsize::new(0));
            let items_put = Arc::new(AtomicUsize::new(0));
            let producers: Vec<_> = [[1, 2], [3, 4]]
                .into_iter()
                .map(|batch| {
                    let (buffer, takes_started, items_put) = (
                        Arc::clone(&buffer),
                        Arc::clone(&takes_started),
                        Arc::clone(&items_put),
                    );
                    thread::spawn(move || {
                        buffer.put_all(batch.to_vec());
                        let put = items_put.fetch_add(2, Ordering::SeqCst) + 2;
                        let taking = takes_started.load(Ordering::SeqCst);
                        assert!(
                            put <= taking + 2,
                            "{} ({} {put}, {} {taking})",
                            tr(
                                "put_all() returned with more items inside than the capacity of 2",
                                "put_all()이 돌아왔을 때 버퍼 안의 항목이 용량 2보다 많습니다"
                            ),
                            tr("items put:", "넣은 항목:"),
                            tr("takes started:", "시작된 take:"),
                        );
                    })
                })
                .collect();
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let (buffer, takes_started) = (Arc::clone(&buffer), Arc::clone(&takes_started));
                    thread::spawn(move || {
                        (0..2)
                            .map(|_| {
                                takes_started.fetch_add(1, Ordering::SeqCst);
                                buffer.take()
                            })
                            .collect::<Vec<u32>>()
                    })
                })
                .collect();
            for producer in producers {
                producer.join().unwrap();
            }
            let taken: Vec<Vec<u32>> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
            let mut all: Vec<u32> = taken.concat();
            all.sort();
            assert!(
                all == [1, 2, 3, 4],
                "{} {taken:?}",
                tr(
                    "1, 2, 3 and 4 should each come out once, but the consumers took",
                    "1, 2, 3, 4가 한 번씩 나와야 하는데 소비자들이 take한 것:"
                ),
            );
            let fits = |order: &[u32]| taken.iter().all(|mine| in_order(mine, order));
            assert!(
                fits(&[1, 2, 3, 4]) || fits(&[3, 4, 1, 2]),
                "{} {taken:?}",
                tr(
                    "the queue should read [1, 2, 3, 4] or [3, 4, 1, 2] (batches whole, first in first out), but the consumers took",
                    "큐는 [1, 2, 3, 4]나 [3, 4, 1, 2]여야 하는데 (묶음은 통째로, 선입선출) 소비자들이 take한 것:"
                ),
            );
        },
    );
}
