// Hidden check for `compute_outside`: no count is lost, and `analyse` runs outside the critical section: while one
// document is being analysed, another thread can add a whole document. The second property is checked without
// timing: the first `analyse` waits for the other thread's `add` to finish, which deadlocks if any lock that `add`
// needs is held during `analyse`.
//
// | requirement (header)                                                  | check                               |
// |-----------------------------------------------------------------------|-------------------------------------|
// | `add` counts every word `analyse` returns; `count(word)` reads one    | 1                                   |
// | no count is lost when threads add at once                             | 2                                   |
// | `analyse` runs outside the critical section: another whole `add`      | 3 (the first `analyse` waits for    |
// |   completes meanwhile                                                 |   the other `add`)                  |
use super::*;
use conc_check::prelude::*;

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

fn expect_counts(index: &Index, expected: &[(&str, usize)]) {
    for &(word, n) in expected {
        let got = index.count(word);
        assert!(
            got == n,
            "{}",
            msg(
                format!("`count(\"{word}\")` returned {got}, expected {n}: a count was lost"),
                format!(
                    "`count(\"{word}\")`가 돌려준 값은 {got}, 기대한 값은 {n}입니다. 개수 하나가 사라졌습니다"
                ),
            )
        );
    }
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one thread adds a document: every word is counted",
            "스레드 하나가 문서를 추가: 모든 단어가 세어짐",
        ),
        || {
            let index = Index::new();
            index.add("the cat the hat", words);
            expect_counts(&index, &[("the", 2), ("cat", 1), ("hat", 1), ("dog", 0)]);
        },
    );
    c.model(
        (
            "two threads add documents at once: no count is lost",
            "두 스레드가 동시에 문서를 추가: 개수가 하나도 사라지지 않음",
        ),
        || {
            let index = Arc::new(Index::new());
            let other = thread::spawn({
                let index = Arc::clone(&index);
                move || index.add("b c", words)
            });
            index.add("a b", words);
            other.join().unwrap();
            expect_counts(&index, &[("a", 1), ("b", 2), ("c", 1)]);
        },
    );
    c.model(
        (
            "while one document is being analysed, another thread adds a whole document without waiting \
             (so `analyse` must run with no lock held)",
            "한 문서를 분석하는 동안 다른 스레드가 기다리지 않고 문서 하나를 통째로 추가 \
             (그러니 `analyse`는 락 없이 실행되어야 함)",
        ),
        || {
            let index = Arc::new(Index::new());
            let other_index = Arc::clone(&index);
            index.add("x y", move |text| {
                // The first analysis is slow: it lasts until another thread has added a whole document.
                thread::spawn(move || other_index.add("y z", words))
                    .join()
                    .unwrap();
                words(text)
            });
            expect_counts(&index, &[("x", 1), ("y", 2), ("z", 1)]);
        },
    );
}
