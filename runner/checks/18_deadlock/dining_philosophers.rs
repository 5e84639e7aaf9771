// Hidden check for `dining_philosophers`.
//
// requirement (header)                                             → check
// philosopher p uses forks p and (p + 1) % 3 and eats once per dine → 1 "one philosopher at a time"
// every philosopher eats, in every interleaving (no deadlock), and  → 2 "one meal each", 3 "two meals each"
//   again and again (the same philosopher dines repeatedly)
// two neighbours never use the same fork at the same time           → 1-3 (`eat` marks both forks in use, yields)
use super::*;
use conc_check::prelude::*;

/// What a philosopher does while eating: marks both forks as in use, lets others run, and frees them.
fn eat(p: usize, in_use: &[AtomicBool; SEATS]) {
    let forks = [p, (p + 1) % SEATS];
    for f in forks {
        let taken = in_use[f].swap(true, Ordering::SeqCst);
        assert!(
            !taken,
            "{} ({} {p}, {} {f})",
            tr(
                "a neighbour was still eating with this fork",
                "이웃이 아직 이 포크로 먹고 있었습니다"
            ),
            tr("philosopher who picked it up:", "포크를 든 철학자:"),
            tr("fork:", "포크:"),
        );
    }
    thread::yield_now();
    for f in forks {
        in_use[f].store(false, Ordering::SeqCst);
    }
}

fn dinner(rounds: usize) {
    let table = Arc::new(Table::new());
    let in_use = Arc::new([
        AtomicBool::new(false),
        AtomicBool::new(false),
        AtomicBool::new(false),
    ]);
    let meals = Arc::new(AtomicUsize::new(0));
    let philosophers: Vec<_> = (0..SEATS)
        .map(|p| {
            let (table, in_use, meals) = (table.clone(), in_use.clone(), meals.clone());
            thread::spawn(move || {
                for _ in 0..rounds {
                    table.dine(p, || {
                        eat(p, &in_use);
                        meals.fetch_add(1, Ordering::SeqCst);
                    });
                }
            })
        })
        .collect();
    for philosopher in philosophers {
        philosopher.join().unwrap();
    }
    let eaten = meals.load(Ordering::SeqCst);
    assert!(
        eaten == SEATS * rounds,
        "{} {}, {} {eaten}",
        tr("meals expected:", "기대한 식사 수:"),
        SEATS * rounds,
        tr("meals eaten:", "실제 식사 수:"),
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one philosopher at a time: each of the three eats once",
            "한 번에 한 명씩: 세 명이 한 번씩 먹음",
        ),
        || {
            let table = Table::new();
            let in_use = [
                AtomicBool::new(false),
                AtomicBool::new(false),
                AtomicBool::new(false),
            ];
            for p in 0..SEATS {
                table.dine(p, || eat(p, &in_use));
            }
        },
    );
    c.model(
        (
            "three philosophers at once, one meal each: all eat, never two on one fork",
            "세 명이 동시에 한 끼씩: 모두 먹고, 한 포크를 둘이 쓰는 일은 없음",
        ),
        || dinner(1),
    );
    c.model(
        (
            "three philosophers at once, two meals each: all eat, never two on one fork",
            "세 명이 동시에 두 끼씩: 모두 먹고, 한 포크를 둘이 쓰는 일은 없음",
        ),
        || dinner(2),
    );
}
