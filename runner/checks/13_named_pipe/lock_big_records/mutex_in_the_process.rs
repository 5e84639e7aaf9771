// Known-wrong: a `Mutex` around the write. It lives in this process's memory: every writer process has its own,
// takes it without ever waiting, and writes into the middle of another writer's record all the same.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::process::Command;

use std::sync::Mutex;

/// The size of a record, newline included: more than PIPE_BUF (4096).
pub const RECORD: usize = 10 * 1024;

/// Record `seq` of `writer`: `"{writer} {seq} "`, letters up to `RECORD - 1` bytes, and a newline.
pub fn record(writer: &str, seq: usize) -> Vec<u8> {
    let mut bytes = format!("{writer} {seq} ").into_bytes();
    let letter = writer.bytes().next().unwrap_or(b'x').to_ascii_lowercase();
    bytes.resize(RECORD - 1, letter);
    bytes.push(b'\n');
    bytes
}

/// One writer at a time.
static WRITING: Mutex<()> = Mutex::new(());

/// Writes record `seq` of `writer` into the FIFO, whole.
pub fn send_record(fifo: &mut File, writer: &str, seq: usize) -> io::Result<()> {
    let record = record(writer, seq);
    let _writing = WRITING.lock().unwrap();
    fifo.write_all(&record)
}

/// A writer: opens the FIFO for writing and sends `count` records.
fn writer(path: &str, name: &str, count: usize) -> io::Result<()> {
    let mut fifo = OpenOptions::new().write(true).open(path)?;
    for seq in 0..count {
        send_record(&mut fifo, name, seq)?;
    }
    Ok(())
}

/// A collector with two writers: counts the lines that are not whole records.
fn demo() -> io::Result<()> {
    let path = std::env::temp_dir().join(format!("lock_big_records-{}", std::process::id()));
    nix::unistd::mkfifo(
        &path,
        nix::sys::stat::Mode::S_IRUSR | nix::sys::stat::Mode::S_IWUSR,
    )?;
    let me = std::env::current_exe()?;
    let mut writers = Vec::new();
    for name in ["A", "B"] {
        writers.push(
            Command::new(&me)
                .arg("writer")
                .arg(&path)
                .args([name, "200"])
                .spawn()?,
        );
    }
    let (mut whole, mut broken) = (0, 0);
    for line in BufReader::new(File::open(&path)?).split(b'\n') {
        let mut line = line?;
        line.push(b'\n');
        let mut fields = line.split(|&b| b == b' ');
        let writer = String::from_utf8_lossy(fields.next().unwrap_or_default()).into_owned();
        let seq = String::from_utf8_lossy(fields.next().unwrap_or_default()).parse();
        match seq {
            Ok(seq) if line == record(&writer, seq) => whole += 1,
            _ => broken += 1,
        }
    }
    for mut w in writers {
        w.wait()?;
    }
    std::fs::remove_file(&path)?;
    println!("{whole} records arrived whole, {broken} lines were broken");
    Ok(())
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [mode, path, name, count] if mode == "writer" => {
            writer(path, name, count.parse().map_err(io::Error::other)?)
        }
        [] => demo(),
        _ => Err(io::Error::other(
            "usage: lock_big_records [writer FIFO NAME COUNT]",
        )),
    }
}
