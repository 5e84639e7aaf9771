// Known-wrong: opens the log in append mode, but still writes each line with `writeln!`, which hands the text
// and the newline to the kernel as two writes: another process's line can land between them.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::process::Command;

/// A log file that several processes append lines to.
pub struct Log {
    file: File,
}

impl Log {
    /// Opens the log (creating it if needed) for appending.
    pub fn open(path: &Path) -> io::Result<Log> {
        // Append mode: before every write the kernel moves this file's offset to the current end of the file and
        // writes there, in one step that no other process's write can come between.
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Log { file })
    }

    /// Adds `line` (without its newline) at the end of the log.
    pub fn append(&mut self, line: &str) -> io::Result<()> {
        // One write for the whole line: `writeln!` may hand the text and the newline to the kernel separately,
        // and another process's line could land between them. (For a regular file, one `write` of a few
        // bytes is done whole; `write_all` only loops if it is not.)
        writeln!(self.file, "{line}")
    }
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [role, path, worker, lines] = args.as_slice() {
        if role != "worker" {
            return Err(io::Error::other(
                "usage: append_the_log [worker PATH WORKER LINES]",
            ));
        }
        let mut log = Log::open(Path::new(path))?;
        let lines: usize = lines.parse().map_err(io::Error::other)?;
        for i in 0..lines {
            log.append(&format!("worker {worker}: event {i}"))?;
        }
        return Ok(());
    }
    let path = std::env::temp_dir().join(format!("append_the_log-{}.log", std::process::id()));
    let (workers, lines) = (4, 2000);
    let mut children = Vec::new();
    for w in 0..workers {
        children.push(
            Command::new(std::env::current_exe()?)
                .arg("worker")
                .arg(&path)
                .arg(w.to_string())
                .arg(lines.to_string())
                .spawn()?,
        );
    }
    for mut child in children {
        child.wait()?;
    }
    let text = std::fs::read_to_string(&path)?;
    let whole = text
        .lines()
        .filter(|l| l.starts_with("worker ") && l.matches("worker").count() == 1)
        .count();
    println!(
        "{workers} workers wrote {} lines; the log holds {whole} whole lines ({} bytes)",
        workers * lines,
        text.len()
    );
    std::fs::remove_file(&path)
}
