// lock_big_records — named pipe / FIFO (명명 파이프)
//
// EN: Writer processes send 10 KiB records into one FIFO. Only writes of at most PIPE_BUF bytes are atomic; a
//     longer one can be split when the pipe is nearly full, with another writer's bytes in between. The solution
//     holds an exclusive `flock` on the FIFO while a record is written: every writer opened the FIFO itself,
//     and `flock` locks between those open files — between processes. The lock is released when the `Flock`
//     guard is dropped, after the last byte of the record is in.
//
// KO: 쓰는 프로세스들이 FIFO 하나에 10 KiB짜리 레코드를 보냅니다. PIPE_BUF 바이트 이하의 쓰기만 원자적이고, 더 긴
//     쓰기는 파이프가 거의 차 있으면 나뉘어 그 사이에 다른 프로세스의 바이트가 끼어들 수 있습니다. 해답은 레코드를
//     쓰는 동안 FIFO에 배타적 `flock`을 잡습니다. 쓰는 프로세스마다 FIFO를 스스로 열었고, `flock`은 그 열린 파일들 사이,
//     곧 프로세스들 사이에서 잠급니다. 락은 레코드의 마지막 바이트가 들어간 뒤 `Flock` 가드가 drop될 때 풀립니다.
//
// Run it yourself: `cargo run -p solutions --bin lock_big_records`.
// 직접 실행해 보기: `cargo run -p solutions --bin lock_big_records`.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::process::Command;

use nix::fcntl::{Flock, FlockArg};

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

/// Writes record `seq` of `writer` into the FIFO, whole.
pub fn send_record(fifo: &mut File, writer: &str, seq: usize) -> io::Result<()> {
    let record = record(writer, seq);
    // An exclusive lock on our open FIFO (the clone is the same open file). Another writer's `lock` waits here
    // until we drop ours — so nobody writes while this record is only partly in the pipe.
    let mut locked = Flock::lock(fifo.try_clone()?, FlockArg::LockExclusive)
        .map_err(|(_, errno)| io::Error::from(errno))?;
    locked.write_all(&record)
    // `locked` is dropped here: unlocked only now, with the whole record in.
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
