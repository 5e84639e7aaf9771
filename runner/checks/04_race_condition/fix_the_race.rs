// Hidden check for `fix_the_race`.
//
// | requirement (header)                                        | check                                           |
// |-------------------------------------------------------------|-------------------------------------------------|
// | `hit()` loses nothing, whatever the interleaving            | 2, 3 (three threads, the same caller twice)     |
// | `total()` reports the count                                 | 1, every check; 4: read while hits run, it only |
// |                                                             |   grows and never passes the hits made          |
use super::*;
use conc_check::prelude::*;

fn hit_from_threads(threads: usize, hits_each: usize) {
    let counter = Arc::new(HitCounter::new());
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || (0..hits_each).for_each(|_| counter.hit()))
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let expected = threads * hits_each;
    let total = counter.total();
    assert!(
        total == expected,
        "{}",
        trf!(
            "expected a total of {expected}, but `total()` returned {total}",
            "기대한 합계: {expected}, `total()`이 돌려준 값: {total}"
        )
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread, three hits: the total is 3",
            "스레드 하나가 `hit()`을 세 번 호출: 합계는 3",
        ),
        || hit_from_threads(1, 3),
    );
    c.model(
        (
            "two threads, one hit each: the total is 2",
            "두 스레드가 `hit()`을 한 번씩 호출: 합계는 2",
        ),
        || hit_from_threads(2, 1),
    );
    c.model(
        (
            "three threads, two hits each: the total is 6",
            "세 스레드가 `hit()`을 두 번씩 호출: 합계는 6",
        ),
        || hit_from_threads(3, 2),
    );
    c.model(
        (
            "`total()` read while two threads hit twice each: it only grows, never past 4, and ends at 4",
            "두 스레드가 `hit()`을 두 번씩 호출하는 동안 `total()`을 읽음: 늘기만 하고, 4를 넘지 않고, 4로 끝남",
        ),
        || {
            let counter = Arc::new(HitCounter::new());
            let workers: Vec<_> = (0..2)
                .map(|_| {
                    let counter = Arc::clone(&counter);
                    thread::spawn(move || (0..2).for_each(|_| counter.hit()))
                })
                .collect();
            let seen: Vec<usize> = (0..3).map(|_| counter.total()).collect();
            for worker in workers {
                worker.join().unwrap();
            }
            let end = counter.total();
            assert!(
                seen.windows(2).all(|w| w[0] <= w[1]) && seen.iter().all(|&s| s <= end) && end == 4,
                "{}",
                trf!(
                    "while 4 hits ran, `total()` returned {seen:?}, then {end} at the end: a count only grows, \
                     and ends at 4",
                    "`hit()` 4번이 실행되는 동안 `total()`이 돌려준 값은 {seen:?}, 끝난 뒤의 값은 {end}입니다. \
                     방문 수는 늘기만 하고 4로 끝나야 합니다"
                )
            );
        },
    );
}
