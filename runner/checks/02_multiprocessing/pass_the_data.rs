// Hidden check for `pass_the_data`: the worker process gets the words the parent passes it — every word, in
// order — whichever way they travel (arguments, stdin, a file), and `shout_in_child` returns what it printed.
//
// requirement (header)                                   → check
// every word reaches the separate worker, in order       → "three words", "300 words"
// any words: spaces, non-ASCII (bytes ≠ characters)      → "words with spaces and non-ASCII letters"
// any list, however long (past the 64 KiB pipe buffer     → "20,000 words" (220 KB: one read, one joined
//   and the 128 KiB limit of one argument/variable)          argument or variable, write-all-then-read fail)
// no words: nothing printed                              → "no words"
// calls at the same time do not mix; nothing left behind → "two callers at once", every check (private TMPDIR)
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, RoleOutput, pick, secs};

/// Fails if the role left anything (a file, a folder) in the check's private directory, its TMPDIR and cwd.
fn expect_nothing_left(ex: &Exercise, out: &RoleOutput) {
    let left: Vec<String> = std::fs::read_dir(ex.tmp_dir())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    if !left.is_empty() {
        out.fail(&pick(
            format!(
                "shout_in_child left {left:?} behind in its temporary directory: remove what you create (and a \
                 fixed name is shared by every call running at the same time)"
            ),
            format!(
                "shout_in_child가 임시 디렉터리에 파일을 남겼습니다({left:?}). 만든 것은 지우세요 (고정된 이름은 동시에 \
                 실행되는 모든 호출이 함께 씁니다)"
            ),
        ));
    }
}

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
                "shout_in_child(단어 {}개)가 아무 줄도 돌려주지 않았습니다. 작업자가 아무것도 출력하지 않았으니 단어를 \
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
    expect_nothing_left(ex, &out);
}

/// The `i`-th word of a long list: 10 bytes, 9 characters (one non-ASCII letter).
fn many_word(i: usize, tag: &str) -> String {
    format!("{tag}é{i:07}")
}

/// Calls `shout_in_child` on `n` words tagged `tag`; prints `ok` or what went wrong first.
fn shout_many(n: usize, tag: &str) -> Result<(), String> {
    let words: Vec<String> = (0..n).map(|i| many_word(i, tag)).collect();
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    let lines = shout_in_child(&refs)
        .map_err(|e| format!("shout_in_child({n} words) returned an error: {e}"))?;
    if let Some(i) = (0..n.max(lines.len()))
        .find(|&i| lines.get(i) != Some(&words.get(i).map_or(String::new(), |w| w.to_uppercase())))
    {
        return Err(format!(
            "shout_in_child({n} words) returned {} lines; line {} is {:?}, expected {:?}",
            lines.len(),
            i + 1,
            lines.get(i),
            words.get(i).map(|w| w.to_uppercase())
        ));
    }
    Ok(())
}

pub fn checks(c: &mut Checks) {
    // shout WORD… — calls the learner's `shout_in_child` and prints one returned line per line.
    c.role("shout", |args| {
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        match shout_in_child(&words) {
            Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
            Err(e) => {
                eprintln!("{}: {e}", tr("shout_in_child returned an error", "shout_in_child가 오류를 돌려주었습니다"));
                std::process::exit(1);
            }
        }
    });
    // shout_many N CALLERS ROUNDS — CALLERS threads each call `shout_in_child` ROUNDS times on N words of their
    // own; prints `ok`, or the first difference.
    c.role("shout_many", |args| {
        let n: usize = args[0].parse().expect("a number");
        let callers: usize = args[1].parse().expect("a number");
        let rounds: usize = args[2].parse().expect("a number");
        let results: Vec<Result<(), String>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..callers)
                .map(|c| {
                    s.spawn(move || {
                        (0..rounds).try_for_each(|r| shout_many(n, &format!("c{c}r{r}-")))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("no panic"))
                .collect()
        });
        for result in results {
            if let Err(e) = result {
                println!("{e}");
                std::process::exit(1);
            }
        }
        println!("ok");
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
            "words with spaces and non-ASCII letters come back whole, one line each",
            "공백이나 ASCII가 아닌 글자가 든 단어도 한 줄에 하나씩 온전히 돌아옵니다",
        ),
        |ex| {
            let words = [
                "new york",
                "straße",
                "  two  spaces ",
                "서울",
                "ünïcödé",
                "x",
            ]
            .map(String::from);
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
            "20,000 words (220 KB, more than a pipe holds and than one argument may be): all come back, in order",
            "단어 20,000개 (220 KB, 파이프 하나와 인자 하나의 한도보다 많음): 전부 순서대로 돌아옵니다",
        ),
        |ex| {
            let out = ex
                .check_role("shout_many", &["20000", "1", "1"])
                .timeout(secs(3))
                .run();
            if !out.success() || out.lines() != ["ok"] {
                out.fail(tr(
                    "with 20,000 words the call failed or returned the wrong lines (see its output). Words that \
                     do not fit in one pipe (64 KiB), one read, or one argument or variable (128 KiB) must still \
                     all arrive, and the parent must not wait for the worker while the worker waits for it.",
                    "단어 20,000개에서 호출이 실패했거나 틀린 줄을 돌려주었습니다 (출력 참고). 파이프 하나(64 KiB), \
                     read 한 번, 인자나 환경 변수 하나(128 KiB)에 다 들어가지 않는 단어도 전부 도착해야 하고, 작업자가 \
                     부모를 기다리는 동안 부모가 작업자를 기다려서도 안 됩니다.",
                ));
            }
            expect_nothing_left(ex, &out);
        },
    );
    c.process(
        (
            "two callers at once, 10 calls each: each gets its own words back",
            "호출자 둘이 동시에 10번씩: 각자 자기 단어를 돌려받습니다",
        ),
        |ex| {
            let out = ex
                .check_role("shout_many", &["200", "2", "10"])
                .timeout(secs(3))
                .run();
            if !out.success() || out.lines() != ["ok"] {
                out.fail(tr(
                    "two shout_in_child calls running at the same time mixed up their words (see the output): \
                     what one call passes must reach only its own worker",
                    "동시에 실행된 shout_in_child 호출 둘의 단어가 섞였습니다 (출력 참고): 한 호출이 건넨 것은 그 \
                     호출의 작업자에게만 닿아야 합니다",
                ));
            }
            expect_nothing_left(ex, &out);
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
