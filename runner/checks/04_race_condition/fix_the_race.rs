// Hidden check for `fix_the_race`: hits from several threads are never lost, in any interleaving.
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
        "{} {expected}, {} {total}",
        tr("expected a total of", "기대한 합계는"),
        tr("but `total()` returned", "그러나 `total()`은")
    );
}

pub fn checks(c: &mut Checks) {
    c.model(("one thread, three hits: the total is 3", "스레드 하나가 세 번 hit: 합계는 3"), || hit_from_threads(1, 3));
    c.model(("two threads, one hit each: the total is 2", "두 스레드가 한 번씩 hit: 합계는 2"), || hit_from_threads(2, 1));
    c.model(("three threads, two hits each: the total is 6", "세 스레드가 두 번씩 hit: 합계는 6"), || hit_from_threads(3, 2));
}
