// Hidden check for `build_a_pipe_pair`: requests and replies travel on two pipes, the child sees end-of-file
// when the parent is done, and a payload many times the pipe buffer goes through without a deadlock.
//
// | requirement (header)                                           | check                                         |
// |----------------------------------------------------------------|-----------------------------------------------|
// | two pipes, one per direction: each reply is the child's        | talk(1); talk(100)                            |
// | `talk`: one request at a time, each time waiting for the reply | talk(15 000): over 150 KB of replies, more    |
// |   (sending all first fills both pipes: a deadlock)             |   than both pipe buffers hold together        |
// | the child sees end-of-file once the parent is done             | every talk and echo_big returns (child exits) |
// | `echo_big`: write and read at once, past the 64 KiB buffer     | 1 MiB of text                                 |
// | the echo is bytes, not text                                    | 300 000 bytes of every value 0..=255          |
// | no request, no payload                                         | talk(0); echo_big of 0 bytes                  |
use super::*;
use conc_check::prelude::*;
use conc_check::process::{explain_timeout, pick, secs};

/// What the check sends through `echo_big`: lower-case letters in lines of 64 (`text`), or every byte value in
/// turn, most of them not UTF-8 on their own (`bytes`).
fn payload(kind: &str, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| match kind {
            "bytes" => (i * 7 % 256) as u8,
            _ if i % 64 == 63 => b'\n',
            _ => b'a' + (i % 26) as u8,
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
    // The parent: a helper process that calls the learner's `talk` or `echo_big` (reported as `parent talk 1`…):
    // parent talk N | parent text|bytes LEN.
    c.role("parent", |args| {
        let number: usize = args[1].parse().expect("a number");
        match args[0].as_str() {
            "talk" => {
                for reply in or_exit(talk(number), &pick(format!("talk({number}) returned an error"), format!("talk({number}) 호출이 오류를 돌려주었습니다"))) {
                    println!("{reply}");
                }
            }
            kind => {
                let echoed = or_exit(
                    echo_big(&payload(kind, number)),
                    tr("echo_big returned an error", "echo_big이 오류를 돌려주었습니다"),
                );
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
                tr("what talk(1) returned", "`talk(1)`이 돌려준 값"),
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
                tr("what talk(100) returned", "`talk(100)`이 돌려준 값"),
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
                .check_role("parent", &["text", &len.to_string()])
                .timeout(secs(3))
                .run();
            let back = payload("text", len).to_ascii_uppercase();
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
    c.process(
        (
            "15 000 round trips: more replies than both pipe buffers hold together (over 150 KB)",
            "왕복 15,000번: 두 파이프 버퍼를 합친 것보다 많은 응답 (150 KB 넘게)",
        ),
        |ex| {
            let n = 15_000;
            let out = explain_timeout(
                tr(
                    "talk(15000) never returned. The child answers as it reads; if talk sends requests without reading \
                     the replies, the reply pipe fills (64 KiB), the child stops reading, the request pipe fills, and \
                     both processes wait for ever. Send one request, read its reply, then the next.",
                    "`talk(15000)`이 끝나지 않았습니다. 자식은 읽는 대로 답합니다. talk가 응답을 읽지 않고 요청을 계속 \
                     보내면 응답 파이프가 차고(64 KiB), 자식은 읽기를 멈추고, 요청 파이프가 차서 두 프로세스가 영원히 \
                     기다립니다. 요청 하나를 보내고, 그 응답을 읽고, 그다음 요청을 보내세요.",
                ),
                || {
                    ex.check_role("parent", &["talk", &n.to_string()])
                        .timeout(secs(3))
                        .output_cap(1 << 20)
                        .run()
                },
            );
            let expected: Vec<String> = (0..n).map(|i| format!("PING {i}")).collect();
            out.expect_success().expect_lines(
                &expected,
                tr("what talk(15000) returned", "`talk(15000)`이 돌려준 값"),
            );
        },
    );
    c.process(
        (
            "300 000 bytes of every value 0..=255, most not text: they come back as bytes (capitals for a..z)",
            "0..=255의 모든 값으로 된 300,000바이트 (대부분 텍스트가 아님): 바이트 그대로 돌아옵니다 (a..z는 대문자)",
        ),
        |ex| {
            let len = 300_000;
            let out = ex
                .check_role("parent", &["bytes", &len.to_string()])
                .timeout(secs(3))
                .run();
            let back = payload("bytes", len).to_ascii_uppercase();
            let expected = format!("{} {:016x}", back.len(), fingerprint(&back));
            out.expect_success().expect_lines(
                &[expected],
                tr(
                    "length and fingerprint of what echo_big returned (the payload is bytes, not UTF-8 text)",
                    "echo_big이 돌려준 값의 길이와 지문 (데이터는 UTF-8 텍스트가 아니라 바이트입니다)",
                ),
            );
        },
    );
    c.process(
        (
            "nothing to say: talk(0) and echo_big of 0 bytes return empty, the child exits",
            "할 말이 없음: `talk(0)`과 0바이트 echo_big은 빈 결과를 돌려주고, 자식은 끝납니다",
        ),
        |ex| {
            let out = ex
                .check_role("parent", &["talk", "0"])
                .timeout(secs(3))
                .run();
            out.expect_success().expect_lines(
                &[] as &[&str],
                tr("what talk(0) returned", "`talk(0)`이 돌려준 값"),
            );
            let out = ex
                .check_role("parent", &["text", "0"])
                .timeout(secs(3))
                .run();
            let expected = format!("0 {:016x}", fingerprint(&[]));
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
