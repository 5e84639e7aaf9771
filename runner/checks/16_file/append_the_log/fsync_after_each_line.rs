// Known-wrong: seeks to the end and writes as before, then `sync_all`s after every line, as if flushing to disk
// ordered the processes. `fsync` makes data durable; it does not stop another process from writing at the same
// offset or between the two writes of one line.

use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::Command;

/// A log file that several processes append lines to.
pub struct Log {
    file: File,
}

impl Log {
    /// Opens the log (creating it if needed) for appending.
    pub fn open(path: &Path) -> io::Result<Log> {
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false) // keep what is in the log
            .open(path)?;
        Ok(Log { file })
    }

    /// Adds `line` (without its newline) at the end of the log.
    pub fn append(&mut self, line: &str) -> io::Result<()> {
        self.file.seek(SeekFrom::End(0))?;
        writeln!(self.file, "{line}")?;
        // Make sure it is on disk before anyone else writes.
        self.file.sync_all()
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
