// Known-wrong: fills the global `WORDS` *before* starting the worker, as if the child inherited the parent's
// memory. It does not: the worker is a fresh program whose `WORDS` starts empty (and even a `fork`ed child would
// only get a copy — nothing written later would reach it).

use std::io::{self, Write};
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// Where the parent leaves the words for the worker.
static WORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Has a worker process print `words` in capital letters; returns the lines it printed.
pub fn shout_in_child(words: &[&str]) -> io::Result<Vec<String>> {
    WORDS
        .lock()
        .unwrap()
        .extend(words.iter().map(|w| w.to_string()));
    let child = Command::new(std::env::current_exe()?)
        .arg("worker")
        .stdout(Stdio::piped())
        .spawn()?;
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

/// The worker: prints every word it was given, in capital letters, one per line.
fn worker() -> io::Result<()> {
    let mut out = io::stdout().lock();
    for word in WORDS.lock().unwrap().iter() {
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
