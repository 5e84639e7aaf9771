// Hidden check for `semaphore_buffer`: FIFO, nothing lost or duplicated, never over capacity, and no deadlock
// whichever side comes first.
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
            "one thread, capacity 2: put 1, put 2, take, take, put 3, take — in order",
            "스레드 하나, 용량 2: put 1, put 2, take, take, put 3, take — 순서대로",
        ),
        || {
            let buffer = BoundedBuffer::new(2);
            buffer.put(1);
            buffer.put(2);
            expect_item(buffer.take(), 1);
            expect_item(buffer.take(), 2);
            buffer.put(3);
            expect_item(buffer.take(), 3);
        },
    );
    c.model(
        (
            "capacity 1: a consumer waits for the one item a producer puts",
            "용량 1: 소비자가 생산자가 put 하는 항목 하나를 기다림",
        ),
        || {
            let buffer = Arc::new(BoundedBuffer::new(1));
            let producer = thread::spawn({
                let buffer = Arc::clone(&buffer);
                move || buffer.put(1)
            });
            expect_item(buffer.take(), 1);
            producer.join().unwrap();
        },
    );
    c.model(
        (
            "capacity 1: a producer puts 1, 2, 3 while a consumer takes three items, in order",
            "용량 1: 생산자가 1, 2, 3을 put 하는 동안 소비자가 세 개를 take, 순서대로",
        ),
        || {
            let buffer = Arc::new(BoundedBuffer::new(1));
            let producer = thread::spawn({
                let buffer = Arc::clone(&buffer);
                move || (1..=3).for_each(|item| buffer.put(item))
            });
            for expected in 1..=3 {
                expect_item(buffer.take(), expected);
            }
            producer.join().unwrap();
        },
    );
    c.model(
        (
            "capacity 1: put() of a second item waits until the first was taken",
            "용량 1: 두 번째 항목의 put()은 첫 항목이 take될 때까지 기다림",
        ),
        || {
            let buffer = Arc::new(BoundedBuffer::new(1));
            let takes_started = Arc::new(AtomicUsize::new(0));
            let producer = thread::spawn({
                let (buffer, takes_started) = (Arc::clone(&buffer), Arc::clone(&takes_started));
                move || {
                    for put_done in 1..=2 {
                        buffer.put(put_done);
                        let taking = takes_started.load(Ordering::SeqCst);
                        assert!(
                            put_done as usize <= taking + 1,
                            "{} ({} {put_done}, {} {taking})",
                            tr(
                                "put() returned with more items inside than the capacity of 1",
                                "put()이 돌아왔을 때 버퍼 안의 항목이 용량 1보다 많습니다"
                            ),
                            tr("puts returned:", "돌아온 put:"),
                            tr("takes started:", "시작된 take:"),
                        );
                    }
                }
            });
            for expected in 1..=2 {
                takes_started.fetch_add(1, Ordering::SeqCst);
                expect_item(buffer.take(), expected);
            }
            producer.join().unwrap();
        },
    );
    c.model(
        (
            "capacity 1, two producers and two consumers: each item is taken exactly once",
            "용량 1, 생산자 둘과 소비자 둘: 각 항목이 정확히 한 번씩 take됨",
        ),
        || {
            let buffer = Arc::new(BoundedBuffer::new(1));
            let producers: Vec<_> = [10, 20]
                .into_iter()
                .map(|item| {
                    let buffer = Arc::clone(&buffer);
                    thread::spawn(move || buffer.put(item))
                })
                .collect();
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let buffer = Arc::clone(&buffer);
                    thread::spawn(move || buffer.take())
                })
                .collect();
            producers.into_iter().for_each(|p| p.join().unwrap());
            let mut taken: Vec<u32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
            taken.sort();
            assert!(
                taken == [10, 20],
                "{} {taken:?}",
                tr(
                    "10 and 20 were put, each once; the consumers took",
                    "10과 20을 한 번씩 put 했는데, 소비자들이 take한 것:"
                ),
            );
        },
    );
}
