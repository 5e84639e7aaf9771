// Hidden check for `pass_the_data`: the worker process gets the words the parent passes it — every word, in
// order — whichever way they travel (arguments, stdin, a file), and `shout_in_child` returns what it printed.
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, pick, secs};

/// Runs `shout_in_child(words)` in a helper process and checks the lines it returned.
fn expect_shouted(ex: &Exercise, words: &[String]) {
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    let out = ex.check_role("shout", &args).timeout(secs(3)).run();
    out.expect_success();
    let expected: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
    if out.lines().is_empty() && !expected.is_empty() {
        out.fail(&pick(
            format!(
                "shout_in_child({} words) returned no lines: the worker printed nothing, so it found no words. It \
                 is a separate process with its own memory; what the parent puts into a global is not there.",
                words.len()
            ),
            format!(
                "shout_in_child(단어 {}개)가 아무 줄도 돌려주지 않았습니다: 작업자가 아무것도 출력하지 않았으니 단어를 \
                 하나도 찾지 못한 것입니다. 작업자는 자기만의 메모리를 가진 별도 프로세스입니다. 부모가 전역 변수에 \
                 넣은 것은 거기에 없습니다.",
                words.len()
            ),
        ));
    }
    out.expect_lines(
        &expected,
        tr(
            "the lines shout_in_child returned",
            "shout_in_child가 돌려준 줄",
        ),
    );
}

pub fn checks(c: &mut Checks) {
    // shout WORD… — calls the learner's `shout_in_child` and prints one returned line per line.
    c.role("shout", |args| {
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        match shout_in_child(&words) {
            Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
            Err(e) => {
                eprintln!("shout_in_child returned an error: {e}");
                std::process::exit(1);
            }
        }
    });

    c.process(
        (
            "three words: the worker prints ALPHA, BETA, GAMMA",
            "단어 세 개: 작업자가 ALPHA, BETA, GAMMA를 출력합니다",
        ),
        |ex| {
            let words = ["alpha", "beta", "gamma"].map(String::from);
            expect_shouted(ex, &words);
        },
    );
    c.process(
        (
            "300 words: every one reaches the worker, in order",
            "단어 300개: 하나도 빠짐없이 순서대로 작업자에게 닿습니다",
        ),
        |ex| {
            let words: Vec<String> = (0..300).map(|i| format!("word-{i}")).collect();
            expect_shouted(ex, &words);
        },
    );
    c.process(
        (
            "no words: the worker prints nothing and exits",
            "단어 없음: 작업자는 아무것도 출력하지 않고 끝납니다",
        ),
        |ex| expect_shouted(ex, &[]),
    );
}
