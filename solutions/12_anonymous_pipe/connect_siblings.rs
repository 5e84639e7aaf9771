// connect_siblings — anonymous pipe (익명 파이프)
//
// EN: `pipe_two(left, right)` does what a shell does for `left | right`: one pipe, two children — siblings — with
//     the write end as `left`'s stdout and the read end as `right`'s stdin. The parent neither reads nor writes
//     the pipe, and must not keep its ends either: each `Command` holds the end it was given until it is
//     dropped. The solution drops both `Command`s as soon as the children are started. Then `right` sees
//     end-of-file when `left` is done, and `left` gets EPIPE (in C: is killed by SIGPIPE) when `right` stops
//     reading — the last read end is gone.
//
// KO: `pipe_two(left, right)`는 셸이 `left | right`에서 하는 일을 합니다. 파이프 하나를 두고, 형제인 자식 둘에게 쓰기 끝은
//     `left`의 stdout으로, 읽기 끝은 `right`의 stdin으로 줍니다. 부모는 파이프를 읽지도 쓰지도 않고, 그 끝을 쥐고 있어서도
//     안 됩니다. `Command`는 받은 끝을 drop될 때까지 갖고 있습니다. 해답은 자식들이 시작되자마자 두 `Command`를
//     drop합니다. 그러면 `left`가 끝났을 때 `right`가 EOF를 보고, `right`가 읽기를 그만두면 마지막 읽기 끝이
//     사라져서 `left`는 EPIPE를 받습니다 (C에서는 SIGPIPE로 죽습니다).
//
// Run it yourself: `cargo run -p solutions --bin connect_siblings`.
// 직접 실행해 보기: `cargo run -p solutions --bin connect_siblings`.

use std::io::{self, BufRead, Write};
use std::os::fd::OwnedFd;
use std::process::{Command, Stdio};

/// A new pipe, as (read end, write end). `O_CLOEXEC`: a child gets only the ends handed to it as stdin or stdout.
fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    Ok(nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?)
}

/// Runs `left | right` (this program with those arguments, twice) and returns what `right` printed.
pub fn pipe_two(left: &[&str], right: &[&str]) -> io::Result<String> {
    let me = std::env::current_exe()?;
    let (read_end, write_end) = pipe()?;
    let mut producer = Command::new(&me);
    producer.args(left).stdout(write_end);
    let mut consumer = Command::new(&me);
    consumer.args(right).stdin(read_end).stdout(Stdio::piped());
    let mut left_child = producer.spawn()?;
    let right_child = consumer.spawn()?;
    // The children have their ends now. Our copies live in the `Command`s: dropping them closes the write end
    // (so that `right` sees end-of-file once `left` is done) and the read end (so that `left` gets EPIPE once
    // `right` stops reading, instead of filling the pipe and blocking for ever).
    drop(producer);
    drop(consumer);
    let output = right_child.wait_with_output()?;
    left_child.wait()?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "`right` failed: {}",
            output.status
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `numbers [N]`: 1, 2, 3, … (up to N), one per line. Ends quietly when nobody reads any more (EPIPE).
fn numbers(limit: Option<u64>) -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    for i in 1..=limit.unwrap_or(u64::MAX) {
        if let Err(e) = writeln!(out, "{i}") {
            // Rust ignores SIGPIPE, so a write into a pipe without readers fails with EPIPE instead.
            return if e.kind() == io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(e)
            };
        }
    }
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("numbers") => {
            let limit = args.get(1).map(|n| n.parse()).transpose();
            numbers(limit.map_err(io::Error::other)?)
        }
        Some("count") => {
            let lines = io::stdin().lock().lines().count();
            println!("{lines}");
            Ok(())
        }
        Some("first") => {
            let mut line = String::new();
            io::stdin().lock().read_line(&mut line)?;
            print!("{line}");
            Ok(())
        }
        _ => {
            print!(
                "numbers 5 | count  → {}",
                pipe_two(&["numbers", "5"], &["count"])?
            );
            print!(
                "numbers | first    → {}",
                pipe_two(&["numbers"], &["first"])?
            );
            Ok(())
        }
    }
}
