// Hidden check for `build_a_pipe_pair`: requests and replies travel on two pipes, the child sees end-of-file
// when the parent is done, and a payload many times the pipe buffer goes through without a deadlock.
use super::*;
use conc_check::prelude::*;
use conc_check::process::secs;

/// What the check sends through `echo_big`: lower-case letters in lines of 64.
fn payload(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| {
            if i % 64 == 63 {
                b'\n'
            } else {
                b'a' + (i % 26) as u8
            }
        })
        .collect()
}

/// FNV-1a, so that the helper prints one line about a megabyte instead of the megabyte.
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn or_exit<T>(result: std::io::Result<T>, what: &str) -> T {
    result.unwrap_or_else(|e| {
        eprintln!("{what}: {e}");
        std::process::exit(1)
    })
}

pub fn checks(c: &mut Checks) {
    // The parent: a helper process that calls the learner's `talk` or `echo_big` (reported as `parent talk 1`…).
    c.role("parent", |args| {
        let number: usize = args[1].parse().expect("a number");
        match args[0].as_str() {
            "talk" => {
                for reply in or_exit(talk(number), &format!("talk({number}) returned an error")) {
                    println!("{reply}");
                }
            }
            _ => {
                let echoed = or_exit(echo_big(&payload(number)), "echo_big returned an error");
                println!("{} {:016x}", echoed.len(), fingerprint(&echoed));
            }
        }
    });

    c.process(
        (
            "one request, one reply: `ping 0` comes back as `PING 0`",
            "요청 하나, 응답 하나: `ping 0`이 `PING 0`으로 돌아옵니다",
        ),
        |ex| {
            let out = ex
                .check_role("parent", &["talk", "1"])
                .timeout(secs(3))
                .run();
            out.expect_success().expect_lines(
                &["PING 0"],
                tr("what talk(1) returned", "talk(1)이 돌려준 값"),
            );
        },
    );
    c.process(
        (
            "100 round trips, then the child sees end-of-file and exits",
            "왕복 100번, 그다음 자식이 EOF를 보고 끝납니다",
        ),
        |ex| {
            let out = ex
                .check_role("parent", &["talk", "100"])
                .timeout(secs(3))
                .run();
            let expected: Vec<String> = (0..100).map(|i| format!("PING {i}")).collect();
            out.expect_success().expect_lines(
                &expected,
                tr("what talk(100) returned", "talk(100)이 돌려준 값"),
            );
        },
    );
    c.process(
        (
            "1 MiB (16 times the pipe buffer) goes to the child and comes back whole",
            "1 MiB (파이프 버퍼의 16배)가 자식에게 갔다가 고스란히 돌아옵니다",
        ),
        |ex| {
            let len = 1 << 20;
            let out = ex
                .check_role("parent", &["echo_big", &len.to_string()])
                .timeout(secs(3))
                .run();
            let back = payload(len).to_ascii_uppercase();
            let expected = format!("{} {:016x}", back.len(), fingerprint(&back));
            out.expect_success().expect_lines(
                &[expected],
                tr(
                    "length and fingerprint of what echo_big returned",
                    "echo_big이 돌려준 값의 길이와 지문",
                ),
            );
        },
    );
}
