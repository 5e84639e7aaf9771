// Hidden check for `frame_the_messages`: every command gets exactly one reply, however the bytes are cut into
// writes. The cuts are certain, not likely: the check's client writes a piece, then waits until the server has
// read it (the socket's receive queue is empty again) before writing the next, so the server's `read`s see exactly
// those pieces — half a command, or three commands in one.
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

/// Waits (1 s at most) until the server has read everything sent so far.
fn until_read(server_side: &UnixStream) -> bool {
    let until = Instant::now() + Duration::from_secs(1);
    while unread(server_side) != 0 {
        if Instant::now() > until {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    true
}

/// Runs the check's client against the learner's `serve` in the role `talk`, with `pieces` separated by `|`;
/// fails unless the replies are exactly `expected`.
fn talk(ex: &Exercise, pieces: &[&str], expected: &[&str]) {
    let script = pieces.join("|").replace('\n', "\\n");
    let out = ex.check_role("talk", &[&script]).timeout(secs(3)).run();
    out.expect_success();
    let mut replies = out.lines();
    let served = replies.pop().unwrap_or("");
    let shown: Vec<String> = pieces.iter().map(|p| format!("{p:?}")).collect();
    let shown = shown.join(", ");
    if replies != expected {
        let count = if replies.len() != expected.len() {
            pick(
                format!(
                    " ({} command(s), {} reply line(s)): each command is one line, however the bytes were cut",
                    expected.len(),
                    replies.len()
                ),
                format!(
                    " (명령 {}개, 응답 {}개): 바이트가 어떻게 잘려 왔든, 명령 하나는 한 줄입니다",
                    expected.len(),
                    replies.len()
                ),
            )
        } else {
            String::new()
        };
        out.fail(&pick(
            format!(
                "the client wrote {shown} (each piece read by the server before the next was sent); the replies \
                 should be {expected:?} but were {replies:?}{count}"
            ),
            format!(
                "클라이언트가 {shown}을 썼습니다 (서버가 한 조각을 읽은 뒤에 다음 조각을 보냄). 응답은 {expected:?}여야 \
                 하는데 {replies:?}였습니다{count}"
            ),
        ));
    }
    if served != "serve returned Ok" {
        out.fail(&pick(
            format!("after the client closed its side: {served}"),
            format!("클라이언트가 자기 쪽을 닫은 뒤: {served}"),
        ));
    }
}

pub fn checks(c: &mut Checks) {
    // talk SCRIPT: pieces separated by `|` (`\n` for newlines); prints the replies, then how `serve` ended
    c.role("talk", |args| {
        let pieces: Vec<String> = args[0].split('|').map(|p| p.replace("\\n", "\n")).collect();
        let (mut client, server_side) = UnixStream::pair().expect("a socket pair");
        let probe = server_side.try_clone().expect("a second handle");
        let server = std::thread::spawn(move || serve(server_side));
        for piece in &pieces {
            client
                .write_all(piece.as_bytes())
                .expect("the client writes");
            if !until_read(&probe) {
                eprintln!("the server did not read {piece:?} within a second");
            }
        }
        // The probe is the server's end too: while it is open, the client would never read end-of-file.
        drop(probe);
        client
            .shutdown(std::net::Shutdown::Write)
            .expect("the client shuts down its side");
        client
            .set_read_timeout(Some(Duration::from_millis(1500)))
            .expect("a timeout");
        let mut replies = BufReader::new(&client);
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
    });

    c.process(
        (
            "one command per write, each read before the next is sent: one reply each",
            "쓰기 한 번에 명령 하나, 다음 명령 전에 읽힘: 명령마다 응답 하나",
        ),
        |ex| {
            talk(
                ex,
                &["add 5\n", "add 7\n", "sub 2\n", "total\n"],
                &["total 5", "total 12", "total 10", "total 10"],
            )
        },
    );
    c.process(
        (
            "a command that arrives in two pieces (`ad`, then `d 5`) is one command",
            "두 조각으로 도착한 명령 (`ad`, 그다음 `d 5`)은 명령 하나입니다",
        ),
        |ex| talk(ex, &["ad", "d 5\n", "total\n"], &["total 5", "total 5"]),
    );
    c.process(
        (
            "three commands in one write get three replies",
            "쓰기 한 번에 담긴 명령 셋은 응답 셋을 받습니다",
        ),
        |ex| {
            talk(
                ex,
                &["add 1\nadd 2\nadd 3\n"],
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
                    "add 10\nsu",
                    "b 3\nadd",
                    " 4",
                    "\ntotal\nadd 1\n",
                    "bogus\n",
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
}
