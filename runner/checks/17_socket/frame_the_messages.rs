// Hidden check for `frame_the_messages`: every command gets exactly one reply, however the bytes are cut into
// writes. The cuts are certain, not likely: the check's client writes a piece, then waits until the server has
// read it (the socket's receive queue is empty again) before writing the next, so the server's `read`s see exactly
// those pieces — half a command, or three commands in one.
//
// requirement (header)                                        → check
// one reply line per command, in order                        → "one command per write", "three commands in one write"
// a command cut in two is one command                         → "a command that arrives in two pieces", "cut anywhere"
// the reader keeps bytes after a newline for the next line    → "three commands in one write", "2000 commands"
// waits for more when a line is not complete (no timeout)     → "a pause in the middle of a command"
// bytes, not characters: a cut inside a UTF-8 character       → "a cut inside a character"
// past std's 8 KiB buffer: many commands, one long line       → "2000 commands and a 9000-byte command"
// each command answered when it arrives (not at the end,      → "a client that waits for each reply"
//   not buffered until the connection closes)
// a total per client; `serve` called for two clients at once  → "two clients at once"
// `serve` returns Ok once the client closes its side          → every `talk`/`converse` check
// the demo (`main`) prints the five expected totals           → "the demo program"
use super::*;
use conc_check::prelude::*;
use conc_check::process::{Exercise, pick, secs};
use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

/// Bytes waiting in `socket`'s receive queue (FIONREAD).
fn unread(socket: &UnixStream) -> i32 {
    let mut n: nix::libc::c_int = 0;
    // SAFETY: FIONREAD writes one int.
    let r = unsafe { nix::libc::ioctl(socket.as_raw_fd(), nix::libc::FIONREAD, &mut n) };
    if r < 0 { -1 } else { n }
}

/// Waits until the server has read everything sent so far, however long that takes on a loaded machine (with a
/// time cap, two pieces could arrive together and a framing bug pass); false if the socket is gone. A server that
/// never reads is stopped by the role's time limit.
fn until_read(server_side: &UnixStream) -> bool {
    loop {
        match unread(server_side) {
            0 => return true,
            n if n < 0 => return false,
            _ => std::thread::sleep(Duration::from_micros(200)),
        }
    }
}

/// One step of a `talk` script: bytes to write, or a pause (in milliseconds) after the last piece was read.
enum Step<'a> {
    Bytes(&'a [u8]),
    Pause(u64),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// How a piece is shown in a message: short pieces whole, long ones by their start and length.
fn show_piece(bytes: &[u8]) -> String {
    if bytes.len() <= 40 {
        format!("\"{}\"", bytes.escape_ascii())
    } else {
        pick(
            format!(
                "\"{}…\" ({} bytes)",
                bytes[..16].escape_ascii(),
                bytes.len()
            ),
            format!(
                "\"{}…\" ({}바이트)",
                bytes[..16].escape_ascii(),
                bytes.len()
            ),
        )
    }
}

/// Fails unless `replies` are `expected`, naming the first that differs.
fn compare(
    out: &conc_check::process::RoleOutput,
    setting: &str,
    replies: &[&str],
    expected: &[&str],
) {
    if replies == expected {
        return;
    }
    let i = (0..replies.len().max(expected.len()))
        .find(|&i| replies.get(i) != expected.get(i))
        .unwrap_or(0);
    let show =
        |s: Option<&&str>| s.map_or(tr("(none)", "(없음)").to_string(), |s| format!("{s:?}"));
    let whole = if expected.len() <= 8 {
        pick(
            format!("; all replies: {replies:?}, expected {expected:?}"),
            format!("; 전체 응답: {replies:?}, 기대한 응답 {expected:?}"),
        )
    } else {
        String::new()
    };
    out.fail(&pick(
        format!(
            "{setting}: reply {} should be {} but was {} ({} command(s), {} reply line(s); each command is one \
             line, however the bytes were cut){whole}",
            i + 1,
            show(expected.get(i)),
            show(replies.get(i)),
            expected.len(),
            replies.len()
        ),
        format!(
            "{setting}: {}번째 응답은 {}여야 하는데 {}였습니다 (명령 {}개, 응답 {}줄; 바이트가 어떻게 잘려 왔든 명령 \
             하나는 한 줄입니다){whole}",
            i + 1,
            show(expected.get(i)),
            show(replies.get(i)),
            expected.len(),
            replies.len()
        ),
    ));
}

fn served_ok(out: &conc_check::process::RoleOutput, served: &str) {
    if served != "serve returned Ok" {
        out.fail(&pick(
            format!("after the client closed its side: {served}"),
            format!("클라이언트가 자기 쪽을 닫은 뒤: {served}"),
        ));
    }
}

/// Runs the check's client against the learner's `serve` in the role `talk`; fails unless the replies are
/// exactly `expected`.
fn talk(ex: &Exercise, steps: &[Step], expected: &[&str]) {
    let args: Vec<String> = steps
        .iter()
        .map(|s| match s {
            Step::Bytes(b) => format!("w{}", hex(b)),
            Step::Pause(ms) => format!("p{ms}"),
        })
        .collect();
    let out = ex
        .check_role("talk", &[])
        .stdin(args.join("\n"))
        .timeout(secs(3))
        .run();
    out.expect_success();
    let mut replies = out.lines();
    let served = replies.pop().unwrap_or("");
    let shown: Vec<String> = steps
        .iter()
        .map(|s| match s {
            Step::Bytes(b) => show_piece(b),
            Step::Pause(ms) => pick(format!("(a {ms} ms pause)"), format!("({ms}ms 멈춤)")),
        })
        .collect();
    let setting = pick(
        format!(
            "the client wrote {} (each piece read by the server before the next was sent)",
            shown.join(", ")
        ),
        format!(
            "클라이언트가 다음 조각들을 썼습니다: {} (서버가 한 조각을 읽은 뒤에 다음 조각을 보냄)",
            shown.join(", ")
        ),
    );
    compare(&out, &setting, &replies, expected);
    served_ok(&out, served);
}

/// Reads one reply line (1 s at most); `None` when none came.
fn reply_of(replies: &mut BufReader<&UnixStream>) -> Option<String> {
    let mut line = String::new();
    match replies.read_line(&mut line) {
        Ok(n) if n > 0 && line.ends_with('\n') => Some(line.trim_end_matches('\n').to_string()),
        _ => None,
    }
}

/// After the client shut its side down: the rest of the replies, then how `serve` ended.
fn finish(
    replies: &mut BufReader<&UnixStream>,
    server: std::thread::JoinHandle<std::io::Result<()>>,
) {
    let mut line = String::new();
    loop {
        line.clear();
        match replies.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => print!("{line}"),
            Err(_) => {
                println!("serve did not return after the client closed its side");
                return;
            }
        }
    }
    match server.join() {
        Ok(Ok(())) => println!("serve returned Ok"),
        Ok(Err(e)) => println!("serve returned an error: {e}"),
        Err(_) => println!("serve panicked"),
    }
}

/// A client on its own connection to a fresh `serve` thread.
fn connect() -> (UnixStream, std::thread::JoinHandle<std::io::Result<()>>) {
    let (client, server_side) = UnixStream::pair().expect("a socket pair");
    let server = std::thread::spawn(move || serve(server_side));
    client
        .set_read_timeout(Some(Duration::from_millis(1000)))
        .expect("a timeout");
    (client, server)
}

pub fn checks(c: &mut Checks) {
    // talk, with one step a line on stdin: `w<hex>` writes those bytes (then waits until the server has read them), `p<ms>` pauses;
    // prints the replies, then how `serve` ended
    c.role("talk", |_| {
        let (mut client, server_side) = UnixStream::pair().expect("a socket pair");
        let probe = server_side.try_clone().expect("a second handle");
        let server = std::thread::spawn(move || serve(server_side));
        // The replies are read as they come (a server that answers 2000 commands fills the socket's buffer).
        client
            .set_read_timeout(Some(Duration::from_millis(2000)))
            .expect("a timeout");
        let reader = client.try_clone().expect("a second handle");
        let replies = std::thread::spawn(move || {
            let mut replies = BufReader::new(&reader);
            let mut lines = Vec::new();
            let mut line = String::new();
            loop {
                line.clear();
                match replies.read_line(&mut line) {
                    Ok(0) => return (lines, true),
                    Ok(_) => lines.push(line.clone()),
                    Err(_) => return (lines, false),
                }
            }
        });
        let mut script = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut script).expect("the script");
        for step in script.lines() {
            if let Some(ms) = step.strip_prefix('p') {
                std::thread::sleep(Duration::from_millis(ms.parse().expect("a pause")));
                continue;
            }
            let piece = unhex(&step[1..]);
            client.write_all(&piece).expect(tr("the client writes", "클라이언트가 쓰지 못했습니다"));
            if !until_read(&probe) {
                eprintln!(
                    "{}",
                    pick(
                        format!("the server's socket was gone before it read {}", show_piece(&piece)),
                        format!("서버의 소켓이 다음 조각을 읽기 전에 사라졌습니다: {}", show_piece(&piece)),
                    )
                );
            }
        }
        // The probe is the server's end too: while it is open, the client would never read end-of-file.
        drop(probe);
        client
            .shutdown(std::net::Shutdown::Write)
            .expect(tr("the client shuts down its side", "클라이언트가 자기 쪽을 닫지(shutdown) 못했습니다"));
        let (lines, ended) = replies.join().expect("the reader");
        for line in lines {
            print!("{line}");
        }
        if !ended {
            println!("serve did not return after the client closed its side");
            return;
        }
        match server.join() {
            Ok(Ok(())) => println!("serve returned Ok"),
            Ok(Err(e)) => println!("serve returned an error: {e}"),
            Err(_) => println!("serve panicked"),
        }
    });

    // converse CLIENT:COMMAND…: each command is written by client `a` or `b` (each on its own connection, served
    // at the same time), which then waits (1 s at most) for its reply before anything else is sent; prints
    // `CLIENT:REPLY` lines, `CLIENT:-` for a reply that did not come, then each client's end
    c.role("converse", |args| {
        let (a, a_server) = connect();
        let (b, b_server) = connect();
        let mut a_replies = BufReader::new(&a);
        let mut b_replies = BufReader::new(&b);
        for step in args {
            let (who, command) = step.split_once(':').expect("CLIENT:COMMAND");
            let (mut stream, replies) = if who == "a" {
                (&a, &mut a_replies)
            } else {
                (&b, &mut b_replies)
            };
            stream
                .write_all(format!("{command}\n").as_bytes())
                .expect(tr("the client writes", "클라이언트가 쓰지 못했습니다"));
            match reply_of(replies) {
                Some(reply) => println!("{who}:{reply}"),
                None => {
                    println!("{who}:-");
                    return;
                }
            }
        }
        for (who, stream, replies, server) in [
            ("a", &a, &mut a_replies, a_server),
            ("b", &b, &mut b_replies, b_server),
        ] {
            stream
                .shutdown(std::net::Shutdown::Write)
                .expect(tr("the client shuts down its side", "클라이언트가 자기 쪽을 닫지(shutdown) 못했습니다"));
            print!("{who}:");
            finish(replies, server);
        }
    });

    c.process(
        (
            "one command per write, each read before the next is sent: one reply each",
            "쓰기 한 번에 명령 하나, 다음 명령 전에 읽힘: 명령마다 응답 하나",
        ),
        |ex| {
            talk(
                ex,
                &[
                    Step::Bytes(b"add 5\n"),
                    Step::Bytes(b"add 7\n"),
                    Step::Bytes(b"sub 2\n"),
                    Step::Bytes(b"total\n"),
                ],
                &["total 5", "total 12", "total 10", "total 10"],
            )
        },
    );
    c.process(
        (
            "a command that arrives in two pieces (`ad`, then `d 5`) is one command",
            "두 조각으로 도착한 명령 (`ad`, 그다음 `d 5`)은 명령 하나입니다",
        ),
        |ex| {
            talk(
                ex,
                &[
                    Step::Bytes(b"ad"),
                    Step::Bytes(b"d 5\n"),
                    Step::Bytes(b"total\n"),
                ],
                &["total 5", "total 5"],
            )
        },
    );
    c.process(
        (
            "three commands in one write get three replies",
            "쓰기 한 번에 담긴 명령 셋은 응답 셋을 받습니다",
        ),
        |ex| {
            talk(
                ex,
                &[Step::Bytes(b"add 1\nadd 2\nadd 3\n")],
                &["total 1", "total 3", "total 6"],
            )
        },
    );
    c.process(
        (
            "commands cut anywhere, several per write: one reply per command, in order",
            "아무 데서나 잘리고, 쓰기 한 번에 여럿: 명령마다 응답 하나, 순서대로",
        ),
        |ex| {
            talk(
                ex,
                &[
                    Step::Bytes(b"add 10\nsu"),
                    Step::Bytes(b"b 3\nadd"),
                    Step::Bytes(b" 4"),
                    Step::Bytes(b"\ntotal\nadd 1\n"),
                    Step::Bytes(b"bogus\n"),
                ],
                &[
                    "total 10",
                    "total 7",
                    "total 11",
                    "total 11",
                    "total 12",
                    "error: unknown command \"bogus\"",
                ],
            )
        },
    );
    c.process(
        (
            "a pause in the middle of a command (300 ms after `su`) does not end it",
            "명령 한가운데의 멈춤 (`su` 뒤 300밀리초)은 명령을 끝내지 않습니다",
        ),
        |ex| {
            talk(
                ex,
                &[
                    Step::Bytes(b"add 10\nsu"),
                    Step::Pause(300),
                    Step::Bytes(b"b 3\n"),
                    Step::Bytes(b"total\n"),
                ],
                &["total 10", "total 7", "total 7"],
            )
        },
    );
    c.process(
        (
            "a cut inside a character (`é` is two bytes) is still one command",
            "글자 한가운데의 자름 (`é`는 2바이트)도 명령 하나입니다",
        ),
        |ex| {
            talk(
                ex,
                &[
                    Step::Bytes(b"add 2\nsub \xc3"),
                    Step::Bytes(b"\xa9\ntot"),
                    Step::Bytes(b"al\n"),
                ],
                &["total 2", "error: not a number: \"é\"", "total 2"],
            )
        },
    );
    c.process(
        (
            "2000 commands in one write, then a 9000-byte command (past a BufReader's 8 KiB buffer)",
            "쓰기 한 번에 명령 2,000개, 그다음 9,000바이트짜리 명령 (BufReader의 8KiB 버퍼보다 큼)",
        ),
        |ex| {
            let many = "add 1\n".repeat(2000);
            let long = format!("add {}7\n", "0".repeat(9000));
            let mut expected: Vec<String> = (1..=2000).map(|n| format!("total {n}")).collect();
            expected.push("total 2007".to_string());
            let expected: Vec<&str> = expected.iter().map(|s| s.as_str()).collect();
            talk(
                ex,
                &[
                    Step::Bytes(many.as_bytes()),
                    Step::Bytes(&long.as_bytes()[..4500]),
                    Step::Bytes(&long.as_bytes()[4500..]),
                ],
                &expected,
            )
        },
    );
    c.process(
        (
            "a client that waits for each reply before sending the next command gets it",
            "응답을 받고 나서 다음 명령을 보내는 클라이언트도 응답을 받습니다",
        ),
        |ex| {
            converse(
                ex,
                &["a:add 5", "a:sub 2", "a:total"],
                &["total 5", "total 3", "total 3"],
                &[],
            )
        },
    );
    c.process(
        (
            "two clients at once, each waiting for its replies: each has its own total",
            "동시에 두 클라이언트, 각자 응답을 기다림: 저마다 자기 합계가 있습니다",
        ),
        |ex| {
            converse(
                ex,
                &[
                    "a:add 5",
                    "b:add 100",
                    "a:add 1",
                    "b:sub 1",
                    "a:total",
                    "b:total",
                ],
                &["total 5", "total 6", "total 6"],
                &["total 100", "total 99", "total 99"],
            )
        },
    );
    c.process(("the demo program", "데모 프로그램"), |ex| {
        let out = ex.run(&[], secs(3));
        out.expect_success();
        let got = "got: total 10, total 7, total 11, total 11, total 12";
        if !out.lines().contains(&got) {
            out.fail(&pick(
                format!("`main` should print {got:?}"),
                format!("`main`이 출력해야 하는 것: {got:?}"),
            ));
        }
    });
}

/// Runs `converse` with `steps`; fails unless client `a` got `a_expected` and `b` got `b_expected`.
fn converse(ex: &Exercise, steps: &[&str], a_expected: &[&str], b_expected: &[&str]) {
    let out = ex.check_role("converse", steps).timeout(secs(3)).run();
    out.expect_success();
    let lines = out.lines();
    if let Some(at) = lines.iter().position(|l| l.ends_with(":-")) {
        let step = steps.get(at).copied().unwrap_or("");
        let (who, command) = step.split_once(':').unwrap_or(("a", step));
        out.fail(&pick(
            format!(
                "client {who} sent {command:?} and waited for its reply before sending anything else; no reply came \
                 within a second. Answer each command as soon as its line has arrived (and flush what you buffer)"
            ),
            format!(
                "{who} 클라이언트가 {command:?} 명령을 보내고, 다른 것을 보내기 전에 응답을 기다렸습니다. 1초 안에 응답이 \
                 오지 않았습니다. 줄이 도착하는 대로 명령마다 바로 답하세요 (버퍼에 모은 것은 flush하세요)"
            ),
        ));
    }
    for (who, expected) in [("a", a_expected), ("b", b_expected)] {
        let prefix = format!("{who}:");
        let mut replies: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.strip_prefix(&prefix))
            .collect();
        let served = replies.pop().unwrap_or("");
        let mut sent: Vec<&str> = steps
            .iter()
            .filter_map(|s| s.strip_prefix(&prefix))
            .collect();
        if sent.is_empty() {
            sent.push("(nothing)");
        }
        let setting = pick(
            format!(
                "client {who} sent {sent:?}, one at a time, each after the reply to the one before"
            ),
            format!("{who} 클라이언트가 {sent:?} 명령들을 하나씩, 앞 명령의 응답을 받은 뒤에 보냈습니다"),
        );
        compare(&out, &setting, &replies, expected);
        served_ok(&out, served);
    }
}
