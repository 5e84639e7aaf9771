// Known-wrong: passes the words in an environment variable, but sets it on the `Command` after `spawn()`. The
// environment is copied into the child when it starts; changing the `Command` afterwards changes nothing for the
// running worker, which finds no `WORDS` variable.

use std::io::{self, Write};
use std::process::{Command, Stdio};

/// Has a worker process print `words` in capital letters; returns the lines it printed.
pub fn shout_in_child(words: &[&str]) -> io::Result<Vec<String>> {
    let mut command = Command::new(std::env::current_exe()?);
    command.arg("worker").stdout(Stdio::piped());
    let child = command.spawn()?;
    command.env("WORDS", words.join(" "));
    let output = child.wait_with_output()?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "the worker failed: {}",
            output.status
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect())
}

/// The worker: prints every word of `$WORDS`, in capital letters, one per line.
fn worker() -> io::Result<()> {
    let mut out = io::stdout().lock();
    let words = std::env::var("WORDS").unwrap_or_default();
    for word in words.split_whitespace() {
        writeln!(out, "{}", word.to_uppercase())?;
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
