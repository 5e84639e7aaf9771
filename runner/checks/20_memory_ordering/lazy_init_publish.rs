// Hidden check for `lazy_init_publish`: under weak memory (loom), `init` runs once, and every caller — the one
// that initialised, one that waited, one that came later — reads the value without a data race.
use super::*;
use conc_check::prelude::*;

fn expect_value(got: u64) {
    assert!(
        got == 42,
        "{} {got}",
        tr(
            "get_or_init() should return 42, but returned",
            "get_or_init()은 42를 돌려줘야 하는데, 돌려준 값:"
        ),
    );
}

fn expect_inits(inits: &AtomicUsize) {
    let n = inits.load(Ordering::SeqCst);
    assert!(
        n == 1,
        "{} {n}",
        tr(
            "init should run exactly once, but ran this many times:",
            "init은 정확히 한 번 실행되어야 하는데, 실행 횟수:"
        ),
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: get_or_init(42), then get_or_init(7) still returns 42",
            "스레드 하나: get_or_init(42) 후 get_or_init(7)도 여전히 42",
        ),
        || {
            let lazy = Lazy::new();
            expect_value(*lazy.get_or_init(|| 42));
            expect_value(*lazy.get_or_init(|| 7));
        },
    );
    c.model(
        (
            "two threads call get_or_init at once: init runs once, both read 42",
            "두 스레드가 동시에 get_or_init: init은 한 번, 둘 다 42를 읽음",
        ),
        || {
            let lazy = Arc::new(Lazy::new());
            let inits = Arc::new(AtomicUsize::new(0));
            let call = {
                let (lazy, inits) = (Arc::clone(&lazy), Arc::clone(&inits));
                move || {
                    *lazy.get_or_init(|| {
                        inits.fetch_add(1, Ordering::SeqCst);
                        42
                    })
                }
            };
            let other = thread::spawn(call.clone());
            expect_value(call());
            expect_value(other.join().unwrap());
            expect_inits(&inits);
        },
    );
}
