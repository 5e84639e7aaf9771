// lock_big_records — named pipe / FIFO (명명 파이프)
//
// EN: Writer processes, each started on its own, send records into one FIFO that a collector reads. A record is
//     one line of exactly 10 KiB: `"{writer} {seq} "`, then letters, then `\n`. The collector splits what it
//     reads into lines, so a record must go into the FIFO whole.
//     A write of at most PIPE_BUF bytes (4096 on Linux) would be atomic; 10 KiB is not. When the pipe is nearly
//     full, the kernel puts in what fits and makes the writer wait for room — and when room comes, another
//     writer's record can go in first, into the middle of this one. One `write_all` call changes nothing: it is
//     one call, not one atomic write.
//     TODO: in `send_record`, hold an exclusive lock on the FIFO while writing a record, so that no other writer
//     can write until the whole record is in. The lock must work between processes: `flock`, through
//     `nix::fcntl::Flock::lock(file, FlockArg::LockExclusive)` — it locks the open file (`file.try_clone()` is
//     the same open file) and unlocks when the `Flock` is dropped. A `Mutex` lives in one process's memory: the
//     other writers never see it. (Another way would be framing: pieces of at most PIPE_BUF bytes, each tagged
//     with its writer, reassembled by the collector. Here the collector reads plain lines: lock.)
//
// KO: 각자 따로 시작한 쓰는 프로세스들이 수집기가 읽는 FIFO 하나에 레코드를 보냅니다. 레코드 하나는 정확히
//     10 KiB짜리 한 줄로, `"{writer} {seq} "`, 그다음 글자들, 그다음 `\n`입니다. 수집기는 읽은 것을 줄로 나누므로,
//     레코드는 온전히 FIFO에 들어가야 합니다.
//     PIPE_BUF(리눅스에서 4,096바이트) 이하의 쓰기라면 원자적이겠지만, 10 KiB는 아닙니다. 파이프가 거의 차 있으면
//     커널은 들어가는 만큼 넣고 쓰는 프로세스를 자리가 날 때까지 기다리게 합니다. 그리고 자리가 나면 다른 프로세스의 레코드가
//     먼저, 이 레코드 한가운데로 들어갈 수 있습니다. `write_all` 한 번으로는 아무것도 달라지지 않습니다. 호출
//     한 번이지, 원자적인 쓰기 한 번이 아닙니다.
//     TODO: `send_record`에서 레코드를 쓰는 동안 FIFO에 배타적 락을 잡아서, 레코드가 다 들어갈 때까지 다른 프로세스가
//     쓰지 못하게 하세요. 락은 프로세스 사이에서 통해야 하므로 `flock`, 즉
//     `nix::fcntl::Flock::lock(file, FlockArg::LockExclusive)`을 씁니다. 열린 파일을 잠그고(`file.try_clone()`도 같은 열린
//     파일입니다) `Flock`이 drop될 때 풀립니다. `Mutex`는 한 프로세스의 메모리에 있습니다. 다른 프로세스들은 그것을
//     보지 못합니다. (다른 방법은 프레이밍입니다. PIPE_BUF 바이트 이하의 조각마다 쓴 프로세스를 붙이고 수집기가 다시
//     맞추는 것입니다. 여기 수집기는 그냥 줄을 읽으니 락을 씁니다.)
//
// Run it yourself: `cargo run -p exercises --bin lock_big_records` (it counts the records that arrive broken).
// 직접 실행해 보기: `cargo run -p exercises --bin lock_big_records` (깨진 채 도착하는 레코드 수를 셉니다).

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::process::Command;

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
    // TODO: more than PIPE_BUF: the kernel may put part of it in, let another writer in, then the rest.
    // 할 일: PIPE_BUF보다 깁니다. 커널은 일부만 넣고, 다른 프로세스의 쓰기를 들인 뒤, 나머지를 넣을 수 있습니다.
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
