// Hidden check for `connect_siblings`: `left | right` between two sibling processes ends when it should — `right`
// sees end-of-file after the last number, and `left` stops when `right` stops reading — with more data than the
// pipe holds, so both must run at the same time.
//
// | requirement (header)                                          | check                                         |
// |---------------------------------------------------------------|-----------------------------------------------|
// | `right` sees end-of-file once `left` is done (parent closes   | `numbers 3 | count`; `numbers 100000 | count` |
// |   its write end), with more data than the pipe holds          |   (588 895 bytes)                             |
// | `left` learns `right` stopped reading (parent closes its read | `numbers | first`                             |
// |   end)                                                        |                                               |
// | returns what `right` printed, all of it                       | `numbers 3 | numbers 100000` (588 895 bytes)  |
// | … once both have ended: no child left running or unreaped     | after every pipe_two, the helper process has  |
// |                                                               |   no child left (waitpid(-1, WNOHANG))        |
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, ProcessFailure, explain_timeout, pick, secs};

/// What the helper prints for what `right` printed: the text, or its length, line count and last line if long.
fn describe(printed: &str) -> String {
    if printed.len() <= 1000 {
        return printed.to_string();
    }
    let last = printed.lines().last().unwrap_or("");
    format!(
        "{} bytes, {} lines, the last {last:?}\n",
        printed.len(),
        printed.lines().count()
    )
}

/// Runs `pipe_two(left, right)` in a helper process and checks what it returned.
fn expect_pipeline(ex: &Exercise, left: &[&str], right: &[&str], expected: &str) {
    let mut args = left.to_vec();
    args.push("|");
    args.extend_from_slice(right);
    let out = ex.check_role("pipeline", &args).timeout(secs(3)).run();
    if let Some(child) = out
        .stderr()
        .lines()
        .find_map(|l| l.strip_prefix("left a child: "))
    {
        out.fail(&pick(
            format!(
                "pipe_two returned, but one of its children ({child}) had not been waited for. pipe_two returns once \
                 both children have ended: wait for `left` too, or it is left running (or, once it ends, a zombie \
                 until this process reaps it)."
            ),
            format!(
                "pipe_two가 돌아왔는데, 자식 하나({child})를 아무도 기다리지 않았습니다. pipe_two는 두 자식이 모두 \
                 끝난 뒤에 돌아와야 합니다. `left`도 기다리세요. 그러지 않으면 계속 돌고 있거나, 끝난 뒤에는 이 프로세스가 \
                 거둘 때까지 좀비로 남습니다."
            ),
        ));
    }
    let expected = describe(expected);
    out.expect_success().expect_lines(
        &[expected.trim_end()],
        &format!(
            "{} `{} | {}`",
            tr("what pipe_two returned for", "pipe_two가 돌려준 값:"),
            left.join(" "),
            right.join(" ")
        ),
    );
}

pub fn checks(c: &mut Checks) {
    // pipeline LEFT… | RIGHT… — calls the learner's `pipe_two` and prints what it returned.
    c.role("pipeline", |args| {
        let bar = args.iter().position(|a| a == "|").expect("a `|` argument");
        let left: Vec<&str> = args[..bar].iter().map(String::as_str).collect();
        let right: Vec<&str> = args[bar + 1..].iter().map(String::as_str).collect();
        match pipe_two(&left, &right) {
            Ok(printed) => {
                // Both children must have ended and been reaped: this process has no child left.
                use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
                match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
                    Err(nix::errno::Errno::ECHILD) => {}
                    Ok(WaitStatus::StillAlive) => {
                        eprintln!("{}", tr("left a child: still running", "거두지 않은 자식: 아직 실행 중"));
                        std::process::exit(1);
                    }
                    other => {
                        eprintln!(
                            "{} ({other:?})",
                            tr("left a child: ended, never waited for", "거두지 않은 자식: 끝났지만 아무도 기다리지 않음")
                        );
                        std::process::exit(1);
                    }
                }
                print!("{}", describe(&printed));
            }
            Err(e) => {
                eprintln!("{}: {e}", tr("pipe_two returned an error", "pipe_two가 오류를 돌려주었습니다"));
                std::process::exit(1);
            }
        }
    });

    c.process(
        (
            "`numbers 3 | count` prints 3: `count` sees end-of-file after the last number",
            "`numbers 3 | count`는 3을 출력: 마지막 숫자 다음에 `count`가 EOF를 봅니다",
        ),
        |ex| expect_pipeline(ex, &["numbers", "3"], &["count"], "3"),
    );
    c.process(
        (
            "`numbers 100000 | count` prints 100000: 588 895 bytes, nine times what the pipe holds",
            "`numbers 100000 | count`는 100,000을 출력: 588,895바이트, 파이프가 담는 것의 아홉 배",
        ),
        |ex| expect_pipeline(ex, &["numbers", "100000"], &["count"], "100000"),
    );
    c.process(
        (
            "`numbers | first` prints 1 and ends: when `first` exits, the endless `numbers` is told (EPIPE)",
            "`numbers | first`는 1을 출력하고 끝남: `first`가 끝나면 끝없는 `numbers`가 그것을 압니다 (EPIPE)",
        ),
        |ex| {
            let message = pick(
                "`first` has exited, but the endless `numbers` goes on: it writes into a full pipe and waits. A \
                 writer is told that nobody will read any more (EPIPE, or SIGPIPE) only when every read end of the \
                 pipe is closed, in every process."
                    .to_string(),
                "`first`는 끝났는데 끝없는 `numbers`는 계속됩니다. 가득 찬 파이프에 쓰며 기다립니다. 쓰는 쪽은 모든 \
                 프로세스에서 파이프의 읽기 끝이 모두 닫혀야만 더 읽을 이가 없다는 것(EPIPE 또는 SIGPIPE)을 알게 됩니다."
                    .to_string(),
            );
            explain_timeout(message, || {
                expect_pipeline(ex, &["numbers"], &["first"], "1")
            })
        },
    );
    c.process(
        (
            "`numbers 3 | numbers 100000`: all that `right` printed comes back (588 895 bytes)",
            "`numbers 3 | numbers 100000`: `right`가 출력한 것이 모두 돌아옵니다 (588,895바이트)",
        ),
        |ex| {
            let all: String = (1..=100_000).map(|i| format!("{i}\n")).collect();
            expect_pipeline(ex, &["numbers", "3"], &["numbers", "100000"], &all)
        },
    );
}
