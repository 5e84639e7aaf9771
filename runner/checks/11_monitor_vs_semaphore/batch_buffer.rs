// Hidden check for `batch_buffer`: batches go in whole and come out in order, the buffer never holds more than
// its capacity, and two producers competing for room never deadlock.
use super::*;
use conc_check::prelude::*;

fn expect_item(got: u32, expected: u32) {
    assert!(
        got == expected,
        "{} {expected}, {} {got}",
        tr(
            "take() should have returned",
            "take()는 이 값을 돌려줘야 했습니다:"
        ),
        tr("but returned", "그러나 돌려준 값:"),
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread, capacity 3: put_all([1, 2]), take, put_all([3, 4]), take three — in order",
            "스레드 하나, 용량 3: put_all([1, 2]), take, put_all([3, 4]), take 세 번 — 순서대로",
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
            "용량 2, 0이 들어 있음: 두 생산자가 [1, 2]와 [3, 4]를 put_all, 소비자가 다섯 번 take — 묶음은 통째로, 교착 상태 없음",
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
}
