// Known-wrong: the server creates the path as an ordinary file (`File::create`) instead of a FIFO. Reading a
// regular file does not wait for a writer: the server reads what is there (nothing) and ends at once.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// The server: makes the FIFO at `path`, returns the lines clients write into it until end-of-file.
pub fn serve(path: &Path) -> io::Result<Vec<String>> {
    // Make the file for the clients to open.
    File::create(path)?;
    // Opening for reading blocks until a client opens the FIFO for writing; then read until every writer has
    // closed it (end-of-file).
    let lines = File::open(path).and_then(|fifo| BufReader::new(fifo).lines().collect());
    // The name stays in the file system until it is removed: remove it whether reading worked or not.
    std::fs::remove_file(path)?;
    lines
}

/// A client: writes `lines` into the server's FIFO at `path`, one line per write.
pub fn send(path: &Path, lines: &[&str]) -> io::Result<()> {
    // The server may not have made the FIFO yet: wait for it (a while). Open for writing only — no `create`:
    // only the server makes the FIFO. Opening blocks until the server has opened it for reading.
    let give_up = Instant::now() + Duration::from_secs(5);
    let mut fifo = loop {
        match OpenOptions::new().write(true).open(path) {
            Ok(fifo) => break fifo,
            Err(e) if e.kind() == io::ErrorKind::NotFound && Instant::now() < give_up => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(e),
        }
    };
    for line in lines {
        // One write per line: a line of at most PIPE_BUF bytes never mixes with another client's.
        fifo.write_all(format!("{line}\n").as_bytes())?;
    }
    Ok(())
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [role, path] if role == "server" => {
            for line in serve(Path::new(path))? {
                println!("got {line}");
            }
            Ok(())
        }
        [role, path, lines @ ..] if role == "client" => {
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            send(Path::new(path), &lines)
        }
        _ => Err(io::Error::other(
            "usage: make_the_fifo server PATH | make_the_fifo client PATH LINE…",
        )),
    }
}
