// Hidden check for `match_deadlock`.
//
// | requirement (header)                                                  | check                               |
// |-----------------------------------------------------------------------|-------------------------------------|
// | the first `get` of a new key returns (no self-deadlock)               | 1, 2, 3                             |
// | returns the cached value, or `compute(key)`'s, and remembers it       | 1, 2, 3                             |
// | a key already cached is never computed again                          | 1, 2 (two keys at once), 3 (after   |
// |                                                                       |   two threads race for one key)     |
use super::*;
use conc_check::prelude::*;

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

/// `cache.get(key, ·)` with a compute function that returns `key * 10` and counts its calls in `computed`.
fn get_counted(cache: &Cache, key: u64, computed: &AtomicUsize) -> u64 {
    let value = cache.get(key, |k| {
        computed.fetch_add(1, Ordering::SeqCst);
        k * 10
    });
    assert!(
        value == key * 10,
        "{}",
        msg(
            format!(
                "`get({key}, …)` returned {value}, but `compute({key})` returns {}",
                key * 10
            ),
            format!(
                "`get({key}, …)`가 돌려준 값은 {value}인데, `compute({key})`의 값은 {}입니다",
                key * 10
            ),
        )
    );
    value
}

fn expect_computed(computed: &AtomicUsize, expected: usize, what: (&'static str, &'static str)) {
    let n = computed.load(Ordering::SeqCst);
    assert!(
        n == expected,
        "{}",
        msg(
            format!("`compute` ran {n} times; expected {expected}: {}", what.0),
            format!(
                "`compute`가 {n}번 실행되었습니다. 기대한 횟수는 {expected}: {}",
                what.1
            ),
        )
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread: a new key is computed, then served from the cache",
            "스레드 하나: 새 키는 계산하고, 그다음에는 캐시에서 돌려줌",
        ),
        || {
            let cache = Cache::new();
            let computed = AtomicUsize::new(0);
            get_counted(&cache, 7, &computed);
            get_counted(&cache, 7, &computed);
            expect_computed(
                &computed,
                1,
                (
                    "the second `get(7, …)` must use the remembered value",
                    "두 번째 `get(7, …)`은 기억한 값을 써야 합니다",
                ),
            );
        },
    );
    c.model(
        (
            "two threads get different keys at once: right values, each computed once",
            "두 스레드가 동시에 서로 다른 키를 get: 올바른 값, 키마다 계산은 한 번",
        ),
        || {
            let cache = Arc::new(Cache::new());
            let computed = Arc::new(AtomicUsize::new(0));
            let other = thread::spawn({
                let (cache, computed) = (Arc::clone(&cache), Arc::clone(&computed));
                move || get_counted(&cache, 2, &computed)
            });
            get_counted(&cache, 1, &computed);
            other.join().unwrap();
            get_counted(&cache, 1, &computed);
            get_counted(&cache, 2, &computed);
            expect_computed(
                &computed,
                2,
                (
                    "keys 1 and 2 once each; later gets must use the cache",
                    "키 1과 2를 한 번씩. 그 뒤의 get은 캐시를 써야 합니다",
                ),
            );
        },
    );
    c.model(
        (
            "two threads get the same new key at once: both get the right value, and it stays cached",
            "두 스레드가 동시에 같은 새 키를 get: 둘 다 올바른 값을 받고, 값은 캐시에 남음",
        ),
        || {
            let cache = Arc::new(Cache::new());
            let computed = Arc::new(AtomicUsize::new(0));
            let other = thread::spawn({
                let (cache, computed) = (Arc::clone(&cache), Arc::clone(&computed));
                move || get_counted(&cache, 5, &computed)
            });
            get_counted(&cache, 5, &computed);
            other.join().unwrap();
            let before = computed.load(Ordering::SeqCst);
            get_counted(&cache, 5, &computed);
            expect_computed(
                &computed,
                before,
                (
                    "once both threads are done, key 5 must come from the cache",
                    "두 스레드가 끝난 뒤에는 키 5가 캐시에서 나와야 합니다",
                ),
            );
        },
    );
}
