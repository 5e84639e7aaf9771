// Hidden check for `crash_in_a_child`: a job that aborts ends only itself — the batch goes on, every good job's
// result is kept, in order, and the crashed job counts as crashed even though it printed half a line first.
//
// | requirement (header)                                     | check                                          |
// |----------------------------------------------------------|------------------------------------------------|
// | one result per job, in order; good jobs' results survive | two good jobs; 2nd of 3 aborts; 2 of 4 abort   |
// | `None` for a job that crashed, even after half a line    | 2nd of 3 aborts halfway; `c boom d`            |
// | `Some(line)`: the job's whole line, whatever its size    | jobs printing more than a pipe holds (64 KiB), |
// |   (read while the child runs: a full pipe blocks it)     |   one finishing, one aborting after 120 KB     |
// | the line as the job printed it (bytes ≠ characters)      | `straße café` → `STRASSE CAFÉ`                 |
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, explain_timeout, pick, secs};
use std::os::unix::process::ExitStatusExt;

/// A result line as the batch role prints it: long lines shortened to their ends and their length in bytes.
fn describe(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= 60 {
        return line.to_string();
    }
    let head: String = chars[..16].iter().collect();
    let tail: String = chars[chars.len() - 16..].iter().collect();
    format!("{head}…{tail} ({} bytes)", line.len())
}

/// What the library prints for `job` before it aborts at `boom`: the words before it, in capitals.
fn half_line(job: &str) -> String {
    job.split_whitespace()
        .take_while(|w| *w != "boom")
        .map(str::to_uppercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `run_jobs(jobs)` in a helper process and checks what it reported: `ok LINE` or `crashed` per job.
fn expect_results(ex: &Exercise, jobs: &[&str], expected: &[&str]) {
    let expected: Vec<String> = expected.iter().map(|e| describe(e)).collect();
    let out = explain_timeout(
        tr(
            "run_jobs never returned. A job whose output is more than a pipe holds (64 KiB) blocks writing into the \
             full pipe until someone reads it: read a child's output while it runs (`output()` does), then look at \
             how it ended.",
            "run_jobs가 끝나지 않았습니다. 출력이 파이프 용량(64 KiB)보다 큰 작업은 누군가 읽어 줄 때까지 가득 찬 \
             파이프에 쓰면서 멈춥니다. 자식이 도는 동안 출력을 읽고(`output()`이 그렇게 합니다), 그다음 어떻게 \
             끝났는지 보세요.",
        ),
        || ex.check_role("batch", jobs).timeout(secs(5)).run(),
    );
    if let Some(signal) = out.finished.status.and_then(|s| s.signal()) {
        out.fail(&pick(
            format!(
                "the batch process itself was killed by signal {signal} (6 is SIGABRT): a job aborted inside it, and \
                 took every result collected so far with it. A job that may abort must run in a process of its own."
            ),
            format!(
                "일괄 실행 프로세스 자체가 {signal}번 시그널(6은 SIGABRT)로 죽었습니다. 그 안에서 작업 하나가 abort해서, \
                 지금까지 모은 결과를 모두 함께 가져갔습니다. abort할 수 있는 작업은 자기 프로세스에서 돌려야 합니다."
            ),
        ));
    }
    if !out.success() && out.stderr().contains("run_jobs returned an error") {
        out.fail(tr(
            "run_jobs returned an error because a job crashed, and with it lost the results of the good jobs. A \
             crashed job is one result among the others (`None`), not a reason to stop the batch.",
            "작업 하나가 죽었다고 run_jobs가 오류를 돌려주어, 좋은 작업들의 결과까지 잃었습니다. 죽은 작업은 여러 결과 중 \
             하나(`None`)일 뿐, 일괄 작업을 멈출 이유가 아닙니다.",
        ));
    }
    out.expect_success();
    let got = out.lines();
    for (i, (job, want)) in jobs.iter().zip(&expected).enumerate() {
        let have = got.get(i).copied().unwrap_or("(nothing)");
        let job = describe(job);
        let reported = have.trim_start_matches("ok ");
        if want == "crashed" && have.starts_with("ok") && reported == describe(&half_line(jobs[i])) {
            out.fail(&pick(
                format!(
                    "job {} ({job:?}) crashed, but run_jobs reported {reported:?} for it: the half line the job \
                     printed before it aborted. A crashed process's output is incomplete; check how it ended (its \
                     exit status) before using what it wrote.",
                    i + 1,
                ),
                format!(
                    "{}번 작업({job:?})은 죽었는데 run_jobs는 그 결과를 {reported:?}라고 했습니다. 작업이 abort하기 \
                     전에 출력한 반 줄입니다. 죽은 프로세스의 출력은 불완전합니다. 쓴 것을 쓰기 전에 어떻게 \
                     끝났는지(종료 상태)를 확인하세요.",
                    i + 1,
                ),
            ));
        }
        if want == "crashed" && have.starts_with("ok") {
            // Not what this job printed: another job's line, in this job's place.
            out.fail(&pick(
                format!(
                    "job {} ({job:?}) crashed, but run_jobs reported {reported:?} for it, which is not what that job \
                     printed: the results are out of step with the jobs. Keep one result per job, in the jobs' \
                     order, and `None` for one that crashed.",
                    i + 1,
                ),
                format!(
                    "{}번 작업({job:?})은 죽었는데 run_jobs는 그 결과를 {reported:?}라고 했습니다. 그 작업이 출력한 것이 \
                     아닙니다. 결과가 작업과 어긋났습니다. 작업마다 결과 하나를 작업 순서대로 두고, 죽은 작업은 \
                     `None`으로 두세요.",
                    i + 1,
                ),
            ));
        }
    }
    out.expect_lines(
        &expected,
        tr(
            "what run_jobs reported, one line per job (`ok LINE` or `crashed`)",
            "run_jobs가 알려 준 결과, 작업마다 한 줄 (`ok 줄` 또는 `crashed`)",
        ),
    );
}

pub fn checks(c: &mut Checks) {
    // batch JOB… — calls the learner's `run_jobs` and prints `ok LINE` or `crashed` per job.
    c.role("batch", |args| {
        let jobs: Vec<&str> = args.iter().map(String::as_str).collect();
        match run_jobs(&jobs) {
            Ok(results) => {
                if results.len() != jobs.len() {
                    eprintln!(
                        "{}",
                        pick(
                            format!("run_jobs returned {} results for {} jobs", results.len(), jobs.len()),
                            format!("run_jobs가 작업 {}개에 대해 결과 {}개를 돌려주었습니다", jobs.len(), results.len()),
                        )
                    );
                    std::process::exit(1);
                }
                for result in results {
                    match result {
                        Some(line) => println!("{}", describe(&format!("ok {line}"))),
                        None => println!("crashed"),
                    }
                }
            }
            Err(e) => {
                eprintln!("{}: {e}", tr("run_jobs returned an error", "run_jobs가 오류를 돌려주었습니다"));
                std::process::exit(1);
            }
        }
    });

    c.process(
        (
            "two good jobs: `ok HELLO WORLD`, `ok CONC LINGS`",
            "좋은 작업 둘: `ok HELLO WORLD`, `ok CONC LINGS`",
        ),
        |ex| {
            expect_results(
                ex,
                &["hello world", "conc lings"],
                &["ok HELLO WORLD", "ok CONC LINGS"],
            )
        },
    );
    c.process(
        (
            "the second of three jobs aborts halfway: it counts as crashed, the other two are kept",
            "작업 셋 중 두 번째가 중간에 abort: 그것은 crashed, 나머지 둘은 남습니다",
        ),
        |ex| {
            expect_results(
                ex,
                &["one two", "three boom four", "five"],
                &["ok ONE TWO", "crashed", "ok FIVE"],
            )
        },
    );
    c.process(
        (
            "two of four jobs abort, one at once and one halfway: both crashed, the others kept in order",
            "작업 넷 중 둘이 abort (하나는 바로, 하나는 중간에): 둘 다 crashed, 나머지는 순서대로 남습니다",
        ),
        |ex| {
            expect_results(
                ex,
                &["boom", "a b", "c boom d", "e"],
                &["crashed", "ok A B", "crashed", "ok E"],
            )
        },
    );
    c.process(
        (
            "bytes are not characters: `straße café` → `STRASSE CAFÉ`",
            "바이트는 글자가 아닙니다: `straße café` → `STRASSE CAFÉ`",
        ),
        |ex| {
            expect_results(
                ex,
                &["straße café", "ü boom"],
                &["ok STRASSE CAFÉ", "crashed"],
            )
        },
    );
    c.process(
        (
            "jobs that print more than a pipe holds (120 KB): one finishes, one aborts at the end",
            "파이프 용량보다 많이 출력하는 작업 (120 KB): 하나는 끝나고, 하나는 끝에서 abort",
        ),
        |ex| {
            let big = vec!["abcd"; 24_000].join(" ");
            let big_boom = format!("{big} boom");
            let want = format!("ok {}", big.to_uppercase());
            expect_results(ex, &[&big, "x", &big_boom], &[&want, "ok X", "crashed"])
        },
    );
}
