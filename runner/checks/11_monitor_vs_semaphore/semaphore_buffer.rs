// Hidden check for `semaphore_buffer`: FIFO, nothing lost or duplicated, never over capacity, and no deadlock
// whichever side comes first.
//
// Requirement (header)                                   → check
// items come out in the order they went in               → "one thread, capacity 2", "capacity 1: a producer
//                                                           puts 1, 2, 3", "capacity 2, two producers ..."
// each exactly once                                      → "two producers and two consumers" (capacity 1 and 2)
// never more than the capacity, not even for a moment    → "put() of a second item waits", "capacity 2, two
//                                                           producers ..." (puts returned <= takes started + 2),
//                                                           "len() stays <= 1 while a take and a put run" (a take
//                                                           that frees its slot before it pops lets a put in: 2)
// no deadlock whichever side comes first                 → every multi-thread check
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

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread, capacity 2: put 1, put 2, take, take, put 3, take — in order",
            "스레드 하나, 용량 2: put 1, put 2, take, take, put 3, take → 순서대로",
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
            "용량 1: 소비자가 생산자가 put하는 항목 하나를 기다림",
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
            "용량 1: 생산자가 1, 2, 3을 put하는 동안 소비자가 세 개를 take, 순서대로",
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
                    "10과 20을 한 번씩 put했는데, 소비자들이 take한 것:"
                ),
            );
        },
    );
    c.model(
        (
            "capacity 2, two producers put two items each while two consumers take two each: never more than 2 inside, each item once, each producer's items in order",
            "용량 2, 생산자 둘이 두 개씩 put, 소비자 둘이 두 개씩 take: 안에는 2개 이하, 항목은 한 번씩, 생산자마다 순서대로",
        ),
        || {
            let buffer = Arc::new(BoundedBuffer::new(2));
            let takes_started = Arc::new(AtomicUsize::new(0));
            let puts_returned = Arc::new(AtomicUsize::new(0));
            let producers: Vec<_> = [[11, 12], [21, 22]]
                .into_iter()
                .map(|items| {
                    let (buffer, takes_started, puts_returned) = (
                        Arc::clone(&buffer),
                        Arc::clone(&takes_started),
                        Arc::clone(&puts_returned),
                    );
                    thread::spawn(move || {
                        for item in items {
                            buffer.put(item);
                            let put = puts_returned.fetch_add(1, Ordering::SeqCst) + 1;
                            let taking = takes_started.load(Ordering::SeqCst);
                            assert!(
                                put <= taking + 2,
                                "{} ({} {put}, {} {taking})",
                                tr(
                                    "put() returned with more items inside than the capacity of 2",
                                    "put()이 돌아왔을 때 버퍼 안의 항목이 용량 2보다 많습니다"
                                ),
                                tr("puts returned:", "돌아온 put:"),
                                tr("takes started:", "시작된 take:"),
                            );
                        }
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
            producers.into_iter().for_each(|p| p.join().unwrap());
            let taken: Vec<Vec<u32>> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
            let mut all = taken.concat();
            all.sort();
            assert!(
                all == [11, 12, 21, 22],
                "{} {taken:?}",
                tr(
                    "11, 12, 21 and 22 were put, each once; the consumers took",
                    "11, 12, 21, 22를 한 번씩 put했는데, 소비자들이 take한 것:"
                ),
            );
            // A consumer's own takes follow the queue: it never gets a producer's second item before its first.
            for mine in &taken {
                assert!(
                    !(mine == &[12, 11] || mine == &[22, 21]),
                    "{} {mine:?}",
                    tr(
                        "a consumer took a producer's items in the wrong order:",
                        "소비자가 한 생산자의 항목을 거꾸로 take했습니다:"
                    ),
                );
            }
        },
    );
    c.model(
        (
            "capacity 1, full: len() stays at most 1 while a take and a put run (never over capacity, not even for a moment)",
            "용량 1, 가득 참: take 하나와 put 하나가 도는 동안 len()은 1 이하 (한순간도 용량을 넘지 않음)",
        ),
        || {
            let buffer = Arc::new(BoundedBuffer::new(1));
            buffer.put(0u32);
            let consumer = thread::spawn({
                let buffer = buffer.clone();
                move || buffer.take()
            });
            let producer = thread::spawn({
                let buffer = buffer.clone();
                move || buffer.put(1)
            });
            for _ in 0..3 {
                let held = buffer.len();
                assert!(
                    held <= 1,
                    "{held} {}",
                    tr(
                        "items in a buffer of capacity 1: a take gave its slot back before it took its item out, and a put came in",
                        "개가 용량 1인 버퍼에 들어 있습니다. take가 항목을 꺼내기 전에 자리를 돌려주어 put이 들어왔습니다",
                    )
                );
            }
            expect_item(consumer.join().unwrap(), 0);
            producer.join().unwrap();
            expect_item(buffer.take(), 1);
        },
    );
}
