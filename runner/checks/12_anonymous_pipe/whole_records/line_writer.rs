// Known-wrong: refuses long records and wraps `out` in a `LineWriter`, trusting it to write each line at once. It
// does not: it writes what it had buffered and then the part up to the newline with separate calls (and a piece
// longer than its buffer goes straight through).

use std::fs::File;
use std::io::{self, BufRead, BufReader, LineWriter, Write};
use std::os::fd::AsFd;
use std::process::Command;

/// The most bytes one `write` puts into a pipe in one piece (POSIX: at least 512; Linux: 4096).
pub const PIPE_BUF: usize = 4096;

/// Sends one record, `"{worker} {seq} {text}\n"`, to `out`.
pub fn send_record(out: &mut impl Write, worker: usize, seq: usize, text: &str) -> io::Result<()> {
    if format!("{worker} {seq} {text}\n").len() > PIPE_BUF {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "longer than PIPE_BUF",
        ));
    }
    // A line at a time.
    let mut lines = LineWriter::new(out);
    writeln!(lines, "{worker} {seq} {text}")?;
    lines.flush()
}

/// The text of record `seq` of `worker`: one letter per worker, between 1 and 4000 of them.
fn text_of(worker: usize, seq: usize) -> String {
    let letter = char::from(b'a' + (worker % 26) as u8);
    letter
        .to_string()
        .repeat(1 + (seq * 997 + worker * 131) % 4000)
}

/// A worker: sends `count` records to its stdout, which is the shared pipe.
fn worker(id: usize, count: usize) -> io::Result<()> {
    // Unbuffered, straight to file descriptor 1: every `write` call is one system call.
    let mut out = File::from(io::stdout().as_fd().try_clone_to_owned()?);
    for seq in 0..count {
        send_record(&mut out, id, seq, &text_of(id, seq))?;
    }
    Ok(())
}

/// The collector: one pipe, three workers writing into it, and a count of the records that arrived broken.
fn collect(workers: usize, count: usize) -> io::Result<()> {
    let (read_end, write_end) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    let me = std::env::current_exe()?;
    let mut children = Vec::new();
    for id in 0..workers {
        // Every worker gets a copy of the same write end as its stdout.
        children.push(
            Command::new(&me)
                .args(["worker", &id.to_string(), &count.to_string()])
                .stdout(write_end.try_clone()?)
                .spawn()?,
        );
    }
    drop(write_end); // ours: the workers' copies are the only ones left, so end-of-file comes when they are done
    let (mut whole, mut broken) = (0, 0);
    for line in BufReader::new(File::from(read_end)).lines() {
        let line = line?;
        let mut parts = line.splitn(3, ' ');
        let ok = match (parts.next(), parts.next(), parts.next()) {
            (Some(w), Some(s), Some(text)) => match (w.parse(), s.parse()) {
                (Ok(w), Ok(s)) => text == text_of(w, s),
                _ => false,
            },
            _ => false,
        };
        if ok { whole += 1 } else { broken += 1 }
    }
    for mut child in children {
        child.wait()?;
    }
    println!("{whole} records arrived whole, {broken} lines were broken");
    Ok(())
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, id, count] = args.as_slice() {
        if mode != "worker" {
            return Err(io::Error::other("usage: whole_records [worker ID COUNT]"));
        }
        let (id, count) = (id.parse(), count.parse());
        return worker(
            id.map_err(io::Error::other)?,
            count.map_err(io::Error::other)?,
        );
    }
    collect(3, 2000)
}
