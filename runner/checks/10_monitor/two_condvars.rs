// Hidden check for `two_condvars`: with one or several producers and consumers and a buffer of one or two slots,
// every item is taken exactly once, in order for a single producer, the buffer never holds more than its
// capacity, and nobody is left asleep.
//
// Requirement (header)                                  → check
// take() gives items first in, first out                → "one producer puts 1, 2, 3"
// put() waits while the buffer is full (never more       → every check: after each put() returns, items put <=
//   inside than the capacity, also with a spurious wake)   takes started + capacity ("one producer, two slots")
// take() waits while empty; each item taken once        → every multi-thread check (a second take panics or
//   (a woken consumer looks again)                         duplicates, a lost item shows in the sorted list)
// correct for any number of producers and consumers,    → "two producers and two consumers" with one and with
//   no waiter left asleep while it could go on             two slots (two sleepers on each side: a notify that
//                                                          only fires on empty->1 or full->1-below loses one)
use super::*;
use conc_check::prelude::*;

/// Counts puts that returned and takes that started, and fails when a put() returned while the buffer must hold
/// more than `capacity` items (items put can only exceed takes started by what is inside).
struct Fill {
    capacity: usize,
    put: AtomicUsize,
    takes_started: AtomicUsize,
}

impl Fill {
    fn new(capacity: usize) -> Arc<Fill> {
        Arc::new(Fill {
            capacity,
            put: AtomicUsize::new(0),
            takes_started: AtomicUsize::new(0),
        })
    }

    fn put(&self, buffer: &BoundedBuffer, item: u32) {
        buffer.put(item);
        let put = self.put.fetch_add(1, Ordering::SeqCst) + 1;
        let taking = self.takes_started.load(Ordering::SeqCst);
        let capacity = self.capacity;
        assert!(
            put <= taking + capacity,
            "{}",
            trf!(
                "put() returned with more items inside than the capacity of {capacity} (items put: {put}, takes started: {taking})",
                "put()이 돌아왔을 때 버퍼 안의 항목이 용량 {capacity}보다 많습니다 (넣은 항목: {put}, 시작된 take: {taking})"
            )
        );
    }

    fn take(&self, buffer: &BoundedBuffer) -> u32 {
        self.takes_started.fetch_add(1, Ordering::SeqCst);
        buffer.take()
    }
}

/// `producers` threads each put `per_thread` distinct items; `consumers` threads each take `per_thread`. Returns
/// everything taken, sorted.
fn run(capacity: usize, producers: u32, consumers: u32, per_thread: u32) -> Vec<u32> {
    let buffer = Arc::new(BoundedBuffer::new(capacity));
    let fill = Fill::new(capacity);
    let putters: Vec<_> = (0..producers)
        .map(|p| {
            let (buffer, fill) = (buffer.clone(), fill.clone());
            thread::spawn(move || (0..per_thread).for_each(|i| fill.put(&buffer, p * 10 + i + 1)))
        })
        .collect();
    let takers: Vec<_> = (0..consumers)
        .map(|_| {
            let (buffer, fill) = (buffer.clone(), fill.clone());
            thread::spawn(move || {
                (0..per_thread)
                    .map(|_| fill.take(&buffer))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for putter in putters {
        putter.join().unwrap();
    }
    let mut taken: Vec<u32> = takers.into_iter().flat_map(|t| t.join().unwrap()).collect();
    taken.sort();
    taken
}

fn expect_taken(taken: Vec<u32>, expected: &[u32]) {
    assert!(
        taken == expected,
        "{}",
        trf!(
            "expected the consumers to take {expected:?}, they took {taken:?}",
            "소비자들이 가져가야 할 것: {expected:?}, 실제로 가져간 것: {taken:?}"
        )
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one producer puts 1, 2, 3 into one slot; one consumer takes them in that order",
            "생산자 하나가 칸 하나에 1, 2, 3을 넣음; 소비자 하나가 그 순서대로 가져감",
        ),
        || {
            let buffer = Arc::new(BoundedBuffer::new(1));
            let fill = Fill::new(1);
            let producer = thread::spawn({
                let (buffer, fill) = (buffer.clone(), fill.clone());
                move || (1..=3).for_each(|i| fill.put(&buffer, i))
            });
            let taken: Vec<u32> = (0..3).map(|_| fill.take(&buffer)).collect();
            producer.join().unwrap();
            assert!(
                taken == [1, 2, 3],
                "{} {taken:?}",
                tr(
                    "expected [1, 2, 3], took",
                    "[1, 2, 3]이어야 하는데 가져간 것은"
                )
            );
        },
    );
    c.model(
        (
            "two producers and two consumers, one slot, one item each: each item taken once",
            "생산자 둘, 소비자 둘, 칸 하나, 각자 한 개씩: 모든 항목이 한 번씩 꺼내짐",
        ),
        || expect_taken(run(1, 2, 2, 1), &[1, 11]),
    );
    c.model(
        (
            "two producers and two consumers, one slot, two items each",
            "생산자 둘, 소비자 둘, 칸 하나, 각자 두 개씩",
        ),
        || expect_taken(run(1, 2, 2, 2), &[1, 2, 11, 12]),
    );
    c.model(
        (
            "one producer puts 1 to 5 into two slots; one consumer takes them — never more than 2 inside",
            "생산자 하나가 칸 둘에 1부터 5까지 넣음; 소비자 하나가 가져감 → 안에는 2개 이하",
        ),
        || {
            let buffer = Arc::new(BoundedBuffer::new(2));
            let fill = Fill::new(2);
            let producer = thread::spawn({
                let (buffer, fill) = (buffer.clone(), fill.clone());
                move || (1..=5).for_each(|i| fill.put(&buffer, i))
            });
            let taken: Vec<u32> = (0..5).map(|_| fill.take(&buffer)).collect();
            producer.join().unwrap();
            assert!(
                taken == [1, 2, 3, 4, 5],
                "{} {taken:?}",
                tr(
                    "expected [1, 2, 3, 4, 5], took",
                    "[1, 2, 3, 4, 5]이어야 하는데 가져간 것은"
                )
            );
        },
    );
    c.model(
        (
            "two producers and two consumers, two slots, one item each: each item taken once",
            "생산자 둘, 소비자 둘, 칸 둘, 각자 한 개씩: 모든 항목이 한 번씩 꺼내짐",
        ),
        || expect_taken(run(2, 2, 2, 1), &[1, 11]),
    );
    c.model(
        (
            "two producers and two consumers, two slots, two items each",
            "생산자 둘, 소비자 둘, 칸 둘, 각자 두 개씩",
        ),
        || expect_taken(run(2, 2, 2, 2), &[1, 2, 11, 12]),
    );
}
