// Known-wrong: passes the words through the worker's stdin, but keeps the write end open while it reads the
// worker's output. The worker reads until end-of-file, which never comes: the parent waits for the worker's
// output, the worker for the parent's end-of-file.

use std::io::{self, BufRead, Read, Write};
use std::process::{Command, Stdio};

/// Has a worker process print `words` in capital letters; returns the lines it printed.
pub fn shout_in_child(words: &[&str]) -> io::Result<Vec<String>> {
    let mut child = Command::new(std::env::current_exe()?)
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut to_worker = child.stdin.take().expect("stdin is piped");
    for word in words {
        writeln!(to_worker, "{word}")?;
    }
    to_worker.flush()?;
    let mut printed = String::new();
    child
        .stdout
        .take()
        .expect("stdout is piped")
        .read_to_string(&mut printed)?;
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("the worker failed: {status}")));
    }
    Ok(printed.lines().map(str::to_string).collect())
}

/// The worker: prints every word it reads from stdin, in capital letters, one per line.
fn worker() -> io::Result<()> {
    let mut out = io::stdout().lock();
    for word in io::stdin().lock().lines() {
        writeln!(out, "{}", word?.to_uppercase())?;
    }
    out.flush()
}

fn main() -> io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("worker") {
        return worker();
    }
    let lines = shout_in_child(&["one", "two", "three"])?;
    println!("the worker printed {lines:?}");
    Ok(())
}
