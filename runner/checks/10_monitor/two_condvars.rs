// Hidden check for `two_condvars`: with one or several producers and consumers and a buffer of one slot, every
// item is taken exactly once, in order for a single producer, and nobody is left asleep.
use super::*;
use conc_check::prelude::*;

/// `producers` threads each put `per_thread` distinct items; `consumers` threads each take `per_thread`. Returns
/// everything taken, sorted.
fn run(capacity: usize, producers: u32, consumers: u32, per_thread: u32) -> Vec<u32> {
    let buffer = Arc::new(BoundedBuffer::new(capacity));
    let putters: Vec<_> = (0..producers)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || (0..per_thread).for_each(|i| buffer.put(p * 10 + i + 1)))
        })
        .collect();
    let takers: Vec<_> = (0..consumers)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || (0..per_thread).map(|_| buffer.take()).collect::<Vec<_>>())
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
        "{} {expected:?}, {} {taken:?}",
        tr(
            "expected the consumers to take",
            "소비자들이 가져가야 할 것은"
        ),
        tr("they took", "실제로 가져간 것은")
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
            let producer = thread::spawn({
                let buffer = buffer.clone();
                move || (1..=3).for_each(|i| buffer.put(i))
            });
            let taken: Vec<u32> = (0..3).map(|_| buffer.take()).collect();
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
    )
    .executions(3_000);
    c.model(
        (
            "two producers and two consumers, one slot, two items each",
            "생산자 둘, 소비자 둘, 칸 하나, 각자 두 개씩",
        ),
        || expect_taken(run(1, 2, 2, 2), &[1, 2, 11, 12]),
    )
    .executions(3_000);
}
