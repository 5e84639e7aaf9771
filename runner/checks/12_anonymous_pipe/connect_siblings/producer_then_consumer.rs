// Known-wrong: closes the parent's ends, but runs the producer to its end before starting the consumer. A pipe holds
// 64 KiB: `numbers 100000` fills it, then blocks until someone reads — and the reader is not started until it ends.

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
    // First the producer, to the end; then the consumer reads what it left in the pipe.
    let mut producer = Command::new(&me);
    producer.args(left).stdout(write_end);
    let mut left_child = producer.spawn()?;
    drop(producer);
    left_child.wait()?;
    let mut consumer = Command::new(&me);
    consumer.args(right).stdin(read_end).stdout(Stdio::piped());
    let right_child = consumer.spawn()?;
    drop(consumer);
    let output = right_child.wait_with_output()?;
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
