// Hidden check for `one_shared_map`.
//
// | requirement (header)                                                  | check                               |
// |-----------------------------------------------------------------------|-------------------------------------|
// | counts every word of every document into the map returned            | 1, 2, 3                             |
// | one thread per document, all counting into one shared map            | 2, 3 (three documents at once)      |
// | no count lost when two documents contain the same word               | 2, 3                                |
use super::*;
use conc_check::prelude::*;

/// A message in the learner's language, for texts with values in them (`tr` takes fixed strings).
fn msg(en: String, ko: String) -> String {
    if tr("en", "ko") == "ko" { ko } else { en }
}

fn expect(documents: &[&str], expected: &[(&str, usize)]) {
    let counts = count_words(documents.iter().map(|d| d.to_string()).collect());
    let mut got: Vec<(String, usize)> = counts.into_iter().collect();
    got.sort();
    let mut want: Vec<(String, usize)> =
        expected.iter().map(|&(w, n)| (w.to_string(), n)).collect();
    want.sort();
    assert!(
        got == want,
        "{}",
        msg(
            format!("`count_words({documents:?})` returned {got:?}; expected {want:?}"),
            format!("`count_words({documents:?})`의 결과가 {got:?}입니다. 기대한 값은 {want:?}"),
        )
    );
}

pub fn checks(c: &mut Checks) {
    c.model(
        (
            "one document: every word is counted",
            "문서 하나: 모든 단어가 세어짐",
        ),
        || {
            expect(
                &["to be or not to be"],
                &[("to", 2), ("be", 2), ("or", 1), ("not", 1)],
            )
        },
    );
    c.model(
        (
            "two documents sharing a word, counted at once: no count is lost",
            "단어 하나를 함께 가진 두 문서를 동시에 셈: 개수가 하나도 사라지지 않음",
        ),
        || expect(&["a b", "b c"], &[("a", 1), ("b", 2), ("c", 1)]),
    );
    c.model(
        (
            "three documents, counted at once: no count is lost",
            "세 문서를 동시에 셈: 개수가 하나도 사라지지 않음",
        ),
        || expect(&["x", "x y", "y"], &[("x", 2), ("y", 2)]),
    );
}
